//! G5–G6: the lifetime density of a device, and per trip rotation, delay and airflow with the
//! original's back-fill / forward-fill / zero fill.

use crate::config::GeneratorConfig;
use crate::rng::Stream;
use crate::signals::{autoregressive, sinusoid};

/// G5: `density = |s − mean(s)/2|` for `s = sinusoid(...)` over the device's chronological
/// readings. `scratch` is reused between devices.
pub(crate) fn lifetime_density(
    rng: &mut Stream,
    config: &GeneratorConfig,
    scratch: &mut Vec<f64>,
    density: &mut [f32],
) {
    scratch.clear();
    scratch.resize(density.len(), 0.0);
    let (signal, series) = (config.signal, config.density);
    sinusoid(
        rng,
        scratch,
        signal.frequency,
        signal.amplitude,
        series.trend,
        series.noisy,
    );
    let half_mean = scratch.iter().sum::<f64>() / scratch.len().max(1) as f64 / 2.0;
    for (d, s) in density.iter_mut().zip(scratch.iter()) {
        // The original stores density as a Spark `float`.
        *d = (s - half_mean).abs() as f32;
    }
}

/// The columns of one trip that G6 reads and writes.
pub(crate) struct TripColumns<'a> {
    pub(crate) temperature: &'a mut [f64],
    pub(crate) air_pressure: &'a mut [f64],
    pub(crate) rotation_speed: &'a mut [f64],
    pub(crate) delay: &'a mut [f32],
    pub(crate) airflow_rate: &'a mut [f64],
}

/// G6 for one trip: rotation, delay and lagged airflow, then the null fill of all columns.
pub(crate) fn trip_features(
    rng: &mut Stream,
    config: &GeneratorConfig,
    scratch: &mut Vec<f64>,
    trip: TripColumns<'_>,
) {
    let n = trip.rotation_speed.len();
    let rotation = config.rotation;
    autoregressive(rng, trip.rotation_speed, 0.0, rotation.noisy);
    for r in trip.rotation_speed.iter_mut() {
        *r = rotation.scale * r.abs();
    }
    scratch.clear();
    scratch.resize(n, 0.0);
    let (signal, series) = (config.signal, config.delay);
    sinusoid(
        rng,
        scratch,
        signal.frequency,
        signal.amplitude,
        series.trend,
        series.noisy,
    );
    for ((delay, d), r) in trip
        .delay
        .iter_mut()
        .zip(scratch.iter())
        .zip(trip.rotation_speed.iter())
    {
        // The original stores delay as a Spark `float`.
        *delay = (d * libm::sqrt(*r)).abs() as f32;
    }
    let lag = config.airflow_lag;
    for i in 0..n {
        let airflow = if i >= lag {
            trip.rotation_speed[i - lag] / trip.air_pressure[i]
        } else {
            f64::NAN
        };
        // A zero pressure would give ±inf in pandas; treat it as missing like NaN.
        trip.airflow_rate[i] = if airflow.is_finite() {
            airflow
        } else {
            f64::NAN
        };
    }
    fill_missing(trip.temperature);
    fill_missing(trip.air_pressure);
    fill_missing(trip.airflow_rate);
}

/// pandas' `fillna(method='bfill')`, then `'ffill'`, then `fillna(0)` on one column (NaN =
/// missing): leading gaps take the first later value, trailing gaps the last earlier value,
/// and an all-missing column becomes 0.
pub(crate) fn fill_missing(column: &mut [f64]) {
    let mut next = f64::NAN;
    for x in column.iter_mut().rev() {
        if x.is_nan() {
            *x = next;
        } else {
            next = *x;
        }
    }
    let mut previous = f64::NAN;
    for x in column.iter_mut() {
        if x.is_nan() {
            *x = previous;
        } else {
            previous = *x;
        }
    }
    for x in column.iter_mut() {
        if x.is_nan() {
            *x = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Phase;

    #[test]
    fn test_fill_missing_bfill_then_ffill_then_zero() {
        let nan = f64::NAN;
        let mut col = [nan, nan, 1.0, nan, 2.0, nan];
        fill_missing(&mut col);
        assert_eq!(col, [1.0, 1.0, 1.0, 2.0, 2.0, 2.0]);
        let mut all = [nan, nan];
        fill_missing(&mut all);
        assert_eq!(all, [0.0, 0.0]);
    }

    #[test]
    fn test_trip_features_airflow_lag_and_fill() {
        let config = GeneratorConfig::default();
        let mut rng = Stream::new(6, 0, Phase::TripFeatures);
        let n = 30;
        let (mut t, mut p) = (vec![20.0; n], vec![900.0; n]);
        let (mut r, mut d, mut a) = (vec![0.0; n], vec![0.0f32; n], vec![0.0; n]);
        let mut scratch = Vec::new();
        let columns = TripColumns {
            temperature: &mut t,
            air_pressure: &mut p,
            rotation_speed: &mut r,
            delay: &mut d,
            airflow_rate: &mut a,
        };
        trip_features(&mut rng, &config, &mut scratch, columns);
        for i in 5..n {
            assert_eq!(a[i], r[i - 5] / 900.0);
        }
        assert!(a[..5].iter().all(|&x| x == a[5]));
        assert!(r.iter().all(|&x| x >= 0.0) && d.iter().all(|&x| x >= 0.0));
    }

    #[test]
    fn test_short_and_null_trips_get_zero_airflow() {
        let config = GeneratorConfig::default();
        let mut rng = Stream::new(7, 0, Phase::TripFeatures);
        let mut scratch = Vec::new();
        for (n, base) in [(5, 900.0), (40, f64::NAN)] {
            let (mut t, mut p) = (vec![base; n], vec![base; n]);
            let (mut r, mut d, mut a) = (vec![0.0; n], vec![0.0f32; n], vec![1.0; n]);
            let columns = TripColumns {
                temperature: &mut t,
                air_pressure: &mut p,
                rotation_speed: &mut r,
                delay: &mut d,
                airflow_rate: &mut a,
            };
            trip_features(&mut rng, &config, &mut scratch, columns);
            assert!(a.iter().all(|&x| x == 0.0), "n = {n}");
            if base.is_nan() {
                assert!(t.iter().chain(&p).all(|&x| x == 0.0));
            }
        }
    }

    #[test]
    fn test_lifetime_density_rises_over_the_year() {
        let config = GeneratorConfig::default();
        let mut rng = Stream::new(8, 0, Phase::Lifetime);
        let mut density = vec![0.0f32; 7000];
        lifetime_density(&mut rng, &config, &mut Vec::new(), &mut density);
        let mean = |s: &[f32]| s.iter().map(|&x| f64::from(x)).sum::<f64>() / s.len() as f64;
        // §1.6 G5: monthly average ≈ 0.6 in January, ≈ 3.3 in December.
        let (first, last) = (mean(&density[..580]), mean(&density[6420..]));
        assert!(first < 1.2 && last > 2.5, "{first} {last}");
        assert!(density.iter().all(|&x| x >= 0.0));
    }
}
