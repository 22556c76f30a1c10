//! The editing keys as pure text edits: Tab/Shift-Tab indent and dedent, Enter keeps the
//! indentation. Offsets are bytes; the component converts them for the textarea.

/// Spaces per indentation level.
pub(super) const INDENT: &str = "    ";

/// Replace `start..end` with `insert`, then select `select`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Edit {
    pub start: usize,
    pub end: usize,
    pub insert: String,
    pub select: (usize, usize),
}

/// Tab: with a selection over several lines, indent each line; else replace the selection
/// with one indentation level.
pub(super) fn tab(text: &str, start: usize, end: usize) -> Edit {
    let (start, end) = ordered(text, start, end);
    if !text[start..end].contains('\n') {
        return Edit {
            start,
            end,
            insert: INDENT.into(),
            select: (start + INDENT.len(), start + INDENT.len()),
        };
    }
    reindent(text, start, end, |line| format!("{INDENT}{line}"))
}

/// Shift-Tab: remove up to one indentation level from each line the selection touches.
pub(super) fn dedent(text: &str, start: usize, end: usize) -> Edit {
    let (start, end) = ordered(text, start, end);
    reindent(text, start, end, |line| {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let cut = if line.starts_with('\t') {
            1
        } else {
            spaces.min(INDENT.len())
        };
        line[cut..].to_string()
    })
}

/// Enter: a line break and the current line's indentation (one level more after a Python
/// line ending in `:`), replacing the selection.
pub(super) fn newline(text: &str, start: usize, end: usize, python: bool) -> Edit {
    let (start, end) = ordered(text, start, end);
    let line_begin = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let before = &text[line_begin..start];
    let indent_len = before.len() - before.trim_start_matches([' ', '\t']).len();
    let mut insert = format!("\n{}", &before[..indent_len]);
    if python && before.trim_end().ends_with(':') {
        insert.push_str(INDENT);
    }
    let caret = start + insert.len();
    Edit {
        start,
        end,
        insert,
        select: (caret, caret),
    }
}

/// Rewrite each line `start..end` touches (a selection ending at a line's start leaves that
/// line alone) and select the rewritten lines.
fn reindent(text: &str, start: usize, end: usize, rewrite: impl Fn(&str) -> String) -> Edit {
    let first = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let last_end = if end > start && text[..end].ends_with('\n') {
        end - 1
    } else {
        end
    };
    let block_end = text[last_end..]
        .find('\n')
        .map_or(text.len(), |n| last_end + n);
    let insert = text[first..block_end]
        .split('\n')
        .map(rewrite)
        .collect::<Vec<_>>()
        .join("\n");
    let select = (first, first + insert.len());
    Edit {
        start: first,
        end: block_end,
        insert,
        select,
    }
}

/// The selection in order, clamped to the text and to char boundaries.
fn ordered(text: &str, a: usize, b: usize) -> (usize, usize) {
    let clamp = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let (a, b) = (clamp(a), clamp(b));
    (a.min(b), a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edit: &Edit) -> String {
        format!(
            "{}{}{}",
            &text[..edit.start],
            edit.insert,
            &text[edit.end..]
        )
    }

    #[test]
    fn test_tab_inserts_spaces_or_indents_selected_lines() {
        let edit = tab("ab", 1, 1);
        assert_eq!(apply("ab", &edit), "a    b");
        assert_eq!(edit.select, (5, 5));
        let text = "a\nb\nc\n";
        let edit = tab(text, 2, 4);
        assert_eq!(apply(text, &edit), "a\n    b\nc\n");
        let edit = tab(text, 0, 3);
        assert_eq!(apply(text, &edit), "    a\n    b\nc\n");
        assert_eq!(edit.select, (0, 11));
    }

    #[test]
    fn test_dedent_removes_at_most_one_level() {
        let text = "      a\n  b\n\tc\nd";
        let edit = dedent(text, 0, text.len());
        assert_eq!(apply(text, &edit), "  a\nb\nc\nd");
        let edit = dedent("x\n    y", 7, 7);
        assert_eq!(apply("x\n    y", &edit), "x\ny");
    }

    #[test]
    fn test_newline_keeps_indentation_and_opens_python_blocks() {
        let text = "def f():\n    if x:";
        let edit = newline(text, text.len(), text.len(), true);
        assert_eq!(edit.insert, "\n        ");
        let edit = newline(text, 8, 8, false);
        assert_eq!(edit.insert, "\n");
        let edit = newline("  SELECT", 8, 8, false);
        assert_eq!(edit.insert, "\n  ");
        assert_eq!(edit.select, (11, 11));
    }
}
