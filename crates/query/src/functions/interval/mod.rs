//! Interval literals (`INTERVAL '1 2:03:04' DAY TO SECOND`, `INTERVAL 10 MINUTES`,
//! `INTERVAL 1 DAY 2 HOURS`), interval strings, and their renderings.

pub mod format;

use std::sync::Arc;

use arrow::array::{
    ArrayRef, DurationMicrosecondArray, IntervalMonthDayNanoArray, IntervalYearMonthArray,
};
use arrow::datatypes::IntervalMonthDayNano;

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::datetime::calendar::{
    MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND,
};
use crate::types::{
    DayTimeField, IntervalField, SparkType, YearMonthField, interval_type, interval_unit,
};

/// Bounds of the non-leading fields of a day-time interval string.
const MAX_HOUR: i64 = 23;
const MAX_MINUTE: i64 = 59;

/// Microseconds in one unit of a day-time field.
pub fn day_time_unit(field: DayTimeField) -> i64 {
    match field {
        DayTimeField::Day => MICROS_PER_DAY,
        DayTimeField::Hour => MICROS_PER_HOUR,
        DayTimeField::Minute => MICROS_PER_MINUTE,
        DayTimeField::Second => MICROS_PER_SECOND,
    }
}

fn invalid_format(value: &str, expected: &str) -> QueryError {
    QueryError::analysis(
        ErrorClass::InvalidIntervalFormat,
        format!("Error parsing interval '{value}': expected the form {expected}."),
    )
}

/// Parse an interval literal into its Spark type and a one-row array.
///
/// `from`/`to` are the unit words after the value (`MINUTE`, `MINUTES`, `DAY`…`SECOND`);
/// without them `value` holds unit-value pairs (`1 day 2 hours`). Day-time units give
/// `interval <first> to <last>`, year-month units `interval year to month`; a mix of both
/// gives the legacy calendar `interval`.
///
/// # Errors
/// `INVALID_INTERVAL_FORMAT` when the value does not match the units.
///
/// # Examples
/// ```
/// use query::functions::interval::parse_interval_literal;
/// let (t, _) = parse_interval_literal("10", Some("MINUTES"), None).unwrap();
/// assert_eq!(t.to_string(), "interval minute");
/// let (t, _) = parse_interval_literal("1 2:03:04", Some("DAY"), Some("SECOND")).unwrap();
/// assert_eq!(t.to_string(), "interval day to second");
/// let (t, _) = parse_interval_literal("1 DAY 2 HOURS", None, None).unwrap();
/// assert_eq!(t.to_string(), "interval day to hour");
/// ```
pub fn parse_interval_literal(
    value: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(SparkType, ArrayRef)> {
    let Some(from) = from else {
        return parse_multi_unit(value);
    };
    // Units Spark folds into the ANSI types: weeks are days, sub-second units are seconds.
    let single = |unit: &str| -> Option<(SparkType, i64)> {
        let lower = unit.to_ascii_lowercase();
        let singular = lower.strip_suffix('s').unwrap_or(&lower);
        let day = SparkType::DayTimeInterval(DayTimeField::Day, DayTimeField::Day);
        let second = SparkType::DayTimeInterval(DayTimeField::Second, DayTimeField::Second);
        match singular {
            "week" => Some((day, 7)),
            "millisecond" => Some((second, 1000)),
            "microsecond" => Some((second, 1)),
            _ => None,
        }
    };
    if to.is_none()
        && let Some((t, micros_per)) = single(from)
    {
        let count = parse_signed_integer(value.trim())
            .ok_or_else(|| invalid_format(value, &format!("a whole number of {from}")))?;
        let micros = if micros_per == 7 {
            count * 7 * day_time_unit(DayTimeField::Day)
        } else {
            count * micros_per
        };
        return Ok((t, Arc::new(DurationMicrosecondArray::from(vec![micros]))));
    }
    let t = interval_type(from, to).ok_or_else(|| {
        QueryError::analysis(
            ErrorClass::InvalidIntervalFormat,
            format!(
                "`{from}{}` is not a valid interval unit",
                to.map(|t| format!(" TO {t}")).unwrap_or_default()
            ),
        )
    })?;
    match t {
        SparkType::DayTimeInterval(s, e) => {
            let micros = parse_day_time_text(value, s, e)
                .ok_or_else(|| invalid_format(value, &day_time_pattern(s, e)))?;
            Ok((t, Arc::new(DurationMicrosecondArray::from(vec![micros]))))
        }
        SparkType::YearMonthInterval(s, e) => {
            let months = parse_year_month_text(value, s, e)
                .ok_or_else(|| invalid_format(value, if s == e { "[+|-]n" } else { "[+|-]y-m" }))?;
            Ok((t, Arc::new(IntervalYearMonthArray::from(vec![months]))))
        }
        _ => Err(QueryError::Internal(
            "interval_type returned a non-interval".into(),
        )),
    }
}

fn parse_signed_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.strip_prefix('+').unwrap_or(text).parse().ok()
}

/// Seconds with an optional fraction of up to 9 digits (beyond microseconds is dropped).
fn parse_seconds(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let micros_text: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(6)
        .collect();
    let whole: i64 = whole.parse().ok()?;
    whole
        .checked_mul(1_000_000)?
        .checked_add(micros_text.parse::<i64>().ok()?)
}

fn day_time_pattern(start: DayTimeField, end: DayTimeField) -> String {
    let parts = ["d", "h", "m", "s.n"];
    let (s, e) = (start as usize, end as usize);
    let mut pattern = String::from("[+|-]");
    for (i, part) in parts.iter().enumerate().take(e + 1).skip(s) {
        if i > s {
            pattern.push(if i == 1 { ' ' } else { ':' });
        }
        pattern.push_str(part);
    }
    pattern
}

/// Strip an `INTERVAL '…' <units>` wrapper, returning the quoted body, if present.
fn unwrap_interval_text(text: &str) -> &str {
    let t = text.trim();
    if t.len() >= 8 && t[..8].eq_ignore_ascii_case("interval") {
        let rest = t[8..].trim_start();
        if let Some(body) = rest.strip_prefix('\'')
            && let Some(end) = body.find('\'')
        {
            return &body[..end];
        }
    }
    t.trim_matches('\'')
}

/// Parse the body of a day-time interval string for the fields `start..=end`, e.g.
/// `-1 02:03:04.5` for DAY TO SECOND or `10` for MINUTE. Returns microseconds.
///
/// # Examples
/// ```
/// use query::functions::interval::parse_day_time_text;
/// use query::types::DayTimeField::{Day, Minute, Second};
/// assert_eq!(parse_day_time_text("1 2:03:04", Day, Second), Some(93_784_000_000));
/// assert_eq!(parse_day_time_text("-10", Minute, Minute), Some(-600_000_000));
/// assert_eq!(parse_day_time_text("1 25:00:00", Day, Second), None);
/// ```
pub fn parse_day_time_text(text: &str, start: DayTimeField, end: DayTimeField) -> Option<i64> {
    let body = unwrap_interval_text(text);
    let (negative, body) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body.strip_prefix('+').unwrap_or(body)),
    };
    let mut pieces: Vec<&str> = Vec::new();
    let (first, rest) = if start == DayTimeField::Day && end > DayTimeField::Day {
        body.split_once(' ')?
    } else {
        (body, "")
    };
    pieces.push(first);
    if !rest.is_empty() {
        pieces.extend(rest.trim_start().split(':'));
    } else if start != DayTimeField::Day {
        pieces = first.split(':').collect();
    }
    let fields: Vec<DayTimeField> = [
        DayTimeField::Day,
        DayTimeField::Hour,
        DayTimeField::Minute,
        DayTimeField::Second,
    ]
    .into_iter()
    .filter(|f| *f >= start && *f <= end)
    .collect();
    if pieces.len() != fields.len() {
        return None;
    }
    let mut total: i64 = 0;
    for (i, (piece, field)) in pieces.iter().zip(&fields).enumerate() {
        let leading = i == 0;
        let micros = if *field == DayTimeField::Second {
            let s = parse_seconds(piece)?;
            (leading || s < 60 * 1_000_000).then_some(s)?
        } else {
            if piece.is_empty() || !piece.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let v: i64 = piece.parse().ok()?;
            let max = match field {
                DayTimeField::Hour => MAX_HOUR,
                DayTimeField::Minute => MAX_MINUTE,
                _ => i64::MAX,
            };
            if !leading && v > max {
                return None;
            }
            v.checked_mul(day_time_unit(*field))?
        };
        total = total.checked_add(micros)?;
    }
    Some(if negative { -total } else { total })
}

/// Parse the body of a year-month interval string (`1-2` for YEAR TO MONTH, `-3` for
/// YEAR or MONTH). Returns months.
///
/// # Examples
/// ```
/// use query::functions::interval::parse_year_month_text;
/// use query::types::YearMonthField::{Month, Year};
/// assert_eq!(parse_year_month_text("1-2", Year, Month), Some(14));
/// assert_eq!(parse_year_month_text("-3", Year, Year), Some(-36));
/// ```
pub fn parse_year_month_text(
    text: &str,
    start: YearMonthField,
    end: YearMonthField,
) -> Option<i32> {
    let body = unwrap_interval_text(text);
    let (negative, body) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body.strip_prefix('+').unwrap_or(body)),
    };
    let number = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let months = match (start, end) {
        (YearMonthField::Year, YearMonthField::Month) => {
            let (y, m) = body.split_once('-')?;
            let m = number(m)?;
            (m < 12).then_some(())?;
            number(y)?.checked_mul(12)?.checked_add(m)?
        }
        (YearMonthField::Year, _) => number(body)?.checked_mul(12)?,
        _ => number(body)?,
    };
    i32::try_from(if negative { -months } else { months }).ok()
}

/// `1 day 2 hours`, `-3 minutes 10 seconds`, `2 years 1 month` (optionally starting with
/// `interval`): unit-value pairs.
fn parse_multi_unit(value: &str) -> Result<(SparkType, ArrayRef)> {
    let bad = || invalid_format(value, "<number> <unit> [<number> <unit> ...]");
    let mut words: Vec<&str> = value.split_whitespace().collect();
    if words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("interval"))
    {
        words.remove(0);
    }
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return Err(bad());
    }
    let (mut months, mut days, mut micros) = (0_i64, 0_i64, 0_i64);
    let (mut ym, mut dt): (Vec<YearMonthField>, Vec<DayTimeField>) = (Vec::new(), Vec::new());
    for pair in words.chunks(2) {
        let (number, unit) = (pair[0].trim_matches('\''), pair[1].trim_matches('\''));
        let lower = unit.to_ascii_lowercase();
        let singular = lower.strip_suffix('s').unwrap_or(&lower);
        let count = || parse_signed_integer(number).ok_or_else(bad);
        match singular {
            "week" => {
                days += count()? * 7;
                dt.push(DayTimeField::Day);
            }
            "millisecond" => {
                micros += count()? * 1000;
                dt.push(DayTimeField::Second);
            }
            "microsecond" => {
                micros += count()?;
                dt.push(DayTimeField::Second);
            }
            "second" => {
                let (negative, digits) = match number.strip_prefix('-') {
                    Some(d) => (true, d),
                    None => (false, number.strip_prefix('+').unwrap_or(number)),
                };
                let s = parse_seconds(digits).ok_or_else(bad)?;
                micros += if negative { -s } else { s };
                dt.push(DayTimeField::Second);
            }
            _ => match interval_unit(unit).ok_or_else(bad)? {
                IntervalField::YearMonth(f) => {
                    months += count()? * if f == YearMonthField::Year { 12 } else { 1 };
                    ym.push(f);
                }
                IntervalField::DayTime(DayTimeField::Day) => {
                    days += count()?;
                    dt.push(DayTimeField::Day);
                }
                IntervalField::DayTime(f) => {
                    micros += count()? * day_time_unit(f);
                    dt.push(f);
                }
            },
        }
    }
    let overflow = || invalid_format(value, "an interval within range");
    if dt.is_empty() {
        let (s, e) = (
            *ym.iter().min().ok_or_else(bad)?,
            *ym.iter().max().ok_or_else(bad)?,
        );
        let months = i32::try_from(months).map_err(|_| overflow())?;
        return Ok((
            SparkType::YearMonthInterval(s, e),
            Arc::new(IntervalYearMonthArray::from(vec![months])),
        ));
    }
    if ym.is_empty() {
        let (s, e) = (
            *dt.iter().min().ok_or_else(bad)?,
            *dt.iter().max().ok_or_else(bad)?,
        );
        let total = days
            .checked_mul(day_time_unit(DayTimeField::Day))
            .and_then(|d| d.checked_add(micros))
            .ok_or_else(overflow)?;
        return Ok((
            SparkType::DayTimeInterval(s, e),
            Arc::new(DurationMicrosecondArray::from(vec![total])),
        ));
    }
    let value = IntervalMonthDayNano::new(
        i32::try_from(months).map_err(|_| overflow())?,
        i32::try_from(days).map_err(|_| overflow())?,
        micros.checked_mul(1000).ok_or_else(overflow)?,
    );
    Ok((
        SparkType::CalendarInterval,
        Arc::new(IntervalMonthDayNanoArray::from(vec![value])),
    ))
}

#[cfg(test)]
mod tests;
