//! Property: on the course project (SQL variant, small generated data), any history of
//! landing files, updates, full refreshes, cancelled updates and updates that fail on a
//! `FAIL UPDATE` expectation ends with the same tables as one run from scratch over the files
//! that are there at the end. A cancelled or failed update must leave no trace.

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::snapshot;
use datagen::{Batch, Preset, Volume as Landing, generate_and_land};
use pipeline::PipelineError;
use pipeline::engine::{self, FullRefresh, UpdateOptions};
use pipeline::pipeline::Pipeline;
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use pipeline::{BundleOptions, projects};
use proptest::prelude::*;

/// A guard the course lacks: a reading of device 0 fails the whole update (the poison file
/// below has one), as a learner's `ON VIOLATION FAIL UPDATE` does.
const GUARD: &str = "CREATE MATERIALIZED VIEW guard (CONSTRAINT known_device EXPECT (device_id > 0) ON VIOLATION FAIL UPDATE)\nAS SELECT device_id, count(*) AS readings FROM sensor_bronze GROUP BY device_id;\n";
const SENSORS: &str = "/Volumes/default/iot_anomaly_detection/sensor_bronze";

#[derive(Debug, Clone)]
enum Op {
    /// Land the generator's next increment.
    Land,
    Update,
    /// Full refresh of everything (0), the gold table (1), or the streaming tables (2).
    Refresh(u8),
    /// An update cancelled when the n-th flow report arrives.
    Cancel(u8),
    /// Land a file that trips the guard, update (which must fail), then delete the file.
    Fail,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Land),
        3 => Just(Op::Update),
        1 => (0u8..3).prop_map(Op::Refresh),
        2 => (0u8..12).prop_map(Op::Cancel),
        2 => Just(Op::Fail),
    ]
}

fn course() -> Pipeline {
    let mut project = projects::iot_sql();
    let bundle = project.get("databricks.yml").expect("bundle").replace(
        "                path: src/gold/inspection_gold.sql\n",
        "                path: src/gold/inspection_gold.sql\n            - file:\n                path: src/guard.sql\n",
    );
    project.insert("databricks.yml", bundle);
    project.insert("src/guard.sql", GUARD);
    let (_, mut pipelines) = pipeline::load(&project, &BundleOptions::default())
        .unwrap_or_else(|e| panic!("the course with its guard does not load:\n{e}"));
    pipelines.remove(0)
}

/// The tiny preset cut to a few hundred readings: each update stays well under a second.
fn land(volume: &mut MemoryVolume, batch: Batch) {
    let mut config = Preset::Tiny.config();
    for shape in [&mut config.initial, &mut config.increment] {
        shape.num_rows.min = 150;
        shape.num_rows.max = 250;
    }
    let target = Landing::new("default", "iot_anomaly_detection").unwrap();
    let (_, landing) = generate_and_land(&config, 3, batch, &target).expect("generate");
    let index = match batch {
        Batch::Initial => 0,
        Batch::Increment(n) => n,
    };
    for file in landing.files {
        // Increments may reuse a name: keep every batch's files apart, as separate drops.
        let path = match file.path.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}-b{index}.{ext}"),
            None => format!("{}-b{index}", file.path),
        };
        volume.insert(&path, file.bytes);
    }
}

fn options(full_refresh: FullRefresh) -> UpdateOptions {
    UpdateOptions {
        full_refresh,
        ..Default::default()
    }
}

fn refresh(which: u8) -> FullRefresh {
    match which {
        0 => FullRefresh::All,
        1 => FullRefresh::Tables(vec!["inspection_gold".into()]),
        // A streaming table refreshed with the streams that read it (the engine refuses less).
        _ => FullRefresh::Tables(
            [
                "sensor_bronze",
                "anomaly_detected",
                "inspection_bronze",
                "inspection_silver",
            ]
            .map(String::from)
            .to_vec(),
        ),
    }
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let p = course();
    let mut volume = MemoryVolume::new();
    land(&mut volume, Batch::Initial);
    let mut state = State::new();
    let mut increments = 0;
    for op in ops {
        match op {
            Op::Land => {
                increments += 1;
                land(&mut volume, Batch::Increment(increments));
            }
            Op::Update => {
                engine::update(&p, &mut state, &volume, options(FullRefresh::None))
                    .map_err(|e| TestCaseError::fail(format!("update: {e}")))?;
            }
            Op::Refresh(which) => {
                engine::update(&p, &mut state, &volume, options(refresh(*which)))
                    .map_err(|e| TestCaseError::fail(format!("refresh: {e}")))?;
            }
            Op::Cancel(at) => {
                let at = *at;
                let before = snapshot(&state);
                let flag = Arc::new(AtomicBool::new(false));
                let (raise, count) = (flag.clone(), Rc::new(Cell::new(0u8)));
                let outcome = engine::update(
                    &p,
                    &mut state,
                    &volume,
                    UpdateOptions {
                        cancel: Some(flag),
                        progress: Some(Box::new(move |_| {
                            count.set(count.get() + 1);
                            if count.get() > at {
                                raise.store(true, Ordering::Relaxed);
                            }
                        })),
                        ..Default::default()
                    },
                );
                match outcome {
                    Err(PipelineError::Cancelled) => {
                        prop_assert_eq!(
                            &snapshot(&state),
                            &before,
                            "a cancelled update changed tables"
                        );
                    }
                    // Raised after the last check for it: nothing was left to stop.
                    Ok(_) => {}
                    Err(e) => return Err(TestCaseError::fail(format!("cancelled update: {e}"))),
                }
            }
            Op::Fail => {
                let before = snapshot(&state);
                let poison = format!("{SENSORS}/poison.csv");
                volume.insert(
                    &poison,
                    b"device_id,trip_id,factory_id,model_id,timestamp,airflow_rate,rotation_speed,air_pressure,temperature,delay,density\n0,1,A06,SkyJet134,2023-01-01T00:00:00.000Z,170.0,500.0,7.0,20.0,1.0,1.0\n".to_vec(),
                );
                let outcome = engine::update(&p, &mut state, &volume, options(FullRefresh::None));
                let failed = matches!(&outcome, Err(PipelineError::ExpectationFailed { expectation, .. }) if expectation == "known_device");
                prop_assert!(
                    failed,
                    "the poisoned update gave {:?}",
                    outcome.err().map(|e| e.to_string())
                );
                prop_assert_eq!(&snapshot(&state), &before, "a failed update changed tables");
                volume.remove(&poison);
            }
        }
    }
    engine::update(&p, &mut state, &volume, options(FullRefresh::None))
        .map_err(|e| TestCaseError::fail(format!("last update: {e}")))?;
    let mut fresh = State::new();
    engine::update(&p, &mut fresh, &volume, options(FullRefresh::All))
        .map_err(|e| TestCaseError::fail(format!("from scratch: {e}")))?;
    let (got, want) = (snapshot(&state), snapshot(&fresh));
    prop_assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (table, rows) in &want {
        prop_assert!(
            &got[table] == rows,
            "{table} differs from a run from scratch ({} rows vs {})",
            got[table].len(),
            rows.len()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_history_equals_a_run_from_scratch(ops in prop::collection::vec(op(), 1..8)) {
        run(&ops)?;
    }
}
