//! The highlighted layer's HTML: the text, escaped, in token spans (classes from
//! [`syntax::highlight::Class::css`]) and marker underline spans; and the gutter's lines.

use std::fmt::Write;

use syntax::highlight::{Language, Span, highlight};

use super::Marker;
use super::position::char_offset;

/// A marker's byte range in the text and whether it is an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct MarkRange {
    pub start: usize,
    pub end: usize,
    pub error: bool,
    /// Index in the marker list (for its message).
    pub index: usize,
}

/// The byte ranges of `markers`, sorted and non-overlapping (a marker starting inside an
/// earlier one starts where that one ends), none empty: a marker without `end` covers the
/// word at its position, or one char, or (at the end of a line) the char before.
pub(super) fn mark_ranges(text: &str, markers: &[Marker]) -> Vec<MarkRange> {
    let mut ranges: Vec<MarkRange> = markers
        .iter()
        .enumerate()
        .filter_map(|(index, m)| {
            let start = char_offset(text, m.line, m.column);
            let (start, end) = match m.end {
                Some((line, column)) => (start, char_offset(text, line, column).max(start)),
                None => (start, word_end(text, start)),
            };
            let (start, end) = widen_empty(text, start, end)?;
            Some(MarkRange {
                start,
                end,
                error: m.error,
                index,
            })
        })
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut floor = 0;
    ranges.retain_mut(|r| {
        r.start = r.start.max(floor);
        floor = floor.max(r.end);
        r.start < r.end
    });
    ranges
}

fn word_end(text: &str, start: usize) -> usize {
    text[start..]
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(text.len(), |(n, _)| start + n)
}

/// A visible range for an empty one: the char after (unless a line break), else the char
/// before (unless a line break); `None` on an empty line.
fn widen_empty(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    if start < end {
        return Some((start, end));
    }
    if let Some(c) = text[start..].chars().next().filter(|c| *c != '\n') {
        return Some((start, start + c.len_utf8()));
    }
    let c = text[..start].chars().next_back().filter(|c| *c != '\n')?;
    Some((start - c.len_utf8(), start))
}

/// The highlighted HTML of `text`: token spans inside marker spans, everything escaped, with
/// a trailing space so that a final empty line keeps its height.
pub(super) fn highlighted_html(text: &str, language: Language, marks: &[MarkRange]) -> String {
    let spans = highlight(language, text);
    let mut html = String::with_capacity(text.len() * 2 + 64);
    let mut bounds: Vec<usize> = Vec::with_capacity(spans.len() * 2 + marks.len() * 2 + 2);
    bounds.push(0);
    bounds.push(text.len());
    bounds.extend(spans.iter().flat_map(|s| [s.start, s.end]));
    bounds.extend(marks.iter().flat_map(|m| [m.start, m.end]));
    bounds.sort_unstable();
    bounds.dedup();
    let (mut next_span, mut next_mark) = (0, 0);
    let mut open_mark: Option<&MarkRange> = None;
    for piece in bounds.windows(2) {
        let (from, to) = (piece[0], piece[1]);
        if open_mark.is_some_and(|m| m.end <= from) {
            html.push_str("</span>");
            open_mark = None;
        }
        while marks.get(next_mark).is_some_and(|m| m.end <= from) {
            next_mark += 1;
        }
        if open_mark.is_none()
            && let Some(m) = marks.get(next_mark).filter(|m| m.start <= from)
        {
            let kind = if m.error { "error" } else { "warning" };
            let _ = write!(
                html,
                r#"<span class="editor-mark editor-mark-{kind}" data-testid="editor-marker" data-marker="{}">"#,
                m.index
            );
            open_mark = Some(m);
        }
        while spans.get(next_span).is_some_and(|s: &Span| s.end <= from) {
            next_span += 1;
        }
        let class = spans
            .get(next_span)
            .filter(|s| s.start <= from)
            .map(|s| s.class.css());
        match class {
            Some(class) => {
                let _ = write!(html, r#"<span class="{class}">"#);
                escape_into(&mut html, &text[from..to]);
                html.push_str("</span>");
            }
            None => escape_into(&mut html, &text[from..to]),
        }
    }
    if open_mark.is_some() {
        html.push_str("</span>");
    }
    html.push(' ');
    html
}

/// The gutter's HTML: one numbered line each, marked `error` or `warning` when a marker
/// starts on it (errors win).
pub(super) fn gutter_html(text: &str, markers: &[Marker]) -> String {
    let lines = text.bytes().filter(|b| *b == b'\n').count() + 1;
    let mut marked = vec![None::<bool>; lines];
    for m in markers {
        if let Some(slot) = marked.get_mut(m.line.saturating_sub(1) as usize) {
            *slot = Some(slot.unwrap_or(false) || m.error);
        }
    }
    let mut html = String::with_capacity(lines * 40);
    for (n, mark) in marked.iter().enumerate() {
        let class = match mark {
            Some(true) => " editor-line-error",
            Some(false) => " editor-line-warning",
            None => "",
        };
        let _ = write!(html, r#"<div class="editor-line{class}">{}</div>"#, n + 1);
    }
    html
}

fn escape_into(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            c => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(line: u32, column: u32, end: Option<(u32, u32)>, error: bool) -> Marker {
        Marker {
            line,
            column,
            end,
            message: "m".into(),
            error,
        }
    }

    /// The HTML without tags, unescaped: the text back.
    fn strip(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn test_html_escapes_and_keeps_the_text() {
        let text = "SELECT '<b>' & \"x\" -- <i>\nFROM t\n";
        let html = highlighted_html(text, Language::Sql, &[]);
        assert!(!html.contains("<b>") && !html.contains("<i>"));
        assert!(html.contains(r#"<span class="tok-kw">SELECT</span>"#));
        assert_eq!(strip(&html), format!("{text} "));
    }

    #[test]
    fn test_marker_wraps_the_word_and_splits_tokens() {
        let text = "x = 1\nSELECT bad_name FROM t";
        let marks = mark_ranges(text, &[marker(2, 8, None, true)]);
        assert_eq!((marks[0].start, marks[0].end), (13, 21));
        let html = highlighted_html(text, Language::Sql, &marks);
        assert!(html.contains(
            r#"<span class="editor-mark editor-mark-error" data-testid="editor-marker" data-marker="0"><span class="tok-name">bad_name</span></span>"#
        ));
        let spanning = mark_ranges(text, &[marker(2, 3, Some((2, 10)), false)]);
        let html = highlighted_html(text, Language::Sql, &spanning);
        assert!(html.contains(r#"editor-mark-warning"#));
        assert!(html.contains(r#"<span class="tok-kw">SE</span><span class="editor-mark"#));
        assert_eq!(strip(&html), format!("{text} "));
    }

    #[test]
    fn test_mark_ranges_are_never_empty_or_overlapping() {
        let text = "ab\n\ncd";
        let marks = mark_ranges(
            text,
            &[
                marker(1, 3, None, true),
                marker(1, 1, Some((1, 3)), true),
                marker(2, 1, None, false),
                marker(3, 9, None, false),
            ],
        );
        let pairs: Vec<_> = marks.iter().map(|m| (m.start, m.end)).collect();
        assert_eq!(pairs, vec![(0, 2), (5, 6)]);
    }

    #[test]
    fn test_gutter_numbers_lines_and_marks_errors_over_warnings() {
        let html = gutter_html(
            "a\nb\n",
            &[marker(2, 1, None, false), marker(2, 1, None, true)],
        );
        assert_eq!(html.matches("editor-line\"").count(), 2);
        assert!(html.contains(r#"<div class="editor-line editor-line-error">2</div>"#));
    }
}
