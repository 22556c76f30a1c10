//! Exact decimal helpers on `i128` unscaled values: powers of ten, HALF_UP rescaling,
//! precision checks, and conversion from decimal text (as Java's `BigDecimal` reads it).

use crate::types::MAX_DECIMAL_PRECISION;

/// `10^n` for `n` in `0..=38`.
pub fn pow10(n: u32) -> i128 {
    10_i128.pow(n)
}

/// Whether an unscaled value has at most `precision` digits.
pub fn fits_precision(unscaled: i128, precision: u8) -> bool {
    unscaled.unsigned_abs() < 10_u128.pow(u32::from(precision.min(MAX_DECIMAL_PRECISION)))
}

/// `n / d` rounded half away from zero (Java's `RoundingMode.HALF_UP`). `d` must be positive.
pub fn div_half_up(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if r.unsigned_abs() * 2 >= d.unsigned_abs() {
        q + n.signum()
    } else {
        q
    }
}

/// Change the scale of an unscaled value, rounding HALF_UP when the scale shrinks; `None`
/// when growing overflows `i128`.
///
/// # Examples
/// ```
/// use query::functions::decimal::rescale;
/// assert_eq!(rescale(2345, 3, 2), Some(235));   // 2.345 -> 2.35
/// assert_eq!(rescale(-2345, 3, 2), Some(-235)); // HALF_UP rounds away from zero
/// assert_eq!(rescale(15, 1, 3), Some(1500));
/// ```
pub fn rescale(unscaled: i128, from_scale: i8, to_scale: i8) -> Option<i128> {
    let diff = i32::from(to_scale) - i32::from(from_scale);
    if diff >= 0 {
        if diff > 38 {
            return (unscaled == 0).then_some(0);
        }
        unscaled.checked_mul(pow10(diff as u32))
    } else if -diff > 38 {
        Some(0)
    } else {
        Some(div_half_up(unscaled, pow10((-diff) as u32)))
    }
}

/// The plain text of a decimal with exactly `scale` fractional digits (`12.50`, `-0.5`).
///
/// # Examples
/// ```
/// use query::functions::decimal::decimal_to_string;
/// assert_eq!(decimal_to_string(1250, 2), "12.50");
/// assert_eq!(decimal_to_string(-5, 1), "-0.5");
/// assert_eq!(decimal_to_string(42, 0), "42");
/// ```
pub fn decimal_to_string(unscaled: i128, scale: i8) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let sign = if unscaled < 0 { "-" } else { "" };
    if scale <= 0 {
        return format!(
            "{sign}{digits}{}",
            "0".repeat(scale.unsigned_abs() as usize)
        );
    }
    let scale = scale as usize;
    let padded = if digits.len() <= scale {
        format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
    } else {
        digits
    };
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

/// The nearest double to a decimal value (Java's `BigDecimal.doubleValue`).
pub fn decimal_to_f64(unscaled: i128, scale: i8) -> f64 {
    // Exact for |unscaled| < 2^53 and scale <= 22: one correctly rounded IEEE operation on
    // two exactly representable operands.
    const EXACT_INT: u128 = 1 << 53;
    if unscaled.unsigned_abs() < EXACT_INT && (0..=22).contains(&scale) {
        return unscaled as f64 / 10_f64.powi(i32::from(scale));
    }
    decimal_to_string(unscaled, scale)
        .parse()
        .unwrap_or(f64::NAN)
}

/// The nearest float to a decimal value (Java's `BigDecimal.floatValue`).
pub fn decimal_to_f32(unscaled: i128, scale: i8) -> f32 {
    decimal_to_string(unscaled, scale)
        .parse()
        .unwrap_or(f32::NAN)
}

/// A decimal number read from text: `digits × 10^exponent`, digits without leading zeros.
#[derive(Debug, Clone, PartialEq)]
pub struct DecimalText {
    /// Whether the value is negative.
    pub negative: bool,
    /// ASCII digits, most significant first, no leading zeros (empty for zero).
    pub digits: Vec<u8>,
    /// Power of ten the digits are multiplied by.
    pub exponent: i64,
}

/// Read `[+-]digits[.digits][e[+-]digits]` (Java `BigDecimal` syntax), or `None`.
///
/// # Examples
/// ```
/// use query::functions::decimal::parse_decimal_text;
/// let d = parse_decimal_text("-12.50e1").unwrap();
/// assert!(d.negative);
/// assert_eq!((d.digits.as_slice(), d.exponent), (&b"1250"[..], -1));
/// assert!(parse_decimal_text("1.2.3").is_none());
/// ```
pub fn parse_decimal_text(text: &str) -> Option<DecimalText> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            pos = 1;
            true
        }
        Some(b'+') => {
            pos = 1;
            false
        }
        _ => false,
    };
    let mut digits = Vec::new();
    let mut exponent: i64 = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    while let Some(&b) = bytes.get(pos) {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                if !(digits.is_empty() && b == b'0') {
                    digits.push(b);
                }
                if seen_point {
                    exponent -= 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        pos += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(pos) {
        let rest = std::str::from_utf8(&bytes[pos + 1..]).ok()?;
        if rest.is_empty() || rest.starts_with("+-") || rest.starts_with("--") {
            return None;
        }
        let e: i64 = rest.strip_prefix('+').unwrap_or(rest).parse().ok()?;
        if e.unsigned_abs() > 1_000_000 {
            return None;
        }
        exponent += e;
        pos = bytes.len();
    }
    (pos == bytes.len()).then_some(DecimalText {
        negative,
        digits,
        exponent,
    })
}

/// Outcome of fitting decimal text into `decimal(p, s)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The unscaled value at scale `s`.
    Value(i128),
    /// More integer digits than `p - s` allows.
    Overflow,
}

impl DecimalText {
    /// Round HALF_UP to `scale` fractional digits and check `precision`.
    pub fn fit(&self, precision: u8, scale: i8) -> Fit {
        let shift = self.exponent + i64::from(scale);
        let len = self.digits.len() as i64;
        let (kept, round_up) = if shift >= 0 {
            if len + shift > i64::from(precision) {
                return if len == 0 {
                    Fit::Value(0)
                } else {
                    Fit::Overflow
                };
            }
            (&self.digits[..], false)
        } else {
            let drop = (-shift).min(len) as usize;
            let keep = self.digits.len() - drop;
            let next = if (-shift) > len {
                b'0'
            } else {
                self.digits[keep]
            };
            (&self.digits[..keep], next >= b'5')
        };
        if kept.len() > usize::from(precision) + 1 {
            return Fit::Overflow;
        }
        let mut value: i128 = 0;
        for &d in kept {
            value = value * 10 + i128::from(d - b'0');
        }
        if shift > 0 {
            value *= pow10(shift as u32);
        }
        if round_up {
            value += 1;
        }
        if !fits_precision(value, precision) {
            return Fit::Overflow;
        }
        Fit::Value(if self.negative { -value } else { value })
    }
}

/// The shortest decimal text of a double (the digits Java's `Double.toString` prints), as
/// Spark's `Decimal(double)` reads it; `None` for NaN and infinities.
pub fn f64_to_decimal_text(value: f64) -> Option<DecimalText> {
    if !value.is_finite() {
        return None;
    }
    parse_decimal_text(StackText::scientific(value).as_str())
}

/// Longest `{:e}` text of an `f64` is 24 bytes (`-2.2250738585072014e-308`).
const SCIENTIFIC_CAPACITY: usize = 32;

/// A fixed buffer for one number's text, so per-value formatting allocates nothing.
pub(crate) struct StackText {
    bytes: [u8; SCIENTIFIC_CAPACITY],
    len: usize,
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > SCIENTIFIC_CAPACITY {
            return Err(std::fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl StackText {
    /// Rust's shortest round-trip scientific text of `value` (`1.2345e8`, `-1e-4`).
    pub(crate) fn scientific<T: std::fmt::LowerExp>(value: T) -> StackText {
        let mut text = StackText {
            bytes: [0; SCIENTIFIC_CAPACITY],
            len: 0,
        };
        // Cannot fail: the capacity holds any f32/f64 in `{:e}` form.
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{value:e}"));
        text
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

/// The shortest round-trip digits of a finite double: `(negative, digits, exponent)` with
/// value = digits × 10^exponent (at most 17 digits, so they fit a `u64`).
pub fn shortest_digits(value: f64) -> Option<(bool, u64, i32)> {
    if !value.is_finite() {
        return None;
    }
    let text = StackText::scientific(value);
    let s = text.as_str();
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exponent) = body.split_once('e')?;
    let mut digits: u64 = 0;
    let mut fraction = 0;
    let mut seen_point = false;
    for b in mantissa.bytes() {
        if b == b'.' {
            seen_point = true;
        } else {
            digits = digits * 10 + u64::from(b - b'0');
            fraction += i32::from(seen_point);
        }
    }
    Some((negative, digits, exponent.parse::<i32>().ok()? - fraction))
}

/// A double as `decimal(precision, scale)`, through its shortest text and HALF_UP (Spark's
/// `Decimal(double)` then `changePrecision`); `None` when it does not fit or is not finite.
///
/// # Examples
/// ```
/// use query::functions::decimal::f64_to_decimal;
/// assert_eq!(f64_to_decimal(143.815, 10, 2), Some(14382));
/// assert_eq!(f64_to_decimal(-2.345, 4, 2), Some(-235));
/// assert_eq!(f64_to_decimal(12345.678, 4, 1), None);
/// ```
pub fn f64_to_decimal(value: f64, precision: u8, scale: i8) -> Option<i128> {
    let (negative, digits, exponent) = shortest_digits(value)?;
    let shift = exponent + i32::from(scale);
    let magnitude: i128 = if shift >= 0 {
        if digits == 0 {
            0
        } else if shift > 38 {
            return None;
        } else {
            i128::from(digits).checked_mul(pow10(shift as u32))?
        }
    } else {
        let drop = shift.unsigned_abs();
        // 10^19 is the largest power of ten in a u64; more dropped digits leave < 1/2.
        if drop > 19 {
            0
        } else {
            let divisor = 10_u64.pow(drop);
            let (q, r) = (digits / divisor, digits % divisor);
            i128::from(if r >= divisor - r { q + 1 } else { q })
        }
    };
    if !fits_precision(magnitude, precision) {
        return None;
    }
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_fit_half_up_and_overflow() {
        let fit = |s: &str, p, sc| parse_decimal_text(s).unwrap().fit(p, sc);
        assert_eq!(fit("2.345", 4, 2), Fit::Value(235));
        assert_eq!(fit("-2.345", 4, 2), Fit::Value(-235));
        assert_eq!(fit("12345.678", 4, 1), Fit::Overflow);
        assert_eq!(fit("999.95", 4, 1), Fit::Overflow);
        assert_eq!(fit("999.94", 4, 1), Fit::Value(9999));
        assert_eq!(fit("0.0004", 4, 3), Fit::Value(0));
        assert_eq!(fit("0.0005", 4, 3), Fit::Value(1));
        assert_eq!(fit("1e3", 5, 1), Fit::Value(10000));
        assert_eq!(fit("0", 1, 0), Fit::Value(0));
        assert_eq!(fit("0.000", 3, 3), Fit::Value(0));
    }

    #[test]
    fn test_double_to_decimal_uses_shortest_digits() {
        // 143.815 is 143.81499999999999772626324556767940521240234375 in binary, but Spark
        // reads the shortest text "143.815", so HALF_UP gives 143.82.
        let text = f64_to_decimal_text(143.815).unwrap();
        assert_eq!(text.fit(10, 2), Fit::Value(14382));
        assert!(f64_to_decimal_text(f64::NAN).is_none());
    }

    #[test]
    fn test_f64_to_decimal_matches_text_path() {
        for v in [
            0.0,
            -0.0,
            1.5,
            2.345,
            -2.345,
            143.815,
            1e-7,
            0.125,
            99.995,
            1234567.891,
            1e17,
            5e-324,
        ] {
            for (p, s) in [(10, 2), (38, 10), (5, 0), (38, 0)] {
                let by_text = f64_to_decimal_text(v)
                    .map(|t| t.fit(p, s))
                    .and_then(|f| match f {
                        Fit::Value(x) => Some(x),
                        Fit::Overflow => None,
                    });
                assert_eq!(f64_to_decimal(v, p, s), by_text, "{v} as decimal({p},{s})");
            }
        }
    }

    #[test]
    fn test_decimal_to_f64() {
        assert_eq!(decimal_to_f64(3333333, 6), 3.333333);
        assert_eq!(
            decimal_to_f64(i128::from(i64::MAX) * 1000, 3),
            9.223_372_036_854_776e18
        );
        assert_eq!(decimal_to_f32(46, 1), 4.6_f32);
    }

    #[test]
    fn test_fits_precision() {
        assert!(fits_precision(9999, 4));
        assert!(!fits_precision(-10000, 4));
        assert!(fits_precision(10_i128.pow(38) - 1, 38));
        assert!(!fits_precision(10_i128.pow(38), 38));
    }
}
