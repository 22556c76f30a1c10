//! "Did you mean …?": the valid names closest to a misspelt one.

/// Most names a suggestion lists, best first.
const MAX_SUGGESTIONS: usize = 3;

/// The candidates closest to `wrong` by edit distance (case-insensitive), best first, at most
/// three. A candidate qualifies when it is within a third of the longer name's length (at least
/// 2 edits), or when one name contains the other.
///
/// # Examples
/// ```
/// let names = ["catalog", "schema", "channel"];
/// assert_eq!(pipeline::suggest::closest("catalgo", names), vec!["catalog".to_string()]);
/// assert!(pipeline::suggest::closest("zzzzzz", names).is_empty());
/// ```
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let wrong_lower = wrong.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let distance = edit_distance(&wrong_lower, &lower);
            let longest = wrong_lower.chars().count().max(lower.chars().count());
            let allowed = (longest / 3).max(2);
            let contains = !wrong_lower.is_empty()
                && (lower.contains(&wrong_lower) || wrong_lower.contains(&lower))
                && lower.len() >= 3;
            (distance <= allowed || contains).then_some((distance, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

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
