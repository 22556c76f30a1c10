//! Errors typed by who is at fault: the user's query, the data at run time, or the engine.

use std::fmt;

/// A position in the query text, 1-based line and column (as the SQL editor shows them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A range of the query text that an error points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// First character of the offending text.
    pub start: Location,
    /// One past the last character (may equal `start` when only a point is known).
    pub end: Location,
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.start.line, self.start.column)
    }
}

/// Every error the engine reports. `class()` follows Spark's error-condition names
/// (`UNRESOLVED_COLUMN.WITH_SUGGESTION`, `DIVIDE_BY_ZERO`, ...) so learners can look them up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    /// The query text does not parse (Spark: `PARSE_SYNTAX_ERROR`).
    #[error("[PARSE_SYNTAX_ERROR] {message}{}", at(span))]
    Syntax {
        /// What was expected and what was found.
        message: String,
        /// Where the parser stopped.
        span: Option<Span>,
    },
    /// The query parses but cannot be planned: unknown names, type mismatches, misuse of
    /// aggregates. The user's query is at fault.
    #[error("[{class}] {message}{}", at(span))]
    Analysis {
        /// Spark error condition, e.g. `UNRESOLVED_COLUMN.WITH_SUGGESTION`.
        class: String,
        /// Human-readable explanation, naming the offending text.
        message: String,
        /// Where in the query text.
        span: Option<Span>,
        /// Closest valid names, best first (for unknown columns, tables, functions).
        suggestions: Vec<String>,
    },
    /// Evaluation failed on the data (ANSI errors such as `DIVIDE_BY_ZERO`,
    /// `CAST_INVALID_INPUT`, `ARITHMETIC_OVERFLOW`).
    #[error("[{class}] {message}{}", at(span))]
    Execution {
        /// Spark error condition.
        class: String,
        /// Human-readable explanation, naming the offending value.
        message: String,
        /// The expression that failed, when known.
        span: Option<Span>,
    },
    /// Valid Spark SQL that this engine does not support (yet).
    #[error("[UNSUPPORTED_FEATURE] {message}{}", at(span))]
    Unsupported {
        /// What is not supported, and what to use instead where there is an alternative.
        message: String,
        /// Where in the query text.
        span: Option<Span>,
    },
    /// The caller cancelled the query between batches.
    #[error("[CANCELLED] the query was cancelled")]
    Cancelled,
    /// A bug in the engine, not in the query: please report it.
    #[error(
        "[INTERNAL_ERROR] {0} (this is a bug in the workbook's query engine, please report it)"
    )]
    Internal(String),
}

fn at(span: &Option<Span>) -> String {
    span.map(|s| format!(" (at {s})")).unwrap_or_default()
}

impl QueryError {
    /// The Spark error condition of this error (`PARSE_SYNTAX_ERROR`, `DIVIDE_BY_ZERO`, ...).
    pub fn class(&self) -> &str {
        match self {
            QueryError::Syntax { .. } => "PARSE_SYNTAX_ERROR",
            QueryError::Analysis { class, .. } | QueryError::Execution { class, .. } => class,
            QueryError::Unsupported { .. } => "UNSUPPORTED_FEATURE",
            QueryError::Cancelled => "CANCELLED",
            QueryError::Internal(_) => "INTERNAL_ERROR",
        }
    }

    /// The span the error points at, if any.
    pub fn span(&self) -> Option<Span> {
        match self {
            QueryError::Syntax { span, .. }
            | QueryError::Analysis { span, .. }
            | QueryError::Execution { span, .. }
            | QueryError::Unsupported { span, .. } => *span,
            QueryError::Cancelled | QueryError::Internal(_) => None,
        }
    }

    /// An execution error of the given Spark class.
    pub fn execution(class: &str, message: impl Into<String>) -> Self {
        QueryError::Execution {
            class: class.to_string(),
            message: message.into(),
            span: None,
        }
    }

    /// An analysis error of the given Spark class, without suggestions.
    pub fn analysis(class: &str, message: impl Into<String>) -> Self {
        QueryError::Analysis {
            class: class.to_string(),
            message: message.into(),
            span: None,
            suggestions: Vec::new(),
        }
    }
}

impl From<arrow::error::ArrowError> for QueryError {
    fn from(e: arrow::error::ArrowError) -> Self {
        QueryError::Internal(format!("arrow: {e}"))
    }
}

/// Result alias for the engine.
pub type Result<T, E = QueryError> = std::result::Result<T, E>;
