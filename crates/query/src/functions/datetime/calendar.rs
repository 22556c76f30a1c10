//! Proleptic Gregorian calendar arithmetic on days and microseconds since the epoch (UTC),
//! and Spark's accepted string forms of dates and timestamps.

/// Microseconds in one second.
pub const MICROS_PER_SECOND: i64 = 1_000_000;
/// Microseconds in one minute.
pub const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
/// Microseconds in one hour.
pub const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
/// Microseconds in one day (the session zone is UTC, so every day has 24 hours).
pub const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

/// Whether `year` is a leap year.
pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
///
/// # Examples
/// ```
/// use query::functions::datetime::calendar::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2023, 1, 1), 19358);
/// ```
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day number (Hinnant's `civil_from_days`).
///
/// # Examples
/// ```
/// use query::functions::datetime::calendar::civil_from_days;
/// assert_eq!(civil_from_days(19358), (2023, 1, 1));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// ```
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day number of a valid civil date, `None` for an impossible one (`2023-02-30`).
pub fn checked_days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
        .then(|| days_from_civil(year, month, day))
}

/// Add calendar months to a day number, clamping the day to the end of the target month
/// (2023-01-31 + 1 month = 2023-02-28), as Spark's `add_months`. `None` on overflow.
///
/// # Examples
/// ```
/// use query::functions::datetime::calendar::{add_months, days_from_civil};
/// let jan31 = days_from_civil(2023, 1, 31);
/// assert_eq!(add_months(jan31, 1), Some(days_from_civil(2023, 2, 28)));
/// assert_eq!(add_months(jan31, -2), Some(days_from_civil(2022, 11, 30)));
/// ```
pub fn add_months(days: i64, months: i64) -> Option<i64> {
    let (y, m, d) = civil_from_days(days);
    let total = y
        .checked_mul(12)?
        .checked_add(i64::from(m) - 1)?
        .checked_add(months)?;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    Some(days_from_civil(
        year,
        month,
        d.min(days_in_month(year, month)),
    ))
}

/// Add calendar months to a timestamp, keeping the time of day.
pub fn add_months_micros(micros: i64, months: i64) -> Option<i64> {
    let (days, of_day) = split_micros(micros);
    add_months(days, months)?
        .checked_mul(MICROS_PER_DAY)?
        .checked_add(of_day)
}

/// Day of the week, Monday = 0 … Sunday = 6.
pub fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (days + 3).rem_euclid(7) as u32
}

/// Split microseconds since the epoch into the day number and the microsecond of the day.
pub fn split_micros(micros: i64) -> (i64, i64) {
    (
        micros.div_euclid(MICROS_PER_DAY),
        micros.rem_euclid(MICROS_PER_DAY),
    )
}

/// `yyyy-MM-dd`, as Spark prints a date (years beyond 9999 get a `+`).
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{}-{m:02}-{d:02}", format_year(y))
}

fn format_year(year: i64) -> String {
    if year > 9999 {
        format!("+{year}")
    } else if year < 0 {
        format!("-{:04}", -year)
    } else {
        format!("{year:04}")
    }
}

/// `yyyy-MM-dd HH:mm:ss[.ffffff]` with trailing zeros of the fraction dropped, as Spark's
/// `CAST(ts AS STRING)`.
///
/// # Examples
/// ```
/// use query::functions::datetime::calendar::format_timestamp;
/// assert_eq!(format_timestamp(1_673_153_114_515_000), "2023-01-08 04:45:14.515");
/// assert_eq!(format_timestamp(0), "1970-01-01 00:00:00");
/// ```
pub fn format_timestamp(micros: i64) -> String {
    let (days, of_day) = split_micros(micros);
    let seconds = of_day / MICROS_PER_SECOND;
    let fraction = of_day % MICROS_PER_SECOND;
    let mut out = format!(
        "{} {:02}:{:02}:{:02}",
        format_date(days),
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
    if fraction != 0 {
        let digits = format!("{fraction:06}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    out
}

/// Spark's whitespace trimming for casts (`UTF8String.trimAll`): every char ≤ U+0020.
pub fn trim_cast_input(s: &str) -> &str {
    // Most values need no trimming, and an ASCII byte above ' ' at each end is no whitespace:
    // checking the two bytes spares the per-character scan (an eighth of the time the course's
    // sensor CSV spent in casts).
    let bytes = s.as_bytes();
    let kept = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b.is_ascii());
    if kept(bytes.first()) && kept(bytes.last()) {
        return s;
    }
    s.trim_matches(|c: char| c <= ' ' || c.is_whitespace())
}

/// A cursor over ASCII digits and separators.
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(s: &'a str) -> Self {
        Scanner {
            bytes: s.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Between `min` and `max` digits; returns the value and the count read.
    fn digits(&mut self, min: usize, max: usize) -> Option<(i64, usize)> {
        let start = self.pos;
        let mut value: i64 = 0;
        while self.pos - start < max {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + i64::from(b - b'0');
                    self.pos += 1;
                }
                _ => break,
            }
        }
        let count = self.pos - start;
        (count >= min).then_some((value, count))
    }

    fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

/// Year digits Spark accepts in a date string.
const YEAR_DIGITS: (usize, usize) = (4, 7);

/// Read `[+-]yyyy[-[m]m[-[d]d]]`; returns the day number.
fn scan_date(sc: &mut Scanner) -> Option<i64> {
    let negative = if sc.eat(b'-') {
        true
    } else {
        sc.eat(b'+');
        false
    };
    let (year, _) = sc.digits(YEAR_DIGITS.0, YEAR_DIGITS.1)?;
    let year = if negative { -year } else { year };
    let mut month = 1;
    let mut day = 1;
    if sc.eat(b'-') {
        month = sc.digits(1, 2)?.0 as u32;
        if sc.eat(b'-') {
            day = sc.digits(1, 2)?.0 as u32;
        }
    }
    checked_days_from_civil(year, month, day)
}

/// Parse a date the way `CAST(s AS DATE)` does: `yyyy`, `yyyy-[m]m`, `yyyy-[m]m-[d]d`,
/// optionally followed by a space or `T` and anything (a time part is ignored).
///
/// # Examples
/// ```
/// use query::functions::datetime::calendar::parse_date;
/// assert_eq!(parse_date("2023-01-01"), Some(19358));
/// assert_eq!(parse_date(" 2023-1-1 10:00:00 "), Some(19358));
/// assert_eq!(parse_date("2023-02-30"), None);
/// ```
pub fn parse_date(s: &str) -> Option<i32> {
    let mut sc = Scanner::new(trim_cast_input(s));
    let days = scan_date(&mut sc)?;
    if !(sc.done() || sc.eat(b' ') || sc.eat(b'T')) {
        return None;
    }
    i32::try_from(days).ok()
}

/// Read `[h]h[:[m]m[:[s]s[.f…]]]`; returns microseconds of the day.
fn scan_time(sc: &mut Scanner) -> Option<i64> {
    let (hour, _) = sc.digits(1, 2)?;
    let mut minute = 0;
    let mut second = 0;
    let mut micros = 0;
    if sc.eat(b':') {
        minute = sc.digits(1, 2)?.0;
        if sc.eat(b':') {
            second = sc.digits(1, 2)?.0;
            if sc.eat(b'.') {
                // Up to nanoseconds are accepted; digits past microseconds are dropped.
                let (fraction, count) = sc.digits(0, 9)?;
                micros = match count {
                    0..=6 => fraction * 10_i64.pow(6 - count as u32),
                    _ => fraction / 10_i64.pow(count as u32 - 6),
                };
            }
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(hour * MICROS_PER_HOUR + minute * MICROS_PER_MINUTE + second * MICROS_PER_SECOND + micros)
}

/// Parse a zone suffix into an offset in seconds east of UTC: `Z`, `UTC`, `GMT`, `UT`,
/// optionally followed by an offset, or a bare `+hh[:mm]`, `-hhmm`.
fn parse_zone(zone: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(zone).ok()?.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let upper = text.to_ascii_uppercase();
    let offset = ["UTC", "GMT", "UT"]
        .iter()
        .find_map(|prefix| upper.strip_prefix(prefix))
        .unwrap_or(&upper);
    if offset.is_empty() {
        return Some(0);
    }
    let mut sc = Scanner::new(offset);
    let sign = if sc.eat(b'+') {
        1
    } else if sc.eat(b'-') {
        -1
    } else {
        return None;
    };
    let (hours, count) = sc.digits(1, 2)?;
    let minutes = if sc.eat(b':') || (count == 2 && !sc.done()) {
        let m = sc.digits(2, 2)?.0;
        if sc.eat(b':') {
            sc.digits(2, 2)?;
        }
        m
    } else {
        0
    };
    (sc.done() && hours <= 18 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// Parse a timestamp the way `CAST(s AS TIMESTAMP)` does in the UTC session zone:
/// `yyyy[-[m]m[-[d]d]]`, then optionally `T` or a space and `[h]h[:[m]m[:[s]s[.ffffff]]]`,
/// then an optional zone (`Z`, `+01:00`, `UTC`, `GMT+2`). Returns microseconds since the epoch.
///
/// # Examples
/// ```
/// use query::functions::datetime::calendar::parse_timestamp;
/// assert_eq!(parse_timestamp("1970-01-01 00:00:01.5"), Some(1_500_000));
/// assert_eq!(parse_timestamp("1970-01-01T01:00:00+01:00"), Some(0));
/// assert_eq!(parse_timestamp("1970-01-02"), Some(86_400_000_000));
/// assert_eq!(parse_timestamp("garbage"), None);
/// ```
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let mut sc = Scanner::new(trim_cast_input(s));
    let days = scan_date(&mut sc)?;
    let mut of_day = 0;
    if sc.eat(b' ') || sc.eat(b'T') {
        if sc.done() {
            return days.checked_mul(MICROS_PER_DAY);
        }
        of_day = scan_time(&mut sc)?;
    }
    let offset = parse_zone(sc.rest())?;
    days.checked_mul(MICROS_PER_DAY)?
        .checked_add(of_day)?
        .checked_sub(offset * MICROS_PER_SECOND)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_civil_round_trip() {
        for days in [-719_468, -1, 0, 59, 365, 11_016, 19_358, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn test_weekday() {
        // 2023-01-01 was a Sunday, 2023-01-02 a Monday.
        assert_eq!(weekday(days_from_civil(2023, 1, 1)), 6);
        assert_eq!(weekday(days_from_civil(2023, 1, 2)), 0);
    }

    #[test]
    fn test_parse_date_forms() {
        let d = days_from_civil(2023, 2, 1) as i32;
        assert_eq!(parse_date("2023-02-01"), Some(d));
        assert_eq!(parse_date("2023-02"), Some(d));
        assert_eq!(parse_date("2023-2-1T12:00"), Some(d));
        assert_eq!(parse_date("2023"), Some(days_from_civil(2023, 1, 1) as i32));
        assert_eq!(parse_date("not a date"), None);
        assert_eq!(parse_date("2023-13-45"), None);
        assert_eq!(parse_date("23-01-01"), None);
        assert_eq!(parse_date("2023-01-01x"), None);
    }

    #[test]
    fn test_parse_timestamp_forms() {
        let base = days_from_civil(2023, 2, 1) * MICROS_PER_DAY;
        assert_eq!(parse_timestamp("2023-02-01"), Some(base));
        assert_eq!(
            parse_timestamp("2023-02-01 10:30"),
            Some(base + 10 * MICROS_PER_HOUR + 30 * MICROS_PER_MINUTE)
        );
        assert_eq!(
            parse_timestamp("2023-02-01T00:00:00.123456789Z"),
            Some(base + 123_456)
        );
        assert_eq!(
            parse_timestamp("2023-02-01 02:00:00-02:00"),
            Some(base + 4 * MICROS_PER_HOUR)
        );
        assert_eq!(parse_timestamp("2023-02-01 00:00:00 UTC"), Some(base));
        assert_eq!(parse_timestamp("2023-02-01 25:00:00"), None);
        assert_eq!(parse_timestamp("2023-02-01 10:00:00 Mars/Base"), None);
    }

    #[test]
    fn test_format_timestamp_and_date() {
        assert_eq!(format_timestamp(-1), "1969-12-31 23:59:59.999999");
        assert_eq!(format_date(days_from_civil(2023, 3, 5)), "2023-03-05");
    }
}
