//! `withRangeStats` (trailing time-range window stats) and `withGroupedStats` (per bucket).

use std::collections::VecDeque;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int64Array, UInt32Array};
use arrow::buffer::{NullBuffer, ScalarBuffer};
use arrow::compute::cast;
use arrow::compute::take;
use arrow::datatypes::DataType;

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::resample::spark_double_cmp;
use crate::series::tsdf_series;
use crate::values::{F64Column, batch_of, named_columns};

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

/// Stats Tempo computes per metric, in its column order.
pub(crate) const STAT_NAMES: [&str; 6] = ["mean", "count", "min", "max", "sum", "stddev"];

/// Re-anchor the running sums at least this often (rows): sums are kept relative to a recent
/// value so that the variance does not lose digits to cancellation.
const MIN_REANCHOR_INTERVAL: usize = 16;

fn is_stats_type(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Int32 | DataType::Int64 | DataType::Float32 | DataType::Float64
    )
}

/// Output of one metric's window pass, per row.
pub(crate) struct MetricStats {
    pub(crate) mean: Vec<f64>,
    pub(crate) count: Vec<i64>,
    pub(crate) min: Vec<u32>,
    pub(crate) max: Vec<u32>,
    pub(crate) sum: Vec<f64>,
    pub(crate) isum: Vec<i64>,
    pub(crate) stddev: Vec<f64>,
}

impl MetricStats {
    pub(crate) fn new(n: usize) -> Self {
        MetricStats {
            mean: vec![0.0; n],
            count: vec![0; n],
            min: vec![0; n],
            max: vec![0; n],
            sum: vec![0.0; n],
            isum: vec![0; n],
            stddev: vec![0.0; n],
        }
    }

    /// Builds the six stat columns without copying: a value is valid when the window has at
    /// least one value (`count > 0`), the stddev when it has two.
    pub(crate) fn arrays(self, col: &ArrayRef) -> Result<Vec<ArrayRef>> {
        let some = NullBuffer::from(self.count.iter().map(|&c| c > 0).collect::<Vec<_>>());
        let two = NullBuffer::from(self.count.iter().map(|&c| c > 1).collect::<Vec<_>>());
        let f = |v: Vec<f64>, nulls: &NullBuffer| -> ArrayRef {
            Arc::new(Float64Array::new(
                ScalarBuffer::from(v),
                Some(nulls.clone()),
            ))
        };
        let idx = |v: Vec<u32>| UInt32Array::new(ScalarBuffer::from(v), Some(some.clone()));
        let sum: ArrayRef = if col.data_type().is_integer() {
            Arc::new(Int64Array::new(
                ScalarBuffer::from(self.isum),
                Some(some.clone()),
            ))
        } else {
            f(self.sum, &some)
        };
        Ok(vec![
            f(self.mean, &some),
            Arc::new(Int64Array::from(self.count)),
            take(col.as_ref(), &idx(self.min), None)?,
            take(col.as_ref(), &idx(self.max), None)?,
            sum,
            f(self.stddev, &two),
        ])
    }
}

/// Sliding sums of values relative to an anchor `c`, with Neumaier-compensated updates.
#[derive(Default)]
struct ShiftedSums {
    c: f64,
    n: i64,
    s1: (f64, f64),
    s2: (f64, f64),
    isum: i64,
}

fn neumaier(acc: &mut (f64, f64), x: f64) {
    let t = acc.0 + x;
    acc.1 += if acc.0.abs() >= x.abs() {
        (acc.0 - t) + x
    } else {
        (x - t) + acc.0
    };
    acc.0 = t;
}

impl ShiftedSums {
    fn add(&mut self, x: f64, xi: i64, sign: i64) {
        let d = x - self.c;
        let s = sign as f64;
        neumaier(&mut self.s1, s * d);
        neumaier(&mut self.s2, s * d * d);
        self.n += sign;
        self.isum = self.isum.wrapping_add(sign * xi);
    }
}

/// The stats of the window `rows[lo..hi]` of one metric, written to every row of `peers`.
/// Kernel over one series in window order: `keys` are the order keys (double epoch seconds).
fn range_window_kernel(
    xs: &[Option<f64>],
    ints: Option<&[i64]>,
    rows: &[u32],
    keys: &[f64],
    width: f64,
    out: &mut MetricStats,
) {
    let get = |pos: usize| xs[pos];
    let mut recips: Vec<f64> = Vec::new();
    let mut sums = ShiftedSums::default();
    let mut since_anchor = usize::MAX;
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut min_q: VecDeque<usize> = VecDeque::new();
    let mut max_q: VecDeque<usize> = VecDeque::new();
    let mut k = 0;
    while k < rows.len() {
        let mut peer_end = k + 1;
        while peer_end < rows.len() && keys[peer_end] == keys[k] {
            peer_end += 1;
        }
        let bound = keys[k] - width;
        while hi < peer_end {
            if let Some(x) = get(hi) {
                sums.add(x, ints.map_or(0, |v| v[hi]), 1);
                while min_q
                    .back()
                    .is_some_and(|&b| spark_double_cmp(get(b).unwrap_or(0.0), x).is_gt())
                {
                    min_q.pop_back();
                }
                min_q.push_back(hi);
                while max_q
                    .back()
                    .is_some_and(|&b| spark_double_cmp(get(b).unwrap_or(0.0), x).is_lt())
                {
                    max_q.pop_back();
                }
                max_q.push_back(hi);
            }
            hi += 1;
        }
        while lo < hi && keys[lo] < bound {
            if let Some(x) = get(lo) {
                sums.add(x, ints.map_or(0, |v| v[lo]), -1);
            }
            lo += 1;
        }
        while min_q.front().is_some_and(|&f| f < lo) {
            min_q.pop_front();
        }
        while max_q.front().is_some_and(|&f| f < lo) {
            max_q.pop_front();
        }
        since_anchor = since_anchor.saturating_add(peer_end - k);
        if since_anchor >= (hi - lo).max(MIN_REANCHOR_INTERVAL) {
            let isum = sums.isum;
            let n = sums.n;
            sums = ShiftedSums {
                c: (lo..hi).find_map(get).unwrap_or(0.0),
                isum,
                ..Default::default()
            };
            (lo..hi).filter_map(get).for_each(|x| {
                let d = x - sums.c;
                neumaier(&mut sums.s1, d);
                neumaier(&mut sums.s2, d * d);
            });
            sums.n = n;
            since_anchor = 0;
        }
        let n = sums.n;
        let s1 = sums.s1.0 + sums.s1.1;
        let s2 = sums.s2.0 + sums.s2.1;
        // Once per peer group; reciprocals from a table, since the divisions dominated the
        // profile of this loop.
        let (mean, sum, sd) = if n > 0 {
            let m1 = s1 * recip(&mut recips, n as usize);
            let sd = if n > 1 {
                ((s2 - s1 * m1) * recip(&mut recips, n as usize - 1))
                    .max(0.0)
                    .sqrt()
            } else {
                0.0
            };
            (sums.c + m1, sums.c * n as f64 + s1, sd)
        } else {
            (0.0, 0.0, 0.0)
        };
        let (lo_row, hi_row) = (
            min_q.front().map_or(0, |&p| rows[p]),
            max_q.front().map_or(0, |&p| rows[p]),
        );
        for &row in &rows[k..peer_end] {
            let r = row as usize;
            out.count[r] = n;
            out.mean[r] = mean;
            out.sum[r] = sum;
            out.isum[r] = sums.isum;
            out.min[r] = lo_row;
            out.max[r] = hi_row;
            out.stddev[r] = sd;
        }
        k = peer_end;
    }
}

/// `1/n` from a growing table.
fn recip(table: &mut Vec<f64>, n: usize) -> f64 {
    while table.len() <= n {
        table.push(1.0 / table.len() as f64);
    }
    table[n]
}

/// `(x - mean) / stddev`, NULL when any part is NULL or stddev is 0.
fn zscore(vals: &F64Column, mean: &ArrayRef, stddev: &ArrayRef) -> ArrayRef {
    let mean = mean.as_any().downcast_ref::<Float64Array>();
    let sd = stddev.as_any().downcast_ref::<Float64Array>();
    let (Some(mean), Some(sd)) = (mean, sd) else {
        return Arc::new(Float64Array::from(Vec::<Option<f64>>::new()));
    };
    let out: Float64Array = (0..mean.len())
        .map(|i| {
            let x = vals.get(i)?;
            let (m, s) = (mean.is_valid_at(i)?, sd.is_valid_at(i)?);
            (s != 0.0).then(|| (x - m) / s)
        })
        .collect();
    Arc::new(out)
}

trait ValidAt {
    fn is_valid_at(&self, i: usize) -> Option<f64>;
}

impl ValidAt for Float64Array {
    fn is_valid_at(&self, i: usize) -> Option<f64> {
        arrow::array::Array::is_valid(self, i).then(|| self.value(i))
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
    /// O(n) per metric: a two-pointer window with monotonic queues for min/max.
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
        let n = self.num_rows();
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
        let mut cols = named_columns(self.df());
        let mut zscores = Vec::new();
        for m in &metrics {
            let col = self.column(m)?;
            let vals = F64Column::new(col)?;
            let ints: Option<Vec<i64>> = col.data_type().is_integer().then(|| {
                let c = cast(col, &DataType::Int64).ok();
                c.map(|c| {
                    c.as_any()
                        .downcast_ref::<Int64Array>()
                        .map(|a| a.values().to_vec())
                        .unwrap_or_default()
                })
                .unwrap_or_default()
            });
            // Read the series order contiguously (one gather); results are written in input
            // order straight into the Arrow value buffers.
            let order = &series.order;
            let xs: Vec<Option<f64>> = order.iter().map(|&r| vals.get(r as usize)).collect();
            let ints: Option<Vec<i64>> =
                ints.map(|v| order.iter().map(|&r| v[r as usize]).collect());
            let mut stats = MetricStats::new(n);
            for run in &series.runs {
                let (rows, keys) = (&order[run.clone()], &keys[run.clone()]);
                let xs = &xs[run.clone()];
                let ints = ints.as_deref().map(|v| &v[run.clone()]);
                let nulls_end = keys
                    .iter()
                    .position(|k| k.is_finite())
                    .unwrap_or(rows.len());
                // NULL timestamps form one peer group of their own.
                range_window_kernel(
                    &xs[..nulls_end],
                    ints.map(|v| &v[..nulls_end]),
                    &rows[..nulls_end],
                    &keys[..nulls_end],
                    f64::INFINITY,
                    &mut stats,
                );
                range_window_kernel(
                    &xs[nulls_end..],
                    ints.map(|v| &v[nulls_end..]),
                    &rows[nulls_end..],
                    &keys[nulls_end..],
                    opts.range_back_window_secs,
                    &mut stats,
                );
            }
            let arrays = stats.arrays(col)?;
            zscores.push((format!("zscore_{m}"), zscore(&vals, &arrays[0], &arrays[5])));
            for (stat, arr) in STAT_NAMES.iter().zip(arrays) {
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
