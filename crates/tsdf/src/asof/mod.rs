//! `asofJoin`: for every left row, the latest right row of the same series at or before it.
//!
//! Implemented as a merge over sorted runs: the right side is sorted once per series; for every
//! right column with NULLs the position of its last non-NULL value is carried along the run
//! (Tempo's per-column `last(col, ignoreNulls=True)`); each left row then finds its match in
//! its series' run with a cursor that follows the left rows (`merge`). No union, no cross
//! join; left rows keep their input order.

mod merge;
mod plan;
mod range_join;
mod strategy;

use arrow::array::{ArrayRef, BooleanArray, UInt32Array};
use arrow::compute::{filter, take};

pub use plan::AsofJoinOptions;

use crate::error::Result;
use crate::frame::Tsdf;
use crate::values::batch_of;
use plan::{JoinPlan, plan};
use strategy::AsofStrategy;

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

    /// Builds the join output from the kept left rows (`None`: all, in order) and each right
    /// column's row indices (a NULL index gives NULL).
    fn assemble(
        &self,
        plan: &JoinPlan,
        keep: Option<&[u32]>,
        right_arrays: &[ArrayRef],
        idx: &[UInt32Array],
    ) -> Result<Tsdf> {
        let take_left = |c: &ArrayRef| -> Result<ArrayRef> {
            let Some(keep) = keep else {
                return Ok(c.clone());
            };
            if keep.windows(2).all(|w| w[0] < w[1]) && keep.len() * 2 >= self.num_rows() {
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
            cols.push((out.clone(), take(arr.as_ref(), ix, None)?));
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
