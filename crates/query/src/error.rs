//! Errors typed by who is at fault: the user's query, the data at run time, or the engine.

use std::fmt;

pub use crate::error_class::ErrorClass;

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
        class: ErrorClass,
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
        class: ErrorClass,
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
    pub fn class(&self) -> &'static str {
        self.error_class().as_str()
    }

    /// The error condition of this error, typed.
    pub fn error_class(&self) -> ErrorClass {
        match self {
            QueryError::Syntax { .. } => ErrorClass::ParseSyntaxError,
            QueryError::Analysis { class, .. } | QueryError::Execution { class, .. } => *class,
            QueryError::Unsupported { .. } => ErrorClass::UnsupportedFeature,
            QueryError::Cancelled => ErrorClass::Cancelled,
            QueryError::Internal(_) => ErrorClass::InternalError,
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
    pub fn execution(class: ErrorClass, message: impl Into<String>) -> Self {
        QueryError::Execution {
            class,
            message: message.into(),
            span: None,
        }
    }

    /// An analysis error of the given Spark class, without suggestions.
    pub fn analysis(class: ErrorClass, message: impl Into<String>) -> Self {
        QueryError::Analysis {
            class,
            message: message.into(),
            span: None,
            suggestions: Vec::new(),
        }
    }
}

/// Arrow's compute errors are the data's fault (an overflow, a division by zero, a value a
/// kernel rejects): execution errors with Arrow's message. Errors of schemas, IPC and the
/// like mean the engine built something wrong: internal.
impl From<arrow::error::ArrowError> for QueryError {
    fn from(e: arrow::error::ArrowError) -> Self {
        use arrow::error::ArrowError as A;
        match e {
            A::DivideByZero => QueryError::execution(ErrorClass::DivideByZero, "Division by zero."),
            A::ArithmeticOverflow(m) => QueryError::execution(ErrorClass::ArithmeticOverflow, m),
            A::ComputeError(m)
            | A::CastError(m)
            | A::InvalidArgumentError(m)
            | A::MemoryError(m) => QueryError::execution(ErrorClass::ExecutionError, m),
            other => QueryError::Internal(format!("arrow: {other}")),
        }
    }
}

/// Result alias for the engine.
pub type Result<T, E = QueryError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use arrow::error::ArrowError;

    use super::*;

    #[test]
    fn test_arrow_compute_errors_are_execution_errors_with_their_message() {
        let e = QueryError::from(ArrowError::ComputeError("offset overflow".into()));
        assert_eq!(e.error_class(), ErrorClass::ExecutionError);
        assert!(e.to_string().contains("offset overflow"), "{e}");
        assert_eq!(
            QueryError::from(ArrowError::DivideByZero).class(),
            "DIVIDE_BY_ZERO"
        );
        let overflow = QueryError::from(ArrowError::ArithmeticOverflow("1 + i32::MAX".into()));
        assert_eq!(overflow.class(), "ARITHMETIC_OVERFLOW");
        let schema = QueryError::from(ArrowError::SchemaError("no field".into()));
        assert_eq!(schema.class(), "INTERNAL_ERROR");
    }
}
