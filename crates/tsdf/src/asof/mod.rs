//! `asofJoin`: for every left row, the latest right row of the same series at or before it.
//!
//! Implemented as a merge over sorted runs: the right side is sorted once per series; for every
//! right column the position of its last non-NULL value is carried along the run (Tempo's
//! per-column `last(col, ignoreNulls=True)`); each left row then binary-searches its series' run.
//! No union, no cross join; left rows keep their input order.

mod plan;
mod range_join;
mod strategy;

use arrow::array::{Array, ArrayRef, BooleanArray};
use arrow::compute::filter;

pub use plan::AsofJoinOptions;

use crate::error::Result;
use crate::frame::Tsdf;
use crate::series::{SeriesOrder, TsKeys};
use crate::values::{batch_of, take_opt};
use plan::{JoinPlan, joint_pids, plan, right_order};
use strategy::{AsofStrategy, MergeOptions};

/// Position value meaning "no row".
const NONE: u32 = u32::MAX;

/// For every sorted right position, the position of the last non-NULL value of `col` at or
/// before it within its run (`NONE` if there is none).
fn last_non_null(col: &ArrayRef, sorted: &SeriesOrder) -> Vec<u32> {
    let mut out = vec![NONE; sorted.order.len()];
    let nulls = col.logical_nulls();
    for run in &sorted.runs {
        let mut last = NONE;
        for pos in run.clone() {
            if nulls
                .as_ref()
                .is_none_or(|n| n.is_valid(sorted.order[pos] as usize))
            {
                last = pos as u32;
            }
            out[pos] = last;
        }
    }
    out
}

/// Spark's `cast(double as int)` (truncation, saturating).
fn trunc_int(x: f64) -> f64 {
    (x as i32) as f64
}

impl Tsdf {
    /// Tempo's `asofJoin`: joins to every left row the latest right row of the same series whose
    /// ts is at or before the left ts (see [`AsofJoinOptions`] for every parameter).
    ///
    /// Output: one row per left row with a non-NULL ts, in input order; columns = left partition
    /// columns, left columns (prefixed if `left_prefix`), right columns prefixed with
    /// `right_prefix`. Series are matched on the **left** partition columns; extra right
    /// partition columns are ordinary (prefixed) right columns. The result has no sequence column.
    ///
    /// # Examples
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow::array::*;
    /// # use arrow::datatypes::*;
    /// use tsdf::{AsofJoinOptions, Tsdf, timestamp_type};
    /// let frame = |ts: Vec<i64>, name: &str, v: Vec<f64>| {
    ///     let schema = Arc::new(Schema::new(vec![
    ///         Field::new("id", DataType::Utf8, false),
    ///         Field::new("ts", timestamp_type(), true),
    ///         Field::new(name, DataType::Float64, true),
    ///     ]));
    ///     let n = ts.len();
    ///     RecordBatch::try_new(schema, vec![
    ///         Arc::new(StringArray::from(vec!["a"; n])),
    ///         Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC")),
    ///         Arc::new(Float64Array::from(v)),
    ///     ]).unwrap()
    /// };
    /// let left = Tsdf::new(frame(vec![5, 15], "x", vec![1.0, 2.0]), "ts", &["id"], None).unwrap();
    /// let right = Tsdf::new(frame(vec![0, 10, 20], "v", vec![7.0, 8.0, 9.0]), "ts", &["id"], None).unwrap();
    /// let joined = left.asof_join(&right, &AsofJoinOptions::default()).unwrap();
    /// let v = joined.df().column_by_name("right_v").unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
    /// assert_eq!(v.values().to_vec(), vec![7.0, 8.0]);
    /// ```
    pub fn asof_join(&self, right: &Tsdf, opts: &AsofJoinOptions) -> Result<Tsdf> {
        let plan = plan(self, right, opts)?;
        match AsofStrategy::of(opts)? {
            AsofStrategy::RangeJoin => self.range_join(right, &plan),
            AsofStrategy::Merge(merge) => self.merge_join(right, &plan, &merge),
        }
    }

    /// The default and skew strategies: a merge over each series' sorted right run.
    fn merge_join(&self, right: &Tsdf, plan: &JoinPlan, opts: &MergeOptions) -> Result<Tsdf> {
        let (pids, nl) = joint_pids(self, right)?;
        let n_groups = pids.n_groups;
        let left_pids = &pids.ids[..nl];
        let left_ts = TsKeys::new(self.column(self.ts_col())?)?;
        let right_ts_col = right.column(right.ts_col())?;
        let right_ts = TsKeys::new(right_ts_col)?;
        let sorted = right_order(right, pids.ids[nl..].to_vec(), n_groups, &right_ts, true)?;

        let right_arrays: Vec<ArrayRef> = plan
            .right_cols
            .iter()
            .map(|(_, src)| right.column(src).cloned())
            .collect::<Result<_>>()?;
        let ts_pos_in_right = plan
            .right_cols
            .iter()
            .position(|(o, _)| *o == plan.right_ts_out);
        let last_nn: Vec<Vec<u32>> = if opts.skip_nulls {
            right_arrays
                .iter()
                .map(|c| last_non_null(c, &sorted))
                .collect()
        } else {
            Vec::new()
        };
        let last_nn_ts = last_non_null(right_ts_col, &sorted);
        let sorted_keys: Vec<(bool, i64)> = sorted
            .order
            .iter()
            .map(|&r| (right_ts.is_valid(r as usize), right_ts.key[r as usize]))
            .collect();
        let skew = opts.skew.map(|(v, fraction)| (v, 1.0 - fraction));

        let mut keep = Vec::with_capacity(nl);
        let mut idx: Vec<Vec<Option<u32>>> = vec![Vec::with_capacity(nl); right_arrays.len()];
        for (i, &pid) in left_pids.iter().enumerate() {
            if !left_ts.is_valid(i) {
                continue;
            }
            keep.push(i as u32);
            let run = sorted.runs[pid as usize].clone();
            let lkey = left_ts.key[i];
            let hi = run.start
                + sorted_keys[run.clone()].partition_point(|&(valid, k)| !valid || k <= lkey);
            let lo = match skew {
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
            let last = if hi > lo { Some(hi - 1) } else { None };
            let pick = |pos: u32| {
                (pos != NONE && (pos as usize) >= lo).then(|| sorted.order[pos as usize])
            };
            let ts_row = match last {
                None => None,
                Some(l) if opts.skip_nulls => pick(last_nn_ts[l]),
                Some(l) => Some(sorted.order[l]),
            };
            let too_old = match (opts.tolerance, ts_row) {
                (Some(tol), Some(r)) if right_ts.is_valid(r as usize) => {
                    left_ts.secs(i) - right_ts.secs(r as usize) > tol
                }
                _ => false,
            };
            for (c, out) in idx.iter_mut().enumerate() {
                let row = match last {
                    _ if too_old => None,
                    None => None,
                    Some(_) if Some(c) == ts_pos_in_right && opts.skip_nulls => ts_row,
                    Some(l) if opts.skip_nulls => pick(last_nn[c][l]),
                    Some(l) => Some(sorted.order[l]),
                };
                out.push(row);
            }
        }
        self.assemble(plan, &keep, &right_arrays, &idx)
    }

    /// Builds the join output from kept left rows and per-right-column row picks.
    fn assemble(
        &self,
        plan: &JoinPlan,
        keep: &[u32],
        right_arrays: &[ArrayRef],
        idx: &[Vec<Option<u32>>],
    ) -> Result<Tsdf> {
        let all_kept =
            keep.len() == self.num_rows() && keep.iter().enumerate().all(|(i, &k)| i as u32 == k);
        let take_left = |c: &ArrayRef| -> Result<ArrayRef> {
            if all_kept {
                Ok(c.clone())
            } else if keep.windows(2).all(|w| w[0] < w[1]) && keep.len() * 2 >= self.num_rows() {
                let mut mask = vec![false; self.num_rows()];
                keep.iter().for_each(|&k| mask[k as usize] = true);
                Ok(filter(c.as_ref(), &BooleanArray::from(mask))?)
            } else {
                crate::values::take_idx(c, keep)
            }
        };
        let mut cols = Vec::new();
        for p in &plan.part_cols {
            cols.push((p.clone(), take_left(self.column(p)?)?));
        }
        for (out, src) in &plan.left_cols {
            cols.push((out.clone(), take_left(self.column(src)?)?));
        }
        for ((out, _), (arr, ix)) in plan.right_cols.iter().zip(right_arrays.iter().zip(idx)) {
            cols.push((out.clone(), take_opt(arr, ix)?));
        }
        let batch = batch_of(cols)?;
        Ok(Tsdf::from_parts(
            batch,
            plan.left_ts_out.clone(),
            plan.part_cols.clone(),
            None,
        ))
    }
}
