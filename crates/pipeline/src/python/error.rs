//! Errors raised while evaluating a Python pipeline file.

use crate::diagnostic::Location;

/// Where an error points: a byte offset in the file being evaluated, or an explicit location
/// (inside a SQL string handed to the query engine, or in another file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Where {
    /// Byte offset in the current file.
    Offset(usize),
    /// A project location.
    At(Location),
}

/// Why evaluation stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum PyErrorKind {
    /// The learner's code is wrong (or outside the subset).
    User,
    /// The code reads a dataset whose schema is not known yet: evaluate it again once the
    /// named dataset has been planned.
    Pending(String),
}

/// An evaluation error with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct PyError {
    /// Where.
    pub at: Where,
    /// What, in the learner's terms.
    pub message: String,
    /// Closest valid names, if any.
    pub suggestions: Vec<String>,
    /// User error or a dependency to resolve first.
    pub kind: PyErrorKind,
}

impl PyError {
    /// A user error at byte `offset`.
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        PyError {
            at: Where::Offset(offset),
            message: message.into(),
            suggestions: Vec::new(),
            kind: PyErrorKind::User,
        }
    }

    /// A user error at a project location.
    pub fn at(location: Location, message: impl Into<String>) -> Self {
        PyError {
            at: Where::At(location),
            message: message.into(),
            suggestions: Vec::new(),
            kind: PyErrorKind::User,
        }
    }

    /// The same error with suggestions.
    pub fn with_suggestions(mut self, suggestions: Vec<String>) -> Self {
        self.suggestions = suggestions;
        self
    }

    /// A "read this dataset first" signal.
    pub fn pending(offset: usize, dataset: &str) -> Self {
        PyError {
            at: Where::Offset(offset),
            message: format!("`{dataset}` is not planned yet"),
            suggestions: Vec::new(),
            kind: PyErrorKind::Pending(dataset.to_string()),
        }
    }
}

/// Result of evaluation.
pub type PyResult<T> = Result<T, PyError>;
