//! FROM clauses: tables, views, CTEs, derived tables, table-valued functions, joins,
//! LATERAL VIEW and PIVOT.

use std::sync::Arc;

use sqlparser::ast::{
    self, FunctionArg, FunctionArgExpr, JoinConstraint, JoinOperator, Spanned, TableFactor,
    TableWithJoins,
};

use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::analyzer::{Planner, Scope};
use crate::catalog::Resolved;
use crate::error::{QueryError, Result, Span};
use crate::expr::Expr;
use crate::plan::expr::TypedExpr;
use crate::plan::{GeneratorKind, JoinKind, LogicalPlan, PlanField, PlanNode, PlanSchema};
use crate::session::TableArg;
use crate::sql::lower::Lowering;
use crate::types::SparkType;

/// Spark's name for a subquery in FROM written without an alias.
const AUTO_SUBQUERY_NAME: &str = "__auto_generated_subquery_name";

impl Planner<'_> {
    /// Plan a FROM clause: comma-separated items are cross joined (the optimizer turns
    /// equality conditions in WHERE into join keys).
    pub(crate) fn plan_from(
        &self,
        from: &[TableWithJoins],
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let Some((first, rest)) = from.split_first() else {
            return Ok(LogicalPlan::one_row());
        };
        let mut plan = self.plan_table_with_joins(first, parent)?;
        for item in rest {
            let right = self.plan_table_with_joins(item, parent)?;
            plan = crate::analyzer::join::build_join(plan, right, JoinKind::Cross, None)?;
        }
        Ok(plan)
    }

    fn plan_table_with_joins(
        &self,
        twj: &TableWithJoins,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let mut plan = self.plan_factor(&twj.relation, parent)?;
        for join in &twj.joins {
            let right = self.plan_factor(&join.relation, parent)?;
            plan = self.plan_join(plan, right, &join.join_operator, parent)?;
        }
        Ok(plan)
    }

    fn span(&self, node: &impl Spanned) -> Option<Span> {
        self.origin.span(node.span())
    }

    fn plan_factor(&self, factor: &TableFactor, parent: Option<&Scope<'_>>) -> Result<LogicalPlan> {
        match factor {
            TableFactor::Table {
                name,
                alias,
                args,
                with_hints,
                version,
                partitions,
                sample,
                index_directives,
                ..
            } => {
                if !with_hints.is_empty()
                    || version.is_some()
                    || !partitions.is_empty()
                    || !index_directives.is_empty()
                {
                    return Err(QueryError::Unsupported {
                        message: format!("table hints, versions and partitions (in `{factor}`)"),
                        span: self.span(factor),
                    });
                }
                let parts: Vec<String> = name
                    .0
                    .iter()
                    .map(|p| {
                        p.as_ident()
                            .map(|i| i.value.clone())
                            .unwrap_or_else(|| p.to_string())
                    })
                    .collect();
                let plan = match args {
                    Some(a) => self.table_function(&parts, &a.args, self.span(factor))?,
                    None => self.named_table(&parts, self.span(name))?,
                };
                let plan = match sample {
                    Some(s) => self.sample(plan, s)?,
                    None => plan,
                };
                let default = parts.last().cloned().unwrap_or_default();
                self.apply_alias(plan, alias.as_ref(), Some(&default))
            }
            TableFactor::Function {
                name, args, alias, ..
            } => {
                let parts: Vec<String> = name.0.iter().map(|p| p.to_string()).collect();
                let plan = self.table_function(&parts, args, self.span(factor))?;
                self.apply_alias(plan, alias.as_ref(), parts.last())
            }
            TableFactor::Derived {
                lateral,
                subquery,
                alias,
                ..
            } => {
                if *lateral {
                    return Err(QueryError::Unsupported {
                        message: "LATERAL subqueries are not supported".into(),
                        span: self.span(factor),
                    });
                }
                let plan = self.plan_query(subquery, None)?;
                let auto = AUTO_SUBQUERY_NAME.to_string();
                self.apply_alias(plan, alias.as_ref(), Some(&auto))
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias,
            } => {
                let plan = self.plan_table_with_joins(table_with_joins, parent)?;
                match alias {
                    Some(_) => self.apply_alias(plan, alias.as_ref(), None),
                    None => Ok(plan),
                }
            }
            TableFactor::Pivot {
                table,
                aggregate_functions,
                value_column,
                value_source,
                default_on_null,
                alias,
            } => {
                if default_on_null.is_some() {
                    return Err(QueryError::Unsupported {
                        message: "PIVOT ... DEFAULT ON NULL is not supported".into(),
                        span: self.span(factor),
                    });
                }
                let input = self.plan_factor(table, parent)?;
                let plan = self.plan_pivot(
                    input,
                    aggregate_functions,
                    value_column,
                    value_source,
                    self.span(factor),
                )?;
                match alias {
                    Some(_) => self.apply_alias(plan, alias.as_ref(), None),
                    None => Ok(plan),
                }
            }
            other => Err(QueryError::Unsupported {
                message: format!("the FROM item `{other}` is not supported"),
                span: self.span(other),
            }),
        }
    }

    /// `TABLESAMPLE (n ROWS)` keeps the first n rows; random samples are not supported
    /// (results would differ from run to run).
    fn sample(&self, plan: LogicalPlan, sample: &ast::TableSampleKind) -> Result<LogicalPlan> {
        let s = match sample {
            ast::TableSampleKind::BeforeTableAlias(s)
            | ast::TableSampleKind::AfterTableAlias(s) => s,
        };
        match &s.quantity {
            Some(ast::TableSampleQuantity {
                value,
                unit: Some(ast::TableSampleUnit::Rows),
                ..
            }) if s.bucket.is_none() && s.seed.is_none() => {
                let n = self.count_expr(value, "LIMIT")?;
                let schema = (*plan.schema).clone();
                Ok(LogicalPlan::new(
                    PlanNode::Limit {
                        input: Arc::new(plan),
                        skip: 0,
                        fetch: Some(n),
                    },
                    schema,
                ))
            }
            _ => Err(QueryError::Unsupported {
                message: format!("random table samples (`{s}`); use TABLESAMPLE (n ROWS) or LIMIT"),
                span: None,
            }),
        }
    }

    fn apply_alias(
        &self,
        plan: LogicalPlan,
        alias: Option<&ast::TableAlias>,
        default: Option<&String>,
    ) -> Result<LogicalPlan> {
        match alias {
            Some(a) => {
                let columns: Vec<String> = a.columns.iter().map(|c| c.name.value.clone()).collect();
                self.alias(plan, &a.name.value, &columns, self.span(a))
            }
            None => match default {
                Some(name) => self.alias(plan, name, &[], None),
                None => Ok(plan),
            },
        }
    }

    /// A table by name: a CTE, the caller's resolver, then the catalog.
    fn named_table(&self, parts: &[String], span: Option<Span>) -> Result<LogicalPlan> {
        if let [single] = parts
            && let Some(cte) = self.cte(single)
        {
            return Ok((*cte).clone());
        }
        if let Some(resolver) = self.relations
            && let Some(df) = resolver
                .table(parts)
                .map_err(|e| crate::analyzer::resolve::at(e, span))?
        {
            return Ok(df.into_plan());
        }
        match self
            .catalog
            .resolve(parts)
            .map_err(|e| crate::analyzer::resolve::at(e, span))?
        {
            Some(Resolved::Table(name, table)) => {
                let fields = table
                    .schema()
                    .iter()
                    .map(|(n, t)| PlanField {
                        qualifier: None,
                        name: n.clone(),
                        data_type: t.clone(),
                        nullable: true,
                    })
                    .collect();
                Ok(LogicalPlan::new(
                    PlanNode::Scan {
                        name,
                        table,
                        projection: None,
                    },
                    PlanSchema::new(fields),
                ))
            }
            Some(Resolved::View(df)) => Ok(df.into_plan()),
            None => {
                let mut known: Vec<String> = self.catalog.names().map(String::from).collect();
                known.extend(self.cte_names());
                let name = parts
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(".");
                Err(QueryError::Analysis {
                    class: "TABLE_OR_VIEW_NOT_FOUND".into(),
                    message: format!(
                        "The table or view {name} cannot be found. Verify the spelling and correctness of the schema and catalog."
                    ),
                    span,
                    suggestions: crate::analyzer::scope::closest(&parts.join("."), &known),
                })
            }
        }
    }

    /// A table-valued function: the caller's resolver first, then the built-in `range`.
    fn table_function(
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
            class: "UNRESOLVABLE_TABLE_VALUED_FUNCTION".into(),
            message: format!("Could not resolve `{name}` to a table-valued function."),
            span,
            suggestions: vec!["range".into()],
        })
    }

    fn table_arg(&self, arg: &FunctionArg) -> Result<TableArg> {
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
                        "NON_FOLDABLE_ARGUMENT",
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

    fn plan_join(
        &self,
        left: LogicalPlan,
        right: LogicalPlan,
        op: &JoinOperator,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let (kind, constraint) = match op {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => (JoinKind::Inner, c),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (JoinKind::Left, c),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (JoinKind::Right, c),
            JoinOperator::FullOuter(c) => (JoinKind::Full, c),
            JoinOperator::CrossJoin(c) => (JoinKind::Cross, c),
            JoinOperator::Semi(c) | JoinOperator::LeftSemi(c) => (JoinKind::LeftSemi, c),
            JoinOperator::Anti(c) | JoinOperator::LeftAnti(c) => (JoinKind::LeftAnti, c),
            other => {
                return Err(QueryError::Unsupported {
                    message: format!("the join `{other:?}` is not supported"),
                    span: None,
                });
            }
        };
        match constraint {
            JoinConstraint::On(cond) => {
                let lowered = Lowering {
                    origin: self.origin,
                    windows: &[],
                }
                .expr(cond)?;
                self.join_on(left, right, kind, &lowered, parent)
            }
            JoinConstraint::Using(names) | JoinConstraint::UsingAlias(names, _) => {
                let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
                crate::analyzer::join::join_using(self, left, right, kind, &names)
            }
            JoinConstraint::Natural => {
                let names: Vec<String> = left
                    .schema
                    .fields
                    .iter()
                    .filter(|l| {
                        right
                            .schema
                            .fields
                            .iter()
                            .any(|r| r.name.eq_ignore_ascii_case(&l.name))
                    })
                    .map(|f| f.name.clone())
                    .collect();
                crate::analyzer::join::join_using(self, left, right, kind, &names)
            }
            JoinConstraint::None => {
                let kind = if kind == JoinKind::Inner {
                    JoinKind::Cross
                } else {
                    kind
                };
                crate::analyzer::join::build_join(left, right, kind, None)
            }
        }
    }

    /// `left JOIN right ON condition`.
    pub(crate) fn join_on(
        &self,
        left: LogicalPlan,
        right: LogicalPlan,
        kind: JoinKind,
        condition: &Expr,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let combined = left.schema.join(&right.schema);
        let scope = Scope::child(&combined, parent);
        let predicate = ExprContext::plain(self, &scope, "a join condition").boolean(condition)?;
        let kind = if kind == JoinKind::Cross {
            JoinKind::Inner
        } else {
            kind
        };
        crate::analyzer::join::build_join(left, right, kind, Some(predicate))
    }

    /// `LATERAL VIEW [OUTER] explode(expr) alias AS c1, c2`.
    pub(crate) fn lateral_view(
        &self,
        input: LogicalPlan,
        view: &ast::LateralView,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let lowered = Lowering {
            origin: self.origin,
            windows: &[],
        }
        .expr(&view.lateral_view)?;
        let Expr::Call(call) = &lowered else {
            return Err(mismatch(
                "UNSUPPORTED_GENERATOR.NOT_GENERATOR",
                "LATERAL VIEW needs a generator such as explode(...).".into(),
                self.span(&view.lateral_view),
            ));
        };
        let Some((kind, outer)) = crate::analyzer::aggregates::generator(&call.name.to_lowercase())
        else {
            return Err(mismatch(
                "UNSUPPORTED_GENERATOR.NOT_GENERATOR",
                format!("`{}` is not a generator.", call.name),
                call.span,
            ));
        };
        let [arg] = call.args.as_slice() else {
            return Err(mismatch(
                "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                format!("The `{}` requires 1 parameters.", call.name),
                call.span,
            ));
        };
        let schema = input.schema.clone();
        let scope = Scope::child(&schema, parent);
        let arg = ExprContext::plain(self, &scope, "LATERAL VIEW").resolve(arg)?;
        let names: Vec<String> = view
            .lateral_col_alias
            .iter()
            .map(|i| i.value.clone())
            .collect();
        let qualifier = view.lateral_view_name.to_string();
        generate(
            input,
            kind,
            outer || view.outer,
            arg,
            &names,
            Some(&qualifier),
        )
    }
}

/// A Generate node: input columns followed by the generated ones, named `names` (or Spark's
/// defaults `col`, `pos`, `key`, `value`).
pub(crate) fn generate(
    input: LogicalPlan,
    kind: GeneratorKind,
    outer: bool,
    arg: TypedExpr,
    names: &[String],
    qualifier: Option<&String>,
) -> Result<LogicalPlan> {
    let mut generated: Vec<(String, SparkType)> = Vec::new();
    if kind == GeneratorKind::PosExplode {
        generated.push(("pos".into(), SparkType::Int));
    }
    match (&arg.data_type, kind) {
        (_, GeneratorKind::TimeWindows { .. }) => {
            let f = |n: &str| crate::types::StructField {
                name: n.into(),
                data_type: SparkType::Timestamp,
                nullable: true,
            };
            generated.push((
                "window".into(),
                SparkType::Struct(vec![f("start"), f("end")]),
            ));
        }
        (SparkType::Array(element), GeneratorKind::Inline) => match element.as_ref() {
            SparkType::Struct(fields) => {
                generated.extend(fields.iter().map(|f| (f.name.clone(), f.data_type.clone())))
            }
            other => {
                return Err(mismatch(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                    format!("inline needs an array of structs, not array<{other}>."),
                    None,
                ));
            }
        },
        (SparkType::Array(element), _) => generated.push(("col".into(), (**element).clone())),
        (SparkType::Map(k, v), GeneratorKind::Explode | GeneratorKind::PosExplode) => {
            generated.push(("key".into(), (**k).clone()));
            generated.push(("value".into(), (**v).clone()));
        }
        (other, _) => {
            return Err(mismatch(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                format!(
                    "The generator needs an array or map argument, not \"{}\".",
                    other.simple_string().to_uppercase()
                ),
                None,
            ));
        }
    }
    if !names.is_empty() {
        if names.len() != generated.len() {
            return Err(mismatch(
                "UDTF_ALIAS_NUMBER_MISMATCH",
                format!(
                    "The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected {} aliases but got {}.",
                    generated.len(),
                    names.len()
                ),
                None,
            ));
        }
        for (g, n) in generated.iter_mut().zip(names) {
            g.0 = n.clone();
        }
    }
    let mut fields = input.schema.fields.clone();
    fields.extend(generated.into_iter().map(|(name, data_type)| PlanField {
        qualifier: qualifier.cloned(),
        name,
        data_type,
        nullable: true,
    }));
    Ok(LogicalPlan::new(
        PlanNode::Generate {
            input: Arc::new(input),
            kind,
            arg,
            outer,
        },
        PlanSchema::new(fields),
    ))
}

/// `range(end)`, `range(start, end[, step])`: one `bigint` column `id`.
fn range_table(args: &[TableArg]) -> Result<LogicalPlan> {
    use arrow::array::{Array, Int64Array};
    let value = |a: &TableArg| -> Result<i64> {
        let TableArg::Value(l) = a else {
            return Err(mismatch(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
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
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
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
                "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                "The `range` requires [1, 3] parameters.".into(),
                None,
            ));
        }
    };
    if step == 0 {
        return Err(mismatch(
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
            "range() needs a non-zero step.".into(),
            None,
        ));
    }
    let mut ids = Vec::new();
    let mut v = start;
    while (step > 0 && v < end) || (step < 0 && v > end) {
        ids.push(v);
        v = match v.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    let schema = vec![("id".to_string(), SparkType::Long)];
    let arrow_schema = crate::catalog::arrow_schema_of(&schema);
    let batch =
        arrow::array::RecordBatch::try_new(arrow_schema, vec![Arc::new(Int64Array::from(ids))])?;
    let table = crate::catalog::Table::new(schema, vec![batch])?;
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
