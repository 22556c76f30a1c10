//! Every knob of the generator, with the original's values as defaults (§1.1, §1.6, §1.7).
//!
//! The structs deserialize with `#[serde(default)]`, so a lesson can override just the fields
//! it cares about, e.g. `{"trip_temperature": {"drift": "intuitive"}}`.

use serde::{Deserialize, Serialize};

use crate::defect_config::DefectConfig;
use crate::dirty::DirtyConfig;
use crate::time::Timestamp;

/// Inclusive integer range, drawn like Python's `randint(min, max)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntRange {
    /// Smallest value.
    pub min: i64,
    /// Largest value (included).
    pub max: i64,
}

/// Half-open real range `[min, max)`, drawn like NumPy's `uniform(min, max)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FloatRange {
    /// Lower bound (included).
    pub min: f64,
    /// Upper bound (excluded).
    pub max: f64,
}

/// The whole generator configuration. [`Default`] is the crash course's ("course" preset).
///
/// # Examples
/// ```
/// use datagen::{GeneratorConfig, TripDrift};
/// let config: GeneratorConfig =
///     serde_json::from_str(r#"{"trip_temperature": {"drift": "intuitive"}}"#).unwrap();
/// assert_eq!(config.trip_temperature.drift, TripDrift::Intuitive);
/// assert_eq!(config.initial.num_rows, GeneratorConfig::default().initial.num_rows);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GeneratorConfig {
    /// Sizes and dates of the initial load (§1.1).
    pub initial: BatchShape,
    /// Sizes and dates of every increment (`new_data_config`, §1.1 and §8).
    pub increment: BatchShape,
    /// `shared.frequency` and `shared.amplitude` of every signal.
    pub signal: SignalConfig,
    /// Burst (sequence) lengths of G1.
    pub bursts: BurstConfig,
    /// Daily base temperature of G3 (mean and seasonality are per batch, in [`BatchShape`]).
    pub base_temperature: BaseTemperatureConfig,
    /// Per-trip temperature of G4.
    pub trip_temperature: TripTemperatureConfig,
    /// Air pressure of G4.
    pub air_pressure: PressureConfig,
    /// Lifetime `density` sinusoid of G5.
    pub density: SeriesConfig,
    /// Per-trip `delay` sinusoid of G6.
    pub delay: SeriesConfig,
    /// Per-trip `rotation_speed` of G6.
    pub rotation: RotationConfig,
    /// `airflow_rate = rotation_speed[i − lag] / air_pressure[i]` (G6).
    pub airflow_lag: usize,
    /// What readings after `end` (spill-over) get as temperature (§10.3).
    pub spill_over: SpillOver,
    /// Hidden defect labels of G7.
    pub defects: DefectConfig,
    /// Landing corruptions, inspection sampling and file layout (§1.7).
    pub landing: LandingConfig,
    /// Dirty-data knobs for the data-quality module (all off by default).
    pub dirty: DirtyConfig,
}

/// Sizes, dates and base-temperature shape of one kind of batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchShape {
    /// N, the number of readings.
    pub num_rows: IntRange,
    /// D, the number of devices (ids 1..=D).
    pub num_devices: IntRange,
    /// First possible burst start.
    pub start: Timestamp,
    /// Last possible burst start (bursts may run past it: spill-over).
    pub end: Timestamp,
    /// Mean of the daily base temperature draws.
    pub base_temperature_mean: f64,
    /// `year = True`: sorted halves make a summer hump; `false`: independent days.
    pub seasonal: bool,
}

/// Frequency and amplitude shared by every signal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignalConfig {
    /// Cycles per unit of `t` (t runs 0..10).
    pub frequency: f64,
    /// Sine amplitude.
    pub amplitude: f64,
}

/// How each device's readings are cut into minute-spaced bursts (G1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BurstConfig {
    /// Shortest drawn burst.
    pub min_length: i64,
    /// Longest drawn burst.
    pub max_length: i64,
    /// Once fewer readings than this remain, they form the last burst.
    pub split_below: i64,
}

/// Daily base temperature (G3).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BaseTemperatureConfig {
    /// Std-dev of the daily draws.
    pub std_dev: f64,
    /// The draws are clipped to `[clip_min, clip_max]`.
    pub clip_min: f64,
    /// Upper clip; it makes the summer plateau.
    pub clip_max: f64,
    /// Scale of the autoregressive day-to-day noise.
    pub noise_scale: f64,
    /// Trend factor of that autoregressive series (0.1: damped).
    pub noise_trend: f64,
    /// Noise of that autoregressive series.
    pub noise_noisy: f64,
}

/// Direction of the per-trip temperature drift (§1.6 G4, §10.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TripDrift {
    /// The V1/V2 code: temperature *falls* during trips that start in the warming part of the
    /// day (between the coldest and hottest hour) and rises otherwise.
    #[default]
    Original,
    /// The stated intent (and V3+): rises while warming, falls otherwise.
    Intuitive,
}

/// Per-trip temperature and the timing of the daily cycle (G4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TripTemperatureConfig {
    /// Size of the drift factor: a trip drifts by ±10·trend.
    pub trend: f64,
    /// Noise of the `periodic` series.
    pub noisy: f64,
    /// Sign rule of the drift.
    pub drift: TripDrift,
    /// Hour of the coldest time of day, drawn per trip.
    pub coldest_hour: IntRange,
    /// Hour of the hottest time of day, drawn per trip.
    pub hottest_hour: IntRange,
}

/// `air_pressure = p0 − (temperature − reference) · (lapse_base + lapse_extra)` (G4).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PressureConfig {
    /// Per-trip base pressure `p0`, an integer.
    pub base: IntRange,
    /// Temperature at which the pressure equals `p0`.
    pub reference_temperature: f64,
    /// Fixed part of the per-trip lapse rate.
    pub lapse_base: f64,
    /// Random part of the per-trip lapse rate.
    pub lapse_extra: FloatRange,
}

/// Trend and noise of a `sinusoid` series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesConfig {
    /// Linear drift factor (the series drifts by 10·trend).
    pub trend: f64,
    /// Std-dev of the per-point noise.
    pub noisy: f64,
}

/// `rotation_speed = scale · |autoregressive(trend 0, noisy)|` (G6).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RotationConfig {
    /// Noise of the autoregressive series.
    pub noisy: f64,
    /// Multiplier.
    pub scale: f64,
}

/// What spill-over readings (bursts running past `end`, dated after the last base
/// temperature) get (§10.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpillOver {
    /// The original: no base temperature, so temperature, pressure and airflow become 0.
    #[default]
    Zeros,
    /// Fixed: such days use the last day's base temperature.
    CarryLastDay,
}

/// Landing corruptions, inspection sampling and file layout (§1.7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LandingConfig {
    /// Probability that a landed temperature is NULL.
    pub null_temperature_rate: f64,
    /// Probability that a landed air pressure is negated.
    pub negate_pressure_rate: f64,
    /// Landed timestamps get `+ jitter · U(0,1)` seconds.
    pub timestamp_jitter_seconds: f64,
    /// `q = inspections_per_reading · N` inspections are sampled …
    pub inspections_per_reading: f64,
    /// … `floor(q · defect_share)` of them among defect = 1 rows, the rest among defect = 0.
    pub inspection_defect_share: f64,
    /// Inspections are recorded this many hours after the reading.
    pub inspection_delay_hours: FloatRange,
    /// Probability that a landed inspection timestamp is NULL.
    pub null_inspection_timestamp_rate: f64,
    /// Part files per sensor write (fewer when there are fewer rows).
    pub sensor_files: usize,
    /// Part files per inspection write.
    pub inspection_files: usize,
    /// Write Spark's empty `_SUCCESS` marker next to the part files.
    pub success_markers: bool,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        GeneratorConfig {
            initial: BatchShape {
                num_rows: IntRange {
                    min: 390_000,
                    max: 410_000,
                },
                num_devices: IntRange { min: 58, max: 62 },
                start: Timestamp::from_civil(2023, 1, 1, 0, 0, 0),
                end: Timestamp::from_civil(2023, 12, 31, 23, 59, 59),
                base_temperature_mean: 58.0,
                seasonal: true,
            },
            increment: BatchShape {
                num_rows: IntRange {
                    min: 7_500,
                    max: 12_500,
                },
                num_devices: IntRange { min: 8, max: 12 },
                start: Timestamp::from_civil(2024, 1, 1, 0, 0, 0),
                end: Timestamp::from_civil(2024, 2, 1, 0, 0, 0),
                base_temperature_mean: 30.0,
                seasonal: false,
            },
            signal: SignalConfig::default(),
            bursts: BurstConfig::default(),
            base_temperature: BaseTemperatureConfig::default(),
            trip_temperature: TripTemperatureConfig::default(),
            air_pressure: PressureConfig::default(),
            density: SeriesConfig {
                trend: 0.4,
                noisy: 0.6,
            },
            delay: SeriesConfig {
                trend: 0.2,
                noisy: 1.2,
            },
            rotation: RotationConfig::default(),
            airflow_lag: 5,
            spill_over: SpillOver::default(),
            defects: DefectConfig::default(),
            landing: LandingConfig::default(),
            dirty: DirtyConfig::default(),
        }
    }
}

impl Default for SignalConfig {
    fn default() -> Self {
        SignalConfig {
            frequency: 0.35,
            amplitude: 1.2,
        }
    }
}

impl Default for BurstConfig {
    fn default() -> Self {
        BurstConfig {
            min_length: 10,
            max_length: 350,
            split_below: 300,
        }
    }
}

impl Default for BaseTemperatureConfig {
    fn default() -> Self {
        BaseTemperatureConfig {
            std_dev: 17.0,
            clip_min: 0.0,
            clip_max: 78.0,
            noise_scale: 9.5,
            noise_trend: 0.1,
            noise_noisy: 0.3,
        }
    }
}

impl Default for TripTemperatureConfig {
    fn default() -> Self {
        TripTemperatureConfig {
            trend: 0.8,
            noisy: 1.0,
            drift: TripDrift::Original,
            coldest_hour: IntRange { min: 5, max: 8 },
            hottest_hour: IntRange { min: 14, max: 18 },
        }
    }
}

impl Default for PressureConfig {
    fn default() -> Self {
        PressureConfig {
            base: IntRange {
                min: 913,
                max: 1113,
            },
            reference_temperature: 15.0,
            lapse_base: 1.2,
            lapse_extra: FloatRange { min: 0.5, max: 1.5 },
        }
    }
}

impl Default for RotationConfig {
    fn default() -> Self {
        RotationConfig {
            noisy: 0.3,
            scale: 100.0,
        }
    }
}

impl Default for LandingConfig {
    fn default() -> Self {
        LandingConfig {
            null_temperature_rate: 0.10,
            negate_pressure_rate: 0.05,
            timestamp_jitter_seconds: 3.0,
            inspections_per_reading: 0.004,
            inspection_defect_share: 1.0 / 16.0,
            // The original's `2 h · (2 + U)`; its comment says 2–4 h, the code does 4–6 h.
            inspection_delay_hours: FloatRange { min: 4.0, max: 6.0 },
            null_inspection_timestamp_rate: 0.05,
            sensor_files: 4,
            inspection_files: 2,
            success_markers: true,
        }
    }
}
