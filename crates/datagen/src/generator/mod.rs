//! The generator of §1.6, steps G0–G7 in order, one device at a time.
//!
//! Where the original's row order is whatever Spark's shuffle delivers, we use chronological
//! order within a device (the order the spec's reference statistics reflect): trips are
//! processed oldest first and rows within a trip oldest first.

mod defects;
mod features;
mod timeline;
mod weather;

use std::ops::Range;

use crate::config::GeneratorConfig;
use crate::dataset::{Dataset, DeviceRows, Readings};
use crate::error::Result;
use crate::presets::Batch;
use crate::rng::{Phase, Stream};
use crate::time::Timestamp;

use defects::{DefectScratch, DeviceSignals, label_device};
use features::{TripColumns, lifetime_density, trip_features};
use timeline::{assign_trips, burst_timestamps, device_counts};
use weather::{BaseTemperatures, trip_weather};

pub(crate) use defects::quantile;

/// One random stream per phase, so each phase's draws are independent of the others' knobs.
struct Streams {
    bursts: Stream,
    weather: Stream,
    lifetime: Stream,
    trip_features: Stream,
    defects: Stream,
}

/// Buffers reused from device to device, so the per-row loops do not allocate.
#[derive(Default)]
struct Scratch {
    burst_lengths: Vec<i64>,
    trips: Vec<Range<usize>>,
    series: Vec<f64>,
    defects: DefectScratch,
}

/// Generates one batch (G0–G7) of `seed`: the clean readings before landing.
///
/// # Errors
/// [`DatagenError::InvalidConfig`](crate::DatagenError::InvalidConfig) when the config does
/// not validate; nothing else can fail.
///
/// # Examples
/// ```
/// use datagen::{Batch, Preset, generate};
/// let data = generate(&Preset::Tiny.config(), 42, Batch::Initial).unwrap();
/// assert!((19_000..=21_000).contains(&data.readings.len()));
/// assert_eq!(data, generate(&Preset::Tiny.config(), 42, Batch::Initial).unwrap());
/// ```
pub fn generate(config: &GeneratorConfig, seed: u64, batch: Batch) -> Result<Dataset> {
    config.validate()?;
    let shape = batch.shape(config);
    let b = batch.index();
    let mut sizes = Stream::new(seed, b, Phase::Sizes);
    // Validation bounds both ranges to small positive numbers, so the casts are lossless.
    let num_rows = sizes.rand_int(shape.num_rows.min, shape.num_rows.max) as usize;
    let num_devices = sizes.rand_int(shape.num_devices.min, shape.num_devices.max) as u32;

    let counts = device_counts(
        &mut Stream::new(seed, b, Phase::Devices),
        num_rows,
        num_devices,
    );
    let base = BaseTemperatures::draw(
        &mut Stream::new(seed, b, Phase::BaseTemperature),
        shape,
        &config.base_temperature,
        config.spill_over,
    );
    let mut streams = Streams {
        bursts: Stream::new(seed, b, Phase::Bursts),
        weather: Stream::new(seed, b, Phase::Weather),
        lifetime: Stream::new(seed, b, Phase::Lifetime),
        trip_features: Stream::new(seed, b, Phase::TripFeatures),
        defects: Stream::new(seed, b, Phase::Defects),
    };
    let mut readings = Readings::with_capacity(num_rows);
    let mut devices = Vec::with_capacity(counts.len());
    let mut scratch = Scratch::default();
    let mut rule_matches = vec![0; config.defects.heat_rules.len() + 2];
    let mut spill_over_rows = 0;
    for (index, &rows) in counts.iter().enumerate() {
        if rows == 0 {
            continue;
        }
        let device_id = index as u32 + 1;
        let start = readings.len();
        readings.extend_device(device_id, rows);
        let ctx = DeviceContext {
            config,
            shape_start: shape.start,
            shape_end: shape.end,
            base: &base,
        };
        spill_over_rows += generate_device(
            &ctx,
            &mut streams,
            &mut scratch,
            device_id,
            &mut readings,
            start,
            &mut rule_matches,
        );
        let trips = scratch.trips.len() as u32;
        devices.push(DeviceRows {
            device_id,
            rows: start..readings.len(),
            trips,
        });
    }
    Ok(Dataset {
        seed,
        batch,
        num_rows,
        num_devices,
        readings,
        devices,
        first_base_date: base.first_date,
        daily_base_temperature: base.temps,
        spill_over_rows,
        rule_matches,
    })
}

struct DeviceContext<'a> {
    config: &'a GeneratorConfig,
    shape_start: Timestamp,
    shape_end: Timestamp,
    base: &'a BaseTemperatures,
}

/// G1–G7 for the device whose rows start at `start` (already appended, zeroed). Returns the
/// number of spill-over rows.
fn generate_device(
    ctx: &DeviceContext<'_>,
    streams: &mut Streams,
    scratch: &mut Scratch,
    device_id: u32,
    readings: &mut Readings,
    start: usize,
    rule_matches: &mut [usize],
) -> usize {
    let config = ctx.config;
    let rows = readings.len() - start;
    let timestamps = &mut readings.timestamp[start..];
    burst_timestamps(
        &mut streams.bursts,
        rows,
        &config.bursts,
        ctx.shape_start,
        ctx.shape_end,
        &mut scratch.burst_lengths,
        timestamps,
    );
    assign_trips(
        timestamps,
        &mut readings.trip_id[start..],
        &mut scratch.trips,
    );

    let temperature = &mut readings.temperature[start..];
    let air_pressure = &mut readings.air_pressure[start..];
    let mut spill_over_rows = 0;
    for trip in &scratch.trips {
        let trip_times = &timestamps[trip.clone()];
        let base = ctx.base.on(Timestamp(trip_times[0]).date());
        if base.is_none() {
            spill_over_rows += trip.len();
        }
        trip_weather(
            &mut streams.weather,
            config,
            base,
            trip_times,
            &mut temperature[trip.clone()],
            &mut air_pressure[trip.clone()],
        );
    }

    let density = &mut readings.density[start..];
    lifetime_density(&mut streams.lifetime, config, &mut scratch.series, density);

    for trip in &scratch.trips {
        let columns = TripColumns {
            temperature: &mut temperature[trip.clone()],
            air_pressure: &mut air_pressure[trip.clone()],
            rotation_speed: &mut readings.rotation_speed[start..][trip.clone()],
            delay: &mut readings.delay[start..][trip.clone()],
            airflow_rate: &mut readings.airflow_rate[start..][trip.clone()],
        };
        trip_features(
            &mut streams.trip_features,
            config,
            &mut scratch.series,
            columns,
        );
    }

    let signals = DeviceSignals {
        device_id,
        temperature,
        air_pressure,
        rotation_speed: &readings.rotation_speed[start..],
        delay: &readings.delay[start..],
        density,
    };
    label_device(
        &mut streams.defects,
        &config.defects,
        &signals,
        &mut scratch.defects,
        rule_matches,
        &mut readings.defect[start..],
    );
    spill_over_rows
}
