//! `describe`: Tempo's global summary plus Spark's `describe()` rows, as strings.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Float32Type};

use crate::error::{Result, TsdfError};
use crate::fixture::py_float;
use crate::frame::Tsdf;
use crate::resample::group_extreme;
use crate::series::{TsKeys, partition_ids};
use crate::timefmt::format_spark_micros;
use crate::values::{F64Column, batch_of};

/// Tempo's filler for cells that do not apply.
const FILLER: &str = " ";

/// Java's `Double.toString` (what Spark prints): plain notation in `[1e-3, 1e7)`, else
/// `d.dddE<n>`; shortest round-trip digits.
///
/// # Examples
/// ```
/// assert_eq!(tsdf::java_double(1.7100288e9), "1.7100288E9");
/// assert_eq!(tsdf::java_double(22.5), "22.5");
/// assert_eq!(tsdf::java_double(0.0001), "1.0E-4");
/// ```
pub fn java_double(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if x == 0.0 || (1e-3..1e7).contains(&x.abs()) {
        return py_float(x);
    }
    java_sci(&format!("{x:e}"))
}

fn java_sci(sci: &str) -> String {
    let (m, e) = sci.split_once('e').unwrap_or((sci, "0"));
    let m = if m.contains('.') {
        m.to_string()
    } else {
        format!("{m}.0")
    };
    format!("{m}E{e}")
}

/// Java's `Float.toString` of a float column value.
fn java_float(x: f32) -> String {
    if x == 0.0 || (1e-3..1e7).contains(&x.abs()) {
        let s = format!("{x:?}");
        if s.contains('e') {
            java_sci(&format!("{x:e}"))
        } else {
            s
        }
    } else if x.is_finite() {
        java_sci(&format!("{x:e}"))
    } else {
        java_double(f64::from(x))
    }
}

/// A value as Spark casts it to string.
fn spark_string(col: &ArrayRef, row: usize) -> String {
    match col.data_type() {
        DataType::Float64 => java_double(
            col.as_primitive::<arrow::datatypes::Float64Type>()
                .value(row),
        ),
        DataType::Float32 => java_float(col.as_primitive::<Float32Type>().value(row)),
        _ => crate::fixture::format_cell(col.as_ref(), row).unwrap_or_default(),
    }
}

impl Tsdf {
    /// Tempo's `describe()`: a frame of strings. Row `global` has `unique_time_series_count`,
    /// `min_ts`, `max_ts` and `granularity` (finest of millis/seconds/minutes/hours/days);
    /// rows `count mean stddev min max` are Spark's `describe()` of every numeric and string
    /// column plus `<ts>_dbl` (the ts as epoch seconds); `missing_vals_pct` is the NULL share.
    /// Cells that do not apply hold `" "`. Timestamp columns other than ts are skipped; other
    /// types (booleans…) are an error, as they break Tempo's positional union.
    pub fn describe(&self) -> Result<RecordBatch> {
        let ts = TsKeys::new(self.column(self.ts_col())?)?;
        let n = self.num_rows();
        let mut cols: Vec<(String, ArrayRef)> = Vec::new();
        for (name, col) in self.columns().into_iter().zip(self.df().columns()) {
            match col.data_type() {
                DataType::Timestamp(..) => {}
                d if d.is_numeric() || matches!(d, DataType::Utf8 | DataType::LargeUtf8) => {
                    cols.push((name, col.clone()))
                }
                d => {
                    return Err(TsdfError::InvalidColumnType {
                        column: name,
                        data_type: d.clone(),
                        operation: "describe",
                        expected: "numeric or string columns only",
                        valid: self.columns(),
                    });
                }
            }
        }
        let dbl: Vec<Option<f64>> = (0..n).map(|i| ts.is_valid(i).then(|| ts.secs(i))).collect();
        cols.push((
            format!("{}_dbl", self.ts_col()),
            Arc::new(arrow::array::Float64Array::from(dbl.clone())),
        ));

        let parts = self
            .partition_cols()
            .iter()
            .map(|c| self.column(c).cloned())
            .collect::<Result<Vec<_>>>()?;
        let unique = partition_ids(&parts, n)?
            .n_groups
            .max(usize::from(parts.is_empty()));
        let valid_ts: Vec<usize> = (0..n).filter(|&i| ts.is_valid(i)).collect();
        let ts_text = |i: usize| {
            if ts.is_timestamp {
                format_spark_micros(ts.key[i])
            } else {
                java_double(ts.secs(i))
            }
        };
        let min_ts = valid_ts
            .iter()
            .min_by_key(|&&i| ts.key[i])
            .map(|&i| ts_text(i));
        let max_ts = valid_ts
            .iter()
            .max_by_key(|&&i| ts.key[i])
            .map(|&i| ts_text(i));
        let rank = |x: Option<f64>| match x {
            Some(x) if x - f64::from(x as i32) > 0.0 => 1,
            Some(x) if x % 60.0 != 0.0 => 2,
            Some(x) if x % 3600.0 != 0.0 => 3,
            Some(x) if x % 86400.0 != 0.0 => 4,
            _ => 5,
        };
        let gran = dbl
            .iter()
            .map(|&x| rank(x))
            .min()
            .map(|r| ["millis", "seconds", "minutes", "hours", "days"][r - 1]);

        let summaries = [
            "global",
            "count",
            "mean",
            "stddev",
            "min",
            "max",
            "missing_vals_pct",
        ];
        let mut out: Vec<(String, ArrayRef)> = vec![(
            "summary".into(),
            Arc::new(StringArray::from(summaries.to_vec())),
        )];
        let global = |v: Option<String>| -> ArrayRef {
            let mut cells = vec![Some(FILLER.to_string()); summaries.len()];
            cells[0] = v;
            Arc::new(StringArray::from(cells))
        };
        out.push((
            "unique_time_series_count".into(),
            global(Some(unique.to_string())),
        ));
        out.push(("min_ts".into(), global(min_ts)));
        out.push(("max_ts".into(), global(max_ts)));
        out.push(("granularity".into(), global(gran.map(str::to_string))));
        for (name, col) in cols {
            out.push((name, Arc::new(StringArray::from(describe_column(&col, n)?))));
        }
        batch_of(out)
    }
}

/// The seven cells of one column: filler, count, mean, stddev, min, max, missing %.
fn describe_column(col: &ArrayRef, n: usize) -> Result<Vec<Option<String>>> {
    let count = n - col.null_count();
    let vals = F64Column::new(col)?;
    let xs: Vec<f64> = (0..n).filter_map(|i| vals.get(i)).collect();
    let (mean, stddev) = if xs.is_empty() {
        (None, None)
    } else {
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let sd = (xs.len() > 1).then(|| {
            (xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
        });
        (Some(mean), sd)
    };
    let of_row = vec![0u32; n];
    let min = group_extreme(col, &of_row, 1, std::cmp::Ordering::Less)?[0];
    let max = group_extreme(col, &of_row, 1, std::cmp::Ordering::Greater)?[0];
    let missing = 100.0 * col.null_count() as f64 / n.max(1) as f64;
    Ok(vec![
        Some(FILLER.to_string()),
        Some(count.to_string()),
        mean.map(java_double),
        stddev.map(java_double),
        min.map(|r| spark_string(col, r as usize)),
        max.map(|r| spark_string(col, r as usize)),
        Some(java_double(missing)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_java_double_formats() {
        assert_eq!(java_double(1.71005857651e9), "1.71005857651E9");
        assert_eq!(java_double(8817.085907200866), "8817.085907200866");
        assert_eq!(java_double(0.0), "0.0");
        assert_eq!(java_double(1e7), "1.0E7");
        assert_eq!(java_float(0.5), "0.5");
    }
}
