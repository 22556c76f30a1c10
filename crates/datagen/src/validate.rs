//! Checks that a [`GeneratorConfig`] can run: after this, generation cannot fail or panic.

use crate::config::{BatchShape, FloatRange, GeneratorConfig, IntRange};
use crate::error::{DatagenError, Result};
use crate::time::{MICROS_PER_DAY, Timestamp};

/// Most readings one batch may have: the crash course's largest setup (V5, 5 M rows), ≈ 550 MB
/// of CSV, about what a browser tab can hold.
pub const MAX_ROWS: i64 = 5_000_000;
/// Most devices one batch may have (device ids must stay small positive `int`s).
pub const MAX_DEVICES: i64 = 1_000_000;
/// Longest burst: ≈ 70 days of minute readings, so timestamps stay within four-digit years.
const MAX_BURST: i64 = 100_000;
/// Most part files per write.
const MAX_FILES: usize = 10_000;
/// Most heat rules (rule numbers are stored in a byte per row).
const MAX_HEAT_RULES: usize = 32;
/// First and last day a config may use (years 1000–9998, see [`Timestamp`]).
const FIRST_DAY: i64 = -354_285; // 1000-01-01
const LAST_DAY: i64 = 2_932_531; // 9998-12-31

struct Checker {
    problem: Option<DatagenError>,
}

impl Checker {
    fn check(&mut self, ok: bool, field: &str, reason: impl FnOnce() -> String) {
        if !ok && self.problem.is_none() {
            self.problem = Some(DatagenError::InvalidConfig {
                field: field.to_string(),
                reason: reason(),
            });
        }
    }

    fn finite(&mut self, value: f64, field: &str) {
        self.check(value.is_finite(), field, || {
            format!("{value} is not a finite number")
        });
    }

    fn non_negative(&mut self, value: f64, field: &str) {
        self.check(value.is_finite() && value >= 0.0, field, || {
            format!("{value} must be a finite number >= 0")
        });
    }

    fn rate(&mut self, value: f64, field: &str) {
        self.check((0.0..=1.0).contains(&value), field, || {
            format!("{value} must be a probability in [0, 1]")
        });
    }

    fn int_range(&mut self, range: IntRange, field: &str, lowest: i64, highest: i64) {
        self.check(range.min <= range.max, field, || {
            format!("min {} is greater than max {}", range.min, range.max)
        });
        self.check(range.min >= lowest && range.max <= highest, field, || {
            format!(
                "[{}, {}] must lie within [{lowest}, {highest}]",
                range.min, range.max
            )
        });
    }

    fn float_range(&mut self, range: FloatRange, field: &str) {
        self.finite(range.min, field);
        self.finite(range.max, field);
        self.check(range.min <= range.max, field, || {
            format!("min {} is greater than max {}", range.min, range.max)
        });
    }

    fn timestamp(&mut self, t: Timestamp, field: &str) {
        let day = t.0.div_euclid(MICROS_PER_DAY);
        self.check((FIRST_DAY..=LAST_DAY).contains(&day), field, || {
            "must lie in the years 1000-9998".to_string()
        });
    }

    fn shape(&mut self, shape: &BatchShape, name: &str) {
        self.int_range(shape.num_rows, &format!("{name}.num_rows"), 1, MAX_ROWS);
        self.int_range(
            shape.num_devices,
            &format!("{name}.num_devices"),
            1,
            MAX_DEVICES,
        );
        self.timestamp(shape.start, &format!("{name}.start"));
        self.timestamp(shape.end, &format!("{name}.end"));
        self.check(shape.start <= shape.end, &format!("{name}.end"), || {
            format!("{} is before start {}", shape.end, shape.start)
        });
        self.finite(
            shape.base_temperature_mean,
            &format!("{name}.base_temperature_mean"),
        );
    }
}

impl GeneratorConfig {
    /// Checks every field; the error names the first bad field by its dotted path.
    ///
    /// # Errors
    /// [`DatagenError::InvalidConfig`] for the first field that cannot work.
    ///
    /// # Examples
    /// ```
    /// use datagen::GeneratorConfig;
    /// let mut config = GeneratorConfig::default();
    /// config.landing.null_temperature_rate = 1.5;
    /// let err = config.validate().unwrap_err().to_string();
    /// assert!(err.contains("landing.null_temperature_rate"), "{err}");
    /// ```
    pub fn validate(&self) -> Result<()> {
        let mut c = Checker { problem: None };
        c.shape(&self.initial, "initial");
        c.shape(&self.increment, "increment");
        c.finite(self.signal.frequency, "signal.frequency");
        c.finite(self.signal.amplitude, "signal.amplitude");
        let b = &self.bursts;
        c.int_range(
            IntRange {
                min: b.min_length,
                max: b.max_length,
            },
            "bursts",
            1,
            MAX_BURST,
        );
        c.check(b.split_below >= 1, "bursts.split_below", || {
            "must be >= 1".into()
        });
        let bt = &self.base_temperature;
        c.non_negative(bt.std_dev, "base_temperature.std_dev");
        c.float_range(
            FloatRange {
                min: bt.clip_min,
                max: bt.clip_max,
            },
            "base_temperature.clip",
        );
        c.finite(bt.noise_scale, "base_temperature.noise_scale");
        c.finite(bt.noise_trend, "base_temperature.noise_trend");
        c.non_negative(bt.noise_noisy, "base_temperature.noise_noisy");
        let tt = &self.trip_temperature;
        c.finite(tt.trend, "trip_temperature.trend");
        c.non_negative(tt.noisy, "trip_temperature.noisy");
        c.int_range(tt.coldest_hour, "trip_temperature.coldest_hour", 0, 23);
        c.int_range(tt.hottest_hour, "trip_temperature.hottest_hour", 0, 23);
        let p = &self.air_pressure;
        c.int_range(p.base, "air_pressure.base", -1_000_000, 1_000_000);
        c.finite(
            p.reference_temperature,
            "air_pressure.reference_temperature",
        );
        c.finite(p.lapse_base, "air_pressure.lapse_base");
        c.float_range(p.lapse_extra, "air_pressure.lapse_extra");
        for (series, name) in [(&self.density, "density"), (&self.delay, "delay")] {
            c.finite(series.trend, &format!("{name}.trend"));
            c.non_negative(series.noisy, &format!("{name}.noisy"));
        }
        c.non_negative(self.rotation.noisy, "rotation.noisy");
        c.finite(self.rotation.scale, "rotation.scale");
        c.check(
            self.airflow_lag <= MAX_BURST as usize,
            "airflow_lag",
            || format!("must be at most {MAX_BURST}"),
        );
        self.validate_defects(&mut c);
        self.validate_landing(&mut c);
        match c.problem {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    fn validate_defects(&self, c: &mut Checker) {
        let d = &self.defects;
        c.non_negative(d.ewma_center_of_mass, "defects.ewma_center_of_mass");
        c.check(
            d.heat_rules.len() <= MAX_HEAT_RULES,
            "defects.heat_rules",
            || format!("{} rules; at most {MAX_HEAT_RULES}", d.heat_rules.len()),
        );
        for (i, rule) in d.heat_rules.iter().enumerate() {
            c.finite(rule.min_jump, &format!("defects.heat_rules[{i}].min_jump"));
            c.rate(rule.quantile, &format!("defects.heat_rules[{i}].quantile"));
            c.finite(
                rule.outcome_offset,
                &format!("defects.heat_rules[{i}].outcome_offset"),
            );
        }
        c.finite(d.vibration.min_delay, "defects.vibration.min_delay");
        c.finite(d.vibration.min_rotation, "defects.vibration.min_rotation");
        c.finite(
            d.vibration.outcome_offset,
            "defects.vibration.outcome_offset",
        );
        c.finite(d.density.min_density, "defects.density.min_density");
        c.finite(d.density.max_pressure, "defects.density.max_pressure");
        c.finite(d.density.outcome_offset, "defects.density.outcome_offset");
    }

    fn validate_landing(&self, c: &mut Checker) {
        let l = &self.landing;
        c.rate(l.null_temperature_rate, "landing.null_temperature_rate");
        c.rate(l.negate_pressure_rate, "landing.negate_pressure_rate");
        c.check(
            (0.0..=3600.0).contains(&l.timestamp_jitter_seconds),
            "landing.timestamp_jitter_seconds",
            || "must lie in [0, 3600]".into(),
        );
        c.rate(l.inspections_per_reading, "landing.inspections_per_reading");
        c.rate(l.inspection_defect_share, "landing.inspection_defect_share");
        c.float_range(l.inspection_delay_hours, "landing.inspection_delay_hours");
        c.check(
            l.inspection_delay_hours.min >= 0.0 && l.inspection_delay_hours.max <= 24.0 * 365.0,
            "landing.inspection_delay_hours",
            || "must lie in [0, 8760] hours".into(),
        );
        c.rate(
            l.null_inspection_timestamp_rate,
            "landing.null_inspection_timestamp_rate",
        );
        for (files, name) in [
            (l.sensor_files, "sensor_files"),
            (l.inspection_files, "inspection_files"),
        ] {
            c.check(
                (1..=MAX_FILES).contains(&files),
                &format!("landing.{name}"),
                || format!("{files} must lie in [1, {MAX_FILES}]"),
            );
        }
        c.rate(self.dirty.malformed_rows, "dirty.malformed_rows");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::days_from_civil;

    #[test]
    fn test_day_bounds_match_their_dates() {
        assert_eq!(days_from_civil(1000, 1, 1), FIRST_DAY);
        assert_eq!(days_from_civil(9998, 12, 31), LAST_DAY);
    }

    #[test]
    fn test_bad_fields_are_named() {
        type Breaker = Box<dyn Fn(&mut GeneratorConfig)>;
        let cases: Vec<(&str, Breaker)> = vec![
            ("initial.num_rows", Box::new(|c| c.initial.num_rows.min = 0)),
            (
                "increment.num_devices",
                Box::new(|c| c.increment.num_devices.max = 2),
            ),
            ("initial.end", Box::new(|c| c.initial.end = Timestamp(0))),
            ("bursts", Box::new(|c| c.bursts.min_length = 400)),
            (
                "trip_temperature.hottest_hour",
                Box::new(|c| c.trip_temperature.hottest_hour.max = 24),
            ),
            (
                "base_temperature.std_dev",
                Box::new(|c| c.base_temperature.std_dev = f64::NAN),
            ),
            (
                "defects.heat_rules[2].quantile",
                Box::new(|c| c.defects.heat_rules[2].quantile = 2.0),
            ),
            (
                "landing.sensor_files",
                Box::new(|c| c.landing.sensor_files = 0),
            ),
            (
                "dirty.malformed_rows",
                Box::new(|c| c.dirty.malformed_rows = -0.1),
            ),
        ];
        for (field, break_it) in cases {
            let mut config = GeneratorConfig::default();
            break_it(&mut config);
            match config.validate() {
                Err(DatagenError::InvalidConfig { field: got, .. }) => assert_eq!(got, field),
                other => panic!("{field}: expected an error, got {other:?}"),
            }
        }
    }
}
