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
    check_blocks(bytes)?;
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

/// arrow's reader trusts the offsets and lengths a file states and panics on ones past its
/// end (found by fuzzing damaged copies: `tests/fuzz_binary_files.rs`); a saved table or a
/// decoded copy damaged on disk must be an error instead. This checks every block the footer
/// lists and every buffer its message names against the bytes there are.
fn check_blocks(bytes: &[u8]) -> Result<(), ArrowError> {
    use arrow::ipc::{root_as_footer, root_as_message};
    let bad = |what: &str| ArrowError::ParseError(format!("damaged Arrow IPC file: {what}"));
    // Footer, its 4-byte length and the 6-byte magic end the file; shorter is the reader's
    // error to report.
    let Some(tail) = bytes.len().checked_sub(10) else {
        return Ok(());
    };
    let footer_len = i32::from_le_bytes(bytes[tail..tail + 4].try_into().expect("4 bytes"));
    let footer_start = usize::try_from(footer_len)
        .ok()
        .and_then(|n| tail.checked_sub(n))
        .ok_or_else(|| bad("footer length"))?;
    let footer = root_as_footer(&bytes[footer_start..tail]).map_err(|e| bad(&e.to_string()))?;
    let blocks = footer
        .recordBatches()
        .into_iter()
        .chain(footer.dictionaries());
    for block in blocks.flatten() {
        let size = |n: i64| usize::try_from(n).map_err(|_| bad("negative block size"));
        let (start, meta, body) = (
            size(block.offset())?,
            size(i64::from(block.metaDataLength()))?,
            size(block.bodyLength())?,
        );
        let body_start = start.checked_add(meta).ok_or_else(|| bad("block"))?;
        let end = body_start.checked_add(body).ok_or_else(|| bad("block"))?;
        if end > bytes.len() {
            return Err(bad("a block past the end of the file"));
        }
        let mut message = &bytes[start..body_start];
        if message.starts_with(&[0xff; 4]) {
            message = &message[4..];
        }
        let Some(len) = message.get(..4) else {
            return Err(bad("a block without its message"));
        };
        let len = size(i64::from(i32::from_le_bytes(
            len.try_into().expect("4 bytes"),
        )))?;
        let message = message
            .get(4..4usize.saturating_add(len))
            .ok_or_else(|| bad("a message past its block"))?;
        let message = root_as_message(message).map_err(|e| bad(&e.to_string()))?;
        let batch = message
            .header_as_record_batch()
            .or_else(|| message.header_as_dictionary_batch().and_then(|d| d.data()));
        for buffer in batch.and_then(|b| b.buffers()).into_iter().flatten() {
            let (offset, length) = (size(buffer.offset())?, size(buffer.length())?);
            if offset.checked_add(length).is_none_or(|e| e > body) {
                return Err(bad("a buffer past the end of its block"));
            }
        }
    }
    Ok(())
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
