//! Query-level planning: CTEs, set operations, VALUES, ORDER BY over a set operation, LIMIT
//! and OFFSET.

use std::sync::Arc;

use arrow::array::{Array, Int64Array};
use sqlparser::ast::{self, LimitClause, OrderByKind, SetExpr, Spanned};

use crate::analyzer::resolve::{ExprContext, common_type, mismatch};
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, QueryError, Result};
use crate::expr::SortExpr;
use crate::plan::expr::{CastKind, TypedExpr};
use crate::plan::{LogicalPlan, PlanField, PlanNode, PlanSchema, SortKey};
use crate::sql::lower::Lowering;
use crate::types::SparkType;

impl Planner<'_> {
    /// Plan a query (with its CTEs, ORDER BY and LIMIT); `parent` is the scope of the
    /// enclosing query for correlated subqueries.
    pub fn plan_query(&self, q: &ast::Query, parent: Option<&Scope<'_>>) -> Result<LogicalPlan> {
        let mark = self.ctes.borrow().len();
        let result = self.plan_query_inner(q, parent);
        self.ctes.borrow_mut().truncate(mark);
        result
    }

    fn plan_query_inner(&self, q: &ast::Query, parent: Option<&Scope<'_>>) -> Result<LogicalPlan> {
        if q.fetch.is_some() || !q.locks.is_empty() || !q.pipe_operators.is_empty() {
            return Err(QueryError::Unsupported {
                message: "FETCH, locking clauses and pipe operators are not supported".into(),
                span: self.origin.span(q.span()),
            });
        }
        if let Some(with) = &q.with {
            if with.recursive {
                return Err(QueryError::Unsupported {
                    message: "recursive CTEs are not supported".into(),
                    span: self.origin.span(with.span()),
                });
            }
            for cte in &with.cte_tables {
                let plan = self.plan_query(&cte.query, parent)?;
                let columns: Vec<String> = cte
                    .alias
                    .columns
                    .iter()
                    .map(|c| c.name.value.clone())
                    .collect();
                let plan = self.alias(
                    plan,
                    &cte.alias.name.value,
                    &columns,
                    self.origin.span(cte.alias.span()),
                )?;
                self.ctes
                    .borrow_mut()
                    .push((cte.alias.name.value.clone(), Arc::new(plan)));
            }
        }
        let lowering = Lowering {
            origin: self.origin,
            windows: &[],
        };
        let mut order_all = None;
        let order_by: Vec<SortExpr> = match &q.order_by {
            None => vec![],
            Some(o) => match &o.kind {
                OrderByKind::Expressions(items) => lowering.sort_exprs(items)?,
                OrderByKind::All(options) => {
                    order_all = Some(options.clone());
                    vec![]
                }
            },
        };
        let mut plan = match q.body.as_ref() {
            SetExpr::Select(select) => self.plan_select(select, &order_by, parent)?,
            body => {
                let plan = self.plan_set_expr(body, parent)?;
                if order_by.is_empty() {
                    plan
                } else {
                    self.sort_output(plan, &order_by)?
                }
            }
        };
        if let Some(options) = order_all {
            // ORDER BY ALL: every output column, left to right, with the given direction.
            let ascending = !matches!(options.sort, Some(sqlparser::ast::OrderBySort::Desc));
            let keys: Vec<SortExpr> = (1..=plan.schema.len())
                .map(|n| SortExpr {
                    expr: crate::expr::lit(n as i32),
                    ascending,
                    nulls_first: options.nulls_first,
                })
                .collect();
            plan = self.sort_output(plan, &keys)?;
        }
        if let Some(limit) = &q.limit_clause {
            let (fetch, skip) = match limit {
                LimitClause::LimitOffset {
                    limit,
                    offset,
                    limit_by,
                } => {
                    if !limit_by.is_empty() {
                        return Err(QueryError::Unsupported {
                            message: "LIMIT BY is not supported".into(),
                            span: None,
                        });
                    }
                    (limit.as_ref(), offset.as_ref().map(|o| &o.value))
                }
                LimitClause::OffsetCommaLimit { offset, limit } => (Some(limit), Some(offset)),
            };
            let fetch = fetch.map(|e| self.count_expr(e, "LIMIT")).transpose()?;
            let skip = skip
                .map(|e| self.count_expr(e, "OFFSET"))
                .transpose()?
                .unwrap_or(0);
            let schema = (*plan.schema).clone();
            plan = LogicalPlan::new(
                PlanNode::Limit {
                    input: Arc::new(plan),
                    skip,
                    fetch,
                },
                schema,
            );
        }
        Ok(plan)
    }

    /// A non-negative constant row count (LIMIT, OFFSET).
    pub(crate) fn count_expr(&self, e: &ast::Expr, clause: &str) -> Result<usize> {
        let span = self.origin.span(e.span());
        let lowered = Lowering {
            origin: self.origin,
            windows: &[],
        }
        .expr(e)?;
        let empty = PlanSchema::default();
        let scope = Scope::new(&empty);
        let r = ExprContext::plain(self, &scope, "LIMIT").resolve(&lowered)?;
        let value = self
            .constant(&r.cast_to(&SparkType::Long, CastKind::Ansi))
            .and_then(|l| {
                l.value
                    .as_any()
                    .downcast_ref::<Int64Array>()
                    .filter(|a| a.is_valid(0))
                    .map(|a| a.value(0))
            });
        match value {
            Some(v) if v >= 0 => Ok(v as usize),
            _ => Err(QueryError::Analysis {
                // One class for LIMIT and OFFSET alike (Spark names the clause in the message).
                class: ErrorClass::InvalidLimitLikeExpressionIsNegative,
                message: format!(
                    "The {clause} expression must be a non-negative constant integer."
                ),
                span,
                suggestions: vec![],
            }),
        }
    }

    /// Plan the body of a query that is not a plain SELECT.
    pub(crate) fn plan_set_expr(
        &self,
        body: &SetExpr,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        match body {
            SetExpr::Select(select) => self.plan_select(select, &[], parent),
            SetExpr::Query(q) => self.plan_query(q, parent),
            SetExpr::SetOperation {
                left,
                op,
                set_quantifier,
                right,
            } => {
                let l = self.plan_set_expr(left, parent)?;
                let r = self.plan_set_expr(right, parent)?;
                self.set_operation(l, r, op, set_quantifier)
            }
            SetExpr::Values(values) => self.plan_values(values),
            other => Err(QueryError::Unsupported {
                message: format!("`{other}` is not a query"),
                span: self.origin.span(other.span()),
            }),
        }
    }

    /// `VALUES (...), (...)`: columns `col1`, `col2`, ... typed by widening each column.
    pub(crate) fn plan_values(&self, values: &ast::Values) -> Result<LogicalPlan> {
        let lowering = Lowering {
            origin: self.origin,
            windows: &[],
        };
        let empty = PlanSchema::default();
        let scope = Scope::new(&empty);
        let ctx = ExprContext::plain(self, &scope, "VALUES");
        let mut rows: Vec<Vec<TypedExpr>> = Vec::with_capacity(values.rows.len());
        for row in &values.rows {
            let exprs = row
                .content
                .iter()
                .map(|e| ctx.resolve(&lowering.expr(e)?))
                .collect::<Result<Vec<_>>>()?;
            if let Some(first) = rows.first()
                && first.len() != exprs.len()
            {
                return Err(mismatch(
                    ErrorClass::InvalidInlineTableNumColumnsMismatch,
                    format!(
                        "Inline table expected {} columns but found {} columns in a row.",
                        first.len(),
                        exprs.len()
                    ),
                    self.origin.span(row.span()),
                ));
            }
            rows.push(exprs);
        }
        let width = rows.first().map_or(0, Vec::len);
        let mut fields = Vec::with_capacity(width);
        for c in 0..width {
            let t = common_type(rows.iter().map(|r| &r[c]), "VALUES")?;
            for row in rows.iter_mut() {
                let e = std::mem::replace(
                    &mut row[c],
                    TypedExpr::literal(crate::plan::expr::Literal::null(SparkType::Null)),
                );
                row[c] = e.cast_to(&t, CastKind::Ansi);
            }
            let nullable = rows.iter().any(|r| r[c].nullable);
            fields.push(PlanField {
                qualifier: None,
                name: format!("col{}", c + 1),
                data_type: t,
                nullable,
            });
        }
        Ok(LogicalPlan::new(
            PlanNode::Values { rows },
            PlanSchema::new(fields),
        ))
    }

    /// ORDER BY over a query's output columns (set operations, VALUES).
    pub(crate) fn sort_output(
        &self,
        plan: LogicalPlan,
        order_by: &[SortExpr],
    ) -> Result<LogicalPlan> {
        let schema = plan.schema.clone();
        let scope = Scope::new(&schema);
        let ctx = ExprContext::plain(self, &scope, "ORDER BY");
        let keys = order_by
            .iter()
            .map(|o| {
                let expr = match crate::analyzer::select::ordinal(&o.expr) {
                    Some(n) => crate::analyzer::select::output_ordinal(n, &schema)?,
                    None => ctx.resolve(&o.expr)?,
                };
                Ok(SortKey {
                    expr,
                    ascending: o.ascending,
                    nulls_first: o.nulls_first.unwrap_or(o.ascending),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(LogicalPlan::new(
            PlanNode::Sort {
                input: Arc::new(plan),
                keys,
            },
            (*schema).clone(),
        ))
    }

    /// Rename a plan's columns (`t(a, b)`) and qualify them by `alias`.
    pub(crate) fn alias(
        &self,
        plan: LogicalPlan,
        alias: &str,
        columns: &[String],
        span: Option<crate::error::Span>,
    ) -> Result<LogicalPlan> {
        if !columns.is_empty() && columns.len() != plan.schema.len() {
            return Err(mismatch(
                ErrorClass::AssignmentArityMismatch,
                format!(
                    "The alias `{alias}` names {} columns but its query returns {}.",
                    columns.len(),
                    plan.schema.len()
                ),
                span,
            ));
        }
        let mut schema = plan.schema.with_qualifier(alias);
        for (f, name) in schema.fields.iter_mut().zip(columns) {
            f.name = name.clone();
        }
        Ok(LogicalPlan::new(
            PlanNode::Alias {
                input: Arc::new(plan),
            },
            schema,
        ))
    }
}
