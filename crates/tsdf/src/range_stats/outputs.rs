//! The output columns of one `withRangeStats` metric: plain vectors written by index by the
//! window pass and handed to Arrow as its buffers without copying. `min_`/`max_` are written in the column's own type.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, Float32Array, Float64Array, Int32Array, Int64Array, UInt32Array,
};
use arrow::buffer::{NullBuffer, ScalarBuffer};
use arrow::compute::take;
use arrow::datatypes::{DataType, Int64Type};

use super::columns::{validity, zscore_array};
use super::metric::Values;
use super::two_stacks::Extreme;
use crate::error::{Result, TsdfError};

/// The stats of one frame of one metric.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct FrameStats {
    pub mean: f64,
    pub sd: f64,
    pub count: i64,
    pub sum: f64,
    pub isum: i64,
    pub min: Extreme,
    pub max: Extreme,
}

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
    /// `None` when the caller shares the count column of another metric without NULLs.
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

impl WindowStats {
    /// Zeroed outputs for `n` rows of a metric of type `dt` (integer sums when `integer`),
    /// with a count column unless `shared_count`. Zeroed vectors come from `calloc`: fresh
    /// pages need no clearing and each row is written once, in whatever order.
    pub(crate) fn new(n: usize, dt: &DataType, integer: bool, shared_count: bool) -> Self {
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
            count: (!shared_count).then(|| column(n, true)),
            sum: column(n, !integer),
            isum: column(n, integer),
            extremes,
            stddev: column(n, true),
            zscore: column(n, true),
            min_count: i64::MAX,
            zero_stddev: false,
        }
    }

    /// Notes a frame's count and stddev for the validity shortcuts.
    #[inline]
    pub(super) fn note(&mut self, f: &FrameStats) {
        self.min_count = self.min_count.min(f.count);
        self.zero_stddev |= f.count > 1 && f.sd == 0.0;
    }

    /// Stores the stats `f` of input row `row` of `vals`.
    #[inline]
    pub(super) fn put_row<V: Values + ?Sized>(&mut self, row: usize, f: &FrameStats, vals: &V) {
        self.mean[row] = f.mean;
        if let Some(count) = &mut self.count {
            count[row] = f.count;
        }
        if V::INTEGER {
            self.isum[row] = f.isum;
        } else {
            self.sum[row] = f.sum;
        }
        match &mut self.extremes {
            Extremes::F64(lo, hi) => (lo[row], hi[row]) = (f.min.x, f.max.x),
            // The doubles came from these types exactly, so they convert back exactly.
            Extremes::F32(lo, hi) => (lo[row], hi[row]) = (f.min.x as f32, f.max.x as f32),
            Extremes::I32(lo, hi) => (lo[row], hi[row]) = (f.min.x as i32, f.max.x as i32),
            Extremes::I64(lo, hi) => {
                (lo[row], hi[row]) = (vals.xi(f.min.row as usize), vals.xi(f.max.row as usize));
            }
            Extremes::Rows(lo, hi) => (lo[row], hi[row]) = (f.min.row, f.max.row),
        }
        self.stddev[row] = f.sd;
        self.zscore[row] = (vals.x(row) - f.mean) / f.sd;
    }

    /// The six stat columns in [`super::STAT_NAMES`] order and the `zscore_` column. A value
    /// is valid when the window has at least one value, the stddev when it has two; `sum_` is
    /// bigint for integer metrics. `shared_count`: the count column to use when this metric
    /// has none of its own; `x_nulls`: the metric's validity.
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
