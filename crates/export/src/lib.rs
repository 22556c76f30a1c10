//! The learner's pipeline project, exported to run on a real engine: an open-source Spark
//! declarative pipelines project (`--format spark`) or a Databricks Asset Bundle
//! (`--format databricks`). Generated from the same parsed project and planner the workbook
//! runs; pure text generation, so the engine worker links it at little cost.
//!
//! # Examples
//! ```
//! use export::{ExportOptions, Format};
//! let project = pipeline::projects::iot_python();
//! let out = export::export(&project, &ExportOptions::new(Format::Spark)).unwrap();
//! assert!(out.files["spark-pipeline.yml"].contains("name: \"iot_anomaly_detection_pipeline\""));
//! assert!(out.files["src/bronze/sensor_bronze.py"].contains("readStream.format(\"csv\")"));
//! assert!(out.not_lowered.is_empty());
//! ```

mod databricks;
pub mod edits;
pub mod sources;
mod spark;
pub mod unsupported;

use std::collections::BTreeMap;

use pipeline::pipeline::Pipeline;
use pipeline::state::Columns;
use pipeline::{BundleOptions, Diagnostics, Location, Project};

pub use spark::{SUPPORT_PATH, VOLUME_KEY};

/// What to export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Apache Spark declarative pipelines project.
    Spark,
    /// A Databricks Asset Bundle in the crash course's shape.
    Databricks,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "spark" => Ok(Format::Spark),
            "databricks" => Ok(Format::Databricks),
            other => Err(format!("unknown format `{other}` (spark or databricks)")),
        }
    }
}

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The target format.
    pub format: Format,
    /// Bundle target and variables.
    pub bundle: BundleOptions,
    /// Spark: the landing root (`iotwb.volume`); `None` leaves it empty (`volume/`).
    pub volume: Option<String>,
    /// Spark: the `storage` of the spec (an absolute URI with a scheme); `None` is a folder
    /// under `/tmp` named after the pipeline.
    pub storage: Option<String>,
    /// The schemas the workbook inferred (its state's Auto Loader schema locations).
    pub inferred: BTreeMap<String, Columns>,
}

impl ExportOptions {
    /// Defaults for `format`.
    pub fn new(format: Format) -> Self {
        ExportOptions {
            format,
            bundle: BundleOptions::default(),
            volume: None,
            storage: None,
            inferred: BTreeMap::new(),
        }
    }
}

/// A place in the learner's files and what the export did (or could not do) there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// `file:line:col`.
    pub location: Location,
    /// What happened.
    pub message: String,
}

/// What the export did.
#[derive(Debug, Default)]
pub struct Report {
    /// Each lowering.
    pub lowered: Vec<Note>,
    /// Each feature that has no form on the target.
    pub not_lowered: Vec<Note>,
}

impl Report {
    fn lowered(&mut self, location: Location, message: impl Into<String>) {
        self.lowered.push(Note {
            location,
            message: message.into(),
        });
    }

    fn not_lowered(&mut self, location: Location, message: impl Into<String>) {
        self.not_lowered.push(Note {
            location,
            message: message.into(),
        });
    }
}

/// The exported project.
#[derive(Debug)]
pub struct Export {
    /// Relative path → text.
    pub files: BTreeMap<String, String>,
    /// Each lowering.
    pub lowered: Vec<Note>,
    /// Each place that could not be lowered (the export still succeeds).
    pub not_lowered: Vec<Note>,
}

/// What the generators share.
pub(crate) struct Context<'a> {
    pub project: &'a Project,
    pub pipeline: &'a Pipeline,
    pub found: sources::Found,
    pub bundle_name: String,
    pub target: String,
}

/// Export `project`. Fails only when the project itself does not load (its diagnostics);
/// features without a form on the target are listed in [`Export::not_lowered`].
pub fn export(project: &Project, options: &ExportOptions) -> Result<Export, Diagnostics> {
    let (bundle, pipelines) = pipeline::load(project, &options.bundle)?;
    let mut report = Report::default();
    let files = match options.format {
        Format::Databricks => databricks::files(project, &bundle),
        Format::Spark => {
            let mut files = BTreeMap::new();
            for (i, p) in pipelines.iter().enumerate() {
                let ctx = Context {
                    project,
                    pipeline: p,
                    found: sources::find(p, &options.inferred),
                    bundle_name: bundle.name.clone(),
                    target: bundle.target.clone(),
                };
                let generated = spark::files(&ctx, options, &mut report);
                // A bundle with several pipelines gets one Spark project per pipeline.
                let prefix = if pipelines.len() > 1 {
                    format!("{}/", p.settings.key)
                } else if i > 0 {
                    continue;
                } else {
                    String::new()
                };
                files.extend(
                    generated
                        .into_iter()
                        .map(|(k, v)| (format!("{prefix}{k}"), v)),
                );
            }
            files
        }
    };
    Ok(Export {
        files,
        lowered: report.lowered,
        not_lowered: report.not_lowered,
    })
}
