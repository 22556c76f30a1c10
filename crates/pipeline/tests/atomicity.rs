//! A failed update changes nothing: tables, checkpoints and schemas stay as they were, and the
//! event log records the failure.

mod common;

use common::{land, load, project, rows, update};
use pipeline::PipelineError;
use pipeline::engine::{self, FullRefresh, UpdateOptions};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;

const SQL: &str = "
CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('${landing}', format => 'csv', schemaHints => 'id int, v int');
CREATE STREAMING TABLE checked (CONSTRAINT positive EXPECT (v > 0) ON VIOLATION FAIL UPDATE)
AS SELECT id, v FROM STREAM(raw);
CREATE MATERIALIZED VIEW total AS SELECT count(*) AS n, sum(v) AS s FROM raw;
";

fn snapshot(state: &State) -> Vec<(String, Vec<String>, usize, u64)> {
    state
        .tables
        .iter()
        .map(|(k, t)| {
            (
                k.clone(),
                rows(state, k),
                t.checkpoint.files.values().map(|f| f.len()).sum(),
                t.version,
            )
        })
        .collect()
}

#[test]
fn test_fail_expectation_leaves_every_table_as_it_was() {
    let p = load(&project(&[("p.sql", SQL)]));
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    land(&mut volume, "/Volumes/main/s/landing/1.csv", "id,v\n1,10\n");
    update(&p, &mut state, &volume);
    let before = snapshot(&state);

    land(
        &mut volume,
        "/Volumes/main/s/landing/2.csv",
        "id,v\n2,20\n3,-1\n",
    );
    let err = engine::update(&p, &mut state, &volume, UpdateOptions::default()).unwrap_err();
    let PipelineError::ExpectationFailed {
        expectation,
        failed_records,
        example,
        location,
        ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!((expectation.as_str(), *failed_records), ("positive", 1));
    assert_eq!(example.as_deref(), Some("{\"id\":\"3\",\"v\":\"-1\"}"));
    assert_eq!((location.file.as_str(), location.line), ("p.sql", 3));
    assert_eq!(
        snapshot(&state),
        before,
        "a failed update must not change tables or checkpoints"
    );
    let last = state.events.last().unwrap();
    assert_eq!(
        (last.event_type.as_str(), last.level.as_str()),
        ("update_progress", "ERROR")
    );
    assert!(
        last.error
            .as_deref()
            .unwrap()
            .contains("EXPECTATION_VIOLATION")
    );

    // Fix the data: the bad file is gone, a corrected one lands; 2.csv was never consumed.
    volume.remove("/Volumes/main/s/landing/2.csv");
    land(
        &mut volume,
        "/Volumes/main/s/landing/3.csv",
        "id,v\n2,20\n3,1\n",
    );
    update(&p, &mut state, &volume);
    assert_eq!(rows(&state, "main.s.checked"), ["1|10", "2|20", "3|1"]);
    assert_eq!(rows(&state, "main.s.total"), ["3|31"]);
}

#[test]
fn test_cancelled_update_changes_nothing() {
    let p = load(&project(&[("p.sql", SQL)]));
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    land(&mut volume, "/Volumes/main/s/landing/1.csv", "id,v\n1,10\n");
    update(&p, &mut state, &volume);
    let before = snapshot(&state);
    land(&mut volume, "/Volumes/main/s/landing/2.csv", "id,v\n2,20\n");
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let err = engine::update(
        &p,
        &mut state,
        &volume,
        UpdateOptions {
            cancel: Some(cancel),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, PipelineError::Cancelled));
    assert_eq!(snapshot(&state), before);
}

#[test]
fn test_partial_full_refresh_must_include_streaming_readers() {
    let p = load(&project(&[("p.sql", SQL)]));
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    land(&mut volume, "/Volumes/main/s/landing/1.csv", "id,v\n1,10\n");
    update(&p, &mut state, &volume);
    let options = UpdateOptions {
        full_refresh: FullRefresh::Tables(vec!["raw".into()]),
        ..Default::default()
    };
    let err = engine::update(&p, &mut state, &volume, options).unwrap_err();
    assert!(
        err.to_string().contains("--full-refresh raw,checked"),
        "{err}"
    );
    let options = UpdateOptions {
        full_refresh: FullRefresh::Tables(vec!["raw".into(), "checked".into()]),
        ..Default::default()
    };
    engine::update(&p, &mut state, &volume, options).unwrap();
    assert_eq!(rows(&state, "main.s.checked"), ["1|10"]);
    let options = UpdateOptions {
        full_refresh: FullRefresh::Tables(vec!["rwa".into()]),
        ..Default::default()
    };
    let err = engine::update(&p, &mut state, &volume, options).unwrap_err();
    assert!(err.to_string().contains("did you mean `raw`"), "{err}");
}

#[test]
fn test_failed_first_update_keeps_no_table_checkpoint_or_inferred_schema() {
    // No hints: the schema is inferred from the files and kept at the schema location only
    // when the update commits.
    let sql = "
CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('${landing}', format => 'csv');
CREATE STREAMING TABLE checked (CONSTRAINT short EXPECT (length(v) < 3) ON VIOLATION FAIL UPDATE)
AS SELECT id, v FROM STREAM(raw);
";
    let p = load(&project(&[("p.sql", sql)]));
    let mut volume = MemoryVolume::new();
    land(
        &mut volume,
        "/Volumes/main/s/landing/1.csv",
        "id,v\n1,ab\n2,abcd\n",
    );
    let mut state = State::new();
    let err = engine::update(&p, &mut state, &volume, UpdateOptions::default()).unwrap_err();
    assert!(
        matches!(err, PipelineError::ExpectationFailed { .. }),
        "{err}"
    );
    assert!(state.tables.is_empty(), "{:?}", state.tables.keys());
    assert!(state.schemas.is_empty(), "{:?}", state.schemas);
    // The next update (data fixed) starts from scratch: it reads the file again.
    volume.insert(
        "/Volumes/main/s/landing/1.csv",
        b"id,v\n1,ab\n2,cd\n".to_vec(),
    );
    let report = update(&p, &mut state, &volume);
    assert_eq!(
        (report.flows[0].files_read, report.flows[0].rows_written),
        (1, 2)
    );
    assert_eq!(state.schemas.len(), 1);
    assert_eq!(rows(&state, "main.s.checked"), ["1|ab", "2|cd"]);
}
