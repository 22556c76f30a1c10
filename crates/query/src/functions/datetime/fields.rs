//! Date and time parts: `year`, `quarter`, `month`, `day`/`dayofmonth`, `dayofweek`
//! (Sunday = 1), `weekday` (Monday = 0), `dayofyear`, `weekofyear` (ISO), `hour`, `minute`,
//! `second`, and `extract`/`date_part` (`SECOND` is `decimal(8,6)`; intervals too).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Decimal128Array};
use arrow::datatypes::{
    Date32Type, DurationMicrosecondType, IntervalYearMonthType, TimestampMicrosecondType,
};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{Want, arg, check_arity, coerce_args, constant_str, func, prim};
use crate::functions::datetime::calendar::{
    MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, civil_from_days, days_from_civil,
    split_micros, weekday,
};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

/// A part of a date, timestamp or interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Year,
    YearOfWeek,
    Quarter,
    Month,
    Week,
    Day,
    DayOfWeek,
    DayOfWeekIso,
    DayOfYear,
    Hour,
    Minute,
    Second,
}

impl Part {
    /// Spark's field names and abbreviations for `extract`/`date_part`.
    pub(crate) fn parse(name: &str) -> Option<Part> {
        Some(match name.to_ascii_uppercase().as_str() {
            "YEAR" | "Y" | "YEARS" | "YR" | "YRS" => Part::Year,
            "YEAROFWEEK" => Part::YearOfWeek,
            "QUARTER" | "QTR" => Part::Quarter,
            "MONTH" | "MON" | "MONS" | "MONTHS" => Part::Month,
            "WEEK" | "W" | "WEEKS" => Part::Week,
            "DAY" | "D" | "DAYS" | "DAYOFMONTH" => Part::Day,
            "DAYOFWEEK" | "DOW" => Part::DayOfWeek,
            "DAYOFWEEK_ISO" | "DOW_ISO" => Part::DayOfWeekIso,
            "DOY" => Part::DayOfYear,
            "HOUR" | "H" | "HOURS" | "HR" | "HRS" => Part::Hour,
            "MINUTE" | "M" | "MIN" | "MINS" | "MINUTES" => Part::Minute,
            "SECOND" | "S" | "SEC" | "SECONDS" | "SECS" => Part::Second,
            _ => return None,
        })
    }

    fn of_day(self) -> bool {
        matches!(self, Part::Hour | Part::Minute | Part::Second)
    }
}

/// ISO-8601 week number and week-based year of a day.
pub(crate) fn iso_week(days: i64) -> (i64, i32) {
    let thursday = days - i64::from(weekday(days)) + 3;
    let (year, _, _) = civil_from_days(thursday);
    (
        year,
        ((thursday - days_from_civil(year, 1, 1)) / 7 + 1) as i32,
    )
}

/// The value of a date part of a day number.
pub(crate) fn date_part(part: Part, days: i64) -> i32 {
    let (year, month, day) = civil_from_days(days);
    match part {
        Part::Year => year as i32,
        Part::YearOfWeek => iso_week(days).0 as i32,
        Part::Quarter => ((month - 1) / 3 + 1) as i32,
        Part::Month => month as i32,
        Part::Week => iso_week(days).1,
        Part::Day => day as i32,
        Part::DayOfWeek => ((weekday(days) + 1) % 7 + 1) as i32,
        Part::DayOfWeekIso => (weekday(days) + 1) as i32,
        Part::DayOfYear => (days - days_from_civil(year, 1, 1) + 1) as i32,
        Part::Hour | Part::Minute | Part::Second => 0,
    }
}

/// The value of a part of a timestamp; seconds without their fraction.
pub(crate) fn timestamp_part(part: Part, micros: i64) -> i32 {
    let (days, of_day) = split_micros(micros);
    match part {
        Part::Hour => (of_day / MICROS_PER_HOUR) as i32,
        Part::Minute => (of_day / MICROS_PER_MINUTE % 60) as i32,
        Part::Second => (of_day / 1_000_000 % 60) as i32,
        other => date_part(other, days),
    }
}

fn resolve_date_part_fn(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Date])?,
        result: SparkType::Int,
    })
}

fn resolve_time_part_fn(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Timestamp])?,
        result: SparkType::Int,
    })
}

fn dates_part(args: &[ArrayRef], part: Part) -> Result<ArrayRef> {
    let d = prim::<Date32Type>(arg(args, 0)?.as_ref())?;
    Ok(Arc::new(d.unary::<_, arrow::datatypes::Int32Type>(|v| {
        date_part(part, i64::from(v))
    })))
}

fn timestamps_part(args: &[ArrayRef], part: Part) -> Result<ArrayRef> {
    let t = prim::<TimestampMicrosecondType>(arg(args, 0)?.as_ref())?;
    Ok(Arc::new(t.unary::<_, arrow::datatypes::Int32Type>(|v| {
        timestamp_part(part, v)
    })))
}

macro_rules! date_part_fn {
    ($id:ident, $name:literal, $part:expr) => {
        func!(
            $id,
            $name,
            resolve_date_part_fn,
            |args, _, _: &EvalContext| dates_part(args, $part)
        );
    };
}
macro_rules! time_part_fn {
    ($id:ident, $name:literal, $part:expr) => {
        func!(
            $id,
            $name,
            resolve_time_part_fn,
            |args, _, _: &EvalContext| timestamps_part(args, $part)
        );
    };
}

date_part_fn!(YEAR, "year", Part::Year);
date_part_fn!(QUARTER, "quarter", Part::Quarter);
date_part_fn!(MONTH, "month", Part::Month);
date_part_fn!(DAY, "day", Part::Day);
date_part_fn!(DAYOFMONTH, "dayofmonth", Part::Day);
date_part_fn!(DAYOFWEEK, "dayofweek", Part::DayOfWeek);
date_part_fn!(DAYOFYEAR, "dayofyear", Part::DayOfYear);
date_part_fn!(WEEKOFYEAR, "weekofyear", Part::Week);
func!(
    WEEKDAY,
    "weekday",
    resolve_date_part_fn,
    |args, _, _: &EvalContext| {
        let d = prim::<Date32Type>(arg(args, 0)?.as_ref())?;
        Ok(
            Arc::new(d.unary::<_, arrow::datatypes::Int32Type>(|v| weekday(i64::from(v)) as i32))
                as ArrayRef,
        )
    }
);
func!(
    DAYNAME,
    "dayname",
    |name, args| resolve_name_fn(name, args),
    |args, _, _: &EvalContext| { names_of(args, |days| DAY_NAMES[weekday(days) as usize]) }
);
func!(
    MONTHNAME,
    "monthname",
    |name, args| resolve_name_fn(name, args),
    |args, _, _: &EvalContext| {
        names_of(args, |days| {
            MONTH_NAMES[civil_from_days(days).1 as usize - 1]
        })
    }
);

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn resolve_name_fn(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Date])?,
        result: SparkType::String,
    })
}

/// `dayname`/`monthname`: three-letter English names.
fn names_of(args: &[ArrayRef], name: fn(i64) -> &'static str) -> Result<ArrayRef> {
    let d = prim::<Date32Type>(arg(args, 0)?.as_ref())?;
    let out: arrow::array::StringArray = d.iter().map(|v| v.map(|x| name(i64::from(x)))).collect();
    Ok(Arc::new(out))
}

time_part_fn!(HOUR, "hour", Part::Hour);
time_part_fn!(MINUTE, "minute", Part::Minute);
time_part_fn!(SECOND, "second", Part::Second);

fn invalid_field(field: &str, source: &SparkType) -> QueryError {
    QueryError::analysis(
        ErrorClass::InvalidExtractField,
        format!("Cannot extract {field} from {}.", source.sql_name()),
    )
}

fn resolve_extract(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let field = constant_str(args, 0).ok_or_else(|| {
        QueryError::analysis(
            ErrorClass::DatatypeMismatchNonFoldableInput,
            format!("Cannot resolve \"{name}\": the field must be a constant string."),
        )
    })?;
    let source = &args[1].data_type;
    let part = Part::parse(&field).ok_or_else(|| invalid_field(&field, source))?;
    let (input, result) = match source {
        SparkType::DayTimeInterval(..) => {
            if !matches!(part, Part::Day | Part::Hour | Part::Minute | Part::Second) {
                return Err(invalid_field(&field, source));
            }
            let result = if part == Part::Second {
                SparkType::Decimal(8, 6)
            } else if part == Part::Day {
                SparkType::Int
            } else {
                SparkType::Byte
            };
            (source.clone(), result)
        }
        SparkType::YearMonthInterval(..) => {
            let result = match part {
                Part::Year => SparkType::Int,
                Part::Month => SparkType::Byte,
                _ => return Err(invalid_field(&field, source)),
            };
            (source.clone(), result)
        }
        SparkType::Date if !part.of_day() => (SparkType::Date, SparkType::Int),
        _ => {
            let t = coerce_args(name, &args[1..], &[Want::Timestamp])?.remove(0);
            let result = if part == Part::Second {
                SparkType::Decimal(8, 6)
            } else {
                SparkType::Int
            };
            (t, result)
        }
    };
    Ok(Signature {
        args: vec![SparkType::String, input],
        result,
    })
}

fn invoke_extract(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let names = crate::functions::common::strings(arg(args, 0)?.as_ref())?;
    let field = (0..names.len())
        .find(|i| names.is_valid(*i))
        .map(|i| names.value(i))
        .unwrap_or("");
    let part = Part::parse(field)
        .ok_or_else(|| QueryError::Internal(format!("extract: unknown field {field}")))?;
    let source = arg(args, 1)?;
    Ok(match source.data_type() {
        arrow::datatypes::DataType::Date32 => dates_part(&args[1..], part)?,
        arrow::datatypes::DataType::Duration(_) => {
            let d = prim::<DurationMicrosecondType>(source.as_ref())?;
            match part {
                Part::Second => Arc::new(
                    d.unary::<_, arrow::datatypes::Decimal128Type>(|m| {
                        i128::from(m % MICROS_PER_MINUTE)
                    })
                    .with_precision_and_scale(8, 6)?,
                ),
                Part::Day => Arc::new(
                    d.unary::<_, arrow::datatypes::Int32Type>(|m| (m / MICROS_PER_DAY) as i32),
                ),
                Part::Hour => {
                    Arc::new(d.unary::<_, arrow::datatypes::Int8Type>(|m| {
                        (m / MICROS_PER_HOUR % 24) as i8
                    }))
                }
                _ => Arc::new(d.unary::<_, arrow::datatypes::Int8Type>(|m| {
                    (m / MICROS_PER_MINUTE % 60) as i8
                })),
            }
        }
        arrow::datatypes::DataType::Interval(_) => {
            let ym = prim::<IntervalYearMonthType>(source.as_ref())?;
            if part == Part::Year {
                Arc::new(ym.unary::<_, arrow::datatypes::Int32Type>(|m| m / 12))
            } else {
                Arc::new(ym.unary::<_, arrow::datatypes::Int8Type>(|m| (m % 12) as i8))
            }
        }
        _ if part == Part::Second => {
            let t = prim::<TimestampMicrosecondType>(source.as_ref())?;
            let out: Decimal128Array = t.unary(|m| i128::from(m.rem_euclid(MICROS_PER_MINUTE)));
            Arc::new(out.with_precision_and_scale(8, 6)?)
        }
        _ => timestamps_part(&args[1..], part)?,
    })
}

func!(EXTRACT, "extract", resolve_extract, invoke_extract);
func!(DATE_PART, "date_part", resolve_extract, invoke_extract);
func!(DATEPART, "datepart", resolve_extract, invoke_extract);

/// Every part of a timestamp, in a fixed order (for tests).
#[cfg(test)]
fn parts_of(micros: i64) -> Vec<i32> {
    [
        Part::Year,
        Part::Month,
        Part::Day,
        Part::DayOfWeek,
        Part::DayOfYear,
        Part::Week,
        Part::Quarter,
        Part::Hour,
        Part::Minute,
        Part::Second,
    ]
    .iter()
    .map(|p| timestamp_part(*p, micros))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::datetime::calendar::parse_timestamp;

    #[test]
    fn test_parts_of_fixture_timestamp() {
        // 2023-01-14 is a Saturday: dayofweek 7, ISO week 2, day of year 14.
        let t = parse_timestamp("2023-01-14 02:53:51").unwrap();
        assert_eq!(parts_of(t), vec![2023, 1, 14, 7, 14, 2, 1, 2, 53, 51]);
        assert_eq!(
            date_part(Part::DayOfWeekIso, t.div_euclid(MICROS_PER_DAY)),
            6
        );
    }

    #[test]
    fn test_iso_week_edges() {
        // 2023-01-01 (Sunday) belongs to ISO week 52 of 2022; 2020-12-31 to week 53 of 2020.
        assert_eq!(iso_week(days_from_civil(2023, 1, 1)), (2022, 52));
        assert_eq!(iso_week(days_from_civil(2020, 12, 31)), (2020, 53));
        assert_eq!(iso_week(days_from_civil(2024, 12, 30)), (2025, 1));
    }

    #[test]
    fn test_part_names() {
        assert_eq!(Part::parse("dow"), Some(Part::DayOfWeek));
        assert_eq!(Part::parse("SECONDS"), Some(Part::Second));
        assert_eq!(Part::parse("fortnight"), None);
    }
}
