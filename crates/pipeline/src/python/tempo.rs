//! `from tempo import TSDF`: time-series frames whose methods (`EMA`, `resample`,
//! `asofJoin`, `interpolate`, `withRangeStats`, `withGroupedStats`, `latest`, `earliest`)
//! become Tempo plan nodes, and `.df` returns the DataFrame.

use std::rc::Rc;

use query::DataFrame;
use tsdf::ResampleOptions;
use tsdf::call::{self, CallArgs};

use super::error::{PyError, PyResult};
use super::frame::Frame;
use super::interp::{Args, Interp};
use super::native::{Native, bound, unknown_attr};
use super::value::Value;
use crate::tempo_node::{SeriesMeta, TempoNode, TempoOp};

/// A Tempo `TSDF` in the evaluator.
#[derive(Debug, Clone)]
pub struct TsdfValue {
    /// The frame.
    pub frame: Frame,
    /// Its series description.
    pub meta: SeriesMeta,
    /// After `resample(...)`: the frequency and function, for a chained `interpolate`.
    pub resampled: Option<(String, String, ResampleOptions, Box<TsdfValue>)>,
}

const METHODS: &[&str] = &[
    "EMA",
    "resample",
    "asofJoin",
    "interpolate",
    "withRangeStats",
    "withGroupedStats",
    "latest",
    "earliest",
];

fn strings(value: &Value, at: usize, what: &str) -> PyResult<Vec<String>> {
    match value {
        Value::Str(s) => Ok(vec![s.to_string()]),
        other => other
            .as_items()
            .ok_or_else(|| PyError::new(at, format!("`{what}` must be a list of column names")))?
            .iter()
            .map(|v| {
                v.as_str().map(str::to_string).ok_or_else(|| {
                    PyError::new(at, format!("`{what}` must be a list of column names"))
                })
            })
            .collect(),
    }
}

fn opt_strings(args: &Args, index: usize, name: &str) -> PyResult<Option<Vec<String>>> {
    match args.get(index, name) {
        None => Ok(None),
        Some(a) if matches!(a.value, Value::None) => Ok(None),
        Some(a) => strings(&a.value, a.start, name).map(Some),
    }
}

fn number(args: &Args, index: usize, name: &str) -> PyResult<Option<f64>> {
    match args.get(index, name).map(|a| (&a.value, a.start)) {
        None | Some((Value::None, _)) => Ok(None),
        Some((Value::Int(i), _)) => Ok(Some(*i as f64)),
        Some((Value::Float(f), _)) => Ok(Some(*f)),
        Some((other, at)) => Err(PyError::new(
            at,
            format!("`{name}` must be a number, got {}", other.type_name()),
        )),
    }
}

/// A TSDF method's arguments, read by tsdf's shared Tempo reader: `params` (after `skip`
/// leading ones, asofJoin's right frame) gives each name its position.
struct TempoArgs<'a> {
    args: &'a Args,
    method: &'static str,
    params: &'static [&'static str],
    skip: usize,
}

impl TempoArgs<'_> {
    fn index(&self, name: &str) -> usize {
        self.skip
            + self
                .params
                .iter()
                .position(|p| *p == name)
                .unwrap_or(usize::MAX - self.skip)
    }
}

impl CallArgs for TempoArgs<'_> {
    type Error = PyError;
    fn str(&self, name: &'static str) -> PyResult<Option<String>> {
        self.args.opt_str(self.index(name), name, self.method)
    }
    fn f64(&self, name: &'static str) -> PyResult<Option<f64>> {
        number(self.args, self.index(name), name)
    }
    fn i64(&self, name: &'static str) -> PyResult<Option<i64>> {
        Ok(number(self.args, self.index(name), name)?.map(|n| n as i64))
    }
    /// Python truthiness, as `if fill:` in Tempo.
    fn bool(&self, name: &'static str) -> PyResult<Option<bool>> {
        Ok(self
            .args
            .get(self.index(name), name)
            .and_then(|a| a.value.truthy()))
    }
    fn strs(&self, name: &'static str) -> PyResult<Option<Vec<String>>> {
        opt_strings(self.args, self.index(name), name)
    }
}

fn tempo_args<'a>(
    args: &'a Args,
    method: &'static str,
    params: &'static [&'static str],
) -> TempoArgs<'a> {
    TempoArgs {
        args,
        method,
        params,
        skip: 0,
    }
}

fn flag(args: &Args, index: usize, name: &str, default: bool) -> bool {
    args.get(index, name)
        .and_then(|a| a.value.truthy())
        .unwrap_or(default)
}

fn frame_of(value: &Value, at: usize) -> PyResult<Frame> {
    match value {
        Value::Native(n) => match &**n {
            Native::Frame(f) => Ok(f.clone()),
            other => Err(PyError::new(
                at,
                format!("TSDF needs a DataFrame, got {}", other.type_name()),
            )),
        },
        other => Err(PyError::new(
            at,
            format!("TSDF needs a DataFrame, got {}", other.type_name()),
        )),
    }
}

/// `TSDF(df, ts_col="event_ts", partition_cols=None, sequence_col=None)`.
pub fn construct(interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
    args.check(
        "TSDF",
        4,
        &["df", "ts_col", "partition_cols", "sequence_col"],
    )?;
    let df_arg = args
        .get(0, "df")
        .ok_or_else(|| PyError::new(args.at, "TSDF needs a DataFrame"))?;
    let frame = frame_of(&df_arg.value, df_arg.start)?;
    if frame.streaming {
        return Err(PyError::new(
            args.at,
            "Tempo works on batch reads: read the input with spark.read.table(...) (which makes this dataset a materialized view)",
        ));
    }
    let ts_col = args
        .opt_str(1, "ts_col", "TSDF")?
        .unwrap_or_else(|| "event_ts".to_string());
    let partition_cols = opt_strings(&args, 2, "partition_cols")?.unwrap_or_default();
    let sequence_col = args.opt_str(3, "sequence_col", "TSDF")?;
    let meta = SeriesMeta {
        ts_col,
        partition_cols,
        sequence_col,
    };
    // Validate the columns now (Tempo raises at construction).
    let schema = frame.df.schema();
    let empty = arrow::array::RecordBatch::new_empty(crate::autoloader::arrow_schema(&schema));
    let parts: Vec<&str> = meta.partition_cols.iter().map(String::as_str).collect();
    let checked = tsdf::Tsdf::new(empty, &meta.ts_col, &parts, meta.sequence_col.as_deref())
        .map_err(|e| PyError::new(args.at, format!("TSDF: {e}")))?;
    let meta = SeriesMeta {
        ts_col: checked.ts_col().to_string(),
        partition_cols: checked.partition_cols().to_vec(),
        sequence_col: checked.sequence_col().map(str::to_string),
    };
    let columns: Vec<String> = schema.iter().map(|(name, _)| name.clone()).collect();
    interp.host.tsdf_built(args.at, &columns);
    Ok(Value::native(Native::Tsdf(TsdfValue {
        frame,
        meta,
        resampled: None,
    })))
}

/// `tsdf.attr`.
pub fn attr(
    interp: &mut Interp<'_>,
    obj: &Rc<Native>,
    t: &TsdfValue,
    name: &str,
    at: usize,
) -> PyResult<Value> {
    let _ = interp;
    match name {
        "df" => Ok(Frame::value(t.frame.df.clone(), false)),
        "ts_col" => Ok(Value::str(&t.meta.ts_col)),
        "partitionCols" | "partition_cols" => Ok(Value::list(
            t.meta.partition_cols.iter().map(Value::str).collect(),
        )),
        _ if METHODS.contains(&name) => Ok(bound(obj, name)),
        _ => Err(unknown_attr(
            "TSDF",
            name,
            &[METHODS, &["df", "ts_col", "partitionCols"]].concat(),
            at,
        )),
    }
}

fn apply(
    interp: &Interp<'_>,
    op: TempoOp,
    inputs: Vec<&TsdfValue>,
    at: usize,
) -> PyResult<TsdfValue> {
    let node = TempoNode {
        op,
        inputs: inputs.iter().map(|t| t.meta.clone()).collect(),
    };
    let schemas: Vec<_> = inputs.iter().map(|t| t.frame.df.schema()).collect();
    let (_, meta) = node
        .describe(&schemas)
        .map_err(|e| interp.query_error(e, at))?;
    let frames: Vec<DataFrame> = inputs.iter().map(|t| t.frame.df.clone()).collect();
    let df = DataFrame::extension(crate::tempo_node::register(node), frames)
        .map_err(|e| interp.query_error(e, at))?;
    Ok(TsdfValue {
        frame: Frame {
            df,
            streaming: false,
        },
        meta,
        resampled: None,
    })
}

/// Call a TSDF method.
pub fn method(interp: &mut Interp<'_>, t: &TsdfValue, name: &str, args: Args) -> PyResult<Value> {
    let at = args.at;
    let out = match name {
        "EMA" => {
            args.check("EMA", call::EMA.len(), call::EMA)?;
            let (col, _) = args.str_arg(0, "colName", "EMA")?;
            let opts = call::ema_options(&tempo_args(&args, "EMA", call::EMA))?;
            apply(interp, TempoOp::Ema { col, opts }, vec![t], at)?
        }
        "resample" => {
            args.check("resample", call::RESAMPLE.len(), call::RESAMPLE)?;
            let (freq, _) = args.str_arg(0, "freq", "resample")?;
            let func = args.opt_str(1, "func", "resample")?.ok_or_else(|| {
                PyError::new(at, "resample needs `func` (floor, ceil, min, max or mean)")
            })?;
            let opts = call::resample_options(&tempo_args(&args, "resample", call::RESAMPLE))?;
            let mut out = apply(
                interp,
                TempoOp::Resample {
                    freq: freq.clone(),
                    func: func.clone(),
                    opts: opts.clone(),
                },
                vec![t],
                at,
            )?;
            out.resampled = Some((freq, func, opts, Box::new(t.clone())));
            out
        }
        "interpolate" => {
            if let Some((freq, func, opts, source)) = &t.resampled {
                args.check(
                    "interpolate",
                    3,
                    &["method", "target_cols", "show_interpolated"],
                )?;
                let method = args
                    .opt_str(0, "method", "interpolate")?
                    .ok_or_else(|| PyError::new(at, "interpolate needs `method`"))?;
                let op = TempoOp::ResampleInterpolate {
                    freq: freq.clone(),
                    func: func.clone(),
                    opts: opts.clone(),
                    method,
                    target_cols: opt_strings(&args, 1, "target_cols")?,
                    show_interpolated: flag(&args, 2, "show_interpolated", false),
                };
                apply(interp, op, vec![source], at)?
            } else {
                args.check("interpolate", call::INTERPOLATE.len(), call::INTERPOLATE)?;
                let (freq, _) = args.str_arg(0, "freq", "interpolate")?;
                let (func, _) = args.str_arg(1, "func", "interpolate")?;
                let (method, _) = args.str_arg(2, "method", "interpolate")?;
                let opts = call::interpolate_options(&tempo_args(
                    &args,
                    "interpolate",
                    call::INTERPOLATE,
                ))?;
                apply(
                    interp,
                    TempoOp::Interpolate {
                        method,
                        freq,
                        func,
                        opts,
                    },
                    vec![t],
                    at,
                )?
            }
        }
        "asofJoin" => {
            let allowed = [&["right_tsdf"], call::ASOF_JOIN].concat();
            args.check("asofJoin", allowed.len(), &allowed)?;
            let right = args
                .get(0, "right_tsdf")
                .ok_or_else(|| PyError::new(at, "asofJoin needs the right TSDF"))?;
            let right = match &right.value {
                Value::Native(n) => match &**n {
                    Native::Tsdf(r) => r.clone(),
                    other => {
                        return Err(PyError::new(
                            right.start,
                            format!("asofJoin needs a TSDF, got {}", other.type_name()),
                        ));
                    }
                },
                other => {
                    return Err(PyError::new(
                        right.start,
                        format!("asofJoin needs a TSDF, got {}", other.type_name()),
                    ));
                }
            };
            let opts = call::asof_join_options(&TempoArgs {
                args: &args,
                method: "asofJoin",
                params: call::ASOF_JOIN,
                skip: 1,
            })?;
            apply(interp, TempoOp::AsofJoin(opts), vec![t, &right], at)?
        }
        "withRangeStats" => {
            let params = call::RANGE_STATS;
            args.check("withRangeStats", params.len(), params)?;
            let opts = call::range_stats_options(&tempo_args(&args, "withRangeStats", params))?;
            apply(interp, TempoOp::RangeStats(opts), vec![t], at)?
        }
        "withGroupedStats" => {
            let params = call::GROUPED_STATS;
            args.check("withGroupedStats", params.len(), params)?;
            let op = TempoOp::GroupedStats {
                metric_cols: call::grouped_stats_metrics(&tempo_args(
                    &args,
                    "withGroupedStats",
                    params,
                ))?,
                freq: args.opt_str(1, "freq", "withGroupedStats")?,
            };
            apply(interp, op, vec![t], at)?
        }
        "latest" | "earliest" => {
            let n = number(&args, 0, "n")?.unwrap_or(1.0).max(0.0) as usize;
            let op = if name == "latest" {
                TempoOp::Latest(n)
            } else {
                TempoOp::Earliest(n)
            };
            apply(interp, op, vec![t], at)?
        }
        _ => return Err(PyError::new(at, format!("TSDF has no method `{name}`"))),
    };
    Ok(Value::native(Native::Tsdf(out)))
}
