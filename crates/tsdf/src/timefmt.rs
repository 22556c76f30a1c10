//! Calendar arithmetic for UTC timestamps: parsing Tempo/Spark timestamp strings, formatting.

/// Microseconds in one second.
pub const MICROS_PER_SEC: i64 = 1_000_000;
const SECS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number since 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0i64, |acc, b| {
        acc.checked_mul(10)?.checked_add(i64::from(b - b'0'))
    })
}

/// Splits `yyyy-MM-dd[T ]HH:mm:ss` into whole seconds since the epoch (UTC) and the rest.
fn parse_date_time(s: &str) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi, se) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let days = days_from_civil(y, mo as u32, d as u32);
    Some((days * SECS_PER_DAY + h * 3600 + mi * 60 + se, &s[19..]))
}

/// Tempo's string-ts conversion: `cast(cast(ts as timestamp) as long) + double("0." + fraction)`.
///
/// Accepts exactly `^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?$`; returns epoch seconds.
///
/// # Examples
/// ```
/// assert_eq!(tsdf::timefmt::parse_timestamp_str("1970-01-01 00:00:01.5"), Some(1.5));
/// assert_eq!(tsdf::timefmt::parse_timestamp_str("1970-01-01"), None);
/// ```
pub fn parse_timestamp_str(s: &str) -> Option<f64> {
    let (secs, rest) = parse_date_time(s)?;
    let frac = match rest.strip_prefix('.') {
        None if rest.is_empty() => 0.0,
        Some(f) if !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()) => {
            format!("0.{f}").parse::<f64>().ok()?
        }
        _ => return None,
    };
    Some(secs as f64 + frac)
}

/// Spark's cast of a string to a timestamp in a UTC session: `yyyy-MM-dd`, optionally followed by
/// `[T ]HH:mm:ss[.ffffff]` and `Z` or `±HH:mm`. Returns microseconds since the epoch.
///
/// # Examples
/// ```
/// assert_eq!(tsdf::timefmt::parse_spark_timestamp("1970-01-01 00:00:01.25"), Some(1_250_000));
/// assert_eq!(tsdf::timefmt::parse_spark_timestamp("1970-01-02"), Some(86_400_000_000));
/// ```
pub fn parse_spark_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() == 10 {
        let b = s.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let (y, m, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        return Some(days_from_civil(y, m as u32, d as u32) * SECS_PER_DAY * MICROS_PER_SEC);
    }
    let (secs, mut rest) = parse_date_time(s)?;
    let mut micros = secs * MICROS_PER_SEC;
    if let Some(f) = rest.strip_prefix('.') {
        let end = f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len());
        let frac = &f[..end];
        if frac.is_empty() || frac.len() > 9 {
            return None;
        }
        let padded = format!("{frac:0<6}");
        micros += digits(&padded.as_bytes()[..6])?;
        rest = &f[end..];
    }
    let offset_secs = match rest {
        "" | "Z" | "z" => 0,
        r if (r.starts_with('+') || r.starts_with('-')) && r.len() == 6 && &r[3..4] == ":" => {
            let sign = if r.starts_with('-') { -1 } else { 1 };
            sign * (digits(&r.as_bytes()[1..3])? * 3600 + digits(&r.as_bytes()[4..6])? * 60)
        }
        _ => return None,
    };
    Some(micros - offset_secs * MICROS_PER_SEC)
}

/// Formats microseconds since the epoch as `yyyy-MM-ddTHH:mm:ss.ffffffZ` (the fixtures' format).
///
/// # Examples
/// ```
/// assert_eq!(tsdf::timefmt::format_iso_micros(1_500_000), "1970-01-01T00:00:01.500000Z");
/// ```
pub fn format_iso_micros(micros: i64) -> String {
    let secs = micros.div_euclid(MICROS_PER_SEC);
    let frac = micros.rem_euclid(MICROS_PER_SEC);
    let (y, m, d) = civil_from_days(secs.div_euclid(SECS_PER_DAY));
    let sod = secs.rem_euclid(SECS_PER_DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{frac:06}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

/// Formats microseconds like Spark's timestamp-to-string cast: `yyyy-MM-dd HH:mm:ss[.f]` with
/// trailing zeros of the fraction dropped.
///
/// # Examples
/// ```
/// assert_eq!(tsdf::timefmt::format_spark_micros(1_510_000), "1970-01-01 00:00:01.51");
/// assert_eq!(tsdf::timefmt::format_spark_micros(0), "1970-01-01 00:00:00");
/// ```
pub fn format_spark_micros(micros: i64) -> String {
    let iso = format_iso_micros(micros);
    let (date_time, frac) = iso[..iso.len() - 1].split_once('.').unwrap_or((&iso, ""));
    let frac = frac.trim_end_matches('0');
    let date_time = date_time.replacen('T', " ", 1);
    if frac.is_empty() {
        date_time
    } else {
        format!("{date_time}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_civil_roundtrip() {
        for z in [-800_000, -1, 0, 1, 19_792, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(2024, 3, 10), 19_792);
    }

    #[test]
    fn test_parse_rejects_bad_strings() {
        assert_eq!(
            parse_timestamp_str("2024-03-10 00:00:41.862"),
            Some(1_710_028_841.862)
        );
        assert_eq!(
            parse_timestamp_str("2024-03-10T00:00:41"),
            Some(1_710_028_841.0)
        );
        assert_eq!(parse_timestamp_str("2024-03-10 00:00:41."), None);
        assert_eq!(parse_timestamp_str("2024-13-10 00:00:41"), None);
        assert_eq!(
            parse_spark_timestamp("2024-03-10T01:00:00+01:00"),
            Some(1_710_028_800_000_000)
        );
        assert_eq!(parse_spark_timestamp("garbage"), None);
    }
}
