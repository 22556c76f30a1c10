//! `fourier_transform`: a per-series FFT with scipy's `fft`/`fftfreq` conventions.
//!
//! A small FFT of our own: iterative radix-2 for powers of two, Bluestein's chirp-z transform
//! (through a power-of-two FFT) for every other length. Twiddles are computed directly with
//! `sin_cos` of the exact angle, which keeps errors near those of pocketfft (scipy).

use std::f64::consts::PI;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array};

use crate::error::Result;
use crate::frame::Tsdf;
use crate::series::tsdf_series;
use crate::values::{F64Column, batch_of, take_idx};

/// A complex number as (re, im).
type C = (f64, f64);

fn mul(a: C, b: C) -> C {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// In-place radix-2 FFT (`inverse` uses the +i exponent, unscaled). `x.len()` is a power of 2.
fn fft_pow2(x: &mut [C], inverse: bool) {
    let n = x.len();
    let mut j = 0;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            x.swap(i, j);
        }
    }
    let sign = if inverse { 1.0 } else { -1.0 };
    let mut len = 2;
    while len <= n {
        let half = len / 2;
        let tw: Vec<C> = (0..half)
            .map(|k| {
                let (s, c) = (sign * 2.0 * PI * k as f64 / len as f64).sin_cos();
                (c, s)
            })
            .collect();
        for start in (0..n).step_by(len) {
            for k in 0..half {
                let u = x[start + k];
                let v = mul(x[start + k + half], tw[k]);
                x[start + k] = (u.0 + v.0, u.1 + v.1);
                x[start + k + half] = (u.0 - v.0, u.1 - v.1);
            }
        }
        len <<= 1;
    }
}

/// The discrete Fourier transform `X[k] = Σ x[n]·e^{-2πikn/N}` (scipy.fft.fft), any length.
///
/// # Examples
/// ```
/// let x = tsdf::fft(&[(1.0, 0.0), (2.0, 0.0), (3.0, 0.0)]);
/// assert!((x[0].0 - 6.0).abs() < 1e-12);
/// assert!((x[1].0 + 1.5).abs() < 1e-12 && (x[1].1 - 0.8660254037844386).abs() < 1e-12);
/// ```
pub fn fft(input: &[C]) -> Vec<C> {
    let n = input.len();
    if n <= 1 {
        return input.to_vec();
    }
    if n.is_power_of_two() {
        let mut x = input.to_vec();
        fft_pow2(&mut x, false);
        return x;
    }
    // Bluestein: X[k] = conj(w[k]) · Σ (x[n]·conj(w[n])) · w[k-n], w[m] = e^{iπm²/N}.
    let m = (2 * n - 1).next_power_of_two();
    let chirp: Vec<C> = (0..n)
        .map(|k| {
            // k² mod 2N keeps the angle small and exact.
            let k2 = (k as u128 * k as u128 % (2 * n as u128)) as f64;
            let (s, c) = (PI * k2 / n as f64).sin_cos();
            (c, s)
        })
        .collect();
    let mut a = vec![(0.0, 0.0); m];
    for k in 0..n {
        a[k] = mul(input[k], (chirp[k].0, -chirp[k].1));
    }
    let mut b = vec![(0.0, 0.0); m];
    b[0] = chirp[0];
    for k in 1..n {
        b[k] = chirp[k];
        b[m - k] = chirp[k];
    }
    fft_pow2(&mut a, false);
    fft_pow2(&mut b, false);
    for (x, y) in a.iter_mut().zip(&b) {
        *x = mul(*x, *y);
    }
    fft_pow2(&mut a, true);
    let scale = 1.0 / m as f64;
    (0..n)
        .map(|k| mul((a[k].0 * scale, a[k].1 * scale), (chirp[k].0, -chirp[k].1)))
        .collect()
}

/// scipy's `fftfreq(n, d)`: `[0, 1, …, ⌈n/2⌉-1, -⌊n/2⌋, …, -1] / (d·n)`.
///
/// # Examples
/// ```
/// assert_eq!(tsdf::fftfreq(4, 1.0), vec![0.0, 0.25, -0.5, -0.25]);
/// ```
pub fn fftfreq(n: usize, d: f64) -> Vec<f64> {
    let val = 1.0 / (n as f64 * d);
    let pos = n.div_ceil(2);
    (0..n)
        .map(|i| {
            if i < pos {
                i as f64 * val
            } else {
                (i as f64 - n as f64) * val
            }
        })
        .collect()
}

impl Tsdf {
    /// Tempo's `fourier_transform(timestep, valueCol)`: per series sorted by ts (and seq),
    /// `fft(values)` and `fftfreq(N, timestep)`. Output columns: partition cols, ts, [seq],
    /// valueCol, `freq`, `ft_real`, `ft_imag`; other columns are dropped. A NULL value becomes
    /// NaN and poisons its series (as pandas/scipy do).
    pub fn fourier_transform(&self, timestep: f64, value_col: &str) -> Result<Tsdf> {
        let value_col = self.resolve(value_col, "valueCol")?;
        let vals = F64Column::new(self.column(&value_col)?)?;
        let (_, series) = tsdf_series(self, true)?;
        let mut rows = Vec::with_capacity(self.num_rows());
        let (mut freq, mut re, mut im) = (Vec::new(), Vec::new(), Vec::new());
        for run in &series.runs {
            let r = &series.order[run.clone()];
            let x: Vec<C> = r
                .iter()
                .map(|&i| (vals.get(i as usize).unwrap_or(f64::NAN), 0.0))
                .collect();
            let poisoned = x.iter().any(|v| v.0.is_nan());
            let mut spectrum = fft(&x);
            if poisoned {
                spectrum.iter_mut().for_each(|v| *v = (f64::NAN, f64::NAN));
            }
            freq.extend(fftfreq(r.len(), timestep));
            re.extend(spectrum.iter().map(|v| v.0));
            im.extend(spectrum.iter().map(|v| v.1));
            rows.extend_from_slice(r);
        }
        let mut cols = Vec::new();
        let mut keep: Vec<String> = self.partition_cols().to_vec();
        keep.push(self.ts_col().to_string());
        if let Some(s) = self.sequence_col() {
            keep.push(s.to_string());
        }
        if !keep.contains(&value_col) {
            keep.push(value_col.clone());
        }
        for c in &keep {
            cols.push((c.clone(), take_idx(self.column(c)?, &rows)?));
        }
        cols.push((
            "freq".into(),
            Arc::new(Float64Array::from(freq)) as ArrayRef,
        ));
        cols.push((
            "ft_real".into(),
            Arc::new(Float64Array::from(re)) as ArrayRef,
        ));
        cols.push((
            "ft_imag".into(),
            Arc::new(Float64Array::from(im)) as ArrayRef,
        ));
        Ok(Tsdf::from_parts(
            batch_of(cols)?,
            self.ts_col().into(),
            self.partition_cols().to_vec(),
            self.sequence_col().map(Into::into),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_dft(x: &[C]) -> Vec<C> {
        let n = x.len();
        (0..n)
            .map(|k| {
                x.iter().enumerate().fold((0.0, 0.0), |acc, (j, v)| {
                    let (s, c) = (-2.0 * PI * ((k * j) % n) as f64 / n as f64).sin_cos();
                    let t = mul(*v, (c, s));
                    (acc.0 + t.0, acc.1 + t.1)
                })
            })
            .collect()
    }

    #[test]
    fn test_fft_matches_naive_dft_for_many_lengths() {
        for n in [1usize, 2, 3, 5, 8, 12, 17, 64, 100, 289] {
            let x: Vec<C> = (0..n)
                .map(|i| ((i as f64 * 0.37).sin() * 10.0 + 20.0, 0.0))
                .collect();
            let (a, b) = (fft(&x), naive_dft(&x));
            for (p, q) in a.iter().zip(&b) {
                assert!(
                    (p.0 - q.0).abs() < 1e-9 && (p.1 - q.1).abs() < 1e-9,
                    "n={n}: {p:?} vs {q:?}"
                );
            }
        }
    }
}
