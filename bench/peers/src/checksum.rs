//! Cheap result fingerprints: a row count and a few column sums, compared with DuckDB's.

use arrow::array::{AsArray, RecordBatch};
use arrow::datatypes::{DataType, Float64Type};
use arrow::error::ArrowError;
use tsdf::convert::cast;

/// The columns summed for each operation's result; they exist under the same names in the
/// DuckDB results the page computes.
pub fn columns(op: &str) -> &'static [&'static str] {
    match op {
        "asof" => &["right_score", "right_severity"],
        "ema" => &["EMA_temp"],
        "resample" => &["temp", "humidity", "pressure", "status"],
        "range_stats" => &[
            "mean_temp",
            "count_humidity",
            "max_pressure",
            "stddev_temp",
            "zscore_status",
        ],
        "gold" => &["count", "average_temperature", "average_rotation_speed"],
        _ => &[],
    }
}

/// `[rows, sum(col) for col in cols]`, NULLs skipped.
pub fn of(batch: &RecordBatch, cols: &[&str]) -> Result<Vec<f64>, ArrowError> {
    let mut sums = vec![batch.num_rows() as f64];
    for name in cols {
        let column = batch
            .column_by_name(name)
            .ok_or_else(|| ArrowError::SchemaError(format!("no column {name} in the result")))?;
        let values = cast(column, &DataType::Float64)?;
        let values = values.as_primitive::<Float64Type>();
        sums.push(values.iter().flatten().sum());
    }
    Ok(sums)
}
