//! Constant folding: every maximal constant sub-expression is evaluated once at plan time. A
//! constant whose evaluation fails (`1 / 0`) is left alone, so it fails at run time only if
//! it is evaluated (not in an unchosen CASE branch).

use std::sync::Arc;

use crate::exec::eval::eval_constant;
use crate::plan::expr::{ExprKind, TypedExpr};
use crate::plan::window::WindowFunc;
use crate::plan::{JoinKey, LogicalPlan, PlanNode, SortKey};

/// Fold the constants of one expression.
pub(crate) fn fold_expr(e: TypedExpr, now: i64) -> TypedExpr {
    e.transform(&mut |x| {
        // A volatile call (`rand()`) reads no column but is no constant: each row draws anew.
        if matches!(x.kind, ExprKind::Literal(_)) || !x.is_constant() || !x.is_deterministic() {
            return None;
        }
        eval_constant(x, now).ok().map(|lit| {
            let mut folded = TypedExpr::literal(lit);
            folded.data_type = x.data_type.clone();
            folded
        })
    })
}

fn fold_all(exprs: Vec<TypedExpr>, now: i64) -> Vec<TypedExpr> {
    exprs.into_iter().map(|e| fold_expr(e, now)).collect()
}

fn child(p: &Arc<LogicalPlan>, now: i64) -> Arc<LogicalPlan> {
    Arc::new(fold_plan((**p).clone(), now))
}

/// Fold the constants of every expression in a plan.
pub(crate) fn fold_plan(plan: LogicalPlan, now: i64) -> LogicalPlan {
    let LogicalPlan { node, schema } = plan;
    let node = match node {
        PlanNode::Project { input, exprs } => PlanNode::Project {
            input: child(&input, now),
            exprs: fold_all(exprs, now),
        },
        PlanNode::Filter { input, predicate } => PlanNode::Filter {
            input: child(&input, now),
            predicate: fold_expr(predicate, now),
        },
        PlanNode::Aggregate {
            input,
            group,
            mut aggs,
            grouping_sets,
        } => {
            for a in &mut aggs {
                a.args = fold_all(std::mem::take(&mut a.args), now);
                a.filter = a.filter.take().map(|f| fold_expr(f, now));
            }
            PlanNode::Aggregate {
                input: child(&input, now),
                group: fold_all(group, now),
                aggs,
                grouping_sets,
            }
        }
        PlanNode::Window { input, mut calls } => {
            for c in &mut calls {
                c.args = fold_all(std::mem::take(&mut c.args), now);
                c.partition_by = fold_all(std::mem::take(&mut c.partition_by), now);
                if let WindowFunc::Aggregate(a) = &mut c.func {
                    a.args = fold_all(std::mem::take(&mut a.args), now);
                }
            }
            PlanNode::Window {
                input: child(&input, now),
                calls,
            }
        }
        PlanNode::Join {
            left,
            right,
            kind,
            keys,
            filter,
        } => PlanNode::Join {
            left: child(&left, now),
            right: child(&right, now),
            kind,
            keys: keys
                .into_iter()
                .map(|k| JoinKey {
                    left: fold_expr(k.left, now),
                    right: fold_expr(k.right, now),
                    ..k
                })
                .collect(),
            filter: filter.map(|f| fold_expr(f, now)),
        },
        PlanNode::LateralJoin {
            left,
            subquery,
            kind,
            filter,
        } => PlanNode::LateralJoin {
            left: child(&left, now),
            subquery: child(&subquery, now),
            kind,
            filter: filter.map(|f| fold_expr(f, now)),
        },
        PlanNode::Sort { input, keys } => PlanNode::Sort {
            input: child(&input, now),
            keys: keys
                .into_iter()
                .map(|k| SortKey {
                    expr: fold_expr(k.expr, now),
                    ..k
                })
                .collect(),
        },
        PlanNode::Limit { input, skip, fetch } => PlanNode::Limit {
            input: child(&input, now),
            skip,
            fetch,
        },
        PlanNode::Distinct { input } => PlanNode::Distinct {
            input: child(&input, now),
        },
        PlanNode::SetOp {
            left,
            right,
            op,
            all,
        } => PlanNode::SetOp {
            left: child(&left, now),
            right: child(&right, now),
            op,
            all,
        },
        PlanNode::Generate {
            input,
            kind,
            arg,
            outer,
        } => PlanNode::Generate {
            input: child(&input, now),
            kind,
            arg: fold_expr(arg, now),
            outer,
        },
        PlanNode::Alias { input } => PlanNode::Alias {
            input: child(&input, now),
        },
        PlanNode::Extension { node, inputs } => PlanNode::Extension {
            node,
            inputs: inputs.iter().map(|i| child(i, now)).collect(),
        },
        leaf @ (PlanNode::Scan { .. } | PlanNode::Values { .. }) => leaf,
    };
    LogicalPlan { node, schema }
}
