//! The generator's only source of randomness: ChaCha8 streams keyed by (seed, batch, phase).
//!
//! Every phase of the generator (device assignment, bursts, weather, …) draws from its own
//! ChaCha stream, so the values of one phase do not shift when another phase's knobs change,
//! and an increment batch of seed `n` never replays the initial batch's numbers. All maths on
//! the draws uses `libm`, so the bits are the same natively and in WebAssembly.

use chacha20::ChaCha8Rng;
use rand_core::{Rng as _, SeedableRng};

/// Fills bytes 16..32 of every ChaCha key, so our keys never equal a bare-seed key.
const KEY_DOMAIN: &[u8; 16] = b"iotwb-datagen-v1";

/// 2^-53: turns the top 53 bits of a `u64` into a uniform double in [0, 1).
const UNIT_F64: f64 = 1.0 / (1u64 << 53) as f64;

/// Independent random streams of one generated batch (the ChaCha stream ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub(crate) enum Phase {
    /// N and D (§1.1).
    Sizes = 1,
    /// Device of every row (§1.6 G0).
    Devices = 2,
    /// Burst lengths and starts (G1).
    Bursts = 3,
    /// Daily base temperature (G3).
    BaseTemperature = 4,
    /// Per-trip weather (G4).
    Weather = 5,
    /// Lifetime density (G5).
    Lifetime = 6,
    /// Per-trip rotation and delay (G6).
    TripFeatures = 7,
    /// Per-device defect outcomes (G7).
    Defects = 8,
    /// Sensor landing corruptions (§1.7).
    SensorLanding = 9,
    /// Inspection sampling and corruptions (§1.7).
    InspectionLanding = 10,
    /// Write ids of the part files.
    FileIds = 11,
    /// Which rows the `malformed-rows` knob breaks, and how.
    DirtyRows = 12,
    /// Values of the `schema-drift` knob's extra column.
    SchemaDrift = 13,
}

/// A seeded random stream with the distributions the generator needs.
#[derive(Debug)]
pub(crate) struct Stream {
    rng: ChaCha8Rng,
}

impl Stream {
    /// The stream of `phase` for batch number `batch` (0 = initial) of `seed`.
    pub(crate) fn new(seed: u64, batch: u32, phase: Phase) -> Self {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..12].copy_from_slice(&batch.to_le_bytes());
        key[16..].copy_from_slice(KEY_DOMAIN);
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(phase as u64);
        Stream { rng }
    }

    /// A raw 64-bit draw.
    #[inline]
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// Uniform in [0, 1) (Python `random()`, Spark `rand()`).
    #[inline]
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * UNIT_F64
    }

    /// Uniform in [low, high) (NumPy `uniform`).
    #[inline]
    pub(crate) fn uniform_range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.uniform()
    }

    /// Uniform integer in `0..span` without modulo bias (Lemire's multiply-and-reject).
    /// `span` must be at least 1.
    #[inline]
    pub(crate) fn below(&mut self, span: u64) -> u64 {
        debug_assert!(span > 0);
        let threshold = span.wrapping_neg() % span;
        loop {
            let product = u128::from(self.rng.next_u64()) * u128::from(span);
            // The low half decides rejection; the high half is the draw.
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }

    /// Uniform integer in `[low, high]`, both ends included (Python `randint`).
    /// Callers guarantee `low <= high`.
    #[inline]
    pub(crate) fn rand_int(&mut self, low: i64, high: i64) -> i64 {
        let span = high.abs_diff(low).wrapping_add(1);
        if span == 0 {
            // The full 64-bit range: every u64 is a valid draw.
            return low.wrapping_add(self.rng.next_u64() as i64);
        }
        low.wrapping_add(self.below(span) as i64)
    }

    /// A standard normal variate (ziggurat, see [`crate::ziggurat`]).
    #[inline]
    pub(crate) fn standard_normal(&mut self) -> f64 {
        crate::ziggurat::standard_normal(&mut self.rng)
    }

    /// `N(mean, std_dev)`.
    #[inline]
    pub(crate) fn normal(&mut self, mean: f64, std_dev: f64) -> f64 {
        mean + std_dev * self.standard_normal()
    }

    /// Fisher–Yates shuffle (Python `random.shuffle`).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_streams_differ_by_seed_batch_and_phase() {
        let first = |seed, batch, phase| Stream::new(seed, batch, phase).next_u64();
        let base = first(7, 0, Phase::Devices);
        assert_eq!(base, first(7, 0, Phase::Devices));
        assert_ne!(base, first(8, 0, Phase::Devices));
        assert_ne!(base, first(7, 1, Phase::Devices));
        assert_ne!(base, first(7, 0, Phase::Bursts));
    }

    #[test]
    fn test_rand_int_covers_both_ends_only() {
        let mut s = Stream::new(1, 0, Phase::Sizes);
        let mut seen = [0u32; 5];
        for _ in 0..10_000 {
            let v = s.rand_int(10, 14);
            assert!((10..=14).contains(&v));
            seen[(v - 10) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| (1800..2200).contains(&c)), "{seen:?}");
    }

    #[test]
    fn test_normal_moments_and_tails() {
        let mut s = Stream::new(3, 0, Phase::Weather);
        let n = 1_000_000;
        let draws: Vec<f64> = (0..n).map(|_| s.standard_normal()).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        // Standard errors at n = 10^6: 0.001 for the mean, 0.0014 for the variance.
        assert!(mean.abs() < 0.005, "{mean}");
        assert!((var - 1.0).abs() < 0.007, "{var}");
        // Two-sided tail shares of N(0, 1), each within ≈ 5 standard errors.
        for (z, share, tolerance) in [
            (1.0, 0.317_31, 0.0025),
            (2.0, 0.045_50, 0.001),
            (3.0, 0.002_70, 0.000_3),
            (3.8, 0.000_145, 0.000_06),
        ] {
            let got = draws.iter().filter(|x| x.abs() > z).count() as f64 / n as f64;
            assert!((got - share).abs() < tolerance, "P(|Z| > {z}) = {got}");
        }
        let skew = draws.iter().map(|x| x.powi(3)).sum::<f64>() / n as f64;
        assert!(skew.abs() < 0.01, "{skew}");
        let scaled = s.normal(58.0, 17.0);
        assert!(scaled.is_finite());
    }

    #[test]
    fn test_uniform_range_and_shuffle_is_permutation() {
        let mut s = Stream::new(5, 0, Phase::DirtyRows);
        for _ in 0..1000 {
            let u = s.uniform_range(0.5, 1.5);
            assert!((0.5..1.5).contains(&u));
        }
        let mut items: Vec<u32> = (0..100).collect();
        s.shuffle(&mut items);
        assert_ne!(items, (0..100).collect::<Vec<_>>());
        items.sort_unstable();
        assert_eq!(items, (0..100).collect::<Vec<_>>());
    }
}
