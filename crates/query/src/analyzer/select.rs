//! Planning a SELECT block: FROM, WHERE, the select list (stars, generators), window
//! functions, QUALIFY, DISTINCT and ORDER BY. Aggregation is in `select_agg.rs`.

use std::cell::RefCell;
use std::sync::Arc;

use sqlparser::ast::{self, Distinct, SelectItemQualifiedWildcardKind, Spanned};

use crate::analyzer::aggregates::aggregate_func;
use crate::analyzer::resolve::{ExprContext, WINDOW_REF_BASE, mismatch};
use crate::analyzer::select_generate::is_generator_item;
use crate::analyzer::{Planner, Scope};
use crate::error::{QueryError, Result, Span};
use crate::expr::{Expr, SortExpr};
use crate::plan::expr::{ExprKind, TypedExpr};
use crate::plan::window::{WindowCall, WindowFunc};
use crate::plan::{LogicalPlan, PlanField, PlanNode, PlanSchema, SortKey};
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
            "ORDER_BY_POS_OUT_OF_RANGE",
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
    fn unsupported_clause(&self, what: &str, span: Option<Span>) -> QueryError {
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
                    "INVALID_WHERE_CONDITION",
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

    /// Expand `*`, `t.*` and `* EXCEPT (...)`; name the other items.
    fn select_items(
        &self,
        projection: &[ast::SelectItem],
        lowering: &Lowering<'_>,
        schema: &PlanSchema,
    ) -> Result<Vec<SelectItem>> {
        let mut items = Vec::new();
        let star = |qualifier: Option<String>,
                    opts: &ast::WildcardAdditionalOptions,
                    items: &mut Vec<SelectItem>|
         -> Result<()> {
            if opts.opt_replace.is_some()
                || opts.opt_rename.is_some()
                || opts.opt_ilike.is_some()
                || opts.opt_exclude.is_some()
            {
                return Err(
                    self.unsupported_clause("REPLACE, RENAME, ILIKE and EXCLUDE after *", None)
                );
            }
            let except: Vec<&ast::Ident> = match &opts.opt_except {
                Some(e) => std::iter::once(&e.first_element)
                    .chain(&e.additional_elements)
                    .collect(),
                None => vec![],
            };
            let visible: Vec<(usize, &PlanField)> = schema
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    qualifier.as_ref().is_none_or(|q| {
                        f.qualifier
                            .as_deref()
                            .is_some_and(|fq| fq.eq_ignore_ascii_case(q))
                    })
                })
                .collect();
            if visible.is_empty() && qualifier.is_some() {
                return Err(mismatch(
                    "CANNOT_RESOLVE_STAR_EXPAND",
                    format!(
                        "Cannot resolve `{}`.* given input columns.",
                        qualifier.unwrap_or_default()
                    ),
                    None,
                ));
            }
            for ex in &except {
                if !visible
                    .iter()
                    .any(|(_, f)| f.name.eq_ignore_ascii_case(&ex.value))
                {
                    let sub = PlanSchema::new(visible.iter().map(|(_, f)| (*f).clone()).collect());
                    return Err(Scope::new(&sub)
                        .unresolved(std::slice::from_ref(&ex.value), self.origin.span(ex.span)));
                }
            }
            for (i, f) in visible {
                if except
                    .iter()
                    .any(|ex| ex.value.eq_ignore_ascii_case(&f.name))
                {
                    continue;
                }
                items.push(SelectItem {
                    expr: Expr::InputColumn {
                        index: i,
                        name: f.name.clone(),
                    },
                    name: f.name.clone(),
                    aliased: false,
                    aliases: vec![],
                });
            }
            Ok(())
        };
        for item in projection {
            match item {
                ast::SelectItem::UnnamedExpr(e) => {
                    let expr = lowering.expr(e)?;
                    let name = match &expr {
                        Expr::Call(c)
                            if c.name.eq_ignore_ascii_case("window") && c.over.is_none() =>
                        {
                            "window".to_string()
                        }
                        other => other.output_name(),
                    };
                    items.push(SelectItem {
                        expr,
                        name,
                        aliased: false,
                        aliases: vec![],
                    });
                }
                ast::SelectItem::ExprWithAlias { expr, alias } => {
                    items.push(SelectItem {
                        expr: lowering.expr(expr)?,
                        name: alias.value.clone(),
                        aliased: true,
                        aliases: vec![],
                    });
                }
                ast::SelectItem::ExprWithAliases { expr, aliases } => {
                    let names: Vec<String> = aliases.iter().map(|a| a.value.clone()).collect();
                    items.push(SelectItem {
                        expr: lowering.expr(expr)?,
                        name: names.first().cloned().unwrap_or_default(),
                        aliased: true,
                        aliases: names,
                    });
                }
                ast::SelectItem::Wildcard(opts) => star(None, opts, &mut items)?,
                ast::SelectItem::QualifiedWildcard(kind, opts) => {
                    let q = match kind {
                        SelectItemQualifiedWildcardKind::ObjectName(name) => name
                            .0
                            .last()
                            .map(|p| {
                                p.as_ident()
                                    .map(|i| i.value.clone())
                                    .unwrap_or_else(|| p.to_string())
                            })
                            .unwrap_or_default(),
                        SelectItemQualifiedWildcardKind::Expr(e) => e.to_string(),
                    };
                    star(Some(q), opts, &mut items)?
                }
            }
        }
        Ok(items)
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
                "UNSUPPORTED_EXPR_FOR_OPERATOR",
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
                            if err.class().starts_with("UNRESOLVED_COLUMN")
                                || err.class() == "UNSUPPORTED_EXPR_FOR_OPERATOR"
                                || err.class() == "WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE" =>
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
                                    "MISSING_ATTRIBUTES.RESOLVED_ATTRIBUTE_APPEAR_IN_OPERATION",
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
