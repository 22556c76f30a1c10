//! G3–G4: the daily base temperature, and per trip the temperature and air pressure.

use crate::config::{BaseTemperatureConfig, BatchShape, GeneratorConfig, SpillOver, TripDrift};
use crate::rng::Stream;
use crate::signals::{autoregressive, periodic};
use crate::time::{Date, MICROS_PER_DAY, MICROS_PER_HOUR};

/// G3: one base temperature per date from `start` to `end` (inclusive, daily).
#[derive(Debug, Clone)]
pub(crate) struct BaseTemperatures {
    pub(crate) first_date: Date,
    pub(crate) temps: Vec<f64>,
    spill_over: SpillOver,
}

impl BaseTemperatures {
    /// Draws the batch's base temperatures. `seasonal` sorts the first half ascending and the
    /// second half descending (a summer hump); otherwise days are independent. Either way a
    /// scaled damped autoregressive series adds day-to-day wobble.
    pub(crate) fn draw(
        rng: &mut Stream,
        shape: &BatchShape,
        cfg: &BaseTemperatureConfig,
        spill_over: SpillOver,
    ) -> Self {
        let days = ((shape.end.0 - shape.start.0).div_euclid(MICROS_PER_DAY) + 1) as usize;
        let mut temps = Vec::with_capacity(days);
        let mut draw = |count: usize, temps: &mut Vec<f64>| {
            for _ in 0..count {
                let t = rng.normal(shape.base_temperature_mean, cfg.std_dev);
                temps.push(t.max(cfg.clip_min).min(cfg.clip_max));
            }
        };
        if shape.seasonal {
            let rising = days / 2;
            draw(rising, &mut temps);
            temps.sort_unstable_by(f64::total_cmp);
            draw(days - rising, &mut temps);
            temps[rising..].sort_unstable_by(|a, b| b.total_cmp(a));
        } else {
            draw(days, &mut temps);
        }
        let mut noise = vec![0.0; days];
        autoregressive(rng, &mut noise, cfg.noise_trend, cfg.noise_noisy);
        for (t, n) in temps.iter_mut().zip(&noise) {
            *t += cfg.noise_scale * n;
        }
        BaseTemperatures {
            first_date: shape.start.date(),
            temps,
            spill_over,
        }
    }

    /// The base temperature of `date`; `None` past the last date unless spill-over is fixed.
    pub(crate) fn on(&self, date: Date) -> Option<f64> {
        let offset = date.0 - self.first_date.0;
        match usize::try_from(offset) {
            Ok(i) if i < self.temps.len() => Some(self.temps[i]),
            _ if self.spill_over == SpillOver::CarryLastDay => self.temps.last().copied(),
            _ => None,
        }
    }
}

/// G4 for one trip (rows sorted by time, all on one date): fills `temperature` and
/// `air_pressure`, with NaN standing for NULL when the date has no base temperature.
pub(crate) fn trip_weather(
    rng: &mut Stream,
    config: &GeneratorConfig,
    base: Option<f64>,
    timestamps: &[i64],
    temperature: &mut [f64],
    air_pressure: &mut [f64],
) {
    let trip = &config.trip_temperature;
    let first = timestamps[0];
    let midnight = first - first.rem_euclid(MICROS_PER_DAY);
    let coldest =
        midnight + rng.rand_int(trip.coldest_hour.min, trip.coldest_hour.max) * MICROS_PER_HOUR;
    let hottest =
        midnight + rng.rand_int(trip.hottest_hour.min, trip.hottest_hour.max) * MICROS_PER_HOUR;
    let warming = coldest < first && first < hottest;
    // The original negates the drift while warming (§10.2); `Intuitive` follows the intent.
    let rises = match trip.drift {
        TripDrift::Original => !warming,
        TripDrift::Intuitive => warming,
    };
    let trend = if rises { trip.trend } else { -trip.trend };
    let signal = config.signal;
    periodic(
        rng,
        temperature,
        signal.frequency,
        signal.amplitude,
        trend,
        trip.noisy,
    );
    let pressure = &config.air_pressure;
    let lapse =
        pressure.lapse_base + rng.uniform_range(pressure.lapse_extra.min, pressure.lapse_extra.max);
    let p0 = rng.rand_int(pressure.base.min, pressure.base.max) as f64;
    match base {
        Some(base) => {
            for (t, p) in temperature.iter_mut().zip(air_pressure.iter_mut()) {
                *t += base;
                *p = p0 - (*t - pressure.reference_temperature) * lapse;
            }
        }
        None => {
            temperature.fill(f64::NAN);
            air_pressure.fill(f64::NAN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Phase;

    #[test]
    fn test_seasonal_hump_rises_then_falls() {
        let config = GeneratorConfig::default();
        let mut rng = Stream::new(4, 0, Phase::BaseTemperature);
        let base = BaseTemperatures::draw(
            &mut rng,
            &config.initial,
            &config.base_temperature,
            SpillOver::Zeros,
        );
        assert_eq!(base.temps.len(), 365);
        let mean =
            |r: std::ops::Range<usize>| base.temps[r.clone()].iter().sum::<f64>() / r.len() as f64;
        let (jan, jul, dec) = (mean(0..31), mean(181..212), mean(334..365));
        assert!(jul > jan + 25.0 && jul > dec + 25.0, "{jan} {jul} {dec}");
        assert_eq!(base.on(Date(base.first_date.0 + 365)), None);
        assert!(base.on(base.first_date).is_some());
    }

    #[test]
    fn test_increment_has_32_days_and_carry_last_day() {
        let config = GeneratorConfig::default();
        let mut rng = Stream::new(4, 1, Phase::BaseTemperature);
        let base = BaseTemperatures::draw(
            &mut rng,
            &config.increment,
            &config.base_temperature,
            SpillOver::CarryLastDay,
        );
        assert_eq!(base.temps.len(), 32);
        assert_eq!(
            base.on(Date(base.first_date.0 + 40)),
            base.temps.last().copied()
        );
    }

    #[test]
    fn test_trip_weather_pressure_formula_and_null_base() {
        let config = GeneratorConfig::default();
        let mut rng = Stream::new(5, 0, Phase::Weather);
        let ts: Vec<i64> = (0..100)
            .map(|i| 10 * MICROS_PER_HOUR + i * 60_000_000)
            .collect();
        let (mut t, mut p) = (vec![0.0; 100], vec![0.0; 100]);
        trip_weather(&mut rng, &config, Some(50.0), &ts, &mut t, &mut p);
        // p = p0 − (t − 15)·lapse with one p0 and lapse per trip: p is affine in t.
        let lapse = -(p[1] - p[0]) / (t[1] - t[0]);
        assert!((1.7..2.7).contains(&lapse), "{lapse}");
        let p0 = p[0] + (t[0] - 15.0) * lapse;
        assert!((913.0..=1113.0).contains(&p0.round()) && (p0 - p0.round()).abs() < 1e-6);
        trip_weather(&mut rng, &config, None, &ts, &mut t, &mut p);
        assert!(t.iter().chain(&p).all(|x| x.is_nan()));
    }
}
