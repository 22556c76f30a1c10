//! Binary landing files are untrusted input too: a Parquet file of the course's shape and the
//! Arrow IPC copy the page's codec decodes it into, with bytes flipped, inserted, deleted or
//! cut, must be read or refused as unreadable (naming the file), never panic or hang.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use pipeline::autoloader::LoadError;
use pipeline::autoloader::parquet_file::read_parquet;
use proptest::prelude::*;

fn batch() -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new("device_id", DataType::Int32, false),
        Field::new("factory_id", DataType::Utf8, true),
        Field::new("airflow_rate", DataType::Float64, true),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from_iter_values(0..40)),
        Arc::new(StringArray::from_iter(
            (0..40).map(|i| (i % 3 != 0).then(|| format!("A{i}"))),
        )),
        Arc::new(Float64Array::from_iter(
            (0..40).map(|i| (i % 5 != 0).then_some(i as f64 * 1.5)),
        )),
    ];
    RecordBatch::try_new(schema, columns).expect("a batch")
}

/// Byte edits at fractions of the file (so they land in headers, footers and data alike).
fn damaged(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let edit = (0u8..4, any::<u16>(), any::<u8>(), 1usize..16);
    prop::collection::vec(edit, 1..6).prop_map(move |edits| {
        let mut bytes = seed.clone();
        for (kind, at, byte, n) in edits {
            let i = (bytes.len() as u64 * u64::from(at) / 65536) as usize;
            match kind {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes
                    .splice(i..i, std::iter::repeat_n(byte, n))
                    .for_each(drop),
                2 => bytes.drain(i..(i + n).min(bytes.len())).for_each(drop),
                _ => bytes.truncate(i),
            }
        }
        bytes
    })
}

fn check(result: Result<pipeline::autoloader::RawFile, LoadError>) -> Result<(), String> {
    match result {
        Ok(_) => Ok(()),
        Err(LoadError::Unreadable { file, .. }) if file == "/v/a.parquet" => Ok(()),
        Err(e) => Err(format!("unexpected error: {e}")),
    }
}

#[test]
fn damaged_arrow_ipc_copies_are_refused() {
    let b = batch();
    let seed = pipeline::ipc::write(&b.schema(), &[b]).expect("ipc");
    fuzzkit::fuzz("ipc copy", 150, damaged(seed), |copy| {
        check(read_parquet("/v/a.parquet", b"", Some(&copy)))
    });
}

#[cfg(feature = "parquet")]
#[test]
fn damaged_parquet_files_are_refused() {
    let b = batch();
    let mut seed = Vec::new();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(&mut seed, b.schema(), None).expect("writer");
    writer.write(&b).expect("write");
    writer.close().expect("close");
    fuzzkit::fuzz("parquet", 150, damaged(seed), |bytes| {
        check(read_parquet("/v/a.parquet", &bytes, None))
    });
}
