//! `withRangeStats` (trailing time-range window stats) and `withGroupedStats` (per bucket).

mod columns;
mod frames;
mod sliding;
mod two_stacks;

use arrow::array::{ArrayRef, Int64Array};
use arrow::compute::cast;
use arrow::datatypes::DataType;

pub(crate) use columns::{MetricStats, STAT_NAMES};

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::series::tsdf_series;
use crate::values::{F64Column, batch_of, named_columns};
use columns::zscore_array;
use frames::SeriesLayout;
use sliding::{MetricValues, range_window_stats, window_outputs};

/// Options of [`Tsdf::with_range_stats`]; `Default` is Tempo's.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeStatsOptions {
    /// `type`: ignored by Tempo (always `"range"`).
    pub kind: String,
    /// `colsToSummarize`: `None` = every int/bigint/float/double column but ts and partition cols.
    pub cols_to_summarize: Option<Vec<String>>,
    /// `rangeBackWindowSecs` (default 1000): the window is `[ts - this, ts]`, both inclusive.
    pub range_back_window_secs: f64,
}

impl Default for RangeStatsOptions {
    fn default() -> Self {
        RangeStatsOptions {
            kind: "range".into(),
            cols_to_summarize: None,
            range_back_window_secs: 1000.0,
        }
    }
}

fn is_stats_type(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Int32 | DataType::Int64 | DataType::Float32 | DataType::Float64
    )
}

/// The values of an integer column as exact `i64` (NULL slots hold 0), `None` for floats.
fn integer_values(col: &ArrayRef) -> Result<Option<Vec<i64>>> {
    if !col.data_type().is_integer() {
        return Ok(None);
    }
    let wide = cast(col, &DataType::Int64)?;
    Ok(wide
        .as_any()
        .downcast_ref::<Int64Array>()
        .map(|a| a.values().to_vec()))
}

impl Tsdf {
    /// The default stats columns: int/bigint/float/double columns except ts and partition cols.
    pub(crate) fn stats_columns(
        &self,
        given: Option<&[String]>,
        role: &'static str,
    ) -> Result<Vec<String>> {
        let cols = match given {
            Some(c) => c
                .iter()
                .map(|c| self.resolve(c, role))
                .collect::<Result<Vec<_>>>()?,
            None => self
                .columns()
                .into_iter()
                .filter(|c| c != self.ts_col() && !self.partition_cols().contains(c))
                .filter(|c| self.column(c).is_ok_and(|a| is_stats_type(a.data_type())))
                .collect(),
        };
        for c in &cols {
            let dt = self.column(c)?.data_type();
            if !dt.is_numeric() {
                return Err(TsdfError::InvalidColumnType {
                    column: c.clone(),
                    data_type: dt.clone(),
                    operation: "withRangeStats/withGroupedStats",
                    expected: "a numeric column",
                    valid: self.columns(),
                });
            }
        }
        Ok(cols)
    }

    /// Tempo's `withRangeStats(type="range", colsToSummarize=None, rangeBackWindowSecs=1000)`.
    ///
    /// For every row, over the rows of its series whose ts lies in `[ts - W, ts]` (both ends
    /// inclusive, every row with an equal ts included): per metric `mean_`, `count_` (non-NULL),
    /// `min_`, `max_` (type kept), `sum_` (bigint for integers), `stddev_` (sample; NULL under 2
    /// values), then `zscore_<m> = (m - mean)/stddev` for every metric. Rows keep input order.
    /// O(n) per metric: a pass over the rows in input order slides each series' two-stack
    /// summary queue (sum, Welford moments, min, max) along its window bounds.
    ///
    /// Errors: a frame with a sequence column ([`TsdfError::RangeFrameWithSequence`], as Spark).
    pub fn with_range_stats(&self, opts: &RangeStatsOptions) -> Result<Tsdf> {
        if let Some(seq) = self.sequence_col() {
            return Err(TsdfError::RangeFrameWithSequence {
                ts_col: self.ts_col().into(),
                sequence_col: seq.into(),
            });
        }
        let metrics = self.stats_columns(opts.cols_to_summarize.as_deref(), "colsToSummarize")?;
        let (ts, series) = tsdf_series(self, false)?;
        let keys: Vec<f64> = series
            .order
            .iter()
            .map(|&r| {
                if ts.is_valid(r as usize) {
                    ts.double_ts(r as usize)
                } else {
                    f64::NEG_INFINITY
                }
            })
            .collect();
        let layout = SeriesLayout::new(&series.order, &series.runs, keys);
        let n = self.num_rows();
        let cols_in: Vec<&ArrayRef> = metrics
            .iter()
            .map(|m| self.column(m))
            .collect::<Result<_>>()?;
        let f64s = cols_in
            .iter()
            .map(|c| F64Column::new(c))
            .collect::<Result<Vec<_>>>()?;
        let ints = cols_in
            .iter()
            .map(|c| integer_values(c))
            .collect::<Result<Vec<_>>>()?;
        let values: Vec<MetricValues<'_>> = f64s
            .iter()
            .zip(&ints)
            .zip(&cols_in)
            .map(|((vals, ints), col)| MetricValues {
                xs: vals.values(),
                nulls: vals.nulls.as_ref(),
                ints: ints.as_deref(),
                is_f64: col.data_type() == &DataType::Float64,
            })
            .collect();
        let (mut outs, in_row_order) = window_outputs(&values, &layout);
        let width = opts.range_back_window_secs;
        // One metric at a time: the outputs and window state of all metrics at once compete
        // for cache (measured slower than repeating the cheap frame search per metric).
        for (vals, out) in values.chunks(1).zip(outs.chunks_mut(1)) {
            range_window_stats(vals, &layout, width, (out, in_row_order));
        }
        let mut cols = named_columns(self.df());
        let mut zscores = Vec::new();
        for (((m, col), vals), out) in metrics.iter().zip(&cols_in).zip(&f64s).zip(outs) {
            let all_valid = vals.nulls.is_none() && out.min_count > 1 && !out.zero_stddev;
            let (stats, z) = (out.stats, out.zscore);
            let zscore = zscore_array(
                z,
                vals.nulls.as_ref(),
                &stats.count,
                &stats.stddev,
                all_valid,
            );
            zscores.push((format!("zscore_{m}"), zscore));
            let min_count = Some(out.min_count.min(n as i64));
            for (stat, arr) in STAT_NAMES.iter().zip(stats.arrays(col, min_count)?) {
                cols.push((format!("{stat}_{m}"), arr));
            }
        }
        cols.extend(zscores);
        Ok(Tsdf::from_parts(
            batch_of(cols)?,
            self.ts_col().into(),
            self.partition_cols().to_vec(),
            None,
        ))
    }
}
