//! An in-memory table: the data every layer reads (plans scan it, the catalog names it,
//! sessions return it). A leaf below the plan, so plans need not know the catalog.

use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::datatypes::{Field, Schema, SchemaRef};

use crate::error::{ErrorClass, QueryError, Result};
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
                    ErrorClass::InvalidTableData,
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
                        ErrorClass::InvalidTableData,
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
                            ErrorClass::UnsupportedDatatype,
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

#[cfg(test)]
mod tests {
    use super::*;

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
