//! Building the update's events (Databricks' event log shapes).

use serde_json::{Value, json};

use crate::event_log::{Event, Level, Origin, stable_id};

/// Writes one update's events with increasing sequence numbers and the injected clock.
pub struct EventWriter<'c> {
    pipeline_id: String,
    pipeline_name: String,
    update_id: String,
    next_sequence: i64,
    clock: &'c mut dyn FnMut() -> i64,
    /// The events written.
    pub events: Vec<Event>,
}

impl<'c> EventWriter<'c> {
    /// A writer continuing a log whose last sequence number is `last_sequence`.
    pub fn new(
        pipeline_id: &str,
        pipeline_name: &str,
        update_id: &str,
        last_sequence: i64,
        clock: &'c mut dyn FnMut() -> i64,
    ) -> Self {
        EventWriter {
            pipeline_id: pipeline_id.to_string(),
            pipeline_name: pipeline_name.to_string(),
            update_id: update_id.to_string(),
            next_sequence: last_sequence + 1,
            clock,
            events: Vec::new(),
        }
    }

    /// The clock's current reading (microseconds).
    pub fn now(&mut self) -> i64 {
        (self.clock)()
    }

    /// Write an event about the update (`dataset` None) or a dataset's flow.
    pub fn emit(
        &mut self,
        event_type: &str,
        level: Level,
        dataset: Option<&str>,
        message: String,
        details: Value,
        error: Option<String>,
    ) {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        let timestamp = self.now();
        self.events.push(Event {
            id: stable_id(
                &format!("{}/{}", self.pipeline_id, self.update_id),
                sequence as u64,
            ),
            sequence,
            origin: Origin {
                pipeline_id: self.pipeline_id.clone(),
                pipeline_name: self.pipeline_name.clone(),
                update_id: self.update_id.clone(),
                flow_name: dataset.map(str::to_string),
                dataset_name: dataset.map(str::to_string),
            },
            timestamp,
            event_type: event_type.to_string(),
            level,
            message,
            details,
            error,
        });
    }

    /// `update_progress` with a state (`INITIALIZING`, `RUNNING`, `COMPLETED`, `FAILED`, …).
    pub fn update_state(&mut self, state: &str, error: Option<String>) {
        let level = if state == "FAILED" {
            Level::Error
        } else {
            Level::Info
        };
        let message = format!("Update {} is {state}.", short(&self.update_id));
        self.emit(
            "update_progress",
            level,
            None,
            message,
            json!({"update_progress": {"state": state}}),
            error,
        );
    }

    /// `flow_progress` with a status and optional metrics.
    pub fn flow_state(&mut self, dataset: &str, status: &str, extra: Value) {
        let level = match status {
            "FAILED" => Level::Error,
            _ => Level::Info,
        };
        let mut details = json!({"flow_progress": {"status": status}});
        if let (Some(target), Value::Object(more)) =
            (details["flow_progress"].as_object_mut(), extra)
        {
            target.extend(more);
        }
        let message = format!("Flow '{dataset}' is {status}.");
        self.emit(
            "flow_progress",
            level,
            Some(dataset),
            message,
            details,
            None,
        );
    }
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
