//! Casts from `string`: numbers, booleans, dates, timestamps, intervals and binary, with the
//! string forms Spark accepts (surrounding whitespace is ignored).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, ArrowPrimitiveType, BinaryArray, BooleanBuilder, PrimitiveArray,
    PrimitiveBuilder, StringArray,
};
use arrow::datatypes::{
    Date32Type, Decimal128Type, DurationMicrosecondType, Float32Type, Float64Type, Int8Type,
    Int16Type, Int32Type, Int64Type, IntervalYearMonthType, TimestampMicrosecondType,
};

use super::{CastMode, decimal_out_of_range, invalid_input};
use crate::error::{QueryError, Result};
use crate::functions::common::strings;
use crate::functions::datetime::calendar::{parse_date, parse_timestamp, trim_cast_input};
use crate::functions::decimal::{Fit, parse_decimal_text};
use crate::functions::interval::{parse_day_time_text, parse_year_month_text};
use crate::types::{SESSION_TIME_ZONE, SparkType};

/// Parse every valid string with `parse`; a `None` is `error(text)` in ANSI mode, NULL in try
/// mode.
fn parse_strings<O: ArrowPrimitiveType>(
    input: &StringArray,
    mode: CastMode,
    parse: impl Fn(&str) -> Option<O::Native>,
    error: impl Fn(&str) -> QueryError,
) -> Result<PrimitiveArray<O>> {
    let mut out = PrimitiveBuilder::<O>::with_capacity(input.len());
    for value in input.iter() {
        match value {
            None => out.append_null(),
            Some(text) => match parse(text) {
                Some(v) => out.append_value(v),
                None if mode == CastMode::Try => out.append_null(),
                None => return Err(error(text)),
            },
        }
    }
    Ok(out.finish())
}

/// Spark's integral parsing in ANSI mode: optional sign and digits only (`'123.9'` and
/// `'1e3'` are malformed).
pub(crate) fn parse_integral(text: &str) -> Option<i64> {
    let t = trim_cast_input(text);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.strip_prefix('+').unwrap_or(t).parse().ok()
}

/// Java's `Double.parseDouble` syntax plus Spark's special literals (`inf`, `-infinity`,
/// `nan`, any case); an `f`/`d` suffix is allowed as in Java.
pub(crate) fn float_text(text: &str) -> Option<&str> {
    let t = trim_cast_input(text);
    let body = t
        .strip_suffix(['d', 'D', 'f', 'F'])
        .filter(|b| b.ends_with(|c: char| c.is_ascii_digit() || c == '.'));
    let body = body.unwrap_or(t);
    let unsigned = body.strip_prefix(['+', '-']).unwrap_or(body);
    let special = ["inf", "infinity", "nan"]
        .iter()
        .any(|s| unsigned.eq_ignore_ascii_case(s));
    let numeric = !unsigned.is_empty()
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && unsigned
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'.');
    (special || numeric).then_some(body)
}

/// Parse a double the way `CAST(s AS DOUBLE)` does.
pub(crate) fn parse_f64(text: &str) -> Option<f64> {
    float_text(text)?.parse().ok()
}

fn parse_bool(text: &str) -> Option<bool> {
    let t = trim_cast_input(text).to_ascii_lowercase();
    match t.as_str() {
        "t" | "true" | "y" | "yes" | "1" => Some(true),
        "f" | "false" | "n" | "no" | "0" => Some(false),
        _ => None,
    }
}

fn integral<O: ArrowPrimitiveType>(
    input: &StringArray,
    to: &SparkType,
    mode: CastMode,
) -> Result<ArrayRef>
where
    O::Native: TryFrom<i64>,
{
    let out: PrimitiveArray<O> = parse_strings(
        input,
        mode,
        |s| parse_integral(s).and_then(|v| O::Native::try_from(v).ok()),
        |s| invalid_input(s, &SparkType::String, to),
    )?;
    Ok(Arc::new(out))
}

/// Cast a string array to `to`.
pub(super) fn cast_from_string(
    array: &ArrayRef,
    to: &SparkType,
    mode: CastMode,
) -> Result<ArrayRef> {
    let input = strings(array.as_ref())?;
    let bad = |s: &str| invalid_input(s, &SparkType::String, to);
    Ok(match to {
        SparkType::Boolean => {
            let mut out = BooleanBuilder::with_capacity(input.len());
            for value in input.iter() {
                match value.map(|s| (s, parse_bool(s))) {
                    None => out.append_null(),
                    Some((_, Some(b))) => out.append_value(b),
                    Some((_, None)) if mode == CastMode::Try => out.append_null(),
                    Some((s, None)) => return Err(bad(s)),
                }
            }
            Arc::new(out.finish())
        }
        SparkType::Byte => integral::<Int8Type>(input, to, mode)?,
        SparkType::Short => integral::<Int16Type>(input, to, mode)?,
        SparkType::Int => integral::<Int32Type>(input, to, mode)?,
        SparkType::Long => integral::<Int64Type>(input, to, mode)?,
        SparkType::Double => Arc::new(parse_strings::<Float64Type>(input, mode, parse_f64, bad)?),
        SparkType::Float => Arc::new(parse_strings::<Float32Type>(
            input,
            mode,
            |s| float_text(s)?.parse().ok(),
            bad,
        )?),
        SparkType::Decimal(p, s) => {
            let (p, s) = (*p, *s);
            let out = parse_strings::<Decimal128Type>(
                input,
                mode,
                |text| match parse_decimal_text(trim_cast_input(text))?.fit(p, s) {
                    Fit::Value(v) => Some(v),
                    Fit::Overflow => None,
                },
                |text| match parse_decimal_text(trim_cast_input(text)) {
                    Some(_) => decimal_out_of_range(trim_cast_input(text), p, s),
                    None => bad(text),
                },
            )?;
            Arc::new(out.with_precision_and_scale(p, s)?)
        }
        SparkType::Date => Arc::new(parse_strings::<Date32Type>(input, mode, parse_date, bad)?),
        SparkType::Timestamp => Arc::new(
            parse_strings::<TimestampMicrosecondType>(input, mode, parse_timestamp, bad)?
                .with_timezone(SESSION_TIME_ZONE),
        ),
        SparkType::TimestampNtz => Arc::new(parse_strings::<TimestampMicrosecondType>(
            input,
            mode,
            parse_timestamp,
            bad,
        )?),
        SparkType::DayTimeInterval(start, end) => {
            Arc::new(parse_strings::<DurationMicrosecondType>(
                input,
                mode,
                |s| parse_day_time_text(s, *start, *end),
                bad,
            )?)
        }
        SparkType::YearMonthInterval(start, end) => {
            Arc::new(parse_strings::<IntervalYearMonthType>(
                input,
                mode,
                |s| parse_year_month_text(s, *start, *end),
                bad,
            )?)
        }
        SparkType::Binary => Arc::new(
            input
                .iter()
                .map(|v| v.map(str::as_bytes))
                .collect::<BinaryArray>(),
        ),
        _ => return Err(super::cast_not_allowed(&SparkType::String, to)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_integral_ansi() {
        assert_eq!(parse_integral(" 42 "), Some(42));
        assert_eq!(parse_integral("+7"), Some(7));
        assert_eq!(parse_integral("-7"), Some(-7));
        assert_eq!(parse_integral("123.9"), None);
        assert_eq!(parse_integral("1e3"), None);
        assert_eq!(parse_integral("abc"), None);
        assert_eq!(parse_integral("-"), None);
        assert_eq!(parse_integral("99999999999999999999"), None);
    }

    #[test]
    fn test_parse_f64_java_syntax() {
        assert_eq!(parse_f64("1.5d"), Some(1.5));
        assert_eq!(parse_f64(" -2e3 "), Some(-2000.0));
        assert_eq!(parse_f64(".5"), Some(0.5));
        assert!(parse_f64("NaN").unwrap().is_nan());
        assert_eq!(parse_f64("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64("inf"), Some(f64::INFINITY));
        assert_eq!(parse_f64("x"), None);
        assert_eq!(parse_f64("1.2.3"), None);
        assert_eq!(parse_f64("d"), None);
    }

    #[test]
    fn test_parse_bool_forms() {
        assert_eq!(parse_bool(" t "), Some(true));
        assert_eq!(parse_bool("YES"), Some(true));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
