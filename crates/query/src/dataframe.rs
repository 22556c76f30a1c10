//! A DataFrame-style builder over the logical plan, for the PySpark front end of pipelines
//! (`df.select(...).filter("air_pressure > 0").withColumn(...).groupBy(...).agg(...)`).
//! Each step resolves its expressions at once, so mistakes surface where they are made.

use std::sync::Arc;

use crate::analyzer::select::{GroupSpec, SelectCore, SelectItem};
use crate::analyzer::{ExprContext, Planner, Scope};
use crate::catalog::{Catalog, Resolved, Table};
use crate::error::{ErrorClass, QueryError, Result};
use crate::expr::{Expr, SortExpr, call, col};
pub use crate::frame::DataFrame;
use crate::plan::extension::ExtensionNode;
use crate::plan::{JoinKind, LogicalPlan, PlanField, PlanNode, PlanSchema, SetOpKind};
use crate::sql::SourceOrigin;
use crate::types::SparkType;

/// How to join two DataFrames.
#[derive(Debug, Clone)]
pub enum JoinOn {
    /// Equal values of these columns on both sides; each appears once in the output
    /// (PySpark's `on="col"` / `on=["a", "b"]`).
    Columns(Vec<String>),
    /// A condition over both sides' columns (qualify them with [`DataFrame::alias`]).
    Condition(Expr),
    /// No condition: every pair of rows.
    Cross,
}

fn with_planner<T>(f: impl FnOnce(&Planner<'_>) -> Result<T>) -> Result<T> {
    let catalog = Catalog::new();
    let planner = Planner::new(&catalog, None, SourceOrigin::default(), 0);
    f(&planner)
}

fn item(e: &Expr) -> SelectItem {
    SelectItem {
        expr: e.unaliased().clone(),
        name: e.output_name(),
        aliased: matches!(e, Expr::Alias(..)),
        aliases: vec![],
    }
}

impl DataFrame {
    /// Read an in-memory table (not registered anywhere), its columns qualified by `name`.
    pub fn from_table(name: &str, table: Table) -> DataFrame {
        let fields = table
            .schema()
            .iter()
            .map(|(n, t)| PlanField {
                qualifier: Some(name.to_string()),
                name: n.clone(),
                data_type: t.clone(),
                nullable: true,
            })
            .collect();
        DataFrame::from_plan(LogicalPlan::new(
            PlanNode::Scan {
                name: name.to_string(),
                table: Arc::new(table),
                projection: None,
            },
            PlanSchema::new(fields),
        ))
    }

    /// Read a table or view of `catalog` by (possibly qualified) name.
    pub fn scan(catalog: &Catalog, name: &str) -> Result<DataFrame> {
        let parts: Vec<String> = name.split('.').map(String::from).collect();
        match catalog.resolve(&parts)? {
            Some(Resolved::Table(n, table)) => {
                let short = n.rsplit('.').next().unwrap_or(&n).to_string();
                let df = DataFrame::from_table(&short, (*table).clone());
                Ok(df)
            }
            Some(Resolved::View(df)) => Ok(df),
            None => Err(QueryError::Analysis {
                class: ErrorClass::TableOrViewNotFound,
                message: format!("The table or view `{name}` cannot be found."),
                span: None,
                suggestions: crate::suggest::ranked(name, catalog.names()),
            }),
        }
    }

    /// Column names and Spark types.
    pub fn schema(&self) -> Vec<(String, SparkType)> {
        self.plan.schema.columns()
    }

    fn input(&self) -> LogicalPlan {
        (*self.plan).clone()
    }

    /// Expand `*` / `t.*` items into the input's columns.
    fn items(&self, exprs: &[Expr]) -> Vec<SelectItem> {
        let mut out = Vec::new();
        for e in exprs {
            match e {
                Expr::Star { qualifier, except } => {
                    for (i, f) in self.plan.schema.fields.iter().enumerate() {
                        let visible = qualifier.as_ref().is_none_or(|q| {
                            f.qualifier
                                .as_deref()
                                .is_some_and(|fq| fq.eq_ignore_ascii_case(q))
                        });
                        let excluded = except.iter().any(|(n, _)| n.eq_ignore_ascii_case(&f.name));
                        if visible && !excluded {
                            out.push(SelectItem {
                                expr: Expr::InputColumn {
                                    index: i,
                                    name: f.name.clone(),
                                },
                                name: f.name.clone(),
                                aliased: false,
                                aliases: vec![],
                            });
                        }
                    }
                }
                Expr::Column { parts, .. } if parts.last().is_some_and(|p| p == "*") => {
                    let qualifier = (parts.len() > 1).then(|| parts[parts.len() - 2].clone());
                    out.extend(self.items(&[Expr::Star {
                        qualifier,
                        except: vec![],
                    }]));
                }
                other => out.push(item(other)),
            }
        }
        out
    }

    /// `SELECT exprs` (aggregates without grouping make a global aggregate; window
    /// functions are allowed).
    pub fn select(&self, exprs: Vec<Expr>) -> Result<DataFrame> {
        let items = self.items(&exprs);
        let aggregate = items
            .iter()
            .any(|i| crate::analyzer::select::contains_aggregate(&i.expr));
        let plan = with_planner(|p| {
            let core = SelectCore {
                items,
                having: None,
                qualify: None,
                order_by: &[],
                distinct: false,
                group_by: GroupSpec::None,
                sliding: None,
            };
            if aggregate {
                p.plan_aggregate_select(self.input(), core, None)
            } else {
                p.plan_simple_select(self.input(), core, None)
            }
        })?;
        Ok(DataFrame::from_plan(plan))
    }

    /// Keep rows where `predicate` is TRUE.
    pub fn filter(&self, predicate: Expr) -> Result<DataFrame> {
        let schema = self.plan.schema.clone();
        let predicate = with_planner(|p| {
            let scope = Scope::new(&schema);
            ExprContext::plain(p, &scope, "filter").boolean(&predicate)
        })?;
        Ok(DataFrame::from_plan(LogicalPlan::new(
            PlanNode::Filter {
                input: self.plan.clone(),
                predicate,
            },
            (*schema).clone(),
        )))
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.plan
            .schema
            .fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
    }

    fn all_columns(&self) -> Vec<Expr> {
        self.plan
            .schema
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| Expr::InputColumn {
                index: i,
                name: f.name.clone(),
            })
            .collect()
    }

    /// Add a column, or replace the column of that name (PySpark's `withColumn`).
    pub fn with_column(&self, name: &str, expr: Expr) -> Result<DataFrame> {
        let mut exprs = self.all_columns();
        let new = expr.alias(name);
        match self.position(name) {
            Some(i) => exprs[i] = new,
            None => exprs.push(new),
        }
        self.select(exprs)
    }

    /// Rename a column (a no-op when there is none of that name, as in PySpark).
    pub fn with_column_renamed(&self, old: &str, new: &str) -> Result<DataFrame> {
        let Some(i) = self.position(old) else {
            return Ok(self.clone());
        };
        let mut schema = (*self.plan.schema).clone();
        schema.fields[i].name = new.to_string();
        Ok(DataFrame::from_plan(LogicalPlan::new(
            PlanNode::Alias {
                input: self.plan.clone(),
            },
            schema,
        )))
    }

    /// Remove columns (names that do not exist are ignored, as in PySpark).
    pub fn drop(&self, names: &[&str]) -> Result<DataFrame> {
        let keep: Vec<Expr> = self
            .plan
            .schema
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !names.iter().any(|n| n.eq_ignore_ascii_case(&f.name)))
            .map(|(i, f)| Expr::InputColumn {
                index: i,
                name: f.name.clone(),
            })
            .collect();
        self.select(keep)
    }

    /// `groupBy(group_by).agg(aggs)`: the group columns followed by the aggregates.
    pub fn aggregate(&self, group_by: Vec<Expr>, aggs: Vec<Expr>) -> Result<DataFrame> {
        let mut items: Vec<SelectItem> = group_by.iter().map(item).collect();
        items.extend(aggs.iter().map(item));
        let group = group_by.iter().map(|g| g.unaliased().clone()).collect();
        let plan = with_planner(|p| p.plan_grouped(self.input(), items, group, None))?;
        Ok(DataFrame::from_plan(plan))
    }

    /// Join with `right`.
    pub fn join(&self, right: &DataFrame, on: JoinOn, how: JoinKind) -> Result<DataFrame> {
        let plan = with_planner(|p| match on {
            JoinOn::Columns(names) => {
                crate::analyzer::join::join_using(p, self.input(), right.input(), how, &names)
            }
            JoinOn::Condition(e) => p.join_on(self.input(), right.input(), how, &e, None),
            JoinOn::Cross => crate::analyzer::join::build_join(
                self.input(),
                right.input(),
                JoinKind::Cross,
                None,
            ),
        })?;
        Ok(DataFrame::from_plan(plan))
    }

    /// `UNION ALL` by position (PySpark's `union`).
    pub fn union(&self, other: &DataFrame) -> Result<DataFrame> {
        let plan = crate::analyzer::setops::set_op(
            self.input(),
            other.input(),
            SetOpKind::Union,
            true,
            false,
            false,
        )?;
        Ok(DataFrame::from_plan(plan))
    }

    /// `UNION ALL` matching columns by name; with `allow_missing`, a column missing on one
    /// side is NULL there.
    pub fn union_by_name(&self, other: &DataFrame, allow_missing: bool) -> Result<DataFrame> {
        let plan = crate::analyzer::setops::set_op(
            self.input(),
            other.input(),
            SetOpKind::Union,
            true,
            true,
            allow_missing,
        )?;
        Ok(DataFrame::from_plan(plan))
    }

    /// Sort rows.
    pub fn sort(&self, keys: Vec<SortExpr>) -> Result<DataFrame> {
        let schema = self.plan.schema.clone();
        let keys = with_planner(|p| {
            let scope = Scope::new(&schema);
            let ctx = ExprContext::plain(p, &scope, "ORDER BY");
            keys.iter()
                .map(|k| {
                    Ok(crate::plan::SortKey {
                        expr: ctx.resolve(&k.expr)?,
                        ascending: k.ascending,
                        nulls_first: k.nulls_first.unwrap_or(k.ascending),
                    })
                })
                .collect::<Result<Vec<_>>>()
        })?;
        Ok(DataFrame::from_plan(LogicalPlan::new(
            PlanNode::Sort {
                input: self.plan.clone(),
                keys,
            },
            (*schema).clone(),
        )))
    }

    /// Keep the first `n` rows.
    pub fn limit(&self, n: usize) -> DataFrame {
        let schema = (*self.plan.schema).clone();
        DataFrame::from_plan(LogicalPlan::new(
            PlanNode::Limit {
                input: self.plan.clone(),
                skip: 0,
                fetch: Some(n),
            },
            schema,
        ))
    }

    /// Remove duplicate rows.
    pub fn distinct(&self) -> DataFrame {
        let schema = (*self.plan.schema).clone();
        DataFrame::from_plan(LogicalPlan::new(
            PlanNode::Distinct {
                input: self.plan.clone(),
            },
            schema,
        ))
    }

    /// Remove rows that repeat the values of `subset` (all columns when `None`), keeping the
    /// first of each.
    pub fn drop_duplicates(&self, subset: Option<&[&str]>) -> Result<DataFrame> {
        let Some(subset) = subset else {
            return Ok(self.distinct());
        };
        for name in subset {
            if self.position(name).is_none() {
                let schema = self.plan.schema.clone();
                return Err(Scope::new(&schema).unresolved(&[name.to_string()], None));
            }
        }
        let keys: Vec<Expr> = subset.iter().map(|n| col(&format!("`{n}`"))).collect();
        let names: Vec<String> = self
            .plan
            .schema
            .fields
            .iter()
            .map(|f| f.name.clone())
            .collect();
        let rest: Vec<Expr> = names
            .iter()
            .filter(|n| !subset.iter().any(|s| s.eq_ignore_ascii_case(n)))
            .map(|n| call("first", vec![col(&format!("`{n}`"))]).alias(n))
            .collect();
        let grouped = self.aggregate(keys, rest)?;
        // Back to the original column order.
        grouped.select(names.iter().map(|n| col(&format!("`{n}`"))).collect())
    }

    /// Qualify every column by `name` (`df.alias("s")` then `col("s.device_id")`).
    pub fn alias(&self, name: &str) -> DataFrame {
        let schema = self.plan.schema.with_qualifier(name);
        DataFrame::from_plan(LogicalPlan::new(
            PlanNode::Alias {
                input: self.plan.clone(),
            },
            schema,
        ))
    }

    /// An operator implemented outside the engine, over these inputs.
    pub fn extension(node: Arc<dyn ExtensionNode>, inputs: Vec<DataFrame>) -> Result<DataFrame> {
        let input_schemas: Vec<Vec<(String, SparkType)>> =
            inputs.iter().map(DataFrame::schema).collect();
        let columns = node.schema(&input_schemas)?;
        let schema = PlanSchema::new(
            columns
                .into_iter()
                .map(|(n, t)| PlanField::new(n, t))
                .collect(),
        );
        Ok(DataFrame::from_plan(LogicalPlan::new(
            PlanNode::Extension {
                node,
                inputs: inputs.into_iter().map(|d| d.plan).collect(),
            },
            schema,
        )))
    }
}
