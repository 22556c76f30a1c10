//! Running a pipeline update: plan each dataset as its inputs become available, read new
//! files and new upstream rows for streaming tables, refresh materialized views, apply
//! expectations, and commit every change together only when the whole update succeeds.

mod cycles;
pub mod events;
pub mod expectations;
mod flow;
mod inputs;
mod partition;
pub mod refresh;
mod report;
pub mod tables;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use query::{DataFrame, ExecOptions, Table};
use serde_json::json;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::PipelineError;
use crate::event_log::Level;
use crate::pipeline::Pipeline;
use crate::planner::{Need, PlanEnv, PlanFailure, plan_dataset};
use crate::sources::decl::DatasetKind;
use crate::state::{Checkpoint, Columns, State};
use crate::suggest;
use crate::volume::Volume;
use cycles::cycle_diagnostics;
use events::EventWriter;
pub use expectations::ExpectationMetrics;
pub use refresh::Strategy;
pub use report::{FlowReport, FlowStatus, UpdateReport};
pub use validate::{DatasetSummary, validate};

/// Which tables a full refresh rebuilds from scratch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FullRefresh {
    /// None: a normal, incremental update.
    #[default]
    None,
    /// Every table.
    All,
    /// The named tables.
    Tables(Vec<String>),
}

/// A callback told when each flow starts and ends.
pub type ProgressCallback = Box<dyn FnMut(&FlowReport)>;

/// How an update runs.
#[derive(Default)]
pub struct UpdateOptions {
    /// Tables to rebuild from scratch.
    pub full_refresh: FullRefresh,
    /// Raise to stop the update between batches (nothing is committed).
    pub cancel: Option<Arc<AtomicBool>>,
    /// The clock, microseconds since the epoch (UTC). Default: a counter from 0, so tests and
    /// the browser's replays are deterministic; the CLI passes the system clock.
    pub clock: Option<Box<dyn FnMut() -> i64>>,
    /// Called when a flow starts and when it ends.
    pub progress: Option<ProgressCallback>,
}

/// A dataset's place in the update.
#[derive(Clone)]
pub(crate) enum Slot {
    /// Not planned yet (with the inputs provided so far).
    Waiting,
    /// Done: its output for readers.
    Done {
        /// Full content.
        table: Arc<Table>,
        /// The kind it turned out to be.
        kind: DatasetKind,
    },
    /// Validation only: skipped because an input's schema is unknown.
    Skipped,
}

/// The update in progress.
pub(crate) struct Run<'a> {
    pub pipeline: &'a Pipeline,
    pub start: &'a State,
    pub staged: State,
    pub volume: Option<&'a dyn Volume>,
    pub exec: ExecOptions,
    pub slots: Vec<Slot>,
    pub envs: Vec<PlanEnv>,
    /// Checkpoint progress made by each flow in this update (committed with the flow).
    pub progress: Vec<Checkpoint>,
    /// Schema locations that must be saved even if the update fails (Auto Loader's
    /// `addNewColumns`: the next update reads the new columns).
    pub forced_schemas: BTreeMap<String, Columns>,
    pub refreshed: BTreeSet<usize>,
    pub dry_run: bool,
    pub warnings: Diagnostics,
}

impl<'a> Run<'a> {
    /// A run of `pipeline` starting from `start`, staging its changes in a copy of it.
    /// Without a volume (validation) it is a dry run that reads no files.
    pub(crate) fn new(
        pipeline: &'a Pipeline,
        start: &'a State,
        volume: Option<&'a dyn Volume>,
        exec: ExecOptions,
    ) -> Run<'a> {
        let n = pipeline.datasets.len();
        Run {
            pipeline,
            start,
            staged: start.staging_copy(),
            volume,
            exec,
            slots: vec![Slot::Waiting; n],
            envs: (0..n).map(|_| fresh_env(pipeline)).collect(),
            progress: vec![Checkpoint::default(); n],
            forced_schemas: BTreeMap::new(),
            refreshed: BTreeSet::new(),
            dry_run: volume.is_none(),
            warnings: Diagnostics::new(),
        }
    }

    pub(crate) fn key(&self, index: usize) -> String {
        self.pipeline.datasets[index].qualified.to_ascii_lowercase()
    }
}

fn cancelled(cancel: &Option<Arc<AtomicBool>>) -> bool {
    cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
}

fn fresh_env(pipeline: &Pipeline) -> PlanEnv {
    PlanEnv {
        names: pipeline
            .datasets
            .iter()
            .map(|d| d.qualified.to_ascii_lowercase())
            .collect(),
        configuration: pipeline.settings.configuration.clone(),
        ..PlanEnv::default()
    }
}

fn resolve_refresh(
    pipeline: &Pipeline,
    selection: &FullRefresh,
) -> Result<BTreeSet<usize>, PipelineError> {
    match selection {
        FullRefresh::None => Ok(BTreeSet::new()),
        FullRefresh::All => Ok((0..pipeline.datasets.len()).collect()),
        FullRefresh::Tables(names) => {
            let mut out = BTreeSet::new();
            let mut errors = Diagnostics::new();
            for name in names {
                let parts: Vec<String> = name.split('.').map(str::to_string).collect();
                match pipeline.find(&parts) {
                    Some(i) => {
                        out.insert(i);
                    }
                    None => errors.push(
                        Diagnostic::error(None, format!("--full-refresh names `{name}`, which is not a dataset of pipeline `{}`", pipeline.settings.name))
                            .with_suggestions(suggest::quoted(suggest::closest(name, pipeline.names().iter().map(String::as_str)))),
                    ),
                }
            }
            if errors.has_errors() {
                Err(PipelineError::Invalid(errors))
            } else {
                Ok(out)
            }
        }
    }
}

/// Run one update of `pipeline` over `volume`, reading and updating `state`. On success every
/// change is committed; on failure no table, checkpoint or schema changes (except a schema
/// location Auto Loader evolved under `addNewColumns`), and the event log records the failure.
pub fn update(
    pipeline: &Pipeline,
    state: &mut State,
    volume: &dyn Volume,
    mut options: UpdateOptions,
) -> Result<UpdateReport, PipelineError> {
    let mut counter = 0i64;
    let mut default_clock = move || {
        counter += 1;
        counter
    };
    let clock: &mut dyn FnMut() -> i64 = match options.clock.as_mut() {
        Some(c) => c.as_mut(),
        None => &mut default_clock,
    };
    let update_number = state.updates + 1;
    let update_id = crate::event_log::stable_id(&pipeline.id, update_number);
    let last_sequence = state
        .events
        .iter()
        .filter(|e| e.origin.pipeline_id == pipeline.id)
        .map(|e| e.sequence)
        .max()
        .unwrap_or(0);
    let mut writer = EventWriter::new(
        &pipeline.id,
        &pipeline.settings.name,
        &update_id,
        last_sequence,
        clock,
    );
    let refresh = resolve_refresh(pipeline, &options.full_refresh);
    writer.emit(
        "create_update",
        Level::Info,
        None,
        format!("Update {} started by USER_ACTION.", &update_id[..8]),
        json!({"create_update": {
            "cause": "USER_ACTION",
            "full_refresh": options.full_refresh == FullRefresh::All,
            "full_refresh_selection": match &options.full_refresh { FullRefresh::Tables(t) => t.clone(), _ => Vec::new() },
            "config": {"catalog": pipeline.settings.catalog, "schema": pipeline.settings.schema, "development": pipeline.settings.development, "channel": pipeline.settings.channel},
        }}),
        None,
    );
    writer.update_state("INITIALIZING", None);
    let exec = ExecOptions {
        now_micros: 0,
        cancel: options.cancel.clone(),
    };
    let mut run = Run::new(pipeline, state, Some(volume), exec);
    run.exec.now_micros = writer.now();
    let result = refresh.and_then(|selected| {
        writer.update_state("SETTING_UP_TABLES", None);
        flow::apply_full_refresh(&mut run, &selected);
        writer.update_state("RUNNING", None);
        drive(
            &mut run,
            &mut writer,
            &options.cancel,
            &mut options.progress,
        )
    });
    let forced = std::mem::take(&mut run.forced_schemas);
    let staged = std::mem::take(&mut run.staged);
    match result {
        Ok(flows) => {
            writer.update_state("COMPLETED", None);
            let history = std::mem::take(&mut state.events);
            *state = staged;
            state.events = history;
            state.updates = update_number;
            state.events.extend(writer.events);
            Ok(UpdateReport {
                update_id,
                pipeline: pipeline.settings.name.clone(),
                flows,
            })
        }
        Err(error) => {
            let text = error.to_string();
            let final_state = if matches!(error, PipelineError::Cancelled) {
                "CANCELED"
            } else {
                "FAILED"
            };
            writer.update_state(final_state, Some(text));
            state.schemas.extend(forced);
            state.updates = update_number;
            state.events.extend(writer.events);
            Err(error)
        }
    }
}

/// The outcome of trying to plan a dataset.
pub(crate) enum Step {
    Planned(crate::planner::Planned),
    Blocked,
    Skip(Option<Diagnostic>),
    Failed(PipelineError),
}

/// Plan dataset `d`, providing every input that is ready, until it plans or waits.
pub(crate) fn step(run: &mut Run<'_>, d: usize) -> Step {
    loop {
        let env = std::mem::take(&mut run.envs[d]);
        let (outcome, env) = plan_dataset(run.pipeline, d, env);
        run.envs[d] = env;
        match outcome {
            Ok(planned) => return Step::Planned(planned),
            Err(PlanFailure::Error(diagnostic)) => {
                return Step::Failed(PipelineError::Invalid(Diagnostics(vec![*diagnostic])));
            }
            Err(PlanFailure::Pending(needs)) => {
                let mut blocked = false;
                for need in needs {
                    match need {
                        Need::Dataset {
                            index,
                            streaming,
                            location,
                        } => match &run.slots[index] {
                            Slot::Done { .. } => {
                                if let Err(e) =
                                    inputs::provide_dataset(run, d, index, streaming, location)
                                {
                                    return Step::Failed(e);
                                }
                            }
                            Slot::Skipped => return Step::Skip(None),
                            Slot::Waiting => blocked = true,
                        },
                        Need::Files { source, streaming } => {
                            match inputs::provide_files(run, d, source, streaming) {
                                Ok(true) => {}
                                Ok(false) => return Step::Skip(None),
                                Err(e) => return Step::Failed(e),
                            }
                        }
                    }
                }
                if blocked {
                    return Step::Blocked;
                }
            }
        }
    }
}

fn drive(
    run: &mut Run<'_>,
    writer: &mut EventWriter<'_>,
    cancel: &Option<Arc<AtomicBool>>,
    progress: &mut Option<ProgressCallback>,
) -> Result<Vec<FlowReport>, PipelineError> {
    let mut reports = Vec::new();
    loop {
        let mut progressed = false;
        let mut remaining = false;
        for d in 0..run.pipeline.datasets.len() {
            if !matches!(run.slots[d], Slot::Waiting) {
                continue;
            }
            if cancelled(cancel) {
                return Err(PipelineError::Cancelled);
            }
            match step(run, d) {
                Step::Planned(planned) => {
                    progressed = true;
                    let report = flow::execute(run, writer, d, planned, progress)?;
                    reports.push(report);
                }
                Step::Blocked => remaining = true,
                Step::Skip(_) => {
                    return Err(PipelineError::Internal(
                        "a dataset was skipped during an update".into(),
                    ));
                }
                Step::Failed(e) => {
                    let name = run.pipeline.datasets[d].short_name().to_string();
                    writer.flow_state(&name, "FAILED", json!({}));
                    return Err(e);
                }
            }
        }
        if !remaining {
            return Ok(reports);
        }
        if !progressed {
            return Err(PipelineError::Invalid(cycle_diagnostics(run)));
        }
    }
}

/// A read-only view of a dataset for readers: a DataFrame scanning `table` as `name`.
pub(crate) fn frame(name: &str, table: &Table) -> DataFrame {
    DataFrame::from_table(name, table.clone())
}
