//! The output columns of one `withRangeStats` metric: plain vectors written by index by the
//! window pass and handed to Arrow as its buffers without copying. `min_`/`max_` are written
//! in the column's own type.

use std::ops::Range;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Float32Array, Float64Array, Int32Array, Int64Array, UInt32Array,
};
use arrow::buffer::{NullBuffer, ScalarBuffer};
use arrow::compute::take;
use arrow::datatypes::{DataType, Int64Type};

use super::columns::{validity, zscore_array};
use super::metric::Values;
use super::two_stacks::Summary;
use crate::error::{Result, TsdfError};

/// `min_`/`max_` per row in the metric's own type; other types keep the rows holding the
/// extremes and gather them at the end.
#[derive(Debug)]
enum Extremes {
    F64(Vec<f64>, Vec<f64>),
    F32(Vec<f32>, Vec<f32>),
    I32(Vec<i32>, Vec<i32>),
    I64(Vec<i64>, Vec<i64>),
    Rows(Vec<u32>, Vec<u32>),
}

/// One metric's stats and `(x - mean) / stddev` per input row, plus what the pass learnt
/// about their validity (so that all-valid columns need no bitmap scan).
#[derive(Debug)]
pub(crate) struct WindowStats {
    mean: Vec<f64>,
    /// `None` for a metric without NULLs, which counts the rows of each window (one column
    /// shared by all such metrics).
    count: Option<Vec<i64>>,
    /// Sums of floating-point metrics (empty for integer ones).
    sum: Vec<f64>,
    /// Exact sums of integer metrics (empty for floating-point ones).
    isum: Vec<i64>,
    extremes: Extremes,
    stddev: Vec<f64>,
    zscore: Vec<f64>,
    /// The smallest window count seen.
    min_count: i64,
    /// Whether some window of two or more values had a stddev of 0.
    zero_stddev: bool,
}

/// The mean, stddev and z-score of a window of `n` values with sum `sum` and sum of squared
/// deviations `m2`, `x` the row's own value. NaN (from a NaN or an infinity in the window)
/// stays NaN, as in Spark; the values under `n` = 0 and the stddev and z-score under 2 are
/// NULL in the output.
#[inline(always)]
fn moments(n: i64, sum: f64, m2: f64, x: f64) -> (f64, f64, f64) {
    let nf = n as f64;
    let mean = if n == 0 { 0.0 } else { sum / nf };
    let var = m2 / (nf - 1.0);
    let sd = if n < 2 || var < 0.0 { 0.0 } else { var.sqrt() };
    (mean, sd, (x - mean) / sd)
}

impl WindowStats {
    /// Zeroed outputs for `n` rows of a metric of type `dt` (integer sums when `integer`),
    /// with a count column of its own when `own_count`. Zeroed vectors come from `calloc`:
    /// fresh pages need no clearing and each row is written once, in whatever order.
    pub(crate) fn new(n: usize, dt: &DataType, integer: bool, own_count: bool) -> Self {
        fn column<T: Copy + Default>(n: usize, keep: bool) -> Vec<T> {
            if keep {
                vec![T::default(); n]
            } else {
                Vec::new()
            }
        }
        macro_rules! pair {
            ($variant:ident) => {
                Extremes::$variant(column(n, true), column(n, true))
            };
        }
        let extremes = match dt {
            DataType::Float64 => pair!(F64),
            DataType::Float32 => pair!(F32),
            DataType::Int32 => pair!(I32),
            DataType::Int64 => pair!(I64),
            _ => pair!(Rows),
        };
        WindowStats {
            mean: column(n, true),
            count: own_count.then(|| column(n, true)),
            sum: column(n, !integer),
            isum: column(n, integer),
            extremes,
            stddev: column(n, true),
            zscore: column(n, true),
            min_count: i64::MAX,
            zero_stddev: false,
        }
    }

    /// Stores the window summary `w` of input row `row` of `vals`: everything but the mean,
    /// stddev and z-score, whose divisions and square root wait for [`Self::finish`]. The
    /// mean and stddev slots hold the sum and M2 until then.
    #[inline]
    pub(super) fn put_row<V: Values + ?Sized>(&mut self, row: usize, w: &Summary, vals: &V) {
        let count = i64::from(w.n);
        self.min_count = self.min_count.min(count);
        self.mean[row] = w.sum;
        self.stddev[row] = w.m2;
        if let Some(counts) = &mut self.count {
            counts[row] = count;
        }
        if V::INTEGER {
            self.isum[row] = w.isum;
        } else {
            self.sum[row] = w.sum;
        }
        let (min, max) = (&w.min, &w.max);
        match &mut self.extremes {
            Extremes::F64(lo, hi) => (lo[row], hi[row]) = (min.x, max.x),
            // The doubles came from these types exactly, so they convert back exactly.
            Extremes::F32(lo, hi) => (lo[row], hi[row]) = (min.x as f32, max.x as f32),
            Extremes::I32(lo, hi) => (lo[row], hi[row]) = (min.x as i32, max.x as i32),
            Extremes::I64(lo, hi) => {
                (lo[row], hi[row]) = (vals.xi(min.row as usize), vals.xi(max.row as usize));
            }
            Extremes::Rows(lo, hi) => (lo[row], hi[row]) = (min.row, max.row),
        }
    }

    /// Turns the sums and M2s of `rows` (all stored) into means, stddevs and z-scores, with
    /// `shared_counts` (every row's) when the metric has no count of its own: a loop without
    /// dependencies between rows, so the divisions and square roots overlap (they dominated
    /// the per-window work when done there).
    pub(super) fn finish<V: Values + ?Sized>(
        &mut self,
        rows: Range<usize>,
        vals: &V,
        shared_counts: &[i64],
    ) {
        let counts = match &self.count {
            Some(own) => &own[rows.clone()],
            None => &shared_counts[rows.clone()],
        };
        let means = &mut self.mean[rows.clone()];
        let sds = &mut self.stddev[rows.clone()];
        let zs = &mut self.zscore[rows.clone()];
        let mut zero_stddev = false;
        for ((((row, &n), mean), sd), z) in rows.zip(counts).zip(means).zip(sds).zip(zs) {
            (*mean, *sd, *z) = moments(n, *mean, *sd, vals.x(row));
            zero_stddev |= n > 1 && *sd == 0.0;
        }
        self.zero_stddev |= zero_stddev;
    }

    /// The six stat columns in [`super::STAT_NAMES`] order and the `zscore_` column (after
    /// [`Self::finish`] of every row). A value is valid when the window has at least one value,
    /// the stddev when it has two; `sum_` is bigint for integer metrics. `x_nulls`: the
    /// metric's validity; `shared_count`: the count column of metrics without NULLs.
    pub(crate) fn arrays(
        self,
        col: &ArrayRef,
        x_nulls: Option<&NullBuffer>,
        shared_count: Option<&ArrayRef>,
    ) -> Result<(Vec<ArrayRef>, ArrayRef)> {
        let n = col.len();
        let min_count = Some(self.min_count.min(n as i64));
        let count: ArrayRef = match (self.count, shared_count) {
            (Some(own), _) => Arc::new(Int64Array::new(ScalarBuffer::from(own), None)),
            (None, Some(shared)) => shared.clone(),
            (None, None) => {
                return Err(TsdfError::Internal(
                    "withRangeStats: a metric without a count column was given none".into(),
                ));
            }
        };
        let counts = count.as_primitive::<Int64Type>().values();
        let some = validity(counts, 1, min_count);
        let two = validity(counts, 2, min_count);
        let f64s = |v: Vec<f64>, nulls: &Option<NullBuffer>| -> ArrayRef {
            Arc::new(Float64Array::new(ScalarBuffer::from(v), nulls.clone()))
        };
        let (min, max): (ArrayRef, ArrayRef) = match self.extremes {
            Extremes::F64(lo, hi) => (f64s(lo, &some), f64s(hi, &some)),
            Extremes::F32(lo, hi) => (
                Arc::new(Float32Array::new(ScalarBuffer::from(lo), some.clone())),
                Arc::new(Float32Array::new(ScalarBuffer::from(hi), some.clone())),
            ),
            Extremes::I32(lo, hi) => (
                Arc::new(Int32Array::new(ScalarBuffer::from(lo), some.clone())),
                Arc::new(Int32Array::new(ScalarBuffer::from(hi), some.clone())),
            ),
            Extremes::I64(lo, hi) => (
                Arc::new(Int64Array::new(ScalarBuffer::from(lo), some.clone())),
                Arc::new(Int64Array::new(ScalarBuffer::from(hi), some.clone())),
            ),
            Extremes::Rows(lo, hi) => {
                let rows = |v: Vec<u32>| UInt32Array::new(ScalarBuffer::from(v), some.clone());
                (
                    take(col.as_ref(), &rows(lo), None)?,
                    take(col.as_ref(), &rows(hi), None)?,
                )
            }
        };
        let sum: ArrayRef = if col.data_type().is_integer() {
            Arc::new(Int64Array::new(ScalarBuffer::from(self.isum), some.clone()))
        } else {
            f64s(self.sum, &some)
        };
        let all_valid = x_nulls.is_none() && self.min_count > 1 && !self.zero_stddev;
        let zscore = zscore_array(self.zscore, x_nulls, counts, &self.stddev, all_valid);
        let stats = vec![
            f64s(self.mean, &some),
            count,
            min,
            max,
            sum,
            f64s(self.stddev, &two),
        ];
        Ok((stats, zscore))
    }
}
