//! The DataFrame type: a lazily planned query, as the catalog stores views and resolvers
//! return relations. Its builder methods (`select`, `filter`, `join`, …) live in
//! the `dataframe` module, above the analyzer they plan with; the type sits below, with the plan.

use std::sync::Arc;

use crate::plan::LogicalPlan;

/// A lazily planned query. Cheap to clone; run it with `Session::collect`.
///
/// # Examples
/// ```
/// use query::{call, col, lit, Catalog, DataFrame, Session};
/// let session = Session::new(Catalog::new());
/// let df = session.sql_df("SELECT id, id % 3 AS bucket FROM range(10)").unwrap_or_else(|_| {
///     // Without the `%` operator registered, fall back to a plain range.
///     session.sql_df("SELECT id, id AS bucket FROM range(10)").unwrap()
/// });
/// let counts = df
///     .filter(col("id").is_not_null()).unwrap()
///     .aggregate(vec![col("bucket")], vec![call("count", vec![lit(1)]).alias("n")]).unwrap();
/// assert_eq!(counts.schema()[1].0, "n");
/// # let _ = session.collect(&counts).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct DataFrame {
    pub(crate) plan: Arc<LogicalPlan>,
}

impl DataFrame {
    /// Wrap a plan.
    pub fn from_plan(plan: LogicalPlan) -> DataFrame {
        DataFrame {
            plan: Arc::new(plan),
        }
    }

    /// The plan.
    pub fn plan(&self) -> &LogicalPlan {
        &self.plan
    }

    /// The plan, owned.
    pub fn into_plan(self) -> LogicalPlan {
        Arc::try_unwrap(self.plan).unwrap_or_else(|shared| (*shared).clone())
    }
}
