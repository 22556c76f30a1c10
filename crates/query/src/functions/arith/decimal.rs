//! Decimal kernels of the arithmetic operators: exact 256-bit intermediate results, rounded
//! HALF_UP to the result scale of Spark's `DecimalPrecision` rules.

use std::sync::Arc;

use arrow::array::{ArrayRef, PrimitiveArray};
use arrow::datatypes::{Decimal128Type, Int64Type, i256};

use super::resolve::decimal_result;
use super::{ArithOp, overflow, zero_divisor};
use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::cast::CastMode;
use crate::functions::common::{binary_opt, prim, try_binary};
use crate::functions::decimal::fits_precision;

/// Why a decimal operation has no value.
enum Failure {
    DivideByZero,
    /// The exact result needs more digits than the result type has.
    OutOfRange,
}

fn ten_pow(n: i32) -> Option<i256> {
    u32::try_from(n)
        .ok()
        .and_then(|n| i256::from_i128(10).checked_pow(n))
}

/// `n / d` rounded half away from zero.
fn div_half_up(n: i256, d: i256) -> Option<i256> {
    let (q, r) = n.checked_div_rem(d)?;
    let twice = r.checked_abs()?.checked_mul(i256::from_i128(2))?;
    if twice >= d.checked_abs()? {
        let step = if n.is_negative() != d.is_negative() {
            i256::MINUS_ONE
        } else {
            i256::ONE
        };
        q.checked_add(step)
    } else {
        Some(q)
    }
}

/// Move an exact value from scale `from` to scale `to` (HALF_UP when shrinking).
fn to_scale(v: i256, from: i32, to: i32) -> Option<i256> {
    if to >= from {
        v.checked_mul(ten_pow(to - from)?)
    } else {
        div_half_up(v, ten_pow(from - to)?)
    }
}

struct Operands {
    s1: i32,
    s2: i32,
    scale: i32,
    precision: u8,
}

fn compute(op: ArithOp, k: &Operands, a: i128, b: i128) -> Result<i128, Failure> {
    let (a, b) = (i256::from_i128(a), i256::from_i128(b));
    let common = k.s1.max(k.s2);
    let exact = || -> Option<(i256, i256)> {
        Some((to_scale(a, k.s1, common)?, to_scale(b, k.s2, common)?))
    };
    let value = match op {
        ArithOp::Add | ArithOp::Subtract => {
            let (x, y) = exact().ok_or(Failure::OutOfRange)?;
            let sum = if op == ArithOp::Add {
                x.checked_add(y)
            } else {
                x.checked_sub(y)
            };
            sum.and_then(|v| to_scale(v, common, k.scale))
        }
        ArithOp::Multiply => a
            .checked_mul(b)
            .and_then(|v| to_scale(v, k.s1 + k.s2, k.scale)),
        ArithOp::Divide => {
            if b == i256::ZERO {
                return Err(Failure::DivideByZero);
            }
            let shift = k.scale - k.s1 + k.s2;
            if shift >= 0 {
                a.checked_mul(ten_pow(shift).ok_or(Failure::OutOfRange)?)
                    .and_then(|n| div_half_up(n, b))
            } else {
                b.checked_mul(ten_pow(-shift).ok_or(Failure::OutOfRange)?)
                    .and_then(|d| div_half_up(a, d))
            }
        }
        ArithOp::Remainder | ArithOp::Pmod | ArithOp::IntegralDivide => {
            if b == i256::ZERO {
                return Err(Failure::DivideByZero);
            }
            let (x, y) = exact().ok_or(Failure::OutOfRange)?;
            if op == ArithOp::IntegralDivide {
                x.checked_div(y)
            } else {
                let r = x.checked_rem(y).and_then(|r| {
                    if op == ArithOp::Pmod && r.is_negative() {
                        r.checked_add(y).and_then(|v| v.checked_rem(y))
                    } else {
                        Some(r)
                    }
                });
                r.and_then(|v| to_scale(v, common, k.scale))
            }
        }
    };
    let value = value.and_then(|v| v.to_i128()).ok_or(Failure::OutOfRange)?;
    if op != ArithOp::IntegralDivide && !fits_precision(value, k.precision) {
        return Err(Failure::OutOfRange);
    }
    Ok(value)
}

fn out_of_range(k: &Operands) -> QueryError {
    QueryError::execution(
        ErrorClass::NumericValueOutOfRangeWithSuggestion,
        format!(
            "The result cannot be represented as Decimal({}, {}). If necessary set \
             \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, and return NULL instead.",
            k.precision, k.scale
        ),
    )
}

/// Apply `op` to two decimal arrays (any precisions and scales).
pub(super) fn decimal(op: ArithOp, mode: CastMode, l: &ArrayRef, r: &ArrayRef) -> Result<ArrayRef> {
    let (a, b) = (
        prim::<Decimal128Type>(l.as_ref())?,
        prim::<Decimal128Type>(r.as_ref())?,
    );
    let ((p1, s1), (p2, s2)) = ((a.precision(), a.scale()), (b.precision(), b.scale()));
    let (precision, scale) = decimal_result(op, (p1, s1), (p2, s2));
    let k = Operands {
        s1: s1.into(),
        s2: s2.into(),
        scale: scale.into(),
        precision,
    };
    let fail = |f: Failure| match f {
        Failure::DivideByZero => zero_divisor(op),
        Failure::OutOfRange if op == ArithOp::IntegralDivide => overflow(op),
        Failure::OutOfRange => out_of_range(&k),
    };
    if op == ArithOp::IntegralDivide {
        let out: PrimitiveArray<Int64Type> = match mode {
            CastMode::Try => binary_opt(a, b, |x, y| {
                compute(op, &k, x, y)
                    .ok()
                    .and_then(|v| i64::try_from(v).ok())
            }),
            CastMode::Ansi => try_binary(a, b, |x, y| {
                let v = compute(op, &k, x, y).map_err(fail)?;
                i64::try_from(v).map_err(|_| overflow(op))
            })?,
        };
        return Ok(Arc::new(out));
    }
    let out: PrimitiveArray<Decimal128Type> = match mode {
        CastMode::Try => binary_opt(a, b, |x, y| compute(op, &k, x, y).ok()),
        CastMode::Ansi => try_binary(a, b, |x, y| compute(op, &k, x, y).map_err(fail))?,
    };
    Ok(Arc::new(out.with_precision_and_scale(precision, scale)?))
}
