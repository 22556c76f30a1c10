//! Whether an expression or a plan gives the same value for the same input: the calls'
//! [`Volatility`], folded over every expression (subqueries included). The optimizer folds
//! and moves only deterministic expressions; a pipeline refreshes a materialized view
//! incrementally only when its whole plan is immutable.

use crate::functions::Volatility;
use crate::plan::LogicalPlan;
use crate::plan::expr::{ExprKind, TypedExpr};

impl TypedExpr {
    /// The most volatile call in the expression, its subqueries included.
    pub fn volatility(&self) -> Volatility {
        let mut most = Volatility::Immutable;
        self.walk(&mut |e| {
            let v = match &e.kind {
                ExprKind::Call { func, .. } => func.0.volatility(),
                ExprKind::InSubquery { plan, .. } | ExprKind::Exists { plan, .. } => {
                    plan.0.volatility()
                }
                ExprKind::ScalarSubquery(plan) => plan.0.volatility(),
                _ => Volatility::Immutable,
            };
            most = most.max(v);
        });
        most
    }

    /// Whether evaluating the expression twice within one query gives the same value: no
    /// volatile call (`rand`, `uuid`). `current_timestamp` is deterministic here (one value
    /// per query) though not across queries ([`Volatility::Stable`]).
    pub fn is_deterministic(&self) -> bool {
        self.volatility() != Volatility::Volatile
    }

    /// Whether the expression holds a subquery (`IN (SELECT …)`, `EXISTS`, a scalar one).
    pub fn has_subquery(&self) -> bool {
        self.any(&|x| {
            matches!(
                x.kind,
                ExprKind::InSubquery { .. } | ExprKind::Exists { .. } | ExprKind::ScalarSubquery(_)
            )
        })
    }

    /// Whether the expression reads a column of an enclosing query (correlation).
    pub fn is_correlated(&self) -> bool {
        self.any(&|x| matches!(x.kind, ExprKind::Outer { .. }))
    }
}

impl LogicalPlan {
    /// The most volatile call anywhere in the plan (every node, every subquery).
    /// [`Volatility::Immutable`] means a later run over the same input gives the same rows.
    ///
    /// # Examples
    /// ```
    /// use query::functions::Volatility;
    /// use query::{Catalog, Session};
    /// let session = Session::new(Catalog::new());
    /// let volatility = |sql| session.sql_df(sql).unwrap().plan().volatility();
    /// assert_eq!(volatility("SELECT id + 1 FROM range(3)"), Volatility::Immutable);
    /// assert_eq!(volatility("SELECT current_date() FROM range(3)"), Volatility::Stable);
    /// assert_eq!(volatility("SELECT id FROM range(3) WHERE rand() < 0.5"), Volatility::Volatile);
    /// ```
    pub fn volatility(&self) -> Volatility {
        let here = self
            .node
            .exprs()
            .into_iter()
            .map(TypedExpr::volatility)
            .max()
            .unwrap_or(Volatility::Immutable);
        self.children()
            .into_iter()
            .map(|c| c.volatility())
            .fold(here, Volatility::max)
    }
}
