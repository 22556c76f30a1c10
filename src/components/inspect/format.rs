//! How numbers read in the inspect views: thousands grouped by thin spaces, percentages with
//! one decimal.

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
}
