//! Planning a SELECT block: FROM, WHERE, window functions and the simple (non-aggregating)
//! projection. The select list is expanded in `select_items.rs`, generators in
//! `select_generate.rs`, ORDER BY / QUALIFY / DISTINCT in `select_finish.rs`, aggregation in
//! `select_agg.rs`.

use std::cell::RefCell;
use std::sync::Arc;

use sqlparser::ast::{self, Distinct, Spanned};

use crate::analyzer::aggregates::aggregate_func;
use crate::analyzer::resolve::{ExprContext, WINDOW_REF_BASE, mismatch};
use crate::analyzer::select_finish::window_node;
use crate::analyzer::select_generate::is_generator_item;
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::expr::{Expr, SortExpr};
use crate::plan::expr::{ExprKind, TypedExpr};
use crate::plan::{LogicalPlan, PlanNode, PlanSchema};
use crate::sql::lower::Lowering;

/// One item of the select list after star expansion.
#[derive(Debug, Clone)]
pub(crate) struct SelectItem {
    /// The expression (without its alias).
    pub expr: Expr,
    /// The output column name.
    pub name: String,
    /// Whether the name was written (`AS name`) rather than derived.
    pub aliased: bool,
    /// Extra names for generators that output several columns (`AS (pos, value)`).
    pub aliases: Vec<String>,
}

/// An ORDER BY key after resolution.
#[derive(Debug, Clone)]
pub(crate) enum OrderTarget {
    /// A select-list column by position.
    Output(usize),
    /// An expression over the select list's output columns.
    OverOutput(TypedExpr),
    /// An expression over the plan below the projection.
    Pre(TypedExpr),
}

/// A resolved ORDER BY key.
#[derive(Debug, Clone)]
pub(crate) struct OrderKey {
    pub target: OrderTarget,
    pub ascending: bool,
    pub nulls_first: bool,
}

/// The parts of a SELECT after lowering.
pub(crate) struct SelectCore<'s> {
    pub items: Vec<SelectItem>,
    pub having: Option<Expr>,
    pub qualify: Option<Expr>,
    pub order_by: &'s [SortExpr],
    pub distinct: bool,
    pub group_by: GroupSpec,
    /// A sliding `window(...)` expanded below the select (see `sliding_window`).
    pub sliding: Option<(Vec<TypedExpr>, TypedExpr)>,
}

/// GROUP BY after lowering.
#[derive(Debug, Clone)]
pub(crate) enum GroupSpec {
    /// No GROUP BY.
    None,
    /// `GROUP BY ALL`: every select item without an aggregate.
    All,
    /// Group expressions; `sets` marks which of them each grouping set uses.
    Exprs {
        /// Distinct group expressions.
        exprs: Vec<Expr>,
        /// GROUPING SETS / ROLLUP / CUBE.
        sets: Option<Vec<Vec<bool>>>,
    },
}

/// The value of an integer literal used as a position (`ORDER BY 2`, `GROUP BY 1`).
pub(crate) fn ordinal(e: &Expr) -> Option<i64> {
    match e {
        Expr::Literal(l) if l.data_type.is_integral() => {
            let v = arrow::compute::cast(&l.value, &arrow::datatypes::DataType::Int64).ok()?;
            let v = v.as_any().downcast_ref::<arrow::array::Int64Array>()?;
            Some(v.value(0))
        }
        _ => None,
    }
}

/// Output column `n` (1-based) for `ORDER BY n`.
pub(crate) fn output_ordinal(n: i64, schema: &PlanSchema) -> Result<TypedExpr> {
    if n < 1 || n as usize > schema.len() {
        return Err(mismatch(
            ErrorClass::OrderByPosOutOfRange,
            format!(
                "ORDER BY position {n} is not in select list (valid range is [1, {}]).",
                schema.len()
            ),
            None,
        ));
    }
    let f = &schema.fields[n as usize - 1];
    Ok(TypedExpr::column(
        n as usize - 1,
        f.data_type.clone(),
        f.nullable,
    ))
}

/// Whether an expression contains an aggregate call outside any OVER clause (subqueries are
/// not looked into: they aggregate on their own).
pub(crate) fn contains_aggregate(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => {
            (c.over.is_none() && aggregate_func(&c.name.to_lowercase()).is_some())
                || c.args.iter().any(contains_aggregate)
                || c.over.as_ref().is_some_and(|w| {
                    w.partition_by.iter().any(contains_aggregate)
                        || w.order_by.iter().any(|o| contains_aggregate(&o.expr))
                })
        }
        Expr::And(a, b) | Expr::Or(a, b) => contains_aggregate(a) || contains_aggregate(b),
        Expr::Not(a) | Expr::Alias(a, _) | Expr::Field { expr: a, .. } => contains_aggregate(a),
        Expr::IsNull { expr, .. } | Expr::Cast { expr, .. } | Expr::InSubquery { expr, .. } => {
            contains_aggregate(expr)
        }
        Expr::Between {
            expr, low, high, ..
        } => [expr, low, high].iter().any(|x| contains_aggregate(x)),
        Expr::InList { expr, list, .. } => {
            contains_aggregate(expr) || list.iter().any(contains_aggregate)
        }
        Expr::Case {
            operand,
            branches,
            otherwise,
        } => {
            operand.as_deref().is_some_and(contains_aggregate)
                || branches
                    .iter()
                    .any(|(c, v)| contains_aggregate(c) || contains_aggregate(v))
                || otherwise.as_deref().is_some_and(contains_aggregate)
        }
        Expr::Index { expr, index } => contains_aggregate(expr) || contains_aggregate(index),
        _ => false,
    }
}

impl Planner<'_> {
    pub(crate) fn unsupported_clause(&self, what: &str, span: Option<Span>) -> QueryError {
        QueryError::Unsupported {
            message: format!("{what} is not supported"),
            span,
        }
    }

    /// Plan one SELECT block with the query's ORDER BY.
    pub(crate) fn plan_select(
        &self,
        select: &ast::Select,
        order_by: &[SortExpr],
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let span = self.origin.span(select.span());
        if select.top.is_some()
            || select.into.is_some()
            || select.prewhere.is_some()
            || !select.connect_by.is_empty()
        {
            return Err(self.unsupported_clause("TOP, INTO, PREWHERE and CONNECT BY", span));
        }
        if !select.cluster_by.is_empty()
            || !select.distribute_by.is_empty()
            || !select.sort_by.is_empty()
        {
            return Err(self.unsupported_clause("CLUSTER BY, DISTRIBUTE BY and SORT BY", span));
        }
        let distinct = match &select.distinct {
            None | Some(Distinct::All) => false,
            Some(Distinct::Distinct) => true,
            Some(Distinct::On(_)) => return Err(self.unsupported_clause("DISTINCT ON", span)),
        };
        let lowering = Lowering {
            origin: self.origin,
            windows: &select.named_window,
        };
        let mut input = self.plan_from(&select.from, parent)?;
        for view in &select.lateral_views {
            input = self.lateral_view(input, view, parent)?;
        }
        if let Some(w) = &select.selection {
            let predicate = lowering.expr(w)?;
            if contains_aggregate(&predicate) {
                return Err(mismatch(
                    ErrorClass::InvalidWhereCondition,
                    "The WHERE condition contains an aggregate function; use HAVING or a subquery."
                        .into(),
                    self.origin.span(w.span()),
                ));
            }
            let schema = input.schema.clone();
            let scope = Scope::child(&schema, parent);
            let predicate = ExprContext::plain(self, &scope, "WHERE").boolean(&predicate)?;
            input = LogicalPlan::new(
                PlanNode::Filter {
                    input: Arc::new(input),
                    predicate,
                },
                (*schema).clone(),
            );
        }
        let items = self.select_items(&select.projection, &lowering, &input.schema)?;
        let group_by = self.group_spec(&select.group_by, &lowering)?;
        // A generator over a grouped select runs after the aggregation (see select_generate).
        let generate_last = items.iter().any(is_generator_item)
            && (!matches!(group_by, GroupSpec::None)
                || select.having.is_some()
                || items.iter().any(|i| contains_aggregate(&i.expr)));
        let (input, items) = if generate_last {
            (input, items)
        } else {
            self.select_generators(input, items, parent)?
        };
        let core = SelectCore {
            items,
            having: select
                .having
                .as_ref()
                .map(|h| lowering.expr(h))
                .transpose()?,
            qualify: select
                .qualify
                .as_ref()
                .map(|q| lowering.expr(q))
                .transpose()?,
            order_by: if generate_last { &[] } else { order_by },
            distinct,
            group_by,
            sliding: None,
        };
        let (input, core) = self.sliding_window(input, core, parent)?;
        if generate_last {
            return self.plan_generator_over_aggregate(input, core, order_by, parent);
        }
        let aggregate = !matches!(core.group_by, GroupSpec::None)
            || core.having.is_some()
            || core.items.iter().any(|i| contains_aggregate(&i.expr))
            || order_by.iter().any(|o| contains_aggregate(&o.expr));
        if aggregate {
            self.plan_aggregate_select(input, core, parent)
        } else {
            self.plan_simple_select(input, core, parent)
        }
    }

    pub(crate) fn plan_simple_select(
        &self,
        input: LogicalPlan,
        core: SelectCore<'_>,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let schema = input.schema.clone();
        let scope = Scope::child(&schema, parent);
        let windows = RefCell::new(Vec::new());
        let ctx = ExprContext {
            windows: Some(&windows),
            sliding: core.sliding.as_ref(),
            ..ExprContext::plain(self, &scope, "SELECT")
        };
        let exprs: Vec<TypedExpr> = core
            .items
            .iter()
            .map(|i| ctx.resolve(&i.expr))
            .collect::<Result<_>>()?;
        let qualify = core
            .qualify
            .as_ref()
            .map(|q| {
                ExprContext {
                    clause: "QUALIFY",
                    ..ctx
                }
                .boolean(q)
            })
            .transpose()?;
        let order = self.resolve_order(
            &core,
            &exprs,
            &schema,
            &ExprContext {
                clause: "ORDER BY",
                ..ctx
            },
        )?;
        let width = schema.len();
        let rewrite = |e: TypedExpr| -> TypedExpr {
            e.transform(&mut |x| match x.kind {
                ExprKind::Column(i) if i >= WINDOW_REF_BASE => Some(TypedExpr::column(
                    width + i - WINDOW_REF_BASE,
                    x.data_type.clone(),
                    true,
                )),
                _ => None,
            })
        };
        let mut plan = input;
        let calls = windows.into_inner();
        if !calls.is_empty() {
            plan = window_node(plan, calls);
        } else if qualify.is_some() {
            return Err(mismatch(
                ErrorClass::UnsupportedExprForOperator,
                "QUALIFY needs a window function in the query.".into(),
                None,
            ));
        }
        if let Some(q) = qualify {
            let s = (*plan.schema).clone();
            plan = LogicalPlan::new(
                PlanNode::Filter {
                    input: Arc::new(plan),
                    predicate: rewrite(q),
                },
                s,
            );
        }
        let exprs = exprs.into_iter().map(rewrite).collect();
        let order = order
            .into_iter()
            .map(|k| OrderKey {
                target: match k.target {
                    OrderTarget::Pre(e) => OrderTarget::Pre(rewrite(e)),
                    other => other,
                },
                ..k
            })
            .collect();
        self.finish_select(plan, exprs, &core.items, order, core.distinct)
    }
}
