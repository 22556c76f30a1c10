//! Schema inference over newly found files, schema hints, and schema evolution decisions.

use std::collections::HashMap;

use arrow::array::{Array, ArrayRef};
use query::SparkType;
use query::functions::cast::{CastMode, cast};

use super::RawFile;

/// A column list: name and Spark type, in order.
pub type Columns = Vec<(String, SparkType)>;

/// The type of a text column: the narrowest of int, bigint, double, boolean and timestamp that
/// reads every value, else string (Spark's CSV inference order).
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use arrow::array::{ArrayRef, StringArray};
/// use pipeline::autoloader::infer::infer_text_type;
/// use query::SparkType;
/// let col = |v: Vec<Option<&str>>| Arc::new(StringArray::from(v)) as ArrayRef;
/// assert_eq!(infer_text_type(&col(vec![Some("1"), None, Some("20")])), SparkType::Int);
/// assert_eq!(infer_text_type(&col(vec![Some("1"), Some("2.5")])), SparkType::Double);
/// assert_eq!(infer_text_type(&col(vec![Some("2023-01-01T15:02:42.464Z")])), SparkType::Timestamp);
/// assert_eq!(infer_text_type(&col(vec![Some("A06")])), SparkType::String);
/// assert_eq!(infer_text_type(&col(vec![None])), SparkType::String);
/// ```
pub fn infer_text_type(column: &ArrayRef) -> SparkType {
    let values = column.len() - column.null_count();
    if values == 0 {
        return SparkType::String;
    }
    for candidate in [
        SparkType::Int,
        SparkType::Long,
        SparkType::Double,
        SparkType::Boolean,
        SparkType::Timestamp,
    ] {
        if candidate == SparkType::Boolean && !all_boolean_words(column) {
            continue;
        }
        if let Ok(cast) = cast(column, &SparkType::String, &candidate, CastMode::Try)
            && cast.null_count() == column.null_count()
        {
            return candidate;
        }
    }
    SparkType::String
}

fn all_boolean_words(column: &ArrayRef) -> bool {
    let Some(strings) = column.as_any().downcast_ref::<arrow::array::StringArray>() else {
        return false;
    };
    strings
        .iter()
        .flatten()
        .all(|v| v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false"))
}

/// The wider of two inferred types (int < bigint < double; anything else mixed → string).
pub fn widen(a: &SparkType, b: &SparkType) -> SparkType {
    use SparkType as T;
    match (a, b) {
        _ if a == b => a.clone(),
        (T::Null, other) | (other, T::Null) => other.clone(),
        (T::Int, T::Long) | (T::Long, T::Int) => T::Long,
        (T::Int | T::Long | T::Float | T::Double, T::Int | T::Long | T::Float | T::Double) => {
            T::Double
        }
        _ => T::String,
    }
}

/// Find a column by name, exactly or else ignoring case (Spark resolves case-insensitively).
pub fn position(columns: &[String], name: &str) -> Option<usize> {
    columns
        .iter()
        .position(|c| c == name)
        .or_else(|| columns.iter().position(|c| c.eq_ignore_ascii_case(name)))
}

/// Column positions by name, found as [`position`] finds them (the exact name first, then
/// ignoring ASCII case) but in O(1): a CSV header may have thousands of columns.
#[derive(Default)]
pub struct NameIndex {
    exact: HashMap<String, usize>,
    folded: HashMap<String, usize>,
}

impl NameIndex {
    /// An index of `names` in order.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a String>) -> NameIndex {
        let mut index = NameIndex::default();
        for (at, name) in names.into_iter().enumerate() {
            index.push(name, at);
        }
        index
    }

    /// Records `name` at `at`; an earlier column of the same name keeps its place.
    pub fn push(&mut self, name: &str, at: usize) {
        self.exact.entry(name.to_string()).or_insert(at);
        self.folded.entry(name.to_ascii_lowercase()).or_insert(at);
    }

    /// Where `name` is.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.exact
            .get(name)
            .or_else(|| self.folded.get(&name.to_ascii_lowercase()))
            .copied()
    }
}

/// The schema of `files` read for the first time: columns in order of first appearance, types
/// inferred (or strings), then `hints` applied (a hint replaces a type or adds a column).
pub fn infer_schema(
    files: &[RawFile],
    infer_types: bool,
    hints: &[(String, SparkType)],
) -> Columns {
    let mut columns: Columns = Vec::new();
    let mut index = NameIndex::default();
    let hinted = NameIndex::new(hints.iter().map(|(n, _)| n));
    for file in files {
        for (name, (array, data_type)) in file.names.iter().zip(&file.columns) {
            // A hint decides the column's type, so its values need no trial casts (on the
            // course's sensor files that was a third of a first update).
            let inferable = infer_types && hinted.find(name).is_none();
            let found = if *data_type == SparkType::String && inferable {
                infer_text_type(array)
            } else {
                data_type.clone()
            };
            match index.find(name) {
                Some(i) => {
                    // A column of only NULLs in one file says nothing about its type.
                    if array.null_count() < array.len() {
                        columns[i].1 = widen(&columns[i].1, &found);
                    }
                }
                None => {
                    index.push(name, columns.len());
                    columns.push((name.clone(), found));
                }
            }
        }
    }
    apply_hints(columns, hints)
}

/// Apply schema hints: replace the type of a known column, append an unknown one.
pub fn apply_hints(mut columns: Columns, hints: &[(String, SparkType)]) -> Columns {
    let mut index = NameIndex::new(columns.iter().map(|(n, _)| n));
    for (name, data_type) in hints {
        match index.find(name) {
            Some(i) => columns[i].1 = data_type.clone(),
            None => {
                index.push(name, columns.len());
                columns.push((name.clone(), data_type.clone()));
            }
        }
    }
    columns
}

/// Columns of `file` the schema does not have, in file order.
pub fn new_columns(schema: &Columns, file: &RawFile) -> Vec<String> {
    let index = NameIndex::new(schema.iter().map(|(n, _)| n));
    file.names
        .iter()
        .filter(|n| index.find(n).is_none())
        .cloned()
        .collect()
}

/// `schema` with `added` columns appended, typed as inference would type them in `files`.
pub fn evolve(schema: &Columns, added: &[String], files: &[RawFile], infer_types: bool) -> Columns {
    let inferred = infer_schema(files, infer_types, &[]);
    let index = NameIndex::new(inferred.iter().map(|(n, _)| n));
    let mut out = schema.clone();
    for name in added {
        let data_type = index
            .find(name)
            .map_or(SparkType::String, |i| inferred[i].1.clone());
        out.push((name.clone(), data_type));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow::array::StringArray;

    fn file(names: &[&str], rows: &[&[Option<&str>]]) -> RawFile {
        let columns = (0..names.len())
            .map(|c| {
                (
                    Arc::new(rows.iter().map(|r| r[c]).collect::<StringArray>()) as ArrayRef,
                    SparkType::String,
                )
            })
            .collect();
        RawFile {
            path: "/v/f".into(),
            names: names.iter().map(|n| n.to_string()).collect(),
            columns,
            rejected: vec![],
            extra_fields: vec![],
            num_rows: rows.len(),
        }
    }

    #[test]
    fn test_inference_widens_across_files_and_hints_win() {
        let a = file(&["id", "x"], &[&[Some("1"), Some("1")]]);
        let b = file(&["id", "x", "y"], &[&[Some("2"), Some("1.5"), Some("t")]]);
        let schema = infer_schema(
            &[a, b],
            true,
            &[
                ("id".into(), SparkType::Long),
                ("z".into(), SparkType::Date),
            ],
        );
        let expected: Columns = vec![
            ("id".into(), SparkType::Long),
            ("x".into(), SparkType::Double),
            ("y".into(), SparkType::String),
            ("z".into(), SparkType::Date),
        ];
        assert_eq!(schema, expected);
    }

    #[test]
    fn test_without_inference_text_columns_are_strings() {
        let a = file(&["id"], &[&[Some("1")]]);
        assert_eq!(
            infer_schema(&[a], false, &[]),
            vec![("id".to_string(), SparkType::String)]
        );
    }

    #[test]
    fn test_new_columns_ignore_case() {
        let schema: Columns = vec![("Device_ID".into(), SparkType::Int)];
        let f = file(&["device_id", "extra"], &[&[Some("1"), Some("2")]]);
        assert_eq!(new_columns(&schema, &f), ["extra"]);
    }
}
