//! Why an update or a validation failed, typed by who is at fault.

use crate::autoloader::LoadError;
use crate::diagnostic::{Diagnostics, Location};

/// A pipeline failure.
#[derive(Debug, Clone, PartialEq)]
pub enum PipelineError {
    /// The project is wrong: bundle, sources, queries (every problem, with locations).
    Invalid(Diagnostics),
    /// A `FAIL UPDATE` / `expect_or_fail` expectation saw failing rows.
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
    Execution {
        /// The dataset.
        dataset: String,
        /// Where its query is written.
        location: Option<Location>,
        /// The engine's error (boxed: it is large, and errors travel in every `Result`).
        error: Box<query::QueryError>,
    },
    /// The caller cancelled the update.
    Cancelled,
    /// Saving or loading state failed.
    State(String),
    /// A bug in the workbook's pipeline engine.
    Internal(String),
}

impl std::fmt::Display for PipelineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PipelineError::Invalid(d) => write!(f, "{d}"),
            PipelineError::ExpectationFailed {
                dataset,
                expectation,
                location,
                failed_records,
                example,
            } => {
                write!(
                    f,
                    "{location}: [EXPECTATION_VIOLATION] expectation `{expectation}` of \
                     `{dataset}` failed for {failed_records} row(s); the update changed nothing"
                )?;
                match example {
                    Some(e) => write!(f, "; first failing row: {e}"),
                    None => Ok(()),
                }
            }
            PipelineError::Files {
                dataset,
                location,
                error,
            } => write!(f, "{location}: dataset `{dataset}`: {error}"),
            PipelineError::Execution {
                dataset,
                location,
                error,
            } => {
                if let Some(l) = location {
                    write!(f, "{l}: ")?;
                }
                write!(f, "dataset `{dataset}`: {}", query_message(error))
            }
            PipelineError::Cancelled => f.write_str("the update was cancelled; nothing changed"),
            PipelineError::State(m) => write!(f, "state: {m}"),
            PipelineError::Internal(m) => write!(
                f,
                "internal error: {m} (this is a bug in the workbook's pipeline engine, please \
                 report it)"
            ),
        }
    }
}

/// Written by hand (not derived) so that a query failure's source is the `QueryError`
/// itself, not the box it travels in.
impl std::error::Error for PipelineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PipelineError::Execution { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
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
