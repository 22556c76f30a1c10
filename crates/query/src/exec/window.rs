//! Window functions. Rows are sorted by (partition keys, order keys); each call is computed
//! in that order over its partition and frame, then put back in input order.
//!
//! Aggregates over a frame that is the whole partition run once per partition; other frames
//! feed each output row its frame's rows (work proportional to the frames' total size).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Float64Array, Int32Array, NullArray, RecordBatch, UInt32Array,
};
use arrow::buffer::{BooleanBuffer, NullBuffer};
use arrow::compute::take;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use crate::error::{QueryError, Result};
use crate::exec::accumulators;
use crate::exec::eval::{evaluate, evaluate_predicate};
use crate::exec::{ExecContext, concat, make_batch};
use crate::kernels::gather::gather;
use crate::plan::window::{FrameBound, FrameUnits, WindowCall, WindowFunc};

mod frames;
mod nearest;
mod sorted;

use frames::frame_bounds;
use nearest::NearestValid;
use sorted::SortedRows;

/// Output rows fed to frame aggregates per accumulator update.
const FRAME_BLOCK: usize = 256 * 1024;

/// Run a Window node: the input columns followed by one column per call. `read` lists the input
/// columns the calls read (`None`: all of them, as a correlated subquery reads its outer row by
/// position). Only those are joined into one batch to sort and evaluate; each input batch keeps
/// its own columns and gets its slice of the results, so the columns the calls never read (most
/// of a wide sensor table) are not copied.
pub(crate) fn window(
    batches: &[RecordBatch],
    input: &SchemaRef,
    calls: &[WindowCall],
    read: Option<&[usize]>,
    schema: &SchemaRef,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let per_batch = batches.len() > 1 && read.is_some();
    let all = match read {
        Some(read) if per_batch => concat_read(input, batches, read)?,
        _ => concat(input, batches)?,
    };
    // Calls over the same PARTITION BY and ORDER BY share one sort (a learner's query often
    // has several lag/last_value calls over one window).
    let mut sorts: Vec<SortedRows> = Vec::new();
    let mut results = Vec::with_capacity(calls.len());
    for call in calls {
        ctx.check_cancel()?;
        let at = match sorts.iter().position(|s| s.serves(call)) {
            Some(at) => at,
            None => {
                sorts.push(SortedRows::new(&all, call, ctx)?);
                sorts.len() - 1
            }
        };
        results.push(compute(&all, call, &sorts[at], ctx)?);
    }
    if !per_batch {
        let mut columns = all.columns().to_vec();
        columns.extend(results);
        return Ok(vec![make_batch(schema.clone(), columns, all.num_rows())?]);
    }
    let mut offset = 0;
    batches
        .iter()
        .map(|b| {
            let rows = b.num_rows();
            let mut columns = b.columns().to_vec();
            columns.extend(results.iter().map(|r| r.slice(offset, rows)));
            offset += rows;
            make_batch(schema.clone(), columns, rows)
        })
        .collect()
}

/// The batches as one, with the `read` columns concatenated and every other column a placeholder
/// of type NULL (never read, and O(1): it has no buffers).
fn concat_read(input: &SchemaRef, batches: &[RecordBatch], read: &[usize]) -> Result<RecordBatch> {
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let mut fields = Vec::with_capacity(input.fields().len());
    let mut columns = Vec::with_capacity(input.fields().len());
    for (i, field) in input.fields().iter().enumerate() {
        if read.contains(&i) {
            let parts: Vec<&dyn Array> = batches.iter().map(|b| b.column(i).as_ref()).collect();
            columns.push(arrow::compute::concat(&parts)?);
            fields.push(field.clone());
        } else {
            columns.push(Arc::new(NullArray::new(rows)));
            fields.push(Arc::new(Field::new(field.name(), DataType::Null, true)));
        }
    }
    make_batch(Arc::new(Schema::new(fields)), columns, rows)
}

fn compute(
    batch: &RecordBatch,
    call: &WindowCall,
    sorted: &SortedRows,
    ctx: &ExecContext,
) -> Result<ArrayRef> {
    let n = batch.num_rows();
    let (order, layout, part_start) = (&sorted.order, &sorted.layout, &sorted.part_start);
    // The single ORDER BY value of each sorted row, for RANGE frames with offsets.
    let range_values = match (&call.frame.units, sorted.okeys.as_slice()) {
        (FrameUnits::Range, [k]) if has_offsets(call) => Some(frames::range_values(
            &take(k.as_ref(), order, None)?,
            !call.order_by[0].ascending,
        )?),
        _ => None,
    };
    let sorted_result: ArrayRef = match &call.func {
        WindowFunc::RowNumber => int_result((0..n).map(|k| (k - layout.partition(k).0 + 1) as i32)),
        WindowFunc::Rank => {
            int_result((0..n).map(|k| (layout.peers(k).0 - layout.partition(k).0 + 1) as i32))
        }
        WindowFunc::DenseRank => int_result((0..n).map(|k| layout.peer_rank(k) as i32)),
        WindowFunc::PercentRank => Arc::new(Float64Array::from_iter_values((0..n).map(|k| {
            let (ps, pe) = layout.partition(k);
            if pe - ps <= 1 {
                0.0
            } else {
                (layout.peers(k).0 - ps) as f64 / (pe - ps - 1) as f64
            }
        }))),
        WindowFunc::CumeDist => Arc::new(Float64Array::from_iter_values((0..n).map(|k| {
            let (ps, pe) = layout.partition(k);
            (layout.peers(k).1 - ps) as f64 / (pe - ps) as f64
        }))),
        WindowFunc::Ntile(buckets) => int_result((0..n).map(|k| {
            let (ps, pe) = layout.partition(k);
            ntile(k - ps, pe - ps, *buckets as usize) as i32
        })),
        WindowFunc::Lag { offset, default } | WindowFunc::Lead { offset, default } => {
            let values = evaluate(&call.args[0], batch, ctx)?;
            let default = match default {
                Some(d) => Some(evaluate(d, batch, ctx)?),
                None => None,
            };
            let signed = if matches!(call.func, WindowFunc::Lag { .. }) {
                -*offset
            } else {
                *offset
            };
            // Already in input order: each row reads its source row directly.
            return offset_values(&values, default.as_ref(), signed, sorted, call.ignore_nulls);
        }
        WindowFunc::FirstValue | WindowFunc::LastValue | WindowFunc::NthValue(_) => {
            let values = take(evaluate(&call.args[0], batch, ctx)?.as_ref(), order, None)?;
            // With IGNORE NULLS, first/last look up the nearest non-NULL row in O(1) instead
            // of walking the frame (ffill over sparse readings has long runs of NULLs).
            let nearest = (call.ignore_nulls && values.null_count() > 0)
                .then(|| NearestValid::new(values.as_ref()));
            let picks: Vec<Option<u32>> = (0..n)
                .map(|k| {
                    let (fs, fe) = frame_bounds(k, layout, &call.frame, range_values.as_ref());
                    if fs >= fe {
                        return None;
                    }
                    match (&call.func, &nearest) {
                        (WindowFunc::FirstValue, Some(near)) => near.first_in(fs, fe),
                        (WindowFunc::LastValue, Some(near)) => near.last_in(fs, fe),
                        (WindowFunc::FirstValue, None) => Some(fs),
                        (WindowFunc::LastValue, None) => Some(fe - 1),
                        (WindowFunc::NthValue(i), _) => (fs..fe)
                            .filter(|&j| !call.ignore_nulls || values.is_valid(j))
                            .nth((i - 1).max(0) as usize),
                        _ => None,
                    }
                    .map(|j| j as u32)
                })
                .collect();
            take(values.as_ref(), &UInt32Array::from(picks), None)?
        }
        WindowFunc::Aggregate(agg) => {
            if agg.distinct {
                return Err(QueryError::Unsupported {
                    message: "DISTINCT aggregates over a window".into(),
                    span: None,
                });
            }
            let args = agg
                .args
                .iter()
                .map(|a| evaluate(a, batch, ctx))
                .collect::<Result<Vec<_>>>()?;
            let mut args: Vec<ArrayRef> = args
                .iter()
                .map(|a| take(a.as_ref(), order, None))
                .collect::<std::result::Result<_, _>>()?;
            let mask = match &agg.filter {
                Some(f) => {
                    let m = take(
                        &(Arc::new(evaluate_predicate(f, batch, ctx)?) as ArrayRef),
                        &order,
                        None,
                    )?;
                    let m = crate::exec::eval::as_bool(&m)?.clone();
                    Some(
                        (0..n)
                            .map(|k| m.is_valid(k) && m.value(k))
                            .collect::<Vec<bool>>(),
                    )
                }
                None => None,
            };
            let types: Vec<_> = args.iter().map(|a| a.data_type().clone()).collect();
            let mut acc = accumulators::create(agg, &types)?;
            let whole = matches!(call.frame.start, FrameBound::UnboundedPreceding)
                && matches!(call.frame.end, FrameBound::UnboundedFollowing);
            if whole {
                // One group per partition, then each row reads its partition's value.
                let mut part_ids = Vec::with_capacity(n);
                let mut p = 0u32;
                for (k, s) in part_start.iter().enumerate() {
                    if *s && k > 0 {
                        p += 1;
                    }
                    part_ids.push(p);
                }
                let parts = if n == 0 { 0 } else { p as usize + 1 };
                let (feed_args, feed_ids) = match &mask {
                    Some(m) => {
                        let keep: Vec<u32> = (0..n as u32).filter(|&k| m[k as usize]).collect();
                        let idx = UInt32Array::from(keep.clone());
                        let a: Vec<ArrayRef> = args
                            .iter()
                            .map(|a| take(a.as_ref(), &idx, None))
                            .collect::<std::result::Result<_, _>>()?;
                        (a, keep.iter().map(|&k| part_ids[k as usize]).collect())
                    }
                    None => (std::mem::take(&mut args), part_ids.clone()),
                };
                acc.update(&feed_args, &feed_ids, parts)?;
                let per_part = acc.finish(parts)?;
                take(per_part.as_ref(), &UInt32Array::from(part_ids), None)?
            } else {
                let mut members: Vec<u32> = Vec::new();
                let mut owners: Vec<u32> = Vec::new();
                let flush = |members: &mut Vec<u32>,
                             owners: &mut Vec<u32>,
                             acc: &mut Box<dyn accumulators::Accumulator>|
                 -> Result<()> {
                    if members.is_empty() {
                        return Ok(());
                    }
                    ctx.check_cancel()?;
                    let idx = UInt32Array::from(std::mem::take(members));
                    let a: Vec<ArrayRef> = args
                        .iter()
                        .map(|a| take(a.as_ref(), &idx, None))
                        .collect::<std::result::Result<_, _>>()?;
                    acc.update(&a, owners, n)?;
                    owners.clear();
                    Ok(())
                };
                for k in 0..n {
                    let (fs, fe) = frame_bounds(k, layout, &call.frame, range_values.as_ref());
                    for j in fs..fe {
                        if mask.as_ref().is_none_or(|m| m[j]) {
                            members.push(j as u32);
                            owners.push(k as u32);
                        }
                    }
                    if members.len() >= FRAME_BLOCK {
                        flush(&mut members, &mut owners, &mut acc)?;
                    }
                }
                flush(&mut members, &mut owners, &mut acc)?;
                acc.finish(n)?
            }
        }
    };
    // Back to input order.
    Ok(take(sorted_result.as_ref(), &sorted.inverse, None)?)
}

fn has_offsets(call: &WindowCall) -> bool {
    matches!(
        call.frame.start,
        FrameBound::Preceding(_) | FrameBound::Following(_)
    ) || matches!(
        call.frame.end,
        FrameBound::Preceding(_) | FrameBound::Following(_)
    )
}

fn int_result(values: impl Iterator<Item = i32>) -> ArrayRef {
    Arc::new(Int32Array::from_iter_values(values))
}

/// Spark's NTILE: the first `size % buckets` buckets get one extra row.
fn ntile(row: usize, size: usize, buckets: usize) -> usize {
    let base = size / buckets;
    let extra = size % buckets;
    let big = extra * (base + 1);
    if row < big {
        row / (base + 1) + 1
    } else {
        extra + (row - big) / base.max(1) + 1
    }
}

/// lag / lead: the value `offset` rows away within the partition (counting only non-NULL
/// values with IGNORE NULLS), else the default. `values` and `default` are in input order, and
/// so is the result: the walk is over sorted positions, the picks are of input rows, so neither
/// the values nor the result go through the sort's permutation.
fn offset_values(
    values: &ArrayRef,
    default: Option<&ArrayRef>,
    offset: i64,
    sorted: &SortedRows,
    ignore_nulls: bool,
) -> Result<ArrayRef> {
    // Sources of the picks: the partition's values, then the default's (NULL when none).
    const VALUES: usize = 0;
    const DEFAULTS: usize = 1;
    let (order, layout) = (sorted.order.values(), &sorted.layout);
    let n = values.len();
    // The input row each input row reads its value from, if any.
    let mut source: Vec<Option<u32>> = vec![None; n];
    for k in 0..n {
        let (ps, pe) = layout.partition(k);
        let target = if ignore_nulls {
            let mut remaining = offset.unsigned_abs();
            let mut j = k as i64;
            loop {
                j += offset.signum();
                if j < ps as i64 || j >= pe as i64 {
                    break None;
                }
                if values.is_valid(order[j as usize] as usize) {
                    remaining -= 1;
                    if remaining == 0 {
                        break Some(j as usize);
                    }
                }
            }
        } else {
            let j = k as i64 + offset;
            (j >= ps as i64 && j < pe as i64).then_some(j as usize)
        };
        source[order[k] as usize] = target.map(|j| order[j]);
    }
    let Some(default) = default else {
        // No default: one take with NULL indices (the common `lag(x, k)`), no two-source gather.
        let nulls = NullBuffer::from(BooleanBuffer::collect_bool(n, |r| source[r].is_some()));
        let indices: Vec<u32> = source.iter().map(|s| s.unwrap_or(0)).collect();
        let indices = UInt32Array::new(indices.into(), Some(nulls));
        return Ok(take(values.as_ref(), &indices, None)?);
    };
    let picks: Vec<Option<(usize, usize)>> = source
        .iter()
        .enumerate()
        .map(|(r, s)| match s {
            Some(j) => Some((VALUES, *j as usize)),
            None => Some((DEFAULTS, r)),
        })
        .collect();
    let sources: [&dyn Array; 2] = [values.as_ref(), default.as_ref()];
    gather(values.data_type(), &sources, &picks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_ntile_spreads_the_remainder_first() {
        let buckets: Vec<usize> = (0..10).map(|r| ntile(r, 10, 4)).collect();
        assert_eq!(buckets, vec![1, 1, 1, 2, 2, 2, 3, 3, 4, 4]);
        let few: Vec<usize> = (0..3).map(|r| ntile(r, 3, 5)).collect();
        assert_eq!(few, vec![1, 2, 3]);
    }
}
