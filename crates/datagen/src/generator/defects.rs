//! G7: the hidden defect labels of one device.

use crate::defect_config::{DefectConfig, DefectOutcome, HeatTarget};
use crate::reference::{factory_of, model_of};
use crate::rng::Stream;

/// Marks a row that matched no rule.
const NO_RULE: u8 = u8::MAX;

/// The columns G7 reads, for one device in timestamp order.
pub(crate) struct DeviceSignals<'a> {
    pub(crate) device_id: u32,
    pub(crate) temperature: &'a [f64],
    pub(crate) air_pressure: &'a [f64],
    pub(crate) rotation_speed: &'a [f64],
    pub(crate) delay: &'a [f32],
    pub(crate) density: &'a [f32],
}

/// Reusable buffers of [`label_device`].
#[derive(Debug, Default)]
pub(crate) struct DefectScratch {
    sorted: Vec<f64>,
    first_rule: Vec<u8>,
    outcomes: Vec<u8>,
    thresholds: Vec<Option<f64>>,
}

/// G7: evaluates the rules in order (first true wins), draws each rule's outcome once for the
/// device, and writes `defect_i = outcome(rule_{i − lag})` (0 for the first `lag` rows).
/// Adds each row's first-matching rule to `rule_matches`.
pub(crate) fn label_device(
    rng: &mut Stream,
    config: &DefectConfig,
    signals: &DeviceSignals<'_>,
    scratch: &mut DefectScratch,
    rule_matches: &mut [usize],
    defect: &mut [u8],
) {
    let n = signals.temperature.len();
    let heat = &config.heat_rules;
    // Each heat rule's temperature threshold, or None when it does not apply to this device.
    scratch.thresholds.clear();
    for rule in heat {
        let applies = match &rule.target {
            HeatTarget::Factory(f) => factory_of(signals.device_id) == f,
            HeatTarget::Model(m) => model_of(signals.device_id) == m,
        };
        let threshold = if applies {
            if scratch.sorted.is_empty() {
                scratch.sorted.extend_from_slice(signals.temperature);
                scratch.sorted.sort_unstable_by(f64::total_cmp);
            }
            Some(quantile(&scratch.sorted, rule.quantile))
        } else {
            None
        };
        scratch.thresholds.push(threshold);
    }
    scratch.sorted.clear();

    let alpha = 1.0 / (1.0 + config.ewma_center_of_mass);
    let decay = 1.0 - alpha;
    let (mut weighted_sum, mut weight) = (0.0, 0.0);
    scratch.first_rule.clear();
    scratch.first_rule.resize(n, NO_RULE);
    for i in 0..n {
        let t = signals.temperature[i];
        // Adjusted EWMA (pandas `ewm(com).mean()`) of the *previous* temperatures.
        let jump = if i == 0 {
            None
        } else {
            weighted_sum = decay * weighted_sum + signals.temperature[i - 1];
            weight = decay * weight + 1.0;
            Some(t - weighted_sum / weight)
        };
        let heat_rule = heat.iter().zip(&scratch.thresholds).position(|(rule, threshold)| {
            matches!((jump, threshold), (Some(jump), Some(q)) if jump > rule.min_jump && t > *q)
        });
        let vibration = &config.vibration;
        let density = &config.density;
        let rule = heat_rule.or_else(|| {
            if f64::from(signals.delay[i]) > vibration.min_delay
                && signals.rotation_speed[i] > vibration.min_rotation
            {
                Some(heat.len())
            } else if f64::from(signals.density[i]) > density.min_density
                && signals.air_pressure[i] < density.max_pressure
            {
                Some(heat.len() + 1)
            } else {
                None
            }
        });
        if let Some(rule) = rule {
            rule_matches[rule] += 1;
            // Validation caps the rule count far below 255 in practice; saturate regardless.
            scratch.first_rule[i] = u8::try_from(rule).unwrap_or(NO_RULE - 1);
        }
    }

    // One outcome per rule per device, drawn whether or not the rule ever fires.
    scratch.outcomes.clear();
    let offsets = heat.iter().map(|r| r.outcome_offset);
    for offset in offsets.chain([
        config.vibration.outcome_offset,
        config.density.outcome_offset,
    ]) {
        scratch
            .outcomes
            .push(draw_outcome(rng, config.outcome, offset));
    }

    // Shift by `lag` rows: the first `lag` labels are 0, then each row takes the outcome of
    // the rule matched `lag` rows earlier.
    let lag = config.lag_rows.min(n);
    defect[..lag].fill(0);
    for (label, &rule) in defect[lag..].iter_mut().zip(&scratch.first_rule) {
        *label = match rule {
            NO_RULE => 0,
            rule => scratch
                .outcomes
                .get(usize::from(rule))
                .copied()
                .unwrap_or(0),
        };
    }
}

/// `Original`: Python's `round(U + c)` (round half to even), so 1 or 2 for the default `c`.
/// `Bernoulli`: 1 with probability `c`.
fn draw_outcome(rng: &mut Stream, mode: DefectOutcome, offset: f64) -> u8 {
    let u = rng.uniform();
    match mode {
        DefectOutcome::Original => {
            let x = u + offset;
            let floor = x.floor();
            let rounded = match (x - floor).partial_cmp(&0.5) {
                Some(std::cmp::Ordering::Less) => floor,
                Some(std::cmp::Ordering::Greater) => floor + 1.0,
                _ if floor % 2.0 == 0.0 => floor,
                _ => floor + 1.0,
            };
            // Saturating conversion: negative offsets give 0, absurd ones 255.
            rounded.clamp(0.0, 255.0) as u8
        }
        DefectOutcome::Bernoulli => u8::from(u < offset),
    }
}

/// Linear-interpolated quantile of sorted values (pandas' default), position `(n − 1)·q`.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let position = (sorted.len() - 1) as f64 * q;
    let lower = position.floor() as usize;
    let upper = (lower + 1).min(sorted.len() - 1);
    let fraction = position - lower as f64;
    sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Phase;

    #[test]
    fn test_quantile_linear() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.89) - 4.56).abs() < 1e-12);
        assert_eq!(quantile(&v, 1.0), 5.0);
    }

    #[test]
    fn test_original_outcomes_are_one_or_two_with_spec_odds() {
        let mut rng = Stream::new(9, 0, Phase::Defects);
        let draws: Vec<u8> = (0..20_000)
            .map(|_| draw_outcome(&mut rng, DefectOutcome::Original, 0.8))
            .collect();
        assert!(draws.iter().all(|&d| d == 1 || d == 2));
        let ones = draws.iter().filter(|&&d| d == 1).count() as f64 / 20_000.0;
        assert!((ones - 0.70).abs() < 0.015, "{ones}");
        let fixed = (0..20_000)
            .filter(|_| draw_outcome(&mut rng, DefectOutcome::Bernoulli, 0.8) == 1)
            .count();
        assert!((fixed as f64 / 20_000.0 - 0.8).abs() < 0.015);
    }

    #[test]
    fn test_vibration_rule_fires_with_lag() {
        let n = 60;
        let temperature = vec![50.0; n];
        let air_pressure = vec![900.0; n];
        let mut rotation_speed = vec![100.0; n];
        let mut delay = vec![1.0f32; n];
        rotation_speed[10] = 600.0;
        delay[10] = 40.0;
        // Device 2 (T10, AeroGlider4150): no heat rule applies.
        let signals = DeviceSignals {
            device_id: 2,
            temperature: &temperature,
            air_pressure: &air_pressure,
            rotation_speed: &rotation_speed,
            delay: &delay,
            density: &vec![1.0f32; n],
        };
        let mut config = DefectConfig {
            outcome: DefectOutcome::Bernoulli,
            ..Default::default()
        };
        config.vibration.outcome_offset = 1.0;
        let mut matches = vec![0; 5];
        let mut defect = vec![9; n];
        let mut rng = Stream::new(1, 0, Phase::Defects);
        label_device(
            &mut rng,
            &config,
            &signals,
            &mut DefectScratch::default(),
            &mut matches,
            &mut defect,
        );
        assert_eq!(matches, vec![0, 0, 0, 1, 0]);
        let ones: Vec<usize> = (0..n).filter(|&i| defect[i] == 1).collect();
        assert_eq!(ones, vec![30]);
    }

    #[test]
    fn test_heat_rule_needs_jump_and_device_percentile() {
        // Device 22 is A06, so rule 1 applies to it.
        let run = |temperature: &[f64]| {
            let n = temperature.len();
            let zeros = vec![0.0; n];
            let signals = DeviceSignals {
                device_id: 22,
                temperature,
                air_pressure: &vec![900.0; n],
                rotation_speed: &zeros,
                delay: &vec![0.0f32; n],
                density: &vec![0.0f32; n],
            };
            let mut matches = vec![0; 5];
            let mut defect = vec![0; n];
            let mut rng = Stream::new(1, 0, Phase::Defects);
            let config = DefectConfig::default();
            label_device(
                &mut rng,
                &config,
                &signals,
                &mut DefectScratch::default(),
                &mut matches,
                &mut defect,
            );
            matches[0]
        };
        let mut temperature = vec![50.0; 100];
        // Row 40 jumps but stays below p89; rows 60.. are hot but equal to p89 (70), not above.
        temperature[40] = 60.0;
        temperature[60..].fill(70.0);
        assert_eq!(run(&temperature), 0);
        // Now p89 = 65 and the last row jumps to 80: exactly one match.
        temperature[60..].fill(65.0);
        temperature[99] = 80.0;
        assert_eq!(run(&temperature), 1);
    }
}
