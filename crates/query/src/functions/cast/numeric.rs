//! Casts between the numeric types and boolean.
//!
//! Every source is first widened losslessly to `bigint`, `double` or its decimal, so that
//! each target needs one kernel per source family.

use std::sync::Arc;

use arrow::array::{ArrayRef, ArrowPrimitiveType, BooleanArray, PrimitiveArray};
use arrow::datatypes::{
    DataType, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
};
use tsdf::convert;

use super::{CastMode, cast_overflow, decimal_out_of_range};
use crate::error::{QueryError, Result};
use crate::functions::common::{booleans, prim};
use crate::functions::decimal::{
    decimal_to_f32, decimal_to_f64, decimal_to_string, f64_to_decimal, fits_precision, pow10,
    rescale,
};
use crate::functions::format::{java_double_to_string, java_float_to_string};
use crate::types::SparkType;

/// Numeric types and boolean, which cast among each other.
pub(super) fn is_numeric_like(t: &SparkType) -> bool {
    t.is_numeric() || *t == SparkType::Boolean
}

/// A source column widened without loss.
/// (Arrow arrays share their buffers, so the clones below copy no values.)
enum Source {
    Long(PrimitiveArray<Int64Type>),
    Double(PrimitiveArray<Float64Type>),
    Decimal(PrimitiveArray<Decimal128Type>, i8),
}

/// Spark's SQL literal text of an integral value of type `t`, for error messages.
fn integral_literal(v: i64, t: &SparkType) -> String {
    match t {
        SparkType::Long => format!("{v}L"),
        SparkType::Short => format!("{v}S"),
        SparkType::Byte => format!("{v}Y"),
        _ => v.to_string(),
    }
}

fn double_literal(v: f64, t: &SparkType) -> String {
    if *t == SparkType::Float {
        format!("{}F", java_float_to_string(v as f32))
    } else {
        format!("{}D", java_double_to_string(v))
    }
}

/// Apply `f` to every valid value; a `None` result is an error in ANSI mode, NULL in try mode.
fn convert<I, O>(
    input: &PrimitiveArray<I>,
    mode: CastMode,
    f: impl Fn(I::Native) -> Option<O::Native>,
    error: impl Fn(I::Native) -> QueryError,
) -> Result<PrimitiveArray<O>>
where
    I: ArrowPrimitiveType,
    O: ArrowPrimitiveType,
{
    match mode {
        CastMode::Ansi => input.try_unary(|v| f(v).ok_or_else(|| error(v))),
        CastMode::Try => Ok(input.unary_opt(f)),
    }
}

/// Cast between numeric types and boolean.
pub(super) fn cast_numeric(
    array: &ArrayRef,
    from: &SparkType,
    to: &SparkType,
    mode: CastMode,
) -> Result<ArrayRef> {
    let source = match from {
        SparkType::Byte | SparkType::Short | SparkType::Int | SparkType::Long => {
            Source::Long(prim::<Int64Type>(&convert::cast(array, &DataType::Int64)?)?.clone())
        }
        SparkType::Boolean => {
            let b = booleans(array)?;
            Source::Long(b.iter().map(|v| v.map(i64::from)).collect())
        }
        SparkType::Float | SparkType::Double => {
            Source::Double(prim::<Float64Type>(&convert::cast(array, &DataType::Float64)?)?.clone())
        }
        SparkType::Decimal(_, s) => {
            Source::Decimal(prim::<Decimal128Type>(array.as_ref())?.clone(), *s)
        }
        _ => return Err(super::cast_not_allowed(from, to)),
    };
    match to {
        SparkType::Boolean => Ok(Arc::new(to_boolean(&source))),
        SparkType::Byte => to_integral::<Int8Type>(&source, from, to, mode, -128, 127),
        SparkType::Short => to_integral::<Int16Type>(&source, from, to, mode, -32768, 32767),
        SparkType::Int => {
            to_integral::<Int32Type>(&source, from, to, mode, i32::MIN.into(), i32::MAX.into())
        }
        SparkType::Long => to_integral::<Int64Type>(&source, from, to, mode, i64::MIN, i64::MAX),
        SparkType::Float => Ok(Arc::new(to_float(&source))),
        SparkType::Double => Ok(Arc::new(to_double(&source))),
        SparkType::Decimal(p, s) => to_decimal(&source, from, *p, *s, mode),
        _ => Err(super::cast_not_allowed(from, to)),
    }
}

fn to_boolean(source: &Source) -> BooleanArray {
    match source {
        Source::Long(a) => a.iter().map(|v| v.map(|x| x != 0)).collect(),
        Source::Double(a) => a.iter().map(|v| v.map(|x| x != 0.0)).collect(),
        Source::Decimal(a, _) => a.iter().map(|v| v.map(|x| x != 0)).collect(),
    }
}

fn to_integral<O>(
    source: &Source,
    from: &SparkType,
    to: &SparkType,
    mode: CastMode,
    min: i64,
    max: i64,
) -> Result<ArrayRef>
where
    O: ArrowPrimitiveType,
    O::Native: TryFrom<i64>,
{
    let narrow = move |v: i64| O::Native::try_from(v).ok();
    // Truncation toward zero, then a range check on the exact truncated value. `max as f64`
    // rounds up for bigint, so the upper bound is exclusive there.
    let from_double = move |v: f64| {
        let t = v.trunc();
        let in_range = if max == i64::MAX {
            t >= min as f64 && t < max as f64
        } else {
            t >= min as f64 && t <= max as f64
        };
        if v.is_finite() && in_range {
            O::Native::try_from(t as i64).ok()
        } else {
            None
        }
    };
    let out: PrimitiveArray<O> = match source {
        Source::Long(a) => convert(a, mode, narrow, |v| {
            cast_overflow(&integral_literal(v, from), from, to)
        })?,
        Source::Double(a) => convert(a, mode, from_double, |v| {
            cast_overflow(&double_literal(v, from), from, to)
        })?,
        Source::Decimal(a, s) => {
            let divisor = pow10(u32::try_from(*s).unwrap_or(0));
            convert(
                a,
                mode,
                |v| i64::try_from(v / divisor).ok().and_then(narrow),
                |v| cast_overflow(&format!("{}BD", decimal_to_string(v, *s)), from, to),
            )?
        }
    };
    Ok(Arc::new(out))
}

fn to_float(source: &Source) -> PrimitiveArray<Float32Type> {
    match source {
        Source::Long(a) => a.unary(|v| v as f32),
        Source::Double(a) => a.unary(|v| v as f32),
        Source::Decimal(a, s) => a.unary(|v| decimal_to_f32(v, *s)),
    }
}

fn to_double(source: &Source) -> PrimitiveArray<Float64Type> {
    match source {
        Source::Long(a) => a.unary(|v| v as f64),
        Source::Double(a) => a.clone(),
        Source::Decimal(a, s) => a.unary(|v| decimal_to_f64(v, *s)),
    }
}

fn to_decimal(
    source: &Source,
    from: &SparkType,
    precision: u8,
    scale: i8,
    mode: CastMode,
) -> Result<ArrayRef> {
    let out: PrimitiveArray<Decimal128Type> = match source {
        Source::Long(a) => {
            let factor = pow10(u32::try_from(scale).unwrap_or(0));
            convert(
                a,
                mode,
                |v| {
                    i128::from(v)
                        .checked_mul(factor)
                        .filter(|x| fits_precision(*x, precision))
                },
                |v| decimal_out_of_range(&v.to_string(), precision, scale),
            )?
        }
        Source::Double(a) => convert(
            a,
            mode,
            |v| f64_to_decimal(v, precision, scale),
            |v| {
                if v.is_finite() {
                    decimal_out_of_range(&java_double_to_string(v), precision, scale)
                } else {
                    super::invalid_input(
                        &java_double_to_string(v),
                        from,
                        &SparkType::Decimal(precision, scale),
                    )
                }
            },
        )?,
        Source::Decimal(a, s) => convert(
            a,
            mode,
            |v| rescale(v, *s, scale).filter(|x| fits_precision(*x, precision)),
            |v| decimal_out_of_range(&decimal_to_string(v, *s), precision, scale),
        )?,
    };
    Ok(Arc::new(out.with_precision_and_scale(precision, scale)?))
}
