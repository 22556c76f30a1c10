//! YAML colouring, line by line: comments, document markers, sequence dashes, keys, quoted
//! and plain scalars (with `${var.x}` interpolations), flow brackets, anchors, aliases and
//! tags, and the indented lines of `|`/`>` block scalars.

use super::Class;
use super::spans::Spans;

pub(super) fn highlight(text: &str, out: &mut Spans) {
    // The indentation of the line that opened a block scalar, while inside it.
    let mut block: Option<usize> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let blank = content.trim().is_empty();
        if let Some(opener) = block {
            if blank || indent > opener {
                out.push_string_with_vars(line_start + indent, line_start + content.len());
                line_start += line.len();
                continue;
            }
            block = None;
        }
        if scan_line(content, line_start, out) {
            block = Some(indent);
        }
        line_start += line.len();
    }
}

/// Colour one line (at `base`); true when it opens a block scalar.
fn scan_line(line: &str, base: usize, out: &mut Spans) -> bool {
    let bytes = line.as_bytes();
    let mut flow_depth = 0usize;
    let mut i = 0;
    if (line.starts_with("---") || line.starts_with("..."))
        && matches!(bytes.get(3), None | Some(b' ' | b'\t'))
    {
        out.push(base, base + 3, Class::Punctuation);
        i = 3;
    }
    while i < bytes.len() {
        let c = bytes[i];
        let after_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t');
        match c {
            b' ' | b'\t' => i += 1,
            b'#' if after_space => {
                out.push(base + i, base + bytes.len(), Class::Comment);
                return false;
            }
            b'-' if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => {
                out.push(base + i, base + i + 1, Class::Punctuation);
                i += 1;
            }
            b'[' | b'{' => {
                flow_depth += 1;
                out.push(base + i, base + i + 1, Class::Punctuation);
                i += 1;
            }
            b']' | b'}' | b',' => {
                if c != b',' {
                    flow_depth = flow_depth.saturating_sub(1);
                }
                out.push(base + i, base + i + 1, Class::Punctuation);
                i += 1;
            }
            b':' if ends_key(bytes, i) => {
                out.push(base + i, base + i + 1, Class::Punctuation);
                i += 1;
            }
            b'"' | b'\'' => {
                let end = quoted_end(bytes, i);
                if key_follows(bytes, end) {
                    out.push(base + i, base + end, Class::Key);
                } else {
                    out.push_string_with_vars(base + i, base + end);
                }
                i = end;
            }
            b'&' | b'*' | b'!' => {
                let end = word_end(bytes, i, flow_depth > 0);
                out.push(base + i, base + end, Class::Decorator);
                i = end;
            }
            b'|' | b'>' if block_indicator(&bytes[i + 1..]) => {
                out.push(base + i, base + i + 1, Class::Operator);
                let header = word_end(bytes, i, false);
                out.push(base + i + 1, base + header, Class::Operator);
                // What follows is a comment or nothing; the lines below are the scalar.
                scan_rest_comment(line, base, header, out);
                return true;
            }
            _ => {
                let end = plain_end(bytes, i, flow_depth > 0);
                let text = line.get(i..end).unwrap_or("");
                let class = if ends_key(bytes, end) {
                    Some(Class::Key)
                } else {
                    scalar_class(text)
                };
                match class {
                    Some(class) => out.push(base + i, base + end, class),
                    None => out.push_string_with_vars(base + i, base + end),
                }
                i = end.max(i + 1);
            }
        }
    }
    false
}

fn scan_rest_comment(line: &str, base: usize, from: usize, out: &mut Spans) {
    if let Some(n) = line.get(from..).and_then(|s| s.find('#')) {
        out.push(base + from + n, base + line.len(), Class::Comment);
    }
}

/// Whether a `:` at `i` ends a key (followed by white space or the end of the line).
fn ends_key(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&b':') && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t'))
}

/// Whether, after a quoted scalar ending at `end`, a key's `:` follows.
fn key_follows(bytes: &[u8], end: usize) -> bool {
    let mut at = end;
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    ends_key(bytes, at)
}

/// The end of a quoted scalar starting at `start` (or the line's end if unterminated).
fn quoted_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            c if c == quote => {
                if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Whether the rest after `|`/`>` is a block scalar header: chomping/indent digits, then
/// white space or the end.
fn block_indicator(rest: &[u8]) -> bool {
    let header = rest
        .iter()
        .take_while(|c| matches!(c, b'-' | b'+' | b'0'..=b'9'))
        .count();
    matches!(rest.get(header), None | Some(b' ' | b'\t' | b'\r'))
}

/// The end of an anchor/alias/tag word (or a block header) starting at `start`.
fn word_end(bytes: &[u8], start: usize, in_flow: bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len()
        && !matches!(bytes[i], b' ' | b'\t')
        && !(in_flow && matches!(bytes[i], b',' | b'[' | b']' | b'{' | b'}'))
    {
        i += 1;
    }
    i
}

/// The end of a plain scalar starting at `start`: before a key's `:`, ` #`, or (in flow
/// collections) a flow character, without trailing white space.
fn plain_end(bytes: &[u8], start: usize, in_flow: bool) -> usize {
    let mut i = start;
    while i < bytes.len() {
        let c = bytes[i];
        if ends_key(bytes, i)
            || (c == b'#' && i > start && matches!(bytes[i - 1], b' ' | b'\t'))
            || (in_flow && matches!(c, b',' | b'[' | b']' | b'{' | b'}'))
        {
            break;
        }
        i += 1;
    }
    while i > start && matches!(bytes[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    i
}

/// The class of a plain scalar value: constants and numbers; `None` for a string.
fn scalar_class(text: &str) -> Option<Class> {
    const CONSTANTS: &[&str] = &[
        "~", "FALSE", "False", "NULL", "Null", "TRUE", "True", "false", "null", "true",
    ];
    if CONSTANTS.contains(&text) {
        return Some(Class::Constant);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let numeric = !digits.is_empty()
        && digits.as_bytes()[0].is_ascii_digit()
        && digits
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'e' | b'E' | b'-' | b'+'));
    numeric.then_some(Class::Number)
}
