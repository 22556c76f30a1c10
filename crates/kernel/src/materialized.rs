//! A row source's rows as one Arrow batch with Spark types: what every source (a table, a
//! query, failed rows, the event log, a volume file's preview) turns into, so the sources
//! and the file previews share it without using each other.

use arrow::array::RecordBatch;
use protocol::Problem;
use query::{SparkType, Table};

/// A source's rows, ready to page through.
pub(crate) struct Materialized {
    /// A name for downloads (`sensor_bronze`, `query`).
    pub name: String,
    /// Columns and their Spark types.
    pub schema: Vec<(String, SparkType)>,
    /// Every row.
    pub batch: RecordBatch,
    /// Milliseconds it took (queries).
    pub elapsed_ms: f64,
}

pub(crate) fn materialized(
    name: &str,
    table: &Table,
    elapsed_ms: f64,
) -> Result<Materialized, Problem> {
    let batch = arrow::compute::concat_batches(table.arrow_schema(), table.batches())
        .map_err(|e| Problem::error(format!("cannot read `{name}`: {e}")))?;
    Ok(Materialized {
        name: name.to_string(),
        schema: table.schema().clone(),
        batch,
        elapsed_ms,
    })
}

pub(crate) fn from_batch(name: &str, batch: RecordBatch) -> Result<Materialized, Problem> {
    let table = Table::from_batches(batch.schema(), vec![batch])
        .map_err(|e| Problem::error(format!("cannot show `{name}`: {e}")))?;
    materialized(name, &table, 0.0)
}
