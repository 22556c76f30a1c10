//! Auto Loader over Parquet files the way the browser's engine sees them: the file's original
//! bytes beside its decoded Arrow IPC copy, read with or without the `parquet` feature.

mod common;

use std::sync::Arc;

use arrow::array::{Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use common::{columns, load, project, rows, update};
use pipeline::PipelineError;
use pipeline::autoloader::LoadError;
use pipeline::engine::{self, UpdateOptions};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;

const FILE: &str = "/Volumes/main/s/landing/readings.parquet";

fn bronze() -> pipeline::pipeline::Pipeline {
    load(&project(&[(
        "raw.sql",
        "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('/Volumes/main/s/landing', format => 'parquet')",
    )]))
}

/// The Arrow IPC copy the page's codec worker would make of a two-row Parquet file.
fn decoded_copy() -> Vec<u8> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("device", DataType::Utf8, true),
        Field::new("id", DataType::Int64, true),
        Field::new("temp", DataType::Float64, true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(StringArray::from(vec![Some("d1"), None])),
            Arc::new(Int64Array::from(vec![7, 8])),
            Arc::new(Float64Array::from(vec![Some(21.5), None])),
        ],
    )
    .unwrap();
    pipeline::ipc::write(&schema, &[batch]).unwrap()
}

#[test]
fn test_auto_loader_reads_the_decoded_copy_not_the_parquet_bytes() {
    let mut volume = MemoryVolume::new();
    // Bytes no Parquet reader accepts: the rows can only come from the copy.
    volume.insert_with_decoded(FILE, b"PAR1 original bytes".to_vec(), decoded_copy());
    let mut state = State::new();
    let report = update(&bronze(), &mut state, &volume);
    assert_eq!(report.flows[0].files_read, 1);
    assert_eq!(
        columns(&state, "main.s.raw"),
        [
            "device:string",
            "id:bigint",
            "temp:double",
            "_rescued_data:string"
        ]
    );
    assert_eq!(
        rows(&state, "main.s.raw"),
        ["NULL|8|NULL|NULL", "d1|7|21.5|NULL"]
    );
}

#[test]
fn test_a_parquet_file_without_its_copy_is_refused_with_its_name() {
    let mut volume = MemoryVolume::new();
    volume.insert(FILE, b"PAR1 original bytes".to_vec());
    let mut state = State::new();
    let err = engine::update(&bronze(), &mut state, &volume, UpdateOptions::default()).unwrap_err();
    let PipelineError::Files { error, .. } = &err else {
        panic!("{err}")
    };
    if cfg!(feature = "parquet") {
        // With a decoder the bytes themselves are read, and these are not Parquet.
        assert!(matches!(**error, LoadError::Unreadable { .. }), "{err}");
        assert!(err.to_string().contains("invalid Parquet file"), "{err}");
    } else {
        assert!(
            matches!(**error, LoadError::MissingDecodedCopy { .. }),
            "{err}"
        );
        assert!(
            err.to_string().contains(&format!(
                "{FILE} was stored without its decoded copy; upload it again"
            )),
            "{err}"
        );
    }
    assert!(state.table("main.s.raw").is_none());
}

#[test]
fn test_a_damaged_copy_is_reported_as_unreadable() {
    let mut volume = MemoryVolume::new();
    volume.insert_with_decoded(FILE, b"PAR1".to_vec(), b"not arrow".to_vec());
    let mut state = State::new();
    let err = engine::update(&bronze(), &mut state, &volume, UpdateOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("its decoded copy is damaged"),
        "{err}"
    );
}
