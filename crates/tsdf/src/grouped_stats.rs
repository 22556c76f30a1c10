//! `withGroupedStats`: the stats of each series and `freq` bucket.

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::freq::parse_freq;
use crate::range_stats::{MetricStats, STAT_NAMES};
use crate::resample::{assign_buckets, spark_double_cmp};
use crate::values::{F64Column, batch_of, take_opt};

impl Tsdf {
    /// Tempo's `withGroupedStats(metricCols=None, freq=None)`: per series and `freq` bucket,
    /// `mean_ count_ min_ max_ sum_ stddev_` of each metric; columns = partition cols, stats,
    /// then ts (the bucket start) **last**. `freq` is required (Tempo: `TypeError` for `None`).
    pub fn with_grouped_stats(
        &self,
        metric_cols: Option<&[String]>,
        freq: Option<&str>,
    ) -> Result<Tsdf> {
        let freq = freq.ok_or_else(|| TsdfError::InvalidArgument {
            param: "freq",
            message: "withGroupedStats needs a frequency".into(),
        })?;
        let freq = parse_freq(freq)?;
        let metrics = self.stats_columns(metric_cols, "metricCols")?;
        let ts = self.timestamp_keys("withGroupedStats")?;
        let parts = self
            .partition_cols()
            .iter()
            .map(|c| self.column(c).cloned())
            .collect::<Result<Vec<_>>>()?;
        let groups = assign_buckets(&parts, &ts, freq.micros)?;
        let g = groups.pid.len();
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); g];
        for (i, &gr) in groups.of_row.iter().enumerate() {
            members[gr as usize].push(i as u32);
        }
        let rep: Vec<Option<u32>> = groups
            .pid
            .iter()
            .map(|&p| Some(groups.pids.first_row[p as usize]))
            .collect();
        let mut cols = Vec::new();
        for (p, c) in self.partition_cols().iter().zip(&parts) {
            cols.push((p.clone(), take_opt(c, &rep)?));
        }
        for m in &metrics {
            let col = self.column(m)?;
            let vals = F64Column::new(col)?;
            let mut stats = MetricStats::new(g);
            for (gi, rows) in members.iter().enumerate() {
                let xs: Vec<(u32, f64)> = rows
                    .iter()
                    .filter_map(|&r| vals.get(r as usize).map(|x| (r, x)))
                    .collect();
                let n = xs.len();
                stats.count[gi] = n as i64;
                if n == 0 {
                    continue;
                }
                let sum: f64 = xs.iter().map(|p| p.1).sum();
                let mean = sum / n as f64;
                stats.mean[gi] = mean;
                stats.sum[gi] = sum;
                stats.isum[gi] = xs.iter().map(|p| p.1 as i64).sum();
                stats.min[gi] = xs
                    .iter()
                    .min_by(|a, b| spark_double_cmp(a.1, b.1))
                    .map_or(0, |p| p.0);
                stats.max[gi] = xs
                    .iter()
                    .rev()
                    .max_by(|a, b| spark_double_cmp(a.1, b.1))
                    .map_or(0, |p| p.0);
                if n > 1 {
                    let ss: f64 = xs.iter().map(|p| (p.1 - mean) * (p.1 - mean)).sum();
                    stats.stddev[gi] = (ss / (n - 1) as f64).sqrt();
                }
            }
            for (stat, arr) in STAT_NAMES.iter().zip(stats.arrays(col, None)?) {
                cols.push((format!("{stat}_{m}"), arr));
            }
        }
        let starts: Vec<Option<i64>> = groups
            .bucket
            .iter()
            .map(|&b| (b != i64::MIN).then(|| b * freq.micros))
            .collect();
        let ts_type = self.column(self.ts_col())?.data_type().clone();
        cols.push((
            self.ts_col().into(),
            crate::values::ts_array(starts, &ts_type),
        ));
        Ok(Tsdf::from_parts(
            batch_of(cols)?,
            self.ts_col().into(),
            self.partition_cols().to_vec(),
            None,
        ))
    }
}
