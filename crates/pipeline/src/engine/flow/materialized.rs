//! A materialized view's flow: decide how each input changed since the last refresh, refresh
//! (incrementally where that is exact), apply expectations, and record the strategy.

use std::sync::Arc;

use arrow::array::RecordBatch;
use query::Table;
use serde_json::json;

use super::super::events::EventWriter;
use super::super::expectations;
use super::super::refresh::{self, Change, RefreshInput, Strategy};
use super::super::tables::{diff, rows_from, table_of};
use super::super::{FlowReport, Run, Slot};
use super::checks::definition;
use super::{execution_error, owned_by_other};
use crate::error::PipelineError;
use crate::event_log::Level;
use crate::planner::Planned;
use crate::sources::decl::DatasetKind;
use crate::state::{Columns, StoredTable};

pub(super) fn materialized_view(
    run: &mut Run<'_>,
    writer: &mut EventWriter<'_>,
    d: usize,
    planned: &Planned,
    schema: &Columns,
    report: &mut FlowReport,
) -> Result<(), PipelineError> {
    let def = &run.pipeline.datasets[d];
    owned_by_other(run, d)?;
    let key = run.key(d);
    let fingerprint = definition(run, def);
    let previous = run.staged.tables.get(&key).cloned();
    let forced = if run.refreshed.contains(&d) {
        Some("full refresh requested".to_string())
    } else if previous
        .as_ref()
        .is_some_and(|p| p.definition != fingerprint)
    {
        Some("the definition changed since the last refresh".to_string())
    } else if previous
        .as_ref()
        .is_some_and(|p| p.table.schema() != schema)
    {
        Some("the output columns changed".to_string())
    } else {
        None
    };
    let mut inputs = Vec::new();
    let mut untracked = !run.envs[d].file_reads.is_empty();
    for &(u, _) in &run.envs[d].reads {
        let up_key = run.key(u);
        let up_name = run.pipeline.datasets[u].short_name().to_string();
        let Some(stored) = run
            .staged
            .tables
            .get(&up_key)
            .filter(|t| t.kind != DatasetKind::View)
        else {
            untracked = true;
            continue;
        };
        let now = stored.seen();
        let change = match previous.as_ref().and_then(|p| p.inputs_seen.get(&up_key)) {
            Some(seen) if *seen == now => Change::Unchanged,
            Some(seen)
                if seen.generation == now.generation
                    && stored.kind == DatasetKind::StreamingTable
                    && seen.rows <= now.rows =>
            {
                Change::Appended(rows_from(&stored.table, seen.rows))
            }
            Some(seen) => match run.start.tables.get(&up_key).filter(|t| t.seen() == *seen) {
                Some(before) => {
                    let (added, removed) =
                        diff(&before.table, &stored.table).map_err(|e| execution_error(def, &e))?;
                    Change::Replaced { added, removed }
                }
                None => Change::Unknown,
            },
            None => Change::Unknown,
        };
        inputs.push((up_name, change));
    }
    let old_table = previous.as_ref().map(|p| p.table.clone());
    let input = RefreshInput {
        plan: planned.df.plan(),
        old: old_table.as_deref(),
        forced,
        inputs,
        untracked_inputs: untracked,
        options: &run.exec,
    };
    let refreshed = refresh::refresh(&input).map_err(|e| execution_error(def, &e))?;
    let applied = expectations::apply(
        &def.info.name,
        &def.info.expectations,
        schema,
        refreshed.computed,
        &run.exec,
    )?;
    let computed = applied.kept;
    report.rows_written = computed.iter().map(RecordBatch::num_rows).sum();
    report.expectations = applied.metrics;
    report.dropped = applied.dropped;
    report.failed_samples = applied.failed_samples;
    report.strategy = Some(refreshed.strategy);
    report.reason = refreshed.reason.clone();
    writer.emit(
        "planning_information",
        Level::Info,
        Some(def.short_name()),
        format!(
            "Flow '{}' has been planned to be refreshed with {}: {}.",
            def.short_name(),
            refreshed.strategy.as_str(),
            refreshed.reason
        ),
        json!({"planning_information": {"technique_information": [{
            "maintenance_type": format!("MAINTENANCE_TYPE_{}", refreshed.strategy.as_str()),
            "is_chosen": true,
            "is_applicable": true,
            "reason": refreshed.reason,
        }]}}),
        None,
    );
    let mut stored = previous.unwrap_or_else(|| {
        StoredTable::empty(
            schema.clone(),
            DatasetKind::MaterializedView,
            &run.pipeline.id,
        )
    });
    if refreshed.strategy != Strategy::NoOp {
        let mut batches = refreshed.kept;
        batches.extend(computed);
        stored.table =
            Arc::new(table_of(schema.clone(), batches).map_err(|e| execution_error(def, &e))?);
        stored.version += 1;
    }
    stored.kind = DatasetKind::MaterializedView;
    stored.definition = fingerprint;
    stored.comment = def.info.comment.clone();
    stored.last_strategy = Some(refreshed.strategy.as_str().to_string());
    stored.inputs_seen = run.envs[d]
        .reads
        .iter()
        .filter_map(|(u, _)| {
            let k = run.key(*u);
            run.staged.tables.get(&k).map(|t| (k, t.seen()))
        })
        .collect();
    let table: Arc<Table> = stored.table.clone();
    run.staged.tables.insert(key, stored);
    run.slots[d] = Slot::Done {
        table,
        kind: DatasetKind::MaterializedView,
    };
    Ok(())
}
