//! `interpolate`: resample to a grid, generate the missing buckets, fill them per method.

use std::sync::Arc;

use crate::convert::cast;
use arrow::array::{Array, ArrayRef, BooleanArray, Float64Array};

use crate::error::{Result, TsdfError};
use crate::frame::Tsdf;
use crate::freq::parse_freq;
use crate::resample::{ResampleFunc, ResampleOptions, ResampledTsdf};
use crate::series::{TsKeys, tsdf_series};
use crate::timefmt::MICROS_PER_SEC;
use crate::values::{F64Column, batch_of, take_opt};

/// Tempo's interpolation methods (`method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterpolateMethod {
    /// `"zero"`: 0 (in the column's type).
    Zero,
    /// `"null"`: NULL.
    Null,
    /// `"bfill"`: the next resampled row's value (see [`Tsdf::interpolate`] for the NULL gap).
    Bfill,
    /// `"ffill"`: the last non-NULL value at or before the row.
    Ffill,
    /// `"linear"`: linear in whole seconds between the neighbours (double result).
    Linear,
}

impl InterpolateMethod {
    /// Parses `zero null bfill ffill linear`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(tsdf::InterpolateMethod::parse("ffill").unwrap(), tsdf::InterpolateMethod::Ffill);
    /// assert!(tsdf::InterpolateMethod::parse("cubic").is_err());
    /// ```
    pub fn parse(method: &str) -> Result<Self> {
        Ok(match method {
            "zero" => InterpolateMethod::Zero,
            "null" => InterpolateMethod::Null,
            "bfill" => InterpolateMethod::Bfill,
            "ffill" => InterpolateMethod::Ffill,
            "linear" => InterpolateMethod::Linear,
            other => {
                return Err(TsdfError::InvalidArgument {
                    param: "method",
                    message: format!("`{other}` is not one of zero, null, bfill, ffill, linear"),
                });
            }
        })
    }
}

/// Options of [`Tsdf::interpolate`]; `Default` is Tempo's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InterpolateOptions {
    /// `target_cols`: `None` = every column but the partition and ts columns.
    pub target_cols: Option<Vec<String>>,
    /// `ts_col`: overrides the TSDF's ts column.
    pub ts_col: Option<String>,
    /// `partition_cols`: overrides the TSDF's partition columns.
    pub partition_cols: Option<Vec<String>>,
    /// `show_interpolated`: add `is_ts_interpolated` and `is_interpolated_<col>` flags.
    pub show_interpolated: bool,
    /// `perform_checks`: Tempo only logs warnings with it; accepted, no effect.
    pub perform_checks: bool,
}

impl Tsdf {
    /// Tempo's `interpolate(method, freq, func, target_cols=None, ts_col=None,
    /// partition_cols=None, show_interpolated=False)`.
    ///
    /// 1. `resample(freq, func, metricCols=target_cols)`;
    /// 2. every resampled row is expanded to the grid up to the next resampled row (the last
    ///    row only to itself);
    /// 3. cells of generated rows and NULL cells are filled per method: `zero`, `null`, `ffill`
    ///    (last non-NULL), `bfill` (the *next resampled row's* value, or — when both it and the
    ///    source are NULL — the next non-NULL), `linear` (between the source and the next
    ///    resampled row, or between the surrounding non-NULLs for a NULL source; whole-second
    ///    arithmetic, so sub-second grids give NULL).
    ///
    /// Columns: partition cols, ts, targets sorted, then the flags in `target_cols` order.
    pub fn interpolate(
        &self,
        method: &str,
        freq: &str,
        func: &str,
        opts: &InterpolateOptions,
    ) -> Result<Tsdf> {
        let method = InterpolateMethod::parse(method)?;
        let func = ResampleFunc::parse(func)?;
        let base = match (&opts.ts_col, &opts.partition_cols) {
            (None, None) => self.clone(),
            (ts, parts) => {
                let parts: Vec<&str> = match parts {
                    Some(p) => p.iter().map(String::as_str).collect(),
                    None => self.partition_cols().iter().map(String::as_str).collect(),
                };
                Tsdf::new(
                    self.df().clone(),
                    ts.as_deref().unwrap_or(self.ts_col()),
                    &parts,
                    None,
                )?
            }
        };
        base.timestamp_keys("interpolate")?;
        let targets = base.metric_columns(opts.target_cols.as_deref(), "target_cols")?;
        let resampled = base.resample_with(
            &parse_freq(freq)?,
            func,
            &ResampleOptions {
                metric_cols: Some(targets.clone()),
                ..Default::default()
            },
        )?;
        let mut sorted_targets = targets.clone();
        sorted_targets.sort();
        fill_grid(
            &resampled,
            freq,
            method,
            &targets,
            &sorted_targets,
            opts.show_interpolated,
            false,
        )
    }
}

impl ResampledTsdf {
    /// The chained form `tsdf.resample(freq, func).interpolate(method, target_cols=None,
    /// show_interpolated=False)`: the resampled frame is interpolated as is (`freq` reused).
    /// Columns: ts, targets in `target_cols` order, partition cols, then the flags.
    pub fn interpolate(
        &self,
        method: &str,
        target_cols: Option<&[String]>,
        show_interpolated: bool,
    ) -> Result<Tsdf> {
        let method = InterpolateMethod::parse(method)?;
        let targets = self.tsdf.metric_columns(target_cols, "target_cols")?;
        fill_grid(
            &self.tsdf,
            &self.freq,
            method,
            &targets,
            &targets,
            show_interpolated,
            true,
        )
    }
}

/// Per target column, the neighbours of every resampled row within its series.
struct Neighbours {
    prev_nn: Vec<Option<u32>>,
    next_nn: Vec<Option<u32>>,
}

fn neighbours(col: &ArrayRef, runs: &[std::ops::Range<usize>]) -> Neighbours {
    let n = col.len();
    let mut prev_nn = vec![None; n];
    let mut next_nn = vec![None; n];
    for run in runs {
        let mut last = None;
        for r in run.clone() {
            if col.is_valid(r) {
                last = Some(r as u32);
            }
            prev_nn[r] = last;
        }
        let mut next = None;
        for r in run.clone().rev() {
            if col.is_valid(r) {
                next = Some(r as u32);
            }
            next_nn[r] = next;
        }
    }
    Neighbours { prev_nn, next_nn }
}

/// Expands the resampled frame `res` (rows sorted by series then ts) to the grid and fills it.
fn fill_grid(
    res: &Tsdf,
    freq: &str,
    method: InterpolateMethod,
    targets: &[String],
    value_order: &[String],
    show_interpolated: bool,
    chained: bool,
) -> Result<Tsdf> {
    let step = parse_freq(freq)?.micros;
    let ts = TsKeys::new(res.column(res.ts_col())?)?;
    let (_, series) = tsdf_series(res, false)?;
    // Rows with a NULL ts vanish (Spark's sequence() of NULL explodes to nothing).
    let mut src: Vec<u32> = Vec::new();
    let mut new_ts: Vec<i64> = Vec::new();
    let mut next_of: Vec<Option<u32>> = vec![None; res.num_rows()];
    let mut next_ts: Vec<i64> = vec![0; res.num_rows()];
    for run in &series.runs {
        let rows: Vec<u32> = series.order[run.clone()]
            .iter()
            .copied()
            .filter(|&r| ts.is_valid(r as usize))
            .collect();
        for (k, &r) in rows.iter().enumerate() {
            let t = ts.key[r as usize];
            let nt = rows.get(k + 1).map_or(t + step, |&nx| ts.key[nx as usize]);
            next_of[r as usize] = rows.get(k + 1).copied();
            next_ts[r as usize] = nt;
            let mut g = t;
            loop {
                src.push(r);
                new_ts.push(g);
                g += step;
                if g > nt - step {
                    break;
                }
            }
        }
    }
    let row_runs: Vec<std::ops::Range<usize>> = series
        .runs
        .iter()
        .map(|r| {
            let rows = &series.order[r.clone()];
            let lo = rows.first().map_or(0, |&x| x as usize);
            lo..lo + rows.len()
        })
        .collect();
    let ts_generated: Vec<bool> = src
        .iter()
        .zip(&new_ts)
        .map(|(&r, &t)| t != ts.key[r as usize])
        .collect();
    let whole_secs = |micros: i64| micros.div_euclid(MICROS_PER_SEC);
    let mut values: Vec<(String, ArrayRef)> = Vec::new();
    let mut flags: Vec<(String, ArrayRef)> = Vec::new();
    for c in targets {
        let col = res.column(c)?;
        let nb = neighbours(col, &row_runs);
        let flagged: Vec<bool> = src
            .iter()
            .zip(&ts_generated)
            .map(|(&r, &g)| g || col.is_null(r as usize))
            .collect();
        let out: ArrayRef = match method {
            InterpolateMethod::Linear => {
                let v = F64Column::new(col)?;
                let lin = |x0: i64, y0: f64, x1: i64, y1: f64, x: i64| {
                    let dt = whole_secs(x1) - whole_secs(x0);
                    (dt != 0).then(|| {
                        (y1 - y0) / dt as f64 * (whole_secs(x) - whole_secs(x0)) as f64 + y0
                    })
                };
                let vals: Float64Array = src
                    .iter()
                    .zip(&new_ts)
                    .zip(&flagged)
                    .map(|((&r, &t), &f)| {
                        let r = r as usize;
                        if !f {
                            return v.get(r);
                        }
                        if col.is_null(r) {
                            let (p, nx) = (nb.prev_nn[r]?, nb.next_nn[r]?);
                            let (p, nx) = (p as usize, nx as usize);
                            lin(ts.key[p], v.get(p)?, ts.key[nx], v.get(nx)?, t)
                        } else {
                            let nx = next_of[r]? as usize;
                            lin(ts.key[r], v.get(r)?, next_ts[r], v.get(nx)?, t)
                        }
                    })
                    .collect();
                Arc::new(vals)
            }
            InterpolateMethod::Zero => {
                let picked = take_opt(col, &src.iter().map(|&r| Some(r)).collect::<Vec<_>>())?;
                let zero = cast(
                    &(Arc::new(arrow::array::Int32Array::from(vec![0])) as ArrayRef),
                    col.data_type(),
                )?;
                let zeros = take_opt(&zero, &vec![Some(0); src.len()])?;
                crate::select(&BooleanArray::from(flagged.clone()), &zeros, &picked)?
            }
            _ => {
                let picks: Vec<Option<u32>> = src
                    .iter()
                    .zip(&flagged)
                    .map(|(&r, &f)| {
                        let ru = r as usize;
                        if !f {
                            return Some(r);
                        }
                        match method {
                            InterpolateMethod::Ffill => nb.prev_nn[ru],
                            InterpolateMethod::Bfill => {
                                let next_null =
                                    next_of[ru].is_none_or(|nx| col.is_null(nx as usize));
                                if next_null && col.is_null(ru) {
                                    nb.next_nn[ru]
                                } else {
                                    next_of[ru]
                                }
                            }
                            _ => None,
                        }
                    })
                    .collect();
                take_opt(col, &picks)?
            }
        };
        values.push((c.clone(), out));
        flags.push((
            format!("is_interpolated_{c}"),
            Arc::new(BooleanArray::from(flagged)) as ArrayRef,
        ));
    }
    values.sort_by_key(|(name, _)| value_order.iter().position(|v| v == name));
    let rep: Vec<Option<u32>> = src.iter().map(|&r| Some(r)).collect();
    let mut parts = Vec::new();
    for p in res.partition_cols() {
        parts.push((p.clone(), take_opt(res.column(p)?, &rep)?));
    }
    let ts_type = res.column(res.ts_col())?.data_type().clone();
    let ts_col = (
        res.ts_col().to_string(),
        crate::values::ts_array(new_ts.into_iter().map(Some).collect(), &ts_type),
    );
    let mut cols = Vec::new();
    if chained {
        cols.push(ts_col);
        cols.extend(values);
        cols.extend(parts);
    } else {
        cols.extend(parts);
        cols.push(ts_col);
        cols.extend(values);
    }
    if show_interpolated {
        cols.push((
            "is_ts_interpolated".into(),
            Arc::new(BooleanArray::from(ts_generated)) as ArrayRef,
        ));
        cols.extend(flags);
    }
    Ok(Tsdf::from_parts(
        batch_of(cols)?,
        res.ts_col().into(),
        res.partition_cols().to_vec(),
        None,
    ))
}
