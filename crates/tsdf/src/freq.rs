//! Tempo's resample frequency strings (`checkAllowableFreq` + `freq_dict`) as bucket widths.

use crate::error::{Result, TsdfError};
use crate::timefmt::MICROS_PER_SEC;

/// The unit words Tempo knows (`freq_dict`'s keys) with their Spark interval unit.
const UNITS: [(&str, &str); 18] = [
    ("musec", "microseconds"),
    ("microsec", "microseconds"),
    ("microsecond", "microseconds"),
    ("microseconds", "microseconds"),
    ("ms", "milliseconds"),
    ("millisecond", "milliseconds"),
    ("milliseconds", "milliseconds"),
    ("sec", "seconds"),
    ("second", "seconds"),
    ("seconds", "seconds"),
    ("min", "minutes"),
    ("minute", "minutes"),
    ("minutes", "minutes"),
    ("hr", "hours"),
    ("hour", "hours"),
    ("hours", "hours"),
    ("day", "days"),
    ("days", "days"),
];

/// A parsed frequency: the Spark interval Tempo builds and its width in microseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freq {
    /// Tempo's `(period, unit)` as the Spark interval string, e.g. `"5 minutes"`.
    pub interval: String,
    /// The bucket width in microseconds (> 0).
    pub micros: i64,
}

fn unit_micros(spark_unit: &str) -> i64 {
    match spark_unit {
        "microseconds" => 1,
        "milliseconds" => 1_000,
        "seconds" => MICROS_PER_SEC,
        "minutes" => 60 * MICROS_PER_SEC,
        "hours" => 3_600 * MICROS_PER_SEC,
        _ => 86_400 * MICROS_PER_SEC,
    }
}

fn invalid(freq: &str, why: &str) -> TsdfError {
    TsdfError::InvalidArgument {
        param: "freq",
        message: format!(
            "`{freq}`: {why}; allowed: one of musec/microsec(ond)(s), ms/millisecond(s), sec/second(s), min/minute(s), hr/hour(s), day(s), or `<n> <unit>` with one space"
        ),
    }
}

/// Parses a frequency exactly as Tempo 0.1.30 does.
///
/// * A bare unit word (any case) is accepted, but then looked up with its original spelling,
///   so only the lower-case words work (`"min"`, `"hr"`; `"MIN"` fails like Tempo's `KeyError`).
/// * Otherwise `"<n> <unit>"` split on single spaces: the unit must be one of the words;
///   extra words are ignored; `musec` as a two-word unit fails (Tempo's `KeyError`).
/// * `n` must make a positive Spark interval: an integer, or a decimal for seconds.
///
/// # Examples
/// ```
/// use tsdf::freq::parse_freq;
/// assert_eq!(parse_freq("5 minutes").unwrap().micros, 300_000_000);
/// assert_eq!(parse_freq("hr").unwrap().micros, 3_600_000_000);
/// assert!(parse_freq("1hour").is_err());
/// assert!(parse_freq("1 h").is_err());
/// ```
pub fn parse_freq(freq: &str) -> Result<Freq> {
    let lower = freq.to_lowercase();
    if UNITS.iter().any(|(k, _)| *k == lower) {
        let spark = UNITS
            .iter()
            .find(|(k, _)| *k == freq)
            .map(|(_, v)| *v)
            .ok_or_else(|| invalid(freq, "unit words must be lower case"))?;
        return Ok(Freq {
            interval: format!("1 {spark}"),
            micros: unit_micros(spark),
        });
    }
    let mut parts = lower.split(' ');
    let period = parts.next().unwrap_or("").trim();
    let unit = parts
        .next()
        .ok_or_else(|| invalid(freq, "expected `<n> <unit>`"))?
        .trim();
    if !UNITS.iter().any(|(k, _)| *k == unit) {
        return Err(invalid(freq, &format!("unknown unit `{unit}`")));
    }
    let spark = if unit.starts_with("microsec") {
        "microseconds"
    } else if unit.starts_with("ms") || unit.starts_with("millis") {
        "milliseconds"
    } else if unit.starts_with("sec") {
        "seconds"
    } else if unit.starts_with("min") {
        "minutes"
    } else if unit.starts_with("hour") || unit.starts_with("hr") {
        "hours"
    } else if unit.starts_with("day") {
        "days"
    } else {
        return Err(invalid(freq, "`musec` only works as a bare word"));
    };
    let per_unit = unit_micros(spark);
    let micros = if let Ok(n) = period.parse::<i64>() {
        n.checked_mul(per_unit)
            .ok_or_else(|| invalid(freq, "period too large"))?
    } else {
        let n: f64 = period
            .parse()
            .map_err(|_| invalid(freq, &format!("period `{period}` is not a number")))?;
        if spark != "seconds" || !n.is_finite() {
            return Err(invalid(freq, "only seconds may have a fractional period"));
        }
        let m = n * per_unit as f64;
        if m.fract() != 0.0 {
            return Err(invalid(
                freq,
                "the period must be a whole number of microseconds",
            ));
        }
        m as i64
    };
    if micros <= 0 {
        return Err(invalid(freq, "the window duration must be greater than 0"));
    }
    Ok(Freq {
        interval: format!("{period} {spark}"),
        micros,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_freq_tempo_grammar() {
        assert_eq!(parse_freq("min").unwrap().micros, 60_000_000);
        assert_eq!(parse_freq("30 seconds").unwrap().micros, 30_000_000);
        assert_eq!(parse_freq("5 minute extra").unwrap().micros, 300_000_000);
        assert_eq!(parse_freq("1 HOUR").unwrap().micros, 3_600_000_000);
        assert_eq!(parse_freq("2 ms").unwrap().micros, 2_000);
        assert_eq!(parse_freq("3 microseconds").unwrap().micros, 3);
        assert_eq!(parse_freq("1 days").unwrap().micros, 86_400_000_000);
        assert_eq!(parse_freq("0.5 sec").unwrap().micros, 500_000);
        for bad in [
            "MIN", "1hour", "1  hour", "1 h", "1 mins", "1 week", "1 musec", "1.5 hour", "0 min",
            "-1 min", "x min", "",
        ] {
            assert!(parse_freq(bad).is_err(), "{bad} should be rejected");
        }
    }
}
