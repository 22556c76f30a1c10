//! Spark's `CAST(interval AS STRING)` renderings.

use crate::functions::datetime::calendar::{
    MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND,
};
use crate::types::{DayTimeField, YearMonthField};

/// Seconds with up to six fractional digits and no trailing zeros (`4.413`, `0`), as Java's
/// `BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString()`.
fn plain_seconds(micros: u64) -> String {
    let whole = micros / MICROS_PER_SECOND as u64;
    let fraction = micros % MICROS_PER_SECOND as u64;
    if fraction == 0 {
        whole.to_string()
    } else {
        let digits = format!("{fraction:06}");
        format!("{whole}.{}", digits.trim_end_matches('0'))
    }
}

fn padded_seconds(micros: u64) -> String {
    let lead = if micros < 10 * MICROS_PER_SECOND as u64 {
        "0"
    } else {
        ""
    };
    format!("{lead}{}", plain_seconds(micros))
}

fn upper(field: DayTimeField) -> String {
    field.to_string().to_ascii_uppercase()
}

/// `INTERVAL '0 01:30:00' DAY TO SECOND`, `INTERVAL '28' DAY`, `INTERVAL '-10' MINUTE`.
///
/// # Examples
/// ```
/// use query::functions::interval::format::format_day_time;
/// use query::types::DayTimeField::{Day, Second};
/// assert_eq!(format_day_time(5_400_000_000, Day, Second), "INTERVAL '0 01:30:00' DAY TO SECOND");
/// assert_eq!(format_day_time(28 * 86_400_000_000, Day, Day), "INTERVAL '28' DAY");
/// ```
pub fn format_day_time(micros: i64, start: DayTimeField, end: DayTimeField) -> String {
    use DayTimeField::{Day, Hour, Minute, Second};
    let sign = if micros < 0 { "-" } else { "" };
    let mut rest = micros.unsigned_abs();
    let (day, hour, minute) = (
        MICROS_PER_DAY as u64,
        MICROS_PER_HOUR as u64,
        MICROS_PER_MINUTE as u64,
    );
    let mut body = String::from(sign);
    match start {
        Day => {
            body.push_str(&(rest / day).to_string());
            rest %= day;
        }
        Hour => {
            body.push_str(&format!("{:02}", rest / hour));
            rest %= hour;
        }
        Minute => {
            body.push_str(&format!("{:02}", rest / minute));
            rest %= minute;
        }
        Second => body.push_str(&padded_seconds(rest)),
    }
    if start < Hour && Hour <= end {
        body.push_str(&format!(" {:02}", rest / hour));
        rest %= hour;
    }
    if start < Minute && Minute <= end {
        body.push_str(&format!(":{:02}", rest / minute));
        rest %= minute;
    }
    if start < Second && Second <= end {
        body.push(':');
        body.push_str(&padded_seconds(rest));
    }
    let fields = if start == end {
        upper(start)
    } else {
        format!("{} TO {}", upper(start), upper(end))
    };
    format!("INTERVAL '{body}' {fields}")
}

/// `INTERVAL '1-2' YEAR TO MONTH`, `INTERVAL '1' YEAR`, `INTERVAL '14' MONTH`.
///
/// # Examples
/// ```
/// use query::functions::interval::format::format_year_month;
/// use query::types::YearMonthField::{Month, Year};
/// assert_eq!(format_year_month(14, Year, Month), "INTERVAL '1-2' YEAR TO MONTH");
/// assert_eq!(format_year_month(-14, Month, Month), "INTERVAL '-14' MONTH");
/// ```
pub fn format_year_month(months: i32, start: YearMonthField, end: YearMonthField) -> String {
    let sign = if months < 0 { "-" } else { "" };
    let abs = months.unsigned_abs();
    let body = match (start, end) {
        (YearMonthField::Year, YearMonthField::Year) => format!("{sign}{}", abs / 12),
        (YearMonthField::Month, YearMonthField::Month) => months.to_string(),
        _ => format!("{sign}{}-{}", abs / 12, abs % 12),
    };
    let fields = if start == end {
        start.to_string().to_ascii_uppercase()
    } else {
        format!(
            "{} TO {}",
            start.to_string().to_ascii_uppercase(),
            end.to_string().to_ascii_uppercase()
        )
    };
    format!("INTERVAL '{body}' {fields}")
}

/// The legacy calendar interval's text, as Spark's `CalendarInterval.toString`:
/// `1 days 2 hours`, `1 years 2 months 3.5 seconds`, `0 seconds`.
///
/// # Examples
/// ```
/// use query::functions::interval::format::format_calendar;
/// assert_eq!(format_calendar(0, 1, 7_200_000_000), "1 days 2 hours");
/// assert_eq!(format_calendar(0, 0, 0), "0 seconds");
/// ```
pub fn format_calendar(months: i32, days: i32, micros: i64) -> String {
    if months == 0 && days == 0 && micros == 0 {
        return "0 seconds".into();
    }
    let mut parts = Vec::new();
    let mut unit = |value: i64, name: &str| {
        if value != 0 {
            parts.push(format!("{value} {name}"));
        }
    };
    unit(i64::from(months / 12), "years");
    unit(i64::from(months % 12), "months");
    unit(i64::from(days), "days");
    let mut rest = micros;
    unit(rest / MICROS_PER_HOUR, "hours");
    rest %= MICROS_PER_HOUR;
    unit(rest / MICROS_PER_MINUTE, "minutes");
    rest %= MICROS_PER_MINUTE;
    if rest != 0 {
        let sign = if rest < 0 { "-" } else { "" };
        parts.push(format!(
            "{sign}{} seconds",
            plain_seconds(rest.unsigned_abs())
        ));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use DayTimeField::{Day, Hour, Minute, Second};

    #[test]
    fn test_format_day_time_fields() {
        let t = 39 * MICROS_PER_MINUTE + 40 * MICROS_PER_SECOND;
        assert_eq!(
            format_day_time(t, Day, Second),
            "INTERVAL '0 00:39:40' DAY TO SECOND"
        );
        let t = 27 * MICROS_PER_MINUTE + 4_413_000;
        assert_eq!(
            format_day_time(t, Day, Second),
            "INTERVAL '0 00:27:04.413' DAY TO SECOND"
        );
        assert_eq!(
            format_day_time(-90 * MICROS_PER_MINUTE, Hour, Minute),
            "INTERVAL '-01:30' HOUR TO MINUTE"
        );
        assert_eq!(
            format_day_time(10 * MICROS_PER_MINUTE, Minute, Minute),
            "INTERVAL '10' MINUTE"
        );
        assert_eq!(
            format_day_time(26 * MICROS_PER_HOUR, Hour, Hour),
            "INTERVAL '26' HOUR"
        );
        assert_eq!(
            format_day_time(MICROS_PER_DAY + 2 * MICROS_PER_HOUR, Day, Hour),
            "INTERVAL '1 02' DAY TO HOUR"
        );
        assert_eq!(
            format_day_time(1_500_000, Second, Second),
            "INTERVAL '01.5' SECOND"
        );
    }

    #[test]
    fn test_format_calendar_parts() {
        assert_eq!(
            format_calendar(14, -3, 90_500_000),
            "1 years 2 months -3 days 1 minutes 30.5 seconds"
        );
    }
}
