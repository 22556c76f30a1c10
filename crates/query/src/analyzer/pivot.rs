//! PIVOT and the DataFrame API's grouped aggregation, planned through the aggregate select.

use std::cell::RefCell;

use sqlparser::ast::{self};

use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::analyzer::select::{GroupSpec, SelectCore, SelectItem};
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::expr::{Expr, call};
use crate::plan::LogicalPlan;
use crate::sql::lower::Lowering;

impl Planner<'_> {
    /// `PIVOT (agg AS a, ... FOR col IN (v1 AS x, v2 AS y))`: group by the columns neither the
    /// aggregates nor the pivot column read; one output column per value and aggregate,
    /// computed as the aggregate filtered on `col = value`.
    pub(crate) fn plan_pivot(
        &self,
        input: LogicalPlan,
        aggregates: &[ast::ExprWithAlias],
        value_column: &[ast::Expr],
        values: &ast::PivotValueSource,
        span: Option<Span>,
    ) -> Result<LogicalPlan> {
        let lowering = Lowering {
            origin: self.origin,
            windows: &[],
        };
        let [pivot_col] = value_column else {
            return Err(QueryError::Unsupported {
                message: "PIVOT over several columns".into(),
                span,
            });
        };
        let pivot_col = lowering.expr(pivot_col)?;
        let ast::PivotValueSource::List(values) = values else {
            return Err(QueryError::Unsupported {
                message: "PIVOT values must be a literal list".into(),
                span,
            });
        };
        let aggs: Vec<(Expr, Option<String>)> = aggregates
            .iter()
            .map(|a| {
                Ok((
                    lowering.expr(&a.expr)?,
                    a.alias.as_ref().map(|i| i.value.clone()),
                ))
            })
            .collect::<Result<_>>()?;
        // Which input columns do the aggregates and the pivot column read?
        let schema = input.schema.clone();
        let scope = Scope::new(&schema);
        let probe = RefCell::new(Vec::new());
        let ctx = ExprContext {
            aggs: Some(&probe),
            ..ExprContext::plain(self, &scope, "PIVOT")
        };
        let mut used: Vec<usize> = ctx.resolve(&pivot_col)?.columns();
        for (a, _) in &aggs {
            ctx.resolve(a)?;
        }
        for call in probe.borrow().iter() {
            for arg in call.args.iter().chain(call.filter.as_ref()) {
                used.extend(arg.columns());
            }
        }
        let group_cols: Vec<usize> = (0..schema.len()).filter(|i| !used.contains(i)).collect();
        let mut items: Vec<SelectItem> = group_cols
            .iter()
            .map(|&i| {
                let name = schema.fields[i].name.clone();
                SelectItem {
                    expr: Expr::InputColumn {
                        index: i,
                        name: name.clone(),
                    },
                    name,
                    aliased: false,
                    aliases: vec![],
                }
            })
            .collect();
        for v in values {
            let value = lowering.expr(&v.expr)?;
            let value_name = v
                .alias
                .as_ref()
                .map(|i| i.value.clone())
                .unwrap_or_else(|| value.output_name());
            for (agg, alias) in &aggs {
                let Expr::Call(c) = agg.unaliased() else {
                    return Err(mismatch(
                        ErrorClass::UnsupportedFeaturePivotAggregate,
                        "PIVOT needs aggregate function calls.".into(),
                        span,
                    ));
                };
                let matches = call("=", vec![pivot_col.clone(), value.clone()]);
                let mut c = c.clone();
                c.filter = Some(Box::new(match c.filter.take() {
                    Some(f) => f.and(matches),
                    None => matches,
                }));
                let name = if aggs.len() == 1 {
                    value_name.clone()
                } else {
                    format!(
                        "{value_name}_{}",
                        alias.clone().unwrap_or_else(|| agg.output_name())
                    )
                };
                items.push(SelectItem {
                    expr: Expr::Call(c),
                    name,
                    aliased: true,
                    aliases: vec![],
                });
            }
        }
        let group = group_cols
            .iter()
            .map(|&i| Expr::InputColumn {
                index: i,
                name: schema.fields[i].name.clone(),
            })
            .collect();
        self.plan_grouped(input, items, group, None)
    }

    /// Group `input` by `group` and compute `items` (the DataFrame `groupBy(...).agg(...)`).
    pub(crate) fn plan_grouped(
        &self,
        input: LogicalPlan,
        items: Vec<SelectItem>,
        group: Vec<Expr>,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let core = SelectCore {
            items,
            having: None,
            qualify: None,
            order_by: &[],
            distinct: false,
            sliding: None,
            group_by: if group.is_empty() {
                GroupSpec::None
            } else {
                GroupSpec::Exprs {
                    exprs: group,
                    sets: None,
                }
            },
        };
        self.plan_aggregate_select(input, core, parent)
    }
}
