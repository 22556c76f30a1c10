//! The rows of a batch sorted by one window spec (PARTITION BY, then ORDER BY), computed once
//! and shared by every call over that spec.
//!
//! Only the grouping of partitions matters to a window, not their order, so the partition keys
//! become dense group ids by hashing (one pass, whatever their types) and the sort compares a
//! `u32` instead of up to four key columns, two of them strings in the course's series. The
//! ORDER BY keys are encoded once in arrow's row format; when every encoded key has the same
//! length of at most 16 bytes (timestamps, numbers, any mix of a few) it is packed into a
//! `u128` whose order is the row format's, so the sort compares integers only.

use arrow::array::{ArrayRef, RecordBatch, UInt32Array};
use arrow::compute::SortOptions;
use arrow::row::{RowConverter, Rows, SortField};

use super::frames::Layout;
use crate::error::Result;
use crate::exec::ExecContext;
use crate::exec::eval::evaluate;
use crate::exec::sort::options;
use crate::kernels::keys::{Grouper, normalize_key_column};
use crate::plan::SortKey;
use crate::plan::expr::TypedExpr;
use crate::plan::window::WindowCall;

/// The longest encoded ORDER BY key packed into an integer (a `u128`).
const PACKED_KEY_BYTES: usize = 16;

/// The rows of a batch sorted by one window spec, with its partition and peer boundaries.
pub(super) struct SortedRows {
    partition_by: Vec<TypedExpr>,
    order_by: Vec<SortKey>,
    /// Input row of each sorted position.
    pub(super) order: UInt32Array,
    /// Sorted position of each input row.
    pub(super) inverse: UInt32Array,
    pub(super) part_start: Vec<bool>,
    pub(super) layout: Layout,
    /// The ORDER BY values in input order.
    pub(super) okeys: Vec<ArrayRef>,
}

impl SortedRows {
    pub(super) fn new(
        batch: &RecordBatch,
        call: &WindowCall,
        ctx: &ExecContext,
    ) -> Result<SortedRows> {
        let n = batch.num_rows();
        let pkeys = call
            .partition_by
            .iter()
            .map(|e| evaluate(e, batch, ctx))
            .collect::<Result<Vec<_>>>()?;
        let okeys = call
            .order_by
            .iter()
            .map(|k| evaluate(&k.expr, batch, ctx))
            .collect::<Result<Vec<_>>>()?;
        let partitions = partition_ids(&pkeys, n)?;
        ctx.check_cancel()?;
        let options: Vec<SortOptions> = call.order_by.iter().map(options).collect();
        let (order, peer_change) = sort_rows(&partitions, &okeys, &options)?;
        let part_start: Vec<bool> = (0..order.len())
            .map(|k| k == 0 || partitions[order[k] as usize] != partitions[order[k - 1] as usize])
            .collect();
        let peer_start: Vec<bool> = part_start
            .iter()
            .zip(&peer_change)
            .map(|(p, c)| *p || *c)
            .collect();
        let layout = Layout::new(&part_start, &peer_start);
        let mut inverse = vec![0u32; n];
        for (k, &row) in order.iter().enumerate() {
            inverse[row as usize] = k as u32;
        }
        Ok(SortedRows {
            partition_by: call.partition_by.clone(),
            order_by: call.order_by.clone(),
            order: UInt32Array::from(order),
            inverse: UInt32Array::from(inverse),
            part_start,
            layout,
            okeys,
        })
    }

    pub(super) fn serves(&self, call: &WindowCall) -> bool {
        self.partition_by == call.partition_by && self.order_by == call.order_by
    }
}

/// The partition of every row as a dense id (all 0 without PARTITION BY). Rows whose keys are
/// equal as Spark groups them (NULLs together, `-0.0` with `0.0`) share an id.
fn partition_ids(pkeys: &[ArrayRef], n: usize) -> Result<Vec<u32>> {
    let types: Vec<_> = pkeys.iter().map(|k| k.data_type().clone()).collect();
    let mut ids = Vec::with_capacity(n);
    Grouper::new(&types)?.assign(pkeys, n, &mut ids)?;
    Ok(ids)
}

/// The rows in (partition, ORDER BY keys, input position) order, and for each sorted position
/// whether its ORDER BY keys differ from the previous row's. Ties keep input order, so the
/// result does not depend on the sort algorithm.
///
/// A stable counting sort by partition id comes first (ids are dense), then each partition's
/// rows are sorted by their keys only when they are not already in order: sensor readings
/// usually arrive in time order per device, so most partitions cost one check.
fn sort_rows(
    partitions: &[u32],
    okeys: &[ArrayRef],
    options: &[SortOptions],
) -> Result<(Vec<u32>, Vec<bool>)> {
    let n = partitions.len();
    let mut order = by_partition(partitions);
    if okeys.is_empty() {
        return Ok((order, vec![false; n]));
    }
    let rows = encode(okeys, options)?;
    let width = fixed_width(&rows);
    if let Some(width) = width.filter(|w| *w <= PACKED_KEY_BYTES) {
        let packed: Vec<u128> = (0..n).map(|r| pack(rows.row(r).as_ref(), width)).collect();
        for run in runs(&mut order, partitions) {
            if !run.is_sorted_by_key(|&r| packed[r as usize]) {
                let mut keyed: Vec<(u128, u32)> =
                    run.iter().map(|&r| (packed[r as usize], r)).collect();
                keyed.sort_unstable();
                for (slot, (_, r)) in run.iter_mut().zip(keyed) {
                    *slot = r;
                }
            }
        }
        let changed = (0..n)
            .map(|k| k > 0 && packed[order[k] as usize] != packed[order[k - 1] as usize])
            .collect();
        return Ok((order, changed));
    }
    for run in runs(&mut order, partitions) {
        if !run.is_sorted_by(|&a, &b| rows.row(a as usize) <= rows.row(b as usize)) {
            run.sort_unstable_by(|&a, &b| {
                rows.row(a as usize)
                    .cmp(&rows.row(b as usize))
                    .then(a.cmp(&b))
            });
        }
    }
    let changed = (0..n)
        .map(|k| k > 0 && rows.row(order[k] as usize) != rows.row(order[k - 1] as usize))
        .collect();
    Ok((order, changed))
}

/// The rows grouped by partition id (ids are dense, `0..groups`), input order kept within
/// each partition: a counting sort.
fn by_partition(partitions: &[u32]) -> Vec<u32> {
    let groups = partitions.iter().max().map_or(0, |&m| m as usize + 1);
    let mut starts = vec![0u32; groups + 1];
    for &p in partitions {
        starts[p as usize + 1] += 1;
    }
    for g in 0..groups {
        starts[g + 1] += starts[g];
    }
    let mut order = vec![0u32; partitions.len()];
    for (row, &p) in partitions.iter().enumerate() {
        let slot = &mut starts[p as usize];
        order[*slot as usize] = row as u32;
        *slot += 1;
    }
    order
}

/// The runs of `order` (grouped by partition) that share a partition.
fn runs<'a>(order: &'a mut [u32], partitions: &[u32]) -> impl Iterator<Item = &'a mut [u32]> {
    order.chunk_by_mut(|&a, &b| partitions[a as usize] == partitions[b as usize])
}

/// The ORDER BY keys in arrow's row format (byte order = Spark's order), floats normalised so
/// NaNs tie and `-0.0` ties with `0.0`.
fn encode(okeys: &[ArrayRef], options: &[SortOptions]) -> Result<Rows> {
    let columns: Vec<ArrayRef> = okeys
        .iter()
        .map(normalize_key_column)
        .collect::<Result<_>>()?;
    let fields = columns
        .iter()
        .zip(options)
        .map(|(c, o)| SortField::new_with_options(c.data_type().clone(), *o))
        .collect();
    Ok(RowConverter::new(fields)?.convert_columns(&columns)?)
}

/// The common length of every encoded row, if they all have one.
fn fixed_width(rows: &Rows) -> Option<usize> {
    let first = rows.iter().next()?.as_ref().len();
    rows.iter()
        .all(|r| r.as_ref().len() == first)
        .then_some(first)
}

/// Bytes of at most 16 as a big-endian integer, so integer order is byte order.
fn pack(bytes: &[u8], width: usize) -> u128 {
    let mut buf = [0u8; PACKED_KEY_BYTES];
    buf[..width].copy_from_slice(bytes);
    u128::from_be_bytes(buf)
}
