//! Axes: linear scales, "nice" tick values, calendar ticks, and the formats of numbers and
//! times the charts print. Times are ms since the epoch, UTC (the engine's session zone).

/// Milliseconds in a day.
pub const DAY_MS: f64 = 86_400_000.0;

/// A linear map from a domain to a pixel range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    /// Domain start and end.
    pub domain: (f64, f64),
    /// Pixel start and end (end may be smaller: y grows downwards).
    pub range: (f64, f64),
}

impl Linear {
    /// The pixel of `v`.
    pub fn at(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let span = if d1 == d0 { 1.0 } else { d1 - d0 };
        self.range.0 + (v - d0) / span * (self.range.1 - self.range.0)
    }

    /// The value at pixel `p`.
    pub fn invert(&self, p: f64) -> f64 {
        let (r0, r1) = self.range;
        let span = if r1 == r0 { 1.0 } else { r1 - r0 };
        self.domain.0 + (p - r0) / span * (self.domain.1 - self.domain.0)
    }
}

/// About `count` round tick values covering `[lo, hi]` (steps of 1, 2 or 5 × 10^k).
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, lo + 1.0)
    };
    let raw = (hi - lo) / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut v = first;
    while v <= hi + step * 0.5 && ticks.len() < 50 {
        ticks.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    ticks
}

/// A domain widened to whole ticks, and those ticks.
pub fn nice_domain(lo: f64, hi: f64, count: usize) -> ((f64, f64), Vec<f64>) {
    let ticks = nice_ticks(lo, hi, count);
    match (ticks.first(), ticks.last()) {
        (Some(a), Some(b)) if b > a => ((*a, *b), ticks),
        _ => ((lo, hi), ticks),
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A timestamp as the engine prints it (`2023-01-02 03:04:05[.ffffff]`, or a date) in ms.
pub fn parse_time(text: &str) -> Option<f64> {
    let text = text.trim();
    let (date, time) = text.split_once([' ', 'T']).unwrap_or((text, "00:00:00"));
    let mut d = date.split('-');
    let (y, m, day) = (d.next()?, d.next()?, d.next()?);
    let (y, m, day): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, day.parse().ok()?);
    let time = time.trim_end_matches('Z');
    let mut t = time.split(':');
    let h: f64 = t.next()?.parse().ok()?;
    let min: f64 = t.next().unwrap_or("0").parse().ok()?;
    let s: f64 = t.next().unwrap_or("0").parse().ok()?;
    Some(days_from_civil(y, m, day) as f64 * DAY_MS + ((h * 60.0 + min) * 60.0 + s) * 1000.0)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2023-01-02 03:04:05` (or the date alone when `with_time` is false).
pub fn format_time(ms: f64, with_time: bool) -> String {
    let days = (ms / DAY_MS).floor();
    let (y, m, d) = civil_from_days(days as i64);
    if !with_time {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    let secs = ((ms - days * DAY_MS) / 1000.0).round() as i64;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Tick times and labels for a time axis over `[lo, hi]` ms, about `count` of them: whole
/// months for long ranges, whole days, or whole hours and minutes.
pub fn time_ticks(lo: f64, hi: f64, count: usize) -> Vec<(f64, String)> {
    let span = (hi - lo).max(1.0);
    let count = count.max(2) as f64;
    if span > 80.0 * DAY_MS {
        let months = ((span / (30.44 * DAY_MS)) / count).ceil().max(1.0) as i64;
        let months = [1, 2, 3, 6, 12]
            .into_iter()
            .find(|m| *m >= months)
            .unwrap_or(12);
        let (mut y, mut m, _) = civil_from_days((lo / DAY_MS).floor() as i64);
        let mut out = Vec::new();
        loop {
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
            if (m - 1) % months != 0 {
                continue;
            }
            let at = days_from_civil(y, m, 1) as f64 * DAY_MS;
            if at > hi || out.len() > 40 {
                break out;
            }
            let label = if m == 1 {
                format!("{} {y}", MONTHS[0])
            } else {
                MONTHS[(m - 1) as usize].to_string()
            };
            out.push((at, label));
        }
    } else {
        const STEPS: [f64; 12] = [
            60_000.0,
            300_000.0,
            900_000.0,
            1_800_000.0,
            3_600_000.0,
            10_800_000.0,
            21_600_000.0,
            43_200_000.0,
            DAY_MS,
            2.0 * DAY_MS,
            7.0 * DAY_MS,
            14.0 * DAY_MS,
        ];
        let wanted = span / count;
        let step = STEPS
            .into_iter()
            .find(|s| *s >= wanted)
            .unwrap_or(28.0 * DAY_MS);
        let mut at = (lo / step).ceil() * step;
        let mut out = Vec::new();
        while at <= hi && out.len() < 40 {
            let label = if step >= DAY_MS {
                format_time(at, false)[5..].to_string()
            } else {
                format_time(at, true)[5..16].to_string()
            };
            out.push((at, label));
            at += step;
        }
        out
    }
}

/// A number for a label: integers with thousands separators, others with up to 3 decimals.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let digits = format!("{}", v.abs() as i64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        return if v < 0.0 { format!("-{out}") } else { out };
    }
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_the_engines_format() {
        let ms = parse_time("2023-01-02 03:04:05").unwrap();
        assert_eq!(format_time(ms, true), "2023-01-02 03:04:05");
        assert_eq!(parse_time("1970-01-01"), Some(0.0));
        assert_eq!(
            parse_time("2024-02-29 00:00:00.5"),
            Some(1_709_164_800_500.0)
        );
        assert_eq!(parse_time("not a time"), None);
    }

    #[test]
    fn ticks_are_round_and_cover_the_domain() {
        assert_eq!(nice_ticks(0.0, 9.3, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let ((lo, hi), _) = nice_domain(3.2, 7.9, 4);
        assert!(lo <= 3.2 && hi >= 7.9);
    }

    #[test]
    fn a_year_is_ticked_by_months_and_a_day_by_hours() {
        let start = parse_time("2023-01-01").unwrap();
        let year = time_ticks(start, start + 365.0 * DAY_MS, 6);
        assert_eq!(year[0].1, "Mar");
        assert!(
            year.iter()
                .all(|(t, _)| format_time(*t, false).ends_with("-01"))
        );
        let day = time_ticks(start, start + DAY_MS, 6);
        assert_eq!(day[0].1, "01-01 00:00");
        assert_eq!(day[1].1, "01-01 06:00");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(format_number(1402.0), "1,402");
        assert_eq!(format_number(-1234567.0), "-1,234,567");
        assert_eq!(format_number(5.8333333), "5.833");
        assert_eq!(format_number(0.5), "0.5");
    }
}
