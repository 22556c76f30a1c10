//! Landing (§1.7): the dataset as CSV part files of a virtual volume, in memory.
//!
//! Nothing here touches a filesystem: the browser keeps the files in its in-memory volume,
//! the CLI writes them under `--out`.

mod csv;
mod inspections;
mod malformed;
mod names;
mod sensor;

use std::ops::Range;

use crate::config::GeneratorConfig;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::generator::generate;
use crate::presets::Batch;
use crate::rng::{Phase, Stream};
use crate::time::Timestamp;

pub use csv::{DRIFT_COLUMN, INSPECTION_HEADER, SENSOR_HEADER};
pub use inspections::InspectionRecord;
pub use names::Volume;

use inspections::{inspection_part, sample_inspections};
use malformed::RowBreaker;
use names::{part_name, write_id};
use sensor::SensorWriter;

/// Spark's marker of a finished write; readers skip names starting with `_` or `.`.
pub const SUCCESS_MARKER: &str = "_SUCCESS";

/// One file of the volume: absolute path (`/Volumes/...`) and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LandedFile {
    /// `/Volumes/<catalog>/<schema>/<folder>/<name>`.
    pub path: String,
    /// The file's bytes (UTF-8 CSV, or empty).
    pub bytes: Vec<u8>,
}

/// What one landing produced, for the CLI's summary and the workbook's status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LandingSummary {
    /// Which batch.
    pub batch: Batch,
    /// Sensor rows landed (= N).
    pub sensor_rows: usize,
    /// Devices with at least one reading.
    pub devices: usize,
    /// Trips over all devices.
    pub trips: usize,
    /// First and last clean reading time.
    pub time_range: Option<(Timestamp, Timestamp)>,
    /// Readings per hidden label: `[0, 1, 2]`.
    pub defect_rows: [usize; 3],
    /// Temperatures landed as NULL.
    pub null_temperatures: usize,
    /// Air pressures landed negated.
    pub negated_pressures: usize,
    /// Inspections landed.
    pub inspections: usize,
    /// Of which defect = 1.
    pub inspection_defects: usize,
    /// Of which with a NULL timestamp.
    pub null_inspection_timestamps: usize,
    /// Rows broken by the `malformed-rows` knob (sensor and inspection).
    pub malformed_rows: usize,
    /// Data files written (part files, including dirty-knob extras).
    pub data_files: usize,
    /// Marker files written.
    pub marker_files: usize,
    /// Total bytes of all files.
    pub bytes: usize,
}

/// The landed files plus what was sampled.
#[derive(Debug, Clone, PartialEq)]
pub struct Landing {
    /// Sensor files first, then inspection files; markers last within each folder.
    pub files: Vec<LandedFile>,
    /// The inspections, in file order.
    pub inspections: Vec<InspectionRecord>,
    /// Counts.
    pub summary: LandingSummary,
}

/// Lands `dataset` (generated with `config`) as CSV part files under `volume`.
///
/// Corruptions, the inspection sample and the file ids draw from streams keyed by the
/// dataset's seed and batch, so landing is as reproducible as generation, and an increment's
/// file names never repeat the initial load's.
///
/// # Errors
/// [`DatagenError::InvalidConfig`](crate::DatagenError::InvalidConfig) when the config does
/// not validate.
///
/// # Examples
/// ```
/// use datagen::{Batch, Preset, Volume, generate, land};
/// let config = Preset::Tiny.config();
/// let data = generate(&config, 7, Batch::Initial).unwrap();
/// let landing = land(&data, &config, &Volume::new("default", "iot").unwrap()).unwrap();
/// let first = &landing.files[0];
/// assert!(first.path.starts_with("/Volumes/default/iot/sensor_bronze/part-00000-"));
/// assert!(first.bytes.starts_with(b"device_id,trip_id,factory_id,model_id,timestamp,"));
/// ```
pub fn land(dataset: &Dataset, config: &GeneratorConfig, volume: &Volume) -> Result<Landing> {
    config.validate()?;
    let (seed, b) = (dataset.seed, dataset.batch.index());
    let landing = &config.landing;
    let dirty = &config.dirty;
    let mut ids = Stream::new(seed, b, Phase::FileIds);
    // Drawn in a fixed order whatever the knobs, so clean files keep their names.
    let sensor_id = write_id(&mut ids);
    let inspection_id = write_id(&mut ids);
    let extra_ids: Vec<String> = (0..6).map(|_| write_id(&mut ids)).collect();

    let rows = dataset.readings.len();
    let initial = dataset.batch == Batch::Initial;
    let mut sensor_parts = landing.sensor_files.min(rows.max(1));
    if dirty.schema_drift && initial && rows >= 2 {
        // The drift shows in every part after the first, so there must be a second one.
        sensor_parts = sensor_parts.max(2);
    }
    let breaker = RowBreaker::new(Stream::new(seed, b, Phase::DirtyRows), dirty.malformed_rows);
    let mut writer = SensorWriter::new(
        dataset,
        landing,
        Stream::new(seed, b, Phase::SensorLanding),
        breaker,
        Stream::new(seed, b, Phase::SchemaDrift),
    );
    let mut files = Vec::new();
    let sensor_dir = volume.sensor_dir();
    let mut sensor_bytes = Vec::with_capacity(sensor_parts);
    for (part, range) in split(rows, sensor_parts).into_iter().enumerate() {
        let drift = dirty.schema_drift && (!initial || part > 0);
        sensor_bytes.push(writer.part(range, drift));
    }
    let sensor_header_only = writer.part(0..0, false);
    let counts = writer.counts;
    let mut breaker = writer.breaker;

    let inspections = sample_inspections(
        &mut Stream::new(seed, b, Phase::InspectionLanding),
        dataset,
        landing,
    );
    let inspection_parts = landing.inspection_files.min(inspections.len().max(1));
    let inspection_bytes: Vec<Vec<u8>> = split(inspections.len(), inspection_parts)
        .into_iter()
        .map(|range| inspection_part(&inspections[range], &mut breaker))
        .collect();
    let inspection_header_only = inspection_part(&[], &mut breaker);

    let inspection_dir = volume.inspection_dir();
    let folders = [
        (
            &sensor_dir,
            &sensor_id,
            sensor_bytes,
            sensor_header_only,
            &extra_ids[0..3],
        ),
        (
            &inspection_dir,
            &inspection_id,
            inspection_bytes,
            inspection_header_only,
            &extra_ids[3..6],
        ),
    ];
    let mut marker_files = 0;
    for (dir, id, parts, header_only, extra) in folders {
        let count = parts.len();
        let path = |part: usize, id: &str| format!("{dir}/{}", part_name(part, id));
        // A re-delivery of part 0 by another write job: same bytes, new name.
        let duplicate = dirty.duplicate_files.then(|| parts[0].clone());
        for (part, bytes) in parts.into_iter().enumerate() {
            files.push(LandedFile {
                path: path(part, id),
                bytes,
            });
        }
        if let Some(bytes) = duplicate {
            files.push(LandedFile {
                path: path(0, &extra[0]),
                bytes,
            });
        }
        if dirty.empty_files {
            files.push(LandedFile {
                path: path(count, &extra[1]),
                bytes: Vec::new(),
            });
        }
        if dirty.header_only_file {
            files.push(LandedFile {
                path: path(count + 1, &extra[2]),
                bytes: header_only,
            });
        }
        if landing.success_markers {
            files.push(LandedFile {
                path: format!("{dir}/{SUCCESS_MARKER}"),
                bytes: Vec::new(),
            });
            marker_files += 1;
        }
    }
    let data_files = files.len() - marker_files;

    let summary = LandingSummary {
        batch: dataset.batch,
        sensor_rows: rows,
        devices: dataset.devices.len(),
        trips: dataset.total_trips(),
        time_range: dataset.time_range(),
        defect_rows: dataset.defect_counts(),
        null_temperatures: counts.null_temperatures,
        negated_pressures: counts.negated_pressures,
        inspections: inspections.len(),
        inspection_defects: inspections.iter().filter(|r| r.defect == 1).count(),
        null_inspection_timestamps: inspections.iter().filter(|r| r.timestamp.is_none()).count(),
        malformed_rows: breaker.broken,
        data_files,
        marker_files,
        bytes: files.iter().map(|f| f.bytes.len()).sum(),
    };
    Ok(Landing {
        files,
        inspections,
        summary,
    })
}

/// Generates and lands one batch: `generate` then `land`.
///
/// # Errors
/// As [`generate`] and [`land`].
///
/// # Examples
/// ```
/// use datagen::{Batch, Preset, Volume, generate_and_land};
/// let volume = Volume::new("default", "iot").unwrap();
/// let (data, landing) = generate_and_land(&Preset::Tiny.config(), 1, Batch::Increment(1), &volume).unwrap();
/// assert_eq!(landing.summary.sensor_rows, data.readings.len());
/// ```
pub fn generate_and_land(
    config: &GeneratorConfig,
    seed: u64,
    batch: Batch,
    volume: &Volume,
) -> Result<(Dataset, Landing)> {
    let dataset = generate(config, seed, batch)?;
    let landing = land(&dataset, config, volume)?;
    Ok((dataset, landing))
}

/// A portable 64-bit FNV-1a digest of files (paths and contents), for checking that two
/// platforms produced byte-identical volumes. Not a security hash.
///
/// # Examples
/// ```
/// use datagen::{LandedFile, digest};
/// let a = vec![LandedFile { path: "/a".into(), bytes: b"1".to_vec() }];
/// let b = vec![LandedFile { path: "/a".into(), bytes: b"2".to_vec() }];
/// assert_ne!(digest(&a), digest(&b));
/// ```
#[must_use]
pub fn digest(files: &[LandedFile]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash = OFFSET;
    let mut feed = |bytes: &[u8]| {
        for &byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
        }
    };
    for file in files {
        feed(file.path.as_bytes());
        feed(&(file.bytes.len() as u64).to_le_bytes());
        feed(&file.bytes);
    }
    hash
}

/// `rows` split into `parts` contiguous, near-equal ranges (Spark's partitions).
fn split(rows: usize, parts: usize) -> Vec<Range<usize>> {
    let parts = parts.max(1);
    // In u64: `rows · parts` can pass u32::MAX, the usize of wasm32. The quotient is at most
    // `rows`, so it converts back losslessly.
    let bound = |p: usize| (rows as u64 * p as u64 / parts as u64) as usize;
    (0..parts).map(|p| bound(p)..bound(p + 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_split_covers_rows_in_order() {
        for (rows, parts) in [(0, 1), (1, 1), (10, 3), (7, 7), (5_000_000, 10_000)] {
            let ranges = split(rows, parts);
            assert_eq!(ranges.len(), parts);
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges[parts - 1].end, rows);
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
            let lengths: Vec<usize> = ranges.iter().map(|r| r.len()).collect();
            let spread = lengths.iter().max().unwrap() - lengths.iter().min().unwrap();
            assert!(spread <= 1);
        }
    }
}
