//! How a query runs (clock, cancellation): read by the plan's extension nodes, the executor
//! and the session, so it sits below all of them.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// How a query runs.
#[derive(Debug, Clone, Default)]
pub struct ExecOptions {
    /// `current_timestamp()` for the whole query, microseconds since the epoch (UTC). The
    /// engine never reads a clock itself (the browser has none it can reach); the default, 0,
    /// is the epoch.
    pub now_micros: i64,
    /// Raise this flag (from another thread, or a UI callback between steps) to stop the
    /// query at the next batch boundary with [`QueryError::Cancelled`].
    pub cancel: Option<Arc<AtomicBool>>,
}

impl ExecOptions {
    /// Options with the given clock and no cancellation.
    pub fn at(now_micros: i64) -> ExecOptions {
        ExecOptions {
            now_micros,
            cancel: None,
        }
    }
}
