//! The default projects on the course-size data (`Preset::Course`, seed 1, ≈ 400 k readings):
//! datagen's "done when" checks as the pipeline sees them (≈ 5 % of readings fail `valid
//! pressure`, ≈ 5 % of inspections lack a timestamp and are dropped, one gold row per device,
//! factory, model and defect present), and the Python and SQL projects building identical
//! tables at this size too, before and after `land_more_data`.

mod common;

use arrow::array::AsArray;
use common::snapshot;
use datagen::{Batch, LandingSummary, Preset, Volume as Landing, generate_and_land};
use pipeline::engine::{self, UpdateOptions, UpdateReport};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use pipeline::{BundleOptions, Project};
use query::Session;

const SEED: u64 = 1;
const T: &str = "default.iot_anomaly_detection.";

fn land(volume: &mut MemoryVolume, batch: Batch) -> LandingSummary {
    let target = Landing::new("default", "iot_anomaly_detection").unwrap();
    let (_, landing) = generate_and_land(&Preset::Course.config(), SEED, batch, &target).unwrap();
    for file in landing.files {
        volume.insert(&file.path, file.bytes);
    }
    landing.summary
}

fn run(project: &Project, state: &mut State, volume: &MemoryVolume) -> UpdateReport {
    let (_, pipelines) =
        pipeline::load(project, &BundleOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    engine::update(&pipelines[0], state, volume, UpdateOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn count(state: &State, sql: &str) -> i64 {
    let batch = Session::new(state.catalog())
        .sql(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .concat()
        .unwrap();
    batch
        .column(0)
        .as_primitive::<arrow::datatypes::Int64Type>()
        .value(0)
}

fn flow<'a>(report: &'a UpdateReport, name: &str) -> &'a engine::FlowReport {
    report.flows.iter().find(|f| f.dataset == name).unwrap()
}

/// Datagen's checks on what the pipeline built from one landed batch.
fn check_batch(state: &State, report: &UpdateReport, landed: &LandingSummary) {
    let bronze = flow(report, "sensor_bronze");
    assert_eq!(bronze.rows_written, landed.sensor_rows);
    let pressure = &bronze.expectations[0];
    assert_eq!(pressure.name, "valid pressure");
    assert_eq!(
        pressure.passed_records + pressure.failed_records,
        landed.sensor_rows
    );
    let share = pressure.failed_records as f64 / landed.sensor_rows as f64;
    assert!(
        (0.045..0.055).contains(&share),
        "valid pressure fails for {share:.4} of readings"
    );
    // The failures are the negated pressures plus the zero-pressure spill-over rows.
    assert!(pressure.failed_records >= landed.negated_pressures);
    let non_positive = count(
        state,
        &format!(
            "SELECT count(*) FROM {T}sensor_bronze WHERE NOT coalesce(air_pressure > 0, false)"
        ),
    );
    assert_eq!(pressure.failed_records as i64, non_positive);

    let inspections = flow(report, "inspection_bronze");
    assert_eq!(inspections.dropped, landed.null_inspection_timestamps);
    assert_eq!(
        inspections.rows_written,
        landed.inspections - landed.null_inspection_timestamps
    );
    let dropped = landed.null_inspection_timestamps as f64 / landed.inspections as f64;
    assert!(
        (0.03..0.07).contains(&dropped),
        "{dropped:.4} of inspections lack a timestamp"
    );
}

/// Gold: one row per (device, factory, model, defect) among the kept inspections, with the
/// device's factory and model taken from its readings (independently of the as-of join).
fn check_gold(state: &State) {
    let present = count(
        state,
        &format!(
            "SELECT count(*) FROM (SELECT DISTINCT i.device_id, s.factory_id, s.model_id, i.defect \
             FROM {T}inspection_bronze i JOIN (SELECT DISTINCT device_id, factory_id, model_id \
             FROM {T}sensor_bronze) s ON i.device_id = s.device_id)"
        ),
    );
    let gold = count(state, &format!("SELECT count(*) FROM {T}inspection_gold"));
    assert_eq!(gold, present);
    let matched = count(
        state,
        &format!(
            "SELECT count(*) FROM {T}inspection_gold g JOIN (SELECT device_id, defect, count(*) AS n \
             FROM {T}inspection_bronze GROUP BY device_id, defect) i \
             ON g.device_id = i.device_id AND g.defect = i.defect AND g.`count` = i.n"
        ),
    );
    assert_eq!(matched, gold, "every gold row counts its inspections");
    assert!((80..=110).contains(&gold), "{gold} gold rows");
}

#[test]
fn test_course_preset_follows_datagen_checks_and_projects_agree() {
    let mut volume = MemoryVolume::new();
    let first = land(&mut volume, Batch::Initial);
    let (mut python, mut sql) = (State::new(), State::new());
    let report = run(&pipeline::projects::iot_python(), &mut python, &volume);
    check_batch(&python, &report, &first);
    check_gold(&python);
    run(&pipeline::projects::iot_sql(), &mut sql, &volume);
    assert_eq!(snapshot(&python), snapshot(&sql));

    let more = land(&mut volume, Batch::Increment(1));
    let report = run(&pipeline::projects::iot_python(), &mut python, &volume);
    assert_eq!(
        flow(&report, "sensor_bronze").rows_total,
        first.sensor_rows + more.sensor_rows
    );
    assert_eq!(
        flow(&report, "inspection_bronze").rows_written,
        more.inspections - more.null_inspection_timestamps
    );
    check_gold(&python);
    run(&pipeline::projects::iot_sql(), &mut sql, &volume);
    assert_eq!(snapshot(&python), snapshot(&sql));
}
