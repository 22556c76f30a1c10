//! The end of a SELECT block over its input: ORDER BY resolution, window nodes, QUALIFY,
//! DISTINCT and the final projection with its output schema.

use std::sync::Arc;

use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::analyzer::select::{
    OrderKey, OrderTarget, SelectCore, SelectItem, ordinal, output_ordinal,
};
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, Result};
use crate::expr::Expr;
use crate::plan::expr::{ExprKind, TypedExpr};
use crate::plan::window::{WindowCall, WindowFunc};
use crate::plan::{LogicalPlan, PlanField, PlanNode, PlanSchema, SortKey};

impl Planner<'_> {
    /// Resolve ORDER BY: positions and output names first, then expressions over the output,
    /// then (without DISTINCT) expressions over the input.
    pub(crate) fn resolve_order(
        &self,
        core: &SelectCore<'_>,
        exprs: &[TypedExpr],
        input: &PlanSchema,
        ctx: &ExprContext<'_>,
    ) -> Result<Vec<OrderKey>> {
        let output = output_schema(&core.items, exprs, input);
        let out_scope = Scope::new(&output);
        let out_ctx = ExprContext::plain(self, &out_scope, "ORDER BY");
        let aliases: Vec<(String, Expr)> = core
            .items
            .iter()
            .filter(|i| i.aliased)
            .map(|i| (i.name.clone(), i.expr.clone()))
            .collect();
        let in_ctx = ExprContext {
            aliases: Some(&aliases),
            ..*ctx
        };
        core.order_by
            .iter()
            .map(|o| {
                let target = match ordinal(&o.expr) {
                    Some(n) => {
                        output_ordinal(n, &output)?;
                        OrderTarget::Output(n as usize - 1)
                    }
                    None => match out_ctx.resolve(&o.expr) {
                        Ok(TypedExpr {
                            kind: ExprKind::Column(i),
                            ..
                        }) => OrderTarget::Output(i),
                        Ok(e) => OrderTarget::OverOutput(e),
                        Err(err)
                            if matches!(
                                err.error_class(),
                                ErrorClass::UnresolvedColumnWithSuggestion
                                    | ErrorClass::UnresolvedColumnWithoutSuggestion
                                    | ErrorClass::UnsupportedExprForOperator
                                    | ErrorClass::WindowFunctionNotAllowedInClause
                            ) =>
                        {
                            OrderTarget::Pre(in_ctx.resolve(&o.expr)?)
                        }
                        Err(err) => return Err(err),
                    },
                };
                Ok(OrderKey {
                    target,
                    ascending: o.ascending,
                    nulls_first: o.nulls_first.unwrap_or(o.ascending),
                })
            })
            .collect()
    }

    /// Projection, DISTINCT and ORDER BY over `plan` (which holds every column the select
    /// expressions and sort keys read).
    pub(crate) fn finish_select(
        &self,
        plan: LogicalPlan,
        exprs: Vec<TypedExpr>,
        items: &[SelectItem],
        order: Vec<OrderKey>,
        distinct: bool,
    ) -> Result<LogicalPlan> {
        let output = output_schema(items, &exprs, &plan.schema);
        if distinct {
            let keys = order
                .into_iter()
                .map(|k| {
                    let expr = match k.target {
                        OrderTarget::Output(i) => TypedExpr::column(i, output.fields[i].data_type.clone(), true),
                        OrderTarget::OverOutput(e) => e,
                        OrderTarget::Pre(e) => match exprs.iter().position(|x| x == &e) {
                            Some(i) => TypedExpr::column(i, output.fields[i].data_type.clone(), true),
                            None => {
                                return Err(mismatch(
                                    ErrorClass::MissingAttributesResolvedAttributeAppearInOperation,
                                    "With SELECT DISTINCT, ORDER BY may only use columns of the select list.".into(),
                                    None,
                                ));
                            }
                        },
                    };
                    Ok(SortKey { expr, ascending: k.ascending, nulls_first: k.nulls_first })
                })
                .collect::<Result<Vec<_>>>()?;
            let projected = LogicalPlan::new(
                PlanNode::Project {
                    input: Arc::new(plan),
                    exprs,
                },
                output.clone(),
            );
            let distinct = LogicalPlan::new(
                PlanNode::Distinct {
                    input: Arc::new(projected),
                },
                output.clone(),
            );
            if keys.is_empty() {
                return Ok(distinct);
            }
            return Ok(LogicalPlan::new(
                PlanNode::Sort {
                    input: Arc::new(distinct),
                    keys,
                },
                output,
            ));
        }
        let keys: Vec<SortKey> = order
            .into_iter()
            .map(|k| {
                let expr = match k.target {
                    OrderTarget::Output(i) => exprs[i].clone(),
                    OrderTarget::OverOutput(e) => e.transform(&mut |x| match x.kind {
                        ExprKind::Column(i) => Some(exprs[i].clone()),
                        _ => None,
                    }),
                    OrderTarget::Pre(e) => e,
                };
                SortKey {
                    expr,
                    ascending: k.ascending,
                    nulls_first: k.nulls_first,
                }
            })
            .collect();
        let sorted = if keys.is_empty() {
            plan
        } else {
            let s = (*plan.schema).clone();
            LogicalPlan::new(
                PlanNode::Sort {
                    input: Arc::new(plan),
                    keys,
                },
                s,
            )
        };
        Ok(LogicalPlan::new(
            PlanNode::Project {
                input: Arc::new(sorted),
                exprs,
            },
            output,
        ))
    }
}

/// The select list's output columns. A plain column keeps its table qualifier, so
/// `ORDER BY s.device_id` still resolves.
pub(crate) fn output_schema(
    items: &[SelectItem],
    exprs: &[TypedExpr],
    input: &PlanSchema,
) -> PlanSchema {
    PlanSchema::new(
        items
            .iter()
            .zip(exprs)
            .map(|(item, e)| {
                let qualifier = match e.kind {
                    ExprKind::Column(i)
                        if i < input.len()
                            && input.fields[i].name.eq_ignore_ascii_case(&item.name) =>
                    {
                        input.fields[i].qualifier.clone()
                    }
                    _ => None,
                };
                PlanField {
                    qualifier,
                    name: item.name.clone(),
                    data_type: e.data_type.clone(),
                    nullable: e.nullable,
                }
            })
            .collect(),
    )
}

/// A Window node appending one column per call.
pub(crate) fn window_node(input: LogicalPlan, calls: Vec<WindowCall>) -> LogicalPlan {
    let mut fields = input.schema.fields.clone();
    for (k, c) in calls.iter().enumerate() {
        let nullable = !matches!(
            c.func,
            WindowFunc::RowNumber
                | WindowFunc::Rank
                | WindowFunc::DenseRank
                | WindowFunc::PercentRank
                | WindowFunc::CumeDist
                | WindowFunc::Ntile(_)
        );
        fields.push(PlanField {
            qualifier: None,
            name: format!("__window_{k}"),
            data_type: c.data_type.clone(),
            nullable,
        });
    }
    LogicalPlan::new(
        PlanNode::Window {
            input: Arc::new(input),
            calls,
        },
        PlanSchema::new(fields),
    )
}
