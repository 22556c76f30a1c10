//! The stat columns of `withRangeStats` and `withGroupedStats`, written straight into Arrow
//! buffers.

use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int64Array, UInt32Array};
use arrow::buffer::{BooleanBuffer, NullBuffer, ScalarBuffer};
use arrow::compute::take;

use crate::error::Result;

/// Stats Tempo computes per metric, in its column order.
pub(crate) const STAT_NAMES: [&str; 6] = ["mean", "count", "min", "max", "sum", "stddev"];

/// The stats of one metric per output row.
#[derive(Debug, Default)]
pub(crate) struct MetricStats {
    pub(crate) mean: Vec<f64>,
    pub(crate) count: Vec<i64>,
    /// The input rows holding the min and max (gathered in the column's own type), unless
    /// `min_x`/`max_x` hold the values themselves (double columns).
    pub(crate) min: Vec<u32>,
    pub(crate) max: Vec<u32>,
    pub(crate) min_x: Vec<f64>,
    pub(crate) max_x: Vec<f64>,
    /// Sums of floating-point metrics (empty for integer ones when not needed).
    pub(crate) sum: Vec<f64>,
    /// Integer sums (integer metrics only; empty otherwise).
    pub(crate) isum: Vec<i64>,
    pub(crate) stddev: Vec<f64>,
}

impl MetricStats {
    /// `n` rows of zeros, to be filled by index.
    pub(crate) fn new(n: usize) -> Self {
        MetricStats {
            mean: vec![0.0; n],
            count: vec![0; n],
            min: vec![0; n],
            max: vec![0; n],
            min_x: Vec::new(),
            max_x: Vec::new(),
            sum: vec![0.0; n],
            isum: vec![0; n],
            stddev: vec![0.0; n],
        }
    }

    /// Builds the six stat columns: a value is valid when the window has at least one value
    /// (`count > 0`), the stddev when it has two. `sum` is bigint for integer metrics.
    /// `min_count`: the smallest count, when known (saves the bitmap scans when all are valid).
    pub(crate) fn arrays(self, col: &ArrayRef, min_count: Option<i64>) -> Result<Vec<ArrayRef>> {
        let some = validity(&self.count, 1, min_count);
        let two = validity(&self.count, 2, min_count);
        let f64s = |v: Vec<f64>, nulls: &Option<NullBuffer>| -> ArrayRef {
            Arc::new(Float64Array::new(ScalarBuffer::from(v), nulls.clone()))
        };
        let rows = |v: Vec<u32>| UInt32Array::new(ScalarBuffer::from(v), some.clone());
        let sum: ArrayRef = if col.data_type().is_integer() {
            Arc::new(Int64Array::new(ScalarBuffer::from(self.isum), some.clone()))
        } else {
            f64s(self.sum, &some)
        };
        let (min, max) = if self.min_x.is_empty() {
            (
                take(col.as_ref(), &rows(self.min), None)?,
                take(col.as_ref(), &rows(self.max), None)?,
            )
        } else {
            (f64s(self.min_x, &some), f64s(self.max_x, &some))
        };
        Ok(vec![
            f64s(self.mean, &some),
            Arc::new(Int64Array::from(self.count)),
            min,
            max,
            sum,
            f64s(self.stddev, &two),
        ])
    }
}

/// Valid where `count >= at_least`; `None` (no bitmap) when every row is.
pub(super) fn validity(count: &[i64], at_least: i64, min_count: Option<i64>) -> Option<NullBuffer> {
    if min_count.map_or_else(|| count.iter().all(|&c| c >= at_least), |m| m >= at_least) {
        return None;
    }
    Some(NullBuffer::new(BooleanBuffer::collect_bool(
        count.len(),
        |r| count[r] >= at_least,
    )))
}

/// The `zscore_` column from precomputed `(x - mean) / stddev` values: NULL where the value,
/// the mean or the stddev is NULL, or the stddev is 0. `all_valid`: the caller knows every
/// row is valid (no NULL values, every count over 1, no stddev of 0).
pub(crate) fn zscore_array(
    z: Vec<f64>,
    x_nulls: Option<&NullBuffer>,
    count: &[i64],
    stddev: &[f64],
    all_valid: bool,
) -> ArrayRef {
    let valid =
        |r: usize| x_nulls.is_none_or(|n| n.is_valid(r)) && count[r] > 1 && stddev[r] != 0.0;
    let nulls = (!all_valid && !(0..z.len()).all(valid))
        .then(|| NullBuffer::new(BooleanBuffer::collect_bool(z.len(), valid)));
    Arc::new(Float64Array::new(ScalarBuffer::from(z), nulls))
}

#[cfg(test)]
mod tests {
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::{Float64Type, Int64Type};

    use super::*;

    #[test]
    fn stats_under_two_values_are_null_and_int_sums_stay_integers() {
        let col: ArrayRef = Arc::new(arrow::array::Int32Array::from(vec![7, 3, 5]));
        let stats = MetricStats {
            mean: vec![0.0, 7.0, 5.0],
            count: vec![0, 1, 3],
            min: vec![0, 0, 1],
            max: vec![0, 0, 0],
            min_x: Vec::new(),
            max_x: Vec::new(),
            sum: vec![0.0; 3],
            isum: vec![0, 7, 15],
            stddev: vec![0.0, 0.0, 2.0],
        };
        let a = stats.arrays(&col, None).unwrap();
        assert_eq!(a[0].null_count(), 1);
        assert_eq!(
            a[2].as_primitive::<arrow::datatypes::Int32Type>().value(2),
            3
        );
        assert_eq!(a[4].as_primitive::<Int64Type>().value(2), 15);
        let sd = a[5].as_primitive::<Float64Type>();
        assert!(sd.is_null(0) && sd.is_null(1) && sd.value(2) == 2.0);
    }

    #[test]
    fn zscore_is_null_without_spread() {
        let z = zscore_array(
            vec![1.0, 2.0, 3.0],
            None,
            &[3, 1, 3],
            &[1.0, 0.0, 0.0],
            false,
        );
        let z = z.as_primitive::<Float64Type>();
        assert!(z.is_valid(0) && z.is_null(1) && z.is_null(2));
    }
}
