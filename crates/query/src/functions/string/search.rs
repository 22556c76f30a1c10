//! Searching and slicing strings: `instr`, `locate`/`position`, `contains`, `startswith`,
//! `endswith`, `replace`, `translate`, `substring`/`substr`, `left`, `right`, `repeat`,
//! `reverse`, `split_part`.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, Int32Array, StringArray};
use arrow::datatypes::Int32Type;

use super::resolve_with;
use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{Want, arg, check_arity, func, prim, strings};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

fn str_at(a: &StringArray, i: usize) -> Option<&str> {
    a.is_valid(i).then(|| a.value(i))
}

fn int_at(a: &Int32Array, i: usize) -> Option<i32> {
    a.is_valid(i).then(|| a.value(i))
}

/// Count characters, with a fast path for ASCII.
fn char_len(s: &str) -> i64 {
    if s.is_ascii() {
        s.len() as i64
    } else {
        s.chars().count() as i64
    }
}

/// The characters `[start, end)` of `s` (both already within `0..=len`).
fn char_slice(s: &str, start: i64, end: i64) -> &str {
    if s.is_ascii() {
        return &s[start as usize..end as usize];
    }
    let mut indices = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()));
    let from = indices.nth(start as usize).unwrap_or(s.len());
    let to = if end > start {
        indices.nth((end - start - 1) as usize).unwrap_or(s.len())
    } else {
        from
    };
    &s[from..to]
}

/// Spark's `UTF8String.substringSQL`: position 1 is the first character, 0 acts like 1, a
/// negative position counts from the end; the length defaults to "to the end".
///
/// # Examples
/// `substring_sql("hello world", -5, None)` is `"world"`.
pub(crate) fn substring_sql(s: &str, pos: i64, len: Option<i64>) -> &str {
    let n = char_len(s);
    let start = match pos {
        p if p > 0 => p - 1,
        p if p < 0 => n + p,
        _ => 0,
    };
    let end = start
        .saturating_add(len.unwrap_or(i64::from(i32::MAX)))
        .min(n);
    let start = start.max(0);
    if start >= end {
        ""
    } else {
        char_slice(s, start, end)
    }
}

/// 1-based character position of `needle` in `haystack` from character `from` (0-based),
/// or 0.
fn find_chars(haystack: &str, needle: &str, from: i64) -> i32 {
    let n = char_len(haystack);
    if from > n {
        return 0;
    }
    let tail = char_slice(haystack, from, n);
    match tail.find(needle) {
        Some(byte) => (from + char_len(&tail[..byte]) + 1) as i32,
        None => 0,
    }
}

fn resolve_instr(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(name, args, (2, 2), &[Want::String], SparkType::Int)
}

fn invoke_instr(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (s, sub) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let out: Int32Array = (0..s.len())
        .map(|i| Some(find_chars(str_at(s, i)?, str_at(sub, i)?, 0)))
        .collect();
    Ok(Arc::new(out))
}

fn resolve_locate(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(
        name,
        args,
        (2, 3),
        &[Want::String, Want::String, Want::Int],
        SparkType::Int,
    )
}

/// `locate(substr, str[, pos])`: 0 when `pos` < 1.
fn invoke_locate(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (sub, s) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let pos = args
        .get(2)
        .map(|p| prim::<Int32Type>(p.as_ref()))
        .transpose()?;
    let out: Int32Array = (0..s.len())
        .map(|i| {
            let start = match pos {
                Some(p) => int_at(p, i)?,
                None => 1,
            };
            let (needle, haystack) = (str_at(sub, i)?, str_at(s, i)?);
            Some(if start < 1 {
                0
            } else {
                find_chars(haystack, needle, i64::from(start) - 1)
            })
        })
        .collect();
    Ok(Arc::new(out))
}

fn resolve_predicate(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(name, args, (2, 2), &[Want::String], SparkType::Boolean)
}

fn string_predicate(args: &[ArrayRef], f: fn(&str, &str) -> bool) -> Result<ArrayRef> {
    let (a, b) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let out: BooleanArray = (0..a.len())
        .map(|i| Some(f(str_at(a, i)?, str_at(b, i)?)))
        .collect();
    Ok(Arc::new(out))
}

func!(INSTR, "instr", resolve_instr, invoke_instr);
func!(LOCATE, "locate", resolve_locate, invoke_locate);
func!(POSITION, "position", resolve_locate, invoke_locate);
func!(CONTAINS, "contains", resolve_predicate, |args, _, _| {
    string_predicate(args, |a, b| a.contains(b))
});
func!(STARTSWITH, "startswith", resolve_predicate, |args, _, _| {
    string_predicate(args, |a, b| a.starts_with(b))
});
func!(ENDSWITH, "endswith", resolve_predicate, |args, _, _| {
    string_predicate(args, |a, b| a.ends_with(b))
});

fn resolve_replace(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(name, args, (2, 3), &[Want::String], SparkType::String)
}

fn invoke_replace(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (s, search) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let with = args.get(2).map(|a| strings(a.as_ref())).transpose()?;
    let out: StringArray = (0..s.len())
        .map(|i| {
            let (text, pattern) = (str_at(s, i)?, str_at(search, i)?);
            let replacement = match with {
                Some(w) => str_at(w, i)?,
                None => "",
            };
            Some(if pattern.is_empty() {
                text.to_string()
            } else {
                text.replace(pattern, replacement)
            })
        })
        .collect();
    Ok(Arc::new(out))
}

func!(REPLACE, "replace", resolve_replace, invoke_replace);

fn resolve_translate(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(name, args, (3, 3), &[Want::String], SparkType::String)
}

/// `translate`: each character of `from` becomes the character at the same place in `to`,
/// or disappears when `to` is shorter; the first occurrence in `from` wins.
fn translate(s: &str, from: &str, to: &str) -> String {
    let mut map: HashMap<char, Option<char>> = HashMap::new();
    let mut targets = to.chars();
    for c in from.chars() {
        let target = targets.next();
        map.entry(c).or_insert(target);
    }
    s.chars()
        .filter_map(|c| map.get(&c).copied().unwrap_or(Some(c)))
        .collect()
}

fn invoke_translate(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let s = strings(arg(args, 0)?.as_ref())?;
    let (from, to) = (
        strings(arg(args, 1)?.as_ref())?,
        strings(arg(args, 2)?.as_ref())?,
    );
    let out: StringArray = (0..s.len())
        .map(|i| Some(translate(str_at(s, i)?, str_at(from, i)?, str_at(to, i)?)))
        .collect();
    Ok(Arc::new(out))
}

func!(TRANSLATE, "translate", resolve_translate, invoke_translate);

fn resolve_substring(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(
        name,
        args,
        (2, 3),
        &[Want::String, Want::Int, Want::Int],
        SparkType::String,
    )
}

fn invoke_substring(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let s = strings(arg(args, 0)?.as_ref())?;
    let pos = prim::<Int32Type>(arg(args, 1)?.as_ref())?;
    let len = args
        .get(2)
        .map(|a| prim::<Int32Type>(a.as_ref()))
        .transpose()?;
    let out: StringArray = (0..s.len())
        .map(|i| {
            let l = match len {
                Some(l) => Some(i64::from(int_at(l, i)?)),
                None => None,
            };
            Some(substring_sql(str_at(s, i)?, i64::from(int_at(pos, i)?), l))
        })
        .collect();
    Ok(Arc::new(out))
}

func!(SUBSTRING, "substring", resolve_substring, invoke_substring);
func!(SUBSTR, "substr", resolve_substring, invoke_substring);

fn resolve_left_right(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(
        name,
        args,
        (2, 2),
        &[Want::String, Want::Int],
        SparkType::String,
    )
}

fn left_right(args: &[ArrayRef], right: bool) -> Result<ArrayRef> {
    let s = strings(arg(args, 0)?.as_ref())?;
    let n = prim::<Int32Type>(arg(args, 1)?.as_ref())?;
    let out: StringArray = (0..s.len())
        .map(|i| {
            let (text, n) = (str_at(s, i)?, i64::from(int_at(n, i)?));
            Some(match (n <= 0, right) {
                (true, _) => "",
                (false, false) => substring_sql(text, 1, Some(n)),
                (false, true) => substring_sql(text, -n, Some(n)),
            })
        })
        .collect();
    Ok(Arc::new(out))
}

func!(LEFT, "left", resolve_left_right, |args, _, _| left_right(
    args, false
));
func!(RIGHT, "right", resolve_left_right, |args, _, _| left_right(
    args, true
));

fn invoke_repeat(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let s = strings(arg(args, 0)?.as_ref())?;
    let n = prim::<Int32Type>(arg(args, 1)?.as_ref())?;
    let out: StringArray = (0..s.len())
        .map(|i| Some(str_at(s, i)?.repeat(int_at(n, i)?.max(0) as usize)))
        .collect();
    Ok(Arc::new(out))
}

func!(REPEAT, "repeat", resolve_left_right, invoke_repeat);

fn resolve_reverse(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    if let SparkType::Array(_) = &args[0].data_type {
        let t = args[0].data_type.clone();
        return Ok(Signature {
            args: vec![t.clone()],
            result: t,
        });
    }
    resolve_with(name, args, (1, 1), &[Want::String], SparkType::String)
}

fn invoke_reverse(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = arg(args, 0)?;
    if let Some(list) = a.as_any().downcast_ref::<arrow::array::ListArray>() {
        return crate::functions::array::reverse_lists(list);
    }
    super::map_strings(args, |s| s.chars().rev().collect())
}

func!(REVERSE, "reverse", resolve_reverse, invoke_reverse);

fn resolve_split_part(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(
        name,
        args,
        (3, 3),
        &[Want::String, Want::String, Want::Int],
        SparkType::String,
    )
}

/// `split_part(str, delimiter, n)`: the n-th part (from the end when negative), `''` when
/// out of range; the delimiter is literal text.
fn invoke_split_part(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (s, d) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    let n = prim::<Int32Type>(arg(args, 2)?.as_ref())?;
    let mut out = Vec::with_capacity(s.len());
    for i in 0..s.len() {
        let (Some(text), Some(delim), Some(part)) = (str_at(s, i), str_at(d, i), int_at(n, i))
        else {
            out.push(None);
            continue;
        };
        if part == 0 {
            return Err(QueryError::execution(
                ErrorClass::InvalidIndexOfZero,
                "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).",
            ));
        }
        let parts: Vec<&str> = if delim.is_empty() {
            vec![text]
        } else {
            text.split(delim).collect()
        };
        let index = if part > 0 {
            part as i64 - 1
        } else {
            parts.len() as i64 + i64::from(part)
        };
        let value = usize::try_from(index)
            .ok()
            .and_then(|k| parts.get(k))
            .copied()
            .unwrap_or("");
        out.push(Some(value));
    }
    Ok(Arc::new(StringArray::from(out)))
}

func!(
    SPLIT_PART,
    "split_part",
    resolve_split_part,
    invoke_split_part
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_substring_sql_positions() {
        let s = "hello world";
        assert_eq!(substring_sql(s, 1, Some(5)), "hello");
        assert_eq!(substring_sql(s, 0, Some(5)), "hello");
        assert_eq!(substring_sql(s, -5, None), "world");
        assert_eq!(substring_sql(s, 7, None), "world");
        assert_eq!(substring_sql("hello", 2, Some(100)), "ello");
        assert_eq!(substring_sql("hello", 10, None), "");
        assert_eq!(substring_sql("hello", -10, Some(3)), "");
        assert_eq!(substring_sql("hello", 2, Some(-1)), "");
        assert_eq!(substring_sql("héllo", 2, Some(3)), "éll");
    }

    #[test]
    fn test_translate_and_find() {
        assert_eq!(translate("Aero_Pro", "aeo", "AEO"), "AErO_PrO");
        assert_eq!(translate("abcabc", "abc", "x"), "xx");
        assert_eq!(find_chars("Aero_Pro", "o", 2), 4);
        assert_eq!(find_chars("hydro 9", "_", 0), 0);
        assert_eq!(find_chars("é_x", "_", 0), 2);
    }
}
