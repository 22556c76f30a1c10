//! Python colouring from the engine's tokenizer ([`crate::python`]).

use super::spans::{Spans, gap_comments};
use super::{Class, resilient};
use crate::python::{Tok, Token, tokenize};

/// Python's keywords, sorted (`True`, `False`, `None` are constants).
const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Python's built-in functions and exception types, sorted.
const BUILTINS: &[&str] = &[
    "Exception",
    "IndexError",
    "KeyError",
    "RuntimeError",
    "TypeError",
    "ValueError",
    "abs",
    "all",
    "any",
    "bool",
    "bytes",
    "callable",
    "chr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

pub(super) fn highlight(text: &str, out: &mut Spans) {
    resilient(text, out, |t| tokenize(t).map_err(|e| e.offset), emit);
}

/// Colour one lexed piece of the text (at `base`) and the comments between its tokens.
fn emit(out: &mut Spans, base: usize, piece: &str, tokens: &[Token]) {
    let mut cursor = 0;
    let mut depth = 0usize;
    let mut in_decorator = false;
    let mut line_start = true;
    for (n, token) in tokens.iter().enumerate() {
        if token.start >= cursor {
            gap_comments(
                out,
                base + cursor,
                &piece[cursor..token.start],
                &["#"],
                false,
            );
        }
        cursor = cursor.max(token.end);
        let class = match &token.tok {
            Tok::Newline | Tok::Indent | Tok::Dedent | Tok::End => {
                if matches!(token.tok, Tok::Newline) {
                    line_start = true;
                    in_decorator = false;
                }
                continue;
            }
            Tok::Op("@") if line_start => {
                in_decorator = true;
                Class::Decorator
            }
            Tok::Op(".") if in_decorator => Class::Decorator,
            Tok::Name(_) if in_decorator => Class::Decorator,
            Tok::Name(name) => {
                let next_is_assign =
                    matches!(tokens.get(n + 1).map(|t| &t.tok), Some(Tok::Op("=")));
                name_class(name, depth > 0 && next_is_assign)
            }
            Tok::Int(_) | Tok::Float(_) => Class::Number,
            Tok::Str(_) => Class::String,
            Tok::Op(op) => {
                match *op {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => depth = depth.saturating_sub(1),
                    _ => {}
                }
                match *op {
                    "(" | ")" | "[" | "]" | "{" | "}" | "," | ":" | "." | ";" => Class::Punctuation,
                    _ => Class::Operator,
                }
            }
        };
        if !matches!(token.tok, Tok::Name(_) | Tok::Op("." | "@")) {
            in_decorator = false;
        }
        line_start = false;
        out.push(base + token.start, base + token.end, class);
    }
    gap_comments(
        out,
        base + cursor,
        piece.get(cursor..).unwrap_or(""),
        &["#"],
        false,
    );
}

/// A name's class; `keyword_argument` when it is followed by `=` inside brackets.
fn name_class(name: &str, keyword_argument: bool) -> Class {
    if matches!(name, "True" | "False" | "None") {
        Class::Constant
    } else if KEYWORDS.binary_search(&name).is_ok() {
        Class::Keyword
    } else if keyword_argument {
        Class::Key
    } else if BUILTINS.binary_search(&name).is_ok() {
        Class::Builtin
    } else {
        Class::Name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_word_lists_are_sorted_for_binary_search() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(BUILTINS.windows(2).all(|w| w[0] < w[1]));
    }
}
