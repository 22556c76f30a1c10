//! Aggregating SELECTs: GROUP BY (positions, aliases, ALL, grouping sets), HAVING, and the
//! rewrite of select expressions onto the Aggregate node's output; PIVOT and the DataFrame
//! `agg` reuse it.

use std::cell::RefCell;
use std::sync::Arc;

use sqlparser::ast::{self, GroupByExpr, GroupByWithModifier};

use crate::analyzer::resolve::{AGG_REF_BASE, ExprContext, WINDOW_REF_BASE, mismatch};
use crate::analyzer::select::{
    GroupSpec, OrderKey, OrderTarget, SelectCore, SelectItem, contains_aggregate, ordinal,
    window_node,
};
use crate::analyzer::{Planner, Scope};
use crate::error::{QueryError, Result, Span};
use crate::expr::{Expr, call};
use crate::plan::aggregate::AggregateCall;
use crate::plan::expr::{ExprKind, TypedExpr};
use crate::plan::window::{WindowCall, WindowFunc};
use crate::plan::{LogicalPlan, PlanField, PlanNode, PlanSchema};
use crate::sql::lower::Lowering;
use crate::types::SparkType;

/// Most grouping sets a CUBE may expand to.
const MAX_GROUPING_SETS: usize = 4096;

impl Planner<'_> {
    /// Lower GROUP BY, expanding GROUPING SETS / ROLLUP / CUBE into membership masks.
    pub(crate) fn group_spec(
        &self,
        group_by: &GroupByExpr,
        lowering: &Lowering<'_>,
    ) -> Result<GroupSpec> {
        let (exprs, modifiers) = match group_by {
            GroupByExpr::All(mods) if mods.is_empty() => return Ok(GroupSpec::All),
            GroupByExpr::All(_) => {
                return Err(QueryError::Unsupported {
                    message: "GROUP BY ALL with modifiers".into(),
                    span: None,
                });
            }
            GroupByExpr::Expressions(exprs, modifiers) => (exprs, modifiers),
        };
        if exprs.is_empty() && modifiers.is_empty() {
            return Ok(GroupSpec::None);
        }
        let mut distinct: Vec<ast::Expr> = Vec::new();
        let index = |e: &ast::Expr, distinct: &mut Vec<ast::Expr>| -> usize {
            match distinct.iter().position(|d| d == e) {
                Some(i) => i,
                None => {
                    distinct.push(e.clone());
                    distinct.len() - 1
                }
            }
        };
        // Each grouping element contributes alternatives; the sets are their product.
        let mut elements: Vec<Vec<Vec<usize>>> = Vec::new();
        let mut plain = Vec::new();
        for e in exprs {
            match e {
                ast::Expr::GroupingSets(sets) => elements.push(
                    sets.iter()
                        .map(|s| s.iter().map(|x| index(x, &mut distinct)).collect())
                        .collect(),
                ),
                ast::Expr::Rollup(items) | ast::Expr::Cube(items) => {
                    let cols: Vec<Vec<usize>> = items
                        .iter()
                        .map(|s| s.iter().map(|x| index(x, &mut distinct)).collect())
                        .collect();
                    elements.push(if matches!(e, ast::Expr::Rollup(_)) {
                        rollup(&cols)
                    } else {
                        cube(&cols)?
                    });
                }
                other => plain.push(index(other, &mut distinct)),
            }
        }
        for m in modifiers {
            match m {
                GroupByWithModifier::Rollup => {
                    elements.push(rollup(&plain.iter().map(|&i| vec![i]).collect::<Vec<_>>()))
                }
                GroupByWithModifier::Cube => {
                    elements.push(cube(&plain.iter().map(|&i| vec![i]).collect::<Vec<_>>())?)
                }
                other => {
                    return Err(QueryError::Unsupported {
                        message: format!("GROUP BY ... {other}"),
                        span: None,
                    });
                }
            }
        }
        let has_modifier = !modifiers.is_empty();
        let lowered = distinct
            .iter()
            .map(|e| lowering.expr(e))
            .collect::<Result<Vec<_>>>()?;
        if elements.is_empty() {
            return Ok(GroupSpec::Exprs {
                exprs: lowered,
                sets: None,
            });
        }
        let base: Vec<usize> = if has_modifier { vec![] } else { plain };
        let mut sets: Vec<Vec<usize>> = vec![base];
        for alternatives in elements {
            let mut next = Vec::new();
            for s in &sets {
                for alt in &alternatives {
                    let mut merged = s.clone();
                    merged.extend(alt);
                    next.push(merged);
                }
            }
            sets = next;
        }
        let masks = sets
            .iter()
            .map(|s| (0..lowered.len()).map(|i| s.contains(&i)).collect())
            .collect();
        Ok(GroupSpec::Exprs {
            exprs: lowered,
            sets: Some(masks),
        })
    }

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
                                mismatch("GROUP_BY_POS_OUT_OF_RANGE", format!("GROUP BY position {n} is not in select list (valid range is [1, {}]).", core.items.len()), None)
                            })?;
                            if contains_aggregate(&item.expr) {
                                return Err(mismatch(
                                    "GROUP_BY_POS_AGGREGATE",
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
                        "UNSUPPORTED_FEATURE.PIVOT_AGGREGATE",
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

/// The first `window(ts, size, slide[, start])` call with a slide shorter than its size in the
/// GROUP BY or select list.
fn find_sliding(core: &SelectCore<'_>) -> Option<Vec<Expr>> {
    fn visit(e: &Expr) -> Option<Vec<Expr>> {
        match e {
            Expr::Call(c)
                if c.name.eq_ignore_ascii_case("window")
                    && c.over.is_none()
                    && c.args.len() >= 3 =>
            {
                Some(c.args.clone())
            }
            Expr::Alias(inner, _) | Expr::Field { expr: inner, .. } => visit(inner),
            _ => None,
        }
    }
    let groups: &[Expr] = match &core.group_by {
        GroupSpec::Exprs { exprs, .. } => exprs,
        _ => &[],
    };
    groups
        .iter()
        .chain(core.items.iter().map(|i| &i.expr))
        .find_map(visit)
}

/// A constant interval string (`'10 minutes'`) in microseconds.
fn duration(planner: &Planner<'_>, e: &TypedExpr, what: &str) -> Result<i64> {
    use arrow::array::{Array, AsArray};
    let bad = || {
        mismatch(
            "DATATYPE_MISMATCH.INVALID_WINDOW_DURATION",
            format!(
                "The {what} of `window` must be a constant day-time duration such as '5 minutes'."
            ),
            None,
        )
    };
    let lit = planner.constant(e).ok_or_else(bad)?;
    if lit.data_type != SparkType::String || lit.value.is_null(0) {
        return Err(bad());
    }
    let text = lit.value.as_string::<i32>().value(0).to_string();
    let (t, v) =
        crate::functions::interval::parse_interval_literal(&text, None, None).map_err(|_| bad())?;
    match t {
        SparkType::DayTimeInterval(..) => Ok(v
            .as_primitive::<arrow::datatypes::DurationMicrosecondType>()
            .value(0)),
        _ => Err(bad()),
    }
}

impl Planner<'_> {
    /// Expand a sliding `window(ts, size, slide)` into one row per window (a Generate node
    /// appending the `window` struct); the call then reads that column.
    pub(crate) fn sliding_window<'s>(
        &self,
        input: LogicalPlan,
        mut core: SelectCore<'s>,
        parent: Option<&Scope<'_>>,
    ) -> Result<(LogicalPlan, SelectCore<'s>)> {
        let Some(args) = find_sliding(&core) else {
            return Ok((input, core));
        };
        let schema = input.schema.clone();
        let scope = Scope::child(&schema, parent);
        let ctx = ExprContext::plain(self, &scope, "window");
        let resolved: Vec<TypedExpr> =
            args.iter().map(|a| ctx.resolve(a)).collect::<Result<_>>()?;
        let size = duration(self, &resolved[1], "window duration")?;
        let slide = duration(self, &resolved[2], "slide duration")?;
        let start = match resolved.get(3) {
            Some(s) => duration(self, s, "start time")?,
            None => 0,
        };
        if size <= 0 || slide <= 0 || slide > size {
            return Err(mismatch(
                "DATATYPE_MISMATCH.INVALID_WINDOW_DURATION",
                "A window's slide must be positive and at most its duration.".into(),
                None,
            ));
        }
        if slide == size {
            return Ok((input, core));
        }
        let ts = resolved[0]
            .clone()
            .cast_to(&SparkType::Timestamp, crate::plan::expr::CastKind::Ansi);
        let kind = crate::plan::GeneratorKind::TimeWindows { size, slide, start };
        let plan = crate::analyzer::relation::generate(input, kind, false, ts, &[], None)?;
        let index = plan.schema.len() - 1;
        let column = TypedExpr::column(index, plan.schema.fields[index].data_type.clone(), true);
        core.sliding = Some((resolved, column));
        Ok((plan, core))
    }
}

fn missing_aggregation(name: &str) -> QueryError {
    mismatch(
        "MISSING_AGGREGATION",
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

fn rollup(cols: &[Vec<usize>]) -> Vec<Vec<usize>> {
    (0..=cols.len()).rev().map(|n| cols[..n].concat()).collect()
}

fn cube(cols: &[Vec<usize>]) -> Result<Vec<Vec<usize>>> {
    if (1usize << cols.len().min(63)) > MAX_GROUPING_SETS {
        return Err(QueryError::Unsupported {
            message: format!("CUBE over {} columns", cols.len()),
            span: None,
        });
    }
    Ok((0..(1usize << cols.len()))
        .rev()
        .map(|mask| {
            cols.iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << (cols.len() - 1 - i)) != 0)
                .flat_map(|(_, c)| c.clone())
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_rollup_and_cube_sets() {
        let cols = vec![vec![0], vec![1]];
        assert_eq!(rollup(&cols), vec![vec![0, 1], vec![0], vec![]]);
        let mut c = cube(&cols).unwrap();
        c.sort();
        assert_eq!(c, vec![vec![], vec![0], vec![0, 1], vec![1]]);
    }
}
