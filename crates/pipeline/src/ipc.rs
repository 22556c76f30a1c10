//! Batches as Arrow IPC *file* bytes: how the engine stores tables and failed rows, and the
//! form in which the page hands it decoded Parquet files. The IPC format is Arrow's own memory
//! layout with a small footer, so writing and reading it needs no codec (the engine worker
//! leaves the Parquet crate to a separate codec worker the page fetches when it needs one).

use std::io::Cursor;

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use arrow::error::ArrowError;
use arrow::ipc::reader::FileReader;
use arrow::ipc::writer::FileWriter;

/// The extension of files in this format.
pub const EXTENSION: &str = "arrow";

/// `batches` (all of `schema`) as one Arrow IPC file.
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Int64Array, RecordBatch};
/// use arrow::datatypes::{DataType, Field, Schema};
/// let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Int64, true)]));
/// let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int64Array::from(vec![1, 2]))]).unwrap();
/// let bytes = pipeline::ipc::write(&schema, &[batch]).unwrap();
/// let (_, back) = pipeline::ipc::read(&bytes).unwrap();
/// assert_eq!(back[0].num_rows(), 2);
/// ```
pub fn write(schema: &SchemaRef, batches: &[RecordBatch]) -> Result<Vec<u8>, ArrowError> {
    let mut out = Vec::new();
    let mut writer = FileWriter::try_new(&mut out, schema)?;
    for batch in batches {
        writer.write(batch)?;
    }
    writer.finish()?;
    drop(writer);
    Ok(out)
}

/// The schema and batches of an Arrow IPC file.
pub fn read(bytes: &[u8]) -> Result<(SchemaRef, Vec<RecordBatch>), ArrowError> {
    read_at_most(bytes, usize::MAX)
}

/// The schema and the first batches of an Arrow IPC file, stopping once they hold at least
/// `rows` rows (a preview reads no further).
pub fn read_at_most(
    bytes: &[u8],
    rows: usize,
) -> Result<(SchemaRef, Vec<RecordBatch>), ArrowError> {
    let reader = FileReader::try_new(Cursor::new(bytes), None)?;
    let schema = reader.schema();
    let mut batches = Vec::new();
    let mut seen = 0;
    for batch in reader {
        if seen >= rows {
            break;
        }
        let batch = batch?;
        seen += batch.num_rows();
        batches.push(batch);
    }
    Ok((schema, batches))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow::array::{Int64Array, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};

    #[test]
    fn test_read_at_most_stops_after_enough_rows_and_garbage_is_an_error() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, true),
            Field::new("name", DataType::Utf8, true),
        ]));
        let batch = |from: i64| {
            RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(Int64Array::from(vec![Some(from), None])),
                    Arc::new(StringArray::from(vec![Some("a"), None])),
                ],
            )
            .unwrap()
        };
        let bytes = write(&schema, &[batch(1), batch(3), batch(5)]).unwrap();
        assert_eq!(&bytes[..6], b"ARROW1");
        let (back_schema, all) = read(&bytes).unwrap();
        assert_eq!(back_schema, schema);
        assert_eq!(all, vec![batch(1), batch(3), batch(5)]);
        let (_, first) = read_at_most(&bytes, 3).unwrap();
        assert_eq!(first.len(), 2);
        assert!(read(b"PAR1 not an arrow file").is_err());
    }
}
