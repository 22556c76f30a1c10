//! "Did you mean …?": the valid names closest to a misspelt one (`query::suggest`), and how
//! pipeline messages quote them.

/// The workspace's one "did you mean" helper: up to three near names, best first.
pub use query::suggest::{closest, edit_distance};

/// A name in backticks, unless it already has them (the query engine quotes its own).
pub fn ticked(name: &str) -> String {
    if name.contains('`') {
        name.to_string()
    } else {
        format!("`{name}`")
    }
}

/// Wrap each name in backticks, for messages.
pub fn quoted(names: Vec<String>) -> Vec<String> {
    names.into_iter().map(|n| format!("`{n}`")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_edit_distance_basic() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn test_closest_orders_by_distance() {
        let names = ["schema", "schemas", "channel", "catalog"];
        assert_eq!(closest("schem", names), vec!["schema", "schemas"]);
    }

    #[test]
    fn test_closest_is_case_insensitive() {
        assert_eq!(closest("CATALOG", ["catalog"]), vec!["catalog"]);
    }
}
