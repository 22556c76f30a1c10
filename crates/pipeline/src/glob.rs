//! Glob patterns for `include:` and `libraries: - glob:` (`*`, `**`, `?`, `[abc]`).

/// Whether `path` matches `pattern`. `*` and `?` stay within one path segment, `**` spans any
/// number of segments (including none), `[...]` matches one character of a set.
///
/// # Examples
/// ```
/// use pipeline::glob::matches;
/// assert!(matches("resources/*.yml", "resources/alert.yml"));
/// assert!(!matches("resources/*.yml", "resources/sub/alert.yml"));
/// assert!(matches("src/**", "src/bronze/sensor_bronze.py"));
/// assert!(matches("src/**/*.py", "src/a.py"));
/// ```
pub fn matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let path: Vec<&str> = path.split('/').collect();
    match_segments(&pattern, &path)
}

/// Whether a string contains glob metacharacters.
pub fn is_pattern(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

fn match_segments(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| match_segments(rest, &path[skip..])),
        Some((first, rest)) => match path.split_first() {
            Some((segment, path_rest)) => {
                match_segment(first.as_bytes(), segment.as_bytes())
                    && match_segments(rest, path_rest)
            }
            None => false,
        },
    }
}

fn match_segment(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| match_segment(rest, &text[skip..])),
        Some((b'?', rest)) => !text.is_empty() && match_segment(rest, &text[1..]),
        Some((b'[', rest)) => {
            let Some(close) = rest.iter().position(|&c| c == b']') else {
                return text.first() == Some(&b'[') && match_segment(rest, &text[1..]);
            };
            let (set, after) = (&rest[..close], &rest[close + 1..]);
            let (negated, set) = match set.first() {
                Some(b'!' | b'^') => (true, &set[1..]),
                _ => (false, set),
            };
            match text.split_first() {
                Some((c, text_rest)) => {
                    in_set(set, *c) != negated && match_segment(after, text_rest)
                }
                None => false,
            }
        }
        Some((c, rest)) => text.first() == Some(c) && match_segment(rest, &text[1..]),
    }
}

fn in_set(set: &[u8], c: u8) -> bool {
    let mut i = 0;
    while i < set.len() {
        if i + 2 < set.len() && set[i + 1] == b'-' {
            if (set[i]..=set[i + 2]).contains(&c) {
                return true;
            }
            i += 3;
        } else {
            if set[i] == c {
                return true;
            }
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_star_does_not_cross_segments() {
        assert!(matches("*.yml", "databricks.yml"));
        assert!(!matches("*.yml", "resources/a.yml"));
    }

    #[test]
    fn test_question_mark_and_sets() {
        assert!(matches("part-?.csv", "part-1.csv"));
        assert!(matches("part-[0-9].csv", "part-7.csv"));
        assert!(!matches("part-[!0-9].csv", "part-7.csv"));
    }

    #[test]
    fn test_double_star_in_the_middle() {
        assert!(matches("src/**/gold/*.sql", "src/a/b/gold/x.sql"));
        assert!(matches("src/**/gold/*.sql", "src/gold/x.sql"));
        assert!(!matches("src/**/gold/*.sql", "src/gold/x.py"));
    }
}
