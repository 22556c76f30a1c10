//! Pattern matching: `like`/`ilike` (SQL wildcards `%` and `_`, escape `\`), `rlike`/
//! `regexp`/`regexp_like` (a regex found anywhere), `regexp_extract[_all]` (`''` when
//! nothing matches), `regexp_replace` and `split` (regex, optional limit).
//!
//! Patterns are Java's as far as `regex-lite` shares them: `\w`, `\d`, `\s`, `\b` and `(?i)`
//! are ASCII-only, as in Java without `UNICODE_CHARACTER_CLASS`; `\p{...}` is not supported.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, ListBuilder, StringArray, StringBuilder};
use arrow::datatypes::Int32Type;
use regex_lite::Regex;

use super::resolve_with;
use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{Want, arg, func, prim, same_string, strings};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

/// The last compiled pattern, so that a constant pattern compiles once per batch.
struct PatternCache {
    last: Option<(String, Regex)>,
    build: fn(&str) -> Result<Regex>,
}

impl PatternCache {
    fn new(build: fn(&str) -> Result<Regex>) -> Self {
        PatternCache { last: None, build }
    }

    fn get(&mut self, pattern: &str) -> Result<&Regex> {
        if self.last.as_ref().is_none_or(|(p, _)| p != pattern) {
            self.last = Some((pattern.to_string(), (self.build)(pattern)?));
        }
        self.last
            .as_ref()
            .map(|(_, r)| r)
            .ok_or_else(|| QueryError::Internal("empty pattern cache".into()))
    }
}

fn invalid_pattern(pattern: &str, reason: &str) -> QueryError {
    QueryError::execution(
        ErrorClass::InvalidParameterValuePattern,
        format!("The value of parameter `regexp` is invalid: '{pattern}' ({reason})."),
    )
}

/// Compile a Java-style regular expression.
fn java_regex(pattern: &str) -> Result<Regex> {
    Regex::new(pattern).map_err(|e| invalid_pattern(pattern, &e.to_string()))
}

const LIKE_ESCAPE: char = '\\';

/// Spark's `escapeLikeRegex`: `%` → `.*`, `_` → `.`, the escape character quotes `%`, `_`
/// or itself and nothing else; the whole string must match.
fn like_to_regex(pattern: &str) -> Result<String> {
    let mut out = String::from("^(?s:");
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            LIKE_ESCAPE => match chars.next() {
                Some(next @ ('%' | '_' | LIKE_ESCAPE)) => {
                    out.push_str(&regex_lite::escape(&next.to_string()))
                }
                Some(next) => {
                    return Err(QueryError::execution(
                        ErrorClass::InvalidFormatEscInTheMiddle,
                        format!(
                            "The format is invalid: '{pattern}'. The escape character is not allowed to precede '{next}'."
                        ),
                    ));
                }
                None => {
                    return Err(QueryError::execution(
                        ErrorClass::InvalidFormatEscAtTheEnd,
                        format!(
                            "The format is invalid: '{pattern}'. The escape character is not allowed to end the pattern."
                        ),
                    ));
                }
            },
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            other => out.push_str(&regex_lite::escape(&other.to_string())),
        }
    }
    out.push_str(")$");
    Ok(out)
}

/// A LIKE pattern without `_` or escapes is a prefix, suffix, substring or equality test.
enum Simple<'a> {
    Equal(&'a str),
    Prefix(&'a str),
    Suffix(&'a str),
    Contains(&'a str),
}

fn simple_like(pattern: &str) -> Option<Simple<'_>> {
    if pattern.contains(['_', LIKE_ESCAPE]) {
        return None;
    }
    let (start, end) = (
        pattern.starts_with('%'),
        pattern.ends_with('%') && pattern.len() > 1,
    );
    let core = &pattern[usize::from(start)..pattern.len() - usize::from(end)];
    if core.contains('%') {
        return None;
    }
    Some(match (start, end) {
        (false, false) => Simple::Equal(core),
        (false, true) => Simple::Prefix(core),
        (true, false) => Simple::Suffix(core),
        (true, true) => Simple::Contains(core),
    })
}

fn resolve_like(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    if args.len() == 3 {
        let escape = crate::functions::common::constant_str(args, 2);
        if escape.as_deref() != Some("\\") {
            return Err(QueryError::Unsupported {
                message: format!("`{name}` with an ESCAPE character other than '\\\\'"),
                span: None,
            });
        }
    }
    resolve_with(name, args, (2, 3), &[Want::String], SparkType::Boolean)
}

/// A LIKE pattern prepared once.
enum Matcher<'a> {
    Simple(Simple<'a>),
    Regex(Regex),
}

impl Matcher<'_> {
    fn new(pattern: &str) -> Result<Matcher<'_>> {
        Ok(match simple_like(pattern) {
            Some(simple) => Matcher::Simple(simple),
            None => Matcher::Regex(java_regex(&like_to_regex(pattern)?)?),
        })
    }

    fn matches(&self, text: &str) -> bool {
        match self {
            Matcher::Simple(Simple::Equal(x)) => text == *x,
            Matcher::Simple(Simple::Prefix(x)) => text.starts_with(x),
            Matcher::Simple(Simple::Suffix(x)) => text.ends_with(x),
            Matcher::Simple(Simple::Contains(x)) => text.contains(x),
            Matcher::Regex(r) => r.is_match(text),
        }
    }
}

/// Spark's `lower`, which `ilike` applies to both sides.
fn lowercase(a: &StringArray) -> StringArray {
    a.iter().map(|v| v.map(str::to_lowercase)).collect()
}

fn invoke_like(args: &[ArrayRef], case_insensitive: bool) -> Result<ArrayRef> {
    let (s, p) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    // Spark rewrites `a ILIKE b` to `lower(a) LIKE lower(b)`: full Unicode lower-casing, where
    // a case-insensitive regex would fold ASCII only.
    let lowered;
    let (s, p) = if case_insensitive {
        lowered = (lowercase(s), lowercase(p));
        (&lowered.0, &lowered.1)
    } else {
        (s, p)
    };
    if let Some(pattern) = same_string(p) {
        // A constant pattern (the usual case) is prepared once for the whole batch.
        let matcher = Matcher::new(pattern)?;
        let out: BooleanArray = s.iter().map(|v| v.map(|t| matcher.matches(t))).collect();
        return Ok(Arc::new(out));
    }
    let mut cache = PatternCache::new(|p| java_regex(&like_to_regex(p)?));
    let mut out = Vec::with_capacity(s.len());
    for i in 0..s.len() {
        if s.is_null(i) || p.is_null(i) {
            out.push(None);
            continue;
        }
        let (text, pattern) = (s.value(i), p.value(i));
        let hit = match simple_like(pattern) {
            Some(Simple::Equal(x)) => text == x,
            Some(Simple::Prefix(x)) => text.starts_with(x),
            Some(Simple::Suffix(x)) => text.ends_with(x),
            Some(Simple::Contains(x)) => text.contains(x),
            None => cache.get(pattern)?.is_match(text),
        };
        out.push(Some(hit));
    }
    Ok(Arc::new(BooleanArray::from(out)))
}

func!(LIKE, "like", resolve_like, |args, _, _: &EvalContext| {
    invoke_like(args, false)
});
func!(ILIKE, "ilike", resolve_like, |args, _, _: &EvalContext| {
    invoke_like(args, true)
});

fn resolve_rlike(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(name, args, (2, 2), &[Want::String], SparkType::Boolean)
}

fn invoke_rlike(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (s, p) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let mut cache = PatternCache::new(java_regex);
    let mut out = Vec::with_capacity(s.len());
    for i in 0..s.len() {
        out.push(if s.is_null(i) || p.is_null(i) {
            None
        } else {
            Some(cache.get(p.value(i))?.is_match(s.value(i)))
        });
    }
    Ok(Arc::new(BooleanArray::from(out)))
}

func!(RLIKE, "rlike", resolve_rlike, invoke_rlike);
func!(REGEXP, "regexp", resolve_rlike, invoke_rlike);
func!(REGEXP_LIKE, "regexp_like", resolve_rlike, invoke_rlike);

fn resolve_extract(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    let result = if name == "regexp_extract_all" {
        SparkType::Array(Box::new(SparkType::String))
    } else {
        SparkType::String
    };
    resolve_with(
        name,
        args,
        (2, 3),
        &[Want::String, Want::String, Want::Int],
        result,
    )
}

fn group_index(regex: &Regex, index: i32, pattern: &str) -> Result<usize> {
    let groups = regex.captures_len() - 1;
    usize::try_from(index).ok().filter(|i| *i <= groups).ok_or_else(|| {
        QueryError::execution(
            ErrorClass::InvalidParameterValueRegexGroupIndex,
            format!(
                "The value of parameter `idx` in `regexp_extract` is invalid: expects group index \
                 between 0 and {groups}, but got {index} (pattern '{pattern}')."
            ),
        )
    })
}

fn invoke_extract(args: &[ArrayRef], all: bool) -> Result<ArrayRef> {
    let (s, p) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let idx = args
        .get(2)
        .map(|a| prim::<Int32Type>(a.as_ref()))
        .transpose()?;
    let mut cache = PatternCache::new(java_regex);
    let mut single = StringBuilder::new();
    let mut lists = ListBuilder::new(StringBuilder::new());
    for i in 0..s.len() {
        let index = idx.map_or(Some(1), |a| a.is_valid(i).then(|| a.value(i)));
        let (Some(index), true, true) = (index, s.is_valid(i), p.is_valid(i)) else {
            single.append_null();
            lists.append_null();
            continue;
        };
        let regex = cache.get(p.value(i))?;
        let group = group_index(regex, index, p.value(i))?;
        let text = s.value(i);
        if all {
            for caps in regex.captures_iter(text) {
                lists
                    .values()
                    .append_value(caps.get(group).map_or("", |m| m.as_str()));
            }
            lists.append(true);
        } else {
            let found = regex
                .captures(text)
                .and_then(|c| c.get(group).map(|m| m.as_str()));
            single.append_value(found.unwrap_or(""));
        }
    }
    Ok(if all {
        Arc::new(lists.finish())
    } else {
        Arc::new(single.finish())
    })
}

func!(
    REGEXP_EXTRACT,
    "regexp_extract",
    resolve_extract,
    |args, _, _: &EvalContext| invoke_extract(args, false)
);
func!(
    REGEXP_EXTRACT_ALL,
    "regexp_extract_all",
    resolve_extract,
    |args, _, _: &EvalContext| invoke_extract(args, true)
);

fn resolve_replace(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(
        name,
        args,
        (3, 4),
        &[Want::String, Want::String, Want::String, Want::Int],
        SparkType::String,
    )
}

/// Java's replacement syntax (`$1`, `\$`) in `regex-lite`'s (`${1}`, `$$`).
fn java_replacement(rep: &str) -> String {
    let mut out = String::with_capacity(rep.len());
    let mut chars = rep.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('$') => out.push_str("$$"),
                Some(other) => out.push(other),
                None => {}
            },
            '$' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    out.push_str("$$")
                } else {
                    out.push_str(&format!("${{{digits}}}"))
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn invoke_replace(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (s, p) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let rep = strings(arg(args, 2)?.as_ref())?;
    let pos = args
        .get(3)
        .map(|a| prim::<Int32Type>(a.as_ref()))
        .transpose()?;
    let mut cache = PatternCache::new(java_regex);
    let mut out = StringBuilder::with_capacity(s.len(), 0);
    for i in 0..s.len() {
        let start = pos.map_or(Some(1), |a| a.is_valid(i).then(|| a.value(i)));
        let (Some(start), true, true, true) =
            (start, s.is_valid(i), p.is_valid(i), rep.is_valid(i))
        else {
            out.append_null();
            continue;
        };
        if start < 1 {
            return Err(QueryError::execution(
                ErrorClass::InvalidParameterValueRegexPosition,
                format!(
                    "The value of parameter `position` in `regexp_replace` must be positive, but got {start}."
                ),
            ));
        }
        let text = s.value(i);
        let split = text
            .char_indices()
            .nth(start as usize - 1)
            .map_or(text.len(), |(b, _)| b);
        let regex = cache.get(p.value(i))?;
        let replaced = regex.replace_all(&text[split..], java_replacement(rep.value(i)).as_str());
        out.append_value(format!("{}{replaced}", &text[..split]));
    }
    Ok(Arc::new(out.finish()))
}

func!(
    REGEXP_REPLACE,
    "regexp_replace",
    resolve_replace,
    invoke_replace
);

fn resolve_split(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    let result = SparkType::Array(Box::new(SparkType::String));
    resolve_with(
        name,
        args,
        (2, 3),
        &[Want::String, Want::String, Want::Int],
        result,
    )
}

/// Java's `String.split(regex, limit)` as Spark calls it: `limit > 0` caps the number of
/// parts, otherwise all parts are kept, trailing empty ones included. An empty pattern
/// splits into characters.
fn split_with<'a>(regex: &Regex, text: &'a str, limit: i32) -> Vec<&'a str> {
    if regex.as_str().is_empty() {
        let mut parts: Vec<&str> = text
            .char_indices()
            .map(|(i, c)| &text[i..i + c.len_utf8()])
            .collect();
        if limit > 0 && parts.len() > limit as usize {
            let keep = limit as usize - 1;
            let rest_start: usize = parts[..keep].iter().map(|p| p.len()).sum();
            parts.truncate(keep);
            parts.push(&text[rest_start..]);
        }
        return parts;
    }
    let mut parts: Vec<&str> = if limit > 0 {
        regex.splitn(text, limit as usize).collect()
    } else {
        regex.split(text).collect()
    };
    // Java drops the empty leading part a zero-width match at the start would make.
    if parts.len() > 1
        && parts[0].is_empty()
        && regex
            .find(text)
            .is_some_and(|m| m.start() == 0 && m.end() == 0)
    {
        parts.remove(0);
    }
    parts
}

fn invoke_split(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (s, p) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let limit = args
        .get(2)
        .map(|a| prim::<Int32Type>(a.as_ref()))
        .transpose()?;
    let mut cache = PatternCache::new(java_regex);
    let mut out = ListBuilder::new(StringBuilder::new());
    for i in 0..s.len() {
        let lim = limit.map_or(Some(-1), |a| a.is_valid(i).then(|| a.value(i)));
        let (Some(lim), true, true) = (lim, s.is_valid(i), p.is_valid(i)) else {
            out.append_null();
            continue;
        };
        for part in split_with(cache.get(p.value(i))?, s.value(i), lim) {
            out.values().append_value(part);
        }
        out.append(true);
    }
    Ok(Arc::new(out.finish()))
}

func!(SPLIT, "split", resolve_split, invoke_split);

#[cfg(test)]
mod tests {
    use super::*;

    fn like(text: &str, pattern: &str) -> bool {
        let by_regex = Regex::new(&like_to_regex(pattern).unwrap())
            .unwrap()
            .is_match(text);
        if let Some(simple) = simple_like(pattern) {
            let fast = match simple {
                Simple::Equal(x) => text == x,
                Simple::Prefix(x) => text.starts_with(x),
                Simple::Suffix(x) => text.ends_with(x),
                Simple::Contains(x) => text.contains(x),
            };
            assert_eq!(
                fast, by_regex,
                "fast path disagrees for {text} LIKE {pattern}"
            );
        }
        by_regex
    }

    #[test]
    fn test_like_patterns() {
        assert!(like("turbo_x1", "turbo%"));
        assert!(like("Aero_Pro", "%\\_%"));
        assert!(!like("EcoFlow", "%\\_%"));
        assert!(like("aero-s", "aero_s"));
        assert!(!like("Aero_Pro", "aero_s"));
        assert!(like("hydro 9", "%9"));
        assert!(like("a.b", "a.b"));
        assert!(!like("axb", "a.b"));
        assert!(like("line\nbreak", "line%"));
        assert!(like("%", "%"));
        assert!(like("", "%"));
        assert!(like_to_regex("ab\\").is_err());
        assert!(like_to_regex("a\\b").is_err());
    }

    #[test]
    fn test_split_java_semantics() {
        let re = Regex::new("_").unwrap();
        assert_eq!(split_with(&re, "Aero_Pro", -1), vec!["Aero", "Pro"]);
        assert_eq!(split_with(&re, "a_b_", -1), vec!["a", "b", ""]);
        assert_eq!(split_with(&re, "_a", -1), vec!["", "a"]);
        assert_eq!(split_with(&re, "a_b_c", 2), vec!["a", "b_c"]);
        assert_eq!(
            split_with(&Regex::new("").unwrap(), "abc", -1),
            vec!["a", "b", "c"]
        );
    }

    #[test]
    fn test_java_replacement() {
        assert_eq!(java_replacement("$1-$2"), "${1}-${2}");
        assert_eq!(java_replacement("\\$x"), "$$x");
        assert_eq!(java_replacement("$1a"), "${1}a");
    }
}
