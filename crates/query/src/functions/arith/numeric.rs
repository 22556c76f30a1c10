//! Integer and floating-point kernels of the arithmetic operators with ANSI checks:
//! overflow raises `ARITHMETIC_OVERFLOW` (`BINARY_ARITHMETIC_OVERFLOW` for tinyint and
//! smallint), a zero divisor `DIVIDE_BY_ZERO` (`REMAINDER_BY_ZERO` for `%` and `pmod`; for
//! doubles too); the try mode yields NULL instead.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ArrowPrimitiveType, PrimitiveArray};
use arrow::datatypes::{ArrowNativeTypeOp, DataType};

use super::{ArithOp, binary_overflow, overflow, zero_divisor};
use crate::error::Result;
use crate::functions::cast::CastMode;
use crate::functions::common::{binary_opt, prim, try_binary};

/// Checked integer operation; `Err(true)` for a zero divisor, `Err(false)` for overflow.
fn int_op<N: ArrowNativeTypeOp + PartialOrd>(op: ArithOp, a: N, b: N) -> Result<N, bool> {
    let zero = N::ZERO;
    match op {
        ArithOp::Add => a.add_checked(b).map_err(|_| false),
        ArithOp::Subtract => a.sub_checked(b).map_err(|_| false),
        ArithOp::Multiply => a.mul_checked(b).map_err(|_| false),
        ArithOp::Divide | ArithOp::IntegralDivide => {
            if b.is_zero() {
                Err(true)
            } else {
                a.div_checked(b).map_err(|_| false)
            }
        }
        ArithOp::Remainder | ArithOp::Pmod => {
            if b.is_zero() {
                return Err(true);
            }
            // MIN % -1 is 0 in Java, but overflows in Rust's checked remainder.
            let r = a.mod_wrapping(b);
            if op == ArithOp::Pmod && r < zero {
                Ok(r.add_wrapping(b).mod_wrapping(b))
            } else {
                Ok(r)
            }
        }
    }
}

/// Apply an integer operator to two arrays of the same integral type.
pub(super) fn integral<T: ArrowPrimitiveType>(
    op: ArithOp,
    mode: CastMode,
    l: &ArrayRef,
    r: &ArrayRef,
) -> Result<ArrayRef>
where
    T::Native: ArrowNativeTypeOp + PartialOrd,
{
    let (a, b) = (prim::<T>(l.as_ref())?, prim::<T>(r.as_ref())?);
    let out: PrimitiveArray<T> = match mode {
        CastMode::Try => binary_opt(a, b, |x, y| int_op(op, x, y).ok()),
        CastMode::Ansi => {
            let narrow = matches!(T::DATA_TYPE, DataType::Int8 | DataType::Int16);
            try_binary(a, b, |x, y| {
                int_op(op, x, y).map_err(|zero| match zero {
                    true => zero_divisor(op),
                    false if narrow => binary_overflow(op, x, y),
                    false => overflow(op),
                })
            })?
        }
    };
    Ok(Arc::new(out))
}

/// Floating-point operation; `None` for a zero divisor.
fn float_op<N: num_like::Float>(op: ArithOp, a: N, b: N) -> Option<N> {
    match op {
        ArithOp::Add => Some(a + b),
        ArithOp::Subtract => Some(a - b),
        ArithOp::Multiply => Some(a * b),
        ArithOp::Divide | ArithOp::IntegralDivide => (!b.is_zero()).then(|| a / b),
        ArithOp::Remainder => (!b.is_zero()).then(|| a % b),
        ArithOp::Pmod => (!b.is_zero()).then(|| {
            let r = a % b;
            if r < N::zero() { (r + b) % b } else { r }
        }),
    }
}

/// Apply a floating-point operator to two arrays of the same float type.
pub(super) fn floating<T: ArrowPrimitiveType>(
    op: ArithOp,
    mode: CastMode,
    l: &ArrayRef,
    r: &ArrayRef,
) -> Result<ArrayRef>
where
    T::Native: num_like::Float,
{
    let (a, b) = (prim::<T>(l.as_ref())?, prim::<T>(r.as_ref())?);
    let out: PrimitiveArray<T> = match op {
        // No check can fail: one loop per operator, so nothing is decided per row.
        ArithOp::Add => arrow::compute::binary(a, b, |x, y| x + y)?,
        ArithOp::Subtract => arrow::compute::binary(a, b, |x, y| x - y)?,
        ArithOp::Multiply => arrow::compute::binary(a, b, |x, y| x * y)?,
        // No zero divisor among the rows: nothing can fail, so the loop vectorises.
        _ if b.null_count() == 0 && !b.values().iter().any(|y| num_like::Float::is_zero(*y)) => {
            arrow::compute::binary(a, b, |x, y| float_op(op, x, y).unwrap_or(x))?
        }
        _ => match mode {
            CastMode::Try => binary_opt(a, b, |x, y| float_op(op, x, y)),
            CastMode::Ansi => try_binary(a, b, |x, y| {
                float_op(op, x, y).ok_or_else(|| zero_divisor(op))
            })?,
        },
    };
    Ok(Arc::new(out))
}

/// The float operations the kernels need, implemented for `f32` and `f64`.
pub(crate) mod num_like {
    use std::ops::{Add, Div, Mul, Rem, Sub};

    /// `f32` or `f64`.
    pub trait Float:
        Copy
        + PartialOrd
        + Add<Output = Self>
        + Sub<Output = Self>
        + Mul<Output = Self>
        + Div<Output = Self>
        + Rem<Output = Self>
    {
        /// `0.0`
        fn zero() -> Self;
        /// Whether the value is `0.0` or `-0.0`.
        fn is_zero(self) -> bool;
    }

    impl Float for f32 {
        fn zero() -> Self {
            0.0
        }
        fn is_zero(self) -> bool {
            self == 0.0
        }
    }

    impl Float for f64 {
        fn zero() -> Self {
            0.0
        }
        fn is_zero(self) -> bool {
            self == 0.0
        }
    }
}
