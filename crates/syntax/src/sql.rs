//! Tokens of pipeline SQL files, only as far as the statement heads need them: the queries
//! themselves go to the query engine as text.

/// A token's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A word: keyword or identifier (unquoted).
    Word(String),
    /// A back-quoted identifier.
    Quoted(String),
    /// A string literal's value.
    Str(String),
    /// A number.
    Number(String),
    /// Punctuation or an operator (`(`, `)`, `,`, `.`, `=`, `;`, …).
    Punct(char),
}

/// A token with its byte range in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Token {
    /// Whether this is the (case-insensitive) keyword `kw`.
    pub fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    /// Whether this is punctuation `c`.
    pub fn is(&self, c: char) -> bool {
        self.tok == Tok::Punct(c)
    }

    /// The identifier text (word or back-quoted).
    pub fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Word(w) | Tok::Quoted(w) => Some(w),
            _ => None,
        }
    }
}

/// A lexing problem: an unterminated string, comment or quoted identifier at byte `offset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Where the unterminated construct starts.
    pub offset: usize,
    /// What is unterminated.
    pub message: String,
}

/// Tokenize `text` (comments and white space dropped).
pub fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let Some(close) = text[i + 2..].find("*/") else {
                    return Err(LexError {
                        offset: start,
                        message: "unterminated /* comment".into(),
                    });
                };
                i += close + 4;
            }
            b'\'' | b'"' => {
                let (value, end) = quoted(text, i, c).ok_or_else(|| LexError {
                    offset: start,
                    message: "unterminated string literal".into(),
                })?;
                tokens.push(Token {
                    tok: Tok::Str(value),
                    start,
                    end,
                });
                i = end;
            }
            b'`' => {
                let (value, end) = quoted(text, i, c).ok_or_else(|| LexError {
                    offset: start,
                    message: "unterminated `quoted identifier`".into(),
                })?;
                tokens.push(Token {
                    tok: Tok::Quoted(value),
                    start,
                    end,
                });
                i = end;
            }
            c if c.is_ascii_digit() => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                    i += 1;
                }
                tokens.push(Token {
                    tok: Tok::Number(text[start..i].to_string()),
                    start,
                    end: i,
                });
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                tokens.push(Token {
                    tok: Tok::Word(text[start..i].to_string()),
                    start,
                    end: i,
                });
            }
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                // `${key}` configuration references: one word token.
                let end = text[i..].find('}').map_or(bytes.len(), |e| i + e + 1);
                tokens.push(Token {
                    tok: Tok::Word(text[start..end].to_string()),
                    start,
                    end,
                });
                i = end;
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                i += ch.len_utf8();
                tokens.push(Token {
                    tok: Tok::Punct(ch),
                    start,
                    end: i,
                });
            }
        }
    }
    Ok(tokens)
}

/// A quoted literal starting at `start` with quote `q`: its value and the end offset. Doubled
/// quotes and backslash escapes (Spark's default) are unescaped.
fn quoted(text: &str, start: usize, q: u8) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let mut value = String::new();
    let mut i = start + 1;
    while i < bytes.len() {
        let c = bytes[i];
        if c == q {
            if bytes.get(i + 1) == Some(&q) {
                value.push(q as char);
                i += 2;
                continue;
            }
            return Some((value, i + 1));
        }
        if c == b'\\' && q != b'`' && i + 1 < bytes.len() {
            let next = text[i + 1..].chars().next()?;
            value.push(match next {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                other => other,
            });
            i += 1 + next.len_utf8();
            continue;
        }
        let ch = text[i..].chars().next()?;
        value.push(ch);
        i += ch.len_utf8();
    }
    None
}

/// Byte ranges of the `;`-separated statements of `text` that hold at least one token.
pub fn statements(tokens: &[Token]) -> Vec<&[Token]> {
    tokens
        .split(|t| t.is(';'))
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_strings_comments_and_identifiers() {
        let toks = tokenize("CREATE -- c\n`valid pressure` 'it''s' /* x */ a.b").unwrap();
        let kinds: Vec<Tok> = toks.into_iter().map(|t| t.tok).collect();
        assert_eq!(
            kinds,
            vec![
                Tok::Word("CREATE".into()),
                Tok::Quoted("valid pressure".into()),
                Tok::Str("it's".into()),
                Tok::Word("a".into()),
                Tok::Punct('.'),
                Tok::Word("b".into()),
            ]
        );
    }

    #[test]
    fn test_semicolon_inside_string_does_not_split() {
        let toks = tokenize("SELECT ';'; SELECT 2;").unwrap();
        assert_eq!(statements(&toks).len(), 2);
    }

    #[test]
    fn test_unterminated_string_reports_start() {
        let err = tokenize("SELECT 'abc").unwrap_err();
        assert_eq!(err.offset, 7);
    }
}
