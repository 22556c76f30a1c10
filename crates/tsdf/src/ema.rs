//! `EMA`: Tempo's truncated exponential moving average, and the usual recursive one.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int32Array};

use crate::error::Result;
use crate::frame::Tsdf;
use crate::series::tsdf_series;
use crate::values::{F64Column, batch_of, named_columns};

/// Options of [`Tsdf::ema`]; `Default` is Tempo's (`window=30, exp_factor=0.2`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmaOptions {
    /// `window`: number of rows (not time) in the truncated sum; `<= 0` gives the integer 0.
    pub window: i64,
    /// `exp_factor`: the weight `e` of the current row.
    pub exp_factor: f64,
}

impl Default for EmaOptions {
    fn default() -> Self {
        EmaOptions {
            window: 30,
            exp_factor: 0.2,
        }
    }
}

/// Largest window for which the direct O(n·w) sum is used: it adds the terms in Tempo's order
/// (so results match Spark bit for bit in practice) and, vectorised, costs about as much as the
/// recurrence up to this size; beyond it the O(n) recurrence is used.
const DIRECT_SUM_MAX_WINDOW: usize = 64;

/// Outputs per block of the direct sum: the block and its inputs (2 × 8 KiB) stay in L1.
const EMA_BLOCK: usize = 1024;

/// Outputs summed together, each in its own register lane: 16 doubles are 8 SSE2 or 4 AVX2
/// registers, enough independent additions to hide the adder's latency, and few enough that
/// the accumulators never spill.
const LANES: usize = 16;

/// Tempo's weights `e·(1-e)^i`, computed as Python does (`exp_factor * (1 - exp_factor) ** i`).
fn weights(window: usize, e: f64) -> Vec<f64> {
    (0..window).map(|i| e * (1.0 - e).powf(i as f64)).collect()
}

/// Tempo's truncated EMA over one series, by the direct sum:
/// `y[t] = Σ_{i<window} e(1-e)^i · x[t-i]`, a missing lag or a NaN-free NULL (pass 0) adding 0.
///
/// `x` holds the series in order with NULLs already replaced by 0.
///
/// # Examples
/// ```
/// let y = tsdf::ema_truncated_direct(&[20.0, 20.0, 20.0], 2, 0.2);
/// assert_eq!(y, vec![4.0, 4.0 + 0.2 * 0.8 * 20.0, 4.0 + 0.2 * 0.8 * 20.0]);
/// ```
pub fn ema_truncated_direct(x: &[f64], window: usize, e: f64) -> Vec<f64> {
    let mut y = x.to_vec();
    ema_direct_in_place(&mut y, &weights(window, e), &mut DirectScratch::default());
    y
}

/// Buffers of the direct sum, reused across the series of one column.
pub(crate) struct DirectScratch {
    block: Box<[f64; EMA_BLOCK]>,
    /// The first block's inputs behind `window - 1` zeros (its missing lags).
    padded: Vec<f64>,
}

impl Default for DirectScratch {
    fn default() -> Self {
        DirectScratch {
            block: Box::new([0.0; EMA_BLOCK]),
            padded: Vec::new(),
        }
    }
}

/// [`ema_truncated_direct`] with weights `w`, replacing `x` by its EMA. Each block of outputs
/// is summed while it and its inputs are in L1, then stored over the block's inputs. Blocks go
/// from the last to the first, so the inputs a block reads before its own (up to `w.len() - 1`
/// of them) are not yet overwritten: no series-sized buffer is needed.
fn ema_direct_in_place(x: &mut [f64], w: &[f64], scratch: &mut DirectScratch) {
    let taps = w.len();
    let mut end = x.len();
    while end > 0 {
        let start = (end - 1) / EMA_BLOCK * EMA_BLOCK;
        let y = &mut scratch.block[..end - start];
        if start + 1 >= taps {
            fir(&x[start + 1 - taps..end], w, y);
        } else {
            // A missing lag adds `w·0.0`, which leaves the sum's bits as they were: the sum
            // starts at +0.0 and a round-to-nearest sum is -0.0 only when both terms are.
            scratch.padded.clear();
            scratch.padded.resize(taps - 1 - start, 0.0);
            scratch.padded.extend_from_slice(&x[..end]);
            fir(&scratch.padded, w, y);
        }
        x[start..end].copy_from_slice(y);
        end = start;
    }
}

/// `y[j] = Σ_i w[i]·x[j + w.len() - 1 - i]`, each sum starting at 0.0 and adding its terms in
/// lag order (Tempo's order, so results stay bit for bit those of the per-row sum). Uses AVX2
/// when the CPU has it: the same arithmetic (no fused multiply-add, which would round
/// differently), four doubles per instruction instead of two.
fn fir(x: &[f64], w: &[f64], y: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { fir_avx2(x, w, y) };
    }
    fir_lanes(x, w, y)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn fir_avx2(x: &[f64], w: &[f64], y: &mut [f64]) {
    fir_lanes(x, w, y)
}

#[inline(always)]
fn fir_lanes(x: &[f64], w: &[f64], y: &mut [f64]) {
    let last = w.len() - 1;
    let full = y.len() / LANES * LANES;
    for (chunk, out) in y[..full].chunks_exact_mut(LANES).enumerate() {
        let newest = chunk * LANES + last;
        let mut acc = [0.0f64; LANES];
        for (lag, &wi) in w.iter().enumerate() {
            let xs: &[f64; LANES] = x[newest - lag..][..LANES].try_into().expect("LANES long");
            for (a, &v) in acc.iter_mut().zip(xs) {
                *a += wi * v;
            }
        }
        out.copy_from_slice(&acc);
    }
    for (j, out) in y.iter_mut().enumerate().skip(full) {
        let mut acc = 0.0;
        for (lag, &wi) in w.iter().enumerate() {
            acc += wi * x[j + last - lag];
        }
        *out = acc;
    }
}

/// Tempo's truncated EMA by the O(n) recurrence
/// `y[t] = (1-e)·y[t-1] + e·x[t] - e(1-e)^window · x[t-window]`.
///
/// Equal to [`ema_truncated_direct`] up to rounding: the error stays within a few ulps of the
/// largest |y| seen (it decays by `1-e` every row), so relative error can grow only where the
/// output is much smaller than the inputs (series crossing zero).
///
/// # Examples
/// ```
/// let x = [1.0, 2.0, 3.0, 4.0, 5.0];
/// let a = tsdf::ema_truncated_recurrence(&x, 3, 0.2);
/// let b = tsdf::ema_truncated_direct(&x, 3, 0.2);
/// assert!(a.iter().zip(&b).all(|(a, b)| (a - b).abs() < 1e-12));
/// ```
pub fn ema_truncated_recurrence(x: &[f64], window: usize, e: f64) -> Vec<f64> {
    let keep = 1.0 - e;
    let tail = e * keep.powf(window as f64);
    let mut y = Vec::with_capacity(x.len());
    let mut prev = 0.0;
    for t in 0..x.len() {
        let mut v = keep * prev + e * x[t];
        if t >= window {
            v -= tail * x[t - window];
        }
        y.push(v);
        prev = v;
    }
    y
}

/// The usual recursive EMA (not Tempo's): `y[0] = x[0]`, `y[t] = e·x[t] + (1-e)·y[t-1]`;
/// NULL inputs (`None`) repeat the previous output and leading NULLs stay NULL.
///
/// # Examples
/// ```
/// let y = tsdf::ema_recursive_kernel(&[None, Some(10.0), None, Some(20.0)], 0.5);
/// assert_eq!(y, vec![None, Some(10.0), Some(10.0), Some(15.0)]);
/// ```
pub fn ema_recursive_kernel(x: &[Option<f64>], e: f64) -> Vec<Option<f64>> {
    let mut prev: Option<f64> = None;
    x.iter()
        .map(|v| {
            prev = match (prev, v) {
                (None, v) => *v,
                (Some(p), Some(v)) => Some(e * v + (1.0 - e) * p),
                (Some(p), None) => Some(p),
            };
            prev
        })
        .collect()
}

impl Tsdf {
    /// Tempo's `EMA(colName, window=30, exp_factor=0.2)`: adds `EMA_<colName>` (double), the
    /// **truncated, un-normalised** sum `Σ_{i<window} e(1-e)^i · lag(x, i)` over the series in
    /// (ts, seq) order, where missing lags and NULL values add 0 (never NULL). `window <= 0`
    /// gives the integer column 0, like Tempo. The result has no sequence column.
    ///
    /// For the textbook recursive EMA use [`Tsdf::ema_recursive`].
    ///
    /// # Examples
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow::array::*;
    /// # use arrow::datatypes::*;
    /// use tsdf::{EmaOptions, Tsdf, timestamp_type};
    /// let schema = Arc::new(Schema::new(vec![
    ///     Field::new("ts", timestamp_type(), false),
    ///     Field::new("x", DataType::Float64, true),
    /// ]));
    /// let batch = RecordBatch::try_new(schema, vec![
    ///     Arc::new(TimestampMicrosecondArray::from(vec![0, 1, 2]).with_timezone("UTC")),
    ///     Arc::new(Float64Array::from(vec![Some(20.0), None, Some(20.0)])),
    /// ]).unwrap();
    /// let out = Tsdf::new(batch, "ts", &[], None).unwrap()
    ///     .ema("x", &EmaOptions { window: 5, exp_factor: 0.2 }).unwrap();
    /// let ema = out.df().column_by_name("EMA_x").unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
    /// assert!((ema.value(0) - 4.0).abs() < 1e-12);
    /// assert!((ema.value(2) - (4.0 + 0.2 * 0.64 * 20.0)).abs() < 1e-12);
    /// ```
    pub fn ema(&self, col_name: &str, opts: &EmaOptions) -> Result<Tsdf> {
        let col = self.resolve(col_name, "colName")?;
        let out_name = format!("EMA_{col_name}");
        let result: ArrayRef = if opts.window <= 0 {
            Arc::new(Int32Array::from(vec![0; self.num_rows()]))
        } else {
            let window = usize::try_from(opts.window).unwrap_or(usize::MAX);
            let e = opts.exp_factor;
            let w = weights(window.min(DIRECT_SUM_MAX_WINDOW + 1), e);
            let mut scratch = DirectScratch::default();
            Arc::new(Float64Array::from(self.per_series_f64(&col, |x| {
                if window <= DIRECT_SUM_MAX_WINDOW {
                    ema_direct_in_place(x, &w, &mut scratch);
                } else {
                    let y = ema_truncated_recurrence(x, window, e);
                    x.copy_from_slice(&y);
                }
            })?))
        };
        self.with_column(out_name, result)
            .map(Tsdf::without_sequence)
    }

    /// The recursive EMA `y[t] = e·x[t] + (1-e)·y[t-1]` (not in Tempo), as `EMA_<colName>`
    /// (double; NULL until the first non-NULL value; NULL inputs repeat the previous value).
    pub fn ema_recursive(&self, col_name: &str, exp_factor: f64) -> Result<Tsdf> {
        let col = self.resolve(col_name, "colName")?;
        let values = F64Column::new(self.column(&col)?)?;
        let (_, series) = tsdf_series(self, true)?;
        let mut out = vec![None; self.num_rows()];
        for run in &series.runs {
            let rows = &series.order[run.clone()];
            let x: Vec<Option<f64>> = rows.iter().map(|&r| values.get(r as usize)).collect();
            for (&r, y) in rows.iter().zip(ema_recursive_kernel(&x, exp_factor)) {
                out[r as usize] = y;
            }
        }
        self.with_column(format!("EMA_{col_name}"), Arc::new(Float64Array::from(out)))
            .map(Tsdf::without_sequence)
    }

    /// Runs `kernel` over each series of `col` (as f64, NULL → 0, in series order; it replaces
    /// the values by its results in place) and scatters the results back to input row order.
    pub(crate) fn per_series_f64(
        &self,
        col: &str,
        mut kernel: impl FnMut(&mut [f64]),
    ) -> Result<Vec<f64>> {
        let values = F64Column::new(self.column(col)?)?;
        let (_, series) = tsdf_series(self, true)?;
        let vals = values.values();
        let mut xs = match &values.nulls {
            None => series.gather(|r| vals[r]),
            Some(_) => series.gather(|r| values.get(r).unwrap_or(0.0)),
        };
        for run in &series.runs {
            kernel(&mut xs[run.clone()]);
        }
        Ok(series.scatter(&xs))
    }

    /// Appends (or replaces) a column, keeping the TSDF's keys.
    pub(crate) fn with_column(&self, name: String, col: ArrayRef) -> Result<Tsdf> {
        let mut cols = named_columns(self.df());
        match cols.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = col,
            None => cols.push((name, col)),
        }
        Ok(Tsdf::from_parts(
            batch_of(cols)?,
            self.ts_col().to_string(),
            self.partition_cols().to_vec(),
            self.sequence_col().map(str::to_string),
        ))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The portable lanes (what wasm and CPUs without AVX2 run) and the dispatched kernel
        /// both give the per-row sum in lag order, bit for bit, NaN and infinities included.
        #[test]
        fn prop_fir_kernels_equal_the_per_row_sum(
            x in prop::collection::vec(prop_oneof![8 => -1e3f64..1e3, 1 => Just(f64::NAN), 1 => Just(f64::INFINITY)], 1..120),
            taps in 1usize..40,
        ) {
            let w = weights(taps, 0.3);
            let padded: Vec<f64> = std::iter::repeat_n(0.0, taps - 1).chain(x.iter().copied()).collect();
            let want: Vec<u64> = (0..x.len())
                .map(|t| (0..taps.min(t + 1)).fold(0.0, |acc, lag| acc + w[lag] * x[t - lag]).to_bits())
                .collect();
            let (mut lanes, mut dispatched) = (vec![0.0; x.len()], vec![0.0; x.len()]);
            fir_lanes(&padded, &w, &mut lanes);
            fir(&padded, &w, &mut dispatched);
            let bits = |v: &[f64]| v.iter().map(|y| if y.is_nan() { f64::NAN.to_bits() } else { y.to_bits() }).collect::<Vec<_>>();
            let want: Vec<u64> = want.iter().map(|&b| if f64::from_bits(b).is_nan() { f64::NAN.to_bits() } else { b }).collect();
            prop_assert_eq!(bits(&lanes), want.clone());
            prop_assert_eq!(bits(&dispatched), want);
        }
    }

    /// The seed spec's reference run: rotation 114.23 → EMA 22.85; next 86.50 → 35.58 (w=5).
    #[test]
    fn test_ema_seed_reference_numbers() {
        let y = ema_truncated_direct(&[114.23, 86.50], 5, 0.2);
        assert_eq!((y[0] * 100.0).round() / 100.0, 22.85);
        assert_eq!((y[1] * 100.0).round() / 100.0, 35.58);
    }

    /// A constant series converges to `1-(1-e)^w` of its level (13.44 for 20, w=5, e=0.2).
    #[test]
    fn test_ema_truncated_is_unnormalised() {
        let y = ema_truncated_direct(&[20.0; 10], 5, 0.2);
        assert!((y[9] - 13.4464).abs() < 1e-12);
        assert!((y[0] - 4.0).abs() < 1e-12);
    }
}
