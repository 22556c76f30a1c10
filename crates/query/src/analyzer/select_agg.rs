//! Aggregating SELECTs: HAVING and the rewrite of select expressions onto the Aggregate
//! node's output. GROUP BY is lowered in `group_spec.rs`; PIVOT and the DataFrame `agg`
//! (`pivot.rs`) and sliding windows (`sliding.rs`) reuse it.

use std::cell::RefCell;
use std::sync::Arc;

use crate::analyzer::resolve::{AGG_REF_BASE, ExprContext, WINDOW_REF_BASE, mismatch};
use crate::analyzer::select::{
    GroupSpec, OrderKey, OrderTarget, SelectCore, contains_aggregate, ordinal,
};
use crate::analyzer::select_finish::window_node;
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, QueryError, Result};
use crate::expr::Expr;
use crate::plan::aggregate::AggregateCall;
use crate::plan::expr::{ExprKind, TypedExpr};
use crate::plan::remap_outer::remap_subquery_outers;
use crate::plan::window::{WindowCall, WindowFunc};
use crate::plan::{LogicalPlan, PlanField, PlanNode, PlanSchema};
use crate::types::SparkType;

impl Planner<'_> {
    /// Plan a SELECT with aggregation.
    pub(crate) fn plan_aggregate_select(
        &self,
        input: LogicalPlan,
        core: SelectCore<'_>,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let schema = input.schema.clone();
        let scope = Scope::child(&schema, parent);
        let aggs: RefCell<Vec<AggregateCall>> = RefCell::new(Vec::new());
        let windows: RefCell<Vec<WindowCall>> = RefCell::new(Vec::new());
        let aliases: Vec<(String, Expr)> = core
            .items
            .iter()
            .filter(|i| i.aliased)
            .map(|i| (i.name.clone(), i.expr.clone()))
            .collect();
        let plain = ExprContext {
            sliding: core.sliding.as_ref(),
            ..ExprContext::plain(self, &scope, "GROUP BY")
        };

        // Group keys (before the select list, so select items can name them, e.g. `window`).
        let (mut groups, mut group_names, sets) = match &core.group_by {
            GroupSpec::None | GroupSpec::All => (vec![], vec![], None),
            GroupSpec::Exprs { exprs, sets } => {
                let mut groups = Vec::with_capacity(exprs.len());
                let mut names = Vec::with_capacity(exprs.len());
                for g in exprs {
                    let (expr, name) = match ordinal(g) {
                        Some(n) => {
                            let item = core.items.get((n - 1).max(0) as usize).filter(|_| n >= 1).ok_or_else(|| {
                                mismatch(ErrorClass::GroupByPosOutOfRange, format!("GROUP BY position {n} is not in select list (valid range is [1, {}]).", core.items.len()), None)
                            })?;
                            if contains_aggregate(&item.expr) {
                                return Err(mismatch(
                                    ErrorClass::GroupByPosAggregate,
                                    format!(
                                        "GROUP BY {n} refers to an expression that contains an aggregate function."
                                    ),
                                    None,
                                ));
                            }
                            (plain.resolve(&item.expr)?, item.name.clone())
                        }
                        None => {
                            let ctx = ExprContext {
                                aliases: Some(&aliases),
                                ..plain
                            };
                            (ctx.resolve(g)?, group_name(g, &aliases))
                        }
                    };
                    groups.push(expr);
                    names.push(name);
                }
                (groups, names, sets.clone())
            }
        };
        let named: Vec<(String, TypedExpr)> = group_names
            .iter()
            .cloned()
            .zip(groups.iter().cloned())
            .collect();
        let ctx = ExprContext {
            aggs: Some(&aggs),
            windows: Some(&windows),
            group_names: Some(&named),
            grouping_sets: sets.is_some(),
            sliding: core.sliding.as_ref(),
            ..ExprContext::plain(self, &scope, "SELECT")
        };
        let exprs: Vec<TypedExpr> = core
            .items
            .iter()
            .map(|i| ctx.resolve(&i.expr))
            .collect::<Result<_>>()?;
        if matches!(core.group_by, GroupSpec::All) {
            for (item, e) in core.items.iter().zip(&exprs) {
                if !e.any(&|x| matches!(x.kind, ExprKind::Column(i) if i >= AGG_REF_BASE)) {
                    groups.push(e.clone());
                    group_names.push(item.name.clone());
                }
            }
        }
        let having = core
            .having
            .as_ref()
            .map(|h| {
                ExprContext {
                    aliases: Some(&aliases),
                    windows: None,
                    clause: "HAVING",
                    ..ctx
                }
                .boolean(h)
            })
            .transpose()?;
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

        // `GROUP BY window(ts, ...)` drops rows whose timestamp is NULL, as Spark does.
        let mut input = input;
        for g in &groups {
            if let ExprKind::Call { func, args } = &g.kind
                && func.0.name() == "window"
                && let Some(ts) = args.first()
            {
                let predicate = TypedExpr::new(
                    ExprKind::IsNull {
                        expr: Box::new(ts.clone()),
                        negated: true,
                    },
                    SparkType::Boolean,
                );
                let s = (*input.schema).clone();
                input = LogicalPlan::new(
                    PlanNode::Filter {
                        input: Arc::new(input),
                        predicate,
                    },
                    s,
                );
            }
        }

        let aggs = aggs.into_inner();
        let (ng, na) = (groups.len(), aggs.len());
        let mut fields: Vec<PlanField> = groups
            .iter()
            .zip(&group_names)
            .map(|(g, n)| {
                let qualifier = match g.kind {
                    ExprKind::Column(i) => schema.fields[i].qualifier.clone(),
                    _ => None,
                };
                PlanField {
                    qualifier,
                    name: n.clone(),
                    data_type: g.data_type.clone(),
                    nullable: g.nullable || sets.is_some(),
                }
            })
            .collect();
        fields.extend(aggs.iter().enumerate().map(|(k, a)| PlanField {
            qualifier: None,
            name: format!("__agg_{k}"),
            data_type: a.data_type.clone(),
            nullable: a.nullable(),
        }));
        let error: RefCell<Option<QueryError>> = RefCell::new(None);
        let rewrite = |e: TypedExpr| -> TypedExpr {
            e.transform(&mut |x| {
                if let Some(j) = groups.iter().position(|g| g == x) {
                    return Some(TypedExpr::column(
                        j,
                        x.data_type.clone(),
                        fields[j].nullable,
                    ));
                }
                match x.kind {
                    ExprKind::Column(i) if i >= WINDOW_REF_BASE => Some(TypedExpr::column(
                        ng + na + i - WINDOW_REF_BASE,
                        x.data_type.clone(),
                        true,
                    )),
                    ExprKind::Column(i) if i >= AGG_REF_BASE => Some(TypedExpr::column(
                        ng + i - AGG_REF_BASE,
                        x.data_type.clone(),
                        x.nullable,
                    )),
                    ExprKind::Column(i) => {
                        let mut err = error.borrow_mut();
                        if err.is_none() {
                            *err = Some(missing_aggregation(&schema.fields[i].name));
                        }
                        Some(x.clone())
                    }
                    _ => None,
                }
            })
        };
        // A correlated subquery runs over the Aggregate's output rows, so the outer columns
        // it reads must be group keys, and it reads each at its group key's position.
        let select_list = exprs.iter().map(|e| (e, true));
        let filters = having.iter().chain(&qualify).map(|e| (e, false));
        for (e, scalars) in select_list.chain(filters) {
            if let Some(misuse) = subquery_misuse(e, &groups, &schema, scalars) {
                return Err(misuse.into_error());
            }
        }
        let key_position = |i: usize| {
            groups
                .iter()
                .position(|g| matches!(g.kind, ExprKind::Column(c) if c == i))
                .unwrap_or(i)
        };
        let rewrite = |e: TypedExpr| remap_subquery_outers(rewrite(e), &key_position);
        let exprs: Vec<TypedExpr> = exprs.into_iter().map(rewrite).collect();
        let having = having.map(rewrite);
        let qualify = qualify.map(rewrite);
        let calls: Vec<WindowCall> = windows
            .into_inner()
            .into_iter()
            .map(|c| rewrite_window(c, &rewrite))
            .collect();
        let order: Vec<OrderKey> = order
            .into_iter()
            .map(|k| OrderKey {
                target: match k.target {
                    OrderTarget::Pre(e) => OrderTarget::Pre(rewrite(e)),
                    other => other,
                },
                ..k
            })
            .collect();
        if let Some(err) = error.into_inner() {
            return Err(err);
        }
        let mut plan = LogicalPlan::new(
            PlanNode::Aggregate {
                input: Arc::new(input),
                group: groups,
                aggs,
                grouping_sets: sets,
            },
            PlanSchema::new(fields),
        );
        if let Some(h) = having {
            let s = (*plan.schema).clone();
            plan = LogicalPlan::new(
                PlanNode::Filter {
                    input: Arc::new(plan),
                    predicate: h,
                },
                s,
            );
        }
        if !calls.is_empty() {
            plan = window_node(plan, calls);
        }
        if let Some(q) = qualify {
            let s = (*plan.schema).clone();
            plan = LogicalPlan::new(
                PlanNode::Filter {
                    input: Arc::new(plan),
                    predicate: q,
                },
                s,
            );
        }
        self.finish_select(plan, exprs, &core.items, order, core.distinct)
    }
}

/// How a subquery in an aggregating SELECT fails Spark's checks, in the order Spark meets them.
enum SubqueryMisuse {
    /// A correlated scalar subquery outside any aggregate and not itself a group key: its
    /// name, as Spark prints it.
    UngroupedScalar(String),
    /// A subquery reads an outer column that is not a group key.
    UngroupedColumn(String),
}

/// The first subquery of `e` that Spark refuses over an Aggregate (`scalars`: whether a
/// correlated scalar subquery counts, as it does in the SELECT list). A part of `e` that is a
/// group key is fine whatever it reads; aggregates are already references here.
fn subquery_misuse(
    e: &TypedExpr,
    groups: &[TypedExpr],
    schema: &PlanSchema,
    scalars: bool,
) -> Option<SubqueryMisuse> {
    if groups.contains(e) {
        return None;
    }
    let name = |i: usize| {
        schema
            .fields
            .get(i)
            .map(|f| f.name.clone())
            .unwrap_or_default()
    };
    let plan = match &e.kind {
        ExprKind::ScalarSubquery(p)
        | ExprKind::InSubquery { plan: p, .. }
        | ExprKind::Exists { plan: p, .. } => Some(p),
        _ => None,
    };
    if let Some(plan) = plan {
        let outer = crate::exec::subquery::outer_columns(&plan.0);
        if scalars && matches!(e.kind, ExprKind::ScalarSubquery(_)) && !outer.is_empty() {
            let names: Vec<String> = outer.iter().map(|&i| name(i)).collect();
            let sql = format!("scalarsubquery({})", names.join(", "));
            return Some(SubqueryMisuse::UngroupedScalar(sql));
        }
        let grouped = |i: usize| {
            groups
                .iter()
                .any(|g| matches!(g.kind, ExprKind::Column(c) if c == i))
        };
        if let Some(&i) = outer.iter().find(|&&i| !grouped(i)) {
            return Some(SubqueryMisuse::UngroupedColumn(name(i)));
        }
    }
    e.children()
        .into_iter()
        .find_map(|c| subquery_misuse(c, groups, schema, scalars))
}

impl SubqueryMisuse {
    fn into_error(self) -> QueryError {
        match self {
            SubqueryMisuse::UngroupedColumn(name) => missing_aggregation(&name),
            SubqueryMisuse::UngroupedScalar(sql) => mismatch(
                ErrorClass::ScalarSubqueryIsInGroupByOrAggregateFunction,
                format!(
                    "The correlated scalar subquery '\"{sql}\"' is neither present in GROUP BY, nor in an aggregate function. Add it to GROUP BY using ordinal position or wrap it in `first()` (or `first_value`) if you don't care which value you get."
                ),
                None,
            ),
        }
    }
}

fn missing_aggregation(name: &str) -> QueryError {
    mismatch(
        ErrorClass::MissingAggregation,
        format!(
            "The non-aggregating expression \"{name}\" is based on columns which are not participating in the GROUP BY clause. Add the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value({name})\" if you do not care which of the values within a group is returned."
        ),
        None,
    )
}

/// The output name of a group expression: its column, the alias it names, or its text
/// (`window` for `window(...)`).
fn group_name(g: &Expr, aliases: &[(String, Expr)]) -> String {
    match g {
        Expr::Column { parts, .. } if parts.len() == 1 => aliases
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&parts[0]))
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| parts[0].clone()),
        Expr::Call(c) if c.name.eq_ignore_ascii_case("window") => "window".into(),
        other => other.output_name(),
    }
}

fn rewrite_window(c: WindowCall, f: &dyn Fn(TypedExpr) -> TypedExpr) -> WindowCall {
    let func = match c.func {
        WindowFunc::Aggregate(mut a) => {
            a.args = a.args.into_iter().map(f).collect();
            a.filter = a.filter.map(f);
            WindowFunc::Aggregate(a)
        }
        WindowFunc::Lag { offset, default } => WindowFunc::Lag {
            offset,
            default: default.map(|d| Box::new(f(*d))),
        },
        WindowFunc::Lead { offset, default } => WindowFunc::Lead {
            offset,
            default: default.map(|d| Box::new(f(*d))),
        },
        other => other,
    };
    WindowCall {
        func,
        args: c.args.into_iter().map(f).collect(),
        partition_by: c.partition_by.into_iter().map(f).collect(),
        order_by: c
            .order_by
            .into_iter()
            .map(|k| crate::plan::SortKey {
                expr: f(k.expr),
                ..k
            })
            .collect(),
        ..c
    }
}
