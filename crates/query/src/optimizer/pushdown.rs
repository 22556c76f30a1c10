//! Predicate push-down (filled in below).

use crate::plan::LogicalPlan;

/// Push filters towards the scans.
pub(crate) fn push_filters(plan: LogicalPlan) -> LogicalPlan {
    plan
}
