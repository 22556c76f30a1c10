//! JSON colouring: keys, strings, numbers, `true`/`false`/`null`, punctuation; anything else
//! (comments included, which JSON does not have) is an error.

use super::Class;
use super::spans::Spans;

pub(super) fn highlight(text: &str, out: &mut Spans) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                out.push(i, i + 1, Class::Punctuation);
                i += 1;
            }
            b'"' => {
                let (end, closed) = string_end(bytes, i);
                let class = if !closed {
                    Class::Error
                } else if key_follows(bytes, end) {
                    Class::Key
                } else {
                    Class::String
                };
                out.push(i, end, class);
                i = end;
            }
            b'-' | b'0'..=b'9' => {
                let end = run_end(bytes, i, |c| {
                    c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')
                });
                out.push(i, end, Class::Number);
                i = end;
            }
            _ => {
                let end = run_end(bytes, i, |c| {
                    !matches!(
                        c,
                        b' ' | b'\t'
                            | b'\r'
                            | b'\n'
                            | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b','
                            | b':'
                            | b'"'
                    )
                });
                let class = match &bytes[i..end] {
                    b"true" | b"false" | b"null" => Class::Constant,
                    _ => Class::Error,
                };
                out.push(i, end, class);
                i = end;
            }
        }
    }
}

/// The end of a string starting at `start` and whether it was closed on its line.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return (i + 1, true),
            b'\n' => return (i, false),
            _ => i += 1,
        }
    }
    (bytes.len(), false)
}

/// Whether a `:` follows a string ending at `end` (so the string is a key).
fn key_follows(bytes: &[u8], end: usize) -> bool {
    let mut at = end;
    while matches!(bytes.get(at), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        at += 1;
    }
    bytes.get(at) == Some(&b':')
}

fn run_end(bytes: &[u8], start: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut i = start + 1;
    while i < bytes.len() && keep(bytes[i]) {
        i += 1;
    }
    i
}
