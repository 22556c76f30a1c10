//! Functions over JSON text: `get_json_object` (Spark's JSON path subset: `$`, `.name`,
//! `['name']`, `[n]`, `[*]`, `.*`), `json_array_length` and `json_object_keys`, and
//! `json_access`, which Databricks' `column:path` operator lowers to: the same paths, but
//! dotted names ignore case (the Databricks event log's `details:flow_progress.status`).
//!
//! As in Spark, text that is not JSON, a path Spark's parser rejects, and a path that
//! matches nothing all give NULL, never an error; only the first JSON value of the text is
//! read. Differences from Spark's Jackson parser: single-quoted strings and raw control
//! characters inside strings are rejected (NULL), a repeated member name keeps its last value,
//! and integers beyond 64 bits print as doubles. Where Databricks reports an ambiguous
//! case-insensitive name (`{"a":1,"A":2}` read with `:a`), the exact match wins, else the first.

mod path;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int32Array, ListBuilder, StringArray, StringBuilder};
use serde_json::Value;

use crate::error::Result;
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, strings};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature};
use crate::types::SparkType;

/// The first JSON value of `text`, or `None` when it does not start with valid JSON.
fn first_value(text: &str) -> Option<Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .next()?
        .ok()
}

fn resolve_get_json_object(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::String, Want::String])?,
        result: SparkType::String,
    })
}

fn invoke_get_json_object(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    extract(args, path::DottedNames::Exact)
}

fn invoke_json_access(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    extract(args, path::DottedNames::AnyCase)
}

/// Evaluate the path of argument 1 in the JSON text of argument 0, row by row.
fn extract(args: &[ArrayRef], dotted: path::DottedNames) -> Result<ArrayRef> {
    let (docs, paths) = (
        strings(arg(args, 0)?.as_ref())?,
        strings(arg(args, 1)?.as_ref())?,
    );
    // The path is nearly always a literal: parse it once per distinct run of rows.
    let mut parsed: Option<(&str, Option<Vec<path::Step>>)> = None;
    let mut out = StringBuilder::with_capacity(docs.len(), docs.len() * 8);
    for i in 0..docs.len() {
        if docs.is_null(i) || paths.is_null(i) {
            out.append_null();
            continue;
        }
        let text = paths.value(i);
        if parsed.as_ref().is_none_or(|(last, _)| *last != text) {
            parsed = Some((text, path::parse(text, dotted)));
        }
        let steps = parsed.as_ref().and_then(|(_, steps)| steps.as_deref());
        let found = steps.and_then(|steps| path::evaluate(&first_value(docs.value(i))?, steps));
        out.append_option(found);
    }
    Ok(Arc::new(out.finish()))
}

func!(
    GET_JSON_OBJECT,
    "get_json_object",
    resolve_get_json_object,
    invoke_get_json_object
);

func!(
    JSON_ACCESS,
    "json_access",
    resolve_get_json_object,
    invoke_json_access
);

fn resolve_json_text(name: &'static str, args: &[ArgInfo], result: SparkType) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::String])?,
        result,
    })
}

fn resolve_json_array_length(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_json_text(name, args, SparkType::Int)
}

fn invoke_json_array_length(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let docs = strings(arg(args, 0)?.as_ref())?;
    let out: Int32Array = docs
        .iter()
        .map(|doc| match first_value(doc?)? {
            Value::Array(items) => i32::try_from(items.len()).ok(),
            _ => None,
        })
        .collect();
    Ok(Arc::new(out))
}

func!(
    JSON_ARRAY_LENGTH,
    "json_array_length",
    resolve_json_array_length,
    invoke_json_array_length
);

fn resolve_json_object_keys(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_json_text(name, args, SparkType::Array(Box::new(SparkType::String)))
}

fn invoke_json_object_keys(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let docs: &StringArray = strings(arg(args, 0)?.as_ref())?;
    let mut out = ListBuilder::new(StringBuilder::new());
    for doc in docs.iter() {
        match doc.and_then(first_value) {
            Some(Value::Object(members)) => {
                for name in members.keys() {
                    out.values().append_value(name);
                }
                out.append(true);
            }
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

func!(
    JSON_OBJECT_KEYS,
    "json_object_keys",
    resolve_json_object_keys,
    invoke_json_object_keys
);

/// The JSON functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &GET_JSON_OBJECT,
    &JSON_ACCESS,
    &JSON_ARRAY_LENGTH,
    &JSON_OBJECT_KEYS,
];
