//! Predicate push-down: filter conjuncts move below projections (of plain columns), sorts,
//! aliases, unions, aggregates (when they only read group keys) and into the sides of joins
//! where that keeps the join's meaning; an equality between the two sides of a cross join
//! becomes a hash-join key. Conjuncts with subqueries or random functions never move.

use std::sync::Arc;

use crate::analyzer::join::{and_all, as_join_key, conjuncts};
use crate::plan::expr::{ExprKind, TypedExpr};
use crate::plan::{JoinKind, LogicalPlan, PlanNode, SetOpKind};

/// A conjunct may move when it reads only its own row: no subquery, no outer reference, and
/// no volatile call (`rand() < 0.5` below a join would draw per joined row, not per row of
/// the filtered input).
fn movable(e: &TypedExpr) -> bool {
    !e.has_subquery() && !e.is_correlated() && e.is_deterministic()
}

fn with_children(plan: LogicalPlan, f: &dyn Fn(LogicalPlan) -> LogicalPlan) -> LogicalPlan {
    plan.map_children(&|p| Arc::new(f((**p).clone())))
}

/// Push every filter of the plan as far down as it may go.
pub(crate) fn push_filters(plan: LogicalPlan) -> LogicalPlan {
    let plan = with_children(plan, &push_filters);
    match plan.node {
        PlanNode::Filter { input, predicate } => {
            let mut parts = Vec::new();
            conjuncts(predicate, &mut parts);
            push_into((*input).clone(), parts)
        }
        PlanNode::Join { ref kind, .. }
            if matches!(
                kind,
                JoinKind::Inner
                    | JoinKind::Left
                    | JoinKind::LeftSemi
                    | JoinKind::LeftAnti
                    | JoinKind::Right
            ) =>
        {
            push_join_residual(plan)
        }
        _ => plan,
    }
}

/// A Filter of `preds` (none: the plan itself).
fn filtered(plan: LogicalPlan, preds: Vec<TypedExpr>) -> LogicalPlan {
    match and_all(preds) {
        None => plan,
        Some(predicate) => {
            let schema = (*plan.schema).clone();
            LogicalPlan::new(
                PlanNode::Filter {
                    input: Arc::new(plan),
                    predicate,
                },
                schema,
            )
        }
    }
}

/// Apply `preds` (over `plan`'s output) as low in `plan` as possible.
fn push_into(plan: LogicalPlan, preds: Vec<TypedExpr>) -> LogicalPlan {
    if preds.is_empty() {
        return plan;
    }
    let (mobile, fixed): (Vec<TypedExpr>, Vec<TypedExpr>) = preds.into_iter().partition(movable);
    if mobile.is_empty() {
        return filtered(plan, fixed);
    }
    let schema = plan.schema.clone();
    let pushed = match plan.node {
        PlanNode::Filter { input, predicate } => {
            let mut all = mobile;
            conjuncts(predicate, &mut all);
            push_into((*input).clone(), all)
        }
        PlanNode::Alias { input } => LogicalPlan {
            node: PlanNode::Alias {
                input: Arc::new(push_into((*input).clone(), mobile)),
            },
            schema,
        },
        PlanNode::Sort { input, keys } => LogicalPlan {
            node: PlanNode::Sort {
                input: Arc::new(push_into((*input).clone(), mobile)),
                keys,
            },
            schema,
        },
        PlanNode::Project { input, exprs } => {
            // Only through plain column projections: substituting computed values would
            // compute them twice.
            let (down, up): (Vec<TypedExpr>, Vec<TypedExpr>) = mobile.into_iter().partition(|p| {
                p.columns()
                    .iter()
                    .all(|&c| matches!(exprs[c].kind, ExprKind::Column(_) | ExprKind::Literal(_)))
            });
            let down: Vec<TypedExpr> = down.into_iter().map(|p| substitute(p, &exprs)).collect();
            let project = LogicalPlan {
                node: PlanNode::Project {
                    input: Arc::new(push_into((*input).clone(), down)),
                    exprs,
                },
                schema,
            };
            filtered(project, up)
        }
        PlanNode::SetOp {
            left,
            right,
            op: SetOpKind::Union,
            all,
        } => LogicalPlan {
            node: PlanNode::SetOp {
                left: Arc::new(push_into((*left).clone(), mobile.clone())),
                right: Arc::new(push_into((*right).clone(), mobile)),
                op: SetOpKind::Union,
                all,
            },
            schema,
        },
        PlanNode::Aggregate {
            input,
            group,
            aggs,
            grouping_sets: None,
        } => {
            let ng = group.len();
            let (down, up): (Vec<TypedExpr>, Vec<TypedExpr>) = mobile
                .into_iter()
                .partition(|p| p.columns().iter().all(|&c| c < ng));
            let down: Vec<TypedExpr> = down.into_iter().map(|p| substitute(p, &group)).collect();
            let agg = LogicalPlan {
                node: PlanNode::Aggregate {
                    input: Arc::new(push_into((*input).clone(), down)),
                    group,
                    aggs,
                    grouping_sets: None,
                },
                schema,
            };
            filtered(agg, up)
        }
        PlanNode::Join {
            left,
            right,
            kind,
            keys,
            filter,
        } => {
            return filtered(
                push_join(
                    (*left).clone(),
                    (*right).clone(),
                    kind,
                    keys,
                    filter,
                    mobile,
                    schema,
                ),
                fixed,
            );
        }
        node => filtered(LogicalPlan { node, schema }, mobile),
    };
    filtered(pushed, fixed)
}

/// Replace column references by the expressions they name.
fn substitute(p: TypedExpr, exprs: &[TypedExpr]) -> TypedExpr {
    p.transform(&mut |x| match x.kind {
        ExprKind::Column(i) => Some(exprs[i].clone()),
        _ => None,
    })
}

enum Side {
    Left,
    Right,
    Both,
}

fn side(e: &TypedExpr, nl: usize) -> Side {
    let cols = e.columns();
    if cols.iter().all(|&c| c < nl) {
        Side::Left
    } else if cols.iter().all(|&c| c >= nl) {
        Side::Right
    } else {
        Side::Both
    }
}

/// A WHERE over a join: push each conjunct into the side(s) whose rows it filters without
/// changing which rows the join pads with NULLs.
fn push_join(
    left: LogicalPlan,
    right: LogicalPlan,
    kind: JoinKind,
    mut keys: Vec<crate::plan::JoinKey>,
    filter: Option<TypedExpr>,
    preds: Vec<TypedExpr>,
    schema: Arc<crate::plan::PlanSchema>,
) -> LogicalPlan {
    let nl = left.schema.len();
    let (mut to_left, mut to_right, mut stay, mut residual) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    if let Some(f) = filter {
        conjuncts(f, &mut residual);
    }
    let mut kind = kind;
    for p in preds {
        match (side(&p, nl), kind) {
            (
                Side::Left,
                JoinKind::Inner
                | JoinKind::Cross
                | JoinKind::Left
                | JoinKind::LeftSemi
                | JoinKind::LeftAnti,
            ) => to_left.push(p),
            (Side::Right, JoinKind::Inner | JoinKind::Cross | JoinKind::Right) => {
                to_right.push(p.remap_columns(&|i| i - nl))
            }
            (Side::Both, JoinKind::Inner | JoinKind::Cross) => match as_join_key(&p, nl) {
                Some(k) => {
                    keys.push(k);
                    kind = JoinKind::Inner;
                }
                None => {
                    residual.push(p);
                    kind = JoinKind::Inner;
                }
            },
            _ => stay.push(p),
        }
    }
    let join = LogicalPlan {
        node: PlanNode::Join {
            left: Arc::new(push_into(left, to_left)),
            right: Arc::new(push_into(right, to_right)),
            kind,
            keys,
            filter: and_all(residual),
        },
        schema,
    };
    filtered(join, stay)
}

/// A join's own residual condition: conjuncts on one side move into that side's input when
/// that input's rows are only matched, never preserved (inner joins both sides; the right
/// side of a left join; the left side of a right join).
fn push_join_residual(plan: LogicalPlan) -> LogicalPlan {
    let LogicalPlan { node, schema } = plan;
    let PlanNode::Join {
        left,
        right,
        kind,
        keys,
        filter: Some(filter),
    } = node
    else {
        return LogicalPlan { node, schema };
    };
    let nl = left.schema.len();
    let mut parts = Vec::new();
    conjuncts(filter, &mut parts);
    let (mut to_left, mut to_right, mut rest) = (Vec::new(), Vec::new(), Vec::new());
    for p in parts {
        if !movable(&p) {
            rest.push(p);
            continue;
        }
        match (side(&p, nl), kind) {
            (Side::Left, JoinKind::Inner | JoinKind::Right) => to_left.push(p),
            (
                Side::Right,
                JoinKind::Inner | JoinKind::Left | JoinKind::LeftSemi | JoinKind::LeftAnti,
            ) => to_right.push(p.remap_columns(&|i| i - nl)),
            _ => rest.push(p),
        }
    }
    LogicalPlan {
        node: PlanNode::Join {
            left: Arc::new(push_into((*left).clone(), to_left)),
            right: Arc::new(push_into((*right).clone(), to_right)),
            kind,
            keys,
            filter: and_all(rest),
        },
        schema,
    }
}
