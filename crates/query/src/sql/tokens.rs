//! Token-level rewrites for Spark syntax sqlparser does not know. Each is narrow and keeps the
//! original spans, so errors still point at what the user wrote:
//!
//! - numeric literal suffixes `D`, `F`, `BD`, `S`, `Y` written right after a number (`3.14D`,
//!   `4.6F`, `1.5BD`): merged into the number token (`3.14D`), decoded by `literal.rs`
//!   (sqlparser already handles `L`);
//! - `STREAM name` in FROM/JOIN (Spark declarative pipelines) becomes `STREAM(name)`, the
//!   table-valued function form the relation resolver receives.

use sqlparser::keywords::Keyword;
#[cfg(test)]
use sqlparser::tokenizer::Word;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// Suffixes Spark accepts after a number (`L` is handled by the tokenizer).
const NUMBER_SUFFIXES: [&str; 5] = ["D", "F", "BD", "S", "Y"];

/// Apply every rewrite.
pub fn rewrite(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    stream_calls(number_suffixes(tokens))
}

fn number_suffixes(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let mut out: Vec<TokenWithSpan> = Vec::with_capacity(tokens.len());
    for tok in tokens {
        if let (Token::Word(w), Some(prev)) = (&tok.token, out.last_mut())
            && let Token::Number(n, false) = &prev.token
            && w.quote_style.is_none()
            && NUMBER_SUFFIXES
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&w.value))
            && adjacent(prev, &tok)
        {
            let merged = format!("{n}{}", w.value.to_ascii_uppercase());
            prev.token = Token::Number(merged, false);
            prev.span.end = tok.span.end;
            continue;
        }
        out.push(tok);
    }
    out
}

/// Whether `b` starts right where `a` ends (no whitespace between).
fn adjacent(a: &TokenWithSpan, b: &TokenWithSpan) -> bool {
    a.span.end.line == b.span.start.line && a.span.end.column == b.span.start.column
}

fn is_stream_word(t: &Token) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("stream"))
}

fn opens_relation(t: &Token) -> bool {
    match t {
        Token::Comma => true,
        Token::Word(w) => matches!(w.keyword, Keyword::FROM | Keyword::JOIN),
        _ => false,
    }
}

fn is_identifier(t: &Token) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_some() || w.keyword == Keyword::NoKeyword
        || !matches!(w.keyword, Keyword::WHERE | Keyword::JOIN | Keyword::ON | Keyword::AS
            | Keyword::GROUP | Keyword::ORDER | Keyword::LIMIT | Keyword::UNION))
}

fn stream_calls(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let significant: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
        .map(|(i, _)| i)
        .collect();
    // (index of the STREAM token, index of the last token of the name)
    let mut rewrites: Vec<(usize, usize)> = Vec::new();
    for (k, &i) in significant.iter().enumerate() {
        if !is_stream_word(&tokens[i].token) || k == 0 {
            continue;
        }
        if !opens_relation(&tokens[significant[k - 1]].token) {
            continue;
        }
        let Some(&first) = significant.get(k + 1) else {
            continue;
        };
        if !is_identifier(&tokens[first].token) {
            continue;
        }
        // Extend over `a.b.c`.
        let mut last_k = k + 1;
        while let (Some(&dot), Some(&next)) =
            (significant.get(last_k + 1), significant.get(last_k + 2))
        {
            if tokens[dot].token == Token::Period && is_identifier(&tokens[next].token) {
                last_k += 2;
            } else {
                break;
            }
        }
        rewrites.push((i, significant[last_k]));
    }
    if rewrites.is_empty() {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len() + 2 * rewrites.len());
    for (i, tok) in tokens.into_iter().enumerate() {
        let span = tok.span;
        let is_start = rewrites.iter().any(|&(s, _)| s == i);
        let is_end = rewrites.iter().any(|&(_, e)| e == i);
        out.push(tok);
        if is_start {
            out.push(TokenWithSpan::new(Token::LParen, span));
        }
        if is_end {
            out.push(TokenWithSpan::new(Token::RParen, span));
        }
    }
    out
}

/// A word token's text, for tests.
#[cfg(test)]
fn word(t: &Token) -> Option<&Word> {
    match t {
        Token::Word(w) => Some(w),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::dialect::SparkDialect;
    use sqlparser::tokenizer::Tokenizer;

    fn texts(sql: &str) -> Vec<String> {
        let tokens = Tokenizer::new(&SparkDialect, sql)
            .tokenize_with_location()
            .unwrap();
        rewrite(tokens)
            .into_iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_)))
            .map(|t| {
                word(&t.token)
                    .map(|w| w.value.clone())
                    .unwrap_or_else(|| t.token.to_string())
            })
            .collect()
    }

    #[test]
    fn test_number_suffixes_merge_only_when_adjacent() {
        assert_eq!(
            texts("SELECT 3.14D, 4.6f, 1BD, 3 d"),
            ["SELECT", "3.14D", ",", "4.6F", ",", "1BD", ",", "3", "d"]
        );
    }

    #[test]
    fn test_stream_becomes_a_call() {
        assert_eq!(
            texts("SELECT * FROM STREAM live.raw WHERE x"),
            [
                "SELECT", "*", "FROM", "STREAM", "(", "live", ".", "raw", ")", "WHERE", "x"
            ]
        );
        assert_eq!(
            texts("SELECT * FROM STREAM(raw)"),
            ["SELECT", "*", "FROM", "STREAM", "(", "raw", ")"]
        );
        assert_eq!(
            texts("SELECT stream FROM t"),
            ["SELECT", "stream", "FROM", "t"]
        );
    }
}
