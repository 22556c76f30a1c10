//! The pipeline event log: one row per event, shaped like Databricks' event log (`id`,
//! `sequence`, `origin`, `timestamp`, `event_type`, `level`, `message`, `details` as JSON), so
//! queries over the columns carry over (`SELECT event_type, count(*) FROM event_log GROUP BY
//! event_type`, `origin.dataset_name`, `details LIKE '%GROUP_AGGREGATE%'`). Reading a field
//! inside `details` needs a JSON function (`get_json_object`), which the `query` engine does
//! not offer yet; [`Event::details`] holds it parsed for the page.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, Int64Array, RecordBatch, StringArray, StructArray, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use serde::{Deserialize, Serialize};

/// The event's severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    /// Normal progress.
    #[serde(rename = "INFO")]
    Info,
    /// Something to look at (rows failing a warn expectation, a schema change).
    #[serde(rename = "WARN")]
    Warn,
    /// A failure.
    #[serde(rename = "ERROR")]
    Error,
}

impl Level {
    /// `INFO`, `WARN` or `ERROR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        }
    }
}

/// Where an event comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// Stable id of the pipeline.
    pub pipeline_id: String,
    /// The pipeline's display name.
    pub pipeline_name: String,
    /// The update the event belongs to.
    pub update_id: String,
    /// The flow, for flow events.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub flow_name: Option<String>,
    /// The dataset, for dataset and flow events.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dataset_name: Option<String>,
}

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique id.
    pub id: String,
    /// Position in the pipeline's log (increasing).
    pub sequence: i64,
    /// Where it comes from.
    pub origin: Origin,
    /// When, microseconds since the epoch (UTC).
    pub timestamp: i64,
    /// `create_update`, `update_progress`, `flow_definition`, `dataset_definition`,
    /// `flow_progress`, `planning_information`.
    pub event_type: String,
    /// Severity.
    pub level: Level,
    /// Human-readable summary.
    pub message: String,
    /// Structured details, keyed by the event type (as on Databricks).
    pub details: serde_json::Value,
    /// The error, for failures.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

/// Name the event log is registered under in the query catalog.
pub const EVENT_LOG_TABLE: &str = "event_log";

fn origin_fields() -> Fields {
    Fields::from(vec![
        Field::new("pipeline_id", DataType::Utf8, true),
        Field::new("pipeline_name", DataType::Utf8, true),
        Field::new("update_id", DataType::Utf8, true),
        Field::new("flow_name", DataType::Utf8, true),
        Field::new("dataset_name", DataType::Utf8, true),
    ])
}

/// The event log's Arrow schema (the timestamp in UTC, as Spark's `timestamp`).
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, true),
        Field::new("sequence", DataType::Int64, true),
        Field::new("origin", DataType::Struct(origin_fields()), true),
        Field::new(
            "timestamp",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            true,
        ),
        Field::new("event_type", DataType::Utf8, true),
        Field::new("level", DataType::Utf8, true),
        Field::new("message", DataType::Utf8, true),
        Field::new("details", DataType::Utf8, true),
        Field::new("error", DataType::Utf8, true),
    ]))
}

/// The events as one record batch.
///
/// # Examples
/// ```
/// use pipeline::event_log::{Event, Level, Origin, to_batch};
/// let event = Event {
///     id: "e1".into(), sequence: 1, origin: Origin::default(), timestamp: 0,
///     event_type: "create_update".into(), level: Level::Info, message: "start".into(),
///     details: serde_json::json!({"create_update": {"cause": "USER_ACTION"}}), error: None,
/// };
/// let batch = to_batch(&[event]);
/// assert_eq!((batch.num_rows(), batch.num_columns()), (1, 9));
/// ```
pub fn to_batch(events: &[Event]) -> RecordBatch {
    let text = |f: &dyn Fn(&Event) -> Option<String>| -> ArrayRef {
        Arc::new(events.iter().map(f).collect::<StringArray>())
    };
    let origin = StructArray::new(
        origin_fields(),
        vec![
            text(&|e| Some(e.origin.pipeline_id.clone())),
            text(&|e| Some(e.origin.pipeline_name.clone())),
            text(&|e| Some(e.origin.update_id.clone())),
            text(&|e| e.origin.flow_name.clone()),
            text(&|e| e.origin.dataset_name.clone()),
        ],
        None,
    );
    let columns: Vec<ArrayRef> = vec![
        text(&|e| Some(e.id.clone())),
        Arc::new(
            events
                .iter()
                .map(|e| Some(e.sequence))
                .collect::<Int64Array>(),
        ),
        Arc::new(origin),
        Arc::new(
            events
                .iter()
                .map(|e| Some(e.timestamp))
                .collect::<TimestampMicrosecondArray>()
                .with_timezone("UTC"),
        ),
        text(&|e| Some(e.event_type.clone())),
        text(&|e| Some(e.level.as_str().to_string())),
        text(&|e| Some(e.message.clone())),
        text(&|e| Some(e.details.to_string())),
        text(&|e| e.error.clone()),
    ];
    RecordBatch::try_new(schema(), columns).expect("columns built to match the event log schema")
}

/// The events as JSON lines (`event_log.jsonl`), in sequence order.
pub fn to_jsonl(events: &[Event]) -> String {
    let mut out = String::new();
    for event in events {
        out.push_str(&serde_json::to_string(event).expect("events serialise"));
        out.push('\n');
    }
    out
}

/// A deterministic UUID-shaped id from a seed text and a counter (no randomness is needed: ids
/// only have to be unique within a pipeline's log, and tests want stable output).
///
/// # Examples
/// ```
/// let a = pipeline::event_log::stable_id("pipeline-a", 1);
/// assert_eq!(a.len(), 36);
/// assert_ne!(a, pipeline::event_log::stable_id("pipeline-a", 2));
/// ```
pub fn stable_id(seed: &str, counter: u64) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let a = splitmix(h ^ counter);
    let b = splitmix(a ^ counter.rotate_left(17));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        a as u16 & 0x0fff,
        (b >> 48) as u16 & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray};

    fn event(seq: i64, flow: Option<&str>) -> Event {
        Event {
            id: stable_id("p", seq as u64),
            sequence: seq,
            origin: Origin {
                pipeline_id: "p".into(),
                pipeline_name: "demo".into(),
                update_id: "u".into(),
                flow_name: flow.map(str::to_string),
                dataset_name: flow.map(str::to_string),
            },
            timestamp: 1_700_000_000_000_000 + seq,
            event_type: "flow_progress".into(),
            level: Level::Info,
            message: "done".into(),
            details: serde_json::json!({"flow_progress": {"metrics": {"num_output_rows": seq}}}),
            error: None,
        }
    }

    #[test]
    fn test_batch_keeps_nulls_for_update_level_events() {
        let batch = to_batch(&[event(1, None), event(2, Some("t"))]);
        let origin = batch.column(2).as_struct();
        assert!(origin.column(3).is_null(0));
        assert_eq!(origin.column(3).as_string::<i32>().value(1), "t");
    }

    #[test]
    fn test_jsonl_round_trip() {
        let events = vec![event(1, Some("a")), event(2, None)];
        let text = to_jsonl(&events);
        let back: Vec<Event> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(back, events);
    }

    #[test]
    fn test_ids_are_unique_over_many_counters() {
        let ids: std::collections::HashSet<String> =
            (0..10_000).map(|i| stable_id("seed", i)).collect();
        assert_eq!(ids.len(), 10_000);
    }
}
