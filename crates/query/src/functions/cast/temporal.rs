//! Casts among dates, timestamps and numbers, and between interval types.

use std::sync::Arc;

use arrow::array::{ArrayRef, PrimitiveArray};
use arrow::datatypes::{
    Date32Type, Decimal128Type, DurationMicrosecondType, Float64Type, Int64Type,
    IntervalYearMonthType, TimestampMicrosecondType,
};

use super::numeric::cast_numeric;
use super::{CastMode, cast, cast_not_allowed, cast_overflow};
use crate::error::Result;
use crate::functions::common::{I64_LIMIT_F64, prim};
use crate::functions::datetime::calendar::{MICROS_PER_DAY, MICROS_PER_SECOND};
use crate::functions::format::java_double_to_string;
use crate::functions::interval::day_time_unit;
use crate::types::{SESSION_TIME_ZONE, SparkType, YearMonthField};

fn months_unit(field: YearMonthField) -> i64 {
    match field {
        YearMonthField::Year => 12,
        YearMonthField::Month => 1,
    }
}

fn timestamps(values: PrimitiveArray<TimestampMicrosecondType>, to: &SparkType) -> ArrayRef {
    match to {
        SparkType::Timestamp => Arc::new(values.with_timezone(SESSION_TIME_ZONE)),
        _ => Arc::new(values.with_timezone_opt(None::<String>)),
    }
}

/// Casts that involve a date, timestamp or interval (and no string).
pub(super) fn cast_temporal(
    array: &ArrayRef,
    from: &SparkType,
    to: &SparkType,
    mode: CastMode,
) -> Result<ArrayRef> {
    use SparkType as T;
    match (from, to) {
        (T::Date, T::Timestamp | T::TimestampNtz) => {
            let days = prim::<Date32Type>(array.as_ref())?;
            Ok(timestamps(
                days.unary(|d| i64::from(d) * MICROS_PER_DAY),
                to,
            ))
        }
        (T::Timestamp | T::TimestampNtz, T::Date) => {
            let ts = prim::<TimestampMicrosecondType>(array.as_ref())?;
            let days: PrimitiveArray<Date32Type> =
                ts.unary(|t| t.div_euclid(MICROS_PER_DAY) as i32);
            Ok(Arc::new(days))
        }
        (T::Timestamp | T::TimestampNtz, T::Timestamp | T::TimestampNtz) => Ok(timestamps(
            prim::<TimestampMicrosecondType>(array.as_ref())?.clone(),
            to,
        )),
        (T::Timestamp, t) if t.is_numeric() => {
            let ts = prim::<TimestampMicrosecondType>(array.as_ref())?;
            if t.is_integral() {
                let seconds: ArrayRef =
                    Arc::new(ts.unary::<_, Int64Type>(|m| m.div_euclid(MICROS_PER_SECOND)));
                cast_numeric(&seconds, &T::Long, to, mode)
            } else {
                let seconds: ArrayRef =
                    Arc::new(ts.unary::<_, Float64Type>(|m| m as f64 / MICROS_PER_SECOND as f64));
                cast_numeric(&seconds, &T::Double, to, mode)
            }
        }
        (t, T::Timestamp) if t.is_numeric() => numeric_to_timestamp(array, from, mode),
        (T::DayTimeInterval(..), T::DayTimeInterval(_, end)) => {
            let unit = day_time_unit(*end);
            let v = prim::<DurationMicrosecondType>(array.as_ref())?;
            Ok(Arc::new(
                v.unary::<_, DurationMicrosecondType>(|m| m - m % unit),
            ))
        }
        (T::YearMonthInterval(..), T::YearMonthInterval(_, end)) => {
            let unit = months_unit(*end) as i32;
            let v = prim::<IntervalYearMonthType>(array.as_ref())?;
            Ok(Arc::new(
                v.unary::<_, IntervalYearMonthType>(|m| m - m % unit),
            ))
        }
        (T::DayTimeInterval(s, _), t) if t.is_integral() => {
            let unit = day_time_unit(*s);
            let v = prim::<DurationMicrosecondType>(array.as_ref())?;
            let counts: ArrayRef = Arc::new(v.unary::<_, Int64Type>(|m| m / unit));
            cast_numeric(&counts, &T::Long, to, mode)
        }
        (T::YearMonthInterval(s, _), t) if t.is_integral() => {
            let unit = months_unit(*s);
            let v = prim::<IntervalYearMonthType>(array.as_ref())?;
            let counts: ArrayRef = Arc::new(v.unary::<_, Int64Type>(|m| i64::from(m) / unit));
            cast_numeric(&counts, &T::Long, to, mode)
        }
        (t, T::DayTimeInterval(s, _)) if t.is_integral() => {
            let unit = day_time_unit(*s);
            let longs = cast(array, from, &T::Long, mode)?;
            let longs = prim::<Int64Type>(longs.as_ref())?;
            let out: PrimitiveArray<DurationMicrosecondType> = match mode {
                CastMode::Try => longs.unary_opt(|v| v.checked_mul(unit)),
                CastMode::Ansi => longs.try_unary(|v| {
                    v.checked_mul(unit)
                        .ok_or_else(|| cast_overflow(&v.to_string(), from, to))
                })?,
            };
            Ok(Arc::new(out))
        }
        (t, T::YearMonthInterval(s, _)) if t.is_integral() => {
            let unit = months_unit(*s);
            let longs = cast(array, from, &T::Long, mode)?;
            let longs = prim::<Int64Type>(longs.as_ref())?;
            let months = |v: i64| v.checked_mul(unit).and_then(|m| i32::try_from(m).ok());
            let out: PrimitiveArray<IntervalYearMonthType> = match mode {
                CastMode::Try => longs.unary_opt(months),
                CastMode::Ansi => longs.try_unary(|v| {
                    months(v).ok_or_else(|| cast_overflow(&v.to_string(), from, to))
                })?,
            };
            Ok(Arc::new(out))
        }
        _ => Err(cast_not_allowed(from, to)),
    }
}

/// Seconds since the epoch (integral, fractional or decimal) to a timestamp.
fn numeric_to_timestamp(array: &ArrayRef, from: &SparkType, mode: CastMode) -> Result<ArrayRef> {
    let to = SparkType::Timestamp;
    let out: PrimitiveArray<TimestampMicrosecondType> = match from {
        SparkType::Decimal(_, s) => {
            let v = prim::<Decimal128Type>(array.as_ref())?;
            let micros = |d: i128| {
                crate::functions::decimal::rescale(d, *s, 6).and_then(|m| i64::try_from(m).ok())
            };
            match mode {
                CastMode::Try => v.unary_opt(micros),
                CastMode::Ansi => v.try_unary(|d| {
                    micros(d).ok_or_else(|| cast_overflow(&d.to_string(), from, &to))
                })?,
            }
        }
        t if t.is_integral() => {
            let longs = cast(array, from, &SparkType::Long, mode)?;
            let longs = prim::<Int64Type>(longs.as_ref())?;
            match mode {
                CastMode::Try => longs.unary_opt(|v| v.checked_mul(MICROS_PER_SECOND)),
                CastMode::Ansi => longs.try_unary(|v| {
                    v.checked_mul(MICROS_PER_SECOND)
                        .ok_or_else(|| cast_overflow(&v.to_string(), from, &to))
                })?,
            }
        }
        _ => {
            let doubles = cast(array, from, &SparkType::Double, mode)?;
            let doubles = prim::<Float64Type>(doubles.as_ref())?;
            let micros = |d: f64| {
                let m = (d * MICROS_PER_SECOND as f64).trunc();
                (-I64_LIMIT_F64..I64_LIMIT_F64)
                    .contains(&m)
                    .then_some(m as i64)
            };
            match mode {
                CastMode::Try => doubles.unary_opt(micros),
                CastMode::Ansi => doubles.try_unary(|d| {
                    micros(d).ok_or_else(|| {
                        cast_overflow(&format!("{}D", java_double_to_string(d)), from, &to)
                    })
                })?,
            }
        }
    };
    Ok(timestamps(out, &to))
}
