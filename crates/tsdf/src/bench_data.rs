//! Synthetic data for the speed benchmarks, public so the in-browser timing page can time the
//! same four operations on the same data as `cargo bench -p tsdf`.
//!
//! Shape: `rows` sensor readings from `devices` devices (10 s apart per device, with jitter,
//! interleaved in global time order like a live feed), and `right_rows` inspections spread
//! over the same span. Seeded and reproducible; no randomness crate needed.

use std::sync::Arc;

use arrow::array::{
    Float32Array, Float64Array, Int32Array, RecordBatch, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, Field, Schema};

use crate::error::Result;
use crate::frame::{Tsdf, timestamp_type};
use crate::{AsofJoinOptions, EmaOptions, RangeStatsOptions, ResampleOptions};

/// Rows of the benchmark's left (sensor) side.
pub const ROWS: usize = 1_000_000;
/// Devices (series) of the benchmark.
pub const DEVICES: usize = 100;
/// Rows of the benchmark's right (inspection) side.
pub const RIGHT_ROWS: usize = 10_000;
/// Start of the data: 2024-03-10T00:00:00Z in microseconds.
const START_MICROS: i64 = 1_710_028_800_000_000;
/// Nominal reporting period of a device.
const PERIOD_MICROS: i64 = 10_000_000;

/// A tiny deterministic generator (SplitMix64).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Sensor readings: `device_id int, event_ts timestamp, temp double, humidity double (2 %
/// NULL), pressure float, status int`.
///
/// # Examples
/// ```
/// let batch = tsdf::bench_data::sensors(1_000, 10, 7);
/// assert_eq!(batch.num_rows(), 1_000);
/// assert_eq!(batch.num_columns(), 6);
/// ```
pub fn sensors(rows: usize, devices: usize, seed: u64) -> RecordBatch {
    let mut rng = SplitMix(seed);
    let devices = devices.max(1);
    let (mut dev, mut ts, mut temp, mut hum, mut pres, mut status) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    let mut level: Vec<f64> = (0..devices).map(|d| 20.0 + d as f64 % 7.0).collect();
    for i in 0..rows {
        let d = i % devices;
        let step = (i / devices) as i64;
        dev.push(d as i32 + 1);
        ts.push(
            START_MICROS
                + step * PERIOD_MICROS
                + (rng.unit() * (PERIOD_MICROS as f64 * 0.9)) as i64,
        );
        level[d] += (rng.unit() - 0.5) * 0.2;
        temp.push(level[d] + rng.unit());
        hum.push((rng.unit() >= 0.02).then(|| 40.0 + rng.unit() * 20.0));
        pres.push((900.0 + rng.unit() * 50.0) as f32);
        status.push((rng.next() % 4) as i32);
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("device_id", DataType::Int32, false),
        Field::new("event_ts", timestamp_type(), false),
        Field::new("temp", DataType::Float64, true),
        Field::new("humidity", DataType::Float64, true),
        Field::new("pressure", DataType::Float32, true),
        Field::new("status", DataType::Int32, true),
    ]));
    RecordBatch::try_new(
        schema,
        vec![
            Arc::new(Int32Array::from(dev)),
            Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC")),
            Arc::new(Float64Array::from(temp)),
            Arc::new(Float64Array::from(hum)),
            Arc::new(Float32Array::from(pres)),
            Arc::new(Int32Array::from(status)),
        ],
    )
    .unwrap_or_else(|e| unreachable!("bench schema is static: {e}"))
}

/// Inspections over the same span: `device_id int, event_ts timestamp, score double, severity int`.
pub fn inspections(right_rows: usize, devices: usize, left_rows: usize, seed: u64) -> RecordBatch {
    let mut rng = SplitMix(seed ^ 0xABCD);
    let devices = devices.max(1);
    let span = (left_rows / devices).max(1) as f64 * PERIOD_MICROS as f64;
    let mut rows: Vec<(i32, i64, f64, i32)> = (0..right_rows)
        .map(|i| {
            (
                (i % devices) as i32 + 1,
                START_MICROS + (rng.unit() * span) as i64,
                rng.unit() * 100.0,
                (rng.next() % 5) as i32,
            )
        })
        .collect();
    rows.sort_by_key(|r| r.1);
    let schema = Arc::new(Schema::new(vec![
        Field::new("device_id", DataType::Int32, false),
        Field::new("event_ts", timestamp_type(), false),
        Field::new("score", DataType::Float64, true),
        Field::new("severity", DataType::Int32, true),
    ]));
    RecordBatch::try_new(
        schema,
        vec![
            Arc::new(Int32Array::from(
                rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            )),
            Arc::new(
                TimestampMicrosecondArray::from(rows.iter().map(|r| r.1).collect::<Vec<_>>())
                    .with_timezone("UTC"),
            ),
            Arc::new(Float64Array::from(
                rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            )),
            Arc::new(Int32Array::from(
                rows.iter().map(|r| r.3).collect::<Vec<_>>(),
            )),
        ],
    )
    .unwrap_or_else(|e| unreachable!("bench schema is static: {e}"))
}

/// The benchmark inputs: (sensors as a TSDF keyed by device, inspections likewise).
pub fn inputs(rows: usize, devices: usize, right_rows: usize) -> Result<(Tsdf, Tsdf)> {
    let left = Tsdf::new(sensors(rows, devices, 42), "event_ts", &["device_id"], None)?;
    let right = Tsdf::new(
        inspections(right_rows, devices, rows, 42),
        "event_ts",
        &["device_id"],
        None,
    )?;
    Ok((left, right))
}

/// Benchmark op 1: `left.asofJoin(right)` with Tempo's defaults.
pub fn op_asof(left: &Tsdf, right: &Tsdf) -> Result<Tsdf> {
    left.asof_join(right, &AsofJoinOptions::default())
}

/// Benchmark op 2: `EMA("temp", window=30)`.
pub fn op_ema(left: &Tsdf) -> Result<Tsdf> {
    left.ema(
        "temp",
        &EmaOptions {
            window: 30,
            exp_factor: 0.2,
        },
    )
}

/// Benchmark op 3: `resample(freq="1 hour", func="mean")` of every metric.
pub fn op_resample(left: &Tsdf) -> Result<Tsdf> {
    Ok(left
        .resample("1 hour", "mean", &ResampleOptions::default())?
        .into_tsdf())
}

/// Benchmark op 4: `withRangeStats(rangeBackWindowSecs=300)` of every numeric metric.
pub fn op_range_stats(left: &Tsdf) -> Result<Tsdf> {
    left.with_range_stats(&RangeStatsOptions {
        range_back_window_secs: 300.0,
        ..Default::default()
    })
}
