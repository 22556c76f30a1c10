//! Parquet files as typed raw columns.

use arrow::array::RecordBatchReader;
use bytes::Bytes;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use query::SparkType;

use super::RawFile;

/// Read a Parquet file's columns (types from the file; columns of types Spark lacks are
/// refused with their name).
pub fn read_parquet(path: &str, bytes: &[u8]) -> Result<RawFile, String> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(Bytes::copy_from_slice(bytes))
        .and_then(ParquetRecordBatchReaderBuilder::build)
        .map_err(|e| format!("invalid Parquet file: {e}"))?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("invalid Parquet data: {e}"))?;
    let batch = arrow::compute::concat_batches(&schema, &batches).map_err(|e| e.to_string())?;
    let mut names = Vec::new();
    let mut columns = Vec::new();
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        let spark = SparkType::from_arrow(field.data_type()).ok_or_else(|| {
            format!(
                "column `{}` has Parquet type {} that Spark cannot read",
                field.name(),
                field.data_type()
            )
        })?;
        let column = if column.data_type() == &spark.to_arrow() {
            column.clone()
        } else {
            arrow::compute::cast(column, &spark.to_arrow()).map_err(|e| e.to_string())?
        };
        names.push(field.name().clone());
        columns.push((column, spark));
    }
    Ok(RawFile {
        path: path.to_string(),
        names,
        columns,
        extra_fields: Vec::new(),
        num_rows: batch.num_rows(),
    })
}
