//! LATERAL subqueries in FROM: `a, LATERAL (SELECT ... a.x ...)` and
//! `a [INNER | LEFT | CROSS] JOIN LATERAL (...) [ON condition]`. The subquery is planned with
//! the left side's columns as its outer scope, so it reads them as outer references.

use std::sync::Arc;

use sqlparser::ast::{JoinConstraint, JoinOperator, TableFactor};

use crate::analyzer::join::join_schema;
use crate::analyzer::resolve::ExprContext;
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, QueryError, Result};
use crate::plan::{JoinKind, LogicalPlan, PlanNode};
use crate::sql::lower::Lowering;

/// Whether a FROM item is a LATERAL subquery.
pub(crate) fn is_lateral(factor: &TableFactor) -> bool {
    matches!(factor, TableFactor::Derived { lateral: true, .. })
}

impl Planner<'_> {
    /// `left` joined with the LATERAL subquery `factor`; `op` is `None` for a comma.
    pub(crate) fn lateral_join(
        &self,
        left: LogicalPlan,
        factor: &TableFactor,
        op: Option<&JoinOperator>,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let TableFactor::Derived {
            subquery, alias, ..
        } = factor
        else {
            return Err(QueryError::Internal(
                "lateral_join called for a FROM item that is not a subquery".into(),
            ));
        };
        let (kind, constraint) = match op {
            None => (JoinKind::Inner, &JoinConstraint::None),
            Some(JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::CrossJoin(c)) => {
                (JoinKind::Inner, c)
            }
            Some(JoinOperator::Left(c) | JoinOperator::LeftOuter(c)) => (JoinKind::Left, c),
            Some(other) => {
                let name = match other {
                    JoinOperator::Right(_) | JoinOperator::RightOuter(_) => "RIGHT OUTER",
                    JoinOperator::FullOuter(_) => "FULL OUTER",
                    JoinOperator::LeftSemi(_) | JoinOperator::Semi(_) => "LEFT SEMI",
                    JoinOperator::LeftAnti(_) | JoinOperator::Anti(_) => "LEFT ANTI",
                    _ => "this",
                };
                return Err(QueryError::Analysis {
                    class: ErrorClass::InvalidLateralJoinType,
                    message: format!(
                        "The {name} JOIN with LATERAL correlation is not allowed because an OUTER subquery cannot correlate to its join partner. Remove the LATERAL correlation or use an INNER JOIN, or LEFT OUTER JOIN instead."
                    ),
                    span: self.span(factor),
                    suggestions: Vec::new(),
                });
            }
        };
        let condition = match constraint {
            JoinConstraint::On(cond) => Some(cond),
            JoinConstraint::None => None,
            JoinConstraint::Using(_) | JoinConstraint::UsingAlias(..) | JoinConstraint::Natural => {
                return Err(QueryError::Unsupported {
                    message:
                        "USING and NATURAL with a LATERAL subquery: write the condition with ON"
                            .into(),
                    span: self.span(factor),
                });
            }
        };
        let outer = Scope::child(&left.schema, parent);
        let subquery = self.plan_query(subquery, Some(&outer))?;
        let subquery = self.alias_subquery(subquery, alias.as_ref())?;
        let combined = left.schema.join(&subquery.schema);
        let filter = match condition {
            Some(cond) => {
                let lowered = Lowering {
                    origin: self.origin,
                    windows: &[],
                }
                .expr(cond)?;
                let scope = Scope::child(&combined, parent);
                Some(ExprContext::plain(self, &scope, "a join condition").boolean(&lowered)?)
            }
            None => None,
        };
        let schema = join_schema(&left.schema, &subquery.schema, kind);
        Ok(LogicalPlan::new(
            PlanNode::LateralJoin {
                left: Arc::new(left),
                subquery: Arc::new(subquery),
                kind,
                filter,
            },
            schema,
        ))
    }
}
