//! `withRangeStats` (trailing time-range window stats) and `withGroupedStats` (per bucket).

mod columns;
mod frames;
mod metric;
mod outputs;
mod sliding;
mod two_stacks;

use arrow::array::ArrayRef;
use arrow::buffer::NullBuffer;
use arrow::datatypes::DataType;

pub(crate) use columns::{MetricStats, STAT_NAMES};

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::series::tsdf_series;
use crate::values::{batch_of, named_columns};
use frames::SeriesLayout;
use metric::{Metric, Values, metric_nulls};
use outputs::WindowStats;
use sliding::range_window_stats;

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

/// The window stats of one metric column `col` (validity `nulls`), counting with
/// `shared_count` when given instead of a count column of its own.
fn metric_window_stats(
    col: &ArrayRef,
    nulls: Option<&NullBuffer>,
    layout: &SeriesLayout<'_>,
    width: f64,
    shared_count: Option<ArrayRef>,
) -> Result<WindowStats> {
    fn run<V: Values + ?Sized>(
        vals: &V,
        (col, nulls): (&ArrayRef, Option<&NullBuffer>),
        layout: &SeriesLayout<'_>,
        width: f64,
        shared_count: Option<ArrayRef>,
    ) -> WindowStats {
        let dt = col.data_type();
        let mut out = WindowStats::new(col.len(), dt, V::INTEGER, shared_count);
        range_window_stats(vals, nulls, layout, width, &mut out);
        out
    }
    let c = (col, nulls);
    Ok(match Metric::new(col)? {
        Metric::F64(v) => run(v, c, layout, width, shared_count),
        Metric::F32(v) => run(v, c, layout, width, shared_count),
        Metric::I32(v) => run(v, c, layout, width, shared_count),
        Metric::I64(v) => run(v, c, layout, width, shared_count),
        Metric::CastFloats(v) => run(&v, c, layout, width, shared_count),
        Metric::CastInts(v) => run(&v, c, layout, width, shared_count),
    })
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
        let mut cols = named_columns(self.df());
        let mut zscores = Vec::new();
        // Metrics without NULLs count the same rows in every window: one count column serves
        // them all (Arrow buffers are shared, not copied).
        let mut no_null_count: Option<ArrayRef> = None;
        // One metric at a time: the outputs and window state of all metrics at once compete
        // for cache (measured slower than repeating the cheap frame search per metric).
        for m in &metrics {
            let col = self.column(m)?;
            let nulls = metric_nulls(col);
            let shared = no_null_count.clone().filter(|_| nulls.is_none());
            let width = opts.range_back_window_secs;
            let out = metric_window_stats(col, nulls.as_ref(), &layout, width, shared)?;
            let (stats, zscore) = out.arrays(col, nulls.as_ref())?;
            if nulls.is_none() && no_null_count.is_none() {
                no_null_count = Some(stats[1].clone());
            }
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
