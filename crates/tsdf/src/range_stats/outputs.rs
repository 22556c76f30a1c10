//! The output columns of one `withRangeStats` metric. The window pass stores each row's
//! window summary by input row into a scratch of a block of rows; once a block's rows are all
//! stored they are completed (mean, stddev, z-score) and appended to the output columns, in
//! row order. So the outputs are written once each, sequentially, into vectors of exact
//! capacity (no zeroed full-size buffer to overwrite), and the scratch stays in cache. A
//! walk that stores rows in any order gets a scratch of all rows, completed in place. The
//! outputs become Arrow buffers without copying; `min_`/`max_` are kept in the column's type.

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

/// The stat columns of a run of rows. In the scratch, `mean` and `stddev` hold the window's
/// sum and M2 (the divisions and square root wait for the completion).
#[derive(Debug)]
struct Columns {
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
}

/// Applies `$f` to each pair of extreme columns of `$a` and `$b` (the same variant).
macro_rules! zip_extremes {
    ($a:expr, $b:expr, |$x:ident, $y:ident| $f:expr) => {
        match ($a, $b) {
            (Extremes::F64(a0, a1), Extremes::F64(b0, b1)) => {
                let f = |$x: &mut Vec<f64>, $y: &mut Vec<f64>| $f;
                f(a0, b0);
                f(a1, b1);
            }
            (Extremes::F32(a0, a1), Extremes::F32(b0, b1)) => {
                let f = |$x: &mut Vec<f32>, $y: &mut Vec<f32>| $f;
                f(a0, b0);
                f(a1, b1);
            }
            (Extremes::I32(a0, a1), Extremes::I32(b0, b1)) => {
                let f = |$x: &mut Vec<i32>, $y: &mut Vec<i32>| $f;
                f(a0, b0);
                f(a1, b1);
            }
            (Extremes::I64(a0, a1), Extremes::I64(b0, b1)) => {
                let f = |$x: &mut Vec<i64>, $y: &mut Vec<i64>| $f;
                f(a0, b0);
                f(a1, b1);
            }
            (Extremes::Rows(a0, a1), Extremes::Rows(b0, b1)) => {
                let f = |$x: &mut Vec<u32>, $y: &mut Vec<u32>| $f;
                f(a0, b0);
                f(a1, b1);
            }
            _ => unreachable!("both column sets are made by Columns::new for one type"),
        }
    };
}

impl Columns {
    /// Columns of `len` zeroed rows (`len` = 0 with room for `cap`) for a metric of type `dt`.
    fn new(len: usize, cap: usize, dt: &DataType, integer: bool, own_count: bool) -> Self {
        fn column<T: Copy + Default>(len: usize, cap: usize, keep: bool) -> Vec<T> {
            let mut v = Vec::with_capacity(if keep { cap.max(len) } else { 0 });
            if keep {
                v.resize(len, T::default());
            }
            v
        }
        macro_rules! pair {
            ($variant:ident) => {
                Extremes::$variant(column(len, cap, true), column(len, cap, true))
            };
        }
        let extremes = match dt {
            DataType::Float64 => pair!(F64),
            DataType::Float32 => pair!(F32),
            DataType::Int32 => pair!(I32),
            DataType::Int64 => pair!(I64),
            _ => pair!(Rows),
        };
        Columns {
            mean: column(len, cap, true),
            count: own_count.then(|| column(len, cap, true)),
            sum: column(len, cap, !integer),
            isum: column(len, cap, integer),
            extremes,
            stddev: column(len, cap, true),
        }
    }

    fn len(&self) -> usize {
        self.mean.len()
    }

    /// Applies `f` to every column (the extremes through `g`).
    fn each(&mut self, f: &mut dyn FnMut(&mut dyn ColumnOps)) {
        f(&mut self.mean);
        if let Some(c) = &mut self.count {
            f(c);
        }
        f(&mut self.sum);
        f(&mut self.isum);
        f(&mut self.stddev);
        match &mut self.extremes {
            Extremes::F64(a, b) => (f(a), f(b)),
            Extremes::F32(a, b) => (f(a), f(b)),
            Extremes::I32(a, b) => (f(a), f(b)),
            Extremes::I64(a, b) => (f(a), f(b)),
            Extremes::Rows(a, b) => (f(a), f(b)),
        };
    }
}

/// What the scratch does to each of its columns, whatever its type.
trait ColumnOps {
    /// Grows a non-empty column to `len` rows.
    fn grow(&mut self, len: usize);
    /// Moves rows `from..to` to the front.
    fn shift(&mut self, from: usize, to: usize);
}

impl<T: Copy + Default> ColumnOps for Vec<T> {
    fn grow(&mut self, len: usize) {
        if !self.is_empty() {
            self.resize(len, T::default());
        }
    }

    fn shift(&mut self, from: usize, to: usize) {
        if !self.is_empty() {
            self.copy_within(from..to, 0);
        }
    }
}

/// One metric's stats and `(x - mean) / stddev` per input row, plus what the pass learnt
/// about their validity (so that all-valid columns need no bitmap scan).
#[derive(Debug)]
pub(crate) struct WindowStats {
    /// Stored summaries of input rows `base..`; `hi`: one past the last row index stored.
    scratch: Columns,
    base: usize,
    hi: usize,
    /// Whether all rows are stored before any is completed (then in place).
    whole: bool,
    /// The completed rows `0..base`, in the output's types (mean and stddev).
    done: Columns,
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
    /// Outputs for `n` rows of a metric of type `dt` (integer sums when `integer`), with a
    /// count column of its own when `own_count`, stored `block` rows at a time (`n`: all at
    /// once, in any order).
    pub(crate) fn new(
        n: usize,
        block: usize,
        dt: &DataType,
        integer: bool,
        own_count: bool,
    ) -> Self {
        let whole = block >= n;
        WindowStats {
            scratch: Columns::new(block.min(n), 0, dt, integer, own_count),
            base: 0,
            hi: 0,
            whole,
            // Completed all at once, the scratch itself becomes the output.
            done: Columns::new(0, if whole { 0 } else { n }, dt, integer, own_count),
            zscore: Vec::with_capacity(n),
            min_count: i64::MAX,
            zero_stddev: false,
        }
    }

    /// Stores the window summary `w` of input row `row` of `vals`: everything but the mean,
    /// stddev and z-score, whose divisions and square root wait for [`Self::finish`]. The
    /// mean and stddev slots hold the sum and M2 until then.
    #[inline]
    pub(super) fn put_row<V: Values + ?Sized>(&mut self, row: usize, w: &Summary, vals: &V) {
        let at = row - self.base;
        if at >= self.scratch.len() {
            self.grow(at + 1);
        }
        self.hi = self.hi.max(at + 1);
        let s = &mut self.scratch;
        let count = i64::from(w.n);
        s.mean[at] = w.sum;
        s.stddev[at] = w.m2;
        if let Some(counts) = &mut s.count {
            counts[at] = count;
        }
        if V::INTEGER {
            s.isum[at] = w.isum;
        } else {
            s.sum[at] = w.sum;
        }
        let (min, max) = (&w.min, &w.max);
        match &mut s.extremes {
            Extremes::F64(lo, hi) => (lo[at], hi[at]) = (min.x, max.x),
            // The doubles came from these types exactly, so they convert back exactly.
            Extremes::F32(lo, hi) => (lo[at], hi[at]) = (min.x as f32, max.x as f32),
            Extremes::I32(lo, hi) => (lo[at], hi[at]) = (min.x as i32, max.x as i32),
            Extremes::I64(lo, hi) => {
                (lo[at], hi[at]) = (vals.xi(min.row as usize), vals.xi(max.row as usize));
            }
            Extremes::Rows(lo, hi) => (lo[at], hi[at]) = (min.row, max.row),
        }
    }

    /// A peer group reaching past the block stores rows of the next one early.
    #[cold]
    fn grow(&mut self, len: usize) {
        let len = len.max(2 * self.scratch.len());
        self.scratch.each(&mut |c| c.grow(len));
    }

    /// Completes the stats of `rows` (the next rows, all stored) into the outputs, with
    /// `shared_counts` (every row's) when the metric has no count of its own: a loop without
    /// dependencies between rows, so the divisions and square roots overlap (they dominated
    /// the per-window work when done in the window pass).
    pub(super) fn finish<V: Values + ?Sized>(
        &mut self,
        rows: Range<usize>,
        vals: &V,
        shared_counts: &[i64],
    ) {
        debug_assert_eq!(rows.start, self.base);
        let k = rows.len();
        let (s, d) = (&mut self.scratch, &mut self.done);
        let counts = match &s.count {
            Some(own) => &own[..k],
            None => &shared_counts[rows.clone()],
        };
        self.min_count = self
            .min_count
            .min(counts.iter().copied().min().unwrap_or(i64::MAX));
        let mut zero_stddev = false;
        let in_place = self.whole;
        let xs = rows.clone().map(|r| vals.x(r));
        let z = &mut self.zscore;
        if in_place {
            for (((x, &n), mean), sd) in xs.zip(counts).zip(&mut s.mean).zip(&mut s.stddev) {
                let zs;
                (*mean, *sd, zs) = moments(n, *mean, *sd, x);
                z.push(zs);
                zero_stddev |= n > 1 && *sd == 0.0;
            }
            std::mem::swap(s, d);
        } else {
            for (((x, &n), &sum), &m2) in xs.zip(counts).zip(&s.mean).zip(&s.stddev) {
                let (mean, sd, zs) = moments(n, sum, m2, x);
                d.mean.push(mean);
                d.stddev.push(sd);
                z.push(zs);
                zero_stddev |= n > 1 && sd == 0.0;
            }
            if let (Some(dc), Some(sc)) = (&mut d.count, &s.count) {
                dc.extend_from_slice(&sc[..k]);
            }
            d.sum.extend_from_slice(&s.sum[..k.min(s.sum.len())]);
            d.isum.extend_from_slice(&s.isum[..k.min(s.isum.len())]);
            zip_extremes!(&mut d.extremes, &mut s.extremes, |a, b| a
                .extend_from_slice(&b[..k]));
            // Rows of the next block stored early move to the scratch's front.
            if self.hi > k {
                let hi = self.hi;
                s.each(&mut |c| c.shift(k, hi));
            }
        }
        self.hi = self.hi.saturating_sub(k);
        self.base += k;
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
        let out = self.done;
        let count: ArrayRef = match (out.count, shared_count) {
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
        let (min, max): (ArrayRef, ArrayRef) = match out.extremes {
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
            Arc::new(Int64Array::new(ScalarBuffer::from(out.isum), some.clone()))
        } else {
            f64s(out.sum, &some)
        };
        let all_valid = x_nulls.is_none() && self.min_count > 1 && !self.zero_stddev;
        let zscore = zscore_array(self.zscore, x_nulls, counts, &out.stddev, all_valid);
        let stats = vec![
            f64s(out.mean, &some),
            count,
            min,
            max,
            sum,
            f64s(out.stddev, &two),
        ];
        Ok((stats, zscore))
    }
}
