//! Constant folding: every maximal constant sub-expression is evaluated once at plan time. A
//! constant whose evaluation fails (`1 / 0`) is left alone, so it fails at run time only if
//! it is evaluated (not in an unchosen CASE branch).

use std::sync::Arc;

use crate::exec::eval::eval_constant;
use crate::plan::LogicalPlan;
use crate::plan::expr::{ExprKind, TypedExpr};

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

/// Fold the constants of every expression in a plan.
pub(crate) fn fold_plan(plan: LogicalPlan, now: i64) -> LogicalPlan {
    let mut plan = plan.map_children(&|c| Arc::new(fold_plan((**c).clone(), now)));
    plan.node.map_exprs(&mut |e| fold_expr(e, now));
    plan
}
