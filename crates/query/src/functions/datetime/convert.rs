//! Conversions between strings, numbers, dates and timestamps: `to_date`, `to_timestamp`,
//! `try_to_timestamp`, `date_format`, `unix_timestamp`, `to_unix_timestamp`,
//! `from_unixtime`, `unix_seconds`/`millis`/`micros`, `timestamp_seconds`/`millis`/`micros`,
//! `unix_date`, `date_from_unix_date`, and the clock (`current_date`, `current_timestamp`,
//! `now`, `current_timezone`) read from the query's [`EvalContext`].

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Date32Array, Int64Array, StringArray, TimestampMicrosecondArray,
};
use arrow::datatypes::{
    DataType, Date32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::cast::{CastMode, cast};
use crate::functions::common::{
    I64_LIMIT_F64, Want, arg, check_arity, coerce_args, func, prim, strings,
};
use crate::functions::datetime::calendar::{MICROS_PER_DAY, MICROS_PER_SECOND};
use crate::functions::datetime::pattern::Pattern;
use crate::functions::{ArgInfo, EvalContext, Signature, Volatility};
use crate::types::{SESSION_TIME_ZONE, SparkType};

/// Spark's default pattern for `unix_timestamp` and `from_unixtime`.
const DEFAULT_PATTERN: &str = "yyyy-MM-dd HH:mm:ss";

/// The compiled pattern of each row, compiling each distinct pattern text once in a row.
struct Patterns<'a> {
    texts: Option<&'a StringArray>,
    last: Option<(String, Pattern)>,
}

impl<'a> Patterns<'a> {
    fn new(texts: Option<&'a StringArray>) -> Self {
        Patterns { texts, last: None }
    }

    fn get(&mut self, row: usize) -> Result<Option<&Pattern>> {
        let text = match self.texts {
            Some(t) if t.is_null(row) => return Ok(None),
            Some(t) => t.value(row),
            None => DEFAULT_PATTERN,
        };
        if self.last.as_ref().is_none_or(|(p, _)| p != text) {
            self.last = Some((text.to_string(), Pattern::compile(text)?));
        }
        Ok(self.last.as_ref().map(|(_, p)| p))
    }
}

fn ts_array(values: Vec<Option<i64>>) -> ArrayRef {
    Arc::new(TimestampMicrosecondArray::from(values).with_timezone(SESSION_TIME_ZONE))
}

/// Parse each string of `texts` with the row's pattern; failures raise (ANSI) or are NULL.
fn parse_with(
    texts: &StringArray,
    patterns: Option<&StringArray>,
    mode: CastMode,
) -> Result<Vec<Option<i64>>> {
    let mut compiled = Patterns::new(patterns);
    let mut out = Vec::with_capacity(texts.len());
    for i in 0..texts.len() {
        let Some(pattern) = compiled.get(i)? else {
            out.push(None);
            continue;
        };
        if texts.is_null(i) {
            out.push(None);
            continue;
        }
        match pattern.parse(texts.value(i)) {
            Ok(v) => out.push(Some(v)),
            Err(_) if mode == CastMode::Try => out.push(None),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

fn resolve_to_timestamp(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 2)?;
    let t = &args[0].data_type;
    let try_mode = name.starts_with("try_");
    let first = match t {
        SparkType::Date | SparkType::Timestamp | SparkType::TimestampNtz | SparkType::Null => {
            SparkType::Timestamp
        }
        // With a pattern, or in try mode, the string is parsed inside invoke.
        _ if args.len() == 2 || try_mode => {
            coerce_args(name, &args[..1], &[Want::String])?.remove(0)
        }
        _ => coerce_args(name, &args[..1], &[Want::Timestamp])?.remove(0),
    };
    let mut types = vec![first];
    types.extend(coerce_args(name, &args[1..], &[Want::String])?);
    Ok(Signature {
        args: types,
        result: SparkType::Timestamp,
    })
}

fn to_timestamp(args: &[ArrayRef], mode: CastMode) -> Result<ArrayRef> {
    let x = arg(args, 0)?;
    let Some(texts) = x.as_any().downcast_ref::<StringArray>() else {
        return Ok(x.clone());
    };
    let patterns = args.get(1).map(|p| strings(p.as_ref())).transpose()?;
    if patterns.is_none() {
        let x: ArrayRef = Arc::new(texts.clone());
        return cast(&x, &SparkType::String, &SparkType::Timestamp, mode);
    }
    Ok(ts_array(parse_with(texts, patterns, mode)?))
}

func!(
    TO_TIMESTAMP,
    "to_timestamp",
    resolve_to_timestamp,
    |args, _, _: &EvalContext| to_timestamp(args, CastMode::Ansi)
);
func!(
    TRY_TO_TIMESTAMP,
    "try_to_timestamp",
    resolve_to_timestamp,
    |args, _, _: &EvalContext| to_timestamp(args, CastMode::Try)
);

fn resolve_to_date(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 2)?;
    if args.len() == 1 || args[0].data_type != SparkType::String {
        let mut types = coerce_args(name, &args[..1], &[Want::Date])?;
        types.extend(coerce_args(name, &args[1..], &[Want::String])?);
        return Ok(Signature {
            args: types,
            result: SparkType::Date,
        });
    }
    Ok(Signature {
        args: vec![SparkType::String, SparkType::String],
        result: SparkType::Date,
    })
}

fn invoke_to_date(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let x = arg(args, 0)?;
    let Some(texts) = x.as_any().downcast_ref::<StringArray>() else {
        return Ok(x.clone());
    };
    let patterns = args.get(1).map(|p| strings(p.as_ref())).transpose()?;
    let micros = parse_with(texts, patterns, CastMode::Ansi)?;
    let days: Date32Array = micros
        .into_iter()
        .map(|m| m.map(|v| v.div_euclid(MICROS_PER_DAY) as i32))
        .collect();
    Ok(Arc::new(days))
}

func!(TO_DATE, "to_date", resolve_to_date, invoke_to_date);
/// `try_to_date`: like `to_date`, but a string is parsed by the function (not cast first), so
/// a bad one is NULL.
fn resolve_try_to_date(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    match args.first() {
        Some(a) if a.data_type == SparkType::String && args.len() == 1 => Ok(Signature {
            args: vec![SparkType::String],
            result: SparkType::Date,
        }),
        _ => resolve_to_date(name, args),
    }
}

func!(
    TRY_TO_DATE,
    "try_to_date",
    resolve_try_to_date,
    |args, rows, ctx: &EvalContext| {
        crate::functions::common::null_on_failure(args, rows, &DataType::Date32, |a, n| {
            invoke_to_date(a, n, ctx)
        })
    }
);

fn resolve_unix_timestamp(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    let min = usize::from(name == "to_unix_timestamp");
    check_arity(name, args, min, 2)?;
    let mut types = Vec::new();
    if let Some(x) = args.first() {
        types.push(match &x.data_type {
            SparkType::Date | SparkType::Timestamp | SparkType::TimestampNtz | SparkType::Null => {
                SparkType::Timestamp
            }
            _ => coerce_args(name, &args[..1], &[Want::String])?.remove(0),
        });
    }
    types.extend(coerce_args(
        name,
        args.get(1..).unwrap_or_default(),
        &[Want::String],
    )?);
    Ok(Signature {
        args: types,
        result: SparkType::Long,
    })
}

fn invoke_unix_timestamp(
    args: &[ArrayRef],
    num_rows: usize,
    ctx: &EvalContext,
) -> Result<ArrayRef> {
    let seconds = |m: i64| m.div_euclid(MICROS_PER_SECOND);
    let Some(x) = args.first() else {
        return Ok(Arc::new(Int64Array::from(vec![
            seconds(ctx.now_micros);
            num_rows
        ])));
    };
    let micros: Vec<Option<i64>> = match x.as_any().downcast_ref::<StringArray>() {
        Some(texts) => {
            let patterns = args.get(1).map(|p| strings(p.as_ref())).transpose()?;
            parse_with(texts, patterns, CastMode::Ansi)?
        }
        None => prim::<TimestampMicrosecondType>(x.as_ref())?
            .iter()
            .collect(),
    };
    Ok(Arc::new(
        micros
            .into_iter()
            .map(|m| m.map(seconds))
            .collect::<Int64Array>(),
    ))
}

func!(
    UNIX_TIMESTAMP,
    "unix_timestamp",
    resolve_unix_timestamp,
    invoke_unix_timestamp
);
func!(
    TO_UNIX_TIMESTAMP,
    "to_unix_timestamp",
    resolve_unix_timestamp,
    invoke_unix_timestamp
);

fn resolve_from_unixtime(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Long, Want::String])?,
        result: SparkType::String,
    })
}

fn invoke_from_unixtime(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let secs = prim::<Int64Type>(arg(args, 0)?.as_ref())?;
    let mut patterns = Patterns::new(args.get(1).map(|p| strings(p.as_ref())).transpose()?);
    let mut out = Vec::with_capacity(secs.len());
    for i in 0..secs.len() {
        let pattern = patterns.get(i)?;
        out.push(match (pattern, secs.is_valid(i)) {
            (Some(p), true) => secs
                .value(i)
                .checked_mul(MICROS_PER_SECOND)
                .map(|m| p.format(m)),
            _ => None,
        });
    }
    Ok(Arc::new(StringArray::from(out)))
}

func!(
    FROM_UNIXTIME,
    "from_unixtime",
    resolve_from_unixtime,
    invoke_from_unixtime
);

fn resolve_date_format(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Timestamp, Want::String])?,
        result: SparkType::String,
    })
}

fn invoke_date_format(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let ts = prim::<TimestampMicrosecondType>(arg(args, 0)?.as_ref())?;
    let mut patterns = Patterns::new(Some(strings(arg(args, 1)?.as_ref())?));
    let mut out = Vec::with_capacity(ts.len());
    for i in 0..ts.len() {
        let pattern = patterns.get(i)?;
        out.push(
            pattern
                .filter(|_| ts.is_valid(i))
                .map(|p| p.format(ts.value(i))),
        );
    }
    Ok(Arc::new(StringArray::from(out)))
}

func!(
    DATE_FORMAT,
    "date_format",
    resolve_date_format,
    invoke_date_format
);

fn resolve_unix_part(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Timestamp])?,
        result: SparkType::Long,
    })
}

fn unix_units(args: &[ArrayRef], per: i64) -> Result<ArrayRef> {
    let ts = prim::<TimestampMicrosecondType>(arg(args, 0)?.as_ref())?;
    Ok(Arc::new(ts.unary::<_, Int64Type>(|m| m.div_euclid(per))))
}

func!(
    UNIX_SECONDS,
    "unix_seconds",
    resolve_unix_part,
    |args, _, _: &EvalContext| unix_units(args, MICROS_PER_SECOND)
);
func!(
    UNIX_MILLIS,
    "unix_millis",
    resolve_unix_part,
    |args, _, _: &EvalContext| unix_units(args, 1000)
);
func!(
    UNIX_MICROS,
    "unix_micros",
    resolve_unix_part,
    |args, _, _: &EvalContext| unix_units(args, 1)
);

fn resolve_timestamp_from(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    let t = &args[0].data_type;
    let input = if name == "timestamp_seconds"
        && (t.is_floating() || matches!(t, SparkType::Decimal(..)))
    {
        SparkType::Double
    } else {
        coerce_args(name, args, &[Want::Long])?.remove(0)
    };
    Ok(Signature {
        args: vec![input],
        result: SparkType::Timestamp,
    })
}

fn overflow(name: &str) -> QueryError {
    QueryError::execution(
        ErrorClass::ArithmeticOverflow,
        format!("long overflow in `{name}`. The value is outside the range of timestamps."),
    )
}

fn timestamp_from(args: &[ArrayRef], per: i64, name: &'static str) -> Result<ArrayRef> {
    let x = arg(args, 0)?;
    let out: arrow::array::PrimitiveArray<TimestampMicrosecondType> =
        if x.data_type() == &DataType::Float64 {
            prim::<Float64Type>(x.as_ref())?.try_unary(|v| {
                let m = (v * per as f64).trunc();
                if m.is_finite() && m.abs() < I64_LIMIT_F64 {
                    Ok(m as i64)
                } else {
                    Err(overflow(name))
                }
            })?
        } else {
            prim::<Int64Type>(x.as_ref())?
                .try_unary(|v| v.checked_mul(per).ok_or_else(|| overflow(name)))?
        };
    Ok(Arc::new(out.with_timezone(SESSION_TIME_ZONE)))
}

func!(
    TIMESTAMP_SECONDS,
    "timestamp_seconds",
    resolve_timestamp_from,
    |args, _, _: &EvalContext| timestamp_from(args, MICROS_PER_SECOND, "timestamp_seconds")
);
func!(
    TIMESTAMP_MILLIS,
    "timestamp_millis",
    resolve_timestamp_from,
    |args, _, _: &EvalContext| timestamp_from(args, 1000, "timestamp_millis")
);
func!(
    TIMESTAMP_MICROS,
    "timestamp_micros",
    resolve_timestamp_from,
    |args, _, _: &EvalContext| timestamp_from(args, 1, "timestamp_micros")
);

fn resolve_unix_date(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Date])?,
        result: SparkType::Int,
    })
}

func!(
    UNIX_DATE,
    "unix_date",
    resolve_unix_date,
    |args, _, _: &EvalContext| {
        let d = prim::<Date32Type>(arg(args, 0)?.as_ref())?;
        Ok(Arc::new(d.unary::<_, Int32Type>(|v| v)) as ArrayRef)
    }
);

fn resolve_date_from_unix_date(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Int])?,
        result: SparkType::Date,
    })
}

func!(
    DATE_FROM_UNIX_DATE,
    "date_from_unix_date",
    resolve_date_from_unix_date,
    |args, _, _: &EvalContext| {
        let d = prim::<Int32Type>(arg(args, 0)?.as_ref())?;
        Ok(Arc::new(d.unary::<_, Date32Type>(|v| v)) as ArrayRef)
    }
);

fn resolve_clock(result: SparkType) -> impl Fn(&'static str, &[ArgInfo]) -> Result<Signature> {
    move |name, args| {
        check_arity(name, args, 0, 0)?;
        Ok(Signature {
            args: Vec::new(),
            result: result.clone(),
        })
    }
}

func!(
    CURRENT_DATE,
    "current_date",
    |n, a| resolve_clock(SparkType::Date)(n, a),
    |_, rows, ctx: &EvalContext| {
        Ok(Arc::new(Date32Array::from(vec![
            ctx.now_micros.div_euclid(MICROS_PER_DAY)
                as i32;
            rows
        ])) as ArrayRef)
    },
    Volatility::Stable
);
func!(
    CURDATE,
    "curdate",
    |n, a| resolve_clock(SparkType::Date)(n, a),
    |_, rows, ctx: &EvalContext| {
        Ok(Arc::new(Date32Array::from(vec![
            ctx.now_micros.div_euclid(MICROS_PER_DAY)
                as i32;
            rows
        ])) as ArrayRef)
    },
    Volatility::Stable
);
func!(
    CURRENT_TIMESTAMP,
    "current_timestamp",
    |n, a| resolve_clock(SparkType::Timestamp)(n, a),
    |_, rows, ctx: &EvalContext| { Ok(ts_array(vec![Some(ctx.now_micros); rows])) },
    Volatility::Stable
);
func!(
    NOW,
    "now",
    |n, a| resolve_clock(SparkType::Timestamp)(n, a),
    |_, rows, ctx: &EvalContext| { Ok(ts_array(vec![Some(ctx.now_micros); rows])) },
    Volatility::Stable
);
func!(
    CURRENT_TIMEZONE,
    "current_timezone",
    |n, a| resolve_clock(SparkType::String)(n, a),
    |_, rows, _: &EvalContext| {
        Ok(Arc::new(StringArray::from(vec![SESSION_TIME_ZONE; rows])) as ArrayRef)
    }
);
