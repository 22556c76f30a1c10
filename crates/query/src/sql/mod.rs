//! The SQL front end: Spark SQL text to sqlparser's AST, with errors at line:col of the
//! caller's file, and the lowering of AST expressions to [`crate::expr::Expr`].

mod depth;
pub(crate) mod dialect;
pub(crate) mod literal;
pub(crate) mod lower;
mod lower_call;
mod lower_json;
mod lower_literal;
mod tokens;

use sqlparser::ast::Query;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location as AstLocation, Span as AstSpan, Token, Tokenizer};

use crate::error::{Location, QueryError, Result, Span};
use dialect::SparkDialect;

/// Where a piece of SQL starts in the file it was taken from, so errors point into the file.
/// The default (line 1, column 1) is a query on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceOrigin {
    /// 1-based line of the query's first character in the file.
    pub line: u32,
    /// 1-based column of the query's first character in the file.
    pub column: u32,
}

impl Default for SourceOrigin {
    fn default() -> SourceOrigin {
        SourceOrigin { line: 1, column: 1 }
    }
}

impl SourceOrigin {
    /// A query starting at `line`:`column` of its file.
    pub fn new(line: u32, column: u32) -> SourceOrigin {
        SourceOrigin { line, column }
    }

    /// Map a location inside the query text to the file.
    pub fn location(&self, line: u64, column: u64) -> Location {
        let line = u32::try_from(line.max(1)).unwrap_or(u32::MAX);
        let column = u32::try_from(column.max(1)).unwrap_or(u32::MAX);
        if line == 1 {
            Location {
                line: self.line,
                column: self.column + column - 1,
            }
        } else {
            Location {
                line: self.line + line - 1,
                column,
            }
        }
    }

    /// Map an sqlparser span; `None` for the empty span sqlparser uses when it lacks one.
    pub fn span(&self, span: AstSpan) -> Option<Span> {
        if span.start.line == 0 {
            return None;
        }
        let end = if span.end.line == 0 {
            span.start
        } else {
            span.end
        };
        Some(Span {
            start: self.location(span.start.line, span.start.column),
            end: self.location(end.line, end.column + 1),
        })
    }
}

fn tokenize(sql: &str, origin: SourceOrigin) -> Result<Vec<sqlparser::tokenizer::TokenWithSpan>> {
    let tokens = Tokenizer::new(&SparkDialect, sql)
        .tokenize_with_location()
        .map_err(|e| {
            let loc = origin.location(e.location.line, e.location.column);
            QueryError::Syntax {
                message: format!("Syntax error: {}", e.message),
                span: Some(Span {
                    start: loc,
                    end: loc,
                }),
            }
        })?;
    let tokens = tokens::rewrite(tokens);
    depth::check(&tokens, origin)?;
    Ok(tokens)
}

/// Parse one query (`SELECT`, `WITH`, `VALUES`, set operations). Leading and trailing `;` are
/// allowed.
///
/// This calls sqlparser's `parse_query`, not `parse_statements`: the statement parser makes every
/// statement kind (CREATE, ALTER, GRANT, ...) reachable, hundreds of KB of wasm that can never
/// run here. A statement that is not a query is recognised by its first keyword instead.
pub(crate) fn parse_query(sql: &str, origin: SourceOrigin) -> Result<Box<Query>> {
    let tokens = tokenize(sql, origin)?;
    let mut parser = Parser::new(&SparkDialect).with_tokens_with_locations(tokens);
    // Empty statements (`;;`) are skipped, as sqlparser's statement list does.
    while parser.consume_token(&Token::SemiColon) {}
    let first = parser.peek_token();
    match &first.token {
        Token::EOF => {
            return Err(QueryError::Syntax {
                message: "Syntax error at or near end of input: the text holds no query".into(),
                span: Some(end_span(sql, origin)),
            });
        }
        Token::LParen => {}
        Token::Word(word) if QUERY_KEYWORDS.contains(&word.keyword) => {}
        Token::Word(word) if STATEMENT_KEYWORDS.contains(&word.keyword) => {
            return Err(QueryError::Unsupported {
                message: "only queries (SELECT, WITH, VALUES) can run here".into(),
                span: origin.span(first.span),
            });
        }
        _ => {
            return parser
                .expected("an SQL statement", first)
                .map_err(|e| syntax_error(e, sql, origin));
        }
    }
    let query = parser
        .parse_query()
        .map_err(|e| syntax_error(e, sql, origin))?;
    let delimited = parser.consume_token(&Token::SemiColon);
    while parser.consume_token(&Token::SemiColon) {}
    let next = parser.peek_token();
    match next.token {
        Token::EOF => Ok(query),
        _ if delimited => Err(QueryError::Syntax {
            message: "Syntax error: expected one query, found several statements".into(),
            span: origin.span(next.span),
        }),
        _ => parser
            .expected("end of statement", next)
            .map_err(|e| syntax_error(e, sql, origin)),
    }
}

/// The keywords sqlparser's statement parser hands to its query parser (with `(`).
const QUERY_KEYWORDS: &[Keyword] = &[
    Keyword::SELECT,
    Keyword::WITH,
    Keyword::VALUES,
    Keyword::FROM,
];

/// The keywords sqlparser's statement parser (for this dialect) starts a statement other than a
/// query with: text starting with one of them is a statement that cannot run here, anything else
/// is a syntax error, as when the statement parser was called.
const STATEMENT_KEYWORDS: &[Keyword] = &[
    Keyword::ABORT,
    Keyword::ALTER,
    Keyword::ANALYZE,
    Keyword::ASSERT,
    Keyword::ATTACH,
    Keyword::BEGIN,
    Keyword::CACHE,
    Keyword::CALL,
    Keyword::CASE,
    Keyword::CLOSE,
    Keyword::COMMIT,
    Keyword::COPY,
    Keyword::CREATE,
    Keyword::DEALLOCATE,
    Keyword::DECLARE,
    Keyword::DELETE,
    Keyword::DENY,
    Keyword::DESC,
    Keyword::DESCRIBE,
    Keyword::DISCARD,
    Keyword::DROP,
    Keyword::END,
    Keyword::EXEC,
    Keyword::EXECUTE,
    Keyword::EXPLAIN,
    Keyword::EXPORT,
    Keyword::FETCH,
    Keyword::FLUSH,
    Keyword::GRANT,
    Keyword::IF,
    Keyword::INSERT,
    Keyword::KILL,
    Keyword::LOAD,
    Keyword::LOCK,
    Keyword::MERGE,
    Keyword::MSCK,
    Keyword::OPEN,
    Keyword::PRAGMA,
    Keyword::PREPARE,
    Keyword::PRINT,
    Keyword::RAISE,
    Keyword::RAISERROR,
    Keyword::REFRESH,
    Keyword::RELEASE,
    Keyword::RENAME,
    Keyword::REPLACE,
    Keyword::RESET,
    Keyword::RETURN,
    Keyword::REVOKE,
    Keyword::ROLLBACK,
    Keyword::SAVEPOINT,
    Keyword::SET,
    Keyword::SHOW,
    Keyword::START,
    Keyword::THROW,
    Keyword::TO,
    Keyword::TRUNCATE,
    Keyword::UNCACHE,
    Keyword::UNLOAD,
    Keyword::UPDATE,
    Keyword::USE,
    Keyword::VACUUM,
    Keyword::WAITFOR,
    Keyword::WHILE,
];

/// Parse one expression (`air_pressure > 0`), as the DataFrame API and expectations use.
pub(crate) fn parse_expression(sql: &str, origin: SourceOrigin) -> Result<sqlparser::ast::Expr> {
    let tokens = tokenize(sql, origin)?;
    let mut parser = Parser::new(&SparkDialect).with_tokens_with_locations(tokens);
    let expr = parser
        .parse_expr()
        .map_err(|e| syntax_error(e, sql, origin))?;
    let next = parser.peek_token();
    if next.token != Token::EOF {
        return Err(QueryError::Syntax {
            message: format!(
                "Syntax error at or near '{}': expected the end of the expression",
                next.token
            ),
            span: origin.span(next.span),
        });
    }
    Ok(expr)
}

fn end_span(sql: &str, origin: SourceOrigin) -> Span {
    let line = sql.lines().count().max(1) as u64;
    let column = sql.lines().last().map(|l| l.chars().count()).unwrap_or(0) as u64 + 1;
    let loc = origin.location(line, column);
    Span {
        start: loc,
        end: loc,
    }
}

/// Turn sqlparser's "Expected: X, found: Y at Line: l, Column: c" into Spark's
/// `PARSE_SYNTAX_ERROR` with the offending text and its location.
fn syntax_error(error: ParserError, sql: &str, origin: SourceOrigin) -> QueryError {
    let text = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
        ParserError::RecursionLimitExceeded => {
            // sqlparser's limit says no place: show the deepest bracket.
            let deepest = Tokenizer::new(&SparkDialect, sql)
                .tokenize_with_location()
                .ok()
                .and_then(|t| depth::deepest_bracket(&t).and_then(|tok| origin.span(tok.span)));
            return QueryError::Syntax {
                message: "Syntax error: the query nests too deeply (brackets inside brackets)"
                    .into(),
                span: deepest.or_else(|| Some(end_span(sql, origin))),
            };
        }
    };
    let (body, location) = match text.rfind(" at Line: ") {
        Some(at) => (
            text[..at].to_string(),
            parse_location(&text[at + " at Line: ".len()..]),
        ),
        None => (text.clone(), None),
    };
    let found = body
        .rsplit_once("found: ")
        .map(|(_, f)| f.trim().to_string());
    let expected = body
        .strip_prefix("Expected: ")
        .and_then(|rest| rest.rsplit_once(", found:").map(|(e, _)| e.to_string()));
    let near = match found.as_deref() {
        None | Some("EOF") => "end of input".to_string(),
        Some(tok) => format!("'{tok}'"),
    };
    let span = match location {
        Some(loc) => {
            let start = origin.location(loc.line, loc.column);
            let len = found
                .as_deref()
                .filter(|f| *f != "EOF")
                .map_or(0, |f| f.chars().count() as u32);
            Some(Span {
                start,
                end: Location {
                    line: start.line,
                    column: start.column + len,
                },
            })
        }
        None => Some(end_span(sql, origin)),
    };
    // `extract(FORTNIGHT FROM ts)`: Spark parses any word there and rejects the field.
    if expected.as_deref() == Some("date/time field")
        && let Some(field) = found
            .as_deref()
            .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return QueryError::Analysis {
            class: crate::error::ErrorClass::InvalidExtractField,
            message: format!(
                "Cannot extract {field}: it is not a date or time field (YEAR, MONTH, DAY, HOUR, \
                 MINUTE, SECOND, WEEK, DAYOFWEEK, ...)."
            ),
            span,
            suggestions: Vec::new(),
        };
    }
    let message = match expected {
        Some(e) => format!("Syntax error at or near {near} (expected {e})"),
        None => format!("Syntax error at or near {near}: {body}"),
    };
    QueryError::Syntax { message, span }
}

fn parse_location(text: &str) -> Option<AstLocation> {
    let (line, column) = text.split_once(", Column: ")?;
    Some(AstLocation::new(
        line.trim().parse().ok()?,
        column.trim().parse().ok()?,
    ))
}

#[cfg(test)]
mod tests;
