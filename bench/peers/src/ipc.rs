//! Arrow IPC streams for DuckDB-WASM's `insertArrowFromIPCStream`.

use std::sync::Arc;

use arrow::array::{ArrayRef, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit, TimestampMicrosecondType};
use arrow::error::ArrowError;
use arrow::ipc::writer::StreamWriter;

/// The batches as one IPC stream, without the columns named in `drop`. Timestamps lose their
/// time zone (the values stay UTC microseconds): DuckDB reads a zoned timestamp as
/// TIMESTAMPTZ, whose functions need the ICU extension, which DuckDB-WASM would download.
pub fn stream(batches: &[RecordBatch], drop: &[&str]) -> Result<Vec<u8>, ArrowError> {
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let keep: Vec<usize> = (0..first.num_columns())
        .filter(|&i| !drop.contains(&first.schema().field(i).name().as_str()))
        .collect();
    let schema = Arc::new(Schema::new(
        keep.iter()
            .map(|&i| {
                let field = first.schema().field(i).clone();
                match field.data_type() {
                    DataType::Timestamp(unit, Some(_)) => {
                        Field::new(field.name(), DataType::Timestamp(*unit, None), true)
                    }
                    _ => field,
                }
            })
            .collect::<Vec<_>>(),
    ));
    let mut writer = StreamWriter::try_new(Vec::new(), &schema)?;
    for batch in batches {
        let columns = keep
            .iter()
            .map(|&i| naive(batch.column(i)))
            .collect::<Result<Vec<_>, _>>()?;
        writer.write(&RecordBatch::try_new(schema.clone(), columns)?)?;
    }
    writer.into_inner()
}

/// A zoned microsecond timestamp column as the same values without a zone.
fn naive(column: &ArrayRef) -> Result<ArrayRef, ArrowError> {
    Ok(match column.data_type() {
        DataType::Timestamp(TimeUnit::Microsecond, Some(_)) => Arc::new(
            column
                .as_primitive::<TimestampMicrosecondType>()
                .clone()
                .with_timezone_opt(None::<Arc<str>>),
        ),
        DataType::Timestamp(_, Some(_)) => {
            return Err(ArrowError::InvalidArgumentError(
                "only microsecond timestamps are handed to DuckDB".into(),
            ));
        }
        _ => column.clone(),
    })
}
