//! `resample` and `calc_bars`: epoch-aligned tumbling buckets per series, as bucket arithmetic.

use std::cmp::Ordering;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Float64Array};
use arrow::compute::SortOptions;
use arrow::datatypes::DataType;

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::freq::{Freq, parse_freq};
use crate::series::{FxMap, PartitionIds, TsKeys, partition_ids};
use crate::values::{F64Column, batch_of, take_opt};

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

/// Bucket key of a NULL timestamp (Spark groups NULL windows together; it sorts first).
const NULL_BUCKET: i64 = i64::MIN;

/// Rows grouped by (series, bucket): groups numbered in (series, bucket) order.
pub(crate) struct Buckets {
    pub of_row: Vec<u32>,
    pub pid: Vec<u32>,
    pub bucket: Vec<i64>,
    pub pids: PartitionIds,
}

/// Assigns every row its (series, bucket) group. Sensor data arrives in time order per series,
/// so a per-series "current bucket" cache answers almost every row without hashing.
pub(crate) fn assign_buckets(parts: &[ArrayRef], ts: &TsKeys, width: i64) -> Result<Buckets> {
    let n = ts.key.len();
    let pids = partition_ids(parts, n)?;
    let mut cache = vec![(NULL_BUCKET, u32::MAX); pids.n_groups];
    let mut map: FxMap<(u32, i64), u32> = FxMap::default();
    let mut pid = Vec::new();
    let mut bucket = Vec::new();
    let mut of_row = Vec::with_capacity(n);
    for i in 0..n {
        let p = pids.ids[i];
        let b = if ts.is_valid(i) {
            ts.key[i].div_euclid(width)
        } else {
            NULL_BUCKET
        };
        let slot = &mut cache[p as usize];
        let g = if slot.1 != u32::MAX && slot.0 == b {
            slot.1
        } else {
            let next = pid.len() as u32;
            let g = *map.entry((p, b)).or_insert_with(|| {
                pid.push(p);
                bucket.push(b);
                next
            });
            *slot = (b, g);
            g
        };
        of_row.push(g);
    }
    // Renumber groups in (series, bucket) order.
    let mut perm: Vec<u32> = (0..pid.len() as u32).collect();
    if !perm.windows(2).all(|w| {
        (pid[w[0] as usize], bucket[w[0] as usize]) <= (pid[w[1] as usize], bucket[w[1] as usize])
    }) {
        perm.sort_unstable_by_key(|&g| (pid[g as usize], bucket[g as usize]));
        let mut rank = vec![0u32; perm.len()];
        for (r, &g) in perm.iter().enumerate() {
            rank[g as usize] = r as u32;
        }
        of_row.iter_mut().for_each(|g| *g = rank[*g as usize]);
    }
    let (pid, bucket) = perm
        .iter()
        .map(|&g| (pid[g as usize], bucket[g as usize]))
        .unzip();
    Ok(Buckets {
        of_row,
        pid,
        bucket,
        pids,
    })
}

/// Per-group average of a column as double, NULLs ignored (NULL for an all-NULL group).
pub(crate) fn group_mean(col: &ArrayRef, of_row: &[u32], n_groups: usize) -> Result<ArrayRef> {
    let vals = F64Column::new(col)?;
    let mut sum = vec![0.0; n_groups];
    let mut count = vec![0u64; n_groups];
    match &vals.nulls {
        None => {
            for (&g, &v) in of_row.iter().zip(vals.values()) {
                sum[g as usize] += v;
                count[g as usize] += 1;
            }
        }
        Some(nulls) => {
            for (i, (&g, &v)) in of_row.iter().zip(vals.values()).enumerate() {
                if nulls.is_valid(i) {
                    sum[g as usize] += v;
                    count[g as usize] += 1;
                }
            }
        }
    }
    let out: Float64Array = sum
        .iter()
        .zip(&count)
        .map(|(&s, &c)| (c > 0).then(|| s / c as f64))
        .collect();
    Ok(Arc::new(out))
}

/// A row comparator for one column: NULL first, then the type's natural order.
pub(crate) fn comparator(
    col: &ArrayRef,
) -> Result<Box<dyn Fn(usize, usize) -> Ordering + Send + Sync>> {
    let opts = SortOptions {
        descending: false,
        nulls_first: true,
    };
    if col.data_type().is_floating() {
        let v = F64Column::new(col)?;
        return Ok(Box::new(move |a, b| match (v.get(a), v.get(b)) {
            (Some(x), Some(y)) => spark_double_cmp(x, y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        }));
    }
    Ok(Box::new(arrow::array::make_comparator(
        col.as_ref(),
        col.as_ref(),
        opts,
    )?))
}

/// Spark's double order: NaN is the largest value and -0.0 equals 0.0.
pub(crate) fn spark_double_cmp(x: f64, y: f64) -> Ordering {
    x.partial_cmp(&y)
        .unwrap_or_else(|| x.is_nan().cmp(&y.is_nan()))
}

/// Per-group row index of the smallest (`want = Less`) or largest non-NULL value.
pub(crate) fn group_extreme(
    col: &ArrayRef,
    of_row: &[u32],
    n_groups: usize,
    want: Ordering,
) -> Result<Vec<Option<u32>>> {
    let cmp = comparator(col)?;
    let nulls = col.logical_nulls();
    let mut best: Vec<Option<u32>> = vec![None; n_groups];
    for (i, &g) in of_row.iter().enumerate() {
        if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
            continue;
        }
        let slot = &mut best[g as usize];
        match slot {
            Some(b) if cmp(i, *b as usize) != want => {}
            _ => *slot = Some(i as u32),
        }
    }
    Ok(best)
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
            crate::resample_fill::fill_gaps(&out, freq.micros)
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
