//! Evaluating a [`TypedExpr`] over a batch. Conditional forms (CASE, COALESCE, AND, OR)
//! evaluate their later parts only on the rows that need them, so an unchosen branch never
//! raises an error (Spark does not raise DIVIDE_BY_ZERO in a branch it does not take).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, RecordBatch, StructArray, UInt32Array, new_null_array,
};
use arrow::buffer::BooleanBuffer;
use arrow::compute::kernels::boolean::{and_kleene, not, or_kleene};
use arrow::compute::{filter_record_batch, is_not_null, is_null, take};
use arrow::datatypes::Schema;

use crate::coerce;
use crate::context::ExecOptions;
use crate::error::{QueryError, Result};
use crate::exec::{ExecContext, make_batch, subquery};
use crate::kernels::fill::{fill_nulls, repeat_fixed};
use crate::kernels::gather::gather;
use crate::plan::expr::{ExprKind, Literal, TypedExpr};

/// Evaluate `expr` over every row of `batch`.
pub(crate) fn evaluate(
    expr: &TypedExpr,
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<ArrayRef> {
    let n = batch.num_rows();
    Ok(match &expr.kind {
        ExprKind::Column(i) => batch.column(*i).clone(),
        ExprKind::Outer { depth, index } => {
            let outer = ctx.outer.borrow();
            let row = outer
                .len()
                .checked_sub(*depth)
                .and_then(|k| outer.get(k))
                .ok_or_else(|| {
                    QueryError::Internal(format!(
                        "correlated reference {depth} levels out has no enclosing row"
                    ))
                })?;
            let column = row.columns().get(*index).ok_or_else(|| {
                QueryError::Internal(format!(
                    "correlated reference to column {index} of a {}-column outer row",
                    row.num_columns()
                ))
            })?;
            repeat(column, n)?
        }
        ExprKind::Literal(l) => repeat(&l.value, n)?,
        ExprKind::Call { func, args } => {
            let values = args
                .iter()
                .map(|a| evaluate(a, batch, ctx))
                .collect::<Result<Vec<_>>>()?;
            let out = func.0.invoke(&values, n, &ctx.eval_context())?;
            if out.len() != n {
                return Err(QueryError::Internal(format!(
                    "function `{}` returned {} values for {n} rows",
                    func.0.name(),
                    out.len()
                )));
            }
            out
        }
        ExprKind::Cast { expr: inner, kind } => {
            let value = evaluate(inner, batch, ctx)?;
            coerce::cast(&value, &inner.data_type, &expr.data_type, *kind)?
        }
        ExprKind::And(a, b) => logic(a, b, batch, ctx, false)?,
        ExprKind::Or(a, b) => logic(a, b, batch, ctx, true)?,
        ExprKind::Not(a) => Arc::new(not(as_bool(&evaluate(a, batch, ctx)?)?)?),
        ExprKind::IsNull {
            expr: inner,
            negated,
        } => {
            let v = evaluate(inner, batch, ctx)?;
            Arc::new(if *negated {
                is_not_null(&v)?
            } else {
                is_null(&v)?
            })
        }
        ExprKind::Case {
            branches,
            otherwise,
        } => case(branches, otherwise.as_deref(), expr, batch, ctx)?,
        ExprKind::Coalesce(args) => coalesce(args, expr, batch, ctx)?,
        ExprKind::InList {
            expr: x,
            list,
            eq,
            negated,
        } => {
            let value = evaluate(x, batch, ctx)?;
            let mut acc: Option<BooleanArray> = None;
            for item in list {
                let candidate = evaluate(item, batch, ctx)?;
                let hit =
                    eq.0.invoke(&[value.clone(), candidate], n, &ctx.eval_context())?;
                let hit = as_bool(&hit)?.clone();
                acc = Some(match acc {
                    None => hit,
                    Some(a) => or_kleene(&a, &hit)?,
                });
            }
            let found = acc.unwrap_or_else(|| BooleanArray::from(vec![false; n]));
            Arc::new(if *negated { not(&found)? } else { found })
        }
        ExprKind::InSubquery {
            expr: x,
            plan,
            negated,
            two_valued,
        } => subquery::in_subquery(x, plan, (*negated, *two_valued), batch, ctx)?,
        ExprKind::Exists { plan, negated } => subquery::exists(plan, *negated, batch, ctx)?,
        ExprKind::ScalarSubquery(plan) => subquery::scalar(plan, &expr.data_type, batch, ctx)?,
        ExprKind::GetField { expr: inner, index } => {
            let v = evaluate(inner, batch, ctx)?;
            let s = v.as_any().downcast_ref::<StructArray>().ok_or_else(|| {
                QueryError::Internal(format!(
                    "field access on a non-struct array ({})",
                    v.data_type()
                ))
            })?;
            let field = s.column(*index).clone();
            match s.nulls() {
                Some(nulls) if nulls.null_count() > 0 => {
                    // A NULL struct has NULL fields.
                    let mask = BooleanArray::new(nulls.inner().clone(), None);
                    arrow::compute::nullif(&field, &not(&mask)?)?
                }
                _ => field,
            }
        }
    })
}

/// Evaluate a predicate to a mask (NULL counts as not selected by the caller's filter).
pub(crate) fn evaluate_predicate(
    expr: &TypedExpr,
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<BooleanArray> {
    let v = evaluate(expr, batch, ctx)?;
    Ok(as_bool(&v)?.clone())
}

/// The value of a constant expression (no columns, outer rows or subqueries).
pub(crate) fn eval_constant(expr: &TypedExpr, now_micros: i64) -> Result<Literal> {
    let ctx = ExecContext::new(ExecOptions {
        now_micros,
        cancel: None,
    });
    let one = make_batch(Arc::new(Schema::empty()), vec![], 1)?;
    let value = evaluate(expr, &one, &ctx)?;
    Ok(Literal::new(expr.data_type.clone(), value))
}

pub(crate) fn as_bool(a: &ArrayRef) -> Result<&BooleanArray> {
    a.as_any().downcast_ref::<BooleanArray>().ok_or_else(|| {
        QueryError::Internal(format!("expected a boolean array, found {}", a.data_type()))
    })
}

/// A one-element array repeated `n` times.
pub(crate) fn repeat(value: &ArrayRef, n: usize) -> Result<ArrayRef> {
    if n == 1 && value.len() == 1 {
        return Ok(value.clone());
    }
    if value.logical_null_count() == value.len() {
        return Ok(new_null_array(value.data_type(), n));
    }
    if let Some(repeated) = repeat_fixed(value, n)? {
        return Ok(repeated);
    }
    let indices = UInt32Array::from(vec![0u32; n]);
    Ok(take(value.as_ref(), &indices, None)?)
}

/// Rows `indices` of the batch (all rows when `indices` covers them in order).
fn rows(
    expr: &TypedExpr,
    batch: &RecordBatch,
    mask: &BooleanArray,
    selected: usize,
) -> Result<RecordBatch> {
    if selected == batch.num_rows() {
        Ok(batch.clone())
    } else if batch.num_columns() == 0 {
        make_batch(batch.schema(), vec![], selected)
    } else if expr.has_subquery() {
        // A correlated subquery reads its outer row's columns by position from the batch.
        Ok(filter_record_batch(batch, mask)?)
    } else {
        // Only the columns `expr` reads are filtered; the others keep their place and type as
        // an O(1) slice that is never read (`coalesce(x, 0)` over a wide batch copied every
        // column for the literal).
        let used = expr.columns();
        let columns = batch
            .columns()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if used.contains(&i) {
                    Ok(arrow::compute::filter(c.as_ref(), mask)?)
                } else {
                    Ok(c.slice(0, selected))
                }
            })
            .collect::<Result<Vec<_>>>()?;
        make_batch(batch.schema(), columns, selected)
    }
}

/// A mask of rows whose value is exactly TRUE (NULL is not).
fn true_mask(a: &BooleanArray) -> BooleanArray {
    match a.nulls() {
        None => a.clone(),
        Some(nulls) => BooleanArray::new(a.values() & nulls.inner(), None),
    }
}

/// Scatter `partial` (one value per selected row) back to all rows; other rows are NULL.
fn scatter(partial: &ArrayRef, mask: &BooleanArray) -> Result<ArrayRef> {
    if partial.len() == mask.len() {
        return Ok(partial.clone());
    }
    let mut next = 0u32;
    let indices: UInt32Array = (0..mask.len())
        .map(|i| {
            if mask.value(i) {
                next += 1;
                Some(next - 1)
            } else {
                None
            }
        })
        .collect();
    Ok(take(partial.as_ref(), &indices, None)?)
}

/// AND / OR with Kleene logic; the right side only runs where it can change the result.
fn logic(
    a: &TypedExpr,
    b: &TypedExpr,
    batch: &RecordBatch,
    ctx: &ExecContext,
    is_or: bool,
) -> Result<ArrayRef> {
    let left = evaluate(a, batch, ctx)?;
    let left = as_bool(&left)?.clone();
    // AND needs the right side where the left is not FALSE; OR where it is not TRUE.
    let decided = if is_or {
        true_mask(&left)
    } else {
        true_mask(&not(&left)?)
    };
    let needed = not(&decided)?;
    let count = needed.true_count();
    if count == 0 {
        return Ok(Arc::new(left));
    }
    let sub = rows(b, batch, &needed, count)?;
    let right = evaluate(b, &sub, ctx)?;
    let right = scatter(&right, &needed)?;
    let right = as_bool(&right)?;
    Ok(Arc::new(if is_or {
        or_kleene(&left, right)?
    } else {
        and_kleene(&left, right)?
    }))
}

/// Assemble a result from per-row sources: `sources[k]` holds values for the rows where
/// `choice[row] == Some(k)` (in row order); other rows are NULL.
fn assemble(
    result: &TypedExpr,
    sources: Vec<ArrayRef>,
    choice: &[Option<usize>],
) -> Result<ArrayRef> {
    let n = choice.len();
    if let [only] = sources.as_slice()
        && only.len() == n
        && choice.iter().all(|c| *c == Some(0))
    {
        return Ok(only.clone());
    }
    let arrays: Vec<&dyn Array> = sources.iter().map(|a| a.as_ref()).collect();
    let mut next = vec![0usize; sources.len()];
    let picks: Vec<Option<(usize, usize)>> = choice
        .iter()
        .map(|c| {
            c.map(|k| {
                next[k] += 1;
                (k, next[k] - 1)
            })
        })
        .collect();
    gather(&result.data_type.to_arrow(), &arrays, &picks)
}

fn case(
    branches: &[(TypedExpr, TypedExpr)],
    otherwise: Option<&TypedExpr>,
    result: &TypedExpr,
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<ArrayRef> {
    let n = batch.num_rows();
    let mut choice: Vec<Option<usize>> = vec![None; n];
    let mut undecided = BooleanArray::from(vec![true; n]);
    let mut sources = Vec::new();
    for (cond, value) in branches {
        let open = undecided.true_count();
        if open == 0 {
            break;
        }
        let sub = rows(cond, batch, &undecided, open)?;
        let c = evaluate(cond, &sub, ctx)?;
        let taken_here = true_mask(as_bool(&c)?);
        let taken = as_bool(&scatter(&(Arc::new(taken_here) as ArrayRef), &undecided)?)?.clone();
        let taken = true_mask(&taken);
        let count = taken.true_count();
        if count > 0 {
            let chosen = rows(value, batch, &taken, count)?;
            sources.push(evaluate(value, &chosen, ctx)?);
            let k = sources.len() - 1;
            choice.resize(n, None);
            for (i, slot) in choice.iter_mut().enumerate() {
                if taken.value(i) {
                    *slot = Some(k);
                }
            }
            undecided = arrow::compute::kernels::boolean::and_not(&undecided, &taken)?;
        }
    }
    if let Some(o) = otherwise {
        let open = undecided.true_count();
        if open > 0 {
            let sub = rows(o, batch, &undecided, open)?;
            sources.push(evaluate(o, &sub, ctx)?);
            let k = sources.len() - 1;
            choice.resize(n, None);
            for (i, slot) in choice.iter_mut().enumerate() {
                if undecided.value(i) {
                    *slot = Some(k);
                }
            }
        }
    }
    assemble(result, sources, &choice)
}

fn coalesce(
    args: &[TypedExpr],
    result: &TypedExpr,
    batch: &RecordBatch,
    ctx: &ExecContext,
) -> Result<ArrayRef> {
    let n = batch.num_rows();
    // Allocated when a second source is needed: `coalesce(x, constant)` never needs it.
    let mut choice: Vec<Option<usize>> = Vec::new();
    let mut missing = BooleanArray::new(BooleanBuffer::new_set(n), None);
    let mut sources = Vec::new();
    for (at, arg) in args.iter().enumerate() {
        let open = missing.true_count();
        if open == 0 {
            break;
        }
        let sub = rows(arg, batch, &missing, open)?;
        let v = evaluate(arg, &sub, ctx)?;
        // `coalesce(x, constant)`: one pass filling x's NULLs, when x's type allows.
        if at == 0
            && let [_, constant] = args
            && let ExprKind::Literal(constant) = &constant.kind
            && let Some(filled) = fill_nulls(&v, &constant.value, &result.data_type.to_arrow())?
        {
            return Ok(filled);
        }
        // Rows of `v` (one per missing row) that have a value.
        let has = is_not_null(&v)?;
        let has_all = as_bool(&scatter(&(Arc::new(has.clone()) as ArrayRef), &missing)?)?.clone();
        let has_all = true_mask(&has_all);
        if has_all.true_count() > 0 {
            let kept = arrow::compute::filter(&v, &has)?;
            sources.push(kept);
            let k = sources.len() - 1;
            choice.resize(n, None);
            for (i, slot) in choice.iter_mut().enumerate() {
                if has_all.value(i) {
                    *slot = Some(k);
                }
            }
            missing = arrow::compute::kernels::boolean::and_not(&missing, &has_all)?;
        }
    }
    choice.resize(n, None);
    assemble(result, sources, &choice)
}
