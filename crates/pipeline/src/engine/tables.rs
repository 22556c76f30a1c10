//! Table plumbing: slicing new rows, appending with schema evolution, multiset differences.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch, new_null_array};
use arrow::compute::{filter_record_batch, take_record_batch};
use arrow::row::{RowConverter, SortField};
use query::{QueryError, SparkType, Table};

use crate::state::Columns;

/// The rows of `table` from row `from` on.
pub fn rows_from(table: &Table, from: usize) -> Table {
    let mut skip = from;
    let mut out = Vec::new();
    for b in table.batches() {
        if skip >= b.num_rows() {
            skip -= b.num_rows();
            continue;
        }
        out.push(b.slice(skip, b.num_rows() - skip));
        skip = 0;
    }
    Table::new(table.schema().clone(), out).expect("slices keep the schema")
}

/// Why rows cannot be appended.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaChange(pub String);

/// `old` with `new_batches` (of `new_schema`) appended. New columns are added (NULL for old
/// rows); a dropped column is NULL in new rows; a changed type is an error.
pub fn append(
    old: &Table,
    new_schema: &Columns,
    new_batches: Vec<RecordBatch>,
) -> Result<Table, SchemaChange> {
    let old_schema = old.schema();
    let mut merged: Columns = old_schema.clone();
    for (name, t) in new_schema {
        match merged.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some((_, existing)) if existing != t => {
                return Err(SchemaChange(format!(
                    "column `{name}` changes type from {existing} to {t}"
                )));
            }
            Some(_) => {}
            None => merged.push((name.clone(), t.clone())),
        }
    }
    let reshape = |batch: &RecordBatch, from: &Columns| -> RecordBatch {
        let columns: Vec<ArrayRef> = merged
            .iter()
            .map(
                |(name, t)| match from.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) {
                    Some(i) => batch.column(i).clone(),
                    None => new_null_array(&t.to_arrow(), batch.num_rows()),
                },
            )
            .collect();
        let schema = crate::autoloader::arrow_schema(&merged);
        let options =
            arrow::array::RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
        RecordBatch::try_new_with_options(schema, columns, &options)
            .expect("columns follow the merged schema")
    };
    let same = &merged == old_schema;
    let mut batches: Vec<RecordBatch> = if same {
        old.batches().to_vec()
    } else {
        old.batches()
            .iter()
            .map(|b| reshape(b, old_schema))
            .collect()
    };
    batches.extend(new_batches.iter().map(|b| reshape(b, new_schema)));
    Table::new(merged, batches).map_err(|e| SchemaChange(e.to_string()))
}

/// Encode rows of `columns` for hashing and comparison.
fn row_keys(converter: &RowConverter, columns: &[ArrayRef]) -> Result<Vec<Vec<u8>>, QueryError> {
    let rows = converter.convert_columns(columns)?;
    Ok(rows.iter().map(|r| r.as_ref().to_vec()).collect())
}

fn converter(types: &[SparkType]) -> Result<RowConverter, QueryError> {
    Ok(RowConverter::new(
        types.iter().map(|t| SortField::new(t.to_arrow())).collect(),
    )?)
}

/// One batch of all of `table`'s rows.
pub fn concat(table: &Table) -> Result<RecordBatch, QueryError> {
    Ok(arrow::compute::concat_batches(
        table.arrow_schema(),
        table.batches(),
    )?)
}

/// Rows in `after` but not `before`, and rows in `before` but not `after`, as multisets.
pub fn diff(before: &Table, after: &Table) -> Result<(Table, Table), QueryError> {
    let types: Vec<SparkType> = after.schema().iter().map(|(_, t)| t.clone()).collect();
    let conv = converter(&types)?;
    let (b, a) = (concat(before)?, concat(after)?);
    if before.schema() != after.schema() {
        return Ok((after.clone(), before.clone()));
    }
    let (kb, ka) = (row_keys(&conv, b.columns())?, row_keys(&conv, a.columns())?);
    let mut counts: HashMap<&[u8], isize> = HashMap::new();
    for k in &kb {
        *counts.entry(k).or_default() += 1;
    }
    let mut added = Vec::new();
    for (i, k) in ka.iter().enumerate() {
        match counts.get_mut(k.as_slice()) {
            Some(c) if *c > 0 => *c -= 1,
            _ => added.push(i as u32),
        }
    }
    let mut removed = Vec::new();
    for (i, k) in kb.iter().enumerate() {
        if let Some(c) = counts.get_mut(k.as_slice())
            && *c > 0
        {
            *c -= 1;
            removed.push(i as u32);
        }
    }
    let pick = |batch: &RecordBatch, idx: Vec<u32>| -> Result<Vec<RecordBatch>, QueryError> {
        Ok(vec![take_record_batch(
            batch,
            &arrow::array::UInt32Array::from(idx),
        )?])
    };
    Ok((
        Table::new(after.schema().clone(), pick(&a, added)?)?,
        Table::new(before.schema().clone(), pick(&b, removed)?)?,
    ))
}

/// A set of key tuples.
pub struct KeySet {
    converter: RowConverter,
    keys: std::collections::HashSet<Vec<u8>>,
}

impl KeySet {
    /// The distinct key tuples of `columns` (of `types`).
    pub fn new(types: &[SparkType], columns: &[Vec<ArrayRef>]) -> Result<KeySet, QueryError> {
        let converter = converter(types)?;
        let mut keys = std::collections::HashSet::new();
        for batch_columns in columns {
            keys.extend(row_keys(&converter, batch_columns)?);
        }
        Ok(KeySet { converter, keys })
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Keep the rows of `batch` whose key (columns `key_columns`) is in the set (`inside`) or not.
    pub fn filter(
        &self,
        batch: &RecordBatch,
        key_columns: &[usize],
        inside: bool,
    ) -> Result<RecordBatch, QueryError> {
        let cols: Vec<ArrayRef> = key_columns
            .iter()
            .map(|&i| batch.column(i).clone())
            .collect();
        // One encoding for the whole batch: no allocation per row.
        let rows = self.converter.convert_columns(&cols)?;
        let mask: arrow::array::BooleanArray = rows
            .iter()
            .map(|row| Some(self.keys.contains(row.as_ref()) == inside))
            .collect();
        Ok(filter_record_batch(batch, &mask)?)
    }
}

/// A table from batches that may carry a different (but matching) Arrow schema.
pub fn table_of(schema: Columns, batches: Vec<RecordBatch>) -> Result<Table, QueryError> {
    let arrow = crate::autoloader::arrow_schema(&schema);
    let batches = batches
        .into_iter()
        .map(|b| {
            crate::tempo_node::conform(b, &schema).map(|b| {
                RecordBatch::try_new(arrow.clone(), b.columns().to_vec()).expect("conformed")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Table::new(schema, batches)
}

/// Shared empty table of `schema`.
pub fn empty(schema: Columns) -> Arc<Table> {
    Arc::new(Table::new(schema, Vec::new()).expect("an empty table fits any schema"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray, Int32Array, StringArray};

    fn table(ids: &[i32]) -> Table {
        let schema: Columns = vec![("id".into(), SparkType::Int)];
        let batch = RecordBatch::try_new(
            crate::autoloader::arrow_schema(&schema),
            vec![Arc::new(Int32Array::from(ids.to_vec())) as ArrayRef],
        )
        .unwrap();
        Table::new(schema, vec![batch]).unwrap()
    }

    #[test]
    fn test_rows_from_skips_across_batches() {
        let t = Table::new(
            table(&[1]).schema().clone(),
            [table(&[1, 2]), table(&[3, 4])]
                .iter()
                .flat_map(|t| t.batches().to_vec())
                .collect(),
        )
        .unwrap();
        assert_eq!(rows_from(&t, 3).num_rows(), 1);
        assert_eq!(rows_from(&t, 9).num_rows(), 0);
    }

    #[test]
    fn test_append_adds_new_column_with_nulls() {
        let old = table(&[1, 2]);
        let new_schema: Columns = vec![
            ("id".into(), SparkType::Int),
            ("extra".into(), SparkType::String),
        ];
        let batch = RecordBatch::try_new(
            crate::autoloader::arrow_schema(&new_schema),
            vec![
                Arc::new(Int32Array::from(vec![3])) as ArrayRef,
                Arc::new(StringArray::from(vec!["x"])) as ArrayRef,
            ],
        )
        .unwrap();
        let merged = append(&old, &new_schema, vec![batch]).unwrap();
        assert_eq!(merged.schema().len(), 2);
        assert_eq!(merged.batches()[0].column(1).null_count(), 2);
        assert_eq!(
            merged.batches()[1].column(1).as_string::<i32>().value(0),
            "x"
        );
    }

    #[test]
    fn test_append_refuses_type_change() {
        let new_schema: Columns = vec![("id".into(), SparkType::String)];
        assert!(append(&table(&[1]), &new_schema, vec![]).is_err());
    }

    #[test]
    fn test_diff_is_a_multiset_difference() {
        let (added, removed) = diff(&table(&[1, 1, 2, 3]), &table(&[1, 2, 2, 4])).unwrap();
        let ids = |t: &Table| -> Vec<i32> {
            t.batches()
                .iter()
                .flat_map(|b| {
                    b.column(0)
                        .as_primitive::<arrow::datatypes::Int32Type>()
                        .values()
                        .to_vec()
                })
                .collect()
        };
        assert_eq!(ids(&added), vec![2, 4]);
        assert_eq!(ids(&removed), vec![1, 3]);
    }
}
