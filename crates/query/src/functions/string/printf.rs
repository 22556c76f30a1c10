//! `format_string`/`printf`: a subset of `java.util.Formatter` (`%s %d %f %e %x %o %c %b
//! %% %n`, flags `-0+ ,(`, width, precision and `n$` argument indexes).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StringArray};

use super::format::{Value, fixed, group_thousands, value_at};
use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, strings};
use crate::functions::decimal::{
    DecimalText, decimal_to_string, f64_to_decimal_text, parse_decimal_text,
};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

/// One `%` directive.
#[derive(Debug, Default)]
struct Spec {
    index: Option<usize>,
    left: bool,
    zero: bool,
    plus: bool,
    space: bool,
    comma: bool,
    paren: bool,
    width: Option<usize>,
    precision: Option<usize>,
    conversion: char,
}

fn bad_format(fmt: &str, why: &str) -> QueryError {
    QueryError::execution(
        ErrorClass::InvalidFormat,
        format!("The format string '{fmt}' is invalid: {why}."),
    )
}

enum Piece {
    Literal(String),
    Directive(Spec),
}

fn parse_format(fmt: &str) -> Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        let mut spec = Spec::default();
        let mut number = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            number.push(d);
            chars.next();
        }
        if chars.peek() == Some(&'$') {
            chars.next();
            spec.index = number.parse().ok();
            number.clear();
        }
        if number.is_empty() {
            while let Some(&f) = chars.peek().filter(|f| "-0+ ,(#".contains(**f)) {
                match f {
                    '-' => spec.left = true,
                    '0' => spec.zero = true,
                    '+' => spec.plus = true,
                    ' ' => spec.space = true,
                    ',' => spec.comma = true,
                    '(' => spec.paren = true,
                    _ => {}
                }
                chars.next();
            }
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                number.push(d);
                chars.next();
            }
        } else if number.starts_with('0') {
            spec.zero = true;
        }
        spec.width = number.parse().ok();
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            spec.precision = Some(
                p.parse()
                    .map_err(|_| bad_format(fmt, "precision without digits"))?,
            );
        }
        spec.conversion = chars
            .next()
            .ok_or_else(|| bad_format(fmt, "it ends with '%'"))?;
        match spec.conversion {
            '%' => literal.push('%'),
            'n' => literal.push('\n'),
            's' | 'S' | 'd' | 'f' | 'e' | 'E' | 'x' | 'X' | 'o' | 'c' | 'b' | 'B' => {
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Directive(spec));
            }
            other => return Err(bad_format(fmt, &format!("unknown conversion '%{other}'"))),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

fn signed(spec: &Spec, negative: bool, body: String) -> String {
    match (negative, spec.paren, spec.plus, spec.space) {
        (true, true, _, _) => format!("({body})"),
        (true, false, _, _) => format!("-{body}"),
        (false, _, true, _) => format!("+{body}"),
        (false, _, false, true) => format!(" {body}"),
        _ => body,
    }
}

fn render(spec: &Spec, value: &Value, fmt: &str) -> Result<String> {
    let mismatch = || {
        bad_format(
            fmt,
            &format!("'%{}' does not fit the argument {value:?}", spec.conversion),
        )
    };
    let text = match (spec.conversion, value) {
        ('b' | 'B', Value::Null) => "false".into(),
        ('b' | 'B', Value::Bool(b)) => b.to_string(),
        ('b' | 'B', _) => "true".into(),
        (_, Value::Null) => "null".into(),
        ('s' | 'S', v) => {
            let s = match v {
                Value::Int(i) => i.to_string(),
                Value::Float(f) => crate::functions::format::java_double_to_string(*f),
                Value::Decimal(d, s) => decimal_to_string(*d, *s),
                Value::Text(t) => t.clone(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".into(),
            };
            match spec.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s,
            }
        }
        ('d', Value::Int(i)) => {
            let digits = i.unsigned_abs().to_string();
            signed(
                spec,
                *i < 0,
                if spec.comma {
                    group_thousands(&digits)
                } else {
                    digits
                },
            )
        }
        ('d', Value::Decimal(d, 0)) => signed(spec, *d < 0, d.unsigned_abs().to_string()),
        ('x' | 'X' | 'o', Value::Int(i)) => match spec.conversion {
            'x' => format!("{i:x}"),
            'X' => format!("{i:X}"),
            _ => format!("{i:o}"),
        },
        ('c', Value::Int(i)) => char::from_u32(*i as u32).ok_or_else(mismatch)?.to_string(),
        ('c', Value::Text(t)) if t.chars().count() == 1 => t.clone(),
        ('f' | 'e' | 'E', v) => {
            let text = match v {
                Value::Float(f) if !f.is_finite() => {
                    return Ok(pad(
                        spec,
                        crate::functions::format::java_double_to_string(*f),
                    ));
                }
                Value::Float(f) => f64_to_decimal_text(*f),
                Value::Decimal(d, s) => parse_decimal_text(&decimal_to_string(*d, *s)),
                _ => None,
            }
            .ok_or_else(mismatch)?;
            let precision = spec.precision.unwrap_or(6);
            if spec.conversion == 'f' {
                let (negative, int, frac) = fixed(&text, precision, false);
                let int = if spec.comma {
                    group_thousands(&int)
                } else {
                    int
                };
                let body = if frac.is_empty() {
                    int
                } else {
                    format!("{int}.{frac}")
                };
                signed(spec, negative, body)
            } else {
                let exp = text.digits.len() as i64 + text.exponent - 1;
                let scaled = DecimalText {
                    negative: text.negative,
                    digits: text.digits.clone(),
                    exponent: text.exponent - exp,
                };
                let (negative, int, frac) = fixed(&scaled, precision, false);
                // Rounding may carry into a new digit (9.99e1 → 10.0): renormalise.
                let (int, frac, exp) = if int.len() > 1 {
                    let all = format!("{int}{frac}");
                    (
                        all[..1].to_string(),
                        all[1..=precision].to_string(),
                        exp + 1,
                    )
                } else {
                    (int, frac, exp)
                };
                let e = if spec.conversion == 'E' { 'E' } else { 'e' };
                let sign = if exp < 0 { '-' } else { '+' };
                let body = if frac.is_empty() {
                    int
                } else {
                    format!("{int}.{frac}")
                };
                signed(
                    spec,
                    negative,
                    format!("{body}{e}{sign}{:02}", exp.unsigned_abs()),
                )
            }
        }
        _ => return Err(mismatch()),
    };
    let text = if matches!(spec.conversion, 'S' | 'X' | 'E' | 'B') {
        text.to_uppercase()
    } else {
        text
    };
    Ok(pad(spec, text))
}

fn pad(spec: &Spec, text: String) -> String {
    let Some(width) = spec.width else { return text };
    let len = text.chars().count();
    if len >= width {
        return text;
    }
    let fill = width - len;
    if spec.left {
        format!("{text}{}", " ".repeat(fill))
    } else if spec.zero && "dfeExXo".contains(spec.conversion) {
        let (sign, digits) = match text.strip_prefix(['-', '+', ' ']) {
            Some(rest) => (&text[..1], rest),
            None => ("", text.as_str()),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{text}", " ".repeat(fill))
    }
}

fn resolve_format_string(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, usize::MAX)?;
    let mut types = coerce_args(name, &args[..1], &[Want::String])?;
    types.extend(args[1..].iter().map(|a| a.data_type.clone()));
    Ok(Signature {
        args: types,
        result: SparkType::String,
    })
}

fn invoke_format_string(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let fmt = strings(arg(args, 0)?.as_ref())?;
    let mut parsed: Option<(String, Vec<Piece>)> = None;
    let mut out = Vec::with_capacity(num_rows);
    for i in 0..num_rows {
        if fmt.is_null(i) {
            out.push(None);
            continue;
        }
        let text = fmt.value(i);
        if parsed.as_ref().is_none_or(|(f, _)| f != text) {
            parsed = Some((text.to_string(), parse_format(text)?));
        }
        let pieces = parsed
            .as_ref()
            .map(|(_, p)| p.as_slice())
            .unwrap_or_default();
        let mut line = String::new();
        let mut next = 0;
        for piece in pieces {
            match piece {
                Piece::Literal(l) => line.push_str(l),
                Piece::Directive(spec) => {
                    let index = spec.index.unwrap_or_else(|| {
                        next += 1;
                        next
                    });
                    let column = args.get(index).ok_or_else(|| {
                        QueryError::execution(
                            ErrorClass::InvalidFormat,
                            format!("The format string '{text}' needs argument {index}, which is missing."),
                        )
                    })?;
                    line.push_str(&render(spec, &value_at(column, i)?, text)?);
                }
            }
        }
        out.push(Some(line));
    }
    Ok(Arc::new(StringArray::from(out)))
}

func!(
    FORMAT_STRING,
    "format_string",
    resolve_format_string,
    invoke_format_string
);
func!(
    PRINTF,
    "printf",
    resolve_format_string,
    invoke_format_string
);

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(format: &str, values: &[Value]) -> String {
        let mut next = 0;
        parse_format(format)
            .unwrap()
            .iter()
            .map(|p| match p {
                Piece::Literal(l) => l.clone(),
                Piece::Directive(spec) => {
                    let k = spec.index.unwrap_or_else(|| {
                        next += 1;
                        next
                    });
                    render(spec, &values[k - 1], format).unwrap()
                }
            })
            .collect()
    }

    #[test]
    fn test_format_string_conversions() {
        assert_eq!(
            fmt("%s-%d", &[Value::Text("a".into()), Value::Int(7)]),
            "a-7"
        );
        assert_eq!(fmt("%.2f", &[Value::Float(1.23456)]), "1.23");
        assert_eq!(fmt("%.2f", &[Value::Float(0.125)]), "0.13");
        assert_eq!(
            fmt(
                "%5.1f|%-5d|%05d",
                &[Value::Float(2.25), Value::Int(42), Value::Int(-42)]
            ),
            "  2.3|42   |-0042"
        );
        assert_eq!(fmt("%,d", &[Value::Int(1234567)]), "1,234,567");
        assert_eq!(
            fmt(
                "%x %X %o",
                &[Value::Int(255), Value::Int(255), Value::Int(8)]
            ),
            "ff FF 10"
        );
        assert_eq!(fmt("%e", &[Value::Float(12345.678)]), "1.234568e+04");
        assert_eq!(
            fmt(
                "%2$s %1$s",
                &[Value::Text("b".into()), Value::Text("a".into())]
            ),
            "a b"
        );
        assert_eq!(fmt("100%% %s", &[Value::Null]), "100% null");
        assert!(parse_format("%q").is_err());
    }
}
