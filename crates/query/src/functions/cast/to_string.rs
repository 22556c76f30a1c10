//! `CAST(x AS STRING)` for every type, with Spark's renderings: Java's number formatting,
//! `yyyy-MM-dd HH:mm:ss[.f]` timestamps, `INTERVAL '…' DAY TO SECOND`, `[a, b]` arrays and
//! `{a, b}` structs.

use std::sync::Arc;

use std::fmt::Write;

use arrow::array::{
    Array, ArrayRef, ArrowPrimitiveType, BinaryArray, ListArray, MapArray, StringArray,
    StringBuilder, StructArray,
};
use arrow::datatypes::{
    Date32Type, Decimal128Type, DurationMicrosecondType, Float32Type, Float64Type, Int8Type,
    Int16Type, Int32Type, Int64Type, IntervalMonthDayNanoType, IntervalYearMonthType,
    TimestampMicrosecondType,
};

use crate::error::Result;
use crate::functions::common::{booleans, prim, wrong_array};
use crate::functions::datetime::calendar::{format_date, format_timestamp};
use crate::functions::decimal::decimal_to_string;
use crate::functions::format::{write_java_double, write_java_float};
use crate::functions::interval::format::{format_calendar, format_day_time, format_year_month};
use crate::types::SparkType;

/// Cast any array to a string array.
pub(super) fn cast_to_string(array: &ArrayRef, from: &SparkType) -> Result<ArrayRef> {
    Ok(Arc::new(render(array.as_ref(), from)?))
}

/// The text `CAST(value AS STRING)` gives for row `row` of `array`, `None` for NULL.
///
/// # Examples
/// ```
/// use arrow::array::Float64Array;
/// use query::functions::cast::value_to_string;
/// use query::types::SparkType;
/// let a = Float64Array::from(vec![1e20]);
/// assert_eq!(value_to_string(&a, 0, &SparkType::Double).unwrap().as_deref(), Some("1.0E20"));
/// ```
pub fn value_to_string(
    array: &dyn Array,
    row: usize,
    data_type: &SparkType,
) -> Result<Option<String>> {
    let one = array.slice(row, 1);
    let text = render(one.as_ref(), data_type)?;
    Ok(text.is_valid(0).then(|| text.value(0).to_string()))
}

/// Render each value by writing straight into the result's buffer (no per-value String).
fn write_prim<T: ArrowPrimitiveType>(
    array: &dyn Array,
    write: impl Fn(&mut StringBuilder, T::Native) -> std::fmt::Result,
) -> Result<StringArray> {
    let a = prim::<T>(array)?;
    let mut out = StringBuilder::with_capacity(a.len(), a.len() * 8);
    for v in a.iter() {
        match v {
            Some(x) => {
                write(&mut out, x)
                    .map_err(|e| crate::error::QueryError::Internal(e.to_string()))?;
                out.append_value("");
            }
            None => out.append_null(),
        }
    }
    Ok(out.finish())
}

fn map_prim<T: ArrowPrimitiveType>(
    array: &dyn Array,
    f: impl Fn(T::Native) -> String,
) -> Result<StringArray> {
    Ok(prim::<T>(array)?.iter().map(|v| v.map(&f)).collect())
}

/// Render every row of `array` (of Spark type `t`) as text.
pub(crate) fn render(array: &dyn Array, t: &SparkType) -> Result<StringArray> {
    use SparkType as T;
    Ok(match t {
        T::Null => StringArray::new_null(array.len()),
        T::String => array
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(|| wrong_array("string", array))?
            .clone(),
        T::Boolean => booleans(array)?
            .iter()
            .map(|v| v.map(|b| b.to_string()))
            .collect(),
        T::Byte => write_prim::<Int8Type>(array, |o, v| write!(o, "{v}"))?,
        T::Short => write_prim::<Int16Type>(array, |o, v| write!(o, "{v}"))?,
        T::Int => write_prim::<Int32Type>(array, |o, v| write!(o, "{v}"))?,
        T::Long => write_prim::<Int64Type>(array, |o, v| write!(o, "{v}"))?,
        T::Float => write_prim::<Float32Type>(array, write_java_float)?,
        T::Double => write_prim::<Float64Type>(array, write_java_double)?,
        T::Decimal(_, s) => map_prim::<Decimal128Type>(array, |v| decimal_to_string(v, *s))?,
        T::Date => map_prim::<Date32Type>(array, |d| format_date(i64::from(d)))?,
        T::Timestamp | T::TimestampNtz => {
            map_prim::<TimestampMicrosecondType>(array, format_timestamp)?
        }
        T::DayTimeInterval(s, e) => {
            map_prim::<DurationMicrosecondType>(array, |v| format_day_time(v, *s, *e))?
        }
        T::YearMonthInterval(s, e) => {
            map_prim::<IntervalYearMonthType>(array, |v| format_year_month(v, *s, *e))?
        }
        T::CalendarInterval => map_prim::<IntervalMonthDayNanoType>(array, |v| {
            format_calendar(v.months, v.days, v.nanoseconds / 1000)
        })?,
        T::Binary => array
            .as_any()
            .downcast_ref::<BinaryArray>()
            .ok_or_else(|| wrong_array("binary", array))?
            .iter()
            .map(|v| v.map(|b| String::from_utf8_lossy(b).into_owned()))
            .collect(),
        T::Array(element) => {
            let list = array
                .as_any()
                .downcast_ref::<ListArray>()
                .ok_or_else(|| wrong_array("array", array))?;
            let items = render(list.values().as_ref(), element)?;
            let offsets = list.value_offsets();
            (0..list.len())
                .map(|i| {
                    list.is_valid(i).then(|| {
                        let (start, end) = (offsets[i] as usize, offsets[i + 1] as usize);
                        format!("[{}]", join(&items, start..end))
                    })
                })
                .collect()
        }
        T::Struct(fields) => {
            let s = array
                .as_any()
                .downcast_ref::<StructArray>()
                .ok_or_else(|| wrong_array("struct", array))?;
            let columns = fields
                .iter()
                .zip(s.columns())
                .map(|(f, c)| render(c.as_ref(), &f.data_type))
                .collect::<Result<Vec<_>>>()?;
            (0..s.len())
                .map(|i| {
                    s.is_valid(i).then(|| {
                        let parts: Vec<&str> = columns
                            .iter()
                            .map(|c| if c.is_valid(i) { c.value(i) } else { "null" })
                            .collect();
                        format!("{{{}}}", parts.join(", "))
                    })
                })
                .collect()
        }
        T::Map(key, value) => {
            let m = array
                .as_any()
                .downcast_ref::<MapArray>()
                .ok_or_else(|| wrong_array("map", array))?;
            let keys = render(m.keys().as_ref(), key)?;
            let values = render(m.values().as_ref(), value)?;
            let offsets = m.value_offsets();
            (0..m.len())
                .map(|i| {
                    m.is_valid(i).then(|| {
                        let entries: Vec<String> = (offsets[i] as usize..offsets[i + 1] as usize)
                            .map(|j| {
                                let v = if values.is_valid(j) {
                                    values.value(j)
                                } else {
                                    "null"
                                };
                                format!("{} -> {v}", keys.value(j))
                            })
                            .collect();
                        format!("{{{}}}", entries.join(", "))
                    })
                })
                .collect()
        }
    })
}

fn join(items: &StringArray, range: std::ops::Range<usize>) -> String {
    range
        .map(|j| {
            if items.is_valid(j) {
                items.value(j)
            } else {
                "null"
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
