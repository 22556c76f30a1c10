//! From raw file columns to the table's typed columns, with Spark's rescued data: a value that
//! does not fit its column's type becomes NULL and is kept, with the file's path, as a JSON
//! object in the rescued data column; the row itself is kept.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, RecordBatch, StringArray, new_null_array};
use arrow::datatypes::{Field, Schema};
use query::SparkType;
use query::functions::cast::{CastMode, cast, value_to_string};

use super::RawFile;
use super::infer::{Columns, NameIndex};

/// Convert one file to a batch of `schema` (plus the rescued data column when `rescued` names
/// it). `rescue_unknown` sends columns the schema lacks to the rescued data (mode `rescue`);
/// otherwise they are dropped (mode `none`).
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Array, ArrayRef, AsArray, StringArray};
/// use pipeline::autoloader::{RawFile, convert::to_batch};
/// use query::SparkType;
/// let raw = RawFile {
///     path: "/Volumes/c/s/v/part-0.csv".into(),
///     names: vec!["id".into()],
///     columns: vec![(Arc::new(StringArray::from(vec![Some("1"), Some("x")])) as ArrayRef, SparkType::String)],
///     rejected: vec![],
///     extra_fields: vec![],
///     num_rows: 2,
/// };
/// let batch = to_batch(&raw, &vec![("id".into(), SparkType::Int)], Some("_rescued_data"), false).unwrap();
/// assert!(batch.column(0).is_null(1));
/// assert_eq!(batch.column(1).as_string::<i32>().value(1), r#"{"id":"x","_file_path":"/Volumes/c/s/v/part-0.csv"}"#);
/// assert!(batch.column(1).is_null(0));
/// ```
pub fn to_batch(
    raw: &RawFile,
    schema: &Columns,
    rescued: Option<&str>,
    rescue_unknown: bool,
) -> Result<RecordBatch, query::QueryError> {
    let n = raw.num_rows;
    let mut rescued_rows: Vec<Vec<(String, String)>> =
        vec![Vec::new(); if rescued.is_some() { n } else { 0 }];
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.len() + 1);
    let mut used = vec![false; raw.names.len()];
    let index = NameIndex::new(&raw.names);
    for (name, target) in schema {
        let Some(i) = index.find(name) else {
            columns.push(new_null_array(&target.to_arrow(), n));
            continue;
        };
        used[i] = true;
        let (array, from) = &raw.columns[i];
        let typed = cast(array, from, target, CastMode::Try)?;
        if rescued.is_some()
            && let Some(rejected) = raw.rejected.get(i)
        {
            // Typed while reading (as `target`: see `column_types`); these became NULL then.
            for (row, text) in rejected {
                rescued_rows[*row].push((raw.names[i].clone(), text.clone()));
            }
        }
        if rescued.is_some() && typed.null_count() > array.null_count() {
            for (row, entries) in rescued_rows.iter_mut().enumerate() {
                if typed.is_null(row) && array.is_valid(row) {
                    entries.push((raw.names[i].clone(), text_of(array, row, from)?));
                }
            }
        }
        columns.push(typed);
    }
    if rescued.is_some() && rescue_unknown {
        for (i, name) in raw.names.iter().enumerate() {
            if used[i] {
                continue;
            }
            let (array, from) = &raw.columns[i];
            for (row, entries) in rescued_rows.iter_mut().enumerate() {
                if array.is_valid(row) {
                    entries.push((name.clone(), text_of(array, row, from)?));
                }
            }
        }
    }
    if rescued.is_some() {
        for (row, extras) in &raw.extra_fields {
            for (index, value) in extras {
                // Spark names an unparsable JSON line `_corrupt_record`, extra CSV fields `_c<i>`.
                let key = if *index == usize::MAX {
                    "_corrupt_record".to_string()
                } else {
                    format!("_c{index}")
                };
                rescued_rows[*row].push((key, value.clone()));
            }
        }
    }
    let mut fields: Vec<Field> = schema
        .iter()
        .map(|(name, t)| Field::new(name, t.to_arrow(), true))
        .collect();
    if let Some(rescued_name) = rescued {
        let json: StringArray = rescued_rows
            .iter()
            .map(|entries| (!entries.is_empty()).then(|| rescued_json(entries, &raw.path)))
            .collect();
        columns.push(Arc::new(json));
        fields.push(Field::new(
            rescued_name,
            arrow::datatypes::DataType::Utf8,
            true,
        ));
    }
    let options = arrow::array::RecordBatchOptions::new().with_row_count(Some(n));
    Ok(RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        columns,
        &options,
    )?)
}

/// The type each of a file's columns (`names`) can be read as, from the columns whose type is
/// known before reading: the type [`to_batch`] will cast the column to, when that is sure from
/// the names alone. A column whose name, ignoring case, appears twice in the file, or that
/// `known` gives different types, stays text (`None`), as does one `known` lacks: those
/// follow the reading-then-casting path, which keeps every value's spelling.
///
/// # Examples
/// ```
/// use pipeline::autoloader::convert::column_types;
/// use query::SparkType;
/// let names: Vec<String> = ["ID", "x", "y", "Y"].map(String::from).into();
/// let known = vec![("id".to_string(), SparkType::Int), ("y".to_string(), SparkType::Double)];
/// assert_eq!(column_types(&names, &known), [Some(SparkType::Int), None, None, None]);
/// ```
pub fn column_types(names: &[String], known: &[(String, SparkType)]) -> Vec<Option<SparkType>> {
    use std::collections::HashMap;
    let mut in_file: HashMap<String, usize> = HashMap::with_capacity(names.len());
    for name in names {
        *in_file.entry(name.to_ascii_lowercase()).or_default() += 1;
    }
    // `None` marks a name `known` gives two different types.
    let mut types: HashMap<String, Option<&SparkType>> = HashMap::with_capacity(known.len());
    for (name, data_type) in known {
        types
            .entry(name.to_ascii_lowercase())
            .and_modify(|t| {
                if *t != Some(data_type) {
                    *t = None;
                }
            })
            .or_insert(Some(data_type));
    }
    names
        .iter()
        .map(|name| {
            let folded = name.to_ascii_lowercase();
            if in_file.get(&folded) != Some(&1) {
                return None;
            }
            types.get(&folded).copied().flatten().cloned()
        })
        .collect()
}

fn text_of(
    array: &ArrayRef,
    row: usize,
    data_type: &SparkType,
) -> Result<String, query::QueryError> {
    if let Some(strings) = array.as_any().downcast_ref::<StringArray>() {
        return Ok(strings.value(row).to_string());
    }
    Ok(value_to_string(array.as_ref(), row, data_type)?.unwrap_or_default())
}

/// `{"col":"value",…,"_file_path":"…"}` with keys in column order and the path last.
fn rescued_json(entries: &[(String, String)], path: &str) -> String {
    let mut out = String::from("{");
    for (key, value) in entries {
        out.push_str(&serde_json::to_string(key).expect("strings serialise"));
        out.push(':');
        out.push_str(&serde_json::to_string(value).expect("strings serialise"));
        out.push(',');
    }
    out.push_str("\"_file_path\":");
    out.push_str(&serde_json::to_string(path).expect("strings serialise"));
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::AsArray;

    fn raw(
        names: &[&str],
        rows: &[&[Option<&str>]],
        extra: Vec<(usize, Vec<(usize, String)>)>,
    ) -> RawFile {
        let columns = (0..names.len())
            .map(|c| {
                (
                    Arc::new(rows.iter().map(|r| r[c]).collect::<StringArray>()) as ArrayRef,
                    SparkType::String,
                )
            })
            .collect();
        RawFile {
            path: "/v/p.csv".into(),
            names: names.iter().map(|s| s.to_string()).collect(),
            columns,
            rejected: vec![],
            extra_fields: extra,
            num_rows: rows.len(),
        }
    }

    #[test]
    fn test_unknown_columns_rescued_only_in_rescue_mode() {
        let file = raw(&["id", "new"], &[&[Some("1"), Some("z")]], vec![]);
        let schema: Columns = vec![("id".into(), SparkType::Int)];
        let rescued = to_batch(&file, &schema, Some("_rescued_data"), true).unwrap();
        assert_eq!(
            rescued.column(1).as_string::<i32>().value(0),
            r#"{"new":"z","_file_path":"/v/p.csv"}"#
        );
        let ignored = to_batch(&file, &schema, Some("_rescued_data"), false).unwrap();
        assert!(ignored.column(1).is_null(0));
    }

    #[test]
    fn test_missing_columns_are_null_and_extra_fields_rescued() {
        let file = raw(
            &["id"],
            &[&[Some("1")], &[Some("2")]],
            vec![(1, vec![(1, "oops".into())])],
        );
        let schema: Columns = vec![
            ("id".into(), SparkType::Int),
            ("other".into(), SparkType::Double),
        ];
        let batch = to_batch(&file, &schema, Some("_rescued_data"), false).unwrap();
        assert_eq!(batch.column(1).null_count(), 2);
        assert!(batch.column(2).is_null(0));
        assert_eq!(
            batch.column(2).as_string::<i32>().value(1),
            r#"{"_c1":"oops","_file_path":"/v/p.csv"}"#
        );
    }

    #[test]
    fn test_without_rescued_column_bad_values_are_just_null() {
        let file = raw(&["id"], &[&[Some("x")]], vec![]);
        let batch = to_batch(&file, &vec![("id".into(), SparkType::Int)], None, false).unwrap();
        assert_eq!((batch.num_columns(), batch.column(0).null_count()), (1, 1));
    }
}
