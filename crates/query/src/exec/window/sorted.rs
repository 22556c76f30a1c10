//! The rows of a batch sorted by one window spec (PARTITION BY, then ORDER BY), computed once
//! and shared by every call over that spec.

use arrow::array::{ArrayRef, RecordBatch, UInt32Array};
use arrow::compute::{SortOptions, take};
use arrow::row::{RowConverter, SortField};

use super::frames::Layout;
use crate::error::Result;
use crate::exec::ExecContext;
use crate::exec::eval::evaluate;
use crate::exec::sort::{options, sort_indices};
use crate::kernels::keys::normalize_key_column;
use crate::plan::SortKey;
use crate::plan::expr::TypedExpr;
use crate::plan::window::WindowCall;

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
        let mut sort_cols = pkeys.clone();
        sort_cols.extend(okeys.iter().cloned());
        let mut opts = vec![
            SortOptions {
                descending: false,
                nulls_first: true
            };
            pkeys.len()
        ];
        opts.extend(call.order_by.iter().map(options));
        let order = if sort_cols.is_empty() {
            UInt32Array::from_iter_values(0..n as u32)
        } else {
            sort_indices(&sort_cols, &opts)?
        };
        let part_start = changes(&pkeys, &order)?;
        let mut peer_start = changes(&okeys, &order)?;
        for (p, s) in peer_start.iter_mut().zip(&part_start) {
            *p |= *s;
        }
        let layout = Layout::new(&part_start, &peer_start);
        let mut inverse = vec![0u32; n];
        for (k, &row) in order.values().iter().enumerate() {
            inverse[row as usize] = k as u32;
        }
        Ok(SortedRows {
            partition_by: call.partition_by.clone(),
            order_by: call.order_by.clone(),
            order,
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

/// Equal-neighbour boundaries of sorted rows: `starts[k]` is true where row `k` differs
/// from row `k - 1` in `columns` (always true at 0).
fn changes(columns: &[ArrayRef], order: &UInt32Array) -> Result<Vec<bool>> {
    let n = order.len();
    if columns.is_empty() {
        let mut v = vec![false; n];
        if n > 0 {
            v[0] = true;
        }
        return Ok(v);
    }
    let sorted: Vec<ArrayRef> = columns
        .iter()
        .map(|c| take(c.as_ref(), order, None))
        .collect::<std::result::Result<_, _>>()?;
    let sorted: Vec<ArrayRef> = sorted
        .iter()
        .map(normalize_key_column)
        .collect::<Result<_>>()?;
    let converter = RowConverter::new(
        sorted
            .iter()
            .map(|c| SortField::new(c.data_type().clone()))
            .collect(),
    )?;
    let rows = converter.convert_columns(&sorted)?;
    Ok((0..n)
        .map(|k| k == 0 || rows.row(k) != rows.row(k - 1))
        .collect())
}
