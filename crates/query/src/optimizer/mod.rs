//! A small optimiser where it pays: constant folding, pushing filters towards the scans (and
//! turning cross joins with equality filters into hash joins), and reading only the columns
//! a plan needs.

mod fold;
mod prune;
mod pushdown;

use crate::plan::LogicalPlan;

/// Optimise a plan for execution; `now_micros` is the query's `current_timestamp()`.
pub(crate) fn optimize(plan: LogicalPlan, now_micros: i64) -> LogicalPlan {
    let plan = fold::fold_plan(plan, now_micros);
    let plan = pushdown::push_filters(plan);
    prune::prune_columns(plan)
}
