//! Updates: run the pipeline over the volume, forward progress, record the run.

use std::cell::RefCell;
use std::rc::Rc;

use pipeline::PipelineError;
use pipeline::engine::{self, FlowReport, FlowStatus, UpdateOptions};
use pipeline::pipeline::Pipeline;
use protocol::{
    ExpectationResult, FlowProgress, FlowState, FullRefresh, Outcome, Problem, ProjectFiles, Reply,
    RunKind, RunRecord,
};

use crate::project::{node_kind, options, place, problem, to_project};
use crate::{Kernel, Outgoing};

/// A flow report as the page shows it.
pub(crate) fn flow_progress(report: &FlowReport) -> FlowProgress {
    FlowProgress {
        dataset: report.dataset.clone(),
        kind: node_kind(report.kind),
        state: match report.status {
            FlowStatus::Running => FlowState::Running,
            FlowStatus::Completed => FlowState::Completed,
            FlowStatus::Failed => FlowState::Failed,
        },
        rows_written: report.rows_written as u64,
        rows_total: report.rows_total as u64,
        files_read: report.files_read as u64,
        strategy: report.strategy.map(|s| s.as_str().to_string()),
        reason: report.reason.clone(),
        expectations: report
            .expectations
            .iter()
            .map(|m| ExpectationResult {
                name: m.name.clone(),
                action: m.action.clone(),
                passed: m.passed_records as u64,
                failed: m.failed_records as u64,
            })
            .collect(),
        dropped: report.dropped as u64,
        duration_ms: report.duration_micros as f64 / 1000.0,
    }
}

fn run_kind(full_refresh: &FullRefresh) -> RunKind {
    match full_refresh {
        FullRefresh::None => RunKind::Update,
        FullRefresh::All => RunKind::FullRefreshAll,
        FullRefresh::Tables(t) => RunKind::FullRefresh(t.clone()),
    }
}

fn engine_refresh(full_refresh: &FullRefresh) -> engine::FullRefresh {
    match full_refresh {
        FullRefresh::None => engine::FullRefresh::None,
        FullRefresh::All => engine::FullRefresh::All,
        FullRefresh::Tables(t) => engine::FullRefresh::Tables(t.clone()),
    }
}

/// The failure of an update as the run history shows it.
pub(crate) fn failed(error: &PipelineError) -> Outcome {
    let (problem, expectation, failing_row) = match error {
        PipelineError::Invalid(diagnostics) => {
            // A table "missing" because the file declaring it did not load is a consequence:
            // lead with the cause.
            let mut errors: Vec<_> = diagnostics.errors().collect();
            errors.sort_by_key(|d| d.message.contains(pipeline::planner::MISSING_DATASET));
            let mut first = errors
                .first()
                .map(|d| problem(d))
                .unwrap_or_else(|| Problem::error(error.to_string()));
            if errors.len() > 1 {
                let rest: Vec<String> = errors[1..].iter().map(|d| d.to_string()).collect();
                first.message = format!(
                    "{} (and {} more: {})",
                    first.message,
                    rest.len(),
                    rest.join("; ")
                );
            }
            (first, None, None)
        }
        PipelineError::ExpectationFailed {
            dataset,
            expectation,
            location,
            failed_records,
            example,
        } => (
            Problem {
                place: Some(place(location)),
                ..Problem::error(format!(
                    "expectation `{expectation}` of `{dataset}` failed for {failed_records} row(s); the update changed nothing"
                ))
            },
            Some(expectation.clone()),
            example.clone(),
        ),
        PipelineError::Files {
            dataset,
            location,
            error,
        } => (
            Problem {
                place: Some(place(location)),
                ..Problem::error(format!("dataset `{dataset}`: {error}"))
            },
            None,
            None,
        ),
        PipelineError::Execution {
            dataset,
            location,
            error,
        } => (
            Problem {
                place: location.as_ref().map(place),
                ..Problem::error(format!(
                    "dataset `{dataset}`: {}",
                    pipeline::error::query_message(error)
                ))
            },
            None,
            None,
        ),
        other => (Problem::error(other.to_string()), None, None),
    };
    Outcome::Failed {
        problem,
        expectation,
        failing_row,
    }
}

/// The dataset an error names, if any.
fn failed_dataset(error: &PipelineError) -> Option<&str> {
    match error {
        PipelineError::ExpectationFailed { dataset, .. }
        | PipelineError::Files { dataset, .. }
        | PipelineError::Execution { dataset, .. } => Some(dataset),
        _ => None,
    }
}

type Forward = Rc<RefCell<Box<dyn FnMut(FlowProgress)>>>;

/// Run one pipeline: its flows as they ended (with the failed one last on failure).
fn run_pipeline(
    kernel: &mut Kernel,
    pipeline: &Pipeline,
    full_refresh: &FullRefresh,
    forward: &Forward,
) -> (
    Result<engine::UpdateReport, PipelineError>,
    Vec<FlowProgress>,
) {
    let flows: Rc<RefCell<Vec<FlowProgress>>> = Rc::default();
    let now = kernel.now_ms.clone();
    let sink = flows.clone();
    let send = forward.clone();
    let options = UpdateOptions {
        full_refresh: engine_refresh(full_refresh),
        cancel: None,
        clock: Some(Box::new(move || (now() * 1000.0) as i64)),
        progress: Some(Box::new(move |report: &FlowReport| {
            let flow = flow_progress(report);
            sink.borrow_mut().push(flow.clone());
            (send.borrow_mut())(flow);
        })),
    };
    let result = engine::update(pipeline, &mut kernel.state, &kernel.volume, options);
    let mut seen = flows.take();
    let running = seen
        .last()
        .filter(|f| f.state == FlowState::Running)
        .map(|f| f.dataset.clone());
    // Keep each flow once: its last state.
    let mut ended: Vec<FlowProgress> = Vec::new();
    for flow in seen.drain(..) {
        ended.retain(|f| f.dataset != flow.dataset);
        ended.push(flow);
    }
    if let Err(error) = &result {
        let name = running.or_else(|| failed_dataset(error).map(str::to_string));
        if let Some(name) = name {
            let kind = pipeline
                .datasets
                .iter()
                .find(|d| d.short_name() == name)
                .map_or(protocol::NodeKind::StreamingTable, |d| {
                    node_kind(d.info.kind)
                });
            let flow = FlowProgress::pending(name.clone(), kind, FlowState::Failed);
            ended.retain(|f| f.dataset != name);
            ended.push(flow.clone());
            (forward.borrow_mut())(flow);
        }
    }
    (result, ended)
}

/// Run an update of the project for `target` and record it.
pub(crate) fn update(
    kernel: &mut Kernel,
    files: &ProjectFiles,
    target: Option<String>,
    full_refresh: FullRefresh,
    started_at_ms: f64,
    progress: Box<dyn FnMut(protocol::FlowProgress)>,
) -> Outgoing {
    let clock_start = (kernel.now_ms)();
    let project = to_project(files);
    let forward: Forward = Rc::new(RefCell::new(progress));
    let mut record = RunRecord {
        number: kernel.history.last().map_or(1, |r| r.number + 1),
        update_id: String::new(),
        kind: run_kind(&full_refresh),
        target: target.clone().unwrap_or_default(),
        started_at_ms,
        duration_ms: 0.0,
        outcome: Outcome::Completed,
        flows: Vec::new(),
    };
    match pipeline::load(&project, &options(target)) {
        Err(diagnostics) => record.outcome = failed(&PipelineError::Invalid(diagnostics)),
        Ok((bundle, pipelines)) => {
            record.target = bundle.target.clone();
            let tables_before = kernel.state.tables.clone();
            for pipeline in &pipelines {
                let settings = &pipeline.settings;
                kernel.current_schema = Some((settings.catalog.clone(), settings.schema.clone()));
                let (result, flows) = run_pipeline(kernel, pipeline, &full_refresh, &forward);
                record.flows.extend(flows);
                match result {
                    Ok(report) => {
                        record.update_id = report.update_id.clone();
                        for flow in report.flows {
                            kernel.samples.insert(flow.dataset, flow.failed_samples);
                        }
                        kernel.samples_version += 1;
                    }
                    Err(error) => {
                        record.update_id =
                            pipeline::event_log::stable_id(&pipeline.id, kernel.state.updates);
                        record.outcome = failed(&error);
                        // An earlier pipeline of the bundle may have committed: undo it too, so
                        // the whole update changes no table (its events stay in the log).
                        kernel.state.tables = tables_before;
                        break;
                    }
                }
            }
        }
    }
    record.duration_ms = ((kernel.now_ms)() - clock_start).max(0.0);
    kernel.history.push(record.clone());
    kernel.changed();
    let store = kernel.commit();
    Outgoing {
        reply: Reply::Updated {
            run: record,
            data: kernel.summary(),
        },
        bytes: None,
        store,
    }
}

/// Record an update the page cancelled.
pub(crate) fn record_cancelled(
    kernel: &mut Kernel,
    kind: RunKind,
    target: Option<String>,
    started_at_ms: f64,
    duration_ms: f64,
) {
    kernel.history.push(RunRecord {
        number: kernel.history.last().map_or(1, |r| r.number + 1),
        update_id: String::new(),
        kind,
        target: target.unwrap_or_default(),
        started_at_ms,
        duration_ms,
        outcome: Outcome::Cancelled,
        flows: Vec::new(),
    });
}
