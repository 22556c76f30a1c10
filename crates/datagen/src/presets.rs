//! Size presets and batch selection.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::config::{BatchShape, GeneratorConfig, IntRange};
use crate::error::DatagenError;

/// A dataset size. Only sizes and file counts change; every formula stays the original's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// ≈ 20 000 readings on 5–7 devices: exercises that run instantly.
    Tiny,
    /// The crash course's sizes: ≈ 400 000 readings, 58–62 devices, ≈ 1 600 inspections.
    #[default]
    Course,
    /// 1 000 000+ readings on ≈ 150 devices: scale experiments.
    Large,
}

impl Preset {
    /// Every preset, in size order.
    pub const ALL: [Preset; 3] = [Preset::Tiny, Preset::Course, Preset::Large];

    /// The preset's name as the CLI and configs spell it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Tiny => "tiny",
            Preset::Course => "course",
            Preset::Large => "large",
        }
    }

    /// The full configuration of this preset.
    ///
    /// # Examples
    /// ```
    /// use datagen::{GeneratorConfig, Preset};
    /// assert_eq!(Preset::Course.config(), GeneratorConfig::default());
    /// assert!(Preset::Large.config().initial.num_rows.min >= 1_000_000);
    /// ```
    #[must_use]
    pub fn config(self) -> GeneratorConfig {
        let mut config = GeneratorConfig::default();
        let sizes = |shape: &mut BatchShape, rows: (i64, i64), devices: (i64, i64)| {
            shape.num_rows = IntRange {
                min: rows.0,
                max: rows.1,
            };
            shape.num_devices = IntRange {
                min: devices.0,
                max: devices.1,
            };
        };
        match self {
            Preset::Course => {}
            Preset::Tiny => {
                sizes(&mut config.initial, (19_000, 21_000), (5, 7));
                sizes(&mut config.increment, (1_500, 2_500), (2, 4));
                config.landing.sensor_files = 2;
            }
            Preset::Large => {
                sizes(&mut config.initial, (1_000_000, 1_050_000), (148, 152));
                sizes(&mut config.increment, (25_000, 30_000), (20, 30));
                config.landing.sensor_files = 8;
            }
        }
        config
    }
}

impl FromStr for Preset {
    type Err = DatagenError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Preset::ALL
            .into_iter()
            .find(|p| p.as_str() == name)
            .ok_or_else(|| DatagenError::UnknownPreset {
                name: name.to_string(),
                valid: Preset::ALL.map(Preset::as_str).join(", "),
            })
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which landing a dataset is: the initial 2023 load, or the n-th "land more data" increment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Batch {
    /// `land_more_data(dgconfig)` in the setup notebook.
    #[default]
    Initial,
    /// The n-th (1-based) call after `new_data_config` (§8). Every increment uses the same
    /// dates, as the original's repeated calls would, but fresh random numbers.
    Increment(u32),
}

impl Batch {
    /// 0 for the initial load, n for the n-th increment: part of every random stream's key.
    #[must_use]
    pub fn index(self) -> u32 {
        match self {
            Batch::Initial => 0,
            Batch::Increment(n) => n,
        }
    }

    /// The sizes and dates this batch uses.
    #[must_use]
    pub fn shape(self, config: &GeneratorConfig) -> &BatchShape {
        match self {
            Batch::Initial => &config.initial,
            Batch::Increment(_) => &config.increment,
        }
    }
}

impl FromStr for Batch {
    type Err = DatagenError;

    /// `initial`, `increment` (= the first increment) or `increment-<n>` with n ≥ 1.
    ///
    /// # Examples
    /// ```
    /// use datagen::Batch;
    /// assert_eq!("increment".parse::<Batch>().unwrap(), Batch::Increment(1));
    /// assert_eq!("increment-3".parse::<Batch>().unwrap(), Batch::Increment(3));
    /// assert!("increment-0".parse::<Batch>().is_err());
    /// ```
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let unknown = || DatagenError::UnknownBatch {
            name: name.to_string(),
        };
        match name {
            "initial" => Ok(Batch::Initial),
            "increment" => Ok(Batch::Increment(1)),
            _ => {
                let n: u32 = name
                    .strip_prefix("increment-")
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(unknown)?;
                if n == 0 {
                    return Err(unknown());
                }
                Ok(Batch::Increment(n))
            }
        }
    }
}

impl fmt::Display for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Batch::Initial => f.write_str("initial"),
            Batch::Increment(1) => f.write_str("increment"),
            Batch::Increment(n) => write!(f, "increment-{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_preset_names_round_trip_and_unknown_lists_valid() {
        for preset in Preset::ALL {
            assert_eq!(preset.as_str().parse::<Preset>().unwrap(), preset);
        }
        let err = "huge".parse::<Preset>().unwrap_err().to_string();
        assert!(err.contains("tiny, course, large"), "{err}");
    }

    #[test]
    fn test_batch_display_round_trips() {
        for batch in [Batch::Initial, Batch::Increment(1), Batch::Increment(7)] {
            assert_eq!(batch.to_string().parse::<Batch>().unwrap(), batch);
        }
        assert!("incremental".parse::<Batch>().is_err());
    }

    #[test]
    fn test_presets_validate() {
        for preset in Preset::ALL {
            preset.config().validate().unwrap();
        }
    }
}
