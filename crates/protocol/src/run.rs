//! Updates: progress while they run and the record each leaves in the run history.

use serde::{Deserialize, Serialize};

use crate::project::{NodeKind, Problem};

/// Which tables an update rebuilds from scratch.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", content = "tables", rename_all = "snake_case")]
pub enum FullRefresh {
    /// None: a normal, incremental update.
    #[default]
    None,
    /// Every table.
    All,
    /// The named tables (short names).
    Tables(Vec<String>),
}

/// A flow's state in the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowState {
    /// Waiting for its inputs.
    Queued,
    /// Running now.
    Running,
    /// Done.
    Completed,
    /// Failed: the update stops and commits nothing.
    Failed,
    /// Not run (the update failed or was cancelled before it).
    Skipped,
}

impl FlowState {
    /// As the graph labels it.
    pub fn label(self) -> &'static str {
        match self {
            FlowState::Queued => "Queued",
            FlowState::Running => "Running",
            FlowState::Completed => "Completed",
            FlowState::Failed => "Failed",
            FlowState::Skipped => "Skipped",
        }
    }
}

/// One expectation's outcome in one flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpectationResult {
    /// Its name (`valid pressure`).
    pub name: String,
    /// `warn`, `drop` or `fail`.
    pub action: String,
    /// Rows for which the condition held.
    pub passed: u64,
    /// Rows for which it was false or NULL.
    pub failed: u64,
}

/// What one flow did (or is doing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowProgress {
    /// The dataset's short name.
    pub dataset: String,
    /// Streaming table, materialized view or view.
    pub kind: NodeKind,
    /// Where it is.
    pub state: FlowState,
    /// Rows written by this update (appended, or the view's rows).
    pub rows_written: u64,
    /// Rows in the table afterwards.
    pub rows_total: u64,
    /// Files Auto Loader read.
    pub files_read: u64,
    /// Refresh strategy of a materialized view (`PARTITION_OVERWRITE`, ...).
    pub strategy: Option<String>,
    /// Why the engine chose it.
    pub reason: String,
    /// Expectation outcomes.
    pub expectations: Vec<ExpectationResult>,
    /// Rows dropped by expectations.
    pub dropped: u64,
    /// Wall-clock milliseconds the flow took (0 while running).
    pub duration_ms: f64,
}

impl FlowProgress {
    /// A flow in `state` that has done nothing yet (queued, or failed before writing).
    pub fn pending(dataset: impl Into<String>, kind: NodeKind, state: FlowState) -> FlowProgress {
        FlowProgress {
            dataset: dataset.into(),
            kind,
            state,
            rows_written: 0,
            rows_total: 0,
            files_read: 0,
            strategy: None,
            reason: String::new(),
            expectations: Vec::new(),
            dropped: 0,
            duration_ms: 0.0,
        }
    }
}

/// What kind of run a history entry is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "tables", rename_all = "snake_case")]
pub enum RunKind {
    /// An incremental update.
    Update,
    /// A full refresh of every table.
    FullRefreshAll,
    /// A full refresh of the named tables.
    FullRefresh(Vec<String>),
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Outcome {
    /// Every change committed.
    Completed,
    /// Nothing committed; the problem says why and where.
    Failed {
        /// The failure, with its place.
        problem: Problem,
        /// For a failed `fail` expectation: its name.
        expectation: Option<String>,
        /// For a failed `fail` expectation: the first failing row, as JSON.
        failing_row: Option<String>,
    },
    /// Stopped by the learner; nothing committed.
    Cancelled,
}

impl Outcome {
    /// `Completed`, `Failed` or `Cancelled`.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Completed => "Completed",
            Outcome::Failed { .. } => "Failed",
            Outcome::Cancelled => "Cancelled",
        }
    }
}

/// One entry of the run history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// 1-based number of the run in this workspace.
    pub number: u64,
    /// The engine's update id (empty for a cancelled run).
    pub update_id: String,
    /// What ran.
    pub kind: RunKind,
    /// The bundle target.
    pub target: String,
    /// When it started, milliseconds since the epoch.
    pub started_at_ms: f64,
    /// How long it took, milliseconds of wall clock in the worker.
    pub duration_ms: f64,
    /// How it ended.
    pub outcome: Outcome,
    /// Each flow, in the order it ran (for a failed run: as far as it got).
    pub flows: Vec<FlowProgress>,
}
