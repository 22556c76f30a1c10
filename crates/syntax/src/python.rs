//! Python tokens for the pipeline subset: names, numbers, strings (with `f`/`r` prefixes,
//! triple quotes and implicit concatenation left to the parser), operators, and the
//! NEWLINE/INDENT/DEDENT structure.

/// A token's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An identifier or keyword.
    Name(String),
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A string literal (one piece; adjacent pieces are joined by the parser).
    Str(StrLit),
    /// An operator or delimiter (`(`, `**`, `==`, `->`, `+=`, …).
    Op(&'static str),
    /// End of a logical line.
    Newline,
    /// The block got deeper.
    Indent,
    /// The block ended.
    Dedent,
    /// End of input.
    End,
}

/// A string literal piece.
#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    /// The value after unescaping (for f-strings: the raw body, parsed later).
    pub value: String,
    /// Whether it is an f-string.
    pub formatted: bool,
    /// Whether it is a bytes literal (not supported by the evaluator).
    pub bytes: bool,
    /// Byte offset of the body's first character (after prefix and quotes).
    pub body_start: usize,
}

/// A token and its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A lexing error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Where.
    pub offset: usize,
    /// What.
    pub message: String,
}

const OPERATORS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "->", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=",
    "-=", "*=", "/=", "%=", "&=", "|=", "^=", ":=", "(", ")", "[", "]", "{", "}", ",", ":", ".",
    ";", "@", "=", "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">",
];

/// Tokenize a Python source file.
pub fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    Lexer {
        text,
        bytes: text.as_bytes(),
        i: 0,
        tokens: Vec::new(),
        indents: vec![0],
        depth: 0,
    }
    .run()
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    tokens: Vec<Token>,
    indents: Vec<usize>,
    depth: usize,
}

impl Lexer<'_> {
    fn push(&mut self, tok: Tok, start: usize, end: usize) {
        self.tokens.push(Token { tok, start, end });
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> LexError {
        LexError {
            offset,
            message: message.into(),
        }
    }

    fn run(mut self) -> Result<Vec<Token>, LexError> {
        let mut at_line_start = true;
        while self.i < self.bytes.len() {
            if at_line_start && self.depth == 0 {
                if self.indentation()? {
                    continue;
                }
                at_line_start = false;
            }
            let c = self.bytes[self.i];
            let start = self.i;
            match c {
                b' ' | b'\t' | b'\x0c' => self.i += 1,
                b'#' => {
                    while self.i < self.bytes.len() && self.bytes[self.i] != b'\n' {
                        self.i += 1;
                    }
                }
                b'\\' if matches!(self.bytes.get(self.i + 1), Some(b'\n')) => self.i += 2,
                b'\\' if self.bytes.get(self.i + 1..self.i + 3) == Some(b"\r\n") => self.i += 3,
                b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    if self.depth == 0 {
                        if !matches!(
                            self.tokens.last().map(|t| &t.tok),
                            Some(Tok::Newline) | None
                        ) {
                            self.push(Tok::Newline, start, start + 1);
                        }
                        at_line_start = true;
                    }
                }
                b'0'..=b'9' => self.number()?,
                b'.' if self.bytes.get(self.i + 1).is_some_and(u8::is_ascii_digit) => {
                    self.number()?
                }
                b'"' | b'\'' => self.string(start, false, false, false)?,
                c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                    if let Some((raw, formatted, bytes, len)) = self.string_prefix() {
                        self.i += len;
                        self.string(start, raw, formatted, bytes)?;
                    } else {
                        self.name();
                    }
                }
                _ => self.operator()?,
            }
        }
        if !matches!(
            self.tokens.last().map(|t| &t.tok),
            Some(Tok::Newline) | None
        ) {
            self.push(Tok::Newline, self.i, self.i);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.push(Tok::Dedent, self.i, self.i);
        }
        self.push(Tok::End, self.i, self.i);
        Ok(self.tokens)
    }

    /// Measure the indentation of a new line; emit INDENT/DEDENT. Returns true for blank or
    /// comment-only lines (skipped).
    fn indentation(&mut self) -> Result<bool, LexError> {
        let start = self.i;
        let mut width = 0;
        while let Some(&c) = self.bytes.get(self.i) {
            match c {
                b' ' => width += 1,
                b'\t' => width = (width / 8 + 1) * 8,
                _ => break,
            }
            self.i += 1;
        }
        match self.bytes.get(self.i) {
            None | Some(b'\n' | b'#' | b'\r') => {
                while self.i < self.bytes.len() && self.bytes[self.i] != b'\n' {
                    self.i += 1;
                }
                self.i = (self.i + 1).min(self.bytes.len());
                return Ok(true);
            }
            _ => {}
        }
        let current = *self.indents.last().unwrap_or(&0);
        if width > current {
            self.indents.push(width);
            self.push(Tok::Indent, start, self.i);
        } else {
            while width < *self.indents.last().unwrap_or(&0) {
                self.indents.pop();
                self.push(Tok::Dedent, self.i, self.i);
            }
            if width != *self.indents.last().unwrap_or(&0) {
                return Err(self.error(
                    self.i,
                    "unindent does not match any outer indentation level",
                ));
            }
        }
        Ok(false)
    }

    fn name(&mut self) {
        let start = self.i;
        while self.i < self.bytes.len()
            && (self.bytes[self.i].is_ascii_alphanumeric()
                || self.bytes[self.i] == b'_'
                || self.bytes[self.i] >= 0x80)
        {
            self.i += 1;
        }
        self.push(
            Tok::Name(self.text[start..self.i].to_string()),
            start,
            self.i,
        );
    }

    /// `(raw, formatted, bytes, prefix length)` when a string prefix starts here.
    fn string_prefix(&self) -> Option<(bool, bool, bool, usize)> {
        let mut len = 0;
        let (mut raw, mut formatted, mut bytes) = (false, false, false);
        while len < 3 {
            match self.bytes.get(self.i + len).map(u8::to_ascii_lowercase) {
                Some(b'r') if !raw => raw = true,
                Some(b'f') if !formatted && !bytes => formatted = true,
                Some(b'b') if !bytes && !formatted => bytes = true,
                Some(b'u') if len == 0 => {}
                Some(b'"' | b'\'') if len > 0 => return Some((raw, formatted, bytes, len)),
                _ => return None,
            }
            len += 1;
        }
        matches!(self.bytes.get(self.i + len), Some(b'"' | b'\''))
            .then_some((raw, formatted, bytes, len))
    }

    fn string(
        &mut self,
        start: usize,
        raw: bool,
        formatted: bool,
        bytes: bool,
    ) -> Result<(), LexError> {
        let quote = self.bytes[self.i];
        let triple = self.bytes.get(self.i + 1) == Some(&quote)
            && self.bytes.get(self.i + 2) == Some(&quote);
        let q_len = if triple { 3 } else { 1 };
        self.i += q_len;
        let body_start = self.i;
        let mut value = String::new();
        loop {
            let Some(&c) = self.bytes.get(self.i) else {
                return Err(self.error(start, "unterminated string literal"));
            };
            if c == quote
                && (!triple
                    || (self.bytes.get(self.i + 1) == Some(&quote)
                        && self.bytes.get(self.i + 2) == Some(&quote)))
            {
                self.i += q_len;
                break;
            }
            if c == b'\n' && !triple {
                return Err(self.error(start, "unterminated string literal (a string cannot span lines without triple quotes)"));
            }
            if c == b'\\' && self.i + 1 < self.bytes.len() {
                let next = self.text[self.i + 1..].chars().next().unwrap_or(' ');
                if raw || formatted {
                    // f-strings are unescaped piece by piece later; raw strings keep backslashes.
                    value.push('\\');
                    value.push(next);
                } else {
                    match next {
                        'n' => value.push('\n'),
                        't' => value.push('\t'),
                        'r' => value.push('\r'),
                        '0' => value.push('\0'),
                        '\n' => {}
                        '\\' | '\'' | '"' => value.push(next),
                        other => {
                            value.push('\\');
                            value.push(other);
                        }
                    }
                }
                self.i += 1 + next.len_utf8();
                continue;
            }
            let ch = self.text[self.i..].chars().next().unwrap_or(' ');
            value.push(ch);
            self.i += ch.len_utf8();
        }
        if formatted && !raw {
            value = unescape_keep_braces(&value);
        }
        self.push(
            Tok::Str(StrLit {
                value,
                formatted,
                bytes,
                body_start,
            }),
            start,
            self.i,
        );
        Ok(())
    }

    fn number(&mut self) -> Result<(), LexError> {
        let start = self.i;
        let mut is_float = false;
        if self.bytes[self.i] == b'0'
            && matches!(
                self.bytes.get(self.i + 1),
                Some(b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
            )
        {
            self.i += 2;
            while self.i < self.bytes.len()
                && (self.bytes[self.i].is_ascii_hexdigit() || self.bytes[self.i] == b'_')
            {
                self.i += 1;
            }
            let digits: String = self.text[start + 2..self.i]
                .chars()
                .filter(|c| *c != '_')
                .collect();
            let radix = match self.bytes[start + 1].to_ascii_lowercase() {
                b'x' => 16,
                b'o' => 8,
                _ => 2,
            };
            let value = i64::from_str_radix(&digits, radix)
                .map_err(|_| self.error(start, "invalid integer literal"))?;
            self.push(Tok::Int(value), start, self.i);
            return Ok(());
        }
        while let Some(&c) = self.bytes.get(self.i) {
            match c {
                b'0'..=b'9' | b'_' => self.i += 1,
                b'.' => {
                    is_float = true;
                    self.i += 1;
                }
                b'e' | b'E' => {
                    is_float = true;
                    self.i += 1;
                    if matches!(self.bytes.get(self.i), Some(b'+' | b'-')) {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
        let digits: String = self.text[start..self.i]
            .chars()
            .filter(|c| *c != '_')
            .collect();
        let tok = if is_float {
            Tok::Float(
                digits
                    .parse()
                    .map_err(|_| self.error(start, "invalid float literal"))?,
            )
        } else {
            Tok::Int(
                digits
                    .parse()
                    .map_err(|_| self.error(start, "integer literal too large"))?,
            )
        };
        self.push(tok, start, self.i);
        Ok(())
    }

    fn operator(&mut self) -> Result<(), LexError> {
        let start = self.i;
        let rest = &self.text[self.i..];
        let Some(op) = OPERATORS.iter().find(|op| rest.starts_with(**op)) else {
            let ch = rest.chars().next().unwrap_or(' ');
            return Err(self.error(start, format!("unexpected character `{ch}`")));
        };
        match *op {
            "(" | "[" | "{" => self.depth += 1,
            ")" | "]" | "}" => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        self.i += op.len();
        self.push(Tok::Op(op), start, self.i);
        Ok(())
    }
}

/// Unescape an f-string body's backslash escapes (braces are handled by the f-string parser).
fn unescape_keep_braces(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('\n') | None => {}
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        tokenize(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn test_indent_dedent_and_newlines() {
        let toks = kinds("def f():\n    return 1\n\nx = 2\n");
        let expected = vec![
            Tok::Name("def".into()),
            Tok::Name("f".into()),
            Tok::Op("("),
            Tok::Op(")"),
            Tok::Op(":"),
            Tok::Newline,
            Tok::Indent,
            Tok::Name("return".into()),
            Tok::Int(1),
            Tok::Newline,
            Tok::Dedent,
            Tok::Name("x".into()),
            Tok::Op("="),
            Tok::Int(2),
            Tok::Newline,
            Tok::End,
        ];
        assert_eq!(toks, expected);
    }

    #[test]
    fn test_no_newline_inside_brackets() {
        let toks = kinds("f(\n  1,\n  2)\n");
        assert_eq!(toks.iter().filter(|t| **t == Tok::Newline).count(), 1);
    }

    #[test]
    fn test_string_prefixes_and_escapes() {
        let toks = kinds("a = f'{x}\\n' + r'\\d' + '''tri\nple''' + b'x'\n");
        let strs: Vec<_> = toks
            .iter()
            .filter_map(|t| match t {
                Tok::Str(s) => Some((s.value.clone(), s.formatted, s.bytes)),
                _ => None,
            })
            .collect();
        assert_eq!(
            strs,
            vec![
                ("{x}\n".to_string(), true, false),
                ("\\d".to_string(), false, false),
                ("tri\nple".to_string(), false, false),
                ("x".to_string(), false, true),
            ]
        );
    }

    #[test]
    fn test_comments_and_blank_lines_do_not_indent() {
        let toks = kinds("x = 1\n    # indented comment\n\ny = 2\n");
        assert!(!toks.contains(&Tok::Indent));
    }

    #[test]
    fn test_bad_dedent_is_an_error() {
        let err = tokenize("if x:\n    a = 1\n  b = 2\n").unwrap_err();
        assert!(err.message.contains("unindent"));
    }

    #[test]
    fn test_numbers() {
        assert_eq!(
            kinds("1_000 2.5 1e3 0x10")[..4],
            [
                Tok::Int(1000),
                Tok::Float(2.5),
                Tok::Float(1000.0),
                Tok::Int(16)
            ]
        );
    }
}
