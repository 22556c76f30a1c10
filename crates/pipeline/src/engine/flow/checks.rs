//! What a flow checks before it runs: the dataset's kind given its query, append-only
//! streaming queries, declared columns, and the definition's fingerprint.

use query::plan::{LogicalPlan, PlanNode};

use super::super::Run;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::PipelineError;
use crate::pipeline::{DatasetDef, DatasetSource};
use crate::planner::Planned;
use crate::sources::decl::DatasetKind;
use crate::state::Columns;

pub(super) fn invalid(def: &DatasetDef, message: String) -> PipelineError {
    PipelineError::Invalid(Diagnostics(vec![Diagnostic::error(
        Some(def.info.location.clone()),
        message,
    )]))
}

/// The dataset's kind given what its query reads.
pub(super) fn resolve_kind(
    def: &DatasetDef,
    planned: &Planned,
) -> Result<DatasetKind, PipelineError> {
    let name = &def.info.name;
    if def.kind_from_query {
        return Ok(if planned.streaming {
            DatasetKind::StreamingTable
        } else {
            DatasetKind::MaterializedView
        });
    }
    match def.info.kind {
        DatasetKind::StreamingTable if !planned.streaming => Err(invalid(
            def,
            format!(
                "streaming table `{name}` must read a stream: use STREAM(table) / STREAM read_files(...) in SQL, spark.readStream in Python (or make it a materialized view)"
            ),
        )),
        DatasetKind::MaterializedView if planned.streaming => Err(invalid(
            def,
            format!(
                "materialized view `{name}` reads a stream: a materialized view reads its inputs in full (remove STREAM / use spark.read), or make it a streaming table"
            ),
        )),
        kind => Ok(kind),
    }
}

/// Streaming tables append what their query produces from new input rows: queries whose
/// result depends on rows of earlier updates (aggregations, sorting, windows) need a
/// materialized view.
pub(super) fn check_append_only(
    def: &DatasetDef,
    plan: &LogicalPlan,
    reads_static: bool,
) -> Result<(), PipelineError> {
    fn find(plan: &LogicalPlan) -> Option<&'static str> {
        let here = match &plan.node {
            PlanNode::Aggregate { .. } => Some("an aggregation"),
            PlanNode::Window { .. } => Some("a window function"),
            PlanNode::Distinct { .. } => Some("DISTINCT"),
            PlanNode::Sort { .. } => Some("ORDER BY"),
            PlanNode::Limit { .. } => Some("LIMIT"),
            _ => None,
        };
        here.or_else(|| plan.children().into_iter().find_map(|c| find(c)))
    }
    if reads_static {
        return Ok(());
    }
    match find(plan) {
        Some(what) => Err(invalid(
            def,
            format!(
                "streaming table `{}` uses {what}, which would only see each update's new rows: compute it in a materialized view that reads the streaming table",
                def.info.name
            ),
        )),
        None => Ok(()),
    }
}

pub(super) fn check_declared(def: &DatasetDef, schema: &Columns) -> Result<(), PipelineError> {
    let mut errors = Diagnostics::new();
    for column in &def.info.columns {
        let Ok(declared) = query::types::parse_type_name(&column.type_name) else {
            errors.error(
                Some(column.location.clone()),
                format!(
                    "unknown type `{}` for column `{}`",
                    column.type_name, column.name
                ),
            );
            continue;
        };
        match schema.iter().find(|(n, _)| n.eq_ignore_ascii_case(&column.name)) {
            None => errors.error(Some(column.location.clone()), format!("column `{}` is declared but the query does not produce it", column.name)),
            Some((_, actual)) if *actual != declared => errors.error(
                Some(column.location.clone()),
                format!("column `{}` is declared {declared} but the query produces {actual}; CAST it in the query", column.name),
            ),
            Some(_) => {}
        }
    }
    if errors.has_errors() {
        Err(PipelineError::Invalid(errors))
    } else {
        Ok(())
    }
}

/// Fingerprint of a dataset's definition (its query text and expectations).
pub(super) fn definition(run: &Run<'_>, def: &DatasetDef) -> u64 {
    let text = match &def.source {
        DatasetSource::Sql(fragment) => fragment.text.clone(),
        DatasetSource::Python { module, .. } => run.pipeline.modules[*module].text.clone(),
    };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let expectations: String = def
        .info
        .expectations
        .iter()
        .map(|e| format!("{}|{}|{}", e.name, e.sql, e.action.as_str()))
        .collect();
    for b in text
        .bytes()
        .chain(def.info.name.bytes())
        .chain(expectations.bytes())
    {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}
