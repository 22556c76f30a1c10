//! Table-valued functions in FROM: `range(...)` and the arguments they take.

use std::sync::Arc;

use sqlparser::ast::{self, FunctionArg, FunctionArgExpr};

use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::plan::{LogicalPlan, PlanField, PlanNode, PlanSchema};
use crate::resolver::TableArg;
use crate::sql::lower::Lowering;
use crate::types::SparkType;

impl Planner<'_> {
    /// A table-valued function: the caller's resolver first, then the built-in `range`.
    pub(crate) fn table_function(
        &self,
        parts: &[String],
        args: &[FunctionArg],
        span: Option<Span>,
    ) -> Result<LogicalPlan> {
        let name = parts.join(".").to_lowercase();
        let args = args
            .iter()
            .map(|a| self.table_arg(a))
            .collect::<Result<Vec<_>>>()?;
        if let Some(resolver) = self.relations
            && let Some(df) = resolver
                .table_function(&name, &args)
                .map_err(|e| crate::analyzer::resolve::at(e, span))?
        {
            return Ok(df.into_plan());
        }
        if name == "range" {
            return range_table(&args).map_err(|e| crate::analyzer::resolve::at(e, span));
        }
        Err(QueryError::Analysis {
            class: ErrorClass::UnresolvableTableValuedFunction,
            message: format!("Could not resolve `{name}` to a table-valued function."),
            span,
            suggestions: vec!["range".into()],
        })
    }

    pub(crate) fn table_arg(&self, arg: &FunctionArg) -> Result<TableArg> {
        let (name, expr) = match arg {
            FunctionArg::Named { name, arg, .. } => (Some(name.value.clone()), arg),
            FunctionArg::ExprNamed { name, arg, .. } => (Some(name.to_string()), arg),
            FunctionArg::Unnamed(arg) => (None, arg),
        };
        let inner = match expr {
            FunctionArgExpr::Expr(ast::Expr::Identifier(id)) => {
                TableArg::Table(vec![id.value.clone()])
            }
            FunctionArgExpr::Expr(ast::Expr::CompoundIdentifier(ids)) => {
                TableArg::Table(ids.iter().map(|i| i.value.clone()).collect())
            }
            FunctionArgExpr::Expr(e) => {
                let lowered = Lowering {
                    origin: self.origin,
                    windows: &[],
                }
                .expr(e)?;
                let empty = PlanSchema::default();
                let scope = Scope::new(&empty);
                let r = ExprContext::plain(self, &scope, "a table function argument")
                    .resolve(&lowered)?;
                let lit = self.constant(&r).ok_or_else(|| {
                    mismatch(
                        ErrorClass::NonFoldableArgument,
                        "Table function arguments must be constants or table names.".into(),
                        self.span(e),
                    )
                })?;
                TableArg::Value(lit)
            }
            other => {
                return Err(QueryError::Unsupported {
                    message: format!("the table function argument `{other}`"),
                    span: None,
                });
            }
        };
        Ok(match name {
            Some(n) => TableArg::Named(n, Box::new(inner)),
            None => inner,
        })
    }
}

/// `range(end)`, `range(start, end[, step])`: one `bigint` column `id`.
pub(crate) fn range_table(args: &[TableArg]) -> Result<LogicalPlan> {
    use arrow::array::{Array, Int64Array};
    let value = |a: &TableArg| -> Result<i64> {
        let TableArg::Value(l) = a else {
            return Err(mismatch(
                ErrorClass::DatatypeMismatchUnexpectedInputType,
                "range() takes integer arguments.".into(),
                None,
            ));
        };
        let cast = crate::coerce::cast(
            &l.value,
            &l.data_type,
            &SparkType::Long,
            crate::plan::expr::CastKind::Ansi,
        )?;
        cast.as_any()
            .downcast_ref::<Int64Array>()
            .filter(|a| a.is_valid(0))
            .map(|a| a.value(0))
            .ok_or_else(|| {
                mismatch(
                    ErrorClass::DatatypeMismatchUnexpectedInputType,
                    "range() takes non-NULL integer arguments.".into(),
                    None,
                )
            })
    };
    let (start, end, step) = match args {
        [e] => (0, value(e)?, 1),
        [s, e] => (value(s)?, value(e)?, 1),
        [s, e, st] => (value(s)?, value(e)?, value(st)?),
        _ => {
            return Err(mismatch(
                ErrorClass::WrongNumArgsWithoutSuggestion,
                "The `range` requires [1, 3] parameters.".into(),
                None,
            ));
        }
    };
    if step == 0 {
        return Err(mismatch(
            ErrorClass::DatatypeMismatchValueOutOfRange,
            "range() needs a non-zero step.".into(),
            None,
        ));
    }
    // Checked before materialising: `range(1000000000000)` is valid Spark, lazy there.
    let rows = (i128::from(end) - i128::from(start) + i128::from(step) - i128::from(step.signum()))
        / i128::from(step);
    if rows > i128::from(crate::limits::MAX_OPERATOR_VALUES) {
        return Err(QueryError::execution(
            crate::limits::BUDGET_EXCEEDED,
            format!(
                "range({start}, {end}, {step}) has {rows} rows, past the engine's budget of {} values per operator (MAX_OPERATOR_VALUES, so the page keeps its memory)",
                crate::limits::MAX_OPERATOR_VALUES
            ),
        ));
    }
    let mut ids = Vec::with_capacity(rows.max(0) as usize);
    let mut v = start;
    while (step > 0 && v < end) || (step < 0 && v > end) {
        ids.push(v);
        v = match v.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    let schema = vec![("id".to_string(), SparkType::Long)];
    let arrow_schema = crate::table::arrow_schema_of(&schema);
    let batch =
        arrow::array::RecordBatch::try_new(arrow_schema, vec![Arc::new(Int64Array::from(ids))])?;
    let table = crate::table::Table::new(schema, vec![batch])?;
    Ok(LogicalPlan::new(
        PlanNode::Scan {
            name: "range".into(),
            table: Arc::new(table),
            projection: None,
        },
        PlanSchema::new(vec![PlanField {
            qualifier: None,
            name: "id".into(),
            data_type: SparkType::Long,
            nullable: false,
        }]),
    ))
}
