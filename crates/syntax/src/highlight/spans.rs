//! The span list every scanner writes into; it keeps the list's promises (sorted,
//! non-overlapping, non-empty, on char boundaries, in bounds) whatever it is given.

use super::{Class, Span};

/// Spans of one text, built left to right.
pub(super) struct Spans<'a> {
    text: &'a str,
    spans: Vec<Span>,
}

impl<'a> Spans<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Spans {
            text,
            spans: Vec::new(),
        }
    }

    /// Colour `start..end`. Parts before the previous span's end are dropped, offsets inside
    /// a character move to its end, and a span touching an equal-class predecessor extends it.
    pub(super) fn push(&mut self, start: usize, end: usize, class: Class) {
        let floor = self.spans.last().map_or(0, |s| s.end);
        let start = self.ceil_boundary(start.max(floor));
        let end = self.ceil_boundary(end);
        if start >= end {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.end == start && last.class == class => last.end = end,
            _ => self.spans.push(Span { start, end, class }),
        }
    }

    /// Colour a string's `start..end` as [`Class::String`], with `${…}` interpolations in it
    /// as [`Class::Constant`].
    pub(super) fn push_string_with_vars(&mut self, start: usize, end: usize) {
        let end = end.min(self.text.len());
        let mut at = start.min(end);
        while let Some(found) = self.text.get(at..end).and_then(|s| s.find("${")) {
            let open = at + found;
            let close = self.text[open..end].find('}').map_or(end, |n| open + n + 1);
            self.push(at, open, Class::String);
            self.push(open, close, Class::Constant);
            at = close;
        }
        self.push(at, end, Class::String);
    }

    pub(super) fn finish(self) -> Vec<Span> {
        self.spans
    }

    fn ceil_boundary(&self, offset: usize) -> usize {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }
}

/// Colour the comments in `gap` (text between tokens, at `base`) that start with one of
/// `line_starts` (to the end of the line) or `/*` when `block` (to `*/`).
pub(super) fn gap_comments(
    out: &mut Spans,
    base: usize,
    gap: &str,
    line_starts: &[&str],
    block: bool,
) {
    let bytes = gap.as_bytes();
    let find = |from: usize, needle: &[u8]| {
        bytes[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|n| from + n)
    };
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if line_starts.iter().any(|p| rest.starts_with(p.as_bytes())) {
            let end = find(i, b"\n").unwrap_or(bytes.len());
            out.push(base + i, base + end, Class::Comment);
            i = end;
        } else if block && rest.starts_with(b"/*") {
            let end = find(i + 2, b"*/").map_or(bytes.len(), |n| n + 2);
            out.push(base + i, base + end, Class::Comment);
            i = end;
        } else {
            i += 1;
        }
    }
}
