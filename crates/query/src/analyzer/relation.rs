//! FROM clauses: tables, views, CTEs, derived tables, samples, joins and PIVOT. Table-valued
//! functions are in `table_functions.rs`, LATERAL VIEW in `lateral.rs`.

use std::sync::Arc;

use sqlparser::ast::{self, JoinConstraint, JoinOperator, Spanned, TableFactor, TableWithJoins};

use crate::analyzer::lateral_join::is_lateral;
use crate::analyzer::resolve::ExprContext;
use crate::analyzer::{Planner, Scope};
use crate::catalog::Resolved;
use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::expr::Expr;
use crate::plan::{JoinKind, LogicalPlan, PlanField, PlanNode, PlanSchema};
use crate::sql::lower::Lowering;

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
            if is_lateral(&item.relation) {
                // `a, LATERAL (...) JOIN c`: the subquery sees everything on its left.
                plan = self.lateral_join(plan, &item.relation, None, parent)?;
                plan = self.plan_joins(plan, &item.joins, parent)?;
                continue;
            }
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
        let plan = self.plan_factor(&twj.relation, parent)?;
        self.plan_joins(plan, &twj.joins, parent)
    }

    fn plan_joins(
        &self,
        mut plan: LogicalPlan,
        joins: &[ast::Join],
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        for join in joins {
            if is_lateral(&join.relation) {
                plan =
                    self.lateral_join(plan, &join.relation, Some(&join.join_operator), parent)?;
                continue;
            }
            let right = self.plan_factor(&join.relation, parent)?;
            plan = self.plan_join(plan, right, &join.join_operator, parent)?;
        }
        Ok(plan)
    }

    /// A subquery in FROM under its alias (Spark's generated name without one).
    pub(crate) fn alias_subquery(
        &self,
        plan: LogicalPlan,
        alias: Option<&ast::TableAlias>,
    ) -> Result<LogicalPlan> {
        let auto = AUTO_SUBQUERY_NAME.to_string();
        self.apply_alias(plan, alias, Some(&auto))
    }

    pub(crate) fn span(&self, node: &impl Spanned) -> Option<Span> {
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
                    // A LATERAL subquery first in FROM has nothing on its left to read.
                    let plan = self.plan_query(subquery, parent)?;
                    return self.alias_subquery(plan, alias.as_ref());
                }
                let plan = self.plan_query(subquery, None)?;
                self.alias_subquery(plan, alias.as_ref())
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
                    class: ErrorClass::TableOrViewNotFound,
                    message: format!(
                        "The table or view {name} cannot be found. Verify the spelling and correctness of the schema and catalog."
                    ),
                    span,
                    suggestions: crate::suggest::ranked(&parts.join("."), &known),
                })
            }
        }
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
}
