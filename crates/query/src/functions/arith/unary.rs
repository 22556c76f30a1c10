//! Unary `negative` (`-x`) and `positive` (`+x`).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ArrowPrimitiveType, PrimitiveArray};
use arrow::datatypes::{
    ArrowNativeTypeOp, DataType, Decimal128Type, DurationMicrosecondType, Float32Type, Float64Type,
    Int8Type, Int16Type, Int32Type, Int64Type, IntervalMonthDayNano, IntervalMonthDayNanoType,
    IntervalUnit, IntervalYearMonthType, TimeUnit,
};

use super::{ArithOp, overflow};
use crate::error::{QueryError, Result};
use crate::functions::common::{arg, check_arity, func, prim, unexpected_type};
use crate::functions::{ArgInfo, Signature};
use crate::types::SparkType;

fn resolve_unary(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    let t = &args[0].data_type;
    let target = match t {
        SparkType::String | SparkType::Null => SparkType::Double,
        t if t.is_numeric() || t.is_interval() => t.clone(),
        other => {
            return Err(unexpected_type(
                name,
                0,
                "(\"NUMERIC\" or \"INTERVAL\")",
                other,
            ));
        }
    };
    Ok(Signature {
        args: vec![target.clone()],
        result: target,
    })
}

fn negate_checked<T: ArrowPrimitiveType>(a: &ArrayRef) -> Result<ArrayRef>
where
    T::Native: ArrowNativeTypeOp,
{
    let a = prim::<T>(a.as_ref())?;
    let out: PrimitiveArray<T> =
        a.try_unary(|v| v.neg_checked().map_err(|_| overflow(ArithOp::Subtract)))?;
    Ok(Arc::new(out.with_data_type(a.data_type().clone())))
}

fn invoke_negative(
    args: &[ArrayRef],
    _: usize,
    _: &crate::functions::EvalContext,
) -> Result<ArrayRef> {
    let a = arg(args, 0)?;
    match a.data_type() {
        DataType::Int8 => negate_checked::<Int8Type>(a),
        DataType::Int16 => negate_checked::<Int16Type>(a),
        DataType::Int32 => negate_checked::<Int32Type>(a),
        DataType::Int64 => negate_checked::<Int64Type>(a),
        DataType::Duration(TimeUnit::Microsecond) => negate_checked::<DurationMicrosecondType>(a),
        DataType::Interval(IntervalUnit::YearMonth) => negate_checked::<IntervalYearMonthType>(a),
        // A decimal's range is symmetric, so negation cannot overflow.
        DataType::Decimal128(..) => negate_checked::<Decimal128Type>(a),
        DataType::Float32 => Ok(Arc::new(
            prim::<Float32Type>(a.as_ref())?.unary::<_, Float32Type>(|v| -v),
        )),
        DataType::Float64 => Ok(Arc::new(
            prim::<Float64Type>(a.as_ref())?.unary::<_, Float64Type>(|v| -v),
        )),
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let a = prim::<IntervalMonthDayNanoType>(a.as_ref())?;
            let out: PrimitiveArray<IntervalMonthDayNanoType> = a.try_unary(|v| {
                Ok::<_, QueryError>(IntervalMonthDayNano::new(
                    v.months
                        .checked_neg()
                        .ok_or_else(|| overflow(ArithOp::Subtract))?,
                    v.days
                        .checked_neg()
                        .ok_or_else(|| overflow(ArithOp::Subtract))?,
                    v.nanoseconds
                        .checked_neg()
                        .ok_or_else(|| overflow(ArithOp::Subtract))?,
                ))
            })?;
            Ok(Arc::new(out))
        }
        DataType::Null => Ok(a.clone()),
        other => Err(QueryError::Internal(format!(
            "negative: no kernel for {other}"
        ))),
    }
}

fn invoke_positive(
    args: &[ArrayRef],
    _: usize,
    _: &crate::functions::EvalContext,
) -> Result<ArrayRef> {
    Ok(arg(args, 0)?.clone())
}

func!(NEGATIVE, "negative", resolve_unary, invoke_negative);
func!(POSITIVE, "positive", resolve_unary, invoke_positive);
