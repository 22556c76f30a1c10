//! Parquet files as typed raw columns. The rows come from the file's decoded Arrow IPC copy
//! when the volume keeps one (the browser's engine has no Parquet decoder: the page decodes
//! each upload in its codec worker), else, with the `parquet` feature, from the file itself.

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use query::SparkType;

use super::{LoadError, RawFile};

/// Read a Parquet file's columns (types from the file; columns of types Spark lacks are
/// refused with their name). `decoded` is its Arrow IPC copy, if the volume keeps one.
pub fn read_parquet(
    path: &str,
    bytes: &[u8],
    decoded: Option<&[u8]>,
) -> Result<RawFile, LoadError> {
    let unreadable = |message: String| LoadError::Unreadable {
        file: path.to_string(),
        message,
    };
    let (schema, batches) = match decoded {
        Some(copy) => crate::ipc::read(copy)
            .map_err(|e| unreadable(format!("its decoded copy is damaged ({e})")))?,
        None => decode(path, bytes)?,
    };
    let batch =
        arrow::compute::concat_batches(&schema, &batches).map_err(|e| unreadable(e.to_string()))?;
    let mut names = Vec::new();
    let mut columns = Vec::new();
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        let spark = SparkType::from_arrow(field.data_type()).ok_or_else(|| {
            unreadable(format!(
                "column `{}` has Parquet type {} that Spark cannot read",
                field.name(),
                field.data_type()
            ))
        })?;
        let column = if column.data_type() == &spark.to_arrow() {
            column.clone()
        } else {
            tsdf::convert::cast(column, &spark.to_arrow()).map_err(|e| unreadable(e.to_string()))?
        };
        names.push(field.name().clone());
        columns.push((column, spark));
    }
    Ok(RawFile {
        path: path.to_string(),
        names,
        columns,
        rejected: Vec::new(),
        extra_fields: Vec::new(),
        num_rows: batch.num_rows(),
    })
}

/// The rows of the Parquet bytes themselves.
#[cfg(feature = "parquet")]
fn decode(path: &str, bytes: &[u8]) -> Result<(SchemaRef, Vec<RecordBatch>), LoadError> {
    use arrow::array::RecordBatchReader;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let unreadable = |message: String| LoadError::Unreadable {
        file: path.to_string(),
        message,
    };
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::copy_from_slice(bytes))
        .and_then(ParquetRecordBatchReaderBuilder::build)
        .map_err(|e| unreadable(format!("invalid Parquet file: {e}")))?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| unreadable(format!("invalid Parquet data: {e}")))?;
    Ok((schema, batches))
}

/// Without a decoder only the decoded copy can be read, and there is none.
#[cfg(not(feature = "parquet"))]
fn decode(path: &str, _: &[u8]) -> Result<(SchemaRef, Vec<RecordBatch>), LoadError> {
    Err(LoadError::MissingDecodedCopy {
        file: path.to_string(),
    })
}
