//! Generators in the select list. A generator as a whole item (`SELECT explode(arr) AS x`)
//! becomes a Generate node under the projection. In a grouped select (`SELECT k,
//! explode(collect_list(v)) FROM t GROUP BY k`) Spark runs it after the aggregation: its
//! argument becomes an aggregate output column, a Generate node above the aggregate expands
//! it, and ORDER BY then sorts the final columns.

use std::sync::Arc;

use crate::analyzer::aggregates::generator;
use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::analyzer::select::{SelectCore, SelectItem};
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, QueryError, Result};
use crate::expr::{Expr, SortExpr};
use crate::plan::expr::TypedExpr;
use crate::plan::{LogicalPlan, PlanNode, PlanSchema};

/// Name of the aggregate output column that carries the generator's argument.
const GENERATOR_INPUT: &str = "__generator_input";

/// Whether `item` is a generator call (`explode(...)`, not a window function).
pub(crate) fn is_generator_item(item: &SelectItem) -> bool {
    matches!(&item.expr, Expr::Call(c) if c.over.is_none() && generator(&c.name.to_lowercase()).is_some())
}

fn multi_generator() -> QueryError {
    mismatch(
        ErrorClass::UnsupportedGeneratorMultiGenerator,
        "Only one generator is allowed per SELECT clause.".into(),
        None,
    )
}

/// Names of the generated columns: `AS (a, b)`, `AS a`, or Spark's defaults (empty).
fn generated_names(item: &SelectItem) -> Vec<String> {
    if !item.aliases.is_empty() {
        item.aliases.clone()
    } else if item.aliased {
        vec![item.name.clone()]
    } else {
        vec![]
    }
}

impl Planner<'_> {
    /// A generator as a whole select item (`SELECT explode(arr) AS x`) becomes a Generate
    /// node under the projection; the item then reads the generated columns.
    pub(crate) fn select_generators(
        &self,
        input: LogicalPlan,
        items: Vec<SelectItem>,
        parent: Option<&Scope<'_>>,
    ) -> Result<(LogicalPlan, Vec<SelectItem>)> {
        let count = items.iter().filter(|i| is_generator_item(i)).count();
        if count == 0 {
            return Ok((input, items));
        }
        if count > 1 {
            return Err(multi_generator());
        }
        let mut out = Vec::with_capacity(items.len() + 1);
        let mut plan = input;
        for item in items {
            if !is_generator_item(&item) {
                out.push(item);
                continue;
            }
            let Expr::Call(call) = &item.expr else {
                unreachable!("checked by is_gen")
            };
            let (kind, outer) = generator(&call.name.to_lowercase()).expect("checked by is_gen");
            let [arg] = call.args.as_slice() else {
                return Err(mismatch(
                    ErrorClass::WrongNumArgsWithoutSuggestion,
                    format!("The `{}` requires 1 parameters.", call.name),
                    call.span,
                ));
            };
            let schema = plan.schema.clone();
            let scope = Scope::child(&schema, parent);
            let arg = ExprContext::plain(self, &scope, "SELECT").resolve(arg)?;
            let names = generated_names(&item);
            let before = schema.len();
            plan = crate::analyzer::lateral::generate(plan, kind, outer, arg, &names, None)?;
            for (i, f) in plan.schema.fields.iter().enumerate().skip(before) {
                out.push(SelectItem {
                    expr: Expr::InputColumn {
                        index: i,
                        name: f.name.clone(),
                    },
                    name: f.name.clone(),
                    aliased: true,
                    aliases: vec![],
                });
            }
        }
        Ok((plan, out))
    }

    /// A generator in a grouped select: aggregate first (the generator's argument as one
    /// more output column), expand that column, then sort by the final columns.
    pub(crate) fn plan_generator_over_aggregate(
        &self,
        input: LogicalPlan,
        mut core: SelectCore<'_>,
        order_by: &[SortExpr],
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let mut positions = (0..core.items.len()).filter(|&i| is_generator_item(&core.items[i]));
        let (Some(pos), None) = (positions.next(), positions.next()) else {
            return Err(multi_generator());
        };
        if core.distinct {
            return Err(QueryError::Unsupported {
                message: "SELECT DISTINCT with a generator over an aggregate is not supported; \
                          wrap the aggregate in a subquery"
                    .into(),
                span: None,
            });
        }
        let item = core.items[pos].clone();
        let Expr::Call(call) = &item.expr else {
            return Err(QueryError::Internal("generator item is not a call".into()));
        };
        let (kind, outer) = generator(&call.name.to_lowercase())
            .ok_or_else(|| QueryError::Internal("generator item is not a generator".into()))?;
        let [arg] = call.args.as_slice() else {
            return Err(mismatch(
                ErrorClass::WrongNumArgsWithoutSuggestion,
                format!("The `{}` requires 1 parameters.", call.name),
                call.span,
            ));
        };
        core.items[pos] = SelectItem {
            expr: arg.clone(),
            name: GENERATOR_INPUT.into(),
            aliased: true,
            aliases: vec![],
        };
        let width = core.items.len();
        let aggregated = self.plan_aggregate_select(input, core, parent)?;
        if aggregated.schema.len() != width {
            return Err(QueryError::Internal(format!(
                "the aggregate under a generator has {} columns, not {width}",
                aggregated.schema.len()
            )));
        }
        let field = &aggregated.schema.fields[pos];
        let column = TypedExpr::column(pos, field.data_type.clone(), field.nullable);
        let generated = crate::analyzer::lateral::generate(
            aggregated,
            kind,
            outer,
            column,
            &generated_names(&item),
            None,
        )?;
        // Output: the items before the generator, its columns, the items after.
        let fields = &generated.schema.fields;
        let order: Vec<usize> = (0..pos)
            .chain(width..fields.len())
            .chain(pos + 1..width)
            .collect();
        let exprs = order
            .iter()
            .map(|&i| TypedExpr::column(i, fields[i].data_type.clone(), fields[i].nullable))
            .collect();
        let schema = PlanSchema::new(order.iter().map(|&i| fields[i].clone()).collect());
        let projected = LogicalPlan::new(
            PlanNode::Project {
                input: Arc::new(generated),
                exprs,
            },
            schema,
        );
        if order_by.is_empty() {
            Ok(projected)
        } else {
            self.sort_output(projected, order_by)
        }
    }
}
