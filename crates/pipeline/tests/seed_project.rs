//! The crash course's pipeline (the default projects) end to end on generated data, checked
//! against seed-spec §3 and cross-checked with independent SQL through `query`; the Python and
//! SQL versions must produce the same tables.

mod common;

use arrow::array::AsArray;
use common::snapshot;
use datagen::{Batch, Preset, Volume as Landing, generate_and_land};
use pipeline::engine::{self, Strategy, UpdateOptions, UpdateReport};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use pipeline::{BundleOptions, Project};
use query::Session;

const SEED: u64 = 7;

/// Land a batch; returns its summary and how many sensor data files it wrote.
fn land(volume: &mut MemoryVolume, batch: Batch) -> (datagen::LandingSummary, usize) {
    let target = Landing::new("default", "iot_anomaly_detection").unwrap();
    let (_, landing) = generate_and_land(&Preset::Tiny.config(), SEED, batch, &target).unwrap();
    for file in &landing.files {
        volume.insert(&file.path, file.bytes.clone());
    }
    let sensor_files = landing
        .files
        .iter()
        .filter(|f| {
            f.path.contains("/sensor_bronze/")
                && !f.path.rsplit('/').next().unwrap().starts_with('_')
        })
        .count();
    (landing.summary, sensor_files)
}

fn run(project: &Project, state: &mut State, volume: &MemoryVolume) -> UpdateReport {
    let (_, pipelines) =
        pipeline::load(project, &BundleOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    engine::update(&pipelines[0], state, volume, UpdateOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn count(state: &State, sql: &str) -> i64 {
    let result = Session::new(state.catalog())
        .sql(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let batch = result.concat().unwrap();
    batch
        .column(0)
        .as_primitive::<arrow::datatypes::Int64Type>()
        .value(0)
}

fn flow<'a>(report: &'a UpdateReport, name: &str) -> &'a engine::FlowReport {
    report.flows.iter().find(|f| f.dataset == name).unwrap()
}

const T: &str = "default.iot_anomaly_detection.";
const RULE: &str = "(delay > 155 AND rotation_speed > 800) OR temperature > 101 OR (density > 4.6 AND air_pressure < 840)";

#[test]
fn test_python_seed_pipeline_follows_the_spec() {
    let project = pipeline::projects::iot_python();
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    let (first, first_files) = land(&mut volume, Batch::Initial);
    let report = run(&project, &mut state, &volume);

    // sensor_bronze: every reading; `valid pressure` warns on the non-positive pressures.
    let bronze = flow(&report, "sensor_bronze");
    assert_eq!(
        (bronze.rows_written, bronze.files_read),
        (first.sensor_rows, first_files)
    );
    let pressure = &bronze.expectations[0];
    assert_eq!(pressure.name, "valid pressure");
    let bad = count(
        &state,
        &format!(
            "SELECT count(*) FROM {T}sensor_bronze WHERE NOT coalesce(air_pressure > 0, false)"
        ),
    ) as usize;
    assert_eq!(
        (pressure.passed_records, pressure.failed_records),
        (first.sensor_rows - bad, bad)
    );
    let share = bad as f64 / first.sensor_rows as f64;
    assert!(
        (0.03..0.08).contains(&share),
        "valid pressure fails for {share:.3} of readings"
    );
    assert_eq!(
        count(
            &state,
            &format!("SELECT count(*) FROM {T}sensor_bronze WHERE _rescued_data IS NOT NULL")
        ),
        0
    );

    // inspection_bronze drops the rows without timestamp.
    let inspections = flow(&report, "inspection_bronze");
    assert_eq!(
        inspections.rows_written,
        first.inspections - first.null_inspection_timestamps
    );
    assert_eq!(inspections.dropped, first.null_inspection_timestamps);

    // anomaly_detected = the rule over sensor_bronze.
    let anomalies = count(
        &state,
        &format!("SELECT count(*) FROM {T}sensor_bronze WHERE {RULE}"),
    );
    assert_eq!(
        flow(&report, "anomaly_detected").rows_written as i64,
        anomalies
    );

    // inspection_silver: one row per kept inspection; gold groups it.
    assert_eq!(
        flow(&report, "inspection_silver").rows_total,
        inspections.rows_written
    );
    let groups = count(
        &state,
        &format!(
            "SELECT count(*) FROM (SELECT DISTINCT device_id, factory_id, model_id, defect FROM {T}inspection_silver)"
        ),
    );
    assert_eq!(flow(&report, "inspection_gold").rows_total as i64, groups);
    assert_eq!(
        count(
            &state,
            &format!("SELECT sum(`count`) FROM {T}inspection_gold")
        ),
        inspections.rows_written as i64
    );

    // The increment: only the new files are read.
    let (more, more_files) = land(&mut volume, Batch::Increment(1));
    let report = run(&project, &mut state, &volume);
    let bronze = flow(&report, "sensor_bronze");
    assert_eq!(bronze.rows_written, more.sensor_rows);
    assert_eq!(bronze.files_read, more_files);
    assert_eq!(bronze.rows_total, first.sensor_rows + more.sensor_rows);
    let anomalies_after = count(
        &state,
        &format!("SELECT count(*) FROM {T}sensor_bronze WHERE {RULE}"),
    );
    assert_eq!(
        flow(&report, "anomaly_detected").rows_written as i64,
        anomalies_after - anomalies
    );
    // Every silver row depends only on its device's inspections and readings.
    let silver = flow(&report, "inspection_silver");
    assert_eq!(
        silver.strategy,
        Some(Strategy::PartitionOverwrite),
        "{}",
        silver.reason
    );
    assert!(silver.reason.contains("`device_id`"), "{}", silver.reason);
    let gold = flow(&report, "inspection_gold");
    assert_eq!(
        gold.strategy,
        Some(Strategy::GroupAggregate),
        "{}",
        gold.reason
    );
    assert_eq!(
        count(
            &state,
            &format!("SELECT sum(`count`) FROM {T}inspection_gold")
        ),
        count(
            &state,
            &format!("SELECT count(*) FROM {T}inspection_silver")
        )
    );

    // The event log is a table: two updates of five flows completed.
    let flows = count(
        &state,
        "SELECT count(*) FROM event_log WHERE event_type = 'flow_progress' AND details LIKE '%\"status\":\"COMPLETED\"%'",
    );
    assert_eq!(flows, 10);
    let strategies = count(
        &state,
        "SELECT count(*) FROM event_log WHERE event_type = 'planning_information' AND details LIKE '%MAINTENANCE_TYPE_GROUP_AGGREGATE%'",
    );
    assert_eq!(strategies, 1);
}

#[test]
fn test_python_and_sql_projects_build_the_same_tables() {
    let mut volume = MemoryVolume::new();
    land(&mut volume, Batch::Initial);
    let (mut python, mut sql) = (State::new(), State::new());
    run(&pipeline::projects::iot_python(), &mut python, &volume);
    run(&pipeline::projects::iot_sql(), &mut sql, &volume);
    let (a, b) = (snapshot(&python), snapshot(&sql));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, rows) in &a {
        assert_eq!(rows.len(), b[name].len(), "{name}: row counts differ");
        for (x, y) in rows.iter().zip(&b[name]) {
            assert_eq!(x, y, "{name}");
        }
    }
    land(&mut volume, Batch::Increment(1));
    run(&pipeline::projects::iot_python(), &mut python, &volume);
    run(&pipeline::projects::iot_sql(), &mut sql, &volume);
    assert_eq!(snapshot(&python), snapshot(&sql));
}
