//! The original's three signal primitives (`make_timeseries`, §1.4), written into a caller's
//! buffer so the per-trip loops do not allocate.
//!
//! All of them sample `t = linspace(0, 10, n)`, draw `n` noise values `N(0, noisy)` and add
//! `trend · t`; for `n < 2` the result is all zeros (the noise is still drawn, as in the
//! original).

use std::f64::consts::PI;

use crate::rng::Stream;

/// Length of the time axis: `t` runs from 0 to this value inclusive.
const TIME_SPAN: f64 = 10.0;
/// Std-dev of the per-point frequency of `periodic` (hard-coded in the original).
const PERIODIC_FREQUENCY_STD: f64 = 0.5;
/// Std-dev of the per-point amplitude of `periodic` (hard-coded in the original).
const PERIODIC_AMPLITUDE_STD: f64 = 1.2;

/// Spacing of `linspace(0, 10, n)`.
fn time_step(n: usize) -> f64 {
    if n > 1 {
        TIME_SPAN / (n - 1) as f64
    } else {
        0.0
    }
}

/// `noise + amplitude · sin(2π · frequency · t) + trend · t`.
pub(crate) fn sinusoid(
    rng: &mut Stream,
    out: &mut [f64],
    frequency: f64,
    amplitude: f64,
    trend: f64,
    noisy: f64,
) {
    let n = out.len();
    let step = time_step(n);
    let angular = 2.0 * PI * frequency;
    for (i, x) in out.iter_mut().enumerate() {
        let noise = rng.normal(0.0, noisy);
        let t = i as f64 * step;
        *x = noise + amplitude * libm::sin(angular * t) + trend * t;
    }
    if n < 2 {
        out.fill(0.0);
    }
}

/// `noise + a_i · sin(f_i · t) + trend · t` with a fresh `f_i ~ N(frequency, 0.5)` and
/// `a_i ~ N(amplitude, 1.2)` per point (no 2π: the original's formula). Because the frequency
/// and amplitude are redrawn for every point this is extra noise rather than a wave.
pub(crate) fn periodic(
    rng: &mut Stream,
    out: &mut [f64],
    frequency: f64,
    amplitude: f64,
    trend: f64,
    noisy: f64,
) {
    let n = out.len();
    let step = time_step(n);
    for (i, x) in out.iter_mut().enumerate() {
        let noise = rng.normal(0.0, noisy);
        let f = rng.normal(frequency, PERIODIC_FREQUENCY_STD);
        let a = rng.normal(amplitude, PERIODIC_AMPLITUDE_STD);
        let t = i as f64 * step;
        *x = noise + a * libm::sin(f * t) + trend * t;
    }
    if n < 2 {
        out.fill(0.0);
    }
}

/// `x_0 = U + noisy`, `x_1 = (U + 1)(noisy + 0.5)`,
/// `x_i = e_i + (1 + trend) x_{i−1} − (1 − trend) x_{i−2}`.
///
/// With `trend = 0` this is an undamped period-6 oscillation whose amplitude grows like a
/// random walk; with `trend = 0.1` a damped one.
pub(crate) fn autoregressive(rng: &mut Stream, out: &mut [f64], trend: f64, noisy: f64) {
    let n = out.len();
    for x in out.iter_mut() {
        *x = rng.normal(0.0, noisy);
    }
    if n < 2 {
        out.fill(0.0);
        return;
    }
    out[0] = rng.uniform() + noisy;
    out[1] = (rng.uniform() + 1.0) * (noisy + 0.5);
    for i in 2..n {
        out[i] += (1.0 + trend) * out[i - 1] - (1.0 - trend) * out[i - 2];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Phase;

    fn std_dev(xs: &[f64]) -> f64 {
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64).sqrt()
    }

    #[test]
    fn test_short_series_are_zero() {
        let mut rng = Stream::new(1, 0, Phase::Weather);
        for n in 0..2 {
            let mut out = vec![9.0; n];
            sinusoid(&mut rng, &mut out, 0.35, 1.2, 0.4, 0.6);
            assert!(out.iter().all(|&x| x == 0.0));
            periodic(&mut rng, &mut out, 0.35, 1.2, 0.8, 1.0);
            assert!(out.iter().all(|&x| x == 0.0));
            autoregressive(&mut rng, &mut out, 0.0, 0.3);
            assert!(out.iter().all(|&x| x == 0.0));
        }
    }

    #[test]
    fn test_sinusoid_without_noise_is_the_wave_plus_trend() {
        let mut rng = Stream::new(1, 0, Phase::Lifetime);
        let mut out = vec![0.0; 11];
        sinusoid(&mut rng, &mut out, 0.25, 2.0, 0.5, 0.0);
        // t = 0, 1, ..., 10; sin(2π·0.25·t) cycles 0, 1, 0, −1.
        let expected = [0.0, 2.5, 1.0, -0.5, 2.0, 4.5, 3.0, 1.5, 4.0, 6.5, 5.0];
        for (x, e) in out.iter().zip(expected) {
            assert!((x - e).abs() < 1e-12, "{x} vs {e}");
        }
    }

    #[test]
    fn test_periodic_drift_reaches_trend_times_ten() {
        // Averaging many trips removes the noise: the mean end point is trend · 10.
        let mut rng = Stream::new(2, 0, Phase::Weather);
        let mut out = vec![0.0; 50];
        let trips = 4000;
        let (mut first, mut last) = (0.0, 0.0);
        for _ in 0..trips {
            periodic(&mut rng, &mut out, 0.35, 1.2, -0.8, 1.0);
            first += out[0];
            last += out[49];
        }
        assert!((first / trips as f64).abs() < 0.1);
        // E[a·sin(f·10)] is small but not zero; the drift dominates.
        assert!(
            (last / trips as f64 + 8.0).abs() < 0.5,
            "{}",
            last / trips as f64
        );
    }

    #[test]
    fn test_autoregressive_damped_is_stationary_and_undamped_grows() {
        let mut rng = Stream::new(3, 0, Phase::TripFeatures);
        let mut damped = vec![0.0; 20_000];
        autoregressive(&mut rng, &mut damped, 0.1, 0.3);
        // Stationary std ≈ 0.84 (§1.4).
        let sd = std_dev(&damped[1000..]);
        assert!((sd - 0.84).abs() < 0.12, "{sd}");
        let mut undamped = vec![0.0; 4000];
        autoregressive(&mut rng, &mut undamped, 0.0, 0.3);
        assert!(std_dev(&undamped[3000..]) > 3.0 * std_dev(&undamped[..300]));
    }
}
