//! Parquet ⇄ Arrow IPC file, the two conversions the codec worker offers.

use std::io::Cursor;

use arrow::ipc::reader::FileReader;
use arrow::ipc::writer::FileWriter;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use protocol::Problem;

/// The rows of Parquet file `name` as one Arrow IPC file.
pub fn decode(name: &str, parquet: Vec<u8>) -> Result<Vec<u8>, Problem> {
    let not_parquet =
        |e: &dyn std::fmt::Display| Problem::error(format!("{name} is not a Parquet file: {e}"));
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(parquet))
        .and_then(ParquetRecordBatchReaderBuilder::build)
        .map_err(|e| not_parquet(&e))?;
    let schema = arrow::array::RecordBatchReader::schema(&reader);
    let mut out = Vec::new();
    let cannot_copy =
        |e: arrow::error::ArrowError| Problem::error(format!("{name} could not be copied: {e}"));
    let mut writer = FileWriter::try_new(&mut out, &schema).map_err(cannot_copy)?;
    for batch in reader {
        writer
            .write(&batch.map_err(|e| not_parquet(&e))?)
            .map_err(cannot_copy)?;
    }
    writer.finish().map_err(cannot_copy)?;
    drop(writer);
    Ok(out)
}

/// The Arrow IPC file `name` (a download the engine made) as Parquet.
pub fn encode(name: &str, ipc: Vec<u8>) -> Result<Vec<u8>, Problem> {
    let fail = |e: &dyn std::fmt::Display| {
        Problem::error(format!("{name} could not be written as Parquet: {e}"))
    };
    let reader = FileReader::try_new(Cursor::new(ipc), None).map_err(|e| fail(&e))?;
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, reader.schema(), None).map_err(|e| fail(&e))?;
    for batch in reader {
        writer
            .write(&batch.map_err(|e| fail(&e))?)
            .map_err(|e| fail(&e))?;
    }
    writer.close().map_err(|e| fail(&e))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use arrow::array::{Float64Array, RecordBatch, StringArray, TimestampMicrosecondArray};
    use arrow::datatypes::{DataType, Field, Schema, TimeUnit};

    fn batch() -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![
            Field::new("device", DataType::Utf8, true),
            Field::new(
                "ts",
                DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
                true,
            ),
            Field::new("temp", DataType::Float64, true),
        ]));
        RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(vec![Some("d1"), None])),
                Arc::new(
                    TimestampMicrosecondArray::from(vec![1_700_000_000_000_000, 0])
                        .with_timezone("UTC"),
                ),
                Arc::new(Float64Array::from(vec![Some(21.5), None])),
            ],
        )
        .unwrap()
    }

    fn ipc_of(batch: &RecordBatch) -> Vec<u8> {
        let mut out = Vec::new();
        let mut writer = FileWriter::try_new(&mut out, &batch.schema()).unwrap();
        writer.write(batch).unwrap();
        writer.finish().unwrap();
        drop(writer);
        out
    }

    fn batches_of(ipc: Vec<u8>) -> Vec<RecordBatch> {
        FileReader::try_new(Cursor::new(ipc), None)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn test_encode_then_decode_gives_the_same_rows_and_types() {
        let parquet = encode("t.arrow", ipc_of(&batch())).unwrap();
        assert_eq!(&parquet[..4], b"PAR1");
        assert_eq!(&parquet[parquet.len() - 4..], b"PAR1");
        let ipc = decode("t.parquet", parquet).unwrap();
        assert_eq!(batches_of(ipc), vec![batch()]);
    }

    /// The Parquet file the Playwright flow uploads.
    const FIXTURE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/e2e/fixtures/readings.parquet"
    );

    /// Its rows: three readings, a NULL in each of the last two columns.
    fn readings() -> RecordBatch {
        use arrow::array::Int64Array;
        let schema = Arc::new(Schema::new(vec![
            Field::new("device_id", DataType::Int64, true),
            Field::new("site", DataType::Utf8, true),
            Field::new("temperature", DataType::Float64, true),
        ]));
        RecordBatch::try_new(
            schema,
            vec![
                Arc::new(Int64Array::from(vec![1, 2, 3])),
                Arc::new(StringArray::from(vec![Some("a"), None, Some("c")])),
                Arc::new(Float64Array::from(vec![Some(21.5), Some(22.0), None])),
            ],
        )
        .unwrap()
    }

    #[test]
    fn test_the_e2e_fixture_decodes_to_its_three_readings() {
        let bytes =
            std::fs::read(FIXTURE).expect("the fixture: run the ignored test that writes it");
        assert_eq!(&bytes[..4], b"PAR1");
        let ipc = decode("readings.parquet", bytes).unwrap();
        assert_eq!(batches_of(ipc), vec![readings()]);
    }

    /// Writes the fixture again:
    /// `cargo test -p iot-workbook-worker --bin parquet_codec -- --ignored`.
    #[test]
    #[ignore = "writes tests/e2e/fixtures/readings.parquet"]
    fn write_the_e2e_fixture() {
        let parquet = encode("readings.arrow", ipc_of(&readings())).unwrap();
        std::fs::write(FIXTURE, parquet).unwrap();
    }

    #[test]
    fn test_what_is_not_parquet_or_arrow_is_a_sentence_with_the_name() {
        let problem = decode("notes.parquet", b"device,temp\nd1,20\n".to_vec()).unwrap_err();
        assert!(
            problem
                .message
                .starts_with("notes.parquet is not a Parquet file: "),
            "{problem:?}"
        );
        let problem = encode("t.arrow", b"PAR1".to_vec()).unwrap_err();
        assert!(
            problem
                .message
                .starts_with("t.arrow could not be written as Parquet")
        );
    }
}
