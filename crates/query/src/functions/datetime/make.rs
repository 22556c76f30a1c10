//! Constructors of dates, timestamps and intervals from their parts: `make_date`,
//! `make_timestamp` (seconds as `decimal(16,6)`, 60 meaning the next minute),
//! `make_interval`, `make_dt_interval`, `make_ym_interval`.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Date32Array, DurationMicrosecondArray, IntervalMonthDayNanoArray,
    IntervalYearMonthArray, TimestampMicrosecondArray,
};
use arrow::datatypes::{Decimal128Type, Int32Type, IntervalMonthDayNano};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, prim, strings};
use crate::functions::datetime::calendar::{
    MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, checked_days_from_civil,
};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::{DayTimeField, SESSION_TIME_ZONE, SparkType, YearMonthField};

fn overflow() -> QueryError {
    QueryError::execution(
        ErrorClass::ArithmeticOverflow,
        "The interval is out of range.",
    )
}

fn out_of_bounds(what: &str) -> QueryError {
    QueryError::execution(
        ErrorClass::DatetimeFieldOutOfBoundsWithoutSuggestion,
        format!(
            "Invalid value for {what}. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error."
        ),
    )
}

fn resolve_make_date(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 3, 3)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Int])?,
        result: SparkType::Date,
    })
}

fn ints_at(args: &[ArrayRef], i: usize, count: usize) -> Result<Option<Vec<i64>>> {
    let mut values = Vec::with_capacity(count);
    for a in args.iter().take(count) {
        let a = prim::<Int32Type>(a.as_ref())?;
        if a.is_null(i) {
            return Ok(None);
        }
        values.push(i64::from(a.value(i)));
    }
    Ok(Some(values))
}

fn civil(y: i64, m: i64, d: i64) -> Result<i64> {
    let (m, d) = (
        u32::try_from(m).map_err(|_| out_of_bounds("MonthOfYear"))?,
        u32::try_from(d).map_err(|_| out_of_bounds("DayOfMonth"))?,
    );
    if !(1..=12).contains(&m) {
        return Err(out_of_bounds(&format!(
            "MonthOfYear (valid values 1 - 12): {m}"
        )));
    }
    checked_days_from_civil(y, m, d).ok_or_else(|| out_of_bounds(&format!("DayOfMonth: {d}")))
}

func!(
    MAKE_DATE,
    "make_date",
    resolve_make_date,
    |args, rows, _: &EvalContext| {
        let out: Date32Array = (0..rows)
            .map(|i| {
                ints_at(args, i, 3)?
                    .map(|v| civil(v[0], v[1], v[2]).map(|d| d as i32))
                    .transpose()
            })
            .collect::<Result<_>>()?;
        Ok(Arc::new(out) as ArrayRef)
    }
);

fn resolve_make_timestamp(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 6, 7)?;
    let mut types = coerce_args(name, &args[..5], &[Want::Int])?;
    types.push(SparkType::Decimal(16, 6));
    if args.len() == 7 {
        types.push(SparkType::String);
    }
    if !matches!(args[5].data_type, SparkType::Null | SparkType::String)
        && !args[5].data_type.is_numeric()
    {
        return Err(crate::functions::common::unexpected_type(
            name,
            5,
            "\"DECIMAL(16,6)\"",
            &args[5].data_type,
        ));
    }
    Ok(Signature {
        args: types,
        result: SparkType::Timestamp,
    })
}

fn invoke_make_timestamp(args: &[ArrayRef], rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let secs = prim::<Decimal128Type>(arg(args, 5)?.as_ref())?;
    let zones = args.get(6).map(|z| strings(z.as_ref())).transpose()?;
    let mut out = Vec::with_capacity(rows);
    for i in 0..rows {
        let (Some(v), true) = (ints_at(args, i, 5)?, secs.is_valid(i)) else {
            out.push(None);
            continue;
        };
        if let Some(z) = zones.filter(|z| z.is_valid(i)) {
            let zone = z.value(i);
            if crate::functions::datetime::calendar::parse_timestamp(&format!(
                "1970-01-01 00:00:00 {zone}"
            )) != Some(0)
            {
                return Err(QueryError::Unsupported {
                    message: format!(
                        "time zone '{zone}' in make_timestamp (the session zone is UTC)"
                    ),
                    span: None,
                });
            }
        }
        let micros_of_minute =
            i64::try_from(secs.value(i)).map_err(|_| out_of_bounds("SecondOfMinute"))?;
        // Spark accepts 60 seconds (exactly) as the next minute.
        if !(0..=60 * MICROS_PER_SECOND).contains(&micros_of_minute)
            || (micros_of_minute > 59_999_999 && micros_of_minute != 60 * MICROS_PER_SECOND)
        {
            return Err(out_of_bounds(&format!(
                "SecondOfMinute: {}",
                crate::functions::decimal::decimal_to_string(secs.value(i), 6)
            )));
        }
        if !(0..24).contains(&v[3]) || !(0..60).contains(&v[4]) {
            return Err(out_of_bounds(&format!(
                "HourOfDay/MinuteOfHour: {}:{}",
                v[3], v[4]
            )));
        }
        let days = civil(v[0], v[1], v[2])?;
        out.push(Some(
            days * MICROS_PER_DAY
                + v[3] * MICROS_PER_HOUR
                + v[4] * MICROS_PER_MINUTE
                + micros_of_minute,
        ));
    }
    Ok(Arc::new(
        TimestampMicrosecondArray::from(out).with_timezone(SESSION_TIME_ZONE),
    ))
}

func!(
    MAKE_TIMESTAMP,
    "make_timestamp",
    resolve_make_timestamp,
    invoke_make_timestamp
);
func!(
    TRY_MAKE_TIMESTAMP,
    "try_make_timestamp",
    resolve_make_timestamp,
    |args, rows, ctx: &EvalContext| {
        let result = SparkType::Timestamp.to_arrow();
        crate::functions::common::null_on_failure(args, rows, &result, |a, n| {
            invoke_make_timestamp(a, n, ctx)
        })
    }
);

fn resolve_make_interval(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 0, 7)?;
    let mut types = coerce_args(name, &args[..args.len().min(6)], &[Want::Int])?;
    if args.len() == 7 {
        types.push(SparkType::Decimal(18, 6));
    }
    Ok(Signature {
        args: types,
        result: SparkType::CalendarInterval,
    })
}

fn seconds_micros(args: &[ArrayRef], index: usize, row: usize) -> Result<Option<i64>> {
    match args.get(index) {
        None => Ok(Some(0)),
        Some(a) => {
            let d = prim::<Decimal128Type>(a.as_ref())?;
            if d.is_null(row) {
                return Ok(None);
            }
            let scale = u32::try_from(d.scale()).unwrap_or(0);
            let micros = crate::functions::decimal::rescale(d.value(row), scale as i8, 6)
                .and_then(|m| i64::try_from(m).ok());
            micros.map(Some).ok_or_else(overflow)
        }
    }
}

/// `make_interval(years, months, weeks, days, hours, mins, secs)`, missing trailing
/// arguments counting as 0.
fn invoke_make_interval(args: &[ArrayRef], rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let ints = args.len().min(6);
    let mut out = Vec::with_capacity(rows);
    for i in 0..rows {
        let (Some(mut v), Some(secs)) = (ints_at(args, i, ints)?, seconds_micros(args, 6, i)?)
        else {
            out.push(None);
            continue;
        };
        v.resize(6, 0);
        let months = i32::try_from(v[0] * 12 + v[1]).map_err(|_| overflow())?;
        let days = i32::try_from(v[2] * 7 + v[3]).map_err(|_| overflow())?;
        let micros = v[4] * MICROS_PER_HOUR + v[5] * MICROS_PER_MINUTE + secs;
        out.push(Some(IntervalMonthDayNano::new(
            months,
            days,
            micros.checked_mul(1000).ok_or_else(overflow)?,
        )));
    }
    Ok(Arc::new(IntervalMonthDayNanoArray::from(out)))
}

func!(
    MAKE_INTERVAL,
    "make_interval",
    resolve_make_interval,
    invoke_make_interval
);

fn resolve_make_dt_interval(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 0, 4)?;
    let mut types = coerce_args(name, &args[..args.len().min(3)], &[Want::Int])?;
    if args.len() == 4 {
        types.push(SparkType::Decimal(18, 6));
    }
    Ok(Signature {
        args: types,
        result: SparkType::DayTimeInterval(DayTimeField::Day, DayTimeField::Second),
    })
}

func!(
    MAKE_DT_INTERVAL,
    "make_dt_interval",
    resolve_make_dt_interval,
    |args, rows, _: &EvalContext| {
        let ints = args.len().min(3);
        let out: DurationMicrosecondArray = (0..rows)
            .map(|i| {
                let (Some(mut v), Some(secs)) =
                    (ints_at(args, i, ints)?, seconds_micros(args, 3, i)?)
                else {
                    return Ok(None);
                };
                v.resize(3, 0);
                let total = v[0].checked_mul(MICROS_PER_DAY).and_then(|d| {
                    d.checked_add(v[1] * MICROS_PER_HOUR + v[2] * MICROS_PER_MINUTE + secs)
                });
                total.map(Some).ok_or_else(overflow)
            })
            .collect::<Result<_>>()?;
        Ok(Arc::new(out) as ArrayRef)
    }
);

fn resolve_make_ym_interval(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 0, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Int])?,
        result: SparkType::YearMonthInterval(YearMonthField::Year, YearMonthField::Month),
    })
}

func!(
    MAKE_YM_INTERVAL,
    "make_ym_interval",
    resolve_make_ym_interval,
    |args, rows, _: &EvalContext| {
        let out: IntervalYearMonthArray = (0..rows)
            .map(|i| {
                let Some(mut v) = ints_at(args, i, args.len())? else {
                    return Ok(None);
                };
                v.resize(2, 0);
                i32::try_from(v[0] * 12 + v[1])
                    .map(Some)
                    .map_err(|_| overflow())
            })
            .collect::<Result<_>>()?;
        Ok(Arc::new(out) as ArrayRef)
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_civil_bounds() {
        assert!(civil(2023, 2, 28).is_ok());
        assert_eq!(
            civil(2023, 2, 29).unwrap_err().error_class(),
            ErrorClass::DatetimeFieldOutOfBoundsWithoutSuggestion
        );
        assert_eq!(
            civil(2023, 13, 1).unwrap_err().error_class(),
            ErrorClass::DatetimeFieldOutOfBoundsWithoutSuggestion
        );
        assert_eq!(
            civil(2024, 2, 29).unwrap(),
            checked_days_from_civil(2024, 2, 29).unwrap()
        );
    }
}
