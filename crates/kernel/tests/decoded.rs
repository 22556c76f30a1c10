//! Parquet uploads as the page sends them (the file's bytes, then its decoded Arrow IPC copy),
//! and the workspace's Arrow IPC files: tables, failed rows, decoded copies, restored; an
//! older storage format starts empty.

mod common;

use std::sync::Arc;

use arrow::array::{Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use common::*;
use kernel::{Kernel, StoreOp};
use protocol::{Reply, Request, RowSource};

/// Bytes no Parquet reader accepts: rows can only come from the decoded copy.
const ORIGINAL: &[u8] = b"PAR1 stand-in for the uploaded bytes PAR1";

fn folder() -> String {
    format!("/Volumes/{CATALOG}/{SCHEMA}/uploads")
}

fn path() -> String {
    format!("{}/readings.parquet", folder())
}

/// The Arrow IPC copy the page's codec would make of a three-row Parquet file.
fn decoded_copy() -> Vec<u8> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("device_id", DataType::Int64, true),
        Field::new("site", DataType::Utf8, true),
        Field::new("temp", DataType::Float64, true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(Int64Array::from(vec![1, 2, 3])),
            Arc::new(StringArray::from(vec![Some("a"), None, Some("c")])),
            Arc::new(Float64Array::from(vec![Some(20.5), Some(21.0), None])),
        ],
    )
    .unwrap();
    pipeline::ipc::write(&schema, &[batch]).unwrap()
}

fn upload_parquet(bench: &mut Workbench) -> kernel::Outgoing {
    let copy = decoded_copy();
    let mut bytes = ORIGINAL.to_vec();
    bytes.extend_from_slice(&copy);
    bench.send_bytes(
        Request::Upload {
            folder: folder(),
            name: "readings.parquet".into(),
            decoded: Some(copy.len() as u64),
        },
        Some(bytes),
    )
}

fn preview(bench: &mut Workbench) -> Result<protocol::RowPage, protocol::Problem> {
    bench.try_rows(RowSource::File { path: path() }, 0, 10, None)
}

fn put_paths(ops: &[StoreOp]) -> Vec<&str> {
    ops.iter()
        .filter_map(|op| match op {
            StoreOp::Put { path, .. } => Some(path.as_str()),
            StoreOp::Delete { .. } => None,
        })
        .collect()
}

#[test]
fn test_a_parquet_upload_keeps_its_bytes_and_shows_rows_from_its_copy_after_restore() {
    let mut bench = Workbench::new();
    let out = upload_parquet(&mut bench);
    let Reply::Volume(listing) = &out.reply else {
        panic!("{:?}", out.reply);
    };
    // The listing shows the file as uploaded: its own size, not the copy's.
    assert_eq!(listing.files[0].size, ORIGINAL.len() as u64);
    let puts = put_paths(&out.store);
    let stored = |prefix: &str, suffix: &str| {
        puts.iter()
            .find(|p| p.starts_with(prefix) && p.ends_with(suffix))
            .map(|p| p.to_string())
            .unwrap_or_else(|| panic!("no {prefix}…{suffix} in {puts:?}"))
    };
    let copy_file = stored("decoded/", &format!("{}.arrow", path()));
    let original = stored("volume/", &path());
    assert_eq!(bench.disk.0[&original], ORIGINAL);
    assert_eq!(bench.disk.0[&copy_file], decoded_copy());

    let page = preview(&mut bench).unwrap();
    let names: Vec<&str> = page.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["device_id", "site", "temp"]);
    assert_eq!(page.rows[1], [Some("2".into()), None, Some("21.0".into())]);

    let mut reopened = bench.reopen();
    assert_eq!(preview(&mut reopened).unwrap().rows, page.rows);
    // Unchanged, the copy is not written again.
    let out = reopened.send(Request::ResetTables);
    assert!(
        !put_paths(&out.store)
            .iter()
            .any(|p| p.starts_with("decoded/"))
    );

    // Deleting the file deletes its copy from storage too.
    let out = bench.send(Request::DeleteFile { path: path() });
    assert!(
        out.store
            .iter()
            .any(|op| matches!(op, StoreOp::Delete { path } if *path == copy_file))
    );
    assert!(!bench.disk.0.keys().any(|k| k.starts_with("decoded/")));
}

#[test]
fn test_a_file_restored_without_its_copy_names_itself_and_asks_for_an_upload() {
    let mut bench = Workbench::new();
    upload_parquet(&mut bench);
    bench.disk.0.retain(|k, _| !k.starts_with("decoded/"));
    let mut reopened = bench.reopen();
    // The rest of the workspace is restored.
    assert_eq!(reopened.kernel.summary().files, 1);
    let problem = preview(&mut reopened).unwrap_err();
    if cfg!(feature = "parquet") {
        // A native build decodes the bytes themselves, and these are not Parquet.
        assert!(
            problem.message.contains("not a readable Parquet file"),
            "{problem:?}"
        );
    } else {
        assert_eq!(
            problem.message,
            "`readings.parquet` was stored without its decoded copy; upload it again"
        );
    }
}

#[test]
fn test_a_copy_that_is_not_arrow_or_too_long_is_refused() {
    let mut bench = Workbench::new();
    for decoded in [ORIGINAL.len() as u64 + 1, 4] {
        let out = bench.send_bytes(
            Request::Upload {
                folder: folder(),
                name: "readings.parquet".into(),
                decoded: Some(decoded),
            },
            Some(ORIGINAL.to_vec()),
        );
        let Reply::Error(problem) = &out.reply else {
            panic!("{:?}", out.reply);
        };
        assert!(
            problem
                .message
                .contains("decoded copy of `readings.parquet`")
        );
    }
    assert_eq!(bench.kernel.summary().files, 0);
}

#[test]
fn test_tables_and_failed_rows_are_stored_as_arrow_ipc_and_restored() {
    let mut bench = Workbench::new();
    bench.generate();
    bench.update(&python_project());
    let tables: Vec<&String> = bench
        .disk
        .0
        .keys()
        .filter(|k| k.starts_with("tables/"))
        .collect();
    assert!(!tables.is_empty());
    assert!(tables.iter().all(|k| k.ends_with(".arrow")), "{tables:?}");
    let samples: Vec<&String> = bench
        .disk
        .0
        .keys()
        .filter(|k| k.starts_with("samples/"))
        .collect();
    assert!(
        !samples.is_empty(),
        "the course data fails some expectations"
    );
    for file in tables.iter().chain(&samples) {
        assert_eq!(&bench.disk.0[*file][..6], b"ARROW1", "{file}");
    }
    let before = bench.kernel.summary();
    let reopened = bench.reopen();
    let after = reopened.kernel.summary();
    assert_eq!(common::tables(&after), common::tables(&before));
    assert_eq!(after.storage.message, None);
}

#[test]
fn test_an_older_storage_format_starts_with_empty_data_and_says_so() {
    let mut bench = Workbench::new();
    bench.generate();
    bench.update(&python_project());
    let mut saved = bench.disk.0.clone();
    let manifest = String::from_utf8(saved["workspace.json"].clone()).unwrap();
    assert!(manifest.starts_with("{\"format\":2,"), "{manifest:.40}");
    saved.insert(
        "workspace.json".into(),
        manifest
            .replacen("{\"format\":2,", "{\"format\":1,", 1)
            .into_bytes(),
    );
    let (kernel, ops) = Kernel::restore(host(), saved.clone());
    let summary = kernel.summary();
    assert_eq!((summary.files, summary.tables.len()), (0, 0));
    let message = summary.storage.message.expect("a sentence");
    assert!(
        message.contains("earlier version") && message.contains("project files are kept"),
        "{message}"
    );
    // Every file of the old layout goes.
    assert_eq!(ops.len(), saved.len());
    assert!(ops.iter().all(|op| matches!(op, StoreOp::Delete { .. })));
}
