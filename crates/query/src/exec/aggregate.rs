//! Hash aggregation: group ids from the key columns ([`Grouper`]), then every accumulator is
//! fed the whole batch with those ids. GROUPING SETS run once per set; `grouping()` and
//! `grouping_id()` are constants of each set.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Int8Array, Int64Array, RecordBatch, UInt32Array, new_null_array,
};
use arrow::compute::{filter, take};
use arrow::datatypes::{DataType, SchemaRef};

use crate::error::{QueryError, Result};
use crate::exec::accumulators::{self, Accumulator};
use crate::exec::eval::{evaluate, evaluate_predicate};
use crate::exec::{ExecContext, make_batch};
use crate::kernels::keys::Grouper;
use crate::plan::aggregate::{AggFunc, AggregateCall};
use crate::plan::expr::{ExprKind, TypedExpr};
use crate::types::SparkType;

/// Run an Aggregate node.
pub(crate) fn aggregate(
    batches: &[RecordBatch],
    group: &[TypedExpr],
    aggs: &[AggregateCall],
    sets: Option<&[Vec<bool>]>,
    schema: &SchemaRef,
    ctx: &ExecContext,
) -> Result<Vec<RecordBatch>> {
    let accumulated: Vec<AggregateCall> = aggs
        .iter()
        .filter(|a| a.func != AggFunc::Grouping)
        .cloned()
        .collect();
    let Some(sets) = sets else {
        let (keys, values, rows) = run(batches, group, &accumulated, ctx)?;
        let mut columns = keys;
        columns.extend(with_grouping(aggs, values, &vec![true; group.len()], rows)?);
        return Ok(vec![make_batch(schema.clone(), columns, rows)?]);
    };
    let mut out = Vec::with_capacity(sets.len());
    for set in sets {
        let used: Vec<TypedExpr> = group
            .iter()
            .zip(set)
            .filter(|(_, u)| **u)
            .map(|(g, _)| g.clone())
            .collect();
        // A grouping set over no keys is a global aggregate: one row even without input.
        let (keys, values, rows) = run(batches, &used, &accumulated, ctx)?;
        let mut keys = keys.into_iter();
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
        for (g, u) in group.iter().zip(set) {
            columns.push(if *u {
                keys.next()
                    .expect("one key array per used group expression")
            } else {
                new_null_array(&g.data_type.to_arrow(), rows)
            });
        }
        columns.extend(with_grouping(aggs, values, set, rows)?);
        out.push(make_batch(schema.clone(), columns, rows)?);
    }
    Ok(out)
}

/// The aggregate columns in call order: the accumulated `values`, and for each `grouping()`
/// call its constant for grouping set `set`.
fn with_grouping(
    aggs: &[AggregateCall],
    values: Vec<ArrayRef>,
    set: &[bool],
    rows: usize,
) -> Result<Vec<ArrayRef>> {
    let mut values = values.into_iter();
    aggs.iter()
        .map(|a| {
            if a.func != AggFunc::Grouping {
                return values.next().ok_or_else(|| {
                    QueryError::Internal("an aggregate without its accumulated column".into())
                });
            }
            let bits = grouping_bits(a, set)?;
            Ok(match a.data_type {
                SparkType::Byte => Arc::new(Int8Array::from_value(bits as i8, rows)) as ArrayRef,
                _ => Arc::new(Int64Array::from_value(bits, rows)),
            })
        })
        .collect()
}

/// `grouping_id` of a grouping set: one bit per argument (a group key position), set when the
/// set leaves that key out; the first argument is the most significant bit.
pub(crate) fn grouping_bits(call: &AggregateCall, set: &[bool]) -> Result<i64> {
    call.args.iter().try_fold(0i64, |acc, arg| {
        let position = match &arg.kind {
            ExprKind::Literal(l) => l
                .value
                .as_any()
                .downcast_ref::<Int64Array>()
                .map(|v| v.value(0) as usize),
            _ => None,
        };
        let used = position.and_then(|p| set.get(p)).ok_or_else(|| {
            QueryError::Internal("grouping() argument is not a group key position".into())
        })?;
        Ok((acc << 1) | i64::from(!*used))
    })
}

/// Whether a count's arguments are constants that are never NULL (`count(*)` is `count(1)`),
/// so only rows need counting.
fn counts_rows(call: &AggregateCall) -> bool {
    call.func == AggFunc::Count
        && call
            .args
            .iter()
            .all(|a| matches!(&a.kind, ExprKind::Literal(l) if !l.is_null()))
}

/// Aggregate all batches by `group`; returns the key arrays, the aggregate arrays and the
/// number of groups.
fn run(
    batches: &[RecordBatch],
    group: &[TypedExpr],
    aggs: &[AggregateCall],
    ctx: &ExecContext,
) -> Result<(Vec<ArrayRef>, Vec<ArrayRef>, usize)> {
    let key_types: Vec<DataType> = group.iter().map(|g| g.data_type.to_arrow()).collect();
    let mut grouper = Grouper::new(&key_types)?;
    let mut accs: Vec<Box<dyn Accumulator>> = aggs
        .iter()
        .map(|a| {
            let types: Vec<DataType> = if counts_rows(a) {
                vec![]
            } else {
                a.args.iter().map(|x| x.data_type.to_arrow()).collect()
            };
            accumulators::create(a, &types)
        })
        .collect::<Result<_>>()?;
    let mut distinct: Vec<Option<Grouper>> = aggs
        .iter()
        .map(|a| {
            if !a.distinct {
                return Ok(None);
            }
            let mut types = vec![DataType::UInt32];
            types.extend(a.args.iter().map(|x| x.data_type.to_arrow()));
            Grouper::new(&types).map(Some)
        })
        .collect::<Result<_>>()?;
    let mut ids: Vec<u32> = Vec::new();
    for batch in batches {
        ctx.check_cancel()?;
        let n = batch.num_rows();
        let keys = group
            .iter()
            .map(|g| evaluate(g, batch, ctx))
            .collect::<Result<Vec<_>>>()?;
        grouper.assign(&keys, n, &mut ids)?;
        let groups_now = grouper.num_groups();
        for ((call, acc), dedupe) in aggs.iter().zip(accs.iter_mut()).zip(distinct.iter_mut()) {
            let mut args: Vec<ArrayRef> = if counts_rows(call) {
                vec![]
            } else {
                call.args
                    .iter()
                    .map(|a| evaluate(a, batch, ctx))
                    .collect::<Result<_>>()?
            };
            let mut gids: std::borrow::Cow<[u32]> = std::borrow::Cow::Borrowed(&ids);
            if let Some(f) = &call.filter {
                let mask = evaluate_predicate(f, batch, ctx)?;
                let mask = match mask.nulls() {
                    Some(nulls) => {
                        arrow::array::BooleanArray::new(mask.values() & nulls.inner(), None)
                    }
                    None => mask,
                };
                args = args
                    .iter()
                    .map(|a| filter(a, &mask))
                    .collect::<std::result::Result<_, _>>()?;
                gids = std::borrow::Cow::Owned(
                    ids.iter()
                        .zip(mask.values().iter())
                        .filter(|(_, m)| *m)
                        .map(|(g, _)| *g)
                        .collect(),
                );
            }
            if let Some(seen) = dedupe {
                let before = seen.num_groups();
                let mut cols: Vec<ArrayRef> = vec![Arc::new(UInt32Array::from(gids.to_vec()))];
                cols.extend(args.iter().cloned());
                let mut tuple_ids = Vec::new();
                seen.assign(&cols, gids.len(), &mut tuple_ids)?;
                // Keep the first row of each tuple not seen before.
                let mut next = before as u32;
                let fresh: Vec<u32> = tuple_ids
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| {
                        if **t == next {
                            next += 1;
                            true
                        } else {
                            false
                        }
                    })
                    .map(|(i, _)| i as u32)
                    .collect();
                let idx = UInt32Array::from(fresh.clone());
                args = args
                    .iter()
                    .map(|a| take(a.as_ref(), &idx, None))
                    .collect::<std::result::Result<_, _>>()?;
                gids = std::borrow::Cow::Owned(fresh.iter().map(|&i| gids[i as usize]).collect());
            }
            acc.update(&args, &gids, groups_now)?;
        }
    }
    let mut rows = grouper.num_groups();
    if group.is_empty() {
        rows = 1;
    }
    let keys = if group.is_empty() {
        vec![]
    } else {
        grouper.keys()?
    };
    let values = accs
        .iter_mut()
        .map(|a| a.finish(rows))
        .collect::<Result<Vec<_>>>()?;
    Ok((keys, values, rows))
}
