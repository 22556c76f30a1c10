//! `resample` and `calc_bars`: epoch-aligned tumbling buckets per series, as bucket arithmetic.

mod buckets;
mod fill;

use std::cmp::Ordering;

use arrow::array::{Array, ArrayRef};
use arrow::datatypes::DataType;

pub(crate) use buckets::{
    Buckets, NULL_BUCKET, assign_buckets, comparator, group_extreme, group_mean, spark_double_cmp,
};

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::freq::{Freq, parse_freq};
use crate::series::TsKeys;
use crate::values::{batch_of, take_opt};

/// Tempo's resample aggregate functions (`func`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResampleFunc {
    /// `"floor"`: the whole earliest row of the bucket (NULLs kept).
    Floor,
    /// `"ceil"`: the whole latest row of the bucket (NULLs kept).
    Ceil,
    /// `"min"`: per-column minimum, NULLs ignored, type kept.
    Min,
    /// `"max"`: per-column maximum, NULLs ignored, type kept.
    Max,
    /// `"mean"`: per-column average as double, NULLs ignored.
    Mean,
}

impl ResampleFunc {
    /// Parses Tempo's function names (`floor ceil min max mean`, exact spelling).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(tsdf::ResampleFunc::parse("mean").unwrap(), tsdf::ResampleFunc::Mean);
    /// assert!(tsdf::ResampleFunc::parse("median").is_err());
    /// ```
    pub fn parse(func: &str) -> Result<Self> {
        match func {
            "floor" => Ok(ResampleFunc::Floor),
            "ceil" => Ok(ResampleFunc::Ceil),
            "min" => Ok(ResampleFunc::Min),
            "max" => Ok(ResampleFunc::Max),
            "mean" => Ok(ResampleFunc::Mean),
            other => Err(TsdfError::InvalidArgument {
                param: "func",
                message: format!("`{other}` is not one of floor, ceil, min, max, mean"),
            }),
        }
    }

    /// Tempo's name of the function.
    pub fn as_str(self) -> &'static str {
        match self {
            ResampleFunc::Floor => "floor",
            ResampleFunc::Ceil => "ceil",
            ResampleFunc::Min => "min",
            ResampleFunc::Max => "max",
            ResampleFunc::Mean => "mean",
        }
    }
}

/// Options of [`Tsdf::resample`]; `Default` is Tempo's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResampleOptions {
    /// `metricCols`: columns to aggregate; `None` = every column but the partition and ts columns.
    pub metric_cols: Option<Vec<String>>,
    /// `prefix`: output columns become `<prefix>_<col>`.
    pub prefix: Option<String>,
    /// `fill`: generate every bucket between a series' first and last and zero-fill the
    /// `int`/`float`/`double` columns (others stay NULL).
    pub fill: Option<bool>,
    /// `perform_checks`: Tempo only logs warnings with it; accepted, no effect.
    pub perform_checks: bool,
}

/// The result of [`Tsdf::resample`] (Tempo's `_ResampledTSDF`): a TSDF that remembers `freq`
/// and `func` for a chained [`ResampledTsdf::interpolate`].
#[derive(Debug, Clone)]
pub struct ResampledTsdf {
    pub(crate) tsdf: Tsdf,
    pub(crate) freq: String,
    pub(crate) func: ResampleFunc,
}

impl ResampledTsdf {
    /// The resampled frame as a TSDF.
    pub fn tsdf(&self) -> &Tsdf {
        &self.tsdf
    }

    /// The resampled frame as a TSDF, by value.
    pub fn into_tsdf(self) -> Tsdf {
        self.tsdf
    }

    /// The data (Tempo's `.df`).
    pub fn df(&self) -> &arrow::array::RecordBatch {
        self.tsdf.df()
    }

    /// The `freq` the frame was resampled with.
    pub fn freq(&self) -> &str {
        &self.freq
    }

    /// The `func` the frame was resampled with.
    pub fn func(&self) -> ResampleFunc {
        self.func
    }
}

impl Tsdf {
    /// Tempo's `resample(freq, func, metricCols=None, prefix=None, fill=None)`.
    ///
    /// Buckets are tumbling windows of `freq` aligned to the Unix epoch in UTC; the output ts is
    /// the bucket start. Output columns: partition columns, ts, then the metric columns (named
    /// `<prefix>_<col>` with a prefix) **sorted by name**; one row per non-empty bucket (per
    /// series, buckets in time order). See [`ResampleFunc`] and [`ResampleOptions`].
    ///
    /// # Examples
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow::array::*;
    /// # use arrow::datatypes::*;
    /// use tsdf::{ResampleOptions, Tsdf, timestamp_type};
    /// let schema = Arc::new(Schema::new(vec![
    ///     Field::new("ts", timestamp_type(), false),
    ///     Field::new("x", DataType::Float64, true),
    /// ]));
    /// let minute = 60_000_000;
    /// let batch = RecordBatch::try_new(schema, vec![
    ///     Arc::new(TimestampMicrosecondArray::from(vec![0, minute / 2, minute]).with_timezone("UTC")),
    ///     Arc::new(Float64Array::from(vec![1.0, 3.0, 10.0])),
    /// ]).unwrap();
    /// let out = Tsdf::new(batch, "ts", &[], None).unwrap()
    ///     .resample("1 minute", "mean", &ResampleOptions::default()).unwrap();
    /// let x = out.df().column_by_name("x").unwrap().as_any().downcast_ref::<Float64Array>().unwrap();
    /// assert_eq!(x.values().to_vec(), vec![2.0, 10.0]);
    /// ```
    pub fn resample(
        &self,
        freq: &str,
        func: &str,
        opts: &ResampleOptions,
    ) -> Result<ResampledTsdf> {
        let func = ResampleFunc::parse(func)?;
        let parsed = parse_freq(freq)?;
        let tsdf = self.resample_with(&parsed, func, opts)?;
        Ok(ResampledTsdf {
            tsdf,
            freq: freq.to_string(),
            func,
        })
    }

    /// The metric columns of a resample-like call (resolved names).
    pub(crate) fn metric_columns(
        &self,
        metric_cols: Option<&[String]>,
        role: &'static str,
    ) -> Result<Vec<String>> {
        match metric_cols {
            Some(cols) => cols.iter().map(|c| self.resolve(c, role)).collect(),
            None => Ok(self
                .columns()
                .into_iter()
                .filter(|c| c != self.ts_col() && !self.partition_cols().contains(c))
                .collect()),
        }
    }

    /// Tempo's default `metricCols` in its (Python set) order:
    /// `list(set(df.columns + ["agg_key"]) - set(partition_cols + ["agg_key", ts_col]))`.
    fn tempo_set_order(&self) -> Vec<String> {
        let mut all = self.columns();
        all.push("agg_key".into());
        let mut removed: Vec<String> = self.partition_cols().to_vec();
        removed.push("agg_key".into());
        removed.push(self.ts_col().into());
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let removed: Vec<&str> = removed.iter().map(String::as_str).collect();
        crate::pyset::set_difference_order(&all, &removed)
    }

    /// The ts column, required to be a timestamp for `operation`.
    pub(crate) fn timestamp_keys(&self, operation: &'static str) -> Result<TsKeys> {
        let col = self.column(self.ts_col())?;
        if !matches!(col.data_type(), DataType::Timestamp(..)) {
            return Err(TsdfError::InvalidColumnType {
                column: self.ts_col().to_string(),
                data_type: col.data_type().clone(),
                operation,
                expected: "a timestamp ts column",
                valid: self.columns(),
            });
        }
        TsKeys::new(col)
    }

    pub(crate) fn resample_with(
        &self,
        freq: &Freq,
        func: ResampleFunc,
        opts: &ResampleOptions,
    ) -> Result<Tsdf> {
        let ts = self.timestamp_keys("resample")?;
        let metrics = self.metric_columns(opts.metric_cols.as_deref(), "metricCols")?;
        let parts = self
            .partition_cols()
            .iter()
            .map(|c| self.column(c).cloned())
            .collect::<Result<Vec<_>>>()?;
        let groups = assign_buckets(&parts, &ts, freq.micros)?;
        let n_groups = groups.pid.len();
        let prefix = opts
            .prefix
            .as_deref()
            .map(|p| format!("{p}_"))
            .unwrap_or_default();
        let mut metric_out: Vec<(String, ArrayRef)> = Vec::with_capacity(metrics.len());
        let whole_row = match func {
            ResampleFunc::Floor | ResampleFunc::Ceil => {
                let order = match &opts.metric_cols {
                    Some(_) => metrics.clone(),
                    None => self.tempo_set_order(),
                };
                Some(self.whole_row_pick(&ts, &order, &groups, func)?)
            }
            _ => None,
        };
        for m in &metrics {
            let col = self.column(m)?;
            let out = match func {
                ResampleFunc::Mean => group_mean(col, &groups.of_row, n_groups)?,
                ResampleFunc::Min => take_opt(
                    col,
                    &group_extreme(col, &groups.of_row, n_groups, Ordering::Less)?,
                )?,
                ResampleFunc::Max => take_opt(
                    col,
                    &group_extreme(col, &groups.of_row, n_groups, Ordering::Greater)?,
                )?,
                ResampleFunc::Floor | ResampleFunc::Ceil => {
                    take_opt(col, whole_row.as_deref().unwrap_or_default())?
                }
            };
            metric_out.push((format!("{prefix}{m}"), out));
        }
        metric_out.sort_by(|a, b| a.0.cmp(&b.0));
        let starts: Vec<Option<i64>> = groups
            .bucket
            .iter()
            .map(|&b| (b != NULL_BUCKET).then(|| b * freq.micros))
            .collect();
        let rep: Vec<Option<u32>> = groups
            .pid
            .iter()
            .map(|&p| Some(groups.pids.first_row[p as usize]))
            .collect();
        let mut cols = Vec::new();
        for (p, c) in self.partition_cols().iter().zip(&parts) {
            cols.push((p.clone(), take_opt(c, &rep)?));
        }
        let ts_type = self.column(self.ts_col())?.data_type().clone();
        cols.push((
            self.ts_col().to_string(),
            crate::values::ts_array(starts, &ts_type),
        ));
        cols.extend(metric_out);
        let batch = batch_of(cols)?;
        let out = Tsdf::from_parts(
            batch,
            self.ts_col().to_string(),
            self.partition_cols().to_vec(),
            None,
        );
        if opts.fill == Some(true) {
            fill::fill_gaps(&out, freq.micros)
        } else {
            Ok(out)
        }
    }

    /// Per group, the row whose struct `(ts, metrics…)` is smallest (floor) or largest (ceil),
    /// NULL < value in every field.
    fn whole_row_pick(
        &self,
        ts: &TsKeys,
        metrics: &[String],
        groups: &Buckets,
        func: ResampleFunc,
    ) -> Result<Vec<Option<u32>>> {
        let cmps = metrics
            .iter()
            .map(|m| comparator(self.column(m)?))
            .collect::<Result<Vec<_>>>()?;
        let want = if func == ResampleFunc::Floor {
            Ordering::Less
        } else {
            Ordering::Greater
        };
        let row_cmp = |a: usize, b: usize| {
            let ka = (ts.is_valid(a), ts.key[a]);
            let kb = (ts.is_valid(b), ts.key[b]);
            ka.cmp(&kb).then_with(|| {
                cmps.iter()
                    .map(|c| c(a, b))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
        };
        let mut best: Vec<Option<u32>> = vec![None; groups.pid.len()];
        for (i, &g) in groups.of_row.iter().enumerate() {
            let slot = &mut best[g as usize];
            match slot {
                Some(b) if row_cmp(i, *b as usize) != want => {}
                _ => *slot = Some(i as u32),
            }
        }
        Ok(best)
    }
}
