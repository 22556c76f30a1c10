//! Joins: a hash join on the equality keys (build on the right input, probe with the left),
//! or a nested loop when there are none; the residual condition is evaluated on candidate
//! pairs in blocks. NULL keys never match unless the key is null-safe (`<=>`).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, RecordBatch, UInt32Array};
use arrow::compute::take;
use arrow::datatypes::{DataType, SchemaRef};

use crate::error::{QueryError, Result};
use crate::exec::eval::{evaluate, evaluate_predicate};
use crate::exec::{ExecContext, concat, make_batch};
use crate::kernels::keys::Grouper;
use crate::limits::{BUDGET_EXCEEDED, MAX_JOIN_PAIRS, MAX_OPERATOR_VALUES};
use crate::plan::expr::TypedExpr;
use crate::plan::{JoinKey, JoinKind, PlanSchema};

/// Candidate pairs evaluated against the residual condition at a time.
const PAIR_BLOCK: usize = 64 * 1024;

/// Right rows grouped by key: rows of group `g` are `rows[starts[g]..starts[g + 1]]`.
struct Buckets {
    starts: Vec<usize>,
    rows: Vec<u32>,
}

/// Mark rows whose non-null-safe keys are NULL (they match nothing).
fn null_key_rows(keys: &[ArrayRef], spec: &[JoinKey]) -> Vec<bool> {
    let n = keys.first().map_or(0, |k| k.len());
    let mut out = vec![false; n];
    for (k, s) in keys.iter().zip(spec) {
        if s.null_safe || k.null_count() == 0 {
            continue;
        }
        for (i, o) in out.iter_mut().enumerate() {
            *o |= k.is_null(i);
        }
    }
    out
}

/// Run a Join node.
#[allow(clippy::too_many_arguments)]
pub(crate) fn join(
    left: &[RecordBatch],
    left_schema: &PlanSchema,
    right: &[RecordBatch],
    right_schema: &PlanSchema,
    kind: JoinKind,
    keys: &[JoinKey],
    filter: Option<&TypedExpr>,
    schema: &SchemaRef,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let l = concat(&left_schema.arrow(), left)?;
    let r = concat(&right_schema.arrow(), right)?;
    let (nl, nr) = (l.num_rows(), r.num_rows());
    // Candidate pairs, as (left row, right row), in left order.
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut matched_left = vec![false; nl];
    let mut matched_right = vec![false; nr];
    let mut block: Vec<(u32, u32)> = Vec::with_capacity(PAIR_BLOCK);
    let width = schema.fields().len().max(1) as u64;
    let flush = |block: &mut Vec<(u32, u32)>,
                 pairs: &mut Vec<(u32, u32)>,
                 ml: &mut [bool],
                 mr: &mut [bool]|
     -> Result<()> {
        if block.is_empty() {
            return Ok(());
        }
        ctx.check_cancel()?;
        let keep: Option<BooleanArray> = match filter {
            None => None,
            Some(f) => {
                let li = UInt32Array::from_iter_values(block.iter().map(|p| p.0));
                let ri = UInt32Array::from_iter_values(block.iter().map(|p| p.1));
                let combined = pair_batch(&l, &r, &li, &ri)?;
                Some(evaluate_predicate(f, &combined, ctx)?)
            }
        };
        for (k, &(a, b)) in block.iter().enumerate() {
            if keep.as_ref().is_none_or(|m| m.is_valid(k) && m.value(k)) {
                ml[a as usize] = true;
                mr[b as usize] = true;
                pairs.push((a, b));
            }
        }
        block.clear();
        if pairs.len() as u64 * width > MAX_OPERATOR_VALUES {
            return Err(QueryError::execution(
                BUDGET_EXCEEDED,
                format!(
                    "the join produces more than {} rows of {width} columns, past the engine's budget of {MAX_OPERATOR_VALUES} values per operator (MAX_OPERATOR_VALUES, so the page keeps its memory): add a join condition or filter the inputs first",
                    pairs.len()
                ),
            ));
        }
        Ok(())
    };
    if keys.is_empty() {
        let candidates = nl as u64 * nr as u64;
        if candidates > MAX_JOIN_PAIRS {
            return Err(QueryError::execution(
                BUDGET_EXCEEDED,
                format!(
                    "the join has no equality condition, so it would test all {nl} × {nr} = {candidates} row pairs, past the engine's budget of {MAX_JOIN_PAIRS} (MAX_JOIN_PAIRS): join on equal keys, or filter the inputs first"
                ),
            ));
        }
        for a in 0..nl as u32 {
            for b in 0..nr as u32 {
                block.push((a, b));
                if block.len() >= PAIR_BLOCK {
                    flush(
                        &mut block,
                        &mut pairs,
                        &mut matched_left,
                        &mut matched_right,
                    )?;
                }
            }
        }
    } else {
        let rkeys = keys
            .iter()
            .map(|k| evaluate(&k.right, &r, ctx))
            .collect::<Result<Vec<_>>>()?;
        let lkeys = keys
            .iter()
            .map(|k| evaluate(&k.left, &l, ctx))
            .collect::<Result<Vec<_>>>()?;
        let types: Vec<DataType> = rkeys.iter().map(|k| k.data_type().clone()).collect();
        let mut grouper = Grouper::new(&types)?;
        let mut ids = Vec::new();
        grouper.assign(&rkeys, nr, &mut ids)?;
        let skip_right = null_key_rows(&rkeys, keys);
        let buckets = buckets(&ids, &skip_right, grouper.num_groups());
        let mut found = Vec::new();
        grouper.lookup(&lkeys, nl, &mut found)?;
        let skip_left = null_key_rows(&lkeys, keys);
        for (a, g) in found.iter().enumerate() {
            let Some(g) = g else { continue };
            if skip_left[a] {
                continue;
            }
            let g = *g as usize;
            for &b in &buckets.rows[buckets.starts[g]..buckets.starts[g + 1]] {
                block.push((a as u32, b));
                if block.len() >= PAIR_BLOCK {
                    flush(
                        &mut block,
                        &mut pairs,
                        &mut matched_left,
                        &mut matched_right,
                    )?;
                }
            }
        }
    }
    flush(
        &mut block,
        &mut pairs,
        &mut matched_left,
        &mut matched_right,
    )?;
    output(&l, &r, kind, pairs, &matched_left, &matched_right, schema)
}

fn buckets(ids: &[u32], skip: &[bool], groups: usize) -> Buckets {
    let mut starts = vec![0usize; groups + 1];
    for (i, &g) in ids.iter().enumerate() {
        if !skip[i] {
            starts[g as usize + 1] += 1;
        }
    }
    for g in 0..groups {
        starts[g + 1] += starts[g];
    }
    let mut fill = starts.clone();
    let mut rows = vec![0u32; starts[groups]];
    for (i, &g) in ids.iter().enumerate() {
        if !skip[i] {
            rows[fill[g as usize]] = i as u32;
            fill[g as usize] += 1;
        }
    }
    Buckets { starts, rows }
}

/// Left and right columns side by side for the given row pairs.
fn pair_batch(
    l: &RecordBatch,
    r: &RecordBatch,
    li: &UInt32Array,
    ri: &UInt32Array,
) -> Result<RecordBatch> {
    let mut columns: Vec<ArrayRef> = l
        .columns()
        .iter()
        .map(|c| take(c.as_ref(), li, None))
        .collect::<std::result::Result<_, _>>()?;
    for c in r.columns() {
        columns.push(take(c.as_ref(), ri, None)?);
    }
    let mut fields: Vec<arrow::datatypes::FieldRef> = l.schema().fields().iter().cloned().collect();
    fields.extend(r.schema().fields().iter().cloned());
    // Field names may repeat across sides; only positions matter here.
    let schema = Arc::new(arrow::datatypes::Schema::new(fields));
    make_batch(schema, columns, li.len())
}

#[allow(clippy::too_many_arguments)]
fn output(
    l: &RecordBatch,
    r: &RecordBatch,
    kind: JoinKind,
    pairs: Vec<(u32, u32)>,
    matched_left: &[bool],
    matched_right: &[bool],
    schema: &SchemaRef,
) -> Result<Vec<RecordBatch>> {
    if matches!(kind, JoinKind::LeftSemi | JoinKind::LeftAnti) {
        let want = kind == JoinKind::LeftSemi;
        let rows: Vec<u32> = (0..l.num_rows() as u32)
            .filter(|&a| matched_left[a as usize] == want)
            .collect();
        let idx = UInt32Array::from(rows);
        let columns = l
            .columns()
            .iter()
            .map(|c| take(c.as_ref(), &idx, None))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        return Ok(vec![make_batch(schema.clone(), columns, idx.len())?]);
    }
    let mut li: Vec<Option<u32>> = Vec::with_capacity(pairs.len());
    let mut ri: Vec<Option<u32>> = Vec::with_capacity(pairs.len());
    let keep_left = matches!(kind, JoinKind::Left | JoinKind::Full);
    let keep_right = matches!(kind, JoinKind::Right | JoinKind::Full);
    let mut p = 0;
    for a in 0..l.num_rows() as u32 {
        let start = p;
        while p < pairs.len() && pairs[p].0 == a {
            li.push(Some(a));
            ri.push(Some(pairs[p].1));
            p += 1;
        }
        if p == start && keep_left && !matched_left[a as usize] {
            li.push(Some(a));
            ri.push(None);
        }
    }
    if keep_right {
        for (b, m) in matched_right.iter().enumerate() {
            if !m {
                li.push(None);
                ri.push(Some(b as u32));
            }
        }
    }
    let (li, ri) = (UInt32Array::from(li), UInt32Array::from(ri));
    let mut columns: Vec<ArrayRef> = l
        .columns()
        .iter()
        .map(|c| take(c.as_ref(), &li, None))
        .collect::<std::result::Result<_, _>>()?;
    for c in r.columns() {
        columns.push(take(c.as_ref(), &ri, None)?);
    }
    Ok(vec![make_batch(schema.clone(), columns, li.len())?])
}
