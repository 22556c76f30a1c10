//! Math functions: `abs`, `sign`, `sqrt`, `exp`, logarithms (NULL for arguments ≤ 0),
//! `power`, trigonometry, `pi`, `e`, rounding (`round`, `bround`, `floor`, `ceil`),
//! `width_bucket`, `bin`, `hex`.

mod random;
mod round;

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Float64Array, Int64Array, PrimitiveArray, StringArray};
use arrow::datatypes::{
    ArrowNativeTypeOp, DataType, Decimal128Type, DurationMicrosecondType, Float32Type, Float64Type,
    Int8Type, Int16Type, Int32Type, Int64Type, IntervalYearMonthType,
};

use crate::error::{QueryError, Result};
use crate::functions::arith::{ArithOp, overflow};
use crate::functions::common::{
    Want, arg, binary_opt, check_arity, coerce_args, func, prim, unexpected_type,
};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature};
use crate::types::SparkType;

fn resolve_double_fn(name: &'static str, args: &[ArgInfo], arity: usize) -> Result<Signature> {
    check_arity(name, args, arity, arity)?;
    let wants = vec![Want::Double; arity];
    Ok(Signature {
        args: coerce_args(name, args, &wants)?,
        result: SparkType::Double,
    })
}

fn resolve_unary_double(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_double_fn(name, args, 1)
}

fn resolve_binary_double(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_double_fn(name, args, 2)
}

fn resolve_constant(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    resolve_double_fn(name, args, 0)
}

fn doubles(args: &[ArrayRef], index: usize) -> Result<&PrimitiveArray<Float64Type>> {
    prim::<Float64Type>(arg(args, index)?.as_ref())
}

/// Apply a double function that may yield NULL (`None`).
fn map_f64(args: &[ArrayRef], f: impl Fn(f64) -> Option<f64>) -> Result<ArrayRef> {
    Ok(Arc::new(doubles(args, 0)?.unary_opt::<_, Float64Type>(f)))
}

/// Logarithms are NULL for arguments ≤ 0 (Spark's `Logarithm`), not NaN or -Infinity.
fn positive(x: f64) -> Option<f64> {
    (x > 0.0).then_some(x)
}

macro_rules! unary_double {
    ($id:ident, $name:literal, $f:expr) => {
        func!(
            $id,
            $name,
            resolve_unary_double,
            |args, _, _: &EvalContext| map_f64(args, $f)
        );
    };
}

unary_double!(SQRT, "sqrt", |x| Some(x.sqrt()));
unary_double!(CBRT, "cbrt", |x| Some(x.cbrt()));
unary_double!(EXP, "exp", |x| Some(x.exp()));
unary_double!(EXPM1, "expm1", |x| Some(x.exp_m1()));
unary_double!(LN, "ln", |x| positive(x).map(f64::ln));
unary_double!(LOG10, "log10", |x| positive(x).map(f64::log10));
unary_double!(LOG2, "log2", |x| positive(x).map(f64::log2));
unary_double!(LOG1P, "log1p", |x| (x > -1.0).then(|| x.ln_1p()));
unary_double!(SIN, "sin", |x| Some(x.sin()));
unary_double!(COS, "cos", |x| Some(x.cos()));
unary_double!(TAN, "tan", |x| Some(x.tan()));
unary_double!(ASIN, "asin", |x| Some(x.asin()));
unary_double!(ACOS, "acos", |x| Some(x.acos()));
unary_double!(ATAN, "atan", |x| Some(x.atan()));
unary_double!(SINH, "sinh", |x| Some(x.sinh()));
unary_double!(COSH, "cosh", |x| Some(x.cosh()));
unary_double!(TANH, "tanh", |x| Some(x.tanh()));
unary_double!(DEGREES, "degrees", |x| Some(x.to_degrees()));
unary_double!(RADIANS, "radians", |x| Some(x.to_radians()));
unary_double!(SIGN, "sign", |x| Some(if x.is_nan() {
    x
} else if x == 0.0 {
    0.0
} else {
    x.signum()
}));
unary_double!(SIGNUM, "signum", |x| Some(if x.is_nan() {
    x
} else if x == 0.0 {
    0.0
} else {
    x.signum()
}));

fn map2_f64(args: &[ArrayRef], f: impl Fn(f64, f64) -> Option<f64>) -> Result<ArrayRef> {
    let out: PrimitiveArray<Float64Type> = binary_opt(doubles(args, 0)?, doubles(args, 1)?, f);
    Ok(Arc::new(out))
}

func!(
    POWER,
    "power",
    resolve_binary_double,
    |args, _, _| map2_f64(args, |b, e| Some(b.powf(e)))
);
func!(POW, "pow", resolve_binary_double, |args, _, _| map2_f64(
    args,
    |b, e| Some(b.powf(e))
));
func!(
    ATAN2,
    "atan2",
    resolve_binary_double,
    |args, _, _| map2_f64(args, |y, x| Some(y.atan2(x)))
);
func!(
    HYPOT,
    "hypot",
    resolve_binary_double,
    |args, _, _| map2_f64(args, |a, b| Some(a.hypot(b)))
);

fn resolve_log(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Double, Want::Double])?,
        result: SparkType::Double,
    })
}

fn invoke_log(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    if args.len() == 1 {
        return map_f64(args, |x| positive(x).map(f64::ln));
    }
    map2_f64(args, |base, x| {
        Some(positive(x)?.ln() / positive(base)?.ln())
    })
}

func!(LOG, "log", resolve_log, invoke_log);

fn constant(num_rows: usize, v: f64) -> ArrayRef {
    Arc::new(Float64Array::from(vec![v; num_rows]))
}

func!(PI, "pi", resolve_constant, |_, n, _| Ok(constant(
    n,
    std::f64::consts::PI
)));
func!(E, "e", resolve_constant, |_, n, _| Ok(constant(
    n,
    std::f64::consts::E
)));

fn resolve_abs(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    let t = match &args[0].data_type {
        t if t.is_numeric()
            || matches!(
                t,
                SparkType::DayTimeInterval(..) | SparkType::YearMonthInterval(..)
            ) =>
        {
            t.clone()
        }
        SparkType::String | SparkType::Null => SparkType::Double,
        other => {
            return Err(unexpected_type(
                name,
                0,
                "\"NUMERIC\" or \"INTERVAL\"",
                other,
            ));
        }
    };
    Ok(Signature {
        args: vec![t.clone()],
        result: t,
    })
}

fn abs_checked<T: arrow::array::ArrowPrimitiveType>(a: &ArrayRef) -> Result<ArrayRef>
where
    T::Native: ArrowNativeTypeOp + PartialOrd,
{
    let a = prim::<T>(a.as_ref())?;
    let out: PrimitiveArray<T> = a.try_unary(|v| {
        if v < T::Native::ZERO {
            v.neg_checked().map_err(|_| overflow(ArithOp::Subtract))
        } else {
            Ok(v)
        }
    })?;
    Ok(Arc::new(out.with_data_type(a.data_type().clone())))
}

fn invoke_abs(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = arg(args, 0)?;
    match a.data_type() {
        DataType::Int8 => abs_checked::<Int8Type>(a),
        DataType::Int16 => abs_checked::<Int16Type>(a),
        DataType::Int32 => abs_checked::<Int32Type>(a),
        DataType::Int64 => abs_checked::<Int64Type>(a),
        DataType::Decimal128(..) => abs_checked::<Decimal128Type>(a),
        DataType::Duration(_) => abs_checked::<DurationMicrosecondType>(a),
        DataType::Interval(_) => abs_checked::<IntervalYearMonthType>(a),
        DataType::Float32 => Ok(Arc::new(
            prim::<Float32Type>(a.as_ref())?.unary::<_, Float32Type>(f32::abs),
        )),
        DataType::Float64 => Ok(Arc::new(
            prim::<Float64Type>(a.as_ref())?.unary::<_, Float64Type>(f64::abs),
        )),
        other => Err(QueryError::Internal(format!("abs: no kernel for {other}"))),
    }
}

func!(ABS, "abs", resolve_abs, invoke_abs);

fn resolve_width_bucket(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 4, 4)?;
    let wants = [Want::Double, Want::Double, Want::Double, Want::Long];
    Ok(Signature {
        args: coerce_args(name, args, &wants)?,
        result: SparkType::Long,
    })
}

/// Spark's `WidthBucket.computeBucketNumber`: 0 below the range, `n + 1` above it, NULL for
/// a non-positive bucket count, equal bounds or non-finite inputs.
fn width_bucket(v: f64, min: f64, max: f64, n: i64) -> Option<i64> {
    if n <= 0
        || n == i64::MAX
        || min == max
        || !(v.is_finite() && min.is_finite() && max.is_finite())
    {
        return None;
    }
    let (lower, upper) = if min < max { (min, max) } else { (max, min) };
    if v < lower {
        return Some(if min < max { 0 } else { n + 1 });
    }
    if v >= upper {
        return Some(if min < max { n + 1 } else { 0 });
    }
    let fraction = if min < max {
        (v - min) / (max - min)
    } else {
        (min - v) / (min - max)
    };
    Some((fraction * n as f64) as i64 + 1)
}

fn invoke_width_bucket(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let (v, lo, hi) = (doubles(args, 0)?, doubles(args, 1)?, doubles(args, 2)?);
    let n = prim::<Int64Type>(arg(args, 3)?.as_ref())?;
    let out: Int64Array = (0..v.len())
        .map(|i| {
            let any_null = v.is_null(i) || lo.is_null(i) || hi.is_null(i) || n.is_null(i);
            if any_null {
                None
            } else {
                width_bucket(v.value(i), lo.value(i), hi.value(i), n.value(i))
            }
        })
        .collect();
    Ok(Arc::new(out))
}

func!(
    WIDTH_BUCKET,
    "width_bucket",
    resolve_width_bucket,
    invoke_width_bucket
);

fn resolve_bin(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Long])?,
        result: SparkType::String,
    })
}

fn invoke_bin(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = prim::<Int64Type>(arg(args, 0)?.as_ref())?;
    Ok(Arc::new(
        a.iter()
            .map(|v| v.map(|x| format!("{x:b}")))
            .collect::<StringArray>(),
    ))
}

func!(BIN, "bin", resolve_bin, invoke_bin);

fn resolve_hex(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    let t = match &args[0].data_type {
        t if t.is_integral() => SparkType::Long,
        SparkType::Binary => SparkType::Binary,
        t => coerce_args(name, &args[..1], &[Want::String])?
            .pop()
            .unwrap_or(t.clone()),
    };
    Ok(Signature {
        args: vec![t],
        result: SparkType::String,
    })
}

fn invoke_hex(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    let a = arg(args, 0)?;
    let hex_bytes = |b: &[u8]| b.iter().map(|x| format!("{x:02X}")).collect::<String>();
    let out: StringArray = match a.data_type() {
        DataType::Int64 => prim::<Int64Type>(a.as_ref())?
            .iter()
            .map(|v| v.map(|x| format!("{x:X}")))
            .collect(),
        DataType::Binary => crate::functions::common::binaries(a.as_ref())?
            .iter()
            .map(|v| v.map(hex_bytes))
            .collect(),
        _ => crate::functions::common::strings(a.as_ref())?
            .iter()
            .map(|v| v.map(|s| hex_bytes(s.as_bytes())))
            .collect(),
    };
    Ok(Arc::new(out))
}

func!(HEX, "hex", resolve_hex, invoke_hex);

/// The math functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &random::RAND,
    &random::RANDOM,
    &random::RANDN,
    &random::UUID,
    &SQRT,
    &CBRT,
    &EXP,
    &EXPM1,
    &LN,
    &LOG10,
    &LOG2,
    &LOG1P,
    &LOG,
    &SIN,
    &COS,
    &TAN,
    &ASIN,
    &ACOS,
    &ATAN,
    &SINH,
    &COSH,
    &TANH,
    &DEGREES,
    &RADIANS,
    &SIGN,
    &SIGNUM,
    &POWER,
    &POW,
    &ATAN2,
    &HYPOT,
    &PI,
    &E,
    &ABS,
    &WIDTH_BUCKET,
    &BIN,
    &HEX,
    &round::ROUND,
    &round::BROUND,
    &round::FLOOR,
    &round::CEIL,
    &round::CEILING,
];

#[cfg(test)]
mod tests;
