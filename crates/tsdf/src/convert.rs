//! Casts between the types the engines meet internally: numbers to numbers, the time types to
//! and from their integer representation, numbers, booleans and strings to strings, and the
//! other Arrow layouts of Spark's types (large or view strings and binaries, lists and structs
//! whose fields are named or typed differently) to the layout the engines use.
//!
//! Arrow's `cast` serves every pair of Arrow types, and linking it costs about a quarter of the
//! engine's WebAssembly (its one dispatch function alone is 435 kB). The engines only ever
//! widen a key or a measure, normalise a time unit or read a column as text, so this module
//! covers those pairs through two hubs (`i64` and `f64`) and refuses the rest with
//! [`ArrowError::CastError`]. Spark's own `CAST` semantics live in `query::functions::cast`.
//!
//! Values that do not fit the target become NULL, as in Arrow's default ("safe") cast: an
//! out-of-range integer, a NaN or infinite float read as an integer. Integers pass through
//! `i64`, so a `UInt64` above `i64::MAX` (a type Spark does not have) is NULL here. Strings
//! read as numbers are trimmed and parsed; text that is no number is NULL.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, PrimitiveArray, StringArray, new_null_array,
};
use arrow::datatypes::{
    ArrowPrimitiveType, DataType, Date64Type, Decimal128Type, DurationMicrosecondType,
    DurationMillisecondType, DurationNanosecondType, DurationSecondType, Float32Type, Float64Type,
    Int8Type, Int16Type, Int32Type, Int64Type, TimeUnit, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow::error::ArrowError;

mod nested;

/// `array` as `to`; see the module documentation for the pairs served.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Array, ArrayRef, AsArray, Int32Array};
/// use arrow::datatypes::{DataType, Float64Type, Int8Type};
///
/// let ints: ArrayRef = Arc::new(Int32Array::from(vec![Some(1), None, Some(300)]));
/// let doubles = tsdf::convert::cast(&ints, &DataType::Float64).unwrap();
/// assert_eq!(doubles.as_primitive::<Float64Type>().value(2), 300.0);
/// // 300 does not fit a byte: NULL, as Arrow's safe cast gives.
/// let bytes = tsdf::convert::cast(&ints, &DataType::Int8).unwrap();
/// assert_eq!(bytes.as_primitive::<Int8Type>().iter().collect::<Vec<_>>(), [Some(1), None, None]);
/// ```
pub fn cast(array: &ArrayRef, to: &DataType) -> Result<ArrayRef, ArrowError> {
    let from = array.data_type();
    if from == to {
        return Ok(array.clone());
    }
    if from == &DataType::Null {
        return Ok(new_null_array(to, array.len()));
    }
    if let Some(out) = reinterpret(array, to)? {
        return Ok(out);
    }
    if let (DataType::Timestamp(from_unit, _), DataType::Timestamp(to_unit, _)) = (from, to) {
        let micros = rescale(&as_i64(array)?, *from_unit, *to_unit);
        return retype(Arc::new(micros), to);
    }
    if matches!(to, DataType::Utf8) {
        return to_strings(array);
    }
    if let Some(out) = nested::cast_nested(array, to)? {
        return Ok(out);
    }
    if let Some(strings) = strings(array) {
        return match to {
            t if t.is_floating() => {
                let floats = strings
                    .iter()
                    .map(|v| v?.trim().parse::<f64>().ok())
                    .collect();
                from_floats(&floats, t)
            }
            t if t.is_integer() => {
                let ints = strings
                    .iter()
                    .map(|v| v?.trim().parse::<i64>().ok())
                    .collect();
                from_ints(&ints, t)
            }
            _ => Ok(None),
        }
        .and_then(|out| out.ok_or_else(|| unsupported(from, to)));
    }
    match hub(array)? {
        Some(Hub::Ints(ints)) => from_ints(&ints, to),
        Some(Hub::Floats(floats)) => from_floats(&floats, to),
        None => Err(unsupported(from, to)),
    }
    .and_then(|out| out.ok_or_else(|| unsupported(from, to)))
}

/// The values of a string column of any layout, as `Utf8`.
fn strings(array: &ArrayRef) -> Option<StringArray> {
    Some(match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().clone(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
        DataType::Utf8View => array.as_string_view().iter().collect(),
        _ => return None,
    })
}

fn unsupported(from: &DataType, to: &DataType) -> ArrowError {
    ArrowError::CastError(format!("Casting from {from} to {to} not supported"))
}

/// A numeric column as 64-bit integers or doubles.
enum Hub {
    Ints(PrimitiveArray<Int64Type>),
    Floats(PrimitiveArray<Float64Type>),
}

fn hub(array: &ArrayRef) -> Result<Option<Hub>, ArrowError> {
    fn ints<T: ArrowPrimitiveType>(a: &ArrayRef, f: impl Fn(T::Native) -> i64) -> Option<Hub> {
        Some(Hub::Ints(a.as_primitive::<T>().unary(f)))
    }
    fn floats<T: ArrowPrimitiveType>(a: &ArrayRef, f: impl Fn(T::Native) -> f64) -> Option<Hub> {
        Some(Hub::Floats(a.as_primitive::<T>().unary(f)))
    }
    Ok(match array.data_type() {
        DataType::Int8 => ints::<Int8Type>(array, i64::from),
        DataType::Int16 => ints::<Int16Type>(array, i64::from),
        DataType::Int32 => ints::<Int32Type>(array, i64::from),
        DataType::Int64 => ints::<Int64Type>(array, |v| v),
        DataType::UInt8 => ints::<UInt8Type>(array, i64::from),
        DataType::UInt16 => ints::<UInt16Type>(array, i64::from),
        DataType::UInt32 => ints::<UInt32Type>(array, i64::from),
        DataType::UInt64 => {
            let a = array.as_primitive::<UInt64Type>();
            Some(Hub::Ints(a.unary_opt(|v| i64::try_from(v).ok())))
        }
        DataType::Boolean => {
            let b = array.as_boolean();
            Some(Hub::Ints(b.iter().map(|v| v.map(i64::from)).collect()))
        }
        DataType::Float32 => floats::<Float32Type>(array, f64::from),
        DataType::Float64 => floats::<Float64Type>(array, |v| v),
        DataType::Decimal128(_, scale) => {
            let divisor = 10f64.powi(i32::from(*scale));
            floats::<Decimal128Type>(array, |v| v as f64 / divisor)
        }
        _ => None,
    })
}

fn from_ints(
    ints: &PrimitiveArray<Int64Type>,
    to: &DataType,
) -> Result<Option<ArrayRef>, ArrowError> {
    fn narrow<T>(ints: &PrimitiveArray<Int64Type>) -> Option<ArrayRef>
    where
        T: ArrowPrimitiveType,
        T::Native: TryFrom<i64>,
    {
        Some(Arc::new(
            ints.unary_opt::<_, T>(|v| T::Native::try_from(v).ok()),
        ))
    }
    Ok(match to {
        DataType::Int8 => narrow::<Int8Type>(ints),
        DataType::Int16 => narrow::<Int16Type>(ints),
        DataType::Int32 => narrow::<Int32Type>(ints),
        DataType::Int64 => Some(Arc::new(ints.clone())),
        DataType::UInt8 => narrow::<UInt8Type>(ints),
        DataType::UInt16 => narrow::<UInt16Type>(ints),
        DataType::UInt32 => narrow::<UInt32Type>(ints),
        DataType::UInt64 => narrow::<UInt64Type>(ints),
        DataType::Float32 => Some(Arc::new(ints.unary::<_, Float32Type>(|v| v as f32))),
        DataType::Float64 => Some(Arc::new(ints.unary::<_, Float64Type>(|v| v as f64))),
        DataType::Boolean => Some(Arc::new(
            ints.iter()
                .map(|v| v.map(|v| v != 0))
                .collect::<BooleanArray>(),
        )),
        _ => None,
    })
}

fn from_floats(
    floats: &PrimitiveArray<Float64Type>,
    to: &DataType,
) -> Result<Option<ArrayRef>, ArrowError> {
    // Truncation toward zero; NaN, infinities and values outside i64 have no integer (NULL).
    let truncated = || -> PrimitiveArray<Int64Type> {
        floats.unary_opt(|v| {
            let t = v.trunc();
            (t.is_finite() && t >= i64::MIN as f64 && t < i64::MAX as f64).then_some(t as i64)
        })
    };
    Ok(match to {
        DataType::Float32 => Some(Arc::new(floats.unary::<_, Float32Type>(|v| v as f32))),
        DataType::Float64 => Some(Arc::new(floats.clone())),
        DataType::Boolean => Some(Arc::new(
            floats
                .iter()
                .map(|v| v.map(|v| v != 0.0))
                .collect::<BooleanArray>(),
        )),
        t if t.is_integer() => from_ints(&truncated(), t)?,
        _ => None,
    })
}

/// Time types to and from the integers that store them (same unit, no scaling), as Arrow does.
fn reinterpret(array: &ArrayRef, to: &DataType) -> Result<Option<ArrayRef>, ArrowError> {
    let storage = |t: &DataType| match t {
        DataType::Timestamp(..) | DataType::Date64 | DataType::Duration(..) => {
            Some(DataType::Int64)
        }
        DataType::Date32 => Some(DataType::Int32),
        _ => None,
    };
    let from = array.data_type();
    match (storage(from), storage(to)) {
        (Some(s), None) if s == *to => retype(array.clone(), to).map(Some),
        (None, Some(s)) if s == *from => retype(array.clone(), to).map(Some),
        (None, Some(s)) if from.is_integer() => retype(cast(array, &s)?, to).map(Some),
        (Some(s), None) if to.is_numeric() => cast(&retype(array.clone(), &s)?, to).map(Some),
        _ => Ok(None),
    }
}

/// The same buffers under another type of the same width.
fn retype(array: ArrayRef, to: &DataType) -> Result<ArrayRef, ArrowError> {
    let data = array
        .to_data()
        .into_builder()
        .data_type(to.clone())
        .build()?;
    Ok(arrow::array::make_array(data))
}

fn as_i64(array: &ArrayRef) -> Result<PrimitiveArray<Int64Type>, ArrowError> {
    let from = array.data_type();
    let primitive = |a: &dyn Array| -> Option<PrimitiveArray<Int64Type>> {
        Some(match from {
            DataType::Timestamp(TimeUnit::Second, _) => {
                a.as_primitive::<TimestampSecondType>().reinterpret_cast()
            }
            DataType::Timestamp(TimeUnit::Millisecond, _) => a
                .as_primitive::<TimestampMillisecondType>()
                .reinterpret_cast(),
            DataType::Timestamp(TimeUnit::Microsecond, _) => a
                .as_primitive::<TimestampMicrosecondType>()
                .reinterpret_cast(),
            DataType::Timestamp(TimeUnit::Nanosecond, _) => a
                .as_primitive::<TimestampNanosecondType>()
                .reinterpret_cast(),
            DataType::Duration(TimeUnit::Second) => {
                a.as_primitive::<DurationSecondType>().reinterpret_cast()
            }
            DataType::Duration(TimeUnit::Millisecond) => a
                .as_primitive::<DurationMillisecondType>()
                .reinterpret_cast(),
            DataType::Duration(TimeUnit::Microsecond) => a
                .as_primitive::<DurationMicrosecondType>()
                .reinterpret_cast(),
            DataType::Duration(TimeUnit::Nanosecond) => a
                .as_primitive::<DurationNanosecondType>()
                .reinterpret_cast(),
            DataType::Date64 => a.as_primitive::<Date64Type>().reinterpret_cast(),
            _ => return None,
        })
    };
    primitive(array.as_ref()).ok_or_else(|| unsupported(from, &DataType::Int64))
}

/// Integer counts of `from` units as `to` units; finer to coarser truncates toward zero, as
/// Arrow's cast does, and a value that overflows becomes NULL.
fn rescale(
    values: &PrimitiveArray<Int64Type>,
    from: TimeUnit,
    to: TimeUnit,
) -> PrimitiveArray<Int64Type> {
    let per_second = |u: TimeUnit| match u {
        TimeUnit::Second => 1i64,
        TimeUnit::Millisecond => 1_000,
        TimeUnit::Microsecond => 1_000_000,
        TimeUnit::Nanosecond => 1_000_000_000,
    };
    let (f, t) = (per_second(from), per_second(to));
    if f >= t {
        let d = f / t;
        values.unary(|v| v / d)
    } else {
        let m = t / f;
        values.unary_opt(|v| v.checked_mul(m))
    }
}

/// Strings of numbers, booleans and other string types.
fn to_strings(array: &ArrayRef) -> Result<ArrayRef, ArrowError> {
    if let Some(strings) = strings(array) {
        return Ok(Arc::new(strings));
    }
    let strings: StringArray = match array.data_type() {
        DataType::Boolean => array
            .as_boolean()
            .iter()
            .map(|v| v.map(|b| b.to_string()))
            .collect(),
        _ => match hub(array)? {
            Some(Hub::Ints(ints)) => ints.iter().map(|v| v.map(|v| v.to_string())).collect(),
            Some(Hub::Floats(floats)) => floats.iter().map(|v| v.map(|v| v.to_string())).collect(),
            None => return Err(unsupported(array.data_type(), &DataType::Utf8)),
        },
    };
    Ok(Arc::new(strings))
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // Arrow's cast is the reference these tests compare with.
mod tests {
    use super::*;
    use arrow::array::{Int32Array, Int64Array, TimestampNanosecondArray};
    use arrow::compute::kernels::cast::cast as arrow_cast;
    use proptest::prelude::*;

    /// The numeric types the engines widen and narrow between.
    fn numeric_types() -> Vec<DataType> {
        vec![
            DataType::Int8,
            DataType::Int16,
            DataType::Int32,
            DataType::Int64,
            DataType::UInt8,
            DataType::UInt32,
            DataType::Float32,
            DataType::Float64,
        ]
    }

    fn values() -> impl Strategy<Value = Vec<Option<f64>>> {
        let value = prop_oneof![
            (-200i64..200).prop_map(|v| v as f64),
            any::<i32>().prop_map(f64::from),
            any::<i64>().prop_map(|v| v as f64),
            any::<f64>(),
            (-1000.0f64..1000.0),
        ];
        prop::collection::vec(prop::option::of(value), 0..20)
    }

    proptest! {
        /// Every numeric pair agrees with Arrow's safe cast, NULLs for what does not fit included.
        #[test]
        fn prop_numeric_casts_match_arrow(values in values(), from in 0usize..8, to in 0usize..8) {
            let types = numeric_types();
            let doubles: ArrayRef = Arc::new(values.into_iter().collect::<PrimitiveArray<Float64Type>>());
            let input = arrow_cast(&doubles, &types[from]).unwrap();
            let ours = cast(&input, &types[to]).unwrap();
            let arrows = arrow_cast(&input, &types[to]).unwrap();
            prop_assert_eq!(ours.to_data(), arrows.to_data(), "{} -> {}", types[from], types[to]);
        }

        /// Time units rescale as Arrow's cast does (truncating toward zero).
        #[test]
        fn prop_timestamp_units_match_arrow(values in prop::collection::vec(prop::option::of(any::<i64>()), 0..20)) {
            let ns: ArrayRef = Arc::new(TimestampNanosecondArray::from(values).with_timezone("UTC"));
            for unit in [TimeUnit::Second, TimeUnit::Millisecond, TimeUnit::Microsecond] {
                let to = DataType::Timestamp(unit, Some("UTC".into()));
                let ours = cast(&ns, &to).unwrap();
                prop_assert_eq!(ours.to_data(), arrow_cast(&ns, &to).unwrap().to_data());
                // And back up to nanoseconds, where the large values overflow to NULL.
                let back = DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()));
                let up = cast(&ours, &back).unwrap();
                prop_assert_eq!(up.data_type(), &back);
                prop_assert_eq!(up.len(), ours.len());
            }
        }
    }

    #[test]
    fn test_time_types_reinterpret_their_integers() {
        let micros: ArrayRef = Arc::new(Int64Array::from(vec![Some(1_700_000_000_000_000), None]));
        let ts_type = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        let ts = cast(&micros, &ts_type).unwrap();
        assert_eq!(ts.data_type(), &ts_type);
        assert_eq!(
            cast(&ts, &DataType::Int64).unwrap().to_data(),
            micros.to_data()
        );
        let days: ArrayRef = Arc::new(Int32Array::from(vec![19_000]));
        let date = cast(&days, &DataType::Date32).unwrap();
        assert_eq!(
            cast(&date, &DataType::Float64)
                .unwrap()
                .as_primitive::<Float64Type>()
                .value(0),
            19_000.0
        );
    }

    #[test]
    fn test_strings_and_nulls() {
        let ints: ArrayRef = Arc::new(Int32Array::from(vec![Some(7), None]));
        let text = cast(&ints, &DataType::Utf8).unwrap();
        assert_eq!(
            text.as_string::<i32>().iter().collect::<Vec<_>>(),
            [Some("7"), None]
        );
        let nulls = new_null_array(&DataType::Null, 3);
        let typed = cast(&nulls, &DataType::Float64).unwrap();
        assert_eq!(
            (typed.data_type(), typed.null_count()),
            (&DataType::Float64, 3)
        );
    }

    #[test]
    fn test_parquet_layouts_become_the_engine_layouts() {
        use arrow::array::{LargeStringArray, ListArray};
        use arrow::buffer::OffsetBuffer;
        use arrow::datatypes::Field;
        // A Parquet list: elements named `element`, large strings; the engine wants `item`, Utf8.
        let element = Arc::new(Field::new("element", DataType::LargeUtf8, true));
        let values: ArrayRef = Arc::new(LargeStringArray::from(vec!["a", "b", "c"]));
        let parquet: ArrayRef = Arc::new(
            ListArray::try_new(element, OffsetBuffer::from_lengths([2, 0, 1]), values, None)
                .unwrap(),
        );
        let item = Arc::new(Field::new("item", DataType::Utf8, true));
        let to = DataType::List(item);
        let ours = cast(&parquet, &to).unwrap();
        assert_eq!(ours.data_type(), &to);
        let lists = ours.as_list::<i32>();
        assert_eq!(lists.value_length(0), 2);
        assert_eq!(lists.value(2).as_string::<i32>().value(0), "c");
    }

    #[test]
    fn test_strings_read_as_numbers() {
        let text: ArrayRef = Arc::new(StringArray::from(vec![
            Some(" 2.5"),
            Some("x"),
            None,
            Some("7"),
        ]));
        let doubles = cast(&text, &DataType::Float64).unwrap();
        let doubles: Vec<_> = doubles.as_primitive::<Float64Type>().iter().collect();
        assert_eq!(doubles, [Some(2.5), None, None, Some(7.0)]);
        let ints = cast(&text, &DataType::Int32).unwrap();
        let ints: Vec<_> = ints
            .as_primitive::<arrow::datatypes::Int32Type>()
            .iter()
            .collect();
        assert_eq!(ints, [None, None, None, Some(7)]);
    }

    #[test]
    fn test_unserved_pairs_are_refused_with_both_types() {
        let text: ArrayRef = Arc::new(StringArray::from(vec!["1"]));
        let err = cast(&text, &DataType::Date32).unwrap_err().to_string();
        assert!(err.contains("Utf8") && err.contains("Date32"), "{err}");
    }
}
