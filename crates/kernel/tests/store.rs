//! Saving and restoring: commits write only what changed, the manifest last; damaged or
//! foreign storage gives an empty workspace and a sentence.

mod common;

use std::collections::BTreeMap;

use common::*;
use kernel::{Kernel, StoreOp};
use protocol::{Reply, Request};

#[test]
fn test_commit_writes_the_manifest_last_and_only_changed_tables() {
    let mut bench = Workbench::new();
    let out = bench.send(Request::Generate {
        settings: settings(),
        catalog: CATALOG.into(),
        schema: SCHEMA.into(),
    });
    let puts: Vec<&str> = out
        .store
        .iter()
        .filter_map(|op| match op {
            StoreOp::Put { path, .. } => Some(path.as_str()),
            StoreOp::Delete { .. } => None,
        })
        .collect();
    assert_eq!(puts.last(), Some(&"workspace.json"));
    assert!(puts.iter().any(|p| p.starts_with("volume/")));

    let project = python_project();
    bench.update(&project);
    // Nothing new landed: the second update changes no table's rows, so no table is rewritten
    // and no volume file either.
    let out = bench.send(Request::Update {
        project,
        target: None,
        full_refresh: protocol::FullRefresh::None,
        started_at_ms: 0.0,
    });
    let rewritten: Vec<&str> = out
        .store
        .iter()
        .filter_map(|op| match op {
            StoreOp::Put { path, .. }
                if path.starts_with("tables/") || path.starts_with("volume/") =>
            {
                Some(path.as_str())
            }
            _ => None,
        })
        .collect();
    assert!(rewritten.is_empty(), "{rewritten:?}");
    // The replaced event log is deleted after the manifest.
    let manifest = out
        .store
        .iter()
        .position(|op| matches!(op, StoreOp::Put { path, .. } if path == "workspace.json"))
        .unwrap();
    assert!(
        out.store[manifest + 1..]
            .iter()
            .all(|op| matches!(op, StoreOp::Delete { .. }))
    );
    assert!(
        out.store[manifest + 1..].iter().any(
            |op| matches!(op, StoreOp::Delete { path } if path.starts_with("state/event_log"))
        )
    );
}

#[test]
fn test_leftovers_of_an_interrupted_commit_are_deleted_on_restore() {
    let mut bench = Workbench::new();
    bench.generate();
    let before = bench.kernel.summary();
    bench
        .disk
        .0
        .insert("tables/x.y.z-99.parquet".into(), b"half written".to_vec());
    let reopened = bench.reopen();
    assert!(!reopened.disk.0.contains_key("tables/x.y.z-99.parquet"));
    let after = reopened.kernel.summary();
    assert_eq!(after.files, before.files);
    assert_eq!(after.storage.message, None);
}

#[test]
fn test_corrupt_manifest_gives_an_empty_workspace_and_a_message() {
    let mut bench = Workbench::new();
    bench.generate();
    bench.disk.0.insert(
        "workspace.json".into(),
        b"{\"format\": 1, \"seq\": ".to_vec(),
    );
    let saved = bench.disk.0.clone();
    let (kernel, ops) = Kernel::restore(host(), saved.clone());
    let summary = kernel.summary();
    assert_eq!(summary.files, 0);
    assert!(summary.tables.is_empty());
    let message = summary.storage.message.expect("a message");
    assert!(message.contains("could not be read"), "{message}");
    assert_eq!(ops.len(), saved.len());
    assert!(ops.iter().all(|op| matches!(op, StoreOp::Delete { .. })));
}

#[test]
fn test_unknown_format_names_the_version() {
    let mut saved = BTreeMap::new();
    saved.insert(
        "workspace.json".to_string(),
        br#"{"format": 7, "whatever": true}"#.to_vec(),
    );
    let (mut kernel, _) = Kernel::restore(host(), saved);
    let message = kernel.summary().storage.message.expect("a message");
    assert!(message.contains("format 7"), "{message}");
    // The workspace works: generating saves it in this build's format.
    let out = kernel.handle(
        Request::Generate {
            settings: settings(),
            catalog: CATALOG.into(),
            schema: SCHEMA.into(),
        },
        None,
        Box::new(|_| {}),
    );
    assert!(matches!(out.reply, Reply::Data(_)));
    assert_eq!(kernel.summary().storage.message, None);
}

#[test]
fn test_reset_tables_keeps_files_and_reset_data_forgets_everything() {
    let mut bench = Workbench::new();
    bench.generate();
    bench.update(&python_project());
    let Reply::Data(data) = bench.send(Request::ResetTables).reply else {
        panic!("data");
    };
    assert!(data.tables.is_empty() && data.history.is_empty());
    assert!(data.files > 0);
    assert!(!bench.disk.0.keys().any(|k| k.starts_with("tables/")));
    let Reply::Data(data) = bench.send(Request::ResetData).reply else {
        panic!("data");
    };
    assert_eq!((data.files, data.generated), (0, None));
    assert_eq!(
        bench
            .disk
            .0
            .keys()
            .filter(|k| k.starts_with("volume/"))
            .count(),
        0
    );
    let reopened = bench.reopen();
    assert_eq!(reopened.kernel.summary().files, 0);
}

#[test]
fn test_uploads_survive_generate_and_restore() {
    let mut bench = Workbench::new();
    let folder = format!("/Volumes/{CATALOG}/{SCHEMA}/sensor_bronze");
    let out = bench.send_bytes(
        Request::Upload {
            folder: folder.clone(),
            name: "extra.csv".into(),
            decoded: None,
        },
        Some(b"device_id\n1\n".to_vec()),
    );
    assert!(matches!(out.reply, Reply::Volume(_)));
    bench.generate();
    bench.generate();
    let reopened = bench.reopen();
    let summary = reopened.kernel.summary();
    assert_eq!(
        summary.files as usize,
        landing(datagen::Batch::Initial).files.len() + 1
    );
    let Reply::Error(problem) = bench
        .send_bytes(
            Request::Upload {
                folder,
                name: "a/b.csv".into(),
                decoded: None,
            },
            Some(b"x".to_vec()),
        )
        .reply
    else {
        panic!("a bad name must fail");
    };
    assert!(problem.message.contains("a/b.csv"));
}
