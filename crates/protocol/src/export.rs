//! "Download project": the learner's project exported to run on a real engine, the same files
//! `iotwb export` writes. The engine exports ([`crate::Request::Export`]), the page hands the
//! files to the codec worker to zip ([`crate::CodecRequest::Zip`]) and shows what the export
//! could not lower.
//!
//! # Examples
//! ```
//! use protocol::{ExportFormat, ProjectFiles, Request, ToWorker, decode, encode};
//! let request = Request::Export {
//!     project: ProjectFiles::default(),
//!     target: None,
//!     format: ExportFormat::Databricks,
//! };
//! let message = ToWorker { id: 4, request };
//! assert_eq!(decode::<ToWorker>(&encode(&message)).unwrap(), message);
//! ```

use serde::{Deserialize, Serialize};

use crate::Place;
use crate::workspace_file::ZipEntry;

/// What to export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// An Apache Spark declarative pipelines project (`iotwb export --format spark`).
    Spark,
    /// A Databricks Asset Bundle (`iotwb export --format databricks`).
    Databricks,
}

impl ExportFormat {
    /// Both, in the order the page offers them.
    pub const ALL: [ExportFormat; 2] = [ExportFormat::Spark, ExportFormat::Databricks];

    /// `spark` or `databricks`, as `iotwb export --format` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Spark => "spark",
            ExportFormat::Databricks => "databricks",
        }
    }
}

/// A place in the learner's files and what the export did, or could not do, there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportNote {
    /// `file:line:col` of the learner's source.
    pub place: Place,
    /// What happened there.
    pub message: String,
}

/// The answer to [`crate::Request::Export`]: the exported files, their bytes beside the
/// message concatenated in order, and the export's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedProject {
    /// A name for the download, without `.zip` (`iot_anomaly_detection-spark`).
    pub name: String,
    /// Each file with its path in the exported project, as `iotwb export` writes it.
    pub files: Vec<ZipEntry>,
    /// Each Databricks-only feature rewritten to its open-source form.
    pub lowered: Vec<ExportNote>,
    /// Each feature that has no form on the target (the export still succeeds).
    pub not_lowered: Vec<ExportNote>,
}
