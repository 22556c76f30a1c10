//! Validating a whole project in one pass: the bundle's problems (unknown keys, unknown
//! variables, reference cycles, missing library files) and every pipeline's source and planning
//! problems (syntax, unsupported Python, missing tables, dataset cycles) in one sorted list, so a
//! learner sees everything to fix at once instead of one stage at a time.

use crate::bundle::{self, Bundle, BundleOptions};
use crate::diagnostic::Diagnostics;
use crate::engine::{self, DatasetSummary};
use crate::pipeline::Pipeline;
use crate::planner::MISSING_DATASET;
use crate::project::Project;
use crate::state::State;

/// One pipeline that loaded, with what validation learnt about its datasets.
pub struct PipelineValidation {
    /// The loaded pipeline.
    pub pipeline: Pipeline,
    /// Each dataset's kind, schema and inputs (empty when planning found errors).
    pub datasets: Vec<DatasetSummary>,
}

/// Everything validation found in a project.
pub struct ProjectValidation {
    /// The bundle as resolved, when resolution got that far (even with errors).
    pub bundle: Option<Bundle>,
    /// The pipelines whose source files loaded.
    pub pipelines: Vec<PipelineValidation>,
    /// Every problem, errors and warnings, sorted by file, line and column.
    pub diagnostics: Diagnostics,
}

impl ProjectValidation {
    /// Whether the project is free of errors (warnings allowed).
    pub fn is_ok(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Validate `project` for the options' target: resolve the bundle, load every pipeline's
/// sources and plan every dataset against `state` (for Auto Loader schemas kept there), without
/// reading any data file.
///
/// # Examples
/// ```
/// let project = pipeline::Project::from_files([
///     ("databricks.yml", "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      \
///       catalgo: main\n      schema: s\n      libraries:\n        - file: {path: a.sql}\n"),
///     ("a.sql", "CREATE MATERIALIZED VIEW t AS SELECT * FROM missing"),
/// ]);
/// let found = pipeline::validate_project(&project, &Default::default(), &Default::default());
/// let lines: Vec<String> = found.diagnostics.0.iter().map(|d| d.to_string()).collect();
/// assert!(lines[0].starts_with("a.sql:1:45: error: [TABLE_OR_VIEW_NOT_FOUND] `missing`"), "{lines:?}");
/// assert!(lines[1].starts_with("databricks.yml:5:7: error: unknown key `catalgo`"), "{lines:?}");
/// ```
pub fn validate_project(
    project: &Project,
    options: &BundleOptions,
    state: &State,
) -> ProjectValidation {
    let (bundle, mut diagnostics) = bundle::load_partial(project, options);
    let mut pipelines = Vec::new();
    if let Some(bundle) = &bundle {
        for settings in &bundle.pipelines {
            let partial = Pipeline::load_partial(project, settings, &bundle.target);
            diagnostics.extend(partial.problems);
            let Some(pipeline) = partial.pipeline else {
                continue;
            };
            let datasets = match engine::validate(&pipeline, state) {
                Ok(datasets) => datasets,
                Err(mut errors) => {
                    explain_missing(&mut errors, &partial.failed_files);
                    diagnostics.extend(errors);
                    Vec::new()
                }
            };
            pipelines.push(PipelineValidation { pipeline, datasets });
        }
    }
    diagnostics.sort();
    ProjectValidation {
        bundle,
        pipelines,
        diagnostics,
    }
}

/// A table reported missing may be declared in a file that failed to load: say so, so the
/// learner fixes that file first instead of renaming a correct reference.
fn explain_missing(errors: &mut Diagnostics, failed_files: &[String]) {
    if failed_files.is_empty() {
        return;
    }
    let files: Vec<String> = failed_files.iter().map(|f| format!("`{f}`")).collect();
    for d in &mut errors.0 {
        if d.message.contains(MISSING_DATASET) {
            d.message.push_str(&format!(
                "; {} did not load and may declare it",
                files.join(", ")
            ));
        }
    }
}
