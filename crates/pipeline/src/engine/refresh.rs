//! Materialized view refreshes: recompute only what changed when that provably gives the
//! same rows as a full recompute, else recompute everything; the event log records which
//! strategy ran and why.
//!
//! - `NO_OP`: no input changed since the last refresh (and the definition did not).
//! - `APPEND_ONLY`: a row-by-row query (projections, filters) over one input that only
//!   received appended rows: the new rows' results are appended.
//! - `GROUP_AGGREGATE`: `GROUP BY` over a row-by-row query of one input: the groups whose
//!   keys appear among the input's changed rows (appended, or added/removed for an input that
//!   was rewritten) are aggregated again from the full input; other groups are kept. Any
//!   deterministic aggregate qualifies, since an affected group is recomputed whole.
//! - `PARTITION_OVERWRITE`: a query (of one or more inputs) whose rows each depend only on the
//!   input rows sharing one key column's value, through Tempo's per-series operations, window
//!   partitions, group keys and set operations: the key values among the inputs' changed rows
//!   are recomputed from those keys' input rows; the rows of other keys are kept
//!   ([`super::partition`]).
//! - `COMPLETE_RECOMPUTE`: everything else (joins, sorts, limits, untracked inputs,
//!   non-deterministic functions, a changed definition, a full refresh).

use std::sync::Arc;

use arrow::array::RecordBatch;
use query::functions::Volatility;
use query::plan::aggregate::AggFunc;
use query::plan::expr::{ExprKind, TypedExpr};
use query::plan::{LogicalPlan, PlanNode, PlanSchema};
use query::{Catalog, DataFrame, ExecOptions, QueryError, Session, Table};

use super::partition::partition_overwrite;
use super::tables::{KeySet, table_of};
use crate::state::Columns;

/// How a materialized view was brought up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Nothing changed.
    NoOp,
    /// New rows' results appended.
    AppendOnly,
    /// Affected groups re-aggregated.
    GroupAggregate,
    /// The partitions (values of one key column) that received changed rows recomputed.
    PartitionOverwrite,
    /// Everything recomputed.
    CompleteRecompute,
}

impl Strategy {
    /// The event log's name (`COMPLETE_RECOMPUTE`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::NoOp => "NO_OP",
            Strategy::AppendOnly => "APPEND_ONLY",
            Strategy::GroupAggregate => "GROUP_AGGREGATE",
            Strategy::PartitionOverwrite => "PARTITION_OVERWRITE",
            Strategy::CompleteRecompute => "COMPLETE_RECOMPUTE",
        }
    }
}

/// How one input changed since the view's last refresh.
#[derive(Debug, Clone)]
pub enum Change {
    /// Same rows.
    Unchanged,
    /// Only rows appended (these).
    Appended(Table),
    /// Rewritten: rows added and rows removed.
    Replaced {
        /// Rows now present that were not.
        added: Table,
        /// Rows no longer present.
        removed: Table,
    },
    /// Unknown (a view, files, or no history).
    Unknown,
}

/// Everything a refresh decision needs.
pub struct RefreshInput<'a> {
    /// The view's query over the current full inputs.
    pub plan: &'a LogicalPlan,
    /// The view's current rows, if it has been computed before.
    pub old: Option<&'a Table>,
    /// Why a complete recompute is forced (full refresh, new definition), if it is.
    pub forced: Option<String>,
    /// The inputs read, with their scan names and changes.
    pub inputs: Vec<(String, Change)>,
    /// Whether the view also reads files or views (no change tracking).
    pub untracked_inputs: bool,
    /// Execution options.
    pub options: &'a ExecOptions,
}

/// The result of a refresh: rows kept from before, rows computed now (expectations apply to
/// these), the strategy and the reason.
pub struct Refreshed {
    /// Old rows kept as they were.
    pub kept: Vec<RecordBatch>,
    /// Rows computed in this update.
    pub computed: Vec<RecordBatch>,
    /// The strategy that ran.
    pub strategy: Strategy,
    /// Why.
    pub reason: String,
}

pub(super) fn run(
    plan: LogicalPlan,
    options: &ExecOptions,
) -> Result<Vec<RecordBatch>, QueryError> {
    let session = Session::new(Catalog::new()).with_options(options.clone());
    Ok(session.collect(&DataFrame::from_plan(plan))?.batches)
}

/// Bring a materialized view up to date.
pub fn refresh(input: &RefreshInput<'_>) -> Result<Refreshed, QueryError> {
    let complete = |reason: String| -> Result<Refreshed, QueryError> {
        Ok(Refreshed {
            kept: Vec::new(),
            computed: run(input.plan.clone(), input.options)?,
            strategy: Strategy::CompleteRecompute,
            reason,
        })
    };
    if let Some(reason) = &input.forced {
        return complete(reason.clone());
    }
    let Some(old) = input.old else {
        return complete("first refresh".into());
    };
    if !input.untracked_inputs
        && input
            .inputs
            .iter()
            .all(|(_, c)| matches!(c, Change::Unchanged))
    {
        return Ok(Refreshed {
            kept: old.batches().to_vec(),
            computed: Vec::new(),
            strategy: Strategy::NoOp,
            reason: "no input changed since the last refresh".into(),
        });
    }
    if input.untracked_inputs {
        return complete("reads files or a temporary view, whose changes are not tracked".into());
    }
    if nondeterministic(input.plan) {
        return complete("uses a non-deterministic function (current_timestamp, rand, …)".into());
    }
    let by_partition = || partition_overwrite(input.plan, old, &input.inputs, input.options);
    if input.inputs.len() != 1 {
        return match by_partition()? {
            Ok(refreshed) => Ok(refreshed),
            Err(why) => complete(format!("reads {} datasets and {why}", input.inputs.len())),
        };
    }
    let (scan_name, change) = &input.inputs[0];
    if let Some(shape) = row_wise(input.plan) {
        if shape.scan_name.eq_ignore_ascii_case(scan_name)
            && let Change::Appended(rows) = change
        {
            let computed = run(replace_scan(input.plan, rows)?, input.options)?;
            let reason = format!(
                "row-by-row query over `{scan_name}`, which only received {} new row(s)",
                rows.num_rows()
            );
            return Ok(Refreshed {
                kept: old.batches().to_vec(),
                computed,
                strategy: Strategy::AppendOnly,
                reason,
            });
        }
        return complete(format!("`{scan_name}` was rewritten, not appended to"));
    }
    let not_grouped = match group_aggregate(input.plan, old, scan_name, change, input.options)? {
        Ok(refreshed) => return Ok(refreshed),
        Err(reason) => reason,
    };
    match by_partition()? {
        Ok(refreshed) => Ok(refreshed),
        Err(why) => complete(format!("{not_grouped}; {why}")),
    }
}

/// The single scan under a chain of projections and filters, if the plan is one.
struct RowWise {
    scan_name: String,
}

fn row_wise(plan: &LogicalPlan) -> Option<RowWise> {
    match &plan.node {
        PlanNode::Project { input, exprs } if exprs.iter().all(|e| !has_subquery(e)) => {
            row_wise(input)
        }
        PlanNode::Filter { input, predicate } if !has_subquery(predicate) => row_wise(input),
        PlanNode::Alias { input } => row_wise(input),
        PlanNode::Scan { name, .. } => Some(RowWise {
            scan_name: name.clone(),
        }),
        _ => None,
    }
}

/// A subquery or a correlated reference: rows no longer depend on their own input row only.
pub(super) fn has_subquery(e: &TypedExpr) -> bool {
    e.has_subquery() || e.is_correlated()
}

/// Whether a later run over the same input could give other rows: any call that is not
/// immutable, in any node or subquery (`current_timestamp` changes between updates, `rand`
/// between calls), so old rows cannot be kept.
fn nondeterministic(plan: &LogicalPlan) -> bool {
    plan.volatility() != Volatility::Immutable
}

/// `plan` with its single scan reading `table` instead.
fn replace_scan(plan: &LogicalPlan, table: &Table) -> Result<LogicalPlan, QueryError> {
    let node = match &plan.node {
        PlanNode::Scan {
            name, projection, ..
        } => PlanNode::Scan {
            name: name.clone(),
            table: Arc::new(table.clone()),
            projection: projection.clone(),
        },
        PlanNode::Project { input, exprs } => PlanNode::Project {
            input: Arc::new(replace_scan(input, table)?),
            exprs: exprs.clone(),
        },
        PlanNode::Filter { input, predicate } => PlanNode::Filter {
            input: Arc::new(replace_scan(input, table)?),
            predicate: predicate.clone(),
        },
        PlanNode::Alias { input } => PlanNode::Alias {
            input: Arc::new(replace_scan(input, table)?),
        },
        PlanNode::Aggregate {
            input,
            group,
            aggs,
            grouping_sets,
        } => PlanNode::Aggregate {
            input: Arc::new(replace_scan(input, table)?),
            group: group.clone(),
            aggs: aggs.clone(),
            grouping_sets: grouping_sets.clone(),
        },
        _ => {
            return Err(QueryError::Internal(
                "replace_scan reached a node that is not row-by-row".into(),
            ));
        }
    };
    Ok(LogicalPlan {
        node,
        schema: plan.schema.clone(),
    })
}

fn column(i: usize, field: &query::plan::PlanField) -> TypedExpr {
    TypedExpr {
        kind: ExprKind::Column(i),
        data_type: field.data_type.clone(),
        nullable: true,
    }
}

fn scan(
    name: &str,
    schema: &PlanSchema,
    batches: Vec<RecordBatch>,
) -> Result<LogicalPlan, QueryError> {
    let table = table_of(schema.columns(), batches)?;
    Ok(LogicalPlan {
        node: PlanNode::Scan {
            name: name.to_string(),
            table: Arc::new(table),
            projection: None,
        },
        schema: Arc::new(schema.clone()),
    })
}

/// Aggregates whose value for a group depends only on the group's rows, not their order.
fn deterministic(func: AggFunc) -> bool {
    !matches!(
        func,
        AggFunc::First
            | AggFunc::Last
            | AggFunc::AnyValue
            | AggFunc::CollectList
            | AggFunc::CollectSet
            | AggFunc::PercentileApprox
            | AggFunc::MaxBy
            | AggFunc::MinBy
    )
}

type Attempt = Result<Refreshed, String>;

fn group_aggregate(
    plan: &LogicalPlan,
    old: &Table,
    scan_name: &str,
    change: &Change,
    options: &ExecOptions,
) -> Result<Attempt, QueryError> {
    // Output column j = aggregate column top[j] (a pure projection), or the aggregate itself.
    let (top, agg_plan) = match &plan.node {
        PlanNode::Project { input, exprs } if matches!(input.node, PlanNode::Aggregate { .. }) => {
            let mut map = Vec::new();
            for e in exprs {
                match e.kind {
                    ExprKind::Column(i) => map.push(i),
                    _ => return Ok(Err("the result computes over the aggregates (only a plain GROUP BY is refreshed per group)".into())),
                }
            }
            (Some(map), &**input)
        }
        PlanNode::Aggregate { .. } => (None, plan),
        _ => {
            return Ok(Err(
                "the query is not a row-by-row query or a GROUP BY over one input".into(),
            ));
        }
    };
    let PlanNode::Aggregate {
        input: chain,
        group,
        aggs,
        grouping_sets,
    } = &agg_plan.node
    else {
        unreachable!("matched an aggregate")
    };
    if grouping_sets.is_some() || group.is_empty() {
        return Ok(Err("GROUPING SETS or a global aggregate".into()));
    }
    if let Some(bad) = aggs.iter().find(|a| !deterministic(a.func)) {
        return Ok(Err(format!(
            "aggregate {:?} depends on row order",
            bad.func
        )));
    }
    let Some(shape) = row_wise(chain) else {
        return Ok(Err(
            "the grouped input is not a row-by-row query of one dataset".into(),
        ));
    };
    if !shape.scan_name.eq_ignore_ascii_case(scan_name) {
        return Ok(Err("the grouped input is not the dataset read".into()));
    }
    let g = group.len();
    // Where each group key sits in the view's output.
    let key_positions: Vec<usize> = match &top {
        None => (0..g).collect(),
        Some(map) => {
            let mut positions = Vec::new();
            for k in 0..g {
                match map.iter().position(|&i| i == k) {
                    Some(j) => positions.push(j),
                    None => return Ok(Err("a group key is not in the view's output".into())),
                }
            }
            positions
        }
    };
    let changed = match change {
        Change::Appended(rows) => rows.clone(),
        Change::Replaced { added, removed } => {
            let mut batches = added.batches().to_vec();
            batches.extend(removed.batches().iter().cloned());
            Table::new(added.schema().clone(), batches)?
        }
        Change::Unchanged | Change::Unknown => {
            return Ok(Err("the input's changes are not known".into()));
        }
    };
    // 1. Keys of the groups the changed rows fall into.
    let affected_groups = run(replace_scan(agg_plan, &changed)?, options)?;
    let key_types: Vec<_> = agg_plan.schema.fields[..g]
        .iter()
        .map(|f| f.data_type.clone())
        .collect();
    let key_columns: Vec<Vec<arrow::array::ArrayRef>> = affected_groups
        .iter()
        .map(|b| b.columns()[..g].to_vec())
        .collect();
    let affected = KeySet::new(&key_types, &key_columns)?;
    // 2. The full input's rows of those groups: keys first, then the input columns.
    let mut exprs = group.clone();
    exprs.extend(
        chain
            .schema
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| column(i, f)),
    );
    let mut fields = agg_plan.schema.fields[..g].to_vec();
    fields.extend(chain.schema.fields.iter().cloned());
    let keyed = LogicalPlan {
        node: PlanNode::Project {
            input: chain.clone(),
            exprs,
        },
        schema: Arc::new(PlanSchema::new(fields)),
    };
    let key_idx: Vec<usize> = (0..g).collect();
    let mut rows = Vec::new();
    for batch in run(keyed, options)? {
        let inside = affected.filter(&batch, &key_idx, true)?;
        let columns = inside.columns()[g..].to_vec();
        let options =
            arrow::array::RecordBatchOptions::new().with_row_count(Some(inside.num_rows()));
        rows.push(RecordBatch::try_new_with_options(
            chain.schema.arrow(),
            columns,
            &options,
        )?);
    }
    // 3. Aggregate them again, then the view's projection.
    let regrouped = LogicalPlan {
        node: PlanNode::Aggregate {
            input: Arc::new(scan(scan_name, &chain.schema, rows)?),
            group: group.clone(),
            aggs: aggs.clone(),
            grouping_sets: None,
        },
        schema: agg_plan.schema.clone(),
    };
    let mut computed = run(regrouped, options)?;
    if let (PlanNode::Project { exprs, .. }, Some(_)) = (&plan.node, &top) {
        let projected = LogicalPlan {
            node: PlanNode::Project {
                input: Arc::new(scan("groups", &agg_plan.schema, computed)?),
                exprs: exprs.clone(),
            },
            schema: plan.schema.clone(),
        };
        computed = run(projected, options)?;
    }
    // 4. Keep the other groups as they were.
    let old_schema: Columns = old.schema().clone();
    if old_schema != plan.schema.columns() {
        return Ok(Err("the view's columns changed".into()));
    }
    let mut kept = Vec::new();
    for batch in old.batches() {
        kept.push(affected.filter(batch, &key_positions, false)?);
    }
    let reason = format!(
        "GROUP BY over `{scan_name}`: {} group(s) received changed rows and were aggregated again",
        affected.len()
    );
    Ok(Ok(Refreshed {
        kept,
        computed,
        strategy: Strategy::GroupAggregate,
        reason,
    }))
}
