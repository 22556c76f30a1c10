//! "Did you mean …?" for the whole workspace: the valid names closest to a misspelt one, by
//! edit distance. It lives here, the lowest crate every engine crate that suggests names
//! depends on (`pipeline` and `kernel` use it through `query`).
//!
//! Names compare case-insensitively and without backquotes; ties keep the candidates' order
//! and a name is listed once. Two reaches, one comparison:
//! - [`ranked`] is Spark's: an unresolved column lists the five closest names however far
//!   (`UNRESOLVED_COLUMN.WITH_SUGGESTION` whenever the scope has a column), and a qualified
//!   candidate also compares by its last part (`s`.`device_id` is one edit from `devise_id`).
//! - [`closest`] is the learner's: at most three names, and only near ones (within a third of
//!   the longer name, at least two edits, or one name containing the other), so a wild guess
//!   gets no nonsense suggestion.

/// How many names a suggestion lists and how far it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// Most names listed, best first.
    pub max: usize,
    /// Only names within a third of the longer name's length (at least 2 edits), or that
    /// contain the wrong name (or it them); `false` lists the closest however far.
    pub near_only: bool,
    /// Compare a dotted candidate by its last part too (qualified column names).
    pub last_part: bool,
}

/// Spark's analyzer: the five closest names, however far.
pub const SPARK: Reach = Reach {
    max: 5,
    near_only: false,
    last_part: true,
};

/// Pipeline and workbench messages: up to three near names.
pub const NEAR: Reach = Reach {
    max: 3,
    near_only: true,
    last_part: false,
};

/// Up to three candidates near `wrong`, best first ([`NEAR`]).
///
/// # Examples
/// ```
/// let names = ["catalog", "schema", "channel"];
/// assert_eq!(query::suggest::closest("catalgo", names), vec!["catalog".to_string()]);
/// assert!(query::suggest::closest("zzzzzz", names).is_empty());
/// ```
pub fn closest<S: AsRef<str>>(wrong: &str, candidates: impl IntoIterator<Item = S>) -> Vec<String> {
    suggest(wrong, candidates, NEAR)
}

/// The five candidates closest to `wrong`, however far, best first ([`SPARK`]).
///
/// # Examples
/// ```
/// let names = ["`s`.`device_id`", "`s`.`trip_id`"];
/// assert_eq!(query::suggest::ranked("devise_id", names)[0], "`s`.`device_id`");
/// assert_eq!(query::suggest::ranked("zzzzzz", names).len(), 2);
/// ```
pub fn ranked<S: AsRef<str>>(wrong: &str, candidates: impl IntoIterator<Item = S>) -> Vec<String> {
    suggest(wrong, candidates, SPARK)
}

/// The candidates closest to `wrong` within `reach`, best first.
pub fn suggest<S: AsRef<str>>(
    wrong: &str,
    candidates: impl IntoIterator<Item = S>,
    reach: Reach,
) -> Vec<String> {
    let clean = |s: &str| s.replace('`', "").to_lowercase();
    let target = clean(wrong);
    let mut scored: Vec<(usize, usize, String)> = Vec::new();
    for (order, candidate) in candidates.into_iter().enumerate() {
        let candidate = candidate.as_ref();
        let plain = clean(candidate);
        let mut distance = edit_distance(&target, &plain);
        if reach.last_part
            && let Some((_, last)) = plain.rsplit_once('.')
        {
            distance = distance.min(edit_distance(&target, last));
        }
        if !reach.near_only || is_near(&target, &plain, distance) {
            scored.push((distance, order, candidate.to_string()));
        }
    }
    scored.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, _, name) in scored {
        if out.len() == reach.max {
            break;
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Close enough to be what was meant: a few edits for its length, or one name inside the
/// other (`schem` → `schemas`).
fn is_near(target: &str, candidate: &str, distance: usize) -> bool {
    let longest = target.chars().count().max(candidate.chars().count());
    let allowed = (longest / 3).max(2);
    let contains = !target.is_empty()
        && candidate.len() >= 3
        && (candidate.contains(target) || target.contains(candidate));
    distance <= allowed || contains
}

/// Levenshtein distance over characters (insertions, deletions, substitutions), two-row
/// dynamic programming. SQL's `levenshtein` function is this too.
///
/// # Examples
/// ```
/// assert_eq!(query::suggest::edit_distance("kitten", "sitting"), 3);
/// ```
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_edit_distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("aero-s", "aero_s"), 1);
        // Characters, not bytes: one substitution.
        assert_eq!(edit_distance("café", "cafe"), 1);
    }

    #[test]
    fn test_closest_orders_by_distance_then_candidate_order() {
        let names = ["schemas", "schema", "channel", "catalog"];
        assert_eq!(closest("schem", names), vec!["schema", "schemas"]);
        assert_eq!(closest("ab", ["ac", "ad", "ab2"]), vec!["ac", "ad", "ab2"]);
    }

    #[test]
    fn test_closest_ignores_case_and_backquotes_and_repeats() {
        assert_eq!(closest("CATALOG", ["catalog"]), vec!["catalog"]);
        assert_eq!(
            closest("`devise_id`", ["device_id", "device_id"]),
            vec!["device_id"]
        );
    }

    #[test]
    fn test_closest_compares_whole_dotted_names() {
        // `var.shcema` is near `var.schema`, not `variables.schema.value` by its last part.
        let names = ["var.schema", "variables.schema.value"];
        assert_eq!(closest("var.shcema", names), vec!["var.schema"]);
    }

    #[test]
    fn test_closest_only_lists_near_names_and_at_most_three() {
        assert!(closest("zzzzzz", ["catalog", "schema"]).is_empty());
        let many = ["aa1", "aa2", "aa3", "aa4"];
        assert_eq!(closest("aa", many).len(), NEAR.max);
    }

    #[test]
    fn test_ranked_lists_five_however_far_and_matches_dotted_last_parts() {
        let cands = ["`device_id`", "`trip_id`", "`factory_id`"];
        assert_eq!(ranked("devise_id", cands)[0], "`device_id`");
        assert_eq!(ranked("zzzzzzzzzz", cands).len(), 3);
        let many: Vec<String> = (0..9).map(|i| format!("c{i}")).collect();
        assert_eq!(ranked("x", &many).len(), SPARK.max);
        assert_eq!(
            ranked("trip_id", ["`s`.`device_id`", "`s`.`trip_id`"])[0],
            "`s`.`trip_id`"
        );
    }
}
