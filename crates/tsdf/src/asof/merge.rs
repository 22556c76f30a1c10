//! The default (and skew) strategy of `asofJoin`: a merge of each left row into its series'
//! sorted right run.
//!
//! Left rows come in input order, which for sensor data is time order within each series (the
//! series interleaved): each series keeps a cursor into its right run that moves forward as
//! its left rows do, so matching is O(left + right). A left row earlier than its series'
//! previous one (unsorted input) binary-searches the run instead. Every right column whose
//! pick is the matched row itself (no NULLs to skip) shares one index array, gathered once per
//! column with `take`.

use arrow::array::{Array, ArrayRef, UInt32Array};
use arrow::buffer::{BooleanBuffer, NullBuffer, ScalarBuffer};

use super::plan::{JoinPlan, joint_pids, right_order};
use super::strategy::MergeOptions;
use super::trunc_int;
use crate::error::Result;
use crate::frame::Tsdf;
use crate::series::{SeriesOrder, TsKeys};

/// Position value meaning "no row".
pub(super) const NONE: u32 = u32::MAX;

/// For every sorted right position, the position of the last non-NULL value of `col` at or
/// before it within its run (`NONE` if there is none); `None` when `col` has no NULLs (every
/// position is its own).
fn last_non_null(col: &ArrayRef, sorted: &SeriesOrder) -> Option<Vec<u32>> {
    let nulls = col.logical_nulls().filter(|n| n.null_count() > 0)?;
    let mut out = vec![NONE; sorted.order.len()];
    for run in &sorted.runs {
        let mut last = NONE;
        for pos in run.clone() {
            if nulls.is_valid(sorted.order[pos] as usize) {
                last = pos as u32;
            }
            out[pos] = last;
        }
    }
    Some(out)
}

/// Row indices for `take`: `NONE` becomes a NULL index (its slot 0).
pub(super) fn indices(mut rows: Vec<u32>) -> UInt32Array {
    let valid = NullBuffer::new(BooleanBuffer::collect_bool(rows.len(), |k| rows[k] != NONE));
    let nulls = (valid.null_count() > 0).then(|| {
        rows.iter_mut().filter(|r| **r == NONE).for_each(|r| *r = 0);
        valid
    });
    UInt32Array::new(ScalarBuffer::from(rows), nulls)
}

/// Right rows a cursor steps over one by one before it searches.
const LINEAR_STEPS: usize = 8;

/// Per series: the first right position after the last match and the left key it was found
/// for.
struct Cursor {
    hi: usize,
    key: i64,
}

impl Tsdf {
    /// The merge join (see the module doc).
    pub(super) fn merge_join(
        &self,
        right: &Tsdf,
        plan: &JoinPlan,
        opts: &MergeOptions,
    ) -> Result<Tsdf> {
        let (pids, nl) = joint_pids(self, right)?;
        let left_ts = TsKeys::new(self.column(self.ts_col())?)?;
        let right_ts_col = right.column(right.ts_col())?;
        let right_ts = TsKeys::new(right_ts_col)?;
        let sorted = right_order(
            right,
            pids.ids[nl..].to_vec(),
            pids.n_groups,
            &right_ts,
            true,
        )?;
        // NULL right timestamps sort first and precede every left row: key i64::MIN.
        let sorted_keys: Vec<i64> = sorted
            .order
            .iter()
            .map(|&r| {
                let r = r as usize;
                if right_ts.is_valid(r) {
                    right_ts.key[r]
                } else {
                    i64::MIN
                }
            })
            .collect();
        let right_arrays: Vec<ArrayRef> = plan
            .right_cols
            .iter()
            .map(|(_, src)| right.column(src).cloned())
            .collect::<Result<_>>()?;
        let last_nn: Vec<Option<Vec<u32>>> = if opts.skip_nulls {
            right_arrays
                .iter()
                .map(|c| last_non_null(c, &sorted))
                .collect()
        } else {
            vec![None; right_arrays.len()]
        };
        let last_nn_ts = last_non_null(right_ts_col, &sorted).filter(|_| opts.skip_nulls);
        let skew = opts.skew.map(|(v, fraction)| (v, 1.0 - fraction));
        // The first visible position of a left row's run: its start, or in skew mode the
        // first right row of the left row's bucket or the visible end of the previous one.
        let visible_from = |i: usize, run: &std::ops::Range<usize>| match skew {
            None => run.start,
            Some((v, min_rem)) => {
                let b = v * trunc_int(left_ts.secs(i) / v);
                let prev = b - v;
                run.start
                    + sorted.order[run.clone()].partition_point(|&r| {
                        let r = r as usize;
                        if !right_ts.is_valid(r) {
                            return true;
                        }
                        let s = right_ts.secs(r);
                        let rb = v * trunc_int(s / v);
                        !(rb > prev || (rb == prev && (s - rb) / v >= min_rem))
                    })
            }
        };

        let all_kept = left_ts.nulls.as_ref().is_none_or(|n| n.null_count() == 0);
        let mut keep = Vec::new();
        // Per kept left row: its match's position (`NONE`: none, or older than the tolerance)
        // and, in skew mode, the first visible position.
        let mut last = Vec::with_capacity(nl);
        let mut lows = Vec::new();
        let mut cursors: Vec<Cursor> = sorted
            .runs
            .iter()
            .map(|r| Cursor {
                hi: r.start,
                key: i64::MIN,
            })
            .collect();
        for (i, &pid) in pids.ids[..nl].iter().enumerate() {
            if !all_kept {
                if !left_ts.is_valid(i) {
                    continue;
                }
                keep.push(i as u32);
            }
            let run = &sorted.runs[pid as usize];
            let lkey = left_ts.key[i];
            let cursor = &mut cursors[pid as usize];
            // Forward a few steps (the usual move is 0 or 1), then search the rest, so that
            // left keys jumping back and forth cannot make the walk quadratic.
            let from = if lkey >= cursor.key {
                cursor.hi
            } else {
                run.start
            };
            let mut hi = from;
            while hi < run.end && hi - from < LINEAR_STEPS && sorted_keys[hi] <= lkey {
                hi += 1;
            }
            if hi - from == LINEAR_STEPS {
                hi += sorted_keys[hi..run.end].partition_point(|&k| k <= lkey);
            }
            (cursor.hi, cursor.key) = (hi, lkey);
            let lo = visible_from(i, run);
            if skew.is_some() {
                lows.push(lo as u32);
            }
            let mut pos = if hi > lo { (hi - 1) as u32 } else { NONE };
            if let (Some(tol), true) = (opts.tolerance, pos != NONE) {
                let ts_pos = last_nn_ts.as_ref().map_or(pos, |l| l[pos as usize]);
                if ts_pos != NONE && ts_pos as usize >= lo {
                    let r = sorted.order[ts_pos as usize] as usize;
                    if right_ts.is_valid(r) && left_ts.secs(i) - right_ts.secs(r) > tol {
                        pos = NONE;
                    }
                }
            }
            last.push(pos);
        }

        // The rows each right column takes: the matched row itself, or its column's latest
        // non-NULL value at or before it (within the visible part of the run).
        let column_rows = |last_nn: Option<&Vec<u32>>| -> Vec<u32> {
            let order = &sorted.order;
            match last_nn {
                None => last
                    .iter()
                    .map(|&p| if p == NONE { NONE } else { order[p as usize] })
                    .collect(),
                Some(nn) => last
                    .iter()
                    .enumerate()
                    .map(|(k, &p)| {
                        let q = if p == NONE { NONE } else { nn[p as usize] };
                        let hidden = skew.is_some() && q != NONE && q < lows[k];
                        if q == NONE || hidden {
                            NONE
                        } else {
                            order[q as usize]
                        }
                    })
                    .collect(),
            }
        };
        let mut shared: Option<UInt32Array> = None;
        let idx: Vec<UInt32Array> = last_nn
            .iter()
            .map(|nn| match nn {
                Some(nn) => indices(column_rows(Some(nn))),
                None => shared
                    .get_or_insert_with(|| indices(column_rows(None)))
                    .clone(),
            })
            .collect();
        let keep = (!all_kept).then_some(keep.as_slice());
        self.assemble(plan, keep, &right_arrays, &idx)
    }
}
