//! `round` (HALF_UP), `bround` (HALF_EVEN), `floor` and `ceil`, with Spark's result types:
//! the input type for `round` of integral and floating types, a narrower decimal for
//! decimals, and `bigint` for `floor`/`ceil` without a scale.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, ArrowPrimitiveType, PrimitiveArray};
use arrow::datatypes::{
    DataType, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::arith::{ArithOp, overflow};
use crate::functions::common::{arg, check_arity, constant_i64, func, prim, unexpected_type};
use crate::functions::decimal::{fits_precision, pow10, shortest_digits};
use crate::functions::{ArgInfo, EvalContext, Signature};
use crate::types::{MAX_DECIMAL_PRECISION, SparkType, bounded_decimal, decimal_for_type};

/// How the dropped digits are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    HalfUp,
    HalfEven,
    Floor,
    Ceiling,
}

/// `v / 10^drop` rounded per `mode` (the quotient, not scaled back).
fn round_quotient(v: i128, drop: u32, mode: Mode) -> i128 {
    if drop == 0 {
        return v;
    }
    if drop > 38 {
        return match mode {
            Mode::Floor if v < 0 => -1,
            Mode::Ceiling if v > 0 => 1,
            _ => 0,
        };
    }
    let d = pow10(drop);
    let (q, r) = (v / d, v % d);
    if r == 0 {
        return q;
    }
    let twice = r.unsigned_abs() * 2;
    let away = match mode {
        Mode::HalfUp => twice >= d.unsigned_abs(),
        Mode::HalfEven => twice > d.unsigned_abs() || (twice == d.unsigned_abs() && q % 2 != 0),
        Mode::Floor => v < 0,
        Mode::Ceiling => v > 0,
    };
    if away { q + v.signum() } else { q }
}

/// Round a double to `scale` decimal places the way Spark does: through its shortest
/// decimal text (`BigDecimal(d).setScale(scale, mode).toDouble`).
fn round_f64(v: f64, scale: i32, mode: Mode) -> f64 {
    let Some((negative, digits, exponent)) = shortest_digits(v) else {
        return v;
    };
    // Digits below the place 10^-scale are dropped.
    let drop = -(exponent + scale);
    if drop <= 0 {
        return v;
    }
    // 10^19 is the largest power of ten in a u64; dropping more leaves less than a half.
    let (q, away) = if drop > 19 {
        let nonzero = digits != 0;
        (
            0,
            matches!(
                (mode, negative),
                (Mode::Floor, true) | (Mode::Ceiling, false)
            ) && nonzero,
        )
    } else {
        let divisor = 10_u64.pow(drop as u32);
        let (q, r) = (digits / divisor, digits % divisor);
        let half = r.cmp(&(divisor - r));
        let away = match mode {
            Mode::HalfUp => half.is_ge(),
            Mode::HalfEven => half.is_gt() || (half.is_eq() && q % 2 == 1),
            Mode::Floor => negative && r != 0,
            Mode::Ceiling => !negative && r != 0,
        };
        (q, away)
    };
    let q = q + u64::from(away);
    let magnitude = exact_scaled(q, scale);
    if negative { -magnitude } else { magnitude }
}

/// `q × 10^-scale` correctly rounded: one IEEE operation on exact operands when possible,
/// else through decimal text.
fn exact_scaled(q: u64, scale: i32) -> f64 {
    const EXACT_INT: u64 = 1 << 53;
    const EXACT_POW10: i32 = 22;
    if q < EXACT_INT && scale.abs() <= EXACT_POW10 {
        let p = 10_f64.powi(scale.abs());
        return if scale >= 0 {
            q as f64 / p
        } else {
            q as f64 * p
        };
    }
    format!("{q}e{}", -scale).parse().unwrap_or(f64::NAN)
}

fn scale_arg(name: &str, args: &[ArgInfo]) -> Result<i32> {
    if args.len() < 2 {
        return Ok(0);
    }
    if !args[1].data_type.is_integral() {
        return Err(unexpected_type(name, 1, "\"INT\"", &args[1].data_type));
    }
    let v = constant_i64(args, 1).ok_or_else(|| {
        QueryError::analysis(
            ErrorClass::DatatypeMismatchNonFoldableInput,
            format!("Cannot resolve \"{name}\": the input `scale` should be a foldable \"INT\" expression."),
        )
    })?;
    i32::try_from(v).map_err(|_| unexpected_type(name, 1, "\"INT\"", &args[1].data_type))
}

/// The decimal type `round(decimal(p,s), scale)` returns.
fn rounded_decimal(p: u8, s: i8, scale: i32) -> SparkType {
    let integral = i32::from(p) - i32::from(s) + 1;
    let max = i32::from(MAX_DECIMAL_PRECISION);
    if scale < 0 {
        SparkType::Decimal(integral.max(-scale + 1).min(max) as u8, 0)
    } else {
        let new_scale = i32::from(s).min(scale);
        SparkType::Decimal((integral + new_scale).min(max) as u8, new_scale as i8)
    }
}

fn resolve_round(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 2)?;
    let scale = scale_arg(name, args)?;
    let t = match &args[0].data_type {
        t if t.is_numeric() => t.clone(),
        SparkType::String | SparkType::Null => SparkType::Double,
        other => return Err(unexpected_type(name, 0, "\"NUMERIC\"", other)),
    };
    let result = match t {
        SparkType::Decimal(p, s) => rounded_decimal(p, s, scale),
        ref other => other.clone(),
    };
    let mut sig_args = vec![t];
    if args.len() == 2 {
        sig_args.push(SparkType::Int);
    }
    Ok(Signature {
        args: sig_args,
        result,
    })
}

fn resolve_floor_ceil(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 2)?;
    let t = match &args[0].data_type {
        t if t.is_numeric() => t.clone(),
        SparkType::String | SparkType::Null => SparkType::Double,
        other => return Err(unexpected_type(name, 0, "\"NUMERIC\"", other)),
    };
    if args.len() == 2 {
        let scale = scale_arg(name, args)?;
        let (p, s) = decimal_for_type(&t).unwrap_or((38, 18));
        return Ok(Signature {
            args: vec![SparkType::Decimal(p, s), SparkType::Int],
            result: rounded_decimal(p, s, scale),
        });
    }
    Ok(match t {
        SparkType::Decimal(_, 0) => Signature {
            args: vec![t.clone()],
            result: t,
        },
        SparkType::Decimal(p, s) => {
            let (rp, _) = bounded_decimal(i32::from(p) - i32::from(s) + 1, 0);
            Signature {
                args: vec![t],
                result: SparkType::Decimal(rp, 0),
            }
        }
        t if t.is_integral() => Signature {
            args: vec![SparkType::Long],
            result: SparkType::Long,
        },
        _ => Signature {
            args: vec![SparkType::Double],
            result: SparkType::Long,
        },
    })
}

fn round_integral<T: ArrowPrimitiveType>(a: &ArrayRef, scale: i32, mode: Mode) -> Result<ArrayRef>
where
    T::Native: Into<i128> + TryFrom<i128>,
{
    let a = prim::<T>(a.as_ref())?;
    if scale >= 0 {
        return Ok(Arc::new(a.clone()));
    }
    let drop = scale.unsigned_abs();
    let out: PrimitiveArray<T> = a.try_unary(|v| {
        let q = round_quotient(v.into(), drop, mode);
        let back = if drop > 38 {
            Some(0)
        } else {
            q.checked_mul(pow10(drop))
        };
        back.and_then(|x| T::Native::try_from(x).ok())
            .ok_or_else(|| overflow(ArithOp::Multiply))
    })?;
    Ok(Arc::new(out))
}

fn round_decimal(a: &ArrayRef, scale: i32, mode: Mode, result: (u8, i8)) -> Result<ArrayRef> {
    let a = prim::<Decimal128Type>(a.as_ref())?;
    let s = u32::try_from(a.scale()).unwrap_or(0);
    let (rp, rs) = result;
    // Digits to drop: down to `scale` fractional digits, or `-scale` integer digits too.
    let drop = match u32::try_from(scale) {
        Ok(keep) => s - keep.min(s),
        Err(_) => s + scale.unsigned_abs(),
    };
    let out: PrimitiveArray<Decimal128Type> = a.try_unary(|v| {
        let q = round_quotient(v, drop, mode);
        let value = if scale < 0 {
            q.checked_mul(pow10(scale.unsigned_abs()))
        } else {
            Some(q)
        };
        value.filter(|x| fits_precision(*x, rp)).ok_or_else(|| {
            QueryError::execution(
                ErrorClass::NumericValueOutOfRangeWithSuggestion,
                format!("The rounded value cannot be represented as Decimal({rp}, {rs})."),
            )
        })
    })?;
    Ok(Arc::new(out.with_precision_and_scale(rp, rs)?))
}

fn invoke_with(args: &[ArrayRef], mode: Mode, floor_ceil: bool) -> Result<ArrayRef> {
    let a = arg(args, 0)?;
    let scale = match args.get(1) {
        Some(s) => {
            let s = prim::<Int32Type>(s.as_ref())?;
            if s.is_empty() || s.is_null(0) {
                0
            } else {
                s.value(0)
            }
        }
        None => 0,
    };
    match a.data_type() {
        DataType::Float64 if floor_ceil => {
            let f = if mode == Mode::Floor {
                f64::floor
            } else {
                f64::ceil
            };
            // Like Scala's `toLong`: saturating, NaN → 0.
            Ok(Arc::new(
                prim::<Float64Type>(a.as_ref())?.unary::<_, Int64Type>(|v| f(v) as i64),
            ))
        }
        DataType::Int64 if floor_ceil => Ok(a.clone()),
        DataType::Float64 => Ok(Arc::new(
            prim::<Float64Type>(a.as_ref())?.unary::<_, Float64Type>(|v| round_f64(v, scale, mode)),
        )),
        DataType::Float32 => Ok(Arc::new(
            prim::<Float32Type>(a.as_ref())?
                .unary::<_, Float32Type>(|v| round_f64(f64::from(v), scale, mode) as f32),
        )),
        DataType::Int8 => round_integral::<Int8Type>(a, scale, mode),
        DataType::Int16 => round_integral::<Int16Type>(a, scale, mode),
        DataType::Int32 => round_integral::<Int32Type>(a, scale, mode),
        DataType::Int64 => round_integral::<Int64Type>(a, scale, mode),
        DataType::Decimal128(p, s) => {
            let result = if floor_ceil && args.len() == 1 {
                if *s == 0 {
                    (*p, 0)
                } else {
                    bounded_decimal(i32::from(*p) - i32::from(*s) + 1, 0)
                }
            } else {
                match rounded_decimal(*p, *s, scale) {
                    SparkType::Decimal(rp, rs) => (rp, rs),
                    _ => (*p, *s),
                }
            };
            round_decimal(a, scale, mode, result)
        }
        other => Err(QueryError::Internal(format!(
            "round: no kernel for {other}"
        ))),
    }
}

func!(ROUND, "round", resolve_round, |args, _, _: &EvalContext| {
    invoke_with(args, Mode::HalfUp, false)
});
func!(
    BROUND,
    "bround",
    resolve_round,
    |args, _, _: &EvalContext| invoke_with(args, Mode::HalfEven, false)
);
func!(
    FLOOR,
    "floor",
    resolve_floor_ceil,
    |args, _, _: &EvalContext| invoke_with(args, Mode::Floor, true)
);
func!(
    CEIL,
    "ceil",
    resolve_floor_ceil,
    |args, _, _: &EvalContext| invoke_with(args, Mode::Ceiling, true)
);
func!(
    CEILING,
    "ceiling",
    resolve_floor_ceil,
    |args, _, _: &EvalContext| invoke_with(args, Mode::Ceiling, true)
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_round_f64_half_up_on_shortest_text() {
        assert_eq!(round_f64(2.5, 0, Mode::HalfUp), 3.0);
        assert_eq!(round_f64(-2.5, 0, Mode::HalfUp), -3.0);
        assert_eq!(round_f64(2.5, 0, Mode::HalfEven), 2.0);
        assert_eq!(round_f64(0.125, 2, Mode::HalfUp), 0.13);
        assert_eq!(round_f64(88.31699999, 3, Mode::HalfUp), 88.317);
        assert_eq!(round_f64(1234.5, -2, Mode::HalfUp), 1200.0);
        assert_eq!(round_f64(0.0004, 2, Mode::HalfUp), 0.0);
        assert_eq!(round_f64(1.5, 3, Mode::HalfUp), 1.5);
        assert!(round_f64(f64::NAN, 1, Mode::HalfUp).is_nan());
    }

    #[test]
    fn test_round_quotient_modes() {
        assert_eq!(round_quotient(25, 1, Mode::HalfUp), 3);
        assert_eq!(round_quotient(25, 1, Mode::HalfEven), 2);
        assert_eq!(round_quotient(-21, 1, Mode::Floor), -3);
        assert_eq!(round_quotient(21, 1, Mode::Ceiling), 3);
        assert_eq!(round_quotient(-25, 1, Mode::HalfUp), -3);
    }
}
