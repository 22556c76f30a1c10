//! Running one dataset's flow: streaming tables append, materialized views refresh, views
//! compute for the update; expectations apply; events record what happened.

use std::collections::BTreeSet;
use std::sync::Arc;

use arrow::array::RecordBatch;
use query::{Catalog, Session};
use serde_json::json;

use super::events::EventWriter;
use super::expectations;
use super::tables::{append, table_of};
use super::{DatasetSummary, FlowReport, FlowStatus, Run, Slot};
use crate::error::PipelineError;
use crate::event_log::Level;
use crate::pipeline::DatasetDef;
use crate::planner::Planned;
use crate::sources::decl::DatasetKind;
use crate::state::{Columns, StoredTable};

mod checks;
mod materialized;

use checks::{check_append_only, check_declared, definition, invalid, resolve_kind};
use materialized::materialized_view;

/// Reset the selected datasets before the update runs.
pub(crate) fn apply_full_refresh(run: &mut Run<'_>, selected: &BTreeSet<usize>) {
    for &d in selected {
        let key = run.key(d);
        if let Some(stored) = run.staged.tables.get_mut(&key) {
            for location in std::mem::take(&mut stored.checkpoint.schema_locations) {
                run.staged.schemas.remove(&location);
            }
            let schema = stored.table.schema().clone();
            stored.table = super::tables::empty(schema);
            stored.generation += 1;
            stored.version += 1;
            stored.checkpoint = Default::default();
            stored.inputs_seen.clear();
        }
    }
    run.refreshed = selected.clone();
}

fn collect(
    run: &Run<'_>,
    def: &DatasetDef,
    planned: &Planned,
) -> Result<Vec<RecordBatch>, PipelineError> {
    let session = Session::new(Catalog::new()).with_options(run.exec.clone());
    session
        .collect(&planned.df)
        .map(|r| r.batches)
        .map_err(|e| execution_error(def, &e))
}

pub(super) fn execution_error(def: &DatasetDef, e: &query::QueryError) -> PipelineError {
    if matches!(e, query::QueryError::Cancelled) {
        return PipelineError::Cancelled;
    }
    PipelineError::Execution {
        dataset: def.info.name.clone(),
        location: Some(def.info.location.clone()),
        error: Box::new(e.clone()),
    }
}

/// Check a planned dataset without running it (validation).
pub(crate) fn check(
    run: &mut Run<'_>,
    d: usize,
    planned: &Planned,
) -> Result<DatasetSummary, PipelineError> {
    let def = &run.pipeline.datasets[d];
    let kind = resolve_kind(def, planned)?;
    let schema = planned.df.schema();
    check_declared(def, &schema)?;
    if kind == DatasetKind::StreamingTable {
        let reads_static = run.envs[d].reads.iter().any(|(_, s)| !*s)
            || run.envs[d].file_reads.iter().any(|(_, s)| !*s);
        check_append_only(def, planned.df.plan(), reads_static)?;
    }
    let errors = expectations::check(&def.info.expectations, &schema);
    if errors.has_errors() {
        return Err(PipelineError::Invalid(errors));
    }
    let env = &run.envs[d];
    let inputs = env
        .reads
        .iter()
        .map(|(u, s)| {
            let name = run.pipeline.datasets[*u].short_name();
            if *s {
                format!("STREAM({name})")
            } else {
                name.to_string()
            }
        })
        .collect();
    let files = env
        .file_reads
        .iter()
        .map(|(s, streaming)| {
            if *streaming {
                format!("{} (Auto Loader)", s.path)
            } else {
                s.path.clone()
            }
        })
        .collect();
    let summary = DatasetSummary {
        name: def.short_name().to_string(),
        qualified: def.qualified.clone(),
        kind,
        location: def.info.location.clone(),
        schema: schema.clone(),
        inputs,
        files,
        expectations: def
            .info
            .expectations
            .iter()
            .map(|e| (e.name.clone(), e.action.as_str().to_string()))
            .collect(),
        notes: Vec::new(),
    };
    run.slots[d] = Slot::Done {
        table: super::tables::empty(schema),
        kind,
    };
    Ok(summary)
}

fn flow_type(kind: DatasetKind) -> &'static str {
    match kind {
        DatasetKind::StreamingTable => "APPEND",
        DatasetKind::MaterializedView => "MATERIALIZED_VIEW",
        DatasetKind::View => "VIEW",
    }
}

/// Run dataset `d`'s flow and stage its result.
pub(crate) fn execute(
    run: &mut Run<'_>,
    writer: &mut EventWriter<'_>,
    d: usize,
    planned: Planned,
    progress: &mut Option<super::ProgressCallback>,
) -> Result<FlowReport, PipelineError> {
    let def = &run.pipeline.datasets[d];
    let name = def.short_name().to_string();
    let key = run.key(d);
    let started = writer.now();
    let outcome = resolve_kind(def, &planned).and_then(|kind| {
        let schema = planned.df.schema();
        check_declared(def, &schema)?;
        let reads: Vec<String> = run.envs[d].reads.iter().map(|(u, s)| {
            let n = run.pipeline.datasets[*u].qualified.clone();
            if *s { format!("STREAM({n})") } else { n }
        }).collect();
        writer.emit(
            "dataset_definition",
            Level::Info,
            Some(&name),
            format!("Dataset '{name}' defined as {}.", kind.as_str()),
            json!({"dataset_definition": {"dataset_type": kind.as_str(), "num_flows": 1, "expectations": def.info.expectations.iter().map(|e| json!({"name": e.name, "constraint": e.sql, "action": e.action.as_str()})).collect::<Vec<_>>()}}),
            None,
        );
        writer.emit(
            "flow_definition",
            Level::Info,
            Some(&name),
            format!("Flow '{name}' is defined as {}.", flow_type(kind)),
            json!({"flow_definition": {
                "output_dataset": def.qualified,
                "input_datasets": reads,
                "flow_type": flow_type(kind),
                "schema": schema.iter().map(|(n, t)| json!({"name": n, "data_type": t.simple_string()})).collect::<Vec<_>>(),
            }}),
            None,
        );
        writer.flow_state(&name, "RUNNING", json!({}));
        let mut report = FlowReport {
            dataset: name.clone(),
            qualified: def.qualified.clone(),
            kind,
            status: FlowStatus::Running,
            rows_written: 0,
            rows_total: 0,
            files_read: run.progress[d].files.values().map(BTreeSet::len).sum(),
            strategy: None,
            reason: String::new(),
            expectations: Vec::new(),
            dropped: 0,
            failed_samples: Vec::new(),
            duration_micros: 0,
        };
        if let Some(callback) = progress.as_mut() {
            callback(&report);
        }
        match kind {
            DatasetKind::StreamingTable => streaming_table(run, d, &planned, &schema, &mut report)?,
            DatasetKind::MaterializedView => materialized_view(run, writer, d, &planned, &schema, &mut report)?,
            DatasetKind::View => view(run, d, &planned, &schema, &mut report)?,
        }
        Ok(report)
    });
    let mut report = match outcome {
        Ok(report) => report,
        Err(e) => {
            writer.flow_state(&name, "FAILED", json!({}));
            return Err(e);
        }
    };
    report.status = FlowStatus::Completed;
    report.duration_micros = writer.now() - started;
    let stored = run.staged.tables.get(&key);
    report.rows_total = match (&run.slots[d], stored) {
        (Slot::Done { table, .. }, _) => table.num_rows(),
        (_, Some(s)) => s.table.num_rows(),
        _ => 0,
    };
    let level_details = json!({
        "metrics": {"num_output_rows": report.rows_written, "num_files_read": report.files_read},
        "data_quality": {"dropped_records": report.dropped, "expectations": report.expectations},
        "duration_ms": report.duration_micros / 1000,
    });
    writer.flow_state(&name, "COMPLETED", level_details);
    if let Some(callback) = progress.as_mut() {
        callback(&report);
    }
    Ok(report)
}

fn stored_entry(run: &mut Run<'_>, d: usize, schema: &Columns, kind: DatasetKind) -> StoredTable {
    let key = run.key(d);
    run.staged
        .tables
        .get(&key)
        .cloned()
        .unwrap_or_else(|| StoredTable::empty(schema.clone(), kind, &run.pipeline.id))
}

fn merge_checkpoint(stored: &mut StoredTable, progress: &crate::state::Checkpoint) {
    for (path, files) in &progress.files {
        stored
            .checkpoint
            .files
            .entry(path.clone())
            .or_default()
            .extend(files.iter().cloned());
    }
    stored
        .checkpoint
        .offsets
        .extend(progress.offsets.iter().map(|(k, v)| (k.clone(), *v)));
    stored
        .checkpoint
        .schema_locations
        .extend(progress.schema_locations.iter().cloned());
}

pub(super) fn owned_by_other(run: &Run<'_>, d: usize) -> Result<(), PipelineError> {
    let def = &run.pipeline.datasets[d];
    if let Some(existing) = run.staged.tables.get(&run.key(d))
        && existing.pipeline_id != run.pipeline.id
    {
        return Err(invalid(
            def,
            format!(
                "table `{}` is managed by another pipeline (or target); give this one another schema",
                def.qualified
            ),
        ));
    }
    Ok(())
}

/// The flow's rows after its expectations, with the counts recorded in `report`.
fn collect_expected(
    run: &Run<'_>,
    def: &DatasetDef,
    planned: &Planned,
    schema: &Columns,
    report: &mut FlowReport,
) -> Result<Vec<RecordBatch>, PipelineError> {
    let batches = collect(run, def, planned)?;
    let applied = expectations::apply(
        &def.info.name,
        &def.info.expectations,
        schema,
        batches,
        &run.exec,
    )?;
    report.rows_written = applied.kept.iter().map(RecordBatch::num_rows).sum();
    report.expectations = applied.metrics;
    report.dropped = applied.dropped;
    report.failed_samples = applied.failed_samples;
    Ok(applied.kept)
}

fn streaming_table(
    run: &mut Run<'_>,
    d: usize,
    planned: &Planned,
    schema: &Columns,
    report: &mut FlowReport,
) -> Result<(), PipelineError> {
    let def = &run.pipeline.datasets[d];
    owned_by_other(run, d)?;
    let reads_static = run.envs[d].reads.iter().any(|(_, s)| !*s)
        || run.envs[d].file_reads.iter().any(|(_, s)| !*s);
    check_append_only(def, planned.df.plan(), reads_static)?;
    let kept = collect_expected(run, def, planned, schema, report)?;
    let mut stored = stored_entry(run, d, schema, DatasetKind::StreamingTable);
    let table = append(&stored.table, schema, kept).map_err(|e| {
        invalid(
            def,
            format!(
                "the rows of streaming table `{}` no longer fit it: {}; run a full refresh of `{}`",
                def.info.name,
                e.0,
                def.short_name()
            ),
        )
    })?;
    if report.rows_written > 0 || table.schema() != stored.table.schema() {
        stored.version += 1;
    }
    stored.table = Arc::new(table);
    stored.kind = DatasetKind::StreamingTable;
    stored.definition = definition(run, def);
    stored.comment = def.info.comment.clone();
    merge_checkpoint(&mut stored, &run.progress[d]);
    let table = stored.table.clone();
    run.staged.tables.insert(run.key(d), stored);
    run.slots[d] = Slot::Done {
        table,
        kind: DatasetKind::StreamingTable,
    };
    Ok(())
}

fn view(
    run: &mut Run<'_>,
    d: usize,
    planned: &Planned,
    schema: &Columns,
    report: &mut FlowReport,
) -> Result<(), PipelineError> {
    let def = &run.pipeline.datasets[d];
    let kept = collect_expected(run, def, planned, schema, report)?;
    let table = Arc::new(table_of(schema.clone(), kept).map_err(|e| execution_error(def, &e))?);
    // Views keep only their streaming checkpoint between updates.
    let mut stored = stored_entry(run, d, schema, DatasetKind::View);
    stored.table = super::tables::empty(schema.clone());
    stored.kind = DatasetKind::View;
    merge_checkpoint(&mut stored, &run.progress[d]);
    run.staged.tables.insert(run.key(d), stored);
    run.slots[d] = Slot::Done {
        table,
        kind: DatasetKind::View,
    };
    Ok(())
}
