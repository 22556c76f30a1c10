//! Validation: plan every dataset without running anything and report every problem at once.

use query::ExecOptions;

use super::cycles::cycle_diagnostics;
use super::events::EventWriter;
use super::{Run, Slot, Step, flow, step};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::error::{PipelineError, query_message};
use crate::pipeline::Pipeline;
use crate::sources::decl::DatasetKind;
use crate::state::{Columns, State};

/// Plan every dataset without running anything (reading no files; Auto Loader schemas come
/// from schema locations or schema hints): every error with its location, and each dataset's
/// schema and inputs.
pub fn validate(pipeline: &Pipeline, state: &State) -> Result<Vec<DatasetSummary>, Diagnostics> {
    let mut clock = || 0i64;
    let mut writer = EventWriter::new(
        &pipeline.id,
        &pipeline.settings.name,
        "validate",
        0,
        &mut clock,
    );
    let mut run = Run::new(pipeline, state, None, ExecOptions::default());
    let mut errors = Diagnostics::new();
    let mut summaries = Vec::new();
    loop {
        let mut progressed = false;
        for d in 0..pipeline.datasets.len() {
            if !matches!(run.slots[d], Slot::Waiting) {
                continue;
            }
            match step(&mut run, d) {
                Step::Planned(planned) => {
                    progressed = true;
                    match flow::check(&mut run, d, &planned) {
                        Ok(summary) => summaries.push(summary),
                        Err(e) => {
                            errors.extend(into_diagnostics(e));
                            run.slots[d] = Slot::Skipped;
                        }
                    }
                }
                Step::Blocked => {}
                Step::Skip(note) => {
                    progressed = true;
                    if let Some(note) = note {
                        run.warnings.push(note);
                    }
                    run.slots[d] = Slot::Skipped;
                }
                Step::Failed(e) => {
                    progressed = true;
                    errors.extend(into_diagnostics(e));
                    run.slots[d] = Slot::Skipped;
                }
            }
        }
        if !progressed {
            break;
        }
    }
    errors.extend(cycle_diagnostics(&run));
    let _ = &mut writer;
    if errors.has_errors() {
        errors.extend(run.warnings);
        errors.sort();
        return Err(errors);
    }
    let mut warnings = run.warnings;
    warnings.sort();
    summaries
        .iter_mut()
        .for_each(|s| s.notes = warnings.0.iter().map(ToString::to_string).collect());
    Ok(summaries)
}

/// A dataset as validation sees it.
#[derive(Debug, Clone)]
pub struct DatasetSummary {
    /// Short name.
    pub name: String,
    /// `catalog.schema.name`.
    pub qualified: String,
    /// Its kind (for `@dp.table`, decided by the query).
    pub kind: DatasetKind,
    /// Where it is declared.
    pub location: Location,
    /// Output columns.
    pub schema: Columns,
    /// Datasets read (`STREAM` ones marked).
    pub inputs: Vec<String>,
    /// File folders read.
    pub files: Vec<String>,
    /// Expectation names and actions.
    pub expectations: Vec<(String, String)>,
    /// Warnings that apply to the whole pipeline (notes), repeated for convenience.
    pub notes: Vec<String>,
}

pub(crate) fn into_diagnostics(e: PipelineError) -> Diagnostics {
    match e {
        PipelineError::Invalid(d) => d,
        PipelineError::Files {
            location, error, ..
        } => Diagnostics(vec![Diagnostic::error(Some(location), error.to_string())]),
        PipelineError::Execution {
            location, error, ..
        } => Diagnostics(vec![Diagnostic::error(location, query_message(&error))]),
        other => Diagnostics(vec![Diagnostic::error(None, other.to_string())]),
    }
}
