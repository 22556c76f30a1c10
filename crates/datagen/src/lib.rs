//! Synthetic factory sensor readings and inspections, as the crash course generates them.
//!
//! A pure, seeded re-implementation of the original generator (`util/data_generator.py`,
//! spec §1): the same seed gives byte-identical files natively and in WebAssembly.
//!
//! - [`generate`] runs steps G0–G7 and returns the clean [`Dataset`] (every column, the hidden
//!   defect labels, and [`Dataset::stats`] laid out like the spec's reference table).
//! - [`land`] turns it into the CSV part files of a virtual volume ([`LandedFile`]s under
//!   `/Volumes/<catalog>/<schema>/{sensor_bronze,inspection_bronze}/`), with the original's
//!   landing corruptions and, on request, the [`DirtyConfig`] knobs.
//! - [`GeneratorConfig`] holds every knob (serde, with the original's values as defaults);
//!   [`Preset`] picks a size; [`Batch`] picks the initial load or an increment (§8).
//!
//! # Quirks of the original, reproduced by default (§10)
//! - Defect outcomes are drawn once per device per rule as `round(U + c)`: 1 or 2, never 0,
//!   and 2s never reach inspections. [`DefectOutcome::Bernoulli`] draws 1 with probability `c`.
//! - The per-trip temperature drift has the inverted sign of V1/V2: it falls during trips that
//!   start while the day warms. [`TripDrift::Intuitive`] uses the intended sign.
//! - Bursts running past `end` land on a date without base temperature, so their temperature,
//!   pressure and airflow become 0. [`SpillOver::CarryLastDay`] carries the last base instead.
//! - A burst-length draw may overshoot a device's remaining readings; as in the original the
//!   device keeps only its first `k` timestamps of the shuffled bursts.
//! - Inspections are reported 4–6 h after the reading (the original's comment says 2–4 h).
//!
//! Row order where the original leaves it to Spark's shuffle is chronological per device.
//!
//! # Examples
//! ```
//! use datagen::{Batch, Preset, Volume, generate_and_land};
//! let volume = Volume::new("default", "iot_anomaly_detection").unwrap();
//! let (data, landing) = generate_and_land(&Preset::Tiny.config(), 42, Batch::Initial, &volume).unwrap();
//! assert_eq!(landing.summary.sensor_rows, data.readings.len());
//! assert!(landing.files.iter().any(|f| f.path.ends_with("/inspection_bronze/_SUCCESS")));
//! ```
#![warn(missing_docs)]

mod config;
mod dataset;
mod defect_config;
mod dirty;
mod error;
mod generator;
mod landing;
mod presets;
mod reference;
mod rng;
mod signals;
mod stats;
mod time;
mod validate;
mod ziggurat;

pub use config::{
    BaseTemperatureConfig, BatchShape, BurstConfig, FloatRange, GeneratorConfig, IntRange,
    LandingConfig, PressureConfig, RotationConfig, SeriesConfig, SignalConfig, SpillOver,
    TripDrift, TripTemperatureConfig,
};
pub use dataset::{Dataset, DeviceRows, Readings};
pub use defect_config::{
    DefectConfig, DefectOutcome, DensityRule, HeatRule, HeatTarget, VibrationRule,
};
pub use dirty::{DEFAULT_MALFORMED_RATE, DirtyConfig, DirtyKnob};
pub use error::{DatagenError, Result};
pub use generator::generate;
pub use landing::{
    DRIFT_COLUMN, INSPECTION_HEADER, InspectionRecord, LandedFile, Landing, LandingSummary,
    SENSOR_HEADER, SUCCESS_MARKER, Volume, digest, generate_and_land, land,
};
pub use presets::{Batch, Preset};
pub use reference::{FACTORIES, MODELS, factory_of, model_of, spark_hash_int};
pub use stats::{ColumnStats, DatasetStats, MonthStats};
pub use time::{Date, Timestamp};
pub use validate::{MAX_DEVICES, MAX_ROWS};
