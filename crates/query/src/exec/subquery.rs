//! Subqueries in expressions. An uncorrelated subquery runs once per query; a correlated one
//! runs once per distinct combination of the outer values it reads, with the outer row
//! pushed on the context's stack.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, RecordBatch, new_null_array};
use arrow::compute::concat;
use arrow::row::{RowConverter, SortField};

use crate::error::{ErrorClass, QueryError, Result};
use crate::exec::eval::{evaluate, repeat};
use crate::exec::{ExecContext, execute};
use crate::kernels::keys::normalize_key_column;
use crate::plan::expr::{ExprKind, SubqueryPlan, TypedExpr};
use crate::plan::{LogicalPlan, PlanNode};
use crate::types::SparkType;

/// What a subquery reads of the queries around it.
#[derive(Default)]
struct OuterRefs {
    /// Columns of the query directly around it, sorted and distinct.
    columns: Vec<usize>,
    /// Whether it also reads a query further out (through that query's row on the stack, so
    /// it must run with the row around it pushed, and its result is not the same everywhere).
    further: bool,
}

/// The outer columns (of the query directly around it) a subquery reads; empty when it reads
/// none (it may still read queries further out).
pub(crate) fn outer_columns(plan: &LogicalPlan) -> Vec<usize> {
    outer_refs(plan).columns
}

fn outer_refs(plan: &LogicalPlan) -> OuterRefs {
    let mut out = OuterRefs::default();
    collect_plan(plan, 0, &mut out);
    out.columns.sort_unstable();
    out.columns.dedup();
    out
}

fn collect_expr(e: &TypedExpr, level: usize, out: &mut OuterRefs) {
    e.walk(&mut |x| match &x.kind {
        ExprKind::Outer { depth, index } if *depth == level + 1 => out.columns.push(*index),
        ExprKind::Outer { depth, .. } if *depth > level + 1 => out.further = true,
        ExprKind::InSubquery { plan, .. }
        | ExprKind::Exists { plan, .. }
        | ExprKind::ScalarSubquery(plan) => collect_plan(&plan.0, level + 1, out),
        _ => {}
    });
}

fn collect_plan(plan: &LogicalPlan, level: usize, out: &mut OuterRefs) {
    for e in plan.node.exprs() {
        collect_expr(e, level, out);
    }
    if let PlanNode::LateralJoin { left, subquery, .. } = &plan.node {
        // The lateral subquery is one level deeper: its depth 1 is the left row.
        collect_plan(left, level, out);
        collect_plan(subquery, level + 1, out);
        return;
    }
    for child in plan.children() {
        collect_plan(child, level, out);
    }
}

/// Run the subquery for each row of `batch` (or once, when uncorrelated) and map each row to
/// its result with `per_result`.
pub(super) fn per_row<T: Clone>(
    plan: &SubqueryPlan,
    batch: &RecordBatch,
    ctx: &ExecContext,
    per_result: &dyn Fn(&[RecordBatch]) -> Result<T>,
) -> Result<Vec<T>> {
    let n = batch.num_rows();
    let OuterRefs {
        columns: refs,
        further,
    } = outer_refs(&plan.0);
    if refs.is_empty() && further {
        // Same result for every row here, but only under the rows further out: run it once
        // for this batch, one level down (it reads none of this row's columns).
        if n == 0 {
            return Ok(Vec::new());
        }
        ctx.outer.borrow_mut().push(batch.slice(0, 1));
        let result = execute(&plan.0, ctx);
        ctx.outer.borrow_mut().pop();
        let value = per_result(&result?)?;
        return Ok(vec![value; n]);
    }
    if refs.is_empty() {
        let key = Arc::as_ptr(&plan.0) as usize;
        let cached = ctx.subqueries.borrow().get(&key).cloned();
        let batches = match cached {
            Some(b) => b,
            None => {
                let b = Arc::new(execute(&plan.0, ctx)?);
                ctx.subqueries.borrow_mut().insert(key, b.clone());
                b
            }
        };
        let value = per_result(&batches)?;
        return Ok(vec![value; n]);
    }
    let columns: Vec<ArrayRef> = refs
        .iter()
        .map(|&i| normalize_key_column(batch.column(i)))
        .collect::<Result<_>>()?;
    let converter = RowConverter::new(
        columns
            .iter()
            .map(|c| SortField::new(c.data_type().clone()))
            .collect(),
    )?;
    let rows = converter.convert_columns(&columns)?;
    let mut cache: HashMap<Vec<u8>, T> = HashMap::new();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        ctx.check_cancel()?;
        let key = rows.row(i).as_ref().to_vec();
        if let Some(v) = cache.get(&key) {
            out.push(v.clone());
            continue;
        }
        ctx.outer.borrow_mut().push(batch.slice(i, 1));
        let result = execute(&plan.0, ctx);
        ctx.outer.borrow_mut().pop();
        let v = per_result(&result?)?;
        cache.insert(key, v.clone());
        out.push(v);
    }
    Ok(out)
}

/// `[NOT] EXISTS (subquery)`.
pub(crate) fn exists(
    plan: &SubqueryPlan,
    negated: bool,
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<ArrayRef> {
    let found = per_row(plan, batch, ctx, &|b| {
        Ok(b.iter().any(|x| x.num_rows() > 0))
    })?;
    Ok(Arc::new(BooleanArray::from(
        found.into_iter().map(|f| f != negated).collect::<Vec<_>>(),
    )))
}

/// A scalar subquery: NULL for no rows, an error for more than one.
pub(crate) fn scalar(
    plan: &SubqueryPlan,
    data_type: &SparkType,
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<ArrayRef> {
    let arrow_type = data_type.to_arrow();
    let values = per_row(plan, batch, ctx, &|b| {
        let rows: usize = b.iter().map(RecordBatch::num_rows).sum();
        match rows {
            0 => Ok(new_null_array(&arrow_type, 1)),
            1 => {
                let one = b.iter().find(|x| x.num_rows() == 1).expect("one row");
                Ok(one.column(0).clone())
            }
            _ => Err(QueryError::execution(
                ErrorClass::ScalarSubqueryTooManyRows,
                "More than one row returned by a subquery used as an expression.",
            )),
        }
    })?;
    if values.len() == batch.num_rows() && values.windows(2).all(|w| Arc::ptr_eq(&w[0], &w[1])) {
        return match values.first() {
            Some(v) => repeat(v, batch.num_rows()),
            None => Ok(new_null_array(&arrow_type, 0)),
        };
    }
    let refs: Vec<&dyn Array> = values.iter().map(|v| v.as_ref()).collect();
    if refs.is_empty() {
        return Ok(new_null_array(&arrow_type, 0));
    }
    Ok(concat(&refs)?)
}

/// The distinct non-NULL values of a one-column result, and whether it held a NULL.
#[derive(Clone)]
struct ValueSet {
    rows: Arc<std::collections::HashSet<Vec<u8>>>,
    has_null: bool,
    empty: bool,
}

/// `x [NOT] IN (subquery)` with SQL's NULL rules, or, `two_valued` (Spark's select list),
/// FALSE where those rules give NULL.
pub(crate) fn in_subquery(
    x: &TypedExpr,
    plan: &SubqueryPlan,
    (negated, two_valued): (bool, bool),
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<ArrayRef> {
    let value = evaluate(x, batch, ctx)?;
    if plan.0.schema.len() > 1 {
        return super::row_in::in_subquery_rows(&value, plan, (negated, two_valued), batch, ctx);
    }
    let value = normalize_key_column(&value)?;
    let field = SortField::new(value.data_type().clone());
    let converter = RowConverter::new(vec![field])?;
    let sets = per_row(plan, batch, ctx, &|b| {
        let mut rows = std::collections::HashSet::new();
        let mut has_null = false;
        let mut empty = true;
        for part in b {
            let col = normalize_key_column(part.column(0))?;
            empty &= col.is_empty();
            has_null |= col.null_count() > 0;
            let encoded = converter.convert_columns(std::slice::from_ref(&col))?;
            for i in 0..col.len() {
                if col.is_valid(i) {
                    rows.insert(encoded.row(i).as_ref().to_vec());
                }
            }
        }
        Ok(ValueSet {
            rows: Arc::new(rows),
            has_null,
            empty,
        })
    })?;
    let encoded = converter.convert_columns(std::slice::from_ref(&value))?;
    let result: BooleanArray = (0..value.len())
        .map(|i| {
            let set = &sets[i];
            let found = if set.empty {
                Some(false)
            } else if two_valued {
                Some(value.is_valid(i) && set.rows.contains(encoded.row(i).as_ref()))
            } else if value.is_null(i) {
                None
            } else if set.rows.contains(encoded.row(i).as_ref()) {
                Some(true)
            } else if set.has_null {
                None
            } else {
                Some(false)
            };
            found.map(|f| f != negated)
        })
        .collect();
    Ok(Arc::new(result))
}
