//! Java's `Double.toString` / `Float.toString`, which Spark uses for `CAST(x AS STRING)`.

/// Java renders magnitudes in `[10^-3, 10^7)` as plain decimals, others in scientific form.
const PLAIN_MIN: f64 = 1e-3;
const PLAIN_MAX: f64 = 1e7;

/// Render shortest round-trip digits the way Java does: `100.0`, `1.0E20`, `1.0E-4`,
/// `1.23456789E8`, `NaN`, `Infinity`.
fn java_style(scientific: &str, magnitude: f64) -> String {
    // `scientific` is Rust's shortest `{:e}` form: `-1.2345e8`, `1e-4`.
    let (negative, body) = match scientific.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, scientific),
    };
    let (mantissa, exponent) = body.split_once('e').unwrap_or((body, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if negative { "-" } else { "" };
    if (PLAIN_MIN..PLAIN_MAX).contains(&magnitude) {
        let point = exponent + 1; // digits before the decimal point
        if point <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!(
                "{sign}{digits}{}.0",
                "0".repeat(point as usize - digits.len())
            )
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{sign}{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exponent}")
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
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        }
        .into();
    }
    java_style(&format!("{value:e}"), value.abs())
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
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        }
        .into();
    }
    java_style(&format!("{value:e}"), f64::from(value.abs()))
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
    }

    #[test]
    fn test_java_float_to_string_cases() {
        assert_eq!(java_float_to_string(80.1), "80.1");
        assert_eq!(java_float_to_string(0.0), "0.0");
        assert_eq!(java_float_to_string(3500.1504), "3500.1504");
        assert_eq!(java_float_to_string(-5.5999985), "-5.5999985");
    }
}
