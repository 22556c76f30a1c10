//! JSON files (one object per line, or one document per file with `multiLine`) as raw text
//! columns: strings as they are, numbers and booleans as their text, nested values as JSON.

use std::sync::Arc;

use arrow::array::{ArrayRef, StringBuilder};
use query::SparkType;
use serde_json::Value;

use super::RawFile;

/// Read JSON `bytes` of file `path` into text columns (keys in order of first appearance).
/// A line that is not a JSON object is kept as a row of NULLs with the line rescued under
/// `_corrupt_record`, as Spark's PERMISSIVE mode does.
///
/// # Examples
/// ```
/// use arrow::array::{Array, AsArray};
/// use pipeline::autoloader::json::read_json;
/// let raw = read_json("/v/a.json", b"{\"id\": 1, \"tags\": [\"a\"]}\n{\"id\": \"x\", \"n\": null}\n", false).unwrap();
/// assert_eq!(raw.names, ["id", "tags", "n"]);
/// assert_eq!(raw.columns[0].0.as_string::<i32>().value(1), "x");
/// assert_eq!(raw.columns[1].0.as_string::<i32>().value(0), "[\"a\"]");
/// assert!(raw.columns[2].0.is_null(1));
/// ```
pub fn read_json(path: &str, bytes: &[u8], multi_line: bool) -> Result<RawFile, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        format!("line {line}: the file is not valid UTF-8 text")
    })?;
    let mut rows: Vec<Result<serde_json::Map<String, Value>, String>> = Vec::new();
    if multi_line {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => rows.extend(items.into_iter().map(object)),
            Ok(other) => rows.push(object(other)),
            Err(e) => return Err(format!("invalid JSON: {e}")),
        }
    } else {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            rows.push(match serde_json::from_str::<Value>(line) {
                Ok(v) => object(v),
                Err(_) => Err(line.to_string()),
            });
        }
    }
    let mut names: Vec<String> = Vec::new();
    for row in rows.iter().flatten() {
        for key in row.keys() {
            if !names.contains(key) {
                names.push(key.clone());
            }
        }
    }
    let mut builders: Vec<StringBuilder> = names.iter().map(|_| StringBuilder::new()).collect();
    let mut extra_fields = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        match row {
            Ok(map) => {
                for (name, builder) in names.iter().zip(&mut builders) {
                    match map.get(name) {
                        None | Some(Value::Null) => builder.append_null(),
                        Some(Value::String(s)) => builder.append_value(s),
                        Some(other) => builder.append_value(other.to_string()),
                    }
                }
            }
            Err(line) => {
                builders.iter_mut().for_each(StringBuilder::append_null);
                extra_fields.push((r, vec![(usize::MAX, line.clone())]));
            }
        }
    }
    let columns = builders
        .into_iter()
        .map(|mut b| (Arc::new(b.finish()) as ArrayRef, SparkType::String))
        .collect();
    Ok(RawFile {
        path: path.to_string(),
        names,
        columns,
        rejected: Vec::new(),
        extra_fields,
        num_rows: rows.len(),
    })
}

fn object(value: Value) -> Result<serde_json::Map<String, Value>, String> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(other.to_string()),
    }
}
