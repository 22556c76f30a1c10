//! Declarative pipelines over an in-memory or local volume: the crash course's bundles and
//! pipeline sources (SQL and the `pyspark.pipelines` Python subset) planned onto the `query`
//! engine and `tsdf` operations, run as incremental updates with Auto Loader, expectations
//! and an event log.
//!
//! # Module map
//! - [`project`], [`bundle`]: the project's files and its `databricks.yml`, resolved for a
//!   target ([`bundle::load`]).
//! - [`sources`], [`python`]: the SQL and Python front ends; [`pipeline::Pipeline::load`]
//!   collects a pipeline's datasets.
//! - [`planner`]: plans one dataset's query as its inputs become available.
//! - [`engine`]: [`engine::update`] runs an update (streaming tables, materialized views with
//!   incremental refresh, expectations, atomic commit); [`engine::validate`] plans without
//!   running.
//! - [`autoloader`], [`volume`]: files from memory or a folder, exactly once, with schema
//!   inference, hints, rescued data and evolution.
//! - [`validate`]: [`validate_project`] reports the bundle's and every source's problems
//!   together.
//! - [`state`], [`persist`], [`event_log`]: what persists between updates.
//! - [`projects`]: the default crash-course projects (Python and SQL), embedded.
//!
//! # Examples
//! ```
//! use pipeline::{Project, BundleOptions, engine, state::State, volume::MemoryVolume};
//! let project = Project::from_files([
//!     ("databricks.yml", "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      catalog: main\n      schema: s\n      libraries:\n        - file: {path: t.sql}\n"),
//!     ("t.sql", "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('/Volumes/main/s/in', format => 'csv', header => true);\n\
//!                CREATE MATERIALIZED VIEW n AS SELECT count(*) AS rows FROM raw"),
//! ]);
//! let (_bundle, pipelines) = pipeline::load(&project, &BundleOptions::default()).unwrap();
//! let mut volume = MemoryVolume::new();
//! volume.insert("/Volumes/main/s/in/a.csv", b"id,x\n1,a\n2,b\n".to_vec());
//! let mut state = State::new();
//! let report = engine::update(&pipelines[0], &mut state, &volume, Default::default()).unwrap();
//! assert_eq!(report.flows[0].rows_written, 2);
//! ```

pub mod autoloader;
pub mod bundle;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod event_log;
pub mod glob;
pub mod ipc;
pub mod persist;
pub mod pipeline;
pub mod planner;
pub mod project;
pub mod projects;
pub mod python;
pub mod sources;
pub mod state;
pub mod suggest;
pub mod tempo_node;
pub mod validate;
pub mod volume;

pub use bundle::{Bundle, BundleOptions};
pub use diagnostic::{Diagnostic, Diagnostics, Location, Severity};
pub use error::PipelineError;
pub use project::Project;
pub use validate::{ProjectValidation, validate_project};

/// Resolve the bundle of `project` and load every pipeline it defines.
pub fn load(
    project: &Project,
    options: &BundleOptions,
) -> Result<(Bundle, Vec<pipeline::Pipeline>), Diagnostics> {
    let bundle = bundle::load(project, options)?;
    let mut pipelines = Vec::new();
    let mut errors = Diagnostics::new();
    for settings in &bundle.pipelines {
        match pipeline::Pipeline::load(project, settings, &bundle.target) {
            Ok(p) => pipelines.push(p),
            Err(e) => errors.extend(e),
        }
    }
    if errors.has_errors() {
        errors.sort();
        return Err(errors);
    }
    Ok((bundle, pipelines))
}
