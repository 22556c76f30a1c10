//! The event log follows the Databricks event log's shape (id, sequence, origin, timestamp,
//! event_type, level, message, details as JSON, error) and is queryable as the `event_log`
//! table.

mod common;

use arrow::array::{Array, AsArray};
use common::{land, load, project};
use pipeline::engine::{self, UpdateOptions};
use pipeline::event_log::{Event, Level};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use query::Session;
use serde_json::Value;

const SQL: &str = "
CREATE STREAMING TABLE raw (
  CONSTRAINT positive EXPECT (v > 0),
  CONSTRAINT known EXPECT (k IS NOT NULL) ON VIOLATION DROP ROW
) AS SELECT * FROM STREAM read_files('${landing}', format => 'csv', schemaHints => 'k string, v int');
CREATE MATERIALIZED VIEW per_key AS SELECT k, count(*) AS n, sum(v) AS total FROM raw GROUP BY k;
";

/// A clock that advances 1.5 ms per reading from `start` (µs), so durations are known.
fn clock(start: i64) -> Box<dyn FnMut() -> i64> {
    let mut now = start;
    Box::new(move || {
        now += 1_500;
        now
    })
}

/// One update, its clock starting one second after the previous update's.
fn run(state: &mut State, volume: &MemoryVolume) -> engine::UpdateReport {
    let p = load(&project(&[("p.sql", SQL)]));
    let start = 1_700_000_000_000_000 + state.updates as i64 * 1_000_000;
    let options = UpdateOptions {
        clock: Some(clock(start)),
        ..Default::default()
    };
    engine::update(&p, state, volume, options).unwrap_or_else(|e| panic!("{e}"))
}

fn completed<'a>(events: &'a [Event], dataset: &str) -> &'a Value {
    let event = events
        .iter()
        .rev()
        .find(|e| {
            e.event_type == "flow_progress"
                && e.origin.dataset_name.as_deref() == Some(dataset)
                && e.details["flow_progress"]["status"] == "COMPLETED"
        })
        .unwrap_or_else(|| panic!("no COMPLETED flow_progress for {dataset}"));
    &event.details["flow_progress"]
}

#[test]
fn test_events_have_the_databricks_shape() {
    let mut volume = MemoryVolume::new();
    land(
        &mut volume,
        "/Volumes/main/s/landing/1.csv",
        "k,v\na,1\na,-2\n,3\nb,4\n",
    );
    let mut state = State::new();
    let report = run(&mut state, &volume);
    let events = &state.events;

    // One update: create_update first, update_progress from INITIALIZING to COMPLETED last.
    assert_eq!(events[0].event_type, "create_update");
    let states: Vec<&str> = events
        .iter()
        .filter(|e| e.event_type == "update_progress")
        .map(|e| e.details["update_progress"]["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        ["INITIALIZING", "SETTING_UP_TABLES", "RUNNING", "COMPLETED"]
    );
    assert_eq!(events.last().unwrap().event_type, "update_progress");

    // Ids unique, sequence and timestamps increasing, every event of this update.
    let mut ids: Vec<&str> = events.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), events.len());
    assert!(events.windows(2).all(|w| w[0].sequence < w[1].sequence));
    assert!(events.windows(2).all(|w| w[0].timestamp < w[1].timestamp));
    assert!(
        events
            .iter()
            .all(|e| e.origin.update_id == report.update_id)
    );
    assert!(
        events
            .iter()
            .all(|e| e.level == Level::Info && e.error.is_none())
    );

    // flow_progress COMPLETED: output rows, expectations with passed/failed counts, duration.
    let raw = completed(events, "raw");
    assert_eq!(raw["metrics"]["num_output_rows"], 3);
    assert_eq!(raw["metrics"]["num_files_read"], 1);
    assert_eq!(raw["data_quality"]["dropped_records"], 1);
    let expectations = raw["data_quality"]["expectations"].as_array().unwrap();
    let by_name = |name: &str| {
        expectations
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("no expectation {name} in {expectations:?}"))
    };
    // Every expectation is judged on every input row (a dropped row still counts for `positive`).
    assert_eq!(
        (
            &by_name("positive")["passed_records"],
            &by_name("positive")["failed_records"]
        ),
        (&Value::from(3), &Value::from(1))
    );
    assert_eq!(
        (
            &by_name("known")["passed_records"],
            &by_name("known")["failed_records"]
        ),
        (&Value::from(3), &Value::from(1))
    );
    assert_eq!(by_name("known")["dataset"], "raw");
    let duration = raw["duration_ms"].as_i64().unwrap();
    let flow = report.flows.iter().find(|f| f.dataset == "raw").unwrap();
    assert_eq!(duration, flow.duration_micros / 1000);
    assert!(flow.duration_micros >= 1_500, "{}", flow.duration_micros);

    // The materialized view's refresh strategy is in a planning_information event.
    let planning = events
        .iter()
        .find(|e| e.event_type == "planning_information")
        .unwrap();
    assert_eq!(planning.origin.dataset_name.as_deref(), Some("per_key"));
    let technique = &planning.details["planning_information"]["technique_information"][0];
    assert_eq!(
        technique["maintenance_type"],
        "MAINTENANCE_TYPE_COMPLETE_RECOMPUTE"
    );
    assert_eq!(
        completed(events, "per_key")["metrics"]["num_output_rows"],
        2
    );
}

#[test]
fn test_event_log_is_a_table_sql_can_query() {
    let mut volume = MemoryVolume::new();
    land(
        &mut volume,
        "/Volumes/main/s/landing/1.csv",
        "k,v\na,1\nb,2\n",
    );
    let mut state = State::new();
    run(&mut state, &volume);
    land(&mut volume, "/Volumes/main/s/landing/2.csv", "k,v\na,5\n");
    run(&mut state, &volume);

    let session = Session::new(state.catalog());
    let result = session
        .sql(
            "SELECT event_type, level, count(*) AS n, count(DISTINCT origin.update_id) AS updates, \
             min(timestamp) < max(timestamp) AS ordered \
             FROM event_log WHERE event_type IN ('create_update', 'flow_progress', 'update_progress') \
             GROUP BY event_type, level ORDER BY event_type",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let batch = result.concat().unwrap();
    let text = |c: usize, r: usize| batch.column(c).as_string::<i32>().value(r).to_string();
    let int = |c: usize, r: usize| {
        batch
            .column(c)
            .as_primitive::<arrow::datatypes::Int64Type>()
            .value(r)
    };
    let rows: Vec<(String, String, i64, i64, bool)> = (0..batch.num_rows())
        .map(|r| {
            (
                text(0, r),
                text(1, r),
                int(2, r),
                int(3, r),
                batch.column(4).as_boolean().value(r),
            )
        })
        .collect();
    // Two updates; each: one create_update, two flows × (RUNNING, COMPLETED) and four states.
    assert_eq!(
        rows,
        [
            ("create_update".into(), "INFO".into(), 2, 2, true),
            ("flow_progress".into(), "INFO".into(), 8, 2, true),
            ("update_progress".into(), "INFO".into(), 8, 2, true),
        ]
    );
    let log = state.event_log();
    let schema = log.schema();
    let names: Vec<&str> = schema.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "sequence",
            "origin",
            "timestamp",
            "event_type",
            "level",
            "message",
            "details",
            "error"
        ]
    );
    assert!(batch.column(0).null_count() == 0);
}
