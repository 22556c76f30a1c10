//! The sensor files: the readings minus `defect`, with the landing corruptions of §1.7.

use std::ops::Range;

use crate::config::LandingConfig;
use crate::dataset::Dataset;
use crate::reference::{factory_of, model_of};
use crate::rng::Stream;
use crate::time::MICROS_PER_SECOND;

use super::csv::{DRIFT_COLUMN, Fields, SENSOR_HEADER};
use super::malformed::{RowBreaker, SENSOR_LAYOUT};

/// Bytes per sensor row, generously: sizes the buffers so writing never reallocates.
const ROW_BYTES: usize = 128;

/// Counts of what the sensor landing did.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct SensorCounts {
    pub(crate) null_temperatures: usize,
    pub(crate) negated_pressures: usize,
}

/// Writes rows `rows` as one CSV part, drawing the per-row corruptions from `corruptions`
/// in row order (three draws per row, whatever the knobs), so the same seed gives the same
/// corruptions with or without dirty-data knobs.
pub(crate) struct SensorWriter<'a> {
    pub(crate) dataset: &'a Dataset,
    pub(crate) landing: &'a LandingConfig,
    pub(crate) corruptions: Stream,
    pub(crate) breaker: RowBreaker,
    pub(crate) drift_values: Stream,
    pub(crate) counts: SensorCounts,
    fields: Fields,
}

impl<'a> SensorWriter<'a> {
    pub(crate) fn new(
        dataset: &'a Dataset,
        landing: &'a LandingConfig,
        corruptions: Stream,
        breaker: RowBreaker,
        drift_values: Stream,
    ) -> Self {
        SensorWriter {
            dataset,
            landing,
            corruptions,
            breaker,
            drift_values,
            counts: SensorCounts::default(),
            fields: Fields::default(),
        }
    }

    /// One part file's bytes; `drift` appends the unexpected `humidity` column.
    pub(crate) fn part(&mut self, rows: Range<usize>, drift: bool) -> Vec<u8> {
        let r = &self.dataset.readings;
        let mut out = Vec::with_capacity(SENSOR_HEADER.len() + 16 + rows.len() * ROW_BYTES);
        out.extend_from_slice(SENSOR_HEADER.as_bytes());
        if drift {
            out.push(b',');
            out.extend_from_slice(DRIFT_COLUMN.as_bytes());
        }
        out.push(b'\n');
        let jitter_micros = self.landing.timestamp_jitter_seconds * MICROS_PER_SECOND as f64;
        let f = &mut self.fields;
        let mut device = (0, "", "");
        for i in rows {
            let null_temperature = self.corruptions.uniform() < self.landing.null_temperature_rate;
            let negate_pressure = self.corruptions.uniform() < self.landing.negate_pressure_rate;
            // Spark rounds `INTERVAL 3 SECONDS * rand()` to whole microseconds.
            let jitter = libm::floor(jitter_micros * self.corruptions.uniform() + 0.5) as i64;
            if device.0 != r.device_id[i] {
                let id = r.device_id[i];
                device = (id, factory_of(id), model_of(id));
            }
            let line_start = out.len();
            f.int(&mut out, device.0);
            out.push(b',');
            f.int(&mut out, r.trip_id[i]);
            out.push(b',');
            out.extend_from_slice(device.1.as_bytes());
            out.push(b',');
            out.extend_from_slice(device.2.as_bytes());
            out.push(b',');
            f.timestamp(&mut out, r.timestamp[i] + jitter);
            out.push(b',');
            f.f64(&mut out, r.airflow_rate[i]);
            out.push(b',');
            f.f64(&mut out, r.rotation_speed[i]);
            out.push(b',');
            let pressure = r.air_pressure[i];
            f.f64(&mut out, if negate_pressure { -pressure } else { pressure });
            out.push(b',');
            if !null_temperature {
                f.f64(&mut out, r.temperature[i]);
            }
            out.push(b',');
            f.f32(&mut out, r.delay[i]);
            out.push(b',');
            f.f32(&mut out, r.density[i]);
            if drift {
                out.push(b',');
                let humidity = self.drift_values.normal(50.0, 12.0).clamp(0.0, 100.0);
                f.f64(&mut out, libm::round(humidity * 10.0) / 10.0);
            }
            self.breaker.apply(&mut out, line_start, &SENSOR_LAYOUT);
            out.push(b'\n');
            self.counts.null_temperatures += usize::from(null_temperature);
            self.counts.negated_pressures += usize::from(negate_pressure);
        }
        out
    }
}
