//! `substring_index` (the text before/after the n-th delimiter) and `levenshtein` (edit
//! distance, with an optional threshold).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int32Array, StringArray};
use arrow::datatypes::Int32Type;

use super::resolve_with;
use crate::error::Result;
use crate::functions::common::{Want, arg, func, prim, strings};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

/// Spark's `substring_index(str, delim, count)`: everything left of the `count`-th
/// delimiter (from the right when negative); the whole string when there are fewer.
fn substring_index<'a>(s: &'a str, delim: &str, count: i32) -> &'a str {
    if delim.is_empty() || count == 0 {
        return "";
    }
    if count > 0 {
        match s.match_indices(delim).nth(count as usize - 1) {
            Some((i, _)) => &s[..i],
            None => s,
        }
    } else {
        match s
            .rmatch_indices(delim)
            .nth(count.unsigned_abs() as usize - 1)
        {
            Some((i, _)) => &s[i + delim.len()..],
            None => s,
        }
    }
}

fn resolve_substring_index(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(
        name,
        args,
        (3, 3),
        &[Want::String, Want::String, Want::Int],
        SparkType::String,
    )
}

fn invoke_substring_index(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (s, d) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let n = prim::<Int32Type>(arg(args, 2)?.as_ref())?;
    let out: StringArray = (0..s.len())
        .map(|i| {
            (s.is_valid(i) && d.is_valid(i) && n.is_valid(i))
                .then(|| substring_index(s.value(i), d.value(i), n.value(i)))
        })
        .collect();
    Ok(Arc::new(out))
}

func!(
    SUBSTRING_INDEX,
    "substring_index",
    resolve_substring_index,
    invoke_substring_index
);

/// Edit distance in characters (insertions, deletions, substitutions): the workspace's one.
fn levenshtein(a: &str, b: &str) -> i32 {
    crate::suggest::edit_distance(a, b) as i32
}

fn resolve_levenshtein(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(
        name,
        args,
        (2, 3),
        &[Want::String, Want::String, Want::Int],
        SparkType::Int,
    )
}

/// `levenshtein(a, b[, threshold])`: -1 when the distance exceeds the threshold.
fn invoke_levenshtein(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (a, b) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let limit = args
        .get(2)
        .map(|t| prim::<Int32Type>(t.as_ref()))
        .transpose()?;
    let out: Int32Array = (0..a.len())
        .map(|i| {
            if a.is_null(i) || b.is_null(i) || limit.is_some_and(|t| t.is_null(i)) {
                return None;
            }
            let d = levenshtein(a.value(i), b.value(i));
            Some(match limit {
                Some(t) if d > t.value(i) => -1,
                _ => d,
            })
        })
        .collect();
    Ok(Arc::new(out))
}

func!(
    LEVENSHTEIN,
    "levenshtein",
    resolve_levenshtein,
    invoke_levenshtein
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_substring_index() {
        assert_eq!(substring_index("www.apache.org", ".", 2), "www.apache");
        assert_eq!(substring_index("www.apache.org", ".", -2), "apache.org");
        assert_eq!(substring_index("www.apache.org", ".", 5), "www.apache.org");
        assert_eq!(substring_index("www.apache.org", ".", 0), "");
    }

    #[test]
    fn test_levenshtein() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("aero-s", "aero_s"), 1);
        assert_eq!(levenshtein("same", "same"), 0);
    }
}
