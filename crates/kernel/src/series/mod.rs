//! The time-series pictures of module 3, from the target's tables: one device's readings of a
//! trip with their EMA (Tempo's, as the silver table computes it), a column's resample buckets,
//! the inspections as-of joined to those buckets as the silver table joins them, and the rows
//! of `anomaly_detected`, each reduced to what a chart of the asked width shows.

mod decimate;

use arrow::array::{ArrayRef, Float64Array, Int64Array, RecordBatch};
use arrow::datatypes::DataType;
use protocol::{Bucket, JoinedInspection, Problem, ProjectFiles, SeriesQuery, SeriesView};
use tsdf::convert::cast;
use tsdf::{EmaOptions, ResampleOptions, Tsdf};

use crate::Kernel;
use crate::project::{options, to_project};
use crate::serving::widgets::{ident, literal};
use crate::sources::run_sql;
use decimate::decimate;

/// Columns of `sensor_bronze` that are keys, not readings.
const KEYS: &[&str] = &[
    "device_id",
    "trip_id",
    "factory_id",
    "model_id",
    "timestamp",
];

/// The pictures' data for `query` over the tables of `files`' target.
pub(crate) fn series(
    kernel: &Kernel,
    files: &ProjectFiles,
    target: Option<String>,
    query: &SeriesQuery,
) -> Result<SeriesView, Problem> {
    let started = (kernel.now_ms)();
    let schema = target_schema(kernel, files, target)?;
    let sql = |text: &str| run_sql(kernel, text, Some(&schema), started);

    let sensors = sql("SELECT * FROM sensor_bronze LIMIT 0")?;
    let columns: Vec<String> = sensors
        .schema
        .iter()
        .filter(|(n, t)| t.is_numeric() && !KEYS.contains(&n.as_str()))
        .map(|(n, _)| n.clone())
        .collect();
    for wanted in [&query.ema_column, &query.resample_column] {
        if !columns.contains(wanted) {
            return Err(Problem {
                suggestions: columns.clone(),
                ..Problem::error(format!(
                    "`{wanted}` is not a sensor reading of sensor_bronze"
                ))
            });
        }
    }
    let counts = sql(
        "SELECT device_id, count(*) FROM sensor_bronze WHERE device_id IS NOT NULL \
         GROUP BY device_id ORDER BY device_id",
    )?;
    let devices = texts(counts.batch.column(0))?;
    let sizes = numbers(counts.batch.column(1))?;
    let device = match &query.device {
        Some(d) if devices.contains(d) => d.clone(),
        Some(d) => {
            return Err(Problem {
                suggestions: pipeline::suggest::closest(d, devices.iter().map(String::as_str)),
                ..Problem::error(format!("sensor_bronze has no readings of device `{d}`"))
            });
        }
        None => longest(&devices, &sizes).ok_or_else(|| {
            Problem::error("sensor_bronze has no readings yet: generate the data and run an update")
        })?,
    };
    let device_sql = literal(&device);
    let trips_result = sql(&format!(
        "SELECT CAST(trip_id AS BIGINT), count(*) FROM sensor_bronze WHERE device_id = {device_sql} \
         AND trip_id IS NOT NULL GROUP BY trip_id ORDER BY 1"
    ))?;
    let trip_ids: Vec<i64> = numbers(trips_result.batch.column(0))?
        .into_iter()
        .flatten()
        .map(|t| t as i64)
        .collect();
    let trip_sizes = numbers(trips_result.batch.column(1))?;
    let trip = match query.trip {
        Some(t) if trip_ids.contains(&t) => t,
        Some(t) => {
            return Err(Problem::error(format!(
                "device `{device}` has no trip {t} (its trips: {})",
                trip_ids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        None => {
            let names: Vec<String> = trip_ids.iter().map(i64::to_string).collect();
            longest(&names, &trip_sizes)
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| Problem::error(format!("device `{device}` has no trips")))?
        }
    };

    // Every reading of the device: the resample and the as-of join see all its trips.
    let readings = sql(&format!(
        "SELECT CAST(trip_id AS BIGINT) AS trip_id, `timestamp`, \
         CAST({ema} AS DOUBLE) AS ema_value, CAST({res} AS DOUBLE) AS resample_value \
         FROM sensor_bronze WHERE device_id = {device_sql} AND `timestamp` IS NOT NULL",
        ema = ident(&query.ema_column),
        res = ident(&query.resample_column),
    ))?;
    let tempo = |e: tsdf::TsdfError| Problem::error(e.to_string());
    let frame =
        Tsdf::new(readings.batch.clone(), "timestamp", &["trip_id"], None).map_err(tempo)?;
    let window = i64::from(query.ema_window.max(1));
    if !(query.ema_exp_factor > 0.0 && query.ema_exp_factor <= 1.0) {
        return Err(Problem::error(format!(
            "exp_factor must be in (0, 1]; it is {}",
            query.ema_exp_factor
        )));
    }
    let with_ema = frame
        .ema(
            "ema_value",
            &EmaOptions {
                window,
                exp_factor: query.ema_exp_factor,
            },
        )
        .map_err(tempo)?;
    let df = with_ema.df();
    let trip_col = numbers(column(df, "trip_id")?)?;
    let ts = millis(column(df, "timestamp")?)?;
    let raw_values = numbers(column(df, "ema_value")?)?;
    let ema_values = numbers(column(df, "EMA_ema_value")?)?;
    let res_values = numbers(column(df, "resample_value")?)?;
    let in_trip: Vec<usize> = (0..df.num_rows())
        .filter(|&r| trip_col[r] == Some(trip as f64))
        .collect();
    let mut order = in_trip.clone();
    order.sort_by(|&a, &b| ts[a].total_cmp(&ts[b]));
    let extent = match (order.first(), order.last()) {
        (Some(&a), Some(&b)) => (ts[a], ts[b]),
        _ => {
            return Err(Problem::error(format!(
                "trip {trip} of `{device}` has no readings"
            )));
        }
    };
    let range = query
        .range_ms
        .filter(|(a, b)| a.is_finite() && b.is_finite() && b > a)
        .unwrap_or(extent);
    let line = |values: &[Option<f64>]| {
        let points: Vec<(f64, Option<f64>)> = order.iter().map(|&r| (ts[r], values[r])).collect();
        decimate(&points, range, query.pixels)
    };

    // Buckets of the resample column, per trip as the silver table partitions them.
    let resample_input = RecordBatch::try_from_iter([
        ("trip_id", column(df, "trip_id")?.clone()),
        ("timestamp", column(df, "timestamp")?.clone()),
        ("value", column(df, "resample_value")?.clone()),
    ])
    .map_err(|e| Problem::error(e.to_string()))?;
    let freq = tsdf::freq::parse_freq(&query.resample_freq).map_err(tempo)?;
    let resampled = Tsdf::new(resample_input, "timestamp", &["trip_id"], None)
        .map_err(tempo)?
        .resample(
            &query.resample_freq,
            &query.resample_func,
            &ResampleOptions::default(),
        )
        .map_err(tempo)?;
    let rdf = resampled.df();
    let bucket_start = millis(column(rdf, "timestamp")?)?;
    let bucket_value = numbers(column(rdf, "value")?)?;
    let mut all_buckets: Vec<(f64, Option<f64>)> =
        bucket_start.iter().copied().zip(bucket_value).collect();
    all_buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let bucket_ms = freq.micros as f64 / 1000.0;
    let buckets: Vec<Bucket> = all_buckets
        .iter()
        .filter(|(start, _)| *start + bucket_ms >= range.0 && *start <= range.1)
        .map(|&(start_ms, value)| Bucket {
            start_ms,
            end_ms: start_ms + bucket_ms,
            value,
        })
        .collect();

    let inspections = sql(&format!(
        "SELECT `timestamp`, CAST(defect AS BIGINT) FROM inspection_bronze \
         WHERE device_id = {device_sql} AND `timestamp` IS NOT NULL ORDER BY `timestamp`"
    ))?;
    let inspected = millis(inspections.batch.column(0))?;
    let defects = numbers(inspections.batch.column(1))?;
    let inspections = inspected
        .iter()
        .zip(defects)
        .filter(|(at, _)| **at >= range.0 && **at <= range.1)
        .map(|(&at_ms, defect)| {
            let (bucket_start_ms, value) = as_of(&all_buckets, at_ms);
            JoinedInspection {
                at_ms,
                defect: defect.map(|d| d as i64),
                bucket_start_ms,
                value,
            }
        })
        .collect();

    let anomalies = sql(&format!(
        "SELECT `timestamp`, CAST({ema} AS DOUBLE) FROM anomaly_detected \
         WHERE device_id = {device_sql} AND CAST(trip_id AS BIGINT) = {trip} \
         AND `timestamp` IS NOT NULL ORDER BY `timestamp`",
        ema = ident(&query.ema_column),
    ))
    .map(|a| -> Result<Vec<(f64, Option<f64>)>, Problem> {
        let at = millis(a.batch.column(0))?;
        let values = numbers(a.batch.column(1))?;
        Ok(at
            .into_iter()
            .zip(values)
            .filter(|(t, _)| *t >= range.0 && *t <= range.1)
            .collect())
    })
    // A pipeline without an anomaly table still has pictures.
    .unwrap_or(Ok(Vec::new()))?;

    Ok(SeriesView {
        devices,
        device,
        trips: trip_ids,
        trip,
        columns,
        extent_ms: extent,
        range_ms: range,
        raw: line(&raw_values),
        ema: line(&ema_values),
        resample_raw: line(&res_values),
        buckets,
        inspections,
        anomalies,
        elapsed_ms: ((kernel.now_ms)() - started).max(0.0),
    })
}

/// Tempo's as-of rule on one column: the last bucket starting at or before `at` (ties: the
/// bucket counts), with the column's last non-NULL value up to there.
pub(crate) fn as_of(buckets: &[(f64, Option<f64>)], at: f64) -> (Option<f64>, Option<f64>) {
    let upto = buckets.partition_point(|(start, _)| *start <= at);
    let earlier = &buckets[..upto];
    let start = earlier.last().map(|(s, _)| *s);
    let value = earlier.iter().rev().find_map(|(_, v)| *v);
    (start, value)
}

fn longest(names: &[String], sizes: &[Option<f64>]) -> Option<String> {
    let mut best: Option<(usize, f64)> = None;
    for (i, size) in sizes.iter().enumerate() {
        let size = size.unwrap_or(0.0);
        if best.is_none_or(|(_, b)| size > b) {
            best = Some((i, size));
        }
    }
    best.and_then(|(i, _)| names.get(i).cloned())
}

fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef, Problem> {
    batch
        .column_by_name(name)
        .ok_or_else(|| Problem::error(format!("internal: no column `{name}` in the series frame")))
}

fn numbers(array: &ArrayRef) -> Result<Vec<Option<f64>>, Problem> {
    let doubles = cast(array, &DataType::Float64).map_err(|e| Problem::error(e.to_string()))?;
    let doubles = doubles
        .as_any()
        .downcast_ref::<Float64Array>()
        .ok_or_else(|| Problem::error("internal: a cast to double gave another type"))?;
    Ok(doubles.iter().collect())
}

/// A timestamp column as ms since the epoch (NULL as NaN, which every range test rejects).
fn millis(array: &ArrayRef) -> Result<Vec<f64>, Problem> {
    let ints = cast(array, &DataType::Int64).map_err(|e| Problem::error(e.to_string()))?;
    let ints = ints
        .as_any()
        .downcast_ref::<Int64Array>()
        .ok_or_else(|| Problem::error("internal: a cast to bigint gave another type"))?;
    Ok(ints
        .iter()
        .map(|v| v.map_or(f64::NAN, |us| us as f64 / 1000.0))
        .collect())
}

fn texts(array: &ArrayRef) -> Result<Vec<String>, Problem> {
    let strings = cast(array, &DataType::Utf8).map_err(|e| Problem::error(e.to_string()))?;
    let strings = strings
        .as_any()
        .downcast_ref::<arrow::array::StringArray>()
        .ok_or_else(|| Problem::error("internal: a cast to string gave another type"))?;
    Ok(strings.iter().flatten().map(str::to_string).collect())
}

/// `(catalog, schema)` of the target's pipeline.
fn target_schema(
    _kernel: &Kernel,
    files: &ProjectFiles,
    target: Option<String>,
) -> Result<(String, String), Problem> {
    let project = to_project(files);
    let (bundle, _) = pipeline::bundle::load_partial(&project, &options(target));
    bundle
        .and_then(|b| {
            b.pipelines
                .first()
                .map(|p| (p.catalog.clone(), p.schema.clone()))
        })
        .ok_or_else(|| Problem::error("the bundle does not load: fix databricks.yml first"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_takes_the_last_bucket_at_or_before_and_its_last_value() {
        let buckets = [(0.0, Some(1.0)), (10.0, None), (20.0, Some(3.0))];
        assert_eq!(as_of(&buckets, -1.0), (None, None));
        assert_eq!(as_of(&buckets, 0.0), (Some(0.0), Some(1.0)));
        // The NULL bucket is the match; its value comes from the last non-NULL one.
        assert_eq!(as_of(&buckets, 15.0), (Some(10.0), Some(1.0)));
        assert_eq!(as_of(&buckets, 20.0), (Some(20.0), Some(3.0)));
    }
}
