//! Casts from `string`: numbers, booleans, dates, timestamps, intervals and binary, with the
//! string forms Spark accepts (surrounding whitespace is ignored).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, ArrowPrimitiveType, BinaryBuilder, BooleanBuilder, PrimitiveBuilder,
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
use crate::types::{DayTimeField, SESSION_TIME_ZONE, SparkType, YearMonthField};

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
    // Byte tests: the marks are ASCII, so cutting one off stays on a char boundary (and char
    // patterns cost a tenth of reading a CSV file's float columns).
    let body = match t.as_bytes() {
        [.., before, b'd' | b'D' | b'f' | b'F'] if before.is_ascii_digit() || *before == b'.' => {
            &t[..t.len() - 1]
        }
        _ => t,
    };
    let unsigned = match body.as_bytes() {
        [b'+' | b'-', ..] => &body[1..],
        _ => body,
    };
    let numeric = unsigned
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'.')
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    // The special words are rare: only looked for when the text is no number.
    let special = || {
        ["inf", "infinity", "nan"]
            .iter()
            .any(|s| unsigned.eq_ignore_ascii_case(s))
    };
    (numeric || special()).then_some(body)
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

/// A column of Spark type `to` built from strings one at a time, by the rules of
/// `CAST(string AS to)`: what [`super::cast`] does to a whole string array, for readers that
/// hold each value as text only briefly (Auto Loader's CSV fields).
///
/// # Examples
/// ```
/// use arrow::array::{Array, AsArray};
/// use arrow::datatypes::Int32Type;
/// use query::functions::cast::StringCastBuilder;
/// use query::types::SparkType;
/// let mut ints = StringCastBuilder::new(&SparkType::Int, 3).unwrap();
/// assert!(ints.append(" 12 "));
/// assert!(!ints.append("3000000000")); // overflow: NULL
/// ints.append_null();
/// let out = ints.finish().unwrap();
/// assert_eq!(out.as_primitive::<Int32Type>().iter().collect::<Vec<_>>(), [Some(12), None, None]);
/// assert!(StringCastBuilder::new(&SparkType::String, 0).is_none());
/// ```
pub struct StringCastBuilder {
    to: SparkType,
    out: Typed,
}

/// The builder of each target's Arrow storage.
enum Typed {
    Boolean(BooleanBuilder),
    Byte(PrimitiveBuilder<Int8Type>),
    Short(PrimitiveBuilder<Int16Type>),
    Int(PrimitiveBuilder<Int32Type>),
    Long(PrimitiveBuilder<Int64Type>),
    Float(PrimitiveBuilder<Float32Type>),
    Double(PrimitiveBuilder<Float64Type>),
    Decimal(PrimitiveBuilder<Decimal128Type>, u8, i8),
    Date(PrimitiveBuilder<Date32Type>),
    Timestamp(PrimitiveBuilder<TimestampMicrosecondType>),
    DayTime(
        PrimitiveBuilder<DurationMicrosecondType>,
        DayTimeField,
        DayTimeField,
    ),
    YearMonth(
        PrimitiveBuilder<IntervalYearMonthType>,
        YearMonthField,
        YearMonthField,
    ),
    Binary(BinaryBuilder),
}

/// Append `parsed` to `out`, or NULL when it is `None`; whether a value was appended.
fn push<O: ArrowPrimitiveType>(out: &mut PrimitiveBuilder<O>, parsed: Option<O::Native>) -> bool {
    out.append_option(parsed);
    parsed.is_some()
}

fn integral<N: TryFrom<i64>>(text: &str) -> Option<N> {
    parse_integral(text).and_then(|v| N::try_from(v).ok())
}

impl StringCastBuilder {
    /// A builder for `to` with room for `capacity` values; `None` when strings are not cast
    /// to `to` value by value (`string` itself, nested types, `void`).
    pub fn new(to: &SparkType, capacity: usize) -> Option<StringCastBuilder> {
        use SparkType as T;
        fn p<O: ArrowPrimitiveType>(capacity: usize) -> PrimitiveBuilder<O> {
            PrimitiveBuilder::with_capacity(capacity)
        }
        let out = match to {
            T::Boolean => Typed::Boolean(BooleanBuilder::with_capacity(capacity)),
            T::Byte => Typed::Byte(p(capacity)),
            T::Short => Typed::Short(p(capacity)),
            T::Int => Typed::Int(p(capacity)),
            T::Long => Typed::Long(p(capacity)),
            T::Float => Typed::Float(p(capacity)),
            T::Double => Typed::Double(p(capacity)),
            T::Decimal(precision, scale) => Typed::Decimal(p(capacity), *precision, *scale),
            T::Date => Typed::Date(p(capacity)),
            T::Timestamp | T::TimestampNtz => Typed::Timestamp(p(capacity)),
            T::DayTimeInterval(start, end) => Typed::DayTime(p(capacity), *start, *end),
            T::YearMonthInterval(start, end) => Typed::YearMonth(p(capacity), *start, *end),
            T::Binary => Typed::Binary(BinaryBuilder::with_capacity(capacity, 0)),
            _ => return None,
        };
        Some(StringCastBuilder {
            to: to.clone(),
            out,
        })
    }

    /// Append a NULL.
    pub fn append_null(&mut self) {
        match &mut self.out {
            Typed::Boolean(b) => b.append_null(),
            Typed::Byte(b) => b.append_null(),
            Typed::Short(b) => b.append_null(),
            Typed::Int(b) => b.append_null(),
            Typed::Long(b) => b.append_null(),
            Typed::Float(b) => b.append_null(),
            Typed::Double(b) => b.append_null(),
            Typed::Decimal(b, ..) => b.append_null(),
            Typed::Date(b) => b.append_null(),
            Typed::Timestamp(b) => b.append_null(),
            Typed::DayTime(b, ..) => b.append_null(),
            Typed::YearMonth(b, ..) => b.append_null(),
            Typed::Binary(b) => b.append_null(),
        }
    }

    /// Append `text` converted, or NULL when it does not convert (`try_cast`); whether it
    /// converted.
    pub fn append(&mut self, text: &str) -> bool {
        match &mut self.out {
            Typed::Boolean(b) => {
                let parsed = parse_bool(text);
                b.append_option(parsed);
                parsed.is_some()
            }
            Typed::Byte(b) => push(b, integral(text)),
            Typed::Short(b) => push(b, integral(text)),
            Typed::Int(b) => push(b, integral(text)),
            Typed::Long(b) => push(b, parse_integral(text)),
            Typed::Float(b) => push(b, float_text(text).and_then(|t| t.parse().ok())),
            Typed::Double(b) => push(b, parse_f64(text)),
            Typed::Decimal(b, precision, scale) => {
                let fitted = match parse_decimal_text(trim_cast_input(text))
                    .map(|d| d.fit(*precision, *scale))
                {
                    Some(Fit::Value(v)) => Some(v),
                    Some(Fit::Overflow) | None => None,
                };
                push(b, fitted)
            }
            Typed::Date(b) => push(b, parse_date(text)),
            Typed::Timestamp(b) => push(b, parse_timestamp(text)),
            Typed::DayTime(b, start, end) => push(b, parse_day_time_text(text, *start, *end)),
            Typed::YearMonth(b, start, end) => push(b, parse_year_month_text(text, *start, *end)),
            Typed::Binary(b) => {
                b.append_value(text);
                true
            }
        }
    }

    /// ANSI mode's error for `text`, which [`StringCastBuilder::append`] refused.
    fn error(&self, text: &str) -> QueryError {
        if let Typed::Decimal(_, precision, scale) = self.out
            && parse_decimal_text(trim_cast_input(text)).is_some()
        {
            return decimal_out_of_range(trim_cast_input(text), precision, scale);
        }
        invalid_input(text, &SparkType::String, &self.to)
    }

    /// The finished column.
    ///
    /// # Errors
    /// Only an internal one: a decimal type Arrow does not accept.
    pub fn finish(self) -> Result<ArrayRef> {
        Ok(match self.out {
            Typed::Boolean(mut b) => Arc::new(b.finish()),
            Typed::Byte(mut b) => Arc::new(b.finish()),
            Typed::Short(mut b) => Arc::new(b.finish()),
            Typed::Int(mut b) => Arc::new(b.finish()),
            Typed::Long(mut b) => Arc::new(b.finish()),
            Typed::Float(mut b) => Arc::new(b.finish()),
            Typed::Double(mut b) => Arc::new(b.finish()),
            Typed::Decimal(mut b, precision, scale) => {
                Arc::new(b.finish().with_precision_and_scale(precision, scale)?)
            }
            Typed::Date(mut b) => Arc::new(b.finish()),
            Typed::Timestamp(mut b) if self.to == SparkType::Timestamp => {
                Arc::new(b.finish().with_timezone(SESSION_TIME_ZONE))
            }
            Typed::Timestamp(mut b) => Arc::new(b.finish()),
            Typed::DayTime(mut b, ..) => Arc::new(b.finish()),
            Typed::YearMonth(mut b, ..) => Arc::new(b.finish()),
            Typed::Binary(mut b) => Arc::new(b.finish()),
        })
    }
}

/// Cast a string array to `to`.
pub(super) fn cast_from_string(
    array: &ArrayRef,
    to: &SparkType,
    mode: CastMode,
) -> Result<ArrayRef> {
    let input = strings(array.as_ref())?;
    let Some(mut out) = StringCastBuilder::new(to, input.len()) else {
        return Err(super::cast_not_allowed(&SparkType::String, to));
    };
    for value in input.iter() {
        match value {
            None => out.append_null(),
            Some(text) => {
                if !out.append(text) && mode == CastMode::Ansi {
                    return Err(out.error(text));
                }
            }
        }
    }
    out.finish()
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
