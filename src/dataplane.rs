//! The data plane's smallest round trip, run in the page: build an Arrow batch, write it to
//! Parquet in memory, read it back. Proves arrow + parquet work in the browser's wasm.

use std::sync::Arc;

use arrow::array::{Array, Float64Array, Int32Array, RecordBatch, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use arrow::error::ArrowError;
use bytes::Bytes;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;

/// 2023-01-01T00:00:00Z, the seed's first day, in microseconds since the epoch.
const START_MICROS: i64 = 1_672_531_200_000_000;
const MINUTE_MICROS: i64 = 60_000_000;

/// Errors of the round trip.
#[derive(Debug, thiserror::Error)]
pub enum RoundTripError {
    /// Building or slicing Arrow arrays failed.
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
    /// Writing or reading Parquet failed.
    #[error("parquet: {0}")]
    Parquet(#[from] ParquetError),
}

/// A small sensor-like batch: `devices` devices, one reading a minute for `minutes` minutes.
/// Temperature is a smooth daily wave per device, so the chart has visible lines.
pub fn sample_readings(devices: i32, minutes: i64) -> Result<RecordBatch, ArrowError> {
    let rows = usize::try_from(i64::from(devices) * minutes).unwrap_or(0);
    let mut device = Vec::with_capacity(rows);
    let mut timestamp = Vec::with_capacity(rows);
    let mut temperature = Vec::with_capacity(rows);
    for d in 1..=devices {
        for m in 0..minutes {
            device.push(d);
            timestamp.push(START_MICROS + m * MINUTE_MICROS);
            let phase = m as f64 / 240.0 + f64::from(d);
            temperature.push(55.0 + 10.0 * f64::from(d) + 8.0 * phase.sin());
        }
    }
    let schema = Schema::new(vec![
        Field::new("device_id", DataType::Int32, false),
        Field::new(
            "timestamp",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
        Field::new("temperature", DataType::Float64, true),
    ]);
    RecordBatch::try_new(
        Arc::new(schema),
        vec![
            Arc::new(Int32Array::from(device)),
            Arc::new(TimestampMicrosecondArray::from(timestamp).with_timezone("UTC")),
            Arc::new(Float64Array::from(temperature)),
        ],
    )
}

/// Writes `batch` as a Snappy-compressed Parquet file in memory.
pub fn to_parquet(batch: &RecordBatch) -> Result<Bytes, RoundTripError> {
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut buffer = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut buffer, batch.schema(), Some(props))?;
    writer.write(batch)?;
    writer.close()?;
    Ok(Bytes::from(buffer))
}

/// Reads every batch of an in-memory Parquet file.
pub fn from_parquet(file: Bytes) -> Result<Vec<RecordBatch>, RoundTripError> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)?.build()?;
    Ok(reader.collect::<Result<Vec<_>, _>>()?)
}

/// One line of the chart: a device's (minute offset, temperature) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Device id, the line's label.
    pub device_id: i32,
    /// (minutes since the first reading, temperature) in time order.
    pub points: Vec<(f64, f64)>,
}

/// Groups the readings per device for the chart.
pub fn series_by_device(batches: &[RecordBatch]) -> Vec<Series> {
    let mut out: Vec<Series> = Vec::new();
    for batch in batches {
        let (Some(device), Some(ts), Some(temp)) = (
            batch
                .column_by_name("device_id")
                .and_then(|c| c.as_any().downcast_ref::<Int32Array>()),
            batch
                .column_by_name("timestamp")
                .and_then(|c| c.as_any().downcast_ref::<TimestampMicrosecondArray>()),
            batch
                .column_by_name("temperature")
                .and_then(|c| c.as_any().downcast_ref::<Float64Array>()),
        ) else {
            continue;
        };
        for row in 0..batch.num_rows() {
            if device.is_null(row) || ts.is_null(row) || temp.is_null(row) {
                continue;
            }
            let id = device.value(row);
            let x = (ts.value(row) - START_MICROS) as f64 / MINUTE_MICROS as f64;
            match out.iter_mut().find(|s| s.device_id == id) {
                Some(series) => series.points.push((x, temp.value(row))),
                None => out.push(Series {
                    device_id: id,
                    points: vec![(x, temp.value(row))],
                }),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parquet_round_trip_keeps_schema_and_values() {
        let batch = sample_readings(3, 100).unwrap();
        let file = to_parquet(&batch).unwrap();
        assert_eq!(&file[..4], b"PAR1");
        let back = from_parquet(file).unwrap();
        let rows: usize = back.iter().map(RecordBatch::num_rows).sum();
        assert_eq!(rows, 300);
        assert_eq!(back[0].schema(), batch.schema());
        assert_eq!(back[0], batch);
    }

    #[test]
    fn test_series_by_device_groups_in_time_order() {
        let batch = sample_readings(2, 5).unwrap();
        let series = series_by_device(&[batch]);
        assert_eq!(series.len(), 2);
        assert_eq!(series[1].device_id, 2);
        let xs: Vec<f64> = series[0].points.iter().map(|p| p.0).collect();
        assert_eq!(xs, [0.0, 1.0, 2.0, 3.0, 4.0]);
    }
}
