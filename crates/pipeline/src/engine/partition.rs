//! `PARTITION_OVERWRITE`: a view whose every row depends only on the input rows that share
//! its value of one key column (`device_id` through Tempo's per-series operations, a window
//! `PARTITION BY`, a `GROUP BY` key, a `UNION`) is recomputed only for the key values that
//! appear among its inputs' changed rows; the rows of the other keys are kept.
//!
//! The key is followed from the view's output down to each scan of an input through plain
//! column references only, and every operation on the way must keep rows of different key
//! values apart. Anything else (joins, sorts, limits, computed keys, floating-point keys whose
//! `-0.0`/`NaN` grouping differs from byte equality) is not partitioned and falls back.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch};
use query::plan::expr::{ExprKind, TypedExpr};
use query::plan::{LogicalPlan, PlanNode};
use query::{ExecOptions, QueryError, SparkType, Table};

use super::refresh::{Change, Refreshed, Strategy, has_subquery, run};
use super::tables::KeySet;
use crate::tempo_node::{TempoOp, as_tempo};

/// A scan the key reaches: the scan node (by address, for the rewrite), the input it reads
/// and the key's column in its table.
struct KeyedScan {
    node: *const LogicalPlan,
    name: String,
    column: usize,
    data_type: SparkType,
}

fn column_ref(e: &TypedExpr) -> Option<usize> {
    match e.kind {
        ExprKind::Column(i) => Some(i),
        _ => None,
    }
}

/// Whether `plan`'s output column `c` partitions it; collects the scans it comes from.
fn follow(plan: &LogicalPlan, c: usize, scans: &mut Vec<KeyedScan>) -> bool {
    match &plan.node {
        PlanNode::Scan {
            name,
            table,
            projection,
        } => {
            let column = projection.as_ref().map_or(Some(c), |p| p.get(c).copied());
            let Some((column, (_, data_type))) =
                column.and_then(|col| table.schema().get(col).map(|f| (col, f)))
            else {
                return false;
            };
            scans.push(KeyedScan {
                node: plan as *const LogicalPlan,
                name: name.clone(),
                column,
                data_type: data_type.clone(),
            });
            true
        }
        PlanNode::Project { input, exprs } => {
            !exprs.iter().any(has_subquery)
                && exprs
                    .get(c)
                    .and_then(column_ref)
                    .is_some_and(|i| follow(input, i, scans))
        }
        PlanNode::Filter { input, predicate } => {
            !has_subquery(predicate) && follow(input, c, scans)
        }
        PlanNode::Alias { input } | PlanNode::Distinct { input } => follow(input, c, scans),
        PlanNode::Aggregate {
            input,
            group,
            grouping_sets: None,
            ..
        } => group
            .get(c)
            .and_then(column_ref)
            .is_some_and(|i| follow(input, i, scans)),
        PlanNode::Window { input, calls } => {
            c < input.schema.fields.len()
                && calls
                    .iter()
                    .all(|call| call.partition_by.iter().any(|p| column_ref(p) == Some(c)))
                && follow(input, c, scans)
        }
        PlanNode::SetOp { left, right, .. } => follow(left, c, scans) && follow(right, c, scans),
        PlanNode::Extension { node, inputs } => {
            let Some(tempo) = as_tempo(node) else {
                return false;
            };
            // Tempo's per-series operations: each series (and, for the as-of join, each left
            // series with the right rows of the same left partition values) is computed alone.
            let per_series = matches!(
                tempo.op,
                TempoOp::Ema { .. } | TempoOp::Resample { .. } | TempoOp::AsofJoin(_)
            );
            let name = &plan.schema.fields[c].name;
            per_series
                && inputs.len() == tempo.inputs.len()
                && inputs.iter().zip(&tempo.inputs).all(|(input, meta)| {
                    let in_series = meta
                        .partition_cols
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(name));
                    let mut matching = input
                        .schema
                        .fields
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| f.name.eq_ignore_ascii_case(name));
                    match (matching.next(), matching.next()) {
                        (Some((i, _)), None) => in_series && follow(input, i, scans),
                        _ => false,
                    }
                })
        }
        _ => false,
    }
}

/// `plan` with each keyed scan reading only its rows whose key is in `keys`.
fn restrict(
    plan: &LogicalPlan,
    scans: &HashMap<*const LogicalPlan, usize>,
    keys: &KeySet,
) -> Result<LogicalPlan, QueryError> {
    let again = |p: &Arc<LogicalPlan>| restrict(p, scans, keys).map(Arc::new);
    let node = match &plan.node {
        PlanNode::Scan {
            name,
            table,
            projection,
        } => {
            let Some(&column) = scans.get(&(plan as *const LogicalPlan)) else {
                return Err(QueryError::Internal(
                    "an unkeyed scan in a partitioned plan".into(),
                ));
            };
            let batches = table
                .batches()
                .iter()
                .map(|b| keys.filter(b, &[column], true))
                .collect::<Result<Vec<_>, _>>()?;
            PlanNode::Scan {
                name: name.clone(),
                table: Arc::new(Table::new(table.schema().clone(), batches)?),
                projection: projection.clone(),
            }
        }
        PlanNode::Project { input, exprs } => PlanNode::Project {
            input: again(input)?,
            exprs: exprs.clone(),
        },
        PlanNode::Filter { input, predicate } => PlanNode::Filter {
            input: again(input)?,
            predicate: predicate.clone(),
        },
        PlanNode::Alias { input } => PlanNode::Alias {
            input: again(input)?,
        },
        PlanNode::Distinct { input } => PlanNode::Distinct {
            input: again(input)?,
        },
        PlanNode::Aggregate {
            input,
            group,
            aggs,
            grouping_sets,
        } => PlanNode::Aggregate {
            input: again(input)?,
            group: group.clone(),
            aggs: aggs.clone(),
            grouping_sets: grouping_sets.clone(),
        },
        PlanNode::Window { input, calls } => PlanNode::Window {
            input: again(input)?,
            calls: calls.clone(),
        },
        PlanNode::SetOp {
            left,
            right,
            op,
            all,
        } => PlanNode::SetOp {
            left: again(left)?,
            right: again(right)?,
            op: *op,
            all: *all,
        },
        PlanNode::Extension { node, inputs } => PlanNode::Extension {
            node: node.clone(),
            inputs: inputs.iter().map(again).collect::<Result<_, _>>()?,
        },
        _ => {
            return Err(QueryError::Internal(
                "restrict reached a node that does not keep partitions apart".into(),
            ));
        }
    };
    Ok(LogicalPlan {
        node,
        schema: plan.schema.clone(),
    })
}

/// Rows whose keys changed: appended rows, or the added and removed rows of a rewrite.
fn changed_rows(change: &Change) -> Option<Vec<&RecordBatch>> {
    match change {
        Change::Unchanged => Some(Vec::new()),
        Change::Appended(rows) => Some(rows.batches().iter().collect()),
        Change::Replaced { added, removed } => {
            Some(added.batches().iter().chain(removed.batches()).collect())
        }
        Change::Unknown => None,
    }
}

/// Refresh by overwriting the partitions of the first output column that partitions the view,
/// or say why no column does.
pub(super) fn partition_overwrite(
    plan: &LogicalPlan,
    old: &Table,
    inputs: &[(String, Change)],
    options: &ExecOptions,
) -> Result<Result<Refreshed, String>, QueryError> {
    if inputs.iter().any(|(_, c)| changed_rows(c).is_none()) {
        return Ok(Err("an input's changes are not known".into()));
    }
    if old.schema() != &plan.schema.columns() {
        return Ok(Err("the view's columns changed".into()));
    }
    let found = (0..plan.schema.fields.len()).find_map(|c| {
        let data_type = &plan.schema.fields[c].data_type;
        if data_type.is_floating() || !is_simple_key(data_type) {
            return None;
        }
        let mut scans = Vec::new();
        let keyed = follow(plan, c, &mut scans)
            && scans.iter().all(|s| {
                s.data_type == *data_type
                    && inputs
                        .iter()
                        .any(|(name, _)| name.eq_ignore_ascii_case(&s.name))
            });
        keyed.then_some((c, scans))
    });
    let Some((c, scans)) = found else {
        return Ok(Err(
            "no output column keeps the rows of different key values apart through the whole query"
                .into(),
        ));
    };
    let key_type = plan.schema.fields[c].data_type.clone();
    // Key values among each input's changed rows, read at the key column of its scans.
    let mut changed_keys: Vec<Vec<ArrayRef>> = Vec::new();
    for (name, change) in inputs {
        let rows = changed_rows(change).unwrap_or_default();
        for scan in scans.iter().filter(|s| s.name.eq_ignore_ascii_case(name)) {
            for batch in &rows {
                // A rewrite that changed the input's columns diffs whole tables of both shapes.
                match batch.columns().get(scan.column) {
                    Some(keys) if keys.data_type() == &key_type.to_arrow() => {
                        changed_keys.push(vec![keys.clone()]);
                    }
                    _ => return Ok(Err(format!("the columns of `{name}` changed"))),
                }
            }
        }
    }
    let affected = KeySet::new(std::slice::from_ref(&key_type), &changed_keys)?;
    let by_node: HashMap<*const LogicalPlan, usize> =
        scans.iter().map(|s| (s.node, s.column)).collect();
    let computed = run(restrict(plan, &by_node, &affected)?, options)?;
    let kept = old
        .batches()
        .iter()
        .map(|b| affected.filter(b, &[c], false))
        .collect::<Result<Vec<_>, _>>()?;
    let key = &plan.schema.fields[c].name;
    Ok(Ok(Refreshed {
        kept,
        computed,
        strategy: Strategy::PartitionOverwrite,
        reason: format!(
            "every row depends only on the input rows of its `{key}`: {} `{key}` value(s) received changed rows and were recomputed",
            affected.len()
        ),
    }))
}

/// Key types whose equality in grouping, partitioning and set operations is byte equality.
fn is_simple_key(t: &SparkType) -> bool {
    matches!(
        t,
        SparkType::Boolean
            | SparkType::Byte
            | SparkType::Short
            | SparkType::Int
            | SparkType::Long
            | SparkType::String
            | SparkType::Date
            | SparkType::Timestamp
            | SparkType::TimestampNtz
    )
}
