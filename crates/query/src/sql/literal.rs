//! Spark's literal syntax: numbers with their types and suffixes, and string escapes.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, Decimal128Array, Float32Array, Float64Array, Int8Array, Int16Array, Int32Array,
    Int64Array,
};

use crate::plan::expr::Literal;
use crate::types::SparkType;

/// Spark's largest decimal precision.
const MAX_DECIMAL_PRECISION: usize = 38;

/// The literal a number token denotes. `long` is sqlparser's flag for an `L` suffix; other
/// suffixes (`D`, `F`, `BD`, `S`, `Y`) arrive appended to the text (see `tokens.rs`).
///
/// Without a suffix: an integer is `int` when it fits, else `bigint`, else `decimal(p,0)`;
/// a number with a point is `decimal(p,s)` with the digits written (`0.1` is
/// `decimal(1,1)`, `10.0` is `decimal(3,1)`); a number with an exponent is `double`.
pub fn number(text: &str, long: bool) -> Result<Literal, String> {
    let upper = text.to_ascii_uppercase();
    let (body, suffix) = if long {
        (upper.as_str(), "L")
    } else if let Some(b) = upper.strip_suffix("BD") {
        (b, "BD")
    } else if let Some(b) = upper.strip_suffix(['D', 'F', 'S', 'Y']) {
        (b, &upper[b.len()..])
    } else {
        (upper.as_str(), "")
    };
    let out_of_range = |t: &str| format!("the number {text} is out of range for {t}");
    let lit = |t: SparkType, a: ArrayRef| Ok(Literal::new(t, a));
    match suffix {
        "L" => body
            .parse::<i64>()
            .map(|v| Literal::new(SparkType::Long, Arc::new(Int64Array::from(vec![v]))))
            .map_err(|_| out_of_range("bigint")),
        "S" => body
            .parse::<i16>()
            .map(|v| Literal::new(SparkType::Short, Arc::new(Int16Array::from(vec![v]))))
            .map_err(|_| out_of_range("smallint")),
        "Y" => body
            .parse::<i8>()
            .map(|v| Literal::new(SparkType::Byte, Arc::new(Int8Array::from(vec![v]))))
            .map_err(|_| out_of_range("tinyint")),
        "D" => match body.parse::<f64>() {
            Ok(v) if v.is_finite() => lit(SparkType::Double, Arc::new(Float64Array::from(vec![v]))),
            _ => Err(out_of_range("double")),
        },
        "F" => match body.parse::<f32>() {
            Ok(v) if v.is_finite() => lit(SparkType::Float, Arc::new(Float32Array::from(vec![v]))),
            _ => Err(out_of_range("float")),
        },
        "BD" => decimal(body).ok_or_else(|| out_of_range("decimal")),
        _ if body.contains('E') => match body.parse::<f64>() {
            Ok(v) if v.is_finite() => lit(SparkType::Double, Arc::new(Float64Array::from(vec![v]))),
            _ => Err(out_of_range("double")),
        },
        _ if body.contains('.') => decimal(body).ok_or_else(|| out_of_range("decimal")),
        _ => {
            if let Ok(v) = body.parse::<i32>() {
                lit(SparkType::Int, Arc::new(Int32Array::from(vec![v])))
            } else if let Ok(v) = body.parse::<i64>() {
                lit(SparkType::Long, Arc::new(Int64Array::from(vec![v])))
            } else {
                decimal(body).ok_or_else(|| out_of_range("decimal"))
            }
        }
    }
}

/// A decimal literal from plain digits with an optional point (or an exponent, for `BD`).
fn decimal(text: &str) -> Option<Literal> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match text.split_once('E') {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = format!("{int_part}{frac_part}");
    let mut scale = frac_part.len() as i32 - exponent;
    if scale < 0 {
        digits.push_str(&"0".repeat((-scale) as usize));
        scale = 0;
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    let precision = significant.len().max(1).max(scale as usize);
    if precision > MAX_DECIMAL_PRECISION {
        return None;
    }
    let magnitude: i128 = if significant.is_empty() {
        0
    } else {
        significant.parse().ok()?
    };
    let unscaled = if negative { -magnitude } else { magnitude };
    let (p, s) = (precision as u8, scale as i8);
    let array = Decimal128Array::from(vec![unscaled])
        .with_precision_and_scale(p, s)
        .ok()?;
    Some(Literal::new(SparkType::Decimal(p, s), Arc::new(array)))
}

/// A string literal.
pub fn string(value: &str) -> Literal {
    Literal::new(
        SparkType::String,
        Arc::new(arrow::array::StringArray::from(vec![value])),
    )
}

/// Spark's escapes in string literals: `\n`, `\t`, `\r`, `\b`, `\0`, `\Z`, `\\`, `\'`, `\"`,
/// `\uXXXX`; `\%` and `\_` stay as written (for LIKE); any other `\c` is `c`.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            None => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('0') => out.push('\0'),
            Some('Z') => out.push('\u{1A}'),
            Some('%') => out.push_str("\\%"),
            Some('_') => out.push_str("\\_"),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => {
                        out.push(ch);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    _ => out.push('u'),
                }
            }
            Some(other) => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typ(text: &str) -> SparkType {
        number(text, false).unwrap().data_type
    }

    #[test]
    fn test_number_types_follow_spark() {
        assert_eq!(typ("42"), SparkType::Int);
        assert_eq!(typ("3000000000"), SparkType::Long);
        assert_eq!(typ("30000000000000000000"), SparkType::Decimal(20, 0));
        assert_eq!(typ("0.1"), SparkType::Decimal(1, 1));
        assert_eq!(typ("10.0"), SparkType::Decimal(3, 1));
        assert_eq!(typ("3.14"), SparkType::Decimal(3, 2));
        assert_eq!(typ("0.001"), SparkType::Decimal(3, 3));
        assert_eq!(typ("12.50"), SparkType::Decimal(4, 2));
        assert_eq!(typ("1e20"), SparkType::Double);
        assert_eq!(typ("3.14D"), SparkType::Double);
        assert_eq!(typ("4.6F"), SparkType::Float);
        assert_eq!(typ("1.5BD"), SparkType::Decimal(2, 1));
        assert_eq!(typ("7S"), SparkType::Short);
        assert_eq!(typ("7Y"), SparkType::Byte);
        assert_eq!(number("42", true).unwrap().data_type, SparkType::Long);
        assert!(number("300Y", false).is_err());
        assert_eq!(typ("-3.99"), SparkType::Decimal(3, 2));
    }

    #[test]
    fn test_decimal_value_keeps_digits() {
        let l = number("12.50", false).unwrap();
        let a = l.value.as_any().downcast_ref::<Decimal128Array>().unwrap();
        assert_eq!(a.value(0), 1250);
    }

    #[test]
    fn test_unescape_spark_rules() {
        assert_eq!(unescape(r" \t x "), " \t x ");
        assert_eq!(unescape(r"%\_%"), r"%\_%");
        assert_eq!(unescape(r"it\'s"), "it's");
        assert_eq!(unescape(r"\u0041\q"), "Aq");
    }
}
