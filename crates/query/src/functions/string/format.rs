//! `format_number(x, d)` (Java's `#,###.##` with HALF_EVEN) and the number text helpers
//! shared with `format_string`.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StringArray};
use arrow::datatypes::{
    DataType, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
};

use crate::error::Result;
use crate::functions::cast::value_to_string;
use crate::functions::common::{
    Want, arg, booleans, check_arity, coerce_args, func, prim, strings,
};
use crate::functions::decimal::{
    DecimalText, decimal_to_string, f64_to_decimal_text, parse_decimal_text,
};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

/// One argument value, as Java's formatter sees it.
#[derive(Debug, Clone)]
pub(super) enum Value {
    Null,
    Int(i64),
    Float(f64),
    Decimal(i128, i8),
    Text(String),
    Bool(bool),
}

pub(super) fn value_at(array: &ArrayRef, row: usize) -> Result<Value> {
    if array.is_null(row) {
        return Ok(Value::Null);
    }
    Ok(match array.data_type() {
        DataType::Int8 => Value::Int(prim::<Int8Type>(array.as_ref())?.value(row).into()),
        DataType::Int16 => Value::Int(prim::<Int16Type>(array.as_ref())?.value(row).into()),
        DataType::Int32 => Value::Int(prim::<Int32Type>(array.as_ref())?.value(row).into()),
        DataType::Int64 => Value::Int(prim::<Int64Type>(array.as_ref())?.value(row)),
        DataType::Float32 => Value::Float(prim::<Float32Type>(array.as_ref())?.value(row).into()),
        DataType::Float64 => Value::Float(prim::<Float64Type>(array.as_ref())?.value(row)),
        DataType::Decimal128(_, s) => {
            Value::Decimal(prim::<Decimal128Type>(array.as_ref())?.value(row), *s)
        }
        DataType::Boolean => Value::Bool(booleans(array.as_ref())?.value(row)),
        DataType::Utf8 => Value::Text(strings(array.as_ref())?.value(row).to_string()),
        other => {
            let t = SparkType::from_arrow(other).unwrap_or(SparkType::String);
            Value::Text(value_to_string(array.as_ref(), row, &t)?.unwrap_or_default())
        }
    })
}

/// Group the integer digits in threes with `,`.
pub(super) fn group_thousands(int_digits: &str) -> String {
    let mut out = String::with_capacity(int_digits.len() * 4 / 3);
    for (i, c) in int_digits.chars().enumerate() {
        if i > 0 && (int_digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Fixed-point text of a decimal number rounded to `scale` digits; `half_even` chooses
/// HALF_EVEN (DecimalFormat) over HALF_UP (Formatter).
pub(super) fn fixed(text: &DecimalText, scale: usize, half_even: bool) -> (bool, String, String) {
    let len = text.digits.len() as i64;
    let keep = len + text.exponent + scale as i64;
    let mut digits: Vec<u8> = if keep <= 0 {
        Vec::new()
    } else {
        text.digits[..keep.min(len) as usize].to_vec()
    };
    if keep > len {
        digits.extend(std::iter::repeat_n(b'0', (keep - len) as usize));
    }
    if keep < len {
        let rest = &text.digits[keep.max(0) as usize..];
        let first = if keep < 0 { b'0' } else { rest[0] };
        let tail_nonzero = keep < 0 || rest[1..].iter().any(|d| *d != b'0');
        let last_odd = digits.last().is_some_and(|d| (d - b'0') % 2 == 1);
        let up = match first.cmp(&b'5') {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal if keep >= 0 => !half_even || tail_nonzero || last_odd,
            _ => false,
        };
        if up {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, b'1');
                    break;
                }
                i -= 1;
                if digits[i] == b'9' {
                    digits[i] = b'0';
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
    }
    while digits.len() < scale + 1 {
        digits.insert(0, b'0');
    }
    let split = digits.len() - scale;
    let int = String::from_utf8_lossy(&digits[..split])
        .trim_start_matches('0')
        .to_string();
    let int = if int.is_empty() { "0".to_string() } else { int };
    let frac = String::from_utf8_lossy(&digits[split..]).to_string();
    let zero = int == "0" && frac.bytes().all(|b| b == b'0');
    (text.negative && !zero, int, frac)
}

fn resolve_format_number(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let t = coerce_args(name, &args[..1], &[Want::Numeric])?.remove(0);
    let d = coerce_args(name, &args[1..], &[Want::Int])?.remove(0);
    Ok(Signature {
        args: vec![t, d],
        result: SparkType::String,
    })
}

fn invoke_format_number(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let x = arg(args, 0)?;
    let d = prim::<Int32Type>(arg(args, 1)?.as_ref())?;
    let out: StringArray = (0..x.len())
        .map(|i| {
            if d.is_null(i) || d.value(i) < 0 {
                return Ok(None);
            }
            let text = match value_at(x, i)? {
                Value::Int(v) => parse_decimal_text(&v.to_string()),
                Value::Float(v) => f64_to_decimal_text(v),
                Value::Decimal(v, s) => parse_decimal_text(&decimal_to_string(v, s)),
                _ => None,
            };
            Ok(text.map(|t| {
                let (negative, int, frac) = fixed(&t, d.value(i) as usize, true);
                let sign = if negative { "-" } else { "" };
                let int = group_thousands(&int);
                if frac.is_empty() {
                    format!("{sign}{int}")
                } else {
                    format!("{sign}{int}.{frac}")
                }
            }))
        })
        .collect::<Result<_>>()?;
    Ok(Arc::new(out))
}

func!(
    FORMAT_NUMBER,
    "format_number",
    resolve_format_number,
    invoke_format_number
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_fixed_half_even_and_grouping() {
        let t = |s: &str| parse_decimal_text(s).unwrap();
        assert_eq!(
            fixed(&t("0.125"), 2, true),
            (false, "0".into(), "12".into())
        );
        assert_eq!(
            fixed(&t("0.135"), 2, true),
            (false, "0".into(), "14".into())
        );
        assert_eq!(
            fixed(&t("9.999"), 2, true),
            (false, "10".into(), "00".into())
        );
        assert_eq!(
            fixed(&t("-0.001"), 2, true),
            (false, "0".into(), "00".into())
        );
        assert_eq!(group_thousands("1234567"), "1,234,567");
        assert_eq!(group_thousands("123"), "123");
    }
}
