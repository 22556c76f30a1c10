//! The SQL console's recent queries, kept in the browser's local storage.

use gloo::storage::{LocalStorage, Storage};

/// Local-storage key of the history.
pub const STORAGE_KEY: &str = "iotwb.sql-history";
/// Queries kept: enough to find yesterday's, short enough to scan.
pub const KEEP: usize = 20;

/// `history` with `sql` first, without an earlier copy of it, at most [`KEEP`] long.
pub fn remember(history: &[String], sql: &str) -> Vec<String> {
    let sql = sql.trim();
    if sql.is_empty() {
        return history.to_vec();
    }
    std::iter::once(sql.to_string())
        .chain(history.iter().filter(|q| q.trim() != sql).cloned())
        .take(KEEP)
        .collect()
}

/// The saved history, newest first (empty when none or unreadable).
pub fn load() -> Vec<String> {
    LocalStorage::get::<Vec<String>>(STORAGE_KEY).unwrap_or_default()
}

/// Save the history; a browser that refuses (private mode, quota) just forgets it.
pub fn save(history: &[String]) {
    let _ = LocalStorage::set(STORAGE_KEY, history);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_without_duplicates_and_bounded() {
        let h = remember(&[], "SELECT 1");
        let h = remember(&h, "SELECT 2");
        let h = remember(&h, "  SELECT 1\n");
        assert_eq!(h, vec!["SELECT 1".to_string(), "SELECT 2".to_string()]);
        assert_eq!(remember(&h, "   "), h);
        let many = (0..30).fold(Vec::new(), |h, i| remember(&h, &format!("SELECT {i}")));
        assert_eq!(many.len(), KEEP);
        assert_eq!(many[0], "SELECT 29");
        assert_eq!(many[KEEP - 1], "SELECT 10");
    }
}
