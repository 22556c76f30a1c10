//! Moving a subquery's outer references onto other columns of the row it runs over: when the
//! row it reads is rebuilt (an aggregating SELECT's subqueries run over the Aggregate's output,
//! where the group keys sit in GROUP BY's order, not the input's).

use std::sync::Arc;

use super::expr::{ExprKind, SubqueryPlan, TypedExpr};
use super::{LogicalPlan, PlanNode};

/// `e` with every subquery in it reading column `map(i)` of `e`'s row wherever it read column
/// `i`. References of `e` itself to enclosing queries are left alone.
pub(crate) fn remap_subquery_outers(e: TypedExpr, map: &dyn Fn(usize) -> usize) -> TypedExpr {
    remap_expr(e, 0, map)
}

/// `e`, evaluated `depth` queries inside the one whose row is remapped (0: in that query).
fn remap_expr(e: TypedExpr, depth: usize, map: &dyn Fn(usize) -> usize) -> TypedExpr {
    let inner = |p: &SubqueryPlan| SubqueryPlan(Arc::new(remap_plan(&p.0, depth + 1, map)));
    // `transform` stops at a replaced node, so the arms below recurse themselves.
    e.transform(&mut |x| {
        let kind = match &x.kind {
            ExprKind::Outer { depth: d, index } if *d == depth => ExprKind::Outer {
                depth: *d,
                index: map(*index),
            },
            ExprKind::ScalarSubquery(p) => ExprKind::ScalarSubquery(inner(p)),
            ExprKind::Exists { plan, negated } => ExprKind::Exists {
                plan: inner(plan),
                negated: *negated,
            },
            ExprKind::InSubquery {
                expr,
                plan,
                negated,
                two_valued,
            } => ExprKind::InSubquery {
                expr: Box::new(remap_expr((**expr).clone(), depth, map)),
                plan: inner(plan),
                negated: *negated,
                two_valued: *two_valued,
            },
            _ => return None,
        };
        Some(TypedExpr { kind, ..x.clone() })
    })
}

/// `plan`, a subquery `depth` levels inside the remapped query, with its references to that
/// query's row remapped in every node.
fn remap_plan(plan: &LogicalPlan, depth: usize, map: &dyn Fn(usize) -> usize) -> LogicalPlan {
    let mut out = match &plan.node {
        // A lateral subquery is one level deeper than the join around it.
        PlanNode::LateralJoin {
            left,
            subquery,
            kind,
            filter,
        } => LogicalPlan {
            node: PlanNode::LateralJoin {
                left: Arc::new(remap_plan(left, depth, map)),
                subquery: Arc::new(remap_plan(subquery, depth + 1, map)),
                kind: *kind,
                filter: filter.clone(),
            },
            schema: plan.schema.clone(),
        },
        _ => plan
            .clone()
            .map_children(&|c| Arc::new(remap_plan(c, depth, map))),
    };
    out.node.map_exprs(&mut |e| remap_expr(e, depth, map));
    out
}
