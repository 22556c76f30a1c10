//! The messages the workbook page and its engine worker exchange.
//!
//! The page (the Leptos app) links no engine crate: it sends [`Request`]s to a Web Worker that
//! runs `pipeline`, `query`, `tsdf` and `datagen`, and renders the [`Reply`]s. Both sides link
//! only this crate, so the two cannot disagree on a message's shape.
//!
//! # On the wire
//! Every message is one JSON text, its enums externally tagged (`{"rows": {...}}`): serde's
//! internally tagged form buffers each message and deserializes it a second time, which made
//! its generated code several times larger in both wasm modules. Each message is
//! [`encode`]d and [`decode`]d as one text, plus, for file contents, one transferable
//! `ArrayBuffer` beside it (uploads, downloads), never inside the JSON. Table contents cross
//! as [`RowPage`]s of at most [`MAX_PAGE_ROWS`] rows, formatted by the engine, never as one
//! huge JSON.
//!
//! # Conversation
//! 1. The worker restores the saved workspace data, then posts [`Reply::Ready`] with id 0
//!    (messages posted to a worker before its wasm has started are lost, so the page waits).
//! 2. The page sends [`ToWorker`] messages with increasing ids; the worker handles them one at
//!    a time, in order, and answers each with exactly one final reply carrying the same id
//!    ([`Reply::Error`] on failure), preceded for updates by [`Reply::Progress`] messages.
//! 3. Cancelling an update terminates the worker; a new one restores the last committed data
//!    (every change is saved before its reply is posted), so nothing half-done survives.
//!
//! # Examples
//! ```
//! use protocol::{Request, ToWorker, decode, encode};
//! let message = ToWorker { id: 7, request: Request::Data };
//! let text = encode(&message);
//! assert_eq!(decode::<ToWorker>(&text).unwrap(), message);
//! ```

mod codec;
mod data;
mod exercise;
mod export;
mod inspect;
mod project;
mod run;
mod series;
mod serving;
pub mod share;
pub mod workspace_file;

pub use codec::{CodecReply, CodecRequest, FromCodec, ToCodec};
pub use data::{
    DataSummary, DirtySettings, FileOrigin, GeneratorSettings, Preset, StorageReport, TableSummary,
    VolumeFile, VolumeListing,
};
pub use exercise::{
    Assertion, CheckResult, CheckSpec, Edit, Exercise, Expect, Finding, Prediction, Step,
    apply_edits, shape_problems, touched_files,
};
pub use export::{ExportFormat, ExportNote, ExportedProject};
pub use inspect::{Cell, ColumnInfo, DownloadFormat, RowPage, RowSource, SortBy};
pub use project::{
    Graph, GraphEdge, GraphNode, NodeKind, Place, Problem, ProjectFiles, Severity, Validation,
    Variant,
};
pub use run::{
    ExpectationResult, FlowProgress, FlowState, FullRefresh, Outcome, RunKind, RunRecord,
};

pub use series::{Bucket, JoinedInspection, Line, SeriesQuery, SeriesView};
pub use serving::{
    AlertState, AlertView, AxisEncoding, ColorEncoding, ColorMapping, DashboardView, FieldEncoding,
    FilterChoice, GridPosition, Scale, WidgetKind, WidgetView,
};

use serde::{Deserialize, Serialize};

/// Bumped whenever a message changes shape; the worker says which it speaks in
/// [`Reply::Ready`], so a page and a worker from different builds refuse each other clearly.
/// 2: uploads carry a Parquet file's decoded copy; the codec worker's messages.
/// 3: the dashboard, the alert and the time-series pictures; exercise checks; the codec
/// writes and reads workspace files (zip).
pub const PROTOCOL_VERSION: u32 = 3;

/// The most rows one [`RowPage`] carries: a page of the table viewer, small enough to
/// cross between threads and render in one frame.
pub const MAX_PAGE_ROWS: usize = 500;

/// A message from the page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToWorker {
    /// Chosen by the page, increasing; the reply carries it back.
    pub id: u64,
    /// What to do.
    pub request: Request,
}

/// A message from the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FromWorker {
    /// The id of the request this answers; 0 for [`Reply::Ready`].
    pub id: u64,
    /// The answer.
    pub reply: Reply,
}

/// What the page asks of the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Check the project without running it: every problem with its place, the graph, the
    /// bundle's targets. Reads no data file. Answered by [`Reply::Validation`].
    Validate {
        /// The learner's files.
        project: ProjectFiles,
        /// Bundle target; `None` for the bundle's default.
        target: Option<String>,
    },
    /// Run one pipeline update (or a full refresh) over the volume. Answered by
    /// [`Reply::Progress`] messages, then [`Reply::Updated`] (also when the update failed:
    /// the record says why, and every table stays as it was).
    Update {
        /// The learner's files.
        project: ProjectFiles,
        /// Bundle target; `None` for the bundle's default.
        target: Option<String>,
        /// Tables to rebuild from scratch.
        full_refresh: FullRefresh,
        /// When the learner pressed the button, milliseconds since the epoch (the worker
        /// stamps the event log and the run history with it).
        started_at_ms: f64,
    },
    /// Record in the run history an update the page cancelled (by terminating the worker
    /// that ran it). Answered by [`Reply::Data`].
    RecordCancelled {
        /// What was running.
        kind: RunKind,
        /// Its target.
        target: Option<String>,
        /// When it started, milliseconds since the epoch.
        started_at_ms: f64,
        /// How long it ran before it was stopped, in milliseconds.
        duration_ms: f64,
    },
    /// Generate the initial load with these settings and land it in the volume, replacing
    /// every earlier generated file (uploads stay). Tables and history are kept: the next
    /// update reads the new files as Auto Loader would. Answered by [`Reply::Data`].
    Generate {
        /// Seed, size and dirty-data switches.
        settings: GeneratorSettings,
        /// Catalog of the landing volume (the target's `catalog`).
        catalog: String,
        /// Schema of the landing volume (the target's `schema`): files land under
        /// `/Volumes/<catalog>/<schema>/{sensor_bronze,inspection_bronze}/`.
        schema: String,
    },
    /// Land the generator's next increment (January 2024 and on; repeatable) in the volume
    /// of the last generation. Answered by [`Reply::Data`]; [`Reply::Error`] when nothing
    /// was generated yet.
    LandMore,
    /// The state of the data: what was generated, the volume's size, the tables, the history.
    /// Answered by [`Reply::Data`].
    Data,
    /// Forget every table, checkpoint, event and run (the files stay). Answered by
    /// [`Reply::Data`].
    ResetTables,
    /// Forget everything: files in the volume, tables, history. Answered by [`Reply::Data`].
    ResetData,
    /// The volume's folders and files. Answered by [`Reply::Volume`].
    ListVolume,
    /// Add a file to the volume; its bytes travel beside the message, followed, for a
    /// Parquet file, by its decoded Arrow IPC copy (the engine has no Parquet decoder: the
    /// page decodes with its codec worker, [`ToCodec`]). Answered by [`Reply::Volume`];
    /// [`Reply::Error`] for a name or folder that cannot be used.
    Upload {
        /// Landing folder, `/Volumes/<catalog>/<schema>/<volume>[/...]`.
        folder: String,
        /// File name (no `/`).
        name: String,
        /// Length of the decoded Arrow IPC copy at the end of the bytes (a Parquet file's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        decoded: Option<u64>,
    },
    /// Remove a file from the volume. Answered by [`Reply::Volume`].
    DeleteFile {
        /// Its `/Volumes/...` path.
        path: String,
    },
    /// One page of rows of a table, a query result, an expectation's failed rows, the event
    /// log or a file's first rows. Answered by [`Reply::Rows`].
    Rows {
        /// Which rows.
        source: RowSource,
        /// First row of the page (0-based, after sorting).
        offset: usize,
        /// At most this many rows (capped at [`MAX_PAGE_ROWS`]).
        limit: usize,
        /// Sort by one column first.
        sort: Option<SortBy>,
    },
    /// A table (or a query's result) as a file; the bytes travel beside the reply.
    /// Answered by [`Reply::File`].
    Download {
        /// Which rows.
        source: RowSource,
        /// CSV or Arrow IPC (the page encodes Parquet from the latter with its codec worker).
        format: DownloadFormat,
    },
    /// Compute the project's dashboard (its `.lvdash.json` with the bundle's dashboard
    /// resource) and evaluate its SQL alert over the tables of the target. Answered by
    /// [`Reply::Dashboard`].
    Dashboard {
        /// The learner's files.
        project: ProjectFiles,
        /// Bundle target; `None` for the bundle's default.
        target: Option<String>,
        /// The filters' chosen values.
        filters: Vec<FilterChoice>,
        /// The simulated clock: what `current_timestamp()` is for the alert, ms since the epoch.
        now_ms: f64,
    },
    /// One device's readings with their EMA, resample buckets, joined inspections and
    /// anomalies, reduced for a chart. Answered by [`Reply::Series`].
    Series {
        /// The learner's files (the target's schema is where the tables are).
        project: ProjectFiles,
        /// Bundle target; `None` for the bundle's default.
        target: Option<String>,
        /// What to draw.
        query: SeriesQuery,
    },
    /// Check an exercise: run `check` on the learner's files in a scratch workspace with data
    /// generated from `seed`, leaving the learner's own workspace untouched. Answered by
    /// [`Reply::Checked`].
    Check {
        /// The learner's files.
        project: ProjectFiles,
        /// The exercise's check.
        check: CheckSpec,
        /// Seed of the scratch data (fresh each time, so no answer can be hard-coded).
        seed: u64,
    },
    /// Export the learner's files as `iotwb export --format <format>` would, with its
    /// defaults (no inferred schemas: the files do not depend on the data). Answered by
    /// [`Reply::Exported`] with the files' bytes beside it; [`Reply::Error`] with the first
    /// problem's place when the project does not load.
    Export {
        /// The learner's files.
        project: ProjectFiles,
        /// Bundle target; `None` for the bundle's default.
        target: Option<String>,
        /// Spark declarative pipelines or a Databricks bundle.
        format: ExportFormat,
    },
}

/// What the worker answers.
// One reply exists at a time, just before it is encoded: boxing the large summaries would
// only add indirection to every match on the page's side.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// The engine started and restored the saved data; sent once, with id 0.
    Ready {
        /// [`PROTOCOL_VERSION`] of the worker.
        protocol: u32,
        /// The restored data.
        data: DataSummary,
    },
    /// A flow started or finished (sent while an update runs).
    Progress(FlowProgress),
    /// The answer to [`Request::Validate`].
    Validation(Validation),
    /// The answer to [`Request::Update`]: the run as recorded in the history, and the data
    /// afterwards.
    Updated {
        /// The run (its outcome says whether it committed).
        run: RunRecord,
        /// Tables, volume and history after it.
        data: DataSummary,
    },
    /// The state of the data.
    Data(DataSummary),
    /// The volume's files.
    Volume(VolumeListing),
    /// A page of rows.
    Rows(RowPage),
    /// A file for the learner to save; its bytes travel beside the message.
    File {
        /// Suggested file name.
        name: String,
        /// Its media type (`text/csv`, `application/vnd.apache.arrow.file`).
        mime: String,
    },
    /// The dashboard and the alert, computed.
    Dashboard(DashboardView),
    /// The time-series pictures' data.
    Series(SeriesView),
    /// The answer to [`Request::Check`].
    Checked(CheckResult),
    /// The answer to [`Request::Export`]; the files' bytes travel beside it.
    Exported(ExportedProject),
    /// The request failed; nothing changed.
    Error(Problem),
}

/// A message as one JSON text.
pub fn encode<T: Serialize>(message: &T) -> String {
    serde_json::to_string(message).expect("protocol messages always serialize")
}

/// A message from its JSON text; the error says what did not match.
pub fn decode<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("malformed engine message: {e}"))
}
