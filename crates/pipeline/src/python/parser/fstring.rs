//! f-strings: the body split into text and `{expression}` parts, each expression parsed at its
//! position in the file.

use super::{R, parse_expression};
use crate::python::ast::FPart;
use crate::python::lexer::{LexError, StrLit};

/// Split an f-string body into text and `{expression}` parts.
pub(super) fn fstring_parts(lit: &StrLit) -> R<Vec<FPart>> {
    let body = &lit.value;
    let bytes = body.as_bytes();
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                text.push('{');
                i += 2;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                text.push('}');
                i += 2;
            }
            b'{' => {
                let close = matching_brace(body, i + 1).ok_or_else(|| LexError {
                    offset: lit.body_start + i,
                    message: "f-string: `{` is never closed".into(),
                })?;
                let inner = &body[i + 1..close];
                let (expr_text, spec) = split_format_spec(inner);
                let expr_text = expr_text
                    .strip_suffix("!r")
                    .or_else(|| expr_text.strip_suffix("!s"))
                    .unwrap_or(expr_text);
                let expr_text = expr_text.strip_suffix('=').unwrap_or(expr_text);
                let expr = parse_expression(expr_text, lit.body_start + i + 1)?;
                if !text.is_empty() {
                    parts.push(FPart::Text(std::mem::take(&mut text)));
                }
                parts.push(FPart::Value {
                    expr: Box::new(expr),
                    spec: spec.map(str::to_string),
                });
                i = close + 1;
            }
            b'}' => {
                return Err(LexError {
                    offset: lit.body_start + i,
                    message: "f-string: single `}` is not allowed (write `}}`)".into(),
                });
            }
            _ => {
                let ch = body[i..].chars().next().unwrap_or(' ');
                text.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    if !text.is_empty() {
        parts.push(FPart::Text(text));
    }
    Ok(parts)
}

fn matching_brace(body: &str, from: usize) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (offset, c) in body[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, '}') if depth == 0 => return Some(from + offset),
            (None, '}') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `expr:spec` → (`expr`, `spec`), ignoring `:` inside brackets, strings and lambdas' `!=`.
fn split_format_spec(inner: &str) -> (&str, Option<&str>) {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ':') if depth == 0 => return (&inner[..i], Some(&inner[i + 1..])),
            _ => {}
        }
    }
    (inner, None)
}
