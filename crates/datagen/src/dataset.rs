//! The generated (clean, pre-landing) readings, column by column.

use std::ops::Range;

use crate::presets::Batch;
use crate::reference::{factory_of, model_of};
use crate::time::{Date, Timestamp};

/// The full generated rows of §1.5, one `Vec` per column, grouped by device (ascending id)
/// and chronological within a device. No value is NULL: the generator's own fill (G6) has run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Readings {
    /// Device id (1..=D).
    pub device_id: Vec<u32>,
    /// Trip id: dense rank of the reading's date within its device.
    pub trip_id: Vec<u32>,
    /// Reading time, microseconds since the epoch (UTC); whole minutes after a whole second.
    pub timestamp: Vec<i64>,
    /// `rotation_speed[i − 5] / air_pressure[i]`, filled.
    pub airflow_rate: Vec<f64>,
    /// `100 · |autoregressive|`.
    pub rotation_speed: Vec<f64>,
    /// Per-trip base minus the temperature lapse.
    pub air_pressure: Vec<f64>,
    /// Daily base plus the per-trip drift and noise.
    pub temperature: Vec<f64>,
    /// `|sinusoid · sqrt(rotation_speed)|`, single precision as in the original.
    pub delay: Vec<f32>,
    /// Lifetime density, single precision as in the original.
    pub density: Vec<f32>,
    /// Hidden label: 0, 1 or 2 (the original's 2s never reach inspections).
    pub defect: Vec<u8>,
}

impl Readings {
    pub(crate) fn with_capacity(rows: usize) -> Self {
        Readings {
            device_id: Vec::with_capacity(rows),
            trip_id: Vec::with_capacity(rows),
            timestamp: Vec::with_capacity(rows),
            airflow_rate: Vec::with_capacity(rows),
            rotation_speed: Vec::with_capacity(rows),
            air_pressure: Vec::with_capacity(rows),
            temperature: Vec::with_capacity(rows),
            delay: Vec::with_capacity(rows),
            density: Vec::with_capacity(rows),
            defect: Vec::with_capacity(rows),
        }
    }

    /// Appends `rows` zeroed rows of `device` (timestamps and trips are filled by the caller).
    pub(crate) fn extend_device(&mut self, device: u32, rows: usize) {
        let len = self.len() + rows;
        self.device_id.resize(len, device);
        self.trip_id.resize(len, 0);
        self.timestamp.resize(len, 0);
        self.airflow_rate.resize(len, 0.0);
        self.rotation_speed.resize(len, 0.0);
        self.air_pressure.resize(len, 0.0);
        self.temperature.resize(len, 0.0);
        self.delay.resize(len, 0.0);
        self.density.resize(len, 0.0);
        self.defect.resize(len, 0);
    }

    /// Number of readings.
    #[must_use]
    pub fn len(&self) -> usize {
        self.device_id.len()
    }

    /// Whether there are no readings.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.device_id.is_empty()
    }

    /// Factory of row `i` (from the device id, §1.3).
    #[must_use]
    pub fn factory_id(&self, i: usize) -> &'static str {
        factory_of(self.device_id[i])
    }

    /// Model of row `i` (from the device id, §1.3).
    #[must_use]
    pub fn model_id(&self, i: usize) -> &'static str {
        model_of(self.device_id[i])
    }
}

/// Where one device's readings sit in [`Readings`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRows {
    /// The device id.
    pub device_id: u32,
    /// Its rows.
    pub rows: Range<usize>,
    /// Number of trips (its largest trip id).
    pub trips: u32,
}

/// One generated batch: the clean readings plus what the generator decided on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The seed it was generated from.
    pub seed: u64,
    /// Which batch it is.
    pub batch: Batch,
    /// N as drawn (equals `readings.len()`).
    pub num_rows: usize,
    /// D as drawn; devices that drew no reading are absent from `devices`.
    pub num_devices: u32,
    /// The readings.
    pub readings: Readings,
    /// Row ranges per device, ascending device id.
    pub devices: Vec<DeviceRows>,
    /// Date of `daily_base_temperature[0]`.
    pub first_base_date: Date,
    /// G3's base temperature of each date from start to end.
    pub daily_base_temperature: Vec<f64>,
    /// Rows whose date had no base temperature (spill-over past `end`, §10.3).
    pub spill_over_rows: usize,
    /// How many rows first matched each defect rule before the lag shift, in rule order
    /// (heat rules, vibration, density). The reference run: 1 720, 165, 205, 11 366, 2.
    pub rule_matches: Vec<usize>,
}

impl Dataset {
    /// Number of readings per defect value: `[defect = 0, defect = 1, defect = 2 or more]`.
    #[must_use]
    pub fn defect_counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for &d in &self.readings.defect {
            counts[usize::from(d.min(2))] += 1;
        }
        counts
    }

    /// First and last reading time.
    #[must_use]
    pub fn time_range(&self) -> Option<(Timestamp, Timestamp)> {
        let ts = &self.readings.timestamp;
        let min = ts.iter().min()?;
        let max = ts.iter().max()?;
        Some((Timestamp(*min), Timestamp(*max)))
    }

    /// Total trips over all devices.
    #[must_use]
    pub fn total_trips(&self) -> usize {
        self.devices.iter().map(|d| d.trips as usize).sum()
    }
}
