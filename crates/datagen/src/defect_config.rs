//! Knobs of the hidden defect labels (§1.6 G7), with the original's rules as defaults.

use serde::{Deserialize, Serialize};

/// How the per-device outcome of each defect rule is drawn (§1.6 G7, §10.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefectOutcome {
    /// The original `round(U(0,1) + c)`: always 1 or 2, never 0; 2s never reach inspections.
    #[default]
    Original,
    /// Fixed: 1 with probability `c`, otherwise 0 (no invisible 2s).
    Bernoulli,
}

/// What a heat rule looks at: one factory or one model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeatTarget {
    /// Devices of this factory, e.g. `A06`.
    Factory(String),
    /// Devices of this model, e.g. `SkyJet234`.
    Model(String),
}

/// "Temperature jumped above its EWMA and is hot for this device" (rules 1–3 of G7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeatRule {
    /// Which devices the rule applies to.
    pub target: HeatTarget,
    /// `temperature − ewma > min_jump`.
    pub min_jump: f64,
    /// `temperature >` this quantile of the device's temperatures.
    pub quantile: f64,
    /// The `c` of the outcome draw.
    pub outcome_offset: f64,
}

/// Hidden defect labels (G7). Rules are tried in order: heat rules, vibration, density.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DefectConfig {
    /// Centre of mass of the EWMA of the previous temperature (α = 1/(1+com)).
    pub ewma_center_of_mass: f64,
    /// Labels appear this many readings after their trigger.
    pub lag_rows: usize,
    /// How rule outcomes are drawn.
    pub outcome: DefectOutcome,
    /// Rules 1–3.
    pub heat_rules: Vec<HeatRule>,
    /// Rule 4: `delay > min_delay AND rotation_speed > min_rotation`.
    pub vibration: VibrationRule,
    /// Rule 5: `density > min_density AND air_pressure < max_pressure`.
    pub density: DensityRule,
}

/// Rule 4 of G7.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VibrationRule {
    /// Delay threshold.
    pub min_delay: f64,
    /// Rotation threshold.
    pub min_rotation: f64,
    /// The `c` of the outcome draw.
    pub outcome_offset: f64,
}

/// Rule 5 of G7.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DensityRule {
    /// Density threshold.
    pub min_density: f64,
    /// Pressure threshold.
    pub max_pressure: f64,
    /// The `c` of the outcome draw.
    pub outcome_offset: f64,
}

impl Default for DefectConfig {
    fn default() -> Self {
        let heat = |target, min_jump, quantile, outcome_offset| HeatRule {
            target,
            min_jump,
            quantile,
            outcome_offset,
        };
        DefectConfig {
            ewma_center_of_mass: 5.0,
            lag_rows: 20,
            outcome: DefectOutcome::Original,
            heat_rules: vec![
                heat(HeatTarget::Factory("A06".into()), 1.8, 0.89, 0.8),
                heat(HeatTarget::Model("SkyJet234".into()), 1.8, 0.89, 0.85),
                heat(HeatTarget::Model("SkyJet334".into()), 1.9, 0.93, 0.85),
            ],
            vibration: VibrationRule {
                min_delay: 39.0,
                min_rotation: 590.0,
                outcome_offset: 0.85,
            },
            density: DensityRule {
                min_density: 4.2,
                max_pressure: 780.0,
                outcome_offset: 0.95,
            },
        }
    }
}
