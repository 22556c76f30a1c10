//! Truncation and bucketing: `date_trunc` (weeks start on Monday; an unknown unit gives
//! NULL; a date becomes a timestamp), `trunc` (dates; `year`, `quarter`, `month`, `week`
//! only), `window` (epoch-aligned tumbling windows as `struct<start,end>`) and `date_bin`.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, PrimitiveArray, StructArray, TimestampMicrosecondArray};
use arrow::datatypes::{Date32Type, Field, TimestampMicrosecondType};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{
    Want, arg, check_arity, coerce_args, constant_str, func, prim, same_string, strings,
};
use crate::functions::datetime::calendar::{
    MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, civil_from_days,
    days_from_civil, split_micros, weekday,
};
use crate::functions::interval::parse_interval_literal;
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::{SESSION_TIME_ZONE, SparkType, StructField};

/// A truncation unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
}

/// `date_trunc` units (Spark's `TRUNC_TO_*` names).
fn timestamp_unit(name: &str) -> Option<Unit> {
    Some(match name.to_ascii_uppercase().as_str() {
        "YEAR" | "YYYY" | "YY" => Unit::Year,
        "QUARTER" => Unit::Quarter,
        "MONTH" | "MM" | "MON" => Unit::Month,
        "WEEK" => Unit::Week,
        "DAY" | "DD" => Unit::Day,
        "HOUR" => Unit::Hour,
        "MINUTE" => Unit::Minute,
        "SECOND" => Unit::Second,
        "MILLISECOND" => Unit::Millisecond,
        "MICROSECOND" => Unit::Microsecond,
        _ => return None,
    })
}

/// `trunc` units: a date truncates to year, quarter, month or week only.
fn date_unit(name: &str) -> Option<Unit> {
    timestamp_unit(name)
        .filter(|u| matches!(u, Unit::Year | Unit::Quarter | Unit::Month | Unit::Week))
}

fn trunc_days(days: i64, unit: Unit) -> i64 {
    let (year, month, _) = civil_from_days(days);
    match unit {
        Unit::Year => days_from_civil(year, 1, 1),
        Unit::Quarter => days_from_civil(year, (month - 1) / 3 * 3 + 1, 1),
        Unit::Month => days_from_civil(year, month, 1),
        Unit::Week => days - i64::from(weekday(days)),
        _ => days,
    }
}

/// Truncate microseconds since the epoch to `unit` (UTC).
fn trunc_micros(micros: i64, unit: Unit) -> i64 {
    let (days, _) = split_micros(micros);
    let floor = |step: i64| micros - micros.rem_euclid(step);
    match unit {
        Unit::Year | Unit::Quarter | Unit::Month | Unit::Week => {
            trunc_days(days, unit) * MICROS_PER_DAY
        }
        Unit::Day => floor(MICROS_PER_DAY),
        Unit::Hour => floor(MICROS_PER_HOUR),
        Unit::Minute => floor(MICROS_PER_MINUTE),
        Unit::Second => floor(MICROS_PER_SECOND),
        Unit::Millisecond => floor(1000),
        Unit::Microsecond => micros,
    }
}

fn resolve_date_trunc(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let t = coerce_args(name, &args[1..], &[Want::Timestamp])?.remove(0);
    Ok(Signature {
        args: vec![SparkType::String, t.clone()],
        result: t,
    })
}

/// Per-row unit names: the parsed unit of the last distinct name is reused.
fn units(names: &arrow::array::StringArray, parse: fn(&str) -> Option<Unit>) -> Vec<Option<Unit>> {
    let mut last: Option<(&str, Option<Unit>)> = None;
    (0..names.len())
        .map(|i| {
            if names.is_null(i) {
                return None;
            }
            let name = names.value(i);
            match last {
                Some((n, u)) if n == name => u,
                _ => {
                    let u = parse(name);
                    last = Some((name, u));
                    u
                }
            }
        })
        .collect()
}

fn invoke_date_trunc(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let names = strings(arg(args, 0)?.as_ref())?;
    let ts = arg(args, 1)?;
    let values = prim::<TimestampMicrosecondType>(ts.as_ref())?;
    if let Some(name) = same_string(names) {
        // A constant unit (the usual case): one vectorisable pass, or all NULL if unknown.
        let out: TimestampMicrosecondArray = match timestamp_unit(name) {
            Some(unit) => values.unary(|v| trunc_micros(v, unit)),
            None => TimestampMicrosecondArray::new_null(values.len()),
        };
        return Ok(Arc::new(out.with_data_type(ts.data_type().clone())));
    }
    let units = units(names, timestamp_unit);
    let out: TimestampMicrosecondArray = values
        .iter()
        .zip(units)
        .map(|(v, u)| Some(trunc_micros(v?, u?)))
        .collect();
    Ok(Arc::new(out.with_data_type(ts.data_type().clone())))
}

func!(
    DATE_TRUNC,
    "date_trunc",
    resolve_date_trunc,
    invoke_date_trunc
);

fn resolve_trunc(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let mut types = coerce_args(name, &args[..1], &[Want::Date])?;
    types.push(SparkType::String);
    Ok(Signature {
        args: types,
        result: SparkType::Date,
    })
}

fn invoke_trunc(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let dates = prim::<Date32Type>(arg(args, 0)?.as_ref())?;
    let units = units(strings(arg(args, 1)?.as_ref())?, date_unit);
    let out: PrimitiveArray<Date32Type> = dates
        .iter()
        .zip(units)
        .map(|(d, u)| Some(trunc_days(i64::from(d?), u?) as i32))
        .collect();
    Ok(Arc::new(out))
}

func!(TRUNC, "trunc", resolve_trunc, invoke_trunc);

/// A duration written as an interval string (`'1 hour'`, `'10 minutes'`, `'1 day'`), in
/// microseconds; months are not allowed in a window.
fn duration_micros(text: &str, what: &str) -> Result<i64> {
    let bad = || {
        QueryError::analysis(
            ErrorClass::DatatypeMismatchInvalidWindowDuration,
            format!(
                "The {what} '{text}' of `window` must be a positive day-time duration such as '1 hour'."
            ),
        )
    };
    let (t, value) = parse_interval_literal(text, None, None).map_err(|_| bad())?;
    let micros = match t {
        SparkType::DayTimeInterval(..) => value
            .as_any()
            .downcast_ref::<arrow::array::DurationMicrosecondArray>()
            .map(|a| a.value(0)),
        _ => None,
    }
    .ok_or_else(bad)?;
    if micros <= 0 { Err(bad()) } else { Ok(micros) }
}

/// The Spark type `window()` returns: `struct<start:timestamp,end:timestamp>`.
pub fn window_type() -> SparkType {
    let field = |name: &str| StructField {
        name: name.into(),
        data_type: SparkType::Timestamp,
        nullable: true,
    };
    SparkType::Struct(vec![field("start"), field("end")])
}

fn resolve_window(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 4)?;
    let texts: Vec<String> = (1..args.len())
        .map(|i| {
            constant_str(args, i).ok_or_else(|| {
                QueryError::analysis(
                    ErrorClass::DatatypeMismatchNonFoldableInput,
                    format!("Cannot resolve \"{name}\": the durations must be constant strings such as '1 hour'."),
                )
            })
        })
        .collect::<Result<_>>()?;
    let size = duration_micros(&texts[0], "window duration")?;
    if let Some(slide) = texts.get(1)
        && duration_micros(slide, "slide duration")? != size
    {
        return Err(QueryError::Unsupported {
            message:
                "sliding windows (a slide shorter than the window) give several rows per input; \
                      use a tumbling window(ts, duration) instead"
                    .into(),
            span: None,
        });
    }
    let mut types = coerce_args(name, &args[..1], &[Want::Timestamp])?;
    types.extend(std::iter::repeat_n(SparkType::String, args.len() - 1));
    Ok(Signature {
        args: types,
        result: window_type(),
    })
}

/// `window(ts, '1 hour'[, slide[, start]])`: `[start, end)` aligned to the epoch (plus the
/// start offset); a NULL timestamp gives a NULL window.
fn invoke_window(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let ts = prim::<TimestampMicrosecondType>(arg(args, 0)?.as_ref())?;
    let text = |i: usize| -> Result<Option<String>> {
        let Some(a) = args.get(i) else {
            return Ok(None);
        };
        let s = strings(a.as_ref())?;
        Ok((!s.is_empty() && s.is_valid(0)).then(|| s.value(0).to_string()))
    };
    let size = duration_micros(&text(1)?.unwrap_or_default(), "window duration")?;
    let offset = match text(3)? {
        Some(start) => {
            let (_, v) = parse_interval_literal(&start, None, None)?;
            v.as_any()
                .downcast_ref::<arrow::array::DurationMicrosecondArray>()
                .map_or(0, |a| a.value(0))
        }
        None => 0,
    };
    let starts: TimestampMicrosecondArray = ts
        .unary(|t| t - (t - offset).rem_euclid(size))
        .with_timezone(SESSION_TIME_ZONE);
    let ends: TimestampMicrosecondArray =
        starts.unary(|s| s + size).with_timezone(SESSION_TIME_ZONE);
    let field = |name: &str| Field::new(name, SparkType::Timestamp.to_arrow(), true);
    let fields = vec![field("start"), field("end")];
    Ok(Arc::new(StructArray::try_new(
        fields.into(),
        vec![Arc::new(starts) as ArrayRef, Arc::new(ends)],
        ts.nulls().cloned(),
    )?))
}

func!(WINDOW, "window", resolve_window, invoke_window);

fn resolve_date_bin(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 3)?;
    let stride = match &args[0].data_type {
        t @ SparkType::DayTimeInterval(..) => t.clone(),
        SparkType::String => SparkType::String,
        other => {
            return Err(crate::functions::common::unexpected_type(
                name,
                0,
                "\"INTERVAL DAY TO SECOND\"",
                other,
            ));
        }
    };
    let mut types = vec![stride];
    types.extend(coerce_args(name, &args[1..], &[Want::Timestamp])?);
    Ok(Signature {
        args: types,
        result: SparkType::Timestamp,
    })
}

/// `date_bin(stride, ts[, origin])`: the start of the `stride`-wide bin holding `ts`,
/// counting bins from `origin` (default: the epoch).
fn invoke_date_bin(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let stride = arg(args, 0)?;
    let strides: Vec<Option<i64>> = match stride
        .as_any()
        .downcast_ref::<arrow::array::DurationMicrosecondArray>()
    {
        Some(d) => d.iter().collect(),
        None => {
            let s = strings(stride.as_ref())?;
            (0..s.len())
                .map(|i| {
                    s.is_valid(i)
                        .then(|| duration_micros(s.value(i), "stride"))
                        .transpose()
                })
                .collect::<Result<_>>()?
        }
    };
    let ts = prim::<TimestampMicrosecondType>(arg(args, 1)?.as_ref())?;
    let origin = args
        .get(2)
        .map(|o| prim::<TimestampMicrosecondType>(o.as_ref()))
        .transpose()?;
    let out: TimestampMicrosecondArray = (0..num_rows)
        .map(|i| {
            let step = strides[i].filter(|s| *s > 0)?;
            let t = ts.is_valid(i).then(|| ts.value(i))?;
            let o = match origin {
                Some(o) => o.is_valid(i).then(|| o.value(i))?,
                None => 0,
            };
            Some(t - (t - o).rem_euclid(step))
        })
        .collect();
    Ok(Arc::new(out.with_timezone(SESSION_TIME_ZONE)))
}

func!(DATE_BIN, "date_bin", resolve_date_bin, invoke_date_bin);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::datetime::calendar::{format_timestamp, parse_timestamp};

    fn trunc(unit: &str, ts: &str) -> Option<String> {
        timestamp_unit(unit)
            .map(|u| format_timestamp(trunc_micros(parse_timestamp(ts).unwrap(), u)))
    }

    #[test]
    fn test_date_trunc_units() {
        assert_eq!(
            trunc("week", "2023-01-01 10:00:00").as_deref(),
            Some("2022-12-26 00:00:00")
        );
        assert_eq!(
            trunc("WEEK", "2023-01-08 23:59:59.999999").as_deref(),
            Some("2023-01-02 00:00:00")
        );
        assert_eq!(
            trunc("DD", "2023-03-05 12:00:00").as_deref(),
            Some("2023-03-05 00:00:00")
        );
        assert_eq!(
            trunc("quarter", "2023-05-17 12:00:00").as_deref(),
            Some("2023-04-01 00:00:00")
        );
        assert_eq!(
            trunc("hour", "1969-12-31 23:30:00").as_deref(),
            Some("1969-12-31 23:00:00")
        );
        assert_eq!(trunc("fortnight", "2023-02-17 10:00:00"), None);
    }

    #[test]
    fn test_trunc_date_units() {
        let d = days_from_civil(2023, 2, 17);
        assert_eq!(
            date_unit("MM").map(|u| trunc_days(d, u)),
            Some(days_from_civil(2023, 2, 1))
        );
        assert_eq!(
            date_unit("YEAR").map(|u| trunc_days(d, u)),
            Some(days_from_civil(2023, 1, 1))
        );
        assert_eq!(date_unit("Q"), None);
        assert_eq!(date_unit("day"), None);
    }

    #[test]
    fn test_window_duration() {
        assert_eq!(duration_micros("1 hour", "d").unwrap(), MICROS_PER_HOUR);
        assert_eq!(
            duration_micros("10 minutes", "d").unwrap(),
            10 * MICROS_PER_MINUTE
        );
        assert!(duration_micros("1 month", "d").is_err());
        assert!(duration_micros("soon", "d").is_err());
    }
}
