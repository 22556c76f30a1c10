//! Why an update or a validation failed, typed by who is at fault.

use crate::autoloader::LoadError;
use crate::diagnostic::{Diagnostics, Location};

/// A pipeline failure.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PipelineError {
    /// The project is wrong: bundle, sources, queries (every problem, with locations).
    #[error("{0}")]
    Invalid(Diagnostics),
    /// A `FAIL UPDATE` / `expect_or_fail` expectation saw failing rows.
    #[error("{location}: [EXPECTATION_VIOLATION] expectation `{expectation}` of `{dataset}` failed for {failed_records} row(s); the update changed nothing{}", example.as_ref().map(|e| format!("; first failing row: {e}")).unwrap_or_default())]
    ExpectationFailed {
        /// The dataset.
        dataset: String,
        /// The expectation.
        expectation: String,
        /// Where the expectation is declared.
        location: Location,
        /// Rows that failed.
        failed_records: usize,
        /// The first failing row, as JSON.
        example: Option<String>,
    },
    /// Reading a dataset's files failed (new columns, unreadable file, empty folder).
    #[error("{location}: dataset `{dataset}`: {error}")]
    Files {
        /// The dataset reading them.
        dataset: String,
        /// Where the source is written.
        location: Location,
        /// What went wrong.
        error: Box<LoadError>,
    },
    /// A query failed while running (ANSI errors such as DIVIDE_BY_ZERO, CAST_INVALID_INPUT).
    /// The query error is kept whole, as the [`std::error::Error::source`]; the message shows
    /// its class and text at the dataset's location.
    #[error("{}dataset `{dataset}`: {}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default(), query_message(error))]
    Execution {
        /// The dataset.
        dataset: String,
        /// Where its query is written.
        location: Option<Location>,
        /// The engine's error.
        #[source]
        error: query::QueryError,
    },
    /// The caller cancelled the update.
    #[error("the update was cancelled; nothing changed")]
    Cancelled,
    /// Saving or loading state failed.
    #[error("state: {0}")]
    State(String),
    /// A bug in the workbook's pipeline engine.
    #[error(
        "internal error: {0} (this is a bug in the workbook's pipeline engine, please report it)"
    )]
    Internal(String),
}

impl From<Diagnostics> for PipelineError {
    fn from(d: Diagnostics) -> Self {
        PipelineError::Invalid(d)
    }
}

/// A query error's text without its trailing position (shown separately).
pub fn query_message(e: &query::QueryError) -> String {
    match e {
        query::QueryError::Syntax { message, .. } => format!("[PARSE_SYNTAX_ERROR] {message}"),
        query::QueryError::Analysis { class, message, .. }
        | query::QueryError::Execution { class, message, .. } => format!("[{class}] {message}"),
        query::QueryError::Unsupported { message, .. } => {
            format!("[UNSUPPORTED_FEATURE] {message}")
        }
        other => other.to_string(),
    }
}
