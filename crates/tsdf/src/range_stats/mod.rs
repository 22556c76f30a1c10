//! `withRangeStats` (trailing time-range window stats) and `withGroupedStats` (per bucket).

mod columns;
mod frames;
mod metric;
mod outputs;
mod sliding;
mod two_stacks;

use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array};
use arrow::buffer::{NullBuffer, ScalarBuffer};
use arrow::datatypes::DataType;

pub(crate) use columns::{MetricStats, STAT_NAMES};

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::series::tsdf_series;
use crate::values::{batch_of, named_columns};
use frames::SeriesLayout;
use metric::{Metric, Values, metric_nulls};
use outputs::WindowStats;
use sliding::{MetricPass, MetricWindows, range_window_stats};

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

/// The window pass of one metric `vals` (column `col`, validity `nulls`).
fn metric_pass<'a>(
    vals: &'a Metric<'a>,
    col: &ArrayRef,
    nulls: Option<&'a NullBuffer>,
    order: &'a [u32],
) -> Box<dyn MetricPass + 'a> {
    fn pass<'a, V: Values + ?Sized>(
        v: &'a V,
        col: &ArrayRef,
        nulls: Option<&'a NullBuffer>,
        order: &'a [u32],
    ) -> Box<dyn MetricPass + 'a> {
        let out = WindowStats::new(col.len(), col.data_type(), V::INTEGER, nulls.is_some());
        Box::new(MetricWindows::new(v, nulls, order, out))
    }
    match vals {
        Metric::F64(v) => pass(*v, col, nulls, order),
        Metric::F32(v) => pass(*v, col, nulls, order),
        Metric::I32(v) => pass(*v, col, nulls, order),
        Metric::I64(v) => pass(*v, col, nulls, order),
        Metric::CastFloats(v) => pass(v, col, nulls, order),
        Metric::CastInts(v) => pass(v, col, nulls, order),
    }
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
    /// O(n) per metric: each series is walked in time order, every frame's bounds found once
    /// for all metrics, and each metric's two-stack summary queue (sum, Welford moments, min,
    /// max) slides along them.
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
        let keys: Vec<f64> = series.gather(|r| {
            if ts.is_valid(r) {
                ts.double_ts(r)
            } else {
                f64::NEG_INFINITY
            }
        });
        drop(ts);
        let layout = SeriesLayout::new(&series.order, &series.runs, keys);
        let n = self.num_rows();
        let cols_in: Vec<&ArrayRef> = metrics
            .iter()
            .map(|m| self.column(m))
            .collect::<Result<_>>()?;
        let nulls: Vec<Option<NullBuffer>> = cols_in.iter().map(|c| metric_nulls(c)).collect();
        let values: Vec<Metric<'_>> = cols_in
            .iter()
            .map(|c| Metric::new(c))
            .collect::<Result<_>>()?;
        let mut passes: Vec<Box<dyn MetricPass + '_>> = values
            .iter()
            .zip(&cols_in)
            .zip(&nulls)
            .map(|((v, col), nulls)| metric_pass(v, col, nulls.as_ref(), &series.order))
            .collect();
        // Metrics without NULLs count the rows of each window: one count column serves them
        // all (Arrow buffers are shared, not copied).
        let mut shared_counts = nulls.iter().any(Option::is_none).then(|| vec![0i64; n]);
        let width = opts.range_back_window_secs;
        range_window_stats(&mut passes, &layout, width, shared_counts.as_deref_mut());
        let shared_count: Option<ArrayRef> = shared_counts
            .map(|c| Arc::new(Int64Array::new(ScalarBuffer::from(c), None)) as ArrayRef);
        let mut cols = named_columns(self.df());
        let mut zscores = Vec::new();
        for ((m, pass), (col, nulls)) in metrics.iter().zip(passes).zip(cols_in.iter().zip(&nulls))
        {
            let out = pass.into_stats();
            let (stats, zscore) = out.arrays(col, nulls.as_ref(), shared_count.as_ref())?;
            zscores.push((format!("zscore_{m}"), zscore));
            for (stat, arr) in STAT_NAMES.iter().zip(stats) {
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
