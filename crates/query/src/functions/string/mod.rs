//! String functions with Spark's semantics: positions count characters from 1, `trim`
//! removes spaces only, `concat` propagates NULL while `concat_ws` skips it, and regular
//! expressions follow Java's syntax where the `regex-lite` crate shares it.

mod concat;
mod edit;
mod format;
mod pad;
mod printf;
mod regex;
mod search;

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int32Array, StringArray};

use crate::error::Result;
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, strings};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature};
use crate::types::SparkType;

/// Check arity and cast every argument as `wants` says; the result is `result`.
pub(crate) fn resolve_with(
    name: &'static str,
    args: &[ArgInfo],
    (min, max): (usize, usize),
    wants: &[Want],
    result: SparkType,
) -> Result<Signature> {
    check_arity(name, args, min, max)?;
    Ok(Signature {
        args: coerce_args(name, args, wants)?,
        result,
    })
}

/// Map every non-NULL string of argument 0.
pub(crate) fn map_strings(args: &[ArrayRef], f: impl Fn(&str) -> String) -> Result<ArrayRef> {
    let a = strings(arg(args, 0)?.as_ref())?;
    Ok(Arc::new(
        a.iter().map(|v| v.map(&f)).collect::<StringArray>(),
    ))
}

fn resolve_string_to_string(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(name, args, (1, 1), &[Want::String], SparkType::String)
}

fn resolve_length(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    let t = if args[0].data_type == SparkType::Binary {
        SparkType::Binary
    } else {
        coerce_args(name, args, &[Want::String])?.remove(0)
    };
    Ok(Signature {
        args: vec![t],
        result: SparkType::Int,
    })
}

fn invoke_length(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = arg(args, 0)?;
    let out: Int32Array = if let Some(b) = a.as_any().downcast_ref::<arrow::array::BinaryArray>() {
        b.iter().map(|v| v.map(|x| x.len() as i32)).collect()
    } else {
        strings(a.as_ref())?
            .iter()
            .map(|v| v.map(|s| s.chars().count() as i32))
            .collect()
    };
    Ok(Arc::new(out))
}

fn invoke_octet_length(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = arg(args, 0)?;
    let out: Int32Array = if let Some(b) = a.as_any().downcast_ref::<arrow::array::BinaryArray>() {
        b.iter().map(|v| v.map(|x| x.len() as i32)).collect()
    } else {
        strings(a.as_ref())?
            .iter()
            .map(|v| v.map(|s| s.len() as i32))
            .collect()
    };
    Ok(Arc::new(out))
}

/// Spark's `initcap`: lower-case everything, then upper-case the first letter of each
/// space-separated word (only spaces separate words: `aero-s` → `Aero-s`).
fn initcap(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == ' ';
    }
    out
}

fn resolve_ascii(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(name, args, (1, 1), &[Want::String], SparkType::Int)
}

fn invoke_ascii(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = strings(arg(args, 0)?.as_ref())?;
    let out: Int32Array = a
        .iter()
        .map(|v| v.map(|s| s.chars().next().map_or(0, |c| c as i32)))
        .collect();
    Ok(Arc::new(out))
}

fn resolve_chr(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_with(name, args, (1, 1), &[Want::Long], SparkType::String)
}

fn invoke_chr(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = crate::functions::common::prim::<arrow::datatypes::Int64Type>(arg(args, 0)?.as_ref())?;
    // Spark: negative → empty string, otherwise the Latin-1 character n mod 256.
    let out: StringArray = a
        .iter()
        .map(|v| {
            v.map(|n| {
                if n < 0 {
                    String::new()
                } else {
                    char::from((n % 256) as u8).to_string()
                }
            })
        })
        .collect();
    Ok(Arc::new(out))
}

func!(LOWER, "lower", resolve_string_to_string, |args, _, _| {
    map_strings(args, str::to_lowercase)
});
func!(LCASE, "lcase", resolve_string_to_string, |args, _, _| {
    map_strings(args, str::to_lowercase)
});
func!(UPPER, "upper", resolve_string_to_string, |args, _, _| {
    map_strings(args, str::to_uppercase)
});
func!(UCASE, "ucase", resolve_string_to_string, |args, _, _| {
    map_strings(args, str::to_uppercase)
});
func!(
    INITCAP,
    "initcap",
    resolve_string_to_string,
    |args, _, _| map_strings(args, initcap)
);
func!(LENGTH, "length", resolve_length, invoke_length);
func!(LEN, "len", resolve_length, invoke_length);
func!(CHAR_LENGTH, "char_length", resolve_length, invoke_length);
func!(
    CHARACTER_LENGTH,
    "character_length",
    resolve_length,
    invoke_length
);
func!(
    OCTET_LENGTH,
    "octet_length",
    resolve_length,
    invoke_octet_length
);
func!(ASCII, "ascii", resolve_ascii, invoke_ascii);
func!(CHR, "chr", resolve_chr, invoke_chr);
func!(CHAR, "char", resolve_chr, invoke_chr);

/// The string functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &LOWER,
    &LCASE,
    &UPPER,
    &UCASE,
    &INITCAP,
    &LENGTH,
    &LEN,
    &CHAR_LENGTH,
    &CHARACTER_LENGTH,
    &OCTET_LENGTH,
    &ASCII,
    &CHR,
    &CHAR,
    &search::INSTR,
    &search::LOCATE,
    &search::POSITION,
    &search::CONTAINS,
    &search::STARTSWITH,
    &search::ENDSWITH,
    &search::REPLACE,
    &search::TRANSLATE,
    &search::SUBSTRING,
    &search::SUBSTR,
    &search::LEFT,
    &search::RIGHT,
    &search::REPEAT,
    &search::REVERSE,
    &search::SPLIT_PART,
    &edit::SUBSTRING_INDEX,
    &edit::LEVENSHTEIN,
    &pad::TRIM,
    &pad::BTRIM,
    &pad::LTRIM,
    &pad::RTRIM,
    &pad::LPAD,
    &pad::RPAD,
    &concat::CONCAT,
    &concat::PIPES,
    &concat::CONCAT_WS,
    &regex::LIKE,
    &regex::ILIKE,
    &regex::RLIKE,
    &regex::REGEXP,
    &regex::REGEXP_LIKE,
    &regex::REGEXP_EXTRACT,
    &regex::REGEXP_EXTRACT_ALL,
    &regex::REGEXP_REPLACE,
    &regex::SPLIT,
    &format::FORMAT_NUMBER,
    &printf::FORMAT_STRING,
    &printf::PRINTF,
];

#[cfg(test)]
mod tests;
