//! How deep a query nests, bounded on its tokens before sqlparser builds a tree: a deep tree
//! would overflow the page's stack while being built, planned, evaluated or even dropped
//! (sqlparser's own recursion limit does not see left-deep chains such as `1 + 1 + ... + 1`,
//! which it builds in a loop).
//!
//! The estimate is conservative: at each token, the operators chained so far at every open
//! bracket level (reset by commas and clause keywords, which start a new expression), plus one
//! per open bracket, plus the joins and set operations so far at every level.

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::SourceOrigin;
use crate::error::{QueryError, Result};
use crate::limits::MAX_NESTING;

/// What an open bracket or `CASE` counts: sqlparser spends a level of its own recursion limit
/// on each, and lowering and planning several frames. Counting two makes this check, with its
/// clear message and place, trip before sqlparser's limit of 50 (whose error a `CASE` parse can
/// turn into an unrelated syntax error).
const BRACKET_COST: usize = 2;

/// `Err` at the first token where the query nests deeper than [`MAX_NESTING`].
pub(crate) fn check(tokens: &[TokenWithSpan], origin: SourceOrigin) -> Result<()> {
    // Per open bracket: (operators chained, joins and set operations) of the enclosing level.
    let mut outer: Vec<(usize, usize)> = Vec::new();
    let (mut chain, mut plans) = (0usize, 0usize);
    let mut outer_total = 0usize;
    // Whether the last token ends an operand: an operator after one is infix (a step of a
    // chain, built in a loop), anywhere else prefix (`- - x`, `NOT NOT x`: parser recursion).
    let mut after_operand = false;
    for tok in tokens {
        let operator_cost = if after_operand { 1 } else { BRACKET_COST };
        let mut operand = false;
        match &tok.token {
            Token::Whitespace(_) => continue,
            Token::LParen | Token::LBracket | Token::LBrace => {
                outer_total += chain + plans + BRACKET_COST;
                outer.push((chain, plans));
                (chain, plans) = (0, 0);
            }
            Token::RParen | Token::RBracket | Token::RBrace => {
                if let Some((c, p)) = outer.pop() {
                    outer_total -= c + p + BRACKET_COST;
                    (chain, plans) = (c, p);
                }
                operand = true;
            }
            Token::Comma | Token::SemiColon => chain = 0,
            Token::Word(w) => match w.keyword {
                Keyword::JOIN
                | Keyword::UNION
                | Keyword::EXCEPT
                | Keyword::INTERSECT
                | Keyword::MINUS => plans += 1,
                Keyword::CASE => {
                    outer_total += chain + plans + BRACKET_COST;
                    outer.push((chain, plans));
                    (chain, plans) = (0, 0);
                }
                Keyword::END => {
                    if let Some((c, p)) = outer.pop() {
                        outer_total -= c + p + BRACKET_COST;
                        (chain, plans) = (c, p);
                    }
                    operand = true;
                }
                Keyword::AND
                | Keyword::OR
                | Keyword::NOT
                | Keyword::IS
                | Keyword::LIKE
                | Keyword::ILIKE
                | Keyword::RLIKE
                | Keyword::REGEXP
                | Keyword::BETWEEN
                | Keyword::IN
                | Keyword::DIV
                | Keyword::XOR
                | Keyword::COLLATE => chain += operator_cost,
                Keyword::SELECT
                | Keyword::FROM
                | Keyword::WHERE
                | Keyword::GROUP
                | Keyword::HAVING
                | Keyword::ORDER
                | Keyword::LIMIT
                | Keyword::OFFSET
                | Keyword::WHEN
                | Keyword::THEN
                | Keyword::ELSE
                | Keyword::ON
                | Keyword::USING
                | Keyword::WINDOW
                | Keyword::QUALIFY
                | Keyword::VALUES => chain = 0,
                _ => operand = true,
            },
            Token::Number(..)
            | Token::SingleQuotedString(_)
            | Token::DoubleQuotedString(_)
            | Token::Placeholder(_) => operand = true,
            Token::Period => {}
            _ => chain += operator_cost,
        }
        after_operand = operand;
        let depth = outer_total + chain + plans;
        if depth > MAX_NESTING {
            return Err(QueryError::Unsupported {
                message: format!(
                    "the query nests deeper than {MAX_NESTING} levels here (operators chained in one expression, brackets, CASEs, joins and set operations; the limit keeps the engine inside the browser's stack): split it, e.g. into a WITH clause or a subquery per part"
                ),
                span: origin.span(tok.span),
            });
        }
    }
    Ok(())
}

/// Where brackets nest deepest first: the place to show when sqlparser's own recursion limit
/// stops the parse.
pub(crate) fn deepest_bracket(tokens: &[TokenWithSpan]) -> Option<&TokenWithSpan> {
    let (mut depth, mut best, mut at) = (0usize, 0usize, None);
    for tok in tokens {
        match tok.token {
            Token::LParen | Token::LBracket | Token::LBrace => {
                depth += 1;
                if depth > best {
                    (best, at) = (depth, Some(tok));
                }
            }
            Token::RParen | Token::RBracket | Token::RBrace => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::dialect::SparkDialect;
    use sqlparser::tokenizer::Tokenizer;

    fn tokenize(sql: &str) -> Vec<TokenWithSpan> {
        Tokenizer::new(&SparkDialect, sql)
            .tokenize_with_location()
            .unwrap()
    }

    fn depth_ok(sql: &str) -> bool {
        check(&tokenize(sql), SourceOrigin::default()).is_ok()
    }

    #[test]
    fn test_long_flat_lists_pass_and_long_chains_stop() {
        let list: Vec<String> = (0..5000).map(|i| i.to_string()).collect();
        assert!(depth_ok(&format!(
            "SELECT x IN ({}) FROM t",
            list.join(", ")
        )));
        assert!(depth_ok(&format!("SELECT {}", list.join(", "))));
        assert!(!depth_ok(&format!("SELECT {}", list.join(" + "))));
        let fine: Vec<String> = (0..MAX_NESTING / 2).map(|i| i.to_string()).collect();
        assert!(depth_ok(&format!("SELECT {}", fine.join(" + "))));
    }

    #[test]
    fn test_the_error_points_at_the_token_past_the_limit() {
        let sql = format!(
            "SELECT\n{}1{}",
            "(".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING)
        );
        let tokens = tokenize(&sql);
        let err = check(&tokens, SourceOrigin::default()).unwrap_err();
        let span = err.span().expect("a place");
        let past = (MAX_NESTING / BRACKET_COST + 1) as u32;
        assert_eq!((span.start.line, span.start.column), (2, past));
        assert!(err.to_string().contains(&MAX_NESTING.to_string()), "{err}");
    }
}
