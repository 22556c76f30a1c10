//! Test helpers: call a registered function the way the executor does (resolve, cast the
//! arguments to the signature, invoke) and render results with `CAST(x AS STRING)`.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float32Array, Float64Array, Int32Array, Int64Array,
    StringArray, TimestampMicrosecondArray,
};

use crate::error::Result;
use crate::functions::cast::{CastMode, cast};
use crate::functions::datetime::calendar::{parse_date, parse_timestamp};
use crate::functions::{ArgInfo, EvalContext, lookup};
use crate::types::SparkType;

/// An argument: an array and its Spark type.
pub(crate) type Arg = (ArrayRef, SparkType);

/// The fixed clock of the tests: 2023-03-01 12:00:00 UTC.
pub(crate) const NOW_MICROS: i64 = 1_677_672_000_000_000;

fn run(name: &str, args: Vec<Arg>, constants: bool) -> Result<Arg> {
    let f = lookup(name).unwrap_or_else(|| panic!("{name} is not registered"));
    let infos: Vec<ArgInfo> = args
        .iter()
        .map(|(a, t)| ArgInfo {
            data_type: t.clone(),
            constant: (constants && a.len() == 1).then(|| a.clone()),
        })
        .collect();
    let sig = f.resolve(&infos)?;
    let cast_args = args
        .iter()
        .zip(&sig.args)
        .map(|((a, from), to)| cast(a, from, to, CastMode::Ansi))
        .collect::<Result<Vec<_>>>()?;
    let n = cast_args.first().map_or(1, |a| a.len());
    let out = f.invoke(
        &cast_args,
        n,
        &EvalContext {
            now_micros: NOW_MICROS,
            ..EvalContext::default()
        },
    )?;
    assert_eq!(
        out.data_type(),
        &sig.result.to_arrow(),
        "{name}: result storage matches the signature"
    );
    assert_eq!(out.len(), n, "{name}: one result per row");
    Ok((out, sig.result))
}

/// Call `name` with column arguments (no argument is a constant).
pub(crate) fn call(name: &str, args: Vec<Arg>) -> Result<Arg> {
    run(name, args, false)
}

/// Call `name` with every one-row argument marked constant, as literals are.
pub(crate) fn call_c(name: &str, args: Vec<Arg>) -> Result<Arg> {
    run(name, args, true)
}

/// Render a result with `CAST(x AS STRING)`.
pub(crate) fn render(out: &Arg) -> Vec<Option<String>> {
    let s = cast(&out.0, &out.1, &SparkType::String, CastMode::Ansi).unwrap();
    s.as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}

/// Render a one-row result.
pub(crate) fn one(out: Result<Arg>) -> Option<String> {
    render(&out.unwrap()).remove(0)
}

/// `Some(text)` for each text.
pub(crate) fn texts(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}

pub(crate) fn ints(values: &[Option<i32>]) -> Arg {
    (Arc::new(Int32Array::from(values.to_vec())), SparkType::Int)
}

pub(crate) fn int(v: i32) -> Arg {
    ints(&[Some(v)])
}

pub(crate) fn longs(values: &[Option<i64>]) -> Arg {
    (Arc::new(Int64Array::from(values.to_vec())), SparkType::Long)
}

pub(crate) fn floats(values: &[Option<f32>]) -> Arg {
    (
        Arc::new(Float32Array::from(values.to_vec())),
        SparkType::Float,
    )
}

pub(crate) fn doubles(values: &[Option<f64>]) -> Arg {
    (
        Arc::new(Float64Array::from(values.to_vec())),
        SparkType::Double,
    )
}

pub(crate) fn double(v: f64) -> Arg {
    doubles(&[Some(v)])
}

pub(crate) fn strs(values: &[Option<&str>]) -> Arg {
    (
        Arc::new(StringArray::from(values.to_vec())),
        SparkType::String,
    )
}

pub(crate) fn s(v: &str) -> Arg {
    strs(&[Some(v)])
}

pub(crate) fn bools(values: &[Option<bool>]) -> Arg {
    (
        Arc::new(BooleanArray::from(values.to_vec())),
        SparkType::Boolean,
    )
}

pub(crate) fn null() -> Arg {
    (Arc::new(arrow::array::NullArray::new(1)), SparkType::Null)
}

/// Dates from `yyyy-MM-dd` texts.
pub(crate) fn dates(values: &[&str]) -> Arg {
    let days: Vec<i32> = values.iter().map(|v| parse_date(v).unwrap()).collect();
    (Arc::new(Date32Array::from(days)), SparkType::Date)
}

/// Timestamps from `yyyy-MM-dd HH:mm:ss[.f]` texts (`None` for NULL).
pub(crate) fn timestamps(values: &[Option<&str>]) -> Arg {
    let micros: Vec<Option<i64>> = values
        .iter()
        .map(|v| v.map(|t| parse_timestamp(t).unwrap()))
        .collect();
    (
        Arc::new(TimestampMicrosecondArray::from(micros).with_timezone("UTC")),
        SparkType::Timestamp,
    )
}

pub(crate) fn ts(v: &str) -> Arg {
    timestamps(&[Some(v)])
}
