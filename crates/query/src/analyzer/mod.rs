//! The analyzer: from sqlparser's query AST (and [`crate::expr::Expr`]s) to a resolved,
//! typed [`LogicalPlan`]. Names are resolved case-insensitively, with the closest valid names
//! in errors; aggregates and window functions are pulled out of expressions into their own
//! plan nodes; implicit casts come from the function registry's signatures.

pub(crate) mod aggregates;
pub(crate) mod group_spec;
mod grouping;
pub(crate) mod join;
mod lateral;
mod lateral_join;
mod pivot;
mod query;
mod relation;
pub(crate) mod resolve;
mod resolve_call;
mod resolve_column;
mod resolve_special;
mod resolve_window;
pub(crate) mod scope;
pub(crate) mod select;
mod select_agg;
mod select_finish;
mod select_generate;
mod select_items;
pub(crate) mod setops;
mod sliding;
mod table_functions;

use std::cell::RefCell;
use std::sync::Arc;

use crate::catalog::Catalog;
use crate::error::Result;
use crate::plan::LogicalPlan;
use crate::plan::expr::{Literal, TypedExpr};
use crate::resolver::RelationResolver;
use crate::sql::SourceOrigin;

pub(crate) use resolve::ExprContext;
pub(crate) use scope::Scope;

/// Plans one statement: holds what name resolution needs beyond the expression at hand.
pub(crate) struct Planner<'a> {
    /// Tables and views.
    pub catalog: &'a Catalog,
    /// The caller's resolver for `STREAM(t)`, `read_files(...)`, `LIVE.t`, ...
    pub relations: Option<&'a dyn RelationResolver>,
    /// Where the query text starts in its file.
    pub origin: SourceOrigin,
    /// The query's `current_timestamp()`, for folding constants at plan time.
    pub now_micros: i64,
    /// CTEs in scope, innermost last.
    ctes: RefCell<Vec<(String, Arc<LogicalPlan>)>>,
}

impl<'a> Planner<'a> {
    /// A planner over `catalog`.
    pub fn new(
        catalog: &'a Catalog,
        relations: Option<&'a dyn RelationResolver>,
        origin: SourceOrigin,
        now_micros: i64,
    ) -> Planner<'a> {
        Planner {
            catalog,
            relations,
            origin,
            now_micros,
            ctes: RefCell::new(Vec::new()),
        }
    }

    /// The value of a constant expression, or `None` when it reads data or fails (a failing
    /// constant is left for run time, where it fails only if it is evaluated). A volatile
    /// call (`rand()`) has no value before it runs.
    pub fn constant(&self, e: &TypedExpr) -> Option<Literal> {
        if !e.is_constant() || !e.is_deterministic() {
            return None;
        }
        crate::exec::eval::eval_constant(e, self.now_micros).ok()
    }

    /// The CTE named `name`, innermost first.
    fn cte(&self, name: &str) -> Option<Arc<LogicalPlan>> {
        self.ctes
            .borrow()
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, p)| p.clone())
    }

    fn cte_names(&self) -> Vec<String> {
        self.ctes.borrow().iter().map(|(n, _)| n.clone()).collect()
    }
}

/// Plan a parsed query against a catalog.
pub(crate) fn plan_query(
    query: &sqlparser::ast::Query,
    catalog: &Catalog,
    relations: Option<&dyn RelationResolver>,
    origin: SourceOrigin,
    now_micros: i64,
) -> Result<LogicalPlan> {
    Planner::new(catalog, relations, origin, now_micros).plan_query(query, None)
}
