//! What an update reports: each flow's status, rows, files, refresh strategy and
//! expectation metrics.

use super::{ExpectationMetrics, Strategy};
use crate::sources::decl::DatasetKind;

/// A flow's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowStatus {
    /// Running.
    Running,
    /// Finished.
    Completed,
    /// Failed (the update stops).
    Failed,
}

/// What one flow did.
#[derive(Debug, Clone)]
pub struct FlowReport {
    /// Short name.
    pub dataset: String,
    /// `catalog.schema.name`.
    pub qualified: String,
    /// Streaming table, materialized view or view.
    pub kind: DatasetKind,
    /// Running, completed or failed.
    pub status: FlowStatus,
    /// Rows written by this update (appended to a streaming table, computed for a view).
    pub rows_written: usize,
    /// Rows in the table afterwards.
    pub rows_total: usize,
    /// Files read by Auto Loader.
    pub files_read: usize,
    /// Refresh strategy (materialized views).
    pub strategy: Option<Strategy>,
    /// Why that strategy.
    pub reason: String,
    /// Expectation metrics.
    pub expectations: Vec<ExpectationMetrics>,
    /// Rows dropped by expectations.
    pub dropped: usize,
    /// Up to [`super::expectations::MAX_FAILED_SAMPLES`] failing rows of each expectation
    /// that saw failures: `(expectation, rows)`.
    pub failed_samples: Vec<(String, arrow::array::RecordBatch)>,
    /// Duration by the update's clock.
    pub duration_micros: i64,
}

/// What an update did.
#[derive(Debug, Clone)]
pub struct UpdateReport {
    /// The update's id.
    pub update_id: String,
    /// The pipeline's display name.
    pub pipeline: String,
    /// One report per flow, in the order they ran.
    pub flows: Vec<FlowReport>,
}
