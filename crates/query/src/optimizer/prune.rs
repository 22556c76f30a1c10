//! Column pruning: a projection over filters over a scan reads only the columns it uses, so
//! filters copy fewer columns. Plans whose expressions hold subqueries are left alone (their
//! correlated references name columns by position).

use std::sync::Arc;

use crate::plan::expr::TypedExpr;
use crate::plan::{LogicalPlan, PlanNode, PlanSchema};

/// Prune under every projection of the plan.
pub(crate) fn prune_columns(plan: LogicalPlan) -> LogicalPlan {
    let LogicalPlan { node, schema } = plan;
    match node {
        PlanNode::Project { input, exprs } if !exprs.iter().any(TypedExpr::has_subquery) => {
            let input = prune_columns((*input).clone());
            let mut used: Vec<usize> = exprs.iter().flat_map(TypedExpr::columns).collect();
            used.sort_unstable();
            used.dedup();
            match narrow(&input, &used) {
                Some((narrowed, kept)) => {
                    let map = old_to_new(&kept, input.schema.len());
                    let exprs = exprs
                        .into_iter()
                        .map(|e| e.remap_columns(&|i| map[i]))
                        .collect();
                    LogicalPlan {
                        node: PlanNode::Project {
                            input: Arc::new(narrowed),
                            exprs,
                        },
                        schema,
                    }
                }
                None => LogicalPlan {
                    node: PlanNode::Project {
                        input: Arc::new(input),
                        exprs,
                    },
                    schema,
                },
            }
        }
        PlanNode::Aggregate {
            input,
            group,
            mut aggs,
            grouping_sets,
        } if !group.iter().any(TypedExpr::has_subquery)
            && !aggs
                .iter()
                .any(|a| a.args.iter().chain(&a.filter).any(TypedExpr::has_subquery)) =>
        {
            let input = prune_columns((*input).clone());
            let mut used: Vec<usize> = group.iter().flat_map(TypedExpr::columns).collect();
            for a in &aggs {
                used.extend(a.args.iter().chain(&a.filter).flat_map(TypedExpr::columns));
            }
            used.sort_unstable();
            used.dedup();
            match narrow(&input, &used) {
                Some((narrowed, kept)) => {
                    let map = old_to_new(&kept, input.schema.len());
                    let remap = |e: TypedExpr| e.remap_columns(&|i| map[i]);
                    let group = group.into_iter().map(remap).collect();
                    for a in &mut aggs {
                        a.args = std::mem::take(&mut a.args).into_iter().map(remap).collect();
                        a.filter = a.filter.take().map(remap);
                    }
                    let node = PlanNode::Aggregate {
                        input: Arc::new(narrowed),
                        group,
                        aggs,
                        grouping_sets,
                    };
                    LogicalPlan { node, schema }
                }
                None => LogicalPlan {
                    node: PlanNode::Aggregate {
                        input: Arc::new(input),
                        group,
                        aggs,
                        grouping_sets,
                    },
                    schema,
                },
            }
        }
        other => {
            let plan = LogicalPlan {
                node: other,
                schema,
            };
            rebuild_children(plan)
        }
    }
}

fn rebuild_children(plan: LogicalPlan) -> LogicalPlan {
    plan.map_children(&|p| Arc::new(prune_columns((**p).clone())))
}

/// Where each kept old column ended up (`usize::MAX` for dropped ones).
fn old_to_new(kept: &[usize], width: usize) -> Vec<usize> {
    let mut map = vec![usize::MAX; width];
    for (new, &old) in kept.iter().enumerate() {
        map[old] = new;
    }
    map
}

/// A version of `plan` whose output holds only the `needed` columns (and what its own
/// filters read), with the old index of each output column; `None` when the plan cannot be
/// narrowed.
fn narrow(plan: &LogicalPlan, needed: &[usize]) -> Option<(LogicalPlan, Vec<usize>)> {
    match &plan.node {
        PlanNode::Scan {
            name,
            table,
            projection,
        } => {
            if needed.len() == plan.schema.len() {
                return None;
            }
            let base: Vec<usize> = projection
                .clone()
                .unwrap_or_else(|| (0..plan.schema.len()).collect());
            let schema = PlanSchema::new(
                needed
                    .iter()
                    .map(|&i| plan.schema.fields[i].clone())
                    .collect(),
            );
            let node = PlanNode::Scan {
                name: name.clone(),
                table: table.clone(),
                projection: Some(needed.iter().map(|&i| base[i]).collect()),
            };
            Some((LogicalPlan::new(node, schema), needed.to_vec()))
        }
        PlanNode::Filter { input, predicate } if !predicate.has_subquery() => {
            let mut all: Vec<usize> = needed.to_vec();
            all.extend(predicate.columns());
            all.sort_unstable();
            all.dedup();
            let (child, kept) = narrow(input, &all)?;
            let map = old_to_new(&kept, plan.schema.len());
            let predicate = predicate.clone().remap_columns(&|i| map[i]);
            let schema = (*child.schema).clone();
            Some((
                LogicalPlan::new(
                    PlanNode::Filter {
                        input: Arc::new(child),
                        predicate,
                    },
                    schema,
                ),
                kept,
            ))
        }
        PlanNode::Alias { input } => {
            let (child, kept) = narrow(input, needed)?;
            let fields = kept
                .iter()
                .map(|&i| plan.schema.fields[i].clone())
                .collect();
            Some((
                LogicalPlan::new(
                    PlanNode::Alias {
                        input: Arc::new(child),
                    },
                    PlanSchema::new(fields),
                ),
                kept,
            ))
        }
        _ => None,
    }
}
