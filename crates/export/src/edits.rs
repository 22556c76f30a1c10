//! Replacements of byte ranges of a source text, applied together.

/// Byte-range replacements of one text.
#[derive(Debug, Default)]
pub struct Edits {
    edits: Vec<(usize, usize, String)>,
}

impl Edits {
    /// No edits.
    pub fn new() -> Self {
        Edits::default()
    }

    /// Replace `start..end` with `text` (an insertion when `start == end`).
    pub fn replace(&mut self, start: usize, end: usize, text: impl Into<String>) {
        self.edits.push((start, end, text.into()));
    }

    /// Insert `text` at `at`.
    pub fn insert(&mut self, at: usize, text: impl Into<String>) {
        self.replace(at, at, text);
    }

    /// Whether nothing is replaced.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// `text` with every edit applied. Edits are applied in order of position, insertions
    /// before a replacement starting at the same place; an edit that overlaps an earlier one
    /// is dropped (the first, outermost rewrite wins).
    pub fn apply(mut self, text: &str) -> String {
        self.edits
            .sort_by_key(|(start, end, _)| (*start, start != end, std::cmp::Reverse(*end)));
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end, replacement) in self.edits {
            if start < at || end > text.len() {
                continue;
            }
            out.push_str(&text[at..start]);
            out.push_str(&replacement);
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// The byte offset where the line holding `offset` starts.
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1)
}

/// The byte offset just past the end of the line holding `offset` (its `\n` included).
pub fn line_end(text: &str, offset: usize) -> usize {
    text[offset.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// The white space that starts the line holding `offset`.
pub fn indentation(text: &str, offset: usize) -> &str {
    let start = line_start(text, offset);
    let rest = &text[start..];
    &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
}

/// The byte offset of 1-based `line` and `column` (characters) in `text`.
pub fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_edits_apply_in_order_and_skip_overlaps() {
        let mut edits = Edits::new();
        edits.replace(6, 11, "Spark");
        edits.insert(0, ">> ");
        edits.replace(7, 9, "never");
        edits.insert(6, "big ");
        assert_eq!(edits.apply("hello world!"), ">> hello big Spark!");
    }

    #[test]
    fn test_lines_and_offsets() {
        let text = "ab\n  cd\nef";
        assert_eq!(offset_of(text, 2, 3), 5);
        assert_eq!((line_start(text, 5), line_end(text, 5)), (3, 8));
        assert_eq!(indentation(text, 6), "  ");
        assert_eq!(offset_of(text, 9, 1), text.len());
    }
}
