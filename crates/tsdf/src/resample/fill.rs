//! Derived resamples: `calc_bars` and the `fill=True` gap filling.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef};
use arrow::compute::SortOptions;

use crate::convert::cast;
use arrow::datatypes::DataType;

use super::ResampleOptions;
use crate::error::Result;
use crate::frame::Tsdf;
use crate::series::TsKeys;
use crate::values::{batch_of, take_opt};

impl Tsdf {
    /// Tempo's `calc_bars(freq, metricCols=None, fill=None)`: `floor`/`min`/`max`/`ceil`
    /// resamples prefixed `open`/`low`/`high`/`close`, joined on (partition cols, ts); columns =
    /// partition cols, ts, then the rest sorted by name.
    pub fn calc_bars(
        &self,
        freq: &str,
        metric_cols: Option<&[String]>,
        fill: Option<bool>,
    ) -> Result<Tsdf> {
        let mut cols: Vec<(String, ArrayRef)> = Vec::new();
        let mut keys: Vec<(String, ArrayRef)> = Vec::new();
        for (func, prefix) in [
            ("floor", "open"),
            ("min", "low"),
            ("max", "high"),
            ("ceil", "close"),
        ] {
            let opts = ResampleOptions {
                metric_cols: metric_cols.map(<[String]>::to_vec),
                prefix: Some(prefix.into()),
                fill,
                perform_checks: true,
            };
            let r = self.resample(freq, func, &opts)?.into_tsdf();
            let named = crate::values::named_columns(r.df());
            let n_keys = self.partition_cols().len() + 1;
            if keys.is_empty() {
                keys = named[..n_keys].to_vec();
            }
            cols.extend(named[n_keys..].iter().cloned());
        }
        cols.sort_by(|a, b| a.0.cmp(&b.0));
        keys.extend(cols);
        Ok(Tsdf::from_parts(
            batch_of(keys)?,
            self.ts_col().to_string(),
            self.partition_cols().to_vec(),
            None,
        ))
    }
}

/// Tempo's `fill=True`: per series, every bucket from the first to the last is generated; the
/// generated rows are NULL except that `int`/`float`/`double` columns are zero-filled (in every
/// row, as Spark's `na.fill(0, cols)` does). Rows with a NULL ts or NULL partition key vanish
/// (Tempo's left join cannot match NULL keys).
pub(crate) fn fill_gaps(res: &Tsdf, width: i64) -> Result<Tsdf> {
    let ts = TsKeys::new(res.column(res.ts_col())?)?;
    let n_parts = res.partition_cols().len();
    let named = crate::values::named_columns(res.df());
    let part_nulls: Vec<bool> = (0..res.num_rows())
        .map(|i| named[..n_parts].iter().any(|(_, c)| c.is_null(i)))
        .collect();
    let mut src: Vec<Option<u32>> = Vec::new();
    let mut rep: Vec<Option<u32>> = Vec::new();
    let mut new_ts: Vec<Option<i64>> = Vec::new();
    let n = res.num_rows();
    let mut i = 0;
    while i < n {
        let mut j = i;
        let same_series = |a: usize, b: usize| {
            named[..n_parts].iter().all(|(_, c)| {
                let cmp =
                    arrow::array::make_comparator(c.as_ref(), c.as_ref(), SortOptions::default());
                cmp.map(|f| f(a, b).is_eq()).unwrap_or(false)
            })
        };
        while j < n && same_series(i, j) {
            j += 1;
        }
        let valid: Vec<usize> = (i..j)
            .filter(|&r| ts.is_valid(r) && !part_nulls[r])
            .collect();
        if let (Some(&first), Some(&last)) = (valid.first(), valid.last()) {
            let mut k = valid.iter().peekable();
            let mut t = ts.key[first];
            while t <= ts.key[last] {
                while k.peek().is_some_and(|&&r| ts.key[r] < t) {
                    k.next();
                }
                let hit = k.peek().filter(|&&&r| ts.key[r] == t).map(|&&r| r as u32);
                src.push(hit);
                rep.push(Some(first as u32));
                new_ts.push(Some(t));
                t += width;
            }
        }
        i = j;
    }
    let mut cols = Vec::new();
    for (idx, (name, col)) in named.iter().enumerate() {
        let out = if idx < n_parts {
            take_opt(col, &rep)?
        } else if name == res.ts_col() {
            crate::values::ts_array(new_ts.clone(), col.data_type())
        } else {
            let taken = take_opt(col, &src)?;
            zero_fill(taken)?
        };
        cols.push((name.clone(), out));
    }
    Ok(Tsdf::from_parts(
        batch_of(cols)?,
        res.ts_col().to_string(),
        res.partition_cols().to_vec(),
        None,
    ))
}

/// Replaces NULLs by 0 in `int`, `float` and `double` columns (Tempo's dtype list); other
/// types (bigint, smallint, decimal, strings…) are returned unchanged.
fn zero_fill(col: ArrayRef) -> Result<ArrayRef> {
    if !matches!(
        col.data_type(),
        DataType::Int32 | DataType::Float32 | DataType::Float64
    ) || col.null_count() == 0
    {
        return Ok(col);
    }
    let zero = cast(
        &(Arc::new(arrow::array::Int32Array::from(vec![0])) as ArrayRef),
        col.data_type(),
    )?;
    let zeros = arrow::compute::take(
        zero.as_ref(),
        &arrow::array::UInt32Array::from(vec![0; col.len()]),
        None,
    )?;
    let valid = arrow::compute::is_not_null(col.as_ref())?;
    Ok(crate::select(&valid, &col, &zeros)?)
}
