//! A piece of a source file handed to the SQL engine (a query after `AS`, an expectation, a
//! string passed to `F.expr`), and how to map the engine's line:col back into the file.

use crate::diagnostic::Location;

use super::text::LineIndex;

/// Text handed to the query engine, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// The text as given to the engine (after `${key}` substitution).
    pub text: String,
    /// Where the text's first character is in the project.
    pub start: Location,
    /// For substituted text: `(offset in text, offset in the original)` at each edit, so
    /// positions after a substitution map back to the original columns.
    edits: Vec<(usize, usize)>,
    /// The original text (only kept when edits were made).
    original: Option<String>,
}

impl Fragment {
    /// A fragment copied verbatim from the file at `start`.
    pub fn verbatim(text: impl Into<String>, start: Location) -> Self {
        Fragment {
            text: text.into(),
            start,
            edits: Vec::new(),
            original: None,
        }
    }

    /// `original` with every `${key}` replaced by `lookup(key)` (left as written when `None`).
    ///
    /// # Examples
    /// ```
    /// use pipeline::{Location, sources::fragment::Fragment};
    /// let f = Fragment::substituted("read_files('/v/${schema}/x')", Location::new("a.sql", 3, 10), |k| {
    ///     (k == "schema").then(|| "iot".to_string())
    /// });
    /// assert_eq!(f.text, "read_files('/v/iot/x')");
    /// // Column 22 of the substituted text (the `)`) is column 28 of the original text.
    /// assert_eq!(f.locate(1, 22), Location::new("a.sql", 3, 37));
    /// ```
    pub fn substituted(
        original: &str,
        start: Location,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut edits = Vec::new();
        let mut rest = original;
        let mut consumed = 0;
        while let Some(open) = rest.find("${") {
            let Some(len) = rest[open..].find('}') else {
                break;
            };
            let key = rest[open + 2..open + len].trim();
            text.push_str(&rest[..open]);
            match lookup(key) {
                Some(value) => {
                    text.push_str(&value);
                    edits.push((text.len(), consumed + open + len + 1));
                }
                None => text.push_str(&rest[open..open + len + 1]),
            }
            consumed += open + len + 1;
            rest = &rest[open + len + 1..];
        }
        text.push_str(rest);
        let original = (!edits.is_empty()).then(|| original.to_string());
        Fragment {
            text,
            start,
            edits,
            original,
        }
    }

    /// The project location of 1-based `line:column` within the fragment's text.
    pub fn locate(&self, line: u32, column: u32) -> Location {
        let (line, column) = match &self.original {
            None => (line, column),
            Some(original) => {
                let offset = offset_of(&self.text, line, column);
                let (new_base, old_base) = self
                    .edits
                    .iter()
                    .rev()
                    .find(|(new, _)| *new <= offset)
                    .copied()
                    .unwrap_or((0, 0));
                let old = old_base + (offset - new_base);
                LineIndex::new(original).line_col(original, old.min(original.len()))
            }
        };
        if line <= 1 {
            Location::new(
                &self.start.file,
                self.start.line,
                self.start.column + column.saturating_sub(1),
            )
        } else {
            Location::new(&self.start.file, self.start.line + line - 1, column)
        }
    }
}

fn offset_of(text: &str, line: u32, column: u32) -> usize {
    // Walk to the line start, then count characters.
    let mut offset = 0;
    let mut current = 1;
    for (i, c) in text.char_indices() {
        if current == line {
            offset = i;
            break;
        }
        if c == '\n' {
            current += 1;
            offset = i + 1;
        }
    }
    text[offset..]
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| offset + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_verbatim_second_line_keeps_column() {
        let f = Fragment::verbatim("SELECT\n  x", Location::new("a.sql", 5, 7));
        assert_eq!(f.locate(1, 3), Location::new("a.sql", 5, 9));
        assert_eq!(f.locate(2, 3), Location::new("a.sql", 6, 3));
    }

    #[test]
    fn test_unknown_keys_stay_as_written() {
        let f = Fragment::substituted("${a}${b}", Location::new("x", 1, 1), |k| {
            (k == "a").then(|| "1".into())
        });
        assert_eq!(f.text, "1${b}");
    }
}
