//! Problems found in a project, each with the file, line and column it points at.
//!
//! Validation never stops at the first problem: every pass collects [`Diagnostic`]s into a
//! [`Diagnostics`] list, and the caller shows them all at once (`iotwb validate`, the editor's
//! problem list in the browser).

use std::fmt;

/// A position in one of the project's files: 1-based line and column (in characters), as an
/// editor shows them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Location {
    /// The file's path relative to the project root, e.g. `src/bronze/sensor_bronze.py`.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Location {
    /// A location in `file` at `line:column` (both 1-based).
    ///
    /// # Examples
    /// ```
    /// let at = pipeline::Location::new("databricks.yml", 3, 5);
    /// assert_eq!(at.to_string(), "databricks.yml:3:5");
    /// ```
    pub fn new(file: impl Into<String>, line: u32, column: u32) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }

    /// The start of `file`, for problems about a file as a whole.
    pub fn file_start(file: impl Into<String>) -> Self {
        Location::new(file, 1, 1)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// How serious a diagnostic is: errors stop a run, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Severity {
    /// The project cannot run until this is fixed.
    #[default]
    Error,
    /// Suspicious but runnable (an include glob that matches nothing, two targets sharing a schema).
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in the project: where, what, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is; `None` only for problems of the whole project (no `databricks.yml`).
    pub location: Option<Location>,
    /// What is wrong, naming the offending text.
    pub message: String,
    /// Closest valid names or a concrete fix, best first.
    pub suggestions: Vec<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            suggestions: Vec::new(),
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// The same diagnostic with suggestions added.
    pub fn with_suggestions(mut self, suggestions: impl IntoIterator<Item = String>) -> Self {
        self.suggestions.extend(suggestions);
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = &self.location {
            write!(f, "{at}: ")?;
        }
        write!(f, "{}: {}", self.severity.as_str(), self.message)?;
        match self.suggestions.as_slice() {
            [] => Ok(()),
            [one] => write!(f, " (did you mean {one}?)"),
            many => write!(f, " (did you mean one of: {}?)", many.join(", ")),
        }
    }
}

/// Every problem found in a project, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Add one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Add an error at `location`.
    pub fn error(&mut self, location: Option<Location>, message: impl Into<String>) {
        self.push(Diagnostic::error(location, message));
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// Append every diagnostic of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Sort by file, line and column, keeping project-wide problems first.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| a.location.cmp(&b.location));
    }

    /// Whether there are no diagnostics at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_display_with_suggestions() {
        let d = Diagnostic::error(Some(Location::new("a.yml", 2, 3)), "unknown key `catalgo`")
            .with_suggestions(["`catalog`".to_string()]);
        assert_eq!(
            d.to_string(),
            "a.yml:2:3: error: unknown key `catalgo` (did you mean `catalog`?)"
        );
    }

    #[test]
    fn test_sort_orders_by_file_line_column() {
        let mut all = Diagnostics::new();
        all.error(Some(Location::new("b", 1, 1)), "x");
        all.error(Some(Location::new("a", 9, 1)), "y");
        all.error(Some(Location::new("a", 2, 7)), "z");
        all.sort();
        let order: Vec<_> = all.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["z", "y", "x"]);
    }
}
