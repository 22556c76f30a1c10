//! UTC timestamps as microseconds since the Unix epoch: civil dates, parsing and CSV text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::DatagenError;

/// Microseconds in one second.
pub const MICROS_PER_SECOND: i64 = 1_000_000;
/// Microseconds in one minute (the spacing of readings inside a burst, §1.6 G1).
pub const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
/// Microseconds in one hour.
pub const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
/// Microseconds in one day.
pub const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

/// Years a config may use: four-digit years keep the CSV text fixed-width, and the upper
/// bound leaves room for bursts that spill past the end.
const YEAR_RANGE: std::ops::RangeInclusive<i64> = 1000..=9998;

/// A naive wall-clock time interpreted as UTC, with microsecond precision.
///
/// Serialises as `YYYY-MM-DDTHH:MM:SS` so configs stay readable.
///
/// # Examples
/// ```
/// use datagen::Timestamp;
/// let t: Timestamp = "2023-01-01T15:02:42".parse().unwrap();
/// assert_eq!(t.to_string(), "2023-01-01T15:02:42.000Z");
/// assert_eq!(t.date().to_string(), "2023-01-01");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(pub i64);

/// A calendar date as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

impl Timestamp {
    /// Builds a timestamp from a civil date and time of day (UTC).
    ///
    /// # Examples
    /// ```
    /// use datagen::Timestamp;
    /// assert_eq!(Timestamp::from_civil(1970, 1, 2, 0, 0, 0).0, 86_400_000_000);
    /// ```
    #[must_use]
    pub fn from_civil(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Self {
        let days = days_from_civil(year, month, day);
        let secs = i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
        Timestamp(days * MICROS_PER_DAY + secs * MICROS_PER_SECOND)
    }

    /// The calendar date (UTC) of this timestamp.
    #[must_use]
    pub fn date(self) -> Date {
        Date(self.0.div_euclid(MICROS_PER_DAY))
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS.mmmZ` (milliseconds truncated, as Spark's CSV writer does).
    pub fn write_iso_millis(self, out: &mut Vec<u8>) {
        IsoWriter::default().write(out, self.0);
    }
}

/// Writes ISO timestamps, remembering the last date's text: readings come in time order, so
/// the calendar conversion runs once per day rather than once per row.
#[derive(Debug, Clone)]
pub(crate) struct IsoWriter {
    day: i64,
    text: [u8; 24],
}

impl Default for IsoWriter {
    fn default() -> Self {
        IsoWriter {
            day: i64::MIN,
            text: *b"0000-00-00T00:00:00.000Z",
        }
    }
}

impl IsoWriter {
    /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` for `micros` since the epoch.
    #[inline]
    pub(crate) fn write(&mut self, out: &mut Vec<u8>, micros: i64) {
        let day = micros.div_euclid(MICROS_PER_DAY);
        if day != self.day {
            let (y, mo, d) = civil_from_days(day);
            put_digits(&mut self.text[0..4], y);
            put_digits(&mut self.text[5..7], i64::from(mo));
            put_digits(&mut self.text[8..10], i64::from(d));
            self.day = day;
        }
        let micros_of_day = micros - day * MICROS_PER_DAY;
        let secs = micros_of_day / MICROS_PER_SECOND;
        let millis = (micros_of_day % MICROS_PER_SECOND) / 1000;
        put_digits(&mut self.text[11..13], secs / 3600);
        put_digits(&mut self.text[14..16], secs / 60 % 60);
        put_digits(&mut self.text[17..19], secs % 60);
        put_digits(&mut self.text[20..23], millis);
        out.extend_from_slice(&self.text);
    }
}

/// Writes the low decimal digits of a non-negative `value` right-aligned into `slot`.
#[inline]
fn put_digits(slot: &mut [u8], mut value: i64) {
    for byte in slot.iter_mut().rev() {
        // `value` is non-negative here, so the remainder is a single digit 0..=9.
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

impl Date {
    /// Midnight at the start of this date.
    #[must_use]
    pub fn midnight(self) -> Timestamp {
        Timestamp(self.0 * MICROS_PER_DAY)
    }

    /// (year, month 1–12, day 1–31).
    #[must_use]
    pub fn civil(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::with_capacity(24);
        self.write_iso_millis(&mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

impl FromStr for Timestamp {
    type Err = DatagenError;

    /// Parses `YYYY-MM-DDTHH:MM:SS` (a space instead of `T` is accepted too).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = |reason: &str| DatagenError::InvalidTimestamp {
            value: text.to_string(),
            reason: reason.to_string(),
        };
        let b = text.as_bytes();
        if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
            return Err(bad("wrong shape"));
        }
        if b[13] != b':' || b[16] != b':' {
            return Err(bad("wrong shape"));
        }
        let num = |range: std::ops::Range<usize>| -> Result<i64, DatagenError> {
            let part = &text[range];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| bad("not a number"))
            } else {
                Err(bad("not a number"))
            }
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !YEAR_RANGE.contains(&year) {
            return Err(bad("year out of range"));
        }
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(bad("no such date"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(bad("no such time of day"));
        }
        // All parts were range-checked above, so the narrowing casts are lossless.
        Ok(Timestamp::from_civil(
            year,
            month as u32,
            day as u32,
            hour as u32,
            minute as u32,
            second as u32,
        ))
    }
}

impl TryFrom<String> for Timestamp {
    type Error = DatagenError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> Self {
        let (y, m, d) = t.date().civil();
        let secs = t.0.rem_euclid(MICROS_PER_DAY) / MICROS_PER_SECOND;
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day number (H. Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // The formulas bound day to 1..=31 and month to 1..=12.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn test_write_iso_millis_truncates_micros() {
        let t = Timestamp::from_civil(2023, 1, 1, 15, 2, 42);
        let mut out = Vec::new();
        Timestamp(t.0 + 464_999).write_iso_millis(&mut out);
        assert_eq!(out, b"2023-01-01T15:02:42.464Z");
    }

    #[test]
    fn test_iso_writer_reuses_date_correctly() {
        let mut writer = IsoWriter::default();
        let mut out = Vec::new();
        let a = Timestamp::from_civil(2023, 12, 31, 23, 59, 59).0 + 999_999;
        for t in [a, a + 1, a + MICROS_PER_DAY, a - 2 * MICROS_PER_DAY] {
            writer.write(&mut out, t);
            out.push(b' ');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "2023-12-31T23:59:59.999Z 2024-01-01T00:00:00.000Z 2024-01-01T23:59:59.999Z \
             2023-12-29T23:59:59.999Z "
        );
    }

    #[test]
    fn test_parse_rejects_bad_dates() {
        for bad in [
            "2023-02-29T00:00:00",
            "2023-13-01T00:00:00",
            "2023-01-01T24:00:00",
            "x",
            "",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
        assert!("2024-02-29 23:59:59".parse::<Timestamp>().is_ok());
    }

    #[test]
    fn test_serde_round_trip() {
        let t: Timestamp = "2023-12-31T23:59:59".parse().unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2023-12-31T23:59:59\"");
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
    }

    proptest! {
        #[test]
        fn prop_civil_matches_chrono(days in -100_000i64..3_000_000) {
            let (y, m, d) = civil_from_days(days);
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            let expected = epoch + chrono::Duration::days(days);
            prop_assert_eq!(chrono::NaiveDate::from_ymd_opt(y as i32, m, d), Some(expected));
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
