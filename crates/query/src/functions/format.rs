//! Java's `Double.toString` / `Float.toString`, which Spark uses for `CAST(x AS STRING)`.

use std::fmt::{self, Write};

use crate::functions::decimal::StackText;

/// Java renders magnitudes in `[10^-3, 10^7)` as plain decimals, others in scientific form.
const PLAIN_MIN: f64 = 1e-3;
const PLAIN_MAX: f64 = 1e7;

/// Write shortest round-trip digits the way Java does: `100.0`, `1.0E20`, `1.0E-4`,
/// `1.23456789E8`. `scientific` is Rust's shortest `{:e}` text (`-1.2345e8`, `1e-4`).
fn write_java_style<W: Write>(out: &mut W, scientific: &str, magnitude: f64) -> fmt::Result {
    let (negative, body) = match scientific.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, scientific),
    };
    let (mantissa, exponent) = body.split_once('e').unwrap_or((body, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (first, rest) = mantissa.split_at(1);
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    if negative {
        out.write_char('-')?;
    }
    if !(PLAIN_MIN..PLAIN_MAX).contains(&magnitude) {
        out.write_str(first)?;
        out.write_char('.')?;
        out.write_str(if rest.is_empty() { "0" } else { rest })?;
        return write!(out, "E{exponent}");
    }
    // Digits before the decimal point.
    let point = exponent + 1;
    let digit_count = 1 + rest.len() as i32;
    if point <= 0 {
        out.write_str("0.")?;
        for _ in 0..-point {
            out.write_char('0')?;
        }
        out.write_str(first)?;
        out.write_str(rest)
    } else if point >= digit_count {
        out.write_str(first)?;
        out.write_str(rest)?;
        for _ in 0..point - digit_count {
            out.write_char('0')?;
        }
        out.write_str(".0")
    } else {
        let split = (point - 1) as usize;
        out.write_str(first)?;
        out.write_str(&rest[..split])?;
        out.write_char('.')?;
        out.write_str(&rest[split..])
    }
}

/// NaN, infinities and zeros, which Java prints by name.
fn special(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value.is_infinite() {
        Some(if value > 0.0 { "Infinity" } else { "-Infinity" })
    } else if value == 0.0 {
        Some(if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        })
    } else {
        None
    }
}

/// Write Java's `Double.toString(value)` into `out` (no allocation).
pub fn write_java_double<W: Write>(out: &mut W, value: f64) -> fmt::Result {
    match special(value) {
        Some(text) => out.write_str(text),
        None => write_java_style(out, StackText::scientific(value).as_str(), value.abs()),
    }
}

/// Write Java's `Float.toString(value)` into `out`: the shortest digits that round-trip
/// through `f32`.
pub fn write_java_float<W: Write>(out: &mut W, value: f32) -> fmt::Result {
    match special(f64::from(value)) {
        Some(text) => out.write_str(text),
        None => write_java_style(
            out,
            StackText::scientific(value).as_str(),
            f64::from(value.abs()),
        ),
    }
}

/// Java's `Double.toString`, as Spark's `CAST(double AS STRING)`.
///
/// # Examples
/// ```
/// use query::functions::format::java_double_to_string;
/// assert_eq!(java_double_to_string(100.0), "100.0");
/// assert_eq!(java_double_to_string(1e20), "1.0E20");
/// assert_eq!(java_double_to_string(0.0001), "1.0E-4");
/// assert_eq!(java_double_to_string(123456789.0), "1.23456789E8");
/// assert_eq!(java_double_to_string(f64::NAN), "NaN");
/// ```
pub fn java_double_to_string(value: f64) -> String {
    let mut out = String::new();
    let _ = write_java_double(&mut out, value);
    out
}

/// Java's `Float.toString`: the shortest digits that round-trip through `f32`.
///
/// # Examples
/// ```
/// use query::functions::format::java_float_to_string;
/// assert_eq!(java_float_to_string(1.1), "1.1");
/// assert_eq!(java_float_to_string(4.6), "4.6");
/// assert_eq!(java_float_to_string(1e10), "1.0E10");
/// ```
pub fn java_float_to_string(value: f32) -> String {
    let mut out = String::new();
    let _ = write_java_float(&mut out, value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_java_double_to_string_cases() {
        assert_eq!(java_double_to_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(java_double_to_string(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(java_double_to_string(0.001), "0.001");
        assert_eq!(java_double_to_string(1e7), "1.0E7");
        assert_eq!(java_double_to_string(9_999_999.0), "9999999.0");
        assert_eq!(java_double_to_string(-2.5), "-2.5");
        assert_eq!(java_double_to_string(-0.0), "-0.0");
        assert_eq!(java_double_to_string(1.5e-10), "1.5E-10");
        assert_eq!(java_double_to_string(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(java_double_to_string(1673153114.515), "1.673153114515E9");
        assert_eq!(java_double_to_string(100.25), "100.25");
        assert_eq!(java_double_to_string(0.0123), "0.0123");
    }

    #[test]
    fn test_java_float_to_string_cases() {
        assert_eq!(java_float_to_string(80.1), "80.1");
        assert_eq!(java_float_to_string(0.0), "0.0");
        assert_eq!(java_float_to_string(3500.1504), "3500.1504");
        assert_eq!(java_float_to_string(-5.5999985), "-5.5999985");
    }
}
