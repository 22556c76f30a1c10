//! A table's rows as file bytes: Arrow IPC since state format 2; Parquet for format 1 folders
//! (read, and written for the CLI's `--out`, only with the `parquet` feature).

use query::Table;

use super::err;
use crate::error::PipelineError;
use crate::state::Columns;

/// A table as Arrow IPC file bytes (how state format 2 stores rows).
pub fn table_to_ipc(table: &Table) -> Result<Vec<u8>, PipelineError> {
    crate::ipc::write(table.arrow_schema(), table.batches()).map_err(|e| err("arrow ipc", e))
}

/// A table of `schema` from Arrow IPC file bytes.
pub(super) fn table_from_ipc(bytes: &[u8], schema: Columns) -> Result<Table, PipelineError> {
    let (_, batches) = crate::ipc::read(bytes).map_err(|e| err("arrow ipc", e))?;
    crate::engine::tables::table_of(schema, batches).map_err(|e| err("arrow ipc", e))
}

/// A table as Parquet bytes.
#[cfg(feature = "parquet")]
pub fn table_to_parquet(table: &Table) -> Result<Vec<u8>, PipelineError> {
    let mut out = Vec::new();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(&mut out, table.arrow_schema().clone(), None)
            .map_err(|e| err("parquet", e))?;
    for batch in table.batches() {
        writer.write(batch).map_err(|e| err("parquet", e))?;
    }
    writer.close().map_err(|e| err("parquet", e))?;
    Ok(out)
}

/// A table of `schema` from the Parquet bytes a format 1 state folder holds.
#[cfg(feature = "parquet")]
pub(super) fn table_from_parquet(bytes: Vec<u8>, schema: Columns) -> Result<Table, PipelineError> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))
        .and_then(ParquetRecordBatchReaderBuilder::build)
        .map_err(|e| err("parquet", e))?;
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| err("parquet", e))?;
    crate::engine::tables::table_of(schema, batches).map_err(|e| err("parquet", e))
}

/// Without the codec a format 1 folder cannot be read: say what to do instead.
#[cfg(not(feature = "parquet"))]
pub(super) fn table_from_parquet(_: Vec<u8>, _: Columns) -> Result<Table, PipelineError> {
    Err(err(
        super::STATE_FILE,
        "this state folder is format 1 (tables as Parquet), which this build (without the `parquet` feature) cannot read; start from an empty --state folder",
    ))
}
