//! SQL colouring from the engine's tokenizer ([`crate::sql`]).

use super::spans::{Spans, gap_comments};
use super::{Class, resilient};
use crate::sql::{Tok, Token, tokenize};

/// Spark SQL and pipeline keywords, upper case, sorted.
const KEYWORDS: &[&str] = &[
    "ADD",
    "ALL",
    "ALTER",
    "AND",
    "ANTI",
    "ANY",
    "APPLY",
    "AS",
    "ASC",
    "AUTO",
    "BETWEEN",
    "BOTH",
    "BY",
    "CASE",
    "CAST",
    "CATALOG",
    "CHANGES",
    "CHECK",
    "CLUSTER",
    "COLUMNS",
    "COMMENT",
    "CONSTRAINT",
    "CREATE",
    "CROSS",
    "CUBE",
    "CURRENT",
    "DATABASE",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DESCRIBE",
    "DISTINCT",
    "DROP",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXISTS",
    "EXPECT",
    "EXPLAIN",
    "FAIL",
    "FILTER",
    "FIRST",
    "FLOW",
    "FOLLOWING",
    "FOR",
    "FROM",
    "FULL",
    "FUNCTION",
    "GROUP",
    "GROUPING",
    "HAVING",
    "IF",
    "IGNORE",
    "ILIKE",
    "IN",
    "INNER",
    "INSERT",
    "INTERSECT",
    "INTERVAL",
    "INTO",
    "IS",
    "JOIN",
    "KEYS",
    "LAST",
    "LATERAL",
    "LEFT",
    "LIKE",
    "LIMIT",
    "LIVE",
    "MATERIALIZED",
    "MERGE",
    "MINUS",
    "NATURAL",
    "NOT",
    "NULLS",
    "OF",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OUTER",
    "OVER",
    "PARTITION",
    "PARTITIONED",
    "PIVOT",
    "PRECEDING",
    "PRIVATE",
    "QUALIFY",
    "RANGE",
    "RECURSIVE",
    "REFRESH",
    "REPLACE",
    "RIGHT",
    "RLIKE",
    "ROLLUP",
    "ROW",
    "ROWS",
    "SCHEMA",
    "SELECT",
    "SEMI",
    "SEQUENCE",
    "SET",
    "SETS",
    "SHOW",
    "STREAM",
    "STREAMING",
    "TABLE",
    "TABLESAMPLE",
    "TBLPROPERTIES",
    "TEMPORARY",
    "THEN",
    "TO",
    "UNBOUNDED",
    "UNION",
    "UNPIVOT",
    "UPDATE",
    "USING",
    "VALUES",
    "VIEW",
    "VIOLATION",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
];

/// Spark SQL type names, upper case, sorted.
const TYPES: &[&str] = &[
    "ARRAY",
    "BIGINT",
    "BINARY",
    "BOOLEAN",
    "BYTE",
    "CHAR",
    "DATE",
    "DECIMAL",
    "DOUBLE",
    "FLOAT",
    "INT",
    "INTEGER",
    "LONG",
    "MAP",
    "NUMERIC",
    "REAL",
    "SHORT",
    "SMALLINT",
    "STRING",
    "STRUCT",
    "TIMESTAMP",
    "TIMESTAMP_LTZ",
    "TIMESTAMP_NTZ",
    "TINYINT",
    "VARCHAR",
    "VOID",
];

pub(super) fn highlight(text: &str, out: &mut Spans) {
    resilient(text, out, |t| tokenize(t).map_err(|e| e.offset), emit);
}

/// Colour one lexed piece of the text (at `base`) and the comments between its tokens.
fn emit(out: &mut Spans, base: usize, piece: &str, tokens: &[Token]) {
    let mut cursor = 0;
    for (n, token) in tokens.iter().enumerate() {
        if token.start >= cursor {
            gap_comments(
                out,
                base + cursor,
                &piece[cursor..token.start],
                &["--"],
                true,
            );
        }
        cursor = cursor.max(token.end);
        let class = match &token.tok {
            Tok::Word(word) if word.starts_with("${") => Class::Constant,
            Tok::Word(word) => {
                // `name(` is a call, except for the name a statement declares.
                let declared = n > 0
                    && ["TABLE", "VIEW", "INTO", "FUNCTION"]
                        .iter()
                        .any(|kw| tokens[n - 1].is_kw(kw));
                let call = !declared && tokens.get(n + 1).is_some_and(|t| t.is('('));
                word_class(word, call)
            }
            Tok::Quoted(_) => Class::Name,
            Tok::Str(_) => Class::String,
            Tok::Number(_) => Class::Number,
            Tok::Punct('(' | ')' | ',' | '.' | ';' | '[' | ']') => Class::Punctuation,
            Tok::Punct(_) => Class::Operator,
        };
        out.push(base + token.start, base + token.end, class);
    }
    gap_comments(
        out,
        base + cursor,
        piece.get(cursor..).unwrap_or(""),
        &["--"],
        true,
    );
}

/// A word's class; `call` when an opening parenthesis follows it.
fn word_class(word: &str, call: bool) -> Class {
    let upper = word.to_ascii_uppercase();
    if matches!(upper.as_str(), "TRUE" | "FALSE" | "NULL") {
        Class::Constant
    } else if KEYWORDS.binary_search(&upper.as_str()).is_ok() {
        Class::Keyword
    } else if call || TYPES.binary_search(&upper.as_str()).is_ok() {
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
        assert!(TYPES.windows(2).all(|w| w[0] < w[1]));
    }
}
