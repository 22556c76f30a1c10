//! Trimming and padding: `trim`/`btrim`, `ltrim`, `rtrim` (spaces only unless characters are
//! given, as in `TRIM(BOTH 'x' FROM s)`), `lpad`, `rpad`.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StringArray};
use arrow::datatypes::Int32Type;

use super::resolve_with;
use super::search::substring_sql;
use crate::error::Result;
use crate::functions::common::{Want, arg, func, prim, strings};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::SparkType;

#[derive(Clone, Copy)]
enum Side {
    Both,
    Leading,
    Trailing,
}

fn trim_with<'a>(s: &'a str, side: Side, chars: Option<&str>) -> &'a str {
    let strip = |c: char| match chars {
        Some(set) => set.contains(c),
        // Spark trims the space character only, not tabs or newlines.
        None => c == ' ',
    };
    match side {
        Side::Both => s.trim_matches(strip),
        Side::Leading => s.trim_start_matches(strip),
        Side::Trailing => s.trim_end_matches(strip),
    }
}

fn resolve_trim(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(name, args, (1, 2), &[Want::String], SparkType::String)
}

/// `trim(str[, chars])` in the planner's argument order: the string first.
fn invoke_trim(args: &[ArrayRef], side: Side) -> Result<ArrayRef> {
    let s = strings(arg(args, 0)?.as_ref())?;
    let chars = args.get(1).map(|c| strings(c.as_ref())).transpose()?;
    let out: StringArray = (0..s.len())
        .map(|i| {
            if s.is_null(i) || chars.is_some_and(|c| c.is_null(i)) {
                return None;
            }
            Some(trim_with(s.value(i), side, chars.map(|c| c.value(i))))
        })
        .collect();
    Ok(Arc::new(out))
}

func!(TRIM, "trim", resolve_trim, |args, _, _: &EvalContext| {
    invoke_trim(args, Side::Both)
});
func!(BTRIM, "btrim", resolve_trim, |args, _, _: &EvalContext| {
    invoke_trim(args, Side::Both)
});
func!(LTRIM, "ltrim", resolve_trim, |args, _, _: &EvalContext| {
    invoke_trim(args, Side::Leading)
});
func!(RTRIM, "rtrim", resolve_trim, |args, _, _: &EvalContext| {
    invoke_trim(args, Side::Trailing)
});

fn resolve_pad(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(
        name,
        args,
        (2, 3),
        &[Want::String, Want::Int, Want::String],
        SparkType::String,
    )
}

/// Spark's `lpad`/`rpad`: a string longer than `len` is cut to `len`; an empty pad pads
/// nothing.
fn pad(s: &str, len: i32, fill: &str, left: bool) -> String {
    let have = s.chars().count() as i64;
    let missing = i64::from(len) - have;
    if missing <= 0 || fill.is_empty() {
        return substring_sql(s, 1, Some(i64::from(len.max(0)))).to_string();
    }
    let padding: String = fill.chars().cycle().take(missing as usize).collect();
    if left {
        format!("{padding}{s}")
    } else {
        format!("{s}{padding}")
    }
}

fn invoke_pad(args: &[ArrayRef], left: bool) -> Result<ArrayRef> {
    let s = strings(arg(args, 0)?.as_ref())?;
    let len = prim::<Int32Type>(arg(args, 1)?.as_ref())?;
    let fill = args.get(2).map(|f| strings(f.as_ref())).transpose()?;
    let out: StringArray = (0..s.len())
        .map(|i| {
            if s.is_null(i) || len.is_null(i) || fill.is_some_and(|f| f.is_null(i)) {
                return None;
            }
            Some(pad(
                s.value(i),
                len.value(i),
                fill.map_or(" ", |f| f.value(i)),
                left,
            ))
        })
        .collect();
    Ok(Arc::new(out))
}

func!(LPAD, "lpad", resolve_pad, |args, _, _: &EvalContext| {
    invoke_pad(args, true)
});
func!(RPAD, "rpad", resolve_pad, |args, _, _: &EvalContext| {
    invoke_pad(args, false)
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_trim_spaces_only() {
        assert_eq!(trim_with("  pad  ", Side::Both, None), "pad");
        assert_eq!(trim_with("  pad  ", Side::Leading, None), "pad  ");
        assert_eq!(trim_with("  pad  ", Side::Trailing, None), "  pad");
        assert_eq!(trim_with(" \t x \t ", Side::Both, None), "\t x \t");
        assert_eq!(trim_with("xxpadxx", Side::Both, Some("x")), "pad");
    }

    #[test]
    fn test_pad_cases() {
        assert_eq!(pad("7", 3, "0", true), "007");
        assert_eq!(pad("ab", 5, "*", false), "ab***");
        assert_eq!(pad("abcdef", 3, "0", true), "abc");
        assert_eq!(pad("ab", 7, "xy", true), "xyxyxab");
        assert_eq!(pad("ab", -1, "x", true), "");
        assert_eq!(pad("ab", 5, "", true), "ab");
    }
}
