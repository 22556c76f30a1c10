//! Named tables and views that queries read, looked up case-insensitively.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::datatypes::{Field, Schema, SchemaRef};

use crate::dataframe::DataFrame;
use crate::error::{QueryError, Result};
use crate::types::SparkType;

/// A table's columns: name and Spark type, in order.
pub type TableSchema = Vec<(String, SparkType)>;

/// An in-memory table: a Spark schema and the record batches that hold its rows.
///
/// The Spark schema is kept next to the batches because Arrow cannot tell every Spark type
/// apart (`interval day` and `interval day to second` share one Arrow type).
#[derive(Debug, Clone)]
pub struct Table {
    schema: TableSchema,
    arrow_schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl Table {
    /// A table from its Spark schema and batches. Every batch must have one column per schema
    /// entry, stored as the Spark type's Arrow type ([`SparkType::to_arrow`]).
    ///
    /// # Examples
    /// ```
    /// use std::sync::Arc;
    /// use arrow::array::{Int32Array, RecordBatch};
    /// use arrow::datatypes::{DataType, Field, Schema};
    /// use query::{SparkType, Table};
    ///
    /// let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int32, true)]));
    /// let batch = RecordBatch::try_new(schema, vec![Arc::new(Int32Array::from(vec![1, 2]))]).unwrap();
    /// let table = Table::new(vec![("x".into(), SparkType::Int)], vec![batch]).unwrap();
    /// assert_eq!(table.num_rows(), 2);
    /// ```
    pub fn new(schema: TableSchema, batches: Vec<RecordBatch>) -> Result<Table> {
        let arrow_schema = arrow_schema_of(&schema);
        let mut normalized = Vec::with_capacity(batches.len());
        for (b, batch) in batches.into_iter().enumerate() {
            if batch.num_columns() != schema.len() {
                return Err(QueryError::analysis(
                    "INVALID_TABLE_DATA",
                    format!(
                        "batch {b} has {} columns but the table schema has {}",
                        batch.num_columns(),
                        schema.len()
                    ),
                ));
            }
            for ((name, spark), column) in schema.iter().zip(batch.columns()) {
                if column.data_type() != &spark.to_arrow() {
                    return Err(QueryError::analysis(
                        "INVALID_TABLE_DATA",
                        format!(
                            "column `{name}` is declared {spark} (Arrow {}) but batch {b} holds {}",
                            spark.to_arrow(),
                            column.data_type()
                        ),
                    ));
                }
            }
            normalized.push(RecordBatch::try_new(
                arrow_schema.clone(),
                batch.columns().to_vec(),
            )?);
        }
        Ok(Table {
            schema,
            arrow_schema,
            batches: normalized,
        })
    }

    /// A table from Arrow batches alone, reading each Arrow type as its natural Spark type.
    pub fn from_batches(arrow_schema: SchemaRef, batches: Vec<RecordBatch>) -> Result<Table> {
        let schema = arrow_schema
            .fields()
            .iter()
            .map(|f| {
                SparkType::from_arrow(f.data_type())
                    .map(|t| (f.name().clone(), t))
                    .ok_or_else(|| {
                        QueryError::analysis(
                            "UNSUPPORTED_DATATYPE",
                            format!(
                                "column `{}` has Arrow type {} with no Spark type",
                                f.name(),
                                f.data_type()
                            ),
                        )
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        Table::new(schema, batches)
    }

    /// The columns' names and Spark types.
    pub fn schema(&self) -> &TableSchema {
        &self.schema
    }

    /// The Arrow schema of the batches (every field nullable).
    pub fn arrow_schema(&self) -> &SchemaRef {
        &self.arrow_schema
    }

    /// The batches holding the rows.
    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// Total number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// The Arrow schema storing a Spark schema. Fields are all nullable: Spark's nullability is a
/// planning hint, and Arrow would reject a NULL in a non-nullable field.
pub(crate) fn arrow_schema_of(schema: &[(String, SparkType)]) -> SchemaRef {
    Arc::new(Schema::new(
        schema
            .iter()
            .map(|(n, t)| Field::new(n, t.to_arrow(), true))
            .collect::<Vec<_>>(),
    ))
}

#[derive(Debug, Clone)]
enum Entry {
    Table(Arc<Table>),
    View(DataFrame),
}

/// Named tables and views. Names are case-insensitive and may be qualified
/// (`catalog.schema.table`); a reference matches a registered name when one is a suffix of
/// the other on whole parts, so `sensor_bronze` finds `main.iot.sensor_bronze` and vice versa,
/// as long as only one entry matches.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    entries: BTreeMap<String, Entry>,
}

/// What a table reference resolved to.
#[derive(Debug, Clone)]
pub(crate) enum Resolved {
    Table(String, Arc<Table>),
    View(DataFrame),
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// Register (or replace) a table under `name`.
    ///
    /// # Examples
    /// ```
    /// use query::{Catalog, Session, SparkType, Table};
    ///
    /// let mut catalog = Catalog::new();
    /// catalog.register_table("main.iot.readings", Table::new(vec![("x".into(), SparkType::Int)], vec![]).unwrap());
    /// let session = Session::new(catalog);
    /// let result = session.sql("SELECT count(*) AS n FROM readings").unwrap();
    /// assert_eq!(result.num_rows(), 1);
    /// ```
    pub fn register_table(&mut self, name: &str, table: Table) {
        self.entries
            .insert(normalize(name), Entry::Table(Arc::new(table)));
    }

    /// Register (or replace) a view: a named query whose plan is inlined where it is read.
    pub fn register_view(&mut self, name: &str, view: DataFrame) {
        self.entries.insert(normalize(name), Entry::View(view));
    }

    /// Remove a table or view; returns whether it existed.
    pub fn deregister(&mut self, name: &str) -> bool {
        self.entries.remove(&normalize(name)).is_some()
    }

    /// The table registered under exactly `name` (case-insensitive), if any.
    pub fn table(&self, name: &str) -> Option<Arc<Table>> {
        match self.entries.get(&normalize(name)) {
            Some(Entry::Table(t)) => Some(t.clone()),
            _ => None,
        }
    }

    /// Every registered name (lower case), sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Resolve a possibly qualified reference; `Ok(None)` when nothing matches, an error when
    /// several entries match equally well.
    pub(crate) fn resolve(&self, parts: &[String]) -> Result<Option<Resolved>> {
        let wanted: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
        let key = wanted.join(".");
        if let Some(entry) = self.entries.get(&key) {
            return Ok(Some(resolved(&key, entry)));
        }
        let matches: Vec<(&String, &Entry)> = self
            .entries
            .iter()
            .filter(|(name, _)| {
                let have: Vec<&str> = name.split('.').collect();
                is_part_suffix(&have, &wanted) || is_part_suffix(&wanted, &have)
            })
            .collect();
        match matches.as_slice() {
            [] => Ok(None),
            [(name, entry)] => Ok(Some(resolved(name, entry))),
            many => Err(QueryError::analysis(
                "AMBIGUOUS_REFERENCE",
                format!(
                    "the table reference `{key}` is ambiguous, it could be: {}",
                    many.iter()
                        .map(|(n, _)| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
}

fn resolved(name: &str, entry: &Entry) -> Resolved {
    match entry {
        Entry::Table(t) => Resolved::Table(name.to_string(), t.clone()),
        Entry::View(v) => Resolved::View(v.clone()),
    }
}

fn normalize(name: &str) -> String {
    name.split('.')
        .map(|p| p.trim().trim_matches('`').to_lowercase())
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether `short` equals the last parts of `long` (and is shorter).
fn is_part_suffix<A: AsRef<str>, B: AsRef<str>>(long: &[A], short: &[B]) -> bool {
    short.len() < long.len()
        && long[long.len() - short.len()..]
            .iter()
            .zip(short)
            .all(|(a, b)| a.as_ref() == b.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Table {
        Table::new(vec![("x".into(), SparkType::Int)], vec![]).unwrap()
    }

    #[test]
    fn test_resolve_bare_and_qualified_names() {
        let mut c = Catalog::new();
        c.register_table("Main.IoT.Sensor", empty());
        let hit = |parts: &[&str]| {
            c.resolve(&parts.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .unwrap()
                .is_some()
        };
        assert!(hit(&["sensor"]));
        assert!(hit(&["iot", "SENSOR"]));
        assert!(hit(&["main", "iot", "sensor"]));
        assert!(!hit(&["other", "sensor"]));
        assert!(!hit(&["sens"]));
    }

    #[test]
    fn test_resolve_ambiguous_suffix() {
        let mut c = Catalog::new();
        c.register_table("a.t", empty());
        c.register_table("b.t", empty());
        assert!(c.resolve(&["t".to_string()]).is_err());
        assert!(
            c.resolve(&["a".to_string(), "t".to_string()])
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn test_table_rejects_mismatched_batches() {
        use arrow::array::StringArray;
        let schema = Arc::new(Schema::new(vec![Field::new(
            "x",
            arrow::datatypes::DataType::Utf8,
            true,
        )]));
        let batch =
            RecordBatch::try_new(schema, vec![Arc::new(StringArray::from(vec!["a"]))]).unwrap();
        let err = Table::new(vec![("x".into(), SparkType::Int)], vec![batch]).unwrap_err();
        assert_eq!(err.class(), "INVALID_TABLE_DATA");
    }
}
