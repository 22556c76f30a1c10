//! The inspection sample of §1.7 step 3: a few defect = 1 readings and many defect = 0
//! readings, reported hours later, some without a timestamp.

use crate::config::LandingConfig;
use crate::dataset::Dataset;
use crate::rng::Stream;
use crate::time::MICROS_PER_HOUR;

use super::csv::{Fields, INSPECTION_HEADER};
use super::malformed::{INSPECTION_LAYOUT, RowBreaker};

/// One landed inspection, with the reading it was sampled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectionRecord {
    /// Row of the sampled reading in [`Readings`](crate::Readings).
    pub row: usize,
    /// Its device.
    pub device_id: u32,
    /// Its label (0 or 1; 2s are never sampled).
    pub defect: u8,
    /// The (un-jittered) reading time, microseconds.
    pub reading_time: i64,
    /// The landed inspection time (reading time + 4–6 h), or `None` when landed as NULL.
    pub timestamp: Option<i64>,
}

/// Samples the inspections: `floor(q · share)` defect = 1 rows then `floor(q · (1 − share))`
/// defect = 0 rows, `q = inspections_per_reading · N`, each group in random order.
pub(crate) fn sample_inspections(
    rng: &mut Stream,
    dataset: &Dataset,
    landing: &LandingConfig,
) -> Vec<InspectionRecord> {
    let r = &dataset.readings;
    let q = landing.inspections_per_reading * r.len() as f64;
    let wanted_defects = (q * landing.inspection_defect_share) as usize;
    let wanted_fine = (q * (1.0 - landing.inspection_defect_share)) as usize;
    let mut records = Vec::with_capacity(wanted_defects + wanted_fine);
    for (label, wanted) in [(1u8, wanted_defects), (0u8, wanted_fine)] {
        let mut candidates: Vec<usize> = (0..r.len()).filter(|&i| r.defect[i] == label).collect();
        let take = wanted.min(candidates.len());
        // Partial Fisher–Yates: the first `take` slots become a uniform random sample in
        // random order (Spark's `orderBy(rand()).limit(k)`).
        for i in 0..take {
            let j = i + rng.below((candidates.len() - i) as u64) as usize;
            candidates.swap(i, j);
        }
        for &row in &candidates[..take] {
            records.push(InspectionRecord {
                row,
                device_id: r.device_id[row],
                defect: label,
                reading_time: r.timestamp[row],
                timestamp: None,
            });
        }
    }
    let delay = landing.inspection_delay_hours;
    for record in &mut records {
        let hours = rng.uniform_range(delay.min, delay.max);
        let later = record.reading_time + libm::floor(hours * MICROS_PER_HOUR as f64 + 0.5) as i64;
        let null = rng.uniform() < landing.null_inspection_timestamp_rate;
        record.timestamp = (!null).then_some(later);
    }
    records
}

/// One inspection part file's bytes.
pub(crate) fn inspection_part(records: &[InspectionRecord], breaker: &mut RowBreaker) -> Vec<u8> {
    let mut out = Vec::with_capacity(INSPECTION_HEADER.len() + 1 + records.len() * 40);
    out.extend_from_slice(INSPECTION_HEADER.as_bytes());
    out.push(b'\n');
    let mut fields = Fields::default();
    for record in records {
        let line_start = out.len();
        // `defect` is a Spark float: 0.0 / 1.0.
        fields.f32(&mut out, f32::from(record.defect));
        out.push(b',');
        if let Some(t) = record.timestamp {
            fields.timestamp(&mut out, t);
        }
        out.push(b',');
        fields.int(&mut out, record.device_id);
        breaker.apply(&mut out, line_start, &INSPECTION_LAYOUT);
        out.push(b'\n');
    }
    out
}
