//! How numbers read in the inspect views: thousands grouped by thin spaces, percentages with
//! one decimal, a line:column place as a UTF-16 offset for a text area's caret.

/// The thin space that groups thousands (`402 960`), as the course's figures print them.
pub const THIN_SPACE: char = '\u{2009}';

/// `402960` → `402 960` (thin spaces).
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(THIN_SPACE);
        }
        out.push(c);
    }
    out
}

/// Share of `failed` among `passed + failed`, in percent; 0 when nothing was checked.
pub fn failed_percent(passed: u64, failed: u64) -> f64 {
    let total = passed + failed;
    if total == 0 {
        0.0
    } else {
        failed as f64 * 100.0 / total as f64
    }
}

/// `5.0 %` (one decimal, thin space before the sign).
pub fn percent(value: f64) -> String {
    format!("{value:.1}{THIN_SPACE}%")
}

/// `1 row` / `8 858 rows`.
pub fn rows(n: u64) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{} rows", grouped(n))
    }
}

/// The UTF-16 offset (what `setSelectionRange` counts) of a 1-based line and column counted
/// in characters; clamped to the line's end and the text's end.
pub fn utf16_offset(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0usize;
    for (number, content) in text.split('\n').enumerate() {
        if number + 1 == line.max(1) as usize {
            let chars = column.max(1) as usize - 1;
            let within: usize = content.chars().take(chars).map(char::len_utf16).sum();
            return (offset + within) as u32;
        }
        offset += content.encode_utf16().count() + 1;
    }
    text.encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_with_thin_spaces() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(8858), "8\u{2009}858");
        assert_eq!(grouped(402_960), "402\u{2009}960");
        assert_eq!(grouped(1_000_000), "1\u{2009}000\u{2009}000");
    }

    #[test]
    fn failed_share_in_percent() {
        assert_eq!(failed_percent(0, 0), 0.0);
        assert_eq!(percent(failed_percent(95, 5)), "5.0\u{2009}%");
        assert_eq!(percent(failed_percent(2, 1)), "33.3\u{2009}%");
    }

    #[test]
    fn singular_and_plural_rows() {
        assert_eq!(rows(1), "1 row");
        assert_eq!(rows(0), "0 rows");
        assert_eq!(rows(12_345), "12\u{2009}345 rows");
    }

    #[test]
    fn caret_offset_counts_utf16_units() {
        let text = "SELECT *\nFROM tàble 😀 x\nWHERE";
        assert_eq!(utf16_offset(text, 1, 1), 0);
        assert_eq!(utf16_offset(text, 2, 1), 9);
        assert_eq!(utf16_offset(text, 2, 6), 14);
        // The emoji is one character but two UTF-16 units.
        assert_eq!(utf16_offset(text, 2, 13), 9 + 13);
        assert_eq!(utf16_offset(text, 3, 3), 9 + 16 + 2);
        // Past the line's end: the line's end; past the last line: the text's end.
        assert_eq!(utf16_offset(text, 1, 80), 8);
        assert_eq!(utf16_offset(text, 9, 1), 9 + 16 + 5);
    }
}
