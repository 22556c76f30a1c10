//! G0–G2: which device each reading belongs to, when it was taken, and its trip.

use std::ops::Range;

use crate::config::BurstConfig;
use crate::rng::Stream;
use crate::time::{MICROS_PER_DAY, MICROS_PER_MINUTE, MICROS_PER_SECOND, Timestamp};

/// G0: every one of `rows` readings picks `floor(U · devices) + 1`; returns the count per
/// device (index 0 = device 1).
pub(crate) fn device_counts(rng: &mut Stream, rows: usize, devices: u32) -> Vec<usize> {
    let mut counts = vec![0usize; devices as usize];
    let last = counts.len().saturating_sub(1);
    for _ in 0..rows {
        // U < 1, so the index is at most devices − 1; `min` only guards the rounding.
        let index = (rng.uniform() * f64::from(devices)) as usize;
        counts[index.min(last)] += 1;
    }
    counts
}

/// G1 for one device: `out` receives its `rows` timestamps, sorted.
///
/// Burst lengths are drawn as the original does: while at least `split_below` readings
/// remain, draw `RandInt[min_length, max_length]`, else take the remainder. A draw may
/// overshoot the remainder (e.g. 350 of 300 left); the original then assigns only the first
/// `rows` timestamps of the shuffled, concatenated bursts, and so do we. Each burst starts at a
/// random whole second in `[start, end]` and runs minute by minute, possibly past `end`.
pub(crate) fn burst_timestamps(
    rng: &mut Stream,
    rows: usize,
    bursts: &BurstConfig,
    start: Timestamp,
    end: Timestamp,
    lengths: &mut Vec<i64>,
    out: &mut [i64],
) {
    lengths.clear();
    let mut remaining = rows as i64;
    while remaining > 0 {
        let length = if remaining < bursts.split_below {
            remaining
        } else {
            rng.rand_int(bursts.min_length, bursts.max_length)
        };
        lengths.push(length);
        remaining -= length;
    }
    rng.shuffle(lengths);
    let span_seconds = (end.0 - start.0) / MICROS_PER_SECOND;
    let mut filled = 0;
    for &length in lengths.iter() {
        let first = start.0 + rng.rand_int(0, span_seconds) * MICROS_PER_SECOND;
        for minute in 0..length {
            if filled == out.len() {
                break;
            }
            out[filled] = first + minute * MICROS_PER_MINUTE;
            filled += 1;
        }
    }
    out.sort_unstable();
}

/// G2 for one device: trip id = dense rank of the reading's date. `timestamps` are sorted;
/// `trips` receives each trip's row range (relative to the device) and `trip_ids` its ids.
pub(crate) fn assign_trips(
    timestamps: &[i64],
    trip_ids: &mut [u32],
    trips: &mut Vec<Range<usize>>,
) {
    trips.clear();
    let mut trip_start = 0;
    for i in 1..=timestamps.len() {
        let ends_here = i == timestamps.len()
            || timestamps[i].div_euclid(MICROS_PER_DAY)
                != timestamps[i - 1].div_euclid(MICROS_PER_DAY);
        if ends_here {
            trips.push(trip_start..i);
            trip_start = i;
        }
    }
    for (id, trip) in trips.iter().enumerate() {
        // Trip ids are 1-based and at most the number of readings, which fits in u32.
        trip_ids[trip.clone()].fill(id as u32 + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Phase;

    #[test]
    fn test_device_counts_sum_and_spread() {
        let mut rng = Stream::new(1, 0, Phase::Devices);
        let counts = device_counts(&mut rng, 60_000, 60);
        assert_eq!(counts.iter().sum::<usize>(), 60_000);
        // Binomial(60 000, 1/60): mean 1000, sd ≈ 31.
        assert!(
            counts.iter().all(|&c| (850..1150).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn test_bursts_are_minute_spaced_within_range() {
        let mut rng = Stream::new(2, 0, Phase::Bursts);
        let start = Timestamp::from_civil(2023, 1, 1, 0, 0, 0);
        let end = Timestamp::from_civil(2023, 12, 31, 23, 59, 59);
        let mut lengths = Vec::new();
        let mut out = vec![0; 6_800];
        burst_timestamps(
            &mut rng,
            6_800,
            &BurstConfig::default(),
            start,
            end,
            &mut lengths,
            &mut out,
        );
        assert!(out.windows(2).all(|w| w[0] <= w[1]));
        assert!(out[0] >= start.0);
        // The last burst may start at `end` and run up to 349 more minutes.
        assert!(*out.last().unwrap() <= end.0 + 349 * MICROS_PER_MINUTE);
        assert!(out.iter().all(|t| t % MICROS_PER_SECOND == 0));
        let minute_steps = out
            .windows(2)
            .filter(|w| w[1] - w[0] == MICROS_PER_MINUTE)
            .count();
        // Only burst boundaries break the one-minute spacing: ≈ 6 800/180 ≈ 38 of them.
        assert!(minute_steps > 6_800 - 80, "{minute_steps}");
        assert!(lengths.iter().sum::<i64>() >= 6_800);
    }

    #[test]
    fn test_small_device_is_one_burst() {
        let mut rng = Stream::new(3, 0, Phase::Bursts);
        let start = Timestamp::from_civil(2023, 1, 1, 0, 0, 0);
        let mut lengths = Vec::new();
        let mut out = vec![0; 120];
        let end = Timestamp(start.0 + 10 * MICROS_PER_DAY);
        burst_timestamps(
            &mut rng,
            120,
            &BurstConfig::default(),
            start,
            end,
            &mut lengths,
            &mut out,
        );
        assert_eq!(lengths, vec![120]);
        assert!(out.windows(2).all(|w| w[1] - w[0] == MICROS_PER_MINUTE));
    }

    #[test]
    fn test_assign_trips_dense_rank_of_dates() {
        let day = MICROS_PER_DAY;
        let ts = [0, 5, day - 1, 3 * day, 3 * day + 7, 10 * day];
        let mut ids = [0; 6];
        let mut trips = Vec::new();
        assign_trips(&ts, &mut ids, &mut trips);
        assert_eq!(ids, [1, 1, 1, 2, 2, 3]);
        assert_eq!(trips, vec![0..3, 3..5, 5..6]);
    }
}
