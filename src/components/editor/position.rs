//! Conversions between the editor's coordinates: 1-based line and column in chars (what
//! markers and the engine's problems use), byte offsets (what Rust strings and the highlighter
//! use) and UTF-16 offsets (what the browser's textarea selection uses).

/// The byte offset of 1-based `line` and `column` (in chars) in `text`, clamped: a line past
/// the end gives the text's length, a column past the line's end gives the line's end.
///
/// # Examples
/// ```
/// use iot_workbook::components::char_offset;
/// assert_eq!(char_offset("ab\ncé d", 2, 3), 6); // `é` is two bytes
/// assert_eq!(char_offset("ab\ncé d", 2, 99), 8);
/// assert_eq!(char_offset("ab", 7, 1), 2);
/// ```
pub fn char_offset(text: &str, line: u32, column: u32) -> usize {
    let Some(start) = line_start(text, line) else {
        return text.len();
    };
    let rest = &text[start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let wanted = column.saturating_sub(1) as usize;
    rest[..line_len]
        .char_indices()
        .nth(wanted)
        .map_or(start + line_len, |(at, _)| start + at)
}

/// The 1-based line and column (in chars) of byte offset `byte` of `text` (clamped to the
/// text, and to the start of the char it falls in). Inverse of [`char_offset`].
///
/// # Examples
/// ```
/// use iot_workbook::components::line_col;
/// assert_eq!(line_col("ab\ncé d", 6), (2, 3));
/// assert_eq!(line_col("ab\n", 3), (2, 1));
/// ```
pub fn line_col(text: &str, byte: usize) -> (u32, u32) {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = &text[..byte];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_begin = before.rfind('\n').map_or(0, |n| n + 1);
    let column = before[line_begin..].chars().count() + 1;
    (saturate(line), saturate(column))
}

/// The byte offset where 1-based `line` starts, if the text has that line.
pub(super) fn line_start(text: &str, line: u32) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.match_indices('\n')
        .nth(line as usize - 2)
        .map(|(at, _)| at + 1)
}

/// The byte offset of a UTF-16 offset (a textarea's selection), clamped to the text.
pub(super) fn utf16_to_byte(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (at, ch) in text.char_indices() {
        if units >= utf16 {
            return at;
        }
        units += ch.len_utf16() as u32;
    }
    text.len()
}

/// The UTF-16 offset of a byte offset (for setting a textarea's selection).
pub(super) fn byte_to_utf16(text: &str, byte: usize) -> u32 {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    saturate(text[..byte].encode_utf16().count())
}

/// The 1-based char column of visual column `visual` (1-based, tabs to multiples of
/// `tab_size`) on `line_text`: what the mouse points at.
pub(super) fn visual_to_char_column(line_text: &str, visual: u32, tab_size: u32) -> u32 {
    let mut width = 0u32;
    for (n, ch) in line_text.chars().enumerate() {
        let next = if ch == '\t' {
            (width / tab_size + 1) * tab_size
        } else {
            width + 1
        };
        if visual <= next {
            return saturate(n + 1);
        }
        width = next;
    }
    saturate(line_text.chars().count() + 1)
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "def f():\n    return 'é😀x'\n\nend";

    #[test]
    fn test_char_offset_and_line_col_round_trip_on_every_char() {
        for (byte, _) in TEXT.char_indices().chain([(TEXT.len(), ' ')]) {
            let (line, column) = line_col(TEXT, byte);
            assert_eq!(char_offset(TEXT, line, column), byte, "at byte {byte}");
        }
    }

    #[test]
    fn test_char_offset_counts_chars_not_bytes_and_clamps() {
        let quote = TEXT.find('\'').unwrap();
        assert_eq!(char_offset(TEXT, 2, 12), quote);
        assert_eq!(char_offset(TEXT, 2, 14), quote + 1 + 'é'.len_utf8());
        assert_eq!(char_offset(TEXT, 2, 500), TEXT.find("\n\n").unwrap());
        assert_eq!(char_offset(TEXT, 0, 0), 0);
        assert_eq!(char_offset(TEXT, 3, 1), TEXT.find("\n\n").unwrap() + 1);
        assert_eq!(char_offset(TEXT, 9, 1), TEXT.len());
    }

    #[test]
    fn test_line_col_clamps_and_snaps_inside_a_char() {
        let e = TEXT.find('é').unwrap();
        assert_eq!(line_col(TEXT, e + 1), line_col(TEXT, e));
        assert_eq!(line_col(TEXT, 10_000), (4, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn test_utf16_offsets_count_surrogate_pairs() {
        let smile = TEXT.find('😀').unwrap();
        let units = byte_to_utf16(TEXT, smile + '😀'.len_utf8());
        assert_eq!(units, byte_to_utf16(TEXT, smile) + 2);
        assert_eq!(utf16_to_byte(TEXT, units), smile + '😀'.len_utf8());
        assert_eq!(utf16_to_byte(TEXT, 10_000), TEXT.len());
    }

    #[test]
    fn test_visual_column_expands_tabs() {
        assert_eq!(visual_to_char_column("\tab", 1, 4), 1);
        assert_eq!(visual_to_char_column("\tab", 4, 4), 1);
        assert_eq!(visual_to_char_column("\tab", 5, 4), 2);
        assert_eq!(visual_to_char_column("\tab", 9, 4), 4);
    }
}
