//! Operand and result types of the arithmetic operators (Spark's ANSI type coercion and
//! `DecimalPrecision` rules with `allowPrecisionLoss = true`).

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{binary_op_diff_types, check_arity, constant_i64};
use crate::functions::{ArgInfo, Signature};
use crate::types::{
    MAX_DECIMAL_PRECISION, SparkType, decimal_for_type, tightest_common_type, wider_type_for_string,
};

use super::ArithOp;
use super::datetime::resolve_datetime;

/// Spark keeps at least this many fractional digits when a decimal result must lose
/// precision (`DecimalType.MINIMUM_ADJUSTED_SCALE`).
const MINIMUM_ADJUSTED_SCALE: i32 = 6;

/// Spark's `DecimalType.adjustPrecisionScale`: cap the precision at 38, giving up fractional
/// digits (but keeping at least 6) before integer digits.
pub(crate) fn adjust_precision_scale(precision: i32, scale: i32) -> (u8, i8) {
    let max = i32::from(MAX_DECIMAL_PRECISION);
    if precision <= max {
        return (precision.max(1) as u8, scale as i8);
    }
    let int_digits = precision - scale;
    let min_scale = scale.min(MINIMUM_ADJUSTED_SCALE);
    let adjusted = (max - int_digits).max(min_scale);
    (MAX_DECIMAL_PRECISION, adjusted as i8)
}

/// The result type of `decimal(p1,s1) <op> decimal(p2,s2)`.
///
/// # Examples
/// `10.0 / 3` is `decimal(3,1) / decimal(1,0)` = `decimal(8,6)`.
pub(crate) fn decimal_result(op: ArithOp, (p1, s1): (u8, i8), (p2, s2): (u8, i8)) -> (u8, i8) {
    let (p1, s1, p2, s2) = (i32::from(p1), i32::from(s1), i32::from(p2), i32::from(s2));
    match op {
        ArithOp::Add | ArithOp::Subtract => {
            let scale = s1.max(s2);
            adjust_precision_scale((p1 - s1).max(p2 - s2) + scale + 1, scale)
        }
        ArithOp::Multiply => adjust_precision_scale(p1 + p2 + 1, s1 + s2),
        ArithOp::Divide => {
            let scale = MINIMUM_ADJUSTED_SCALE.max(s1 + p2 + 1);
            adjust_precision_scale(p1 - s1 + s2 + scale, scale)
        }
        ArithOp::Remainder | ArithOp::Pmod => {
            let scale = s1.max(s2);
            adjust_precision_scale((p1 - s1).min(p2 - s2) + scale, scale)
        }
        // Integral division yields bigint; the decimal type is unused.
        ArithOp::IntegralDivide => (20, 0),
    }
}

/// Digits of an integer literal (Spark's `DecimalType.fromLiteral`), at least 1.
fn literal_digits(v: i64) -> u8 {
    v.unsigned_abs().checked_ilog10().map_or(1, |d| d as u8 + 1)
}

/// The decimal type an argument takes next to a decimal: its own, a literal's minimal one
/// (`3` → `decimal(1,0)`), or the integral type's full range (`int` → `decimal(10,0)`).
fn as_decimal(arg: &ArgInfo, t: &SparkType) -> Option<(u8, i8)> {
    match t {
        SparkType::Decimal(p, s) => Some((*p, *s)),
        t if t.is_integral() => match constant_i64(std::slice::from_ref(arg), 0) {
            Some(v) if arg.data_type == *t => Some((literal_digits(v), 0)),
            _ => decimal_for_type(t),
        },
        _ => None,
    }
}

/// Replace a string operand by the number type ANSI mode reads it as: `bigint` next to an
/// integral type, `double` otherwise; a NULL operand takes the other operand's type.
fn promote(l: &SparkType, r: &SparkType) -> (SparkType, SparkType) {
    use SparkType as T;
    match (l, r) {
        (T::String, T::String) | (T::String, T::Null) | (T::Null, T::String) => {
            (T::Double, T::Double)
        }
        (T::Null, T::Null) => (T::Double, T::Double),
        (T::String, other) if other.is_numeric() => (
            wider_type_for_string(l, r).unwrap_or(T::Double),
            other.clone(),
        ),
        (other, T::String) if other.is_numeric() => (
            other.clone(),
            wider_type_for_string(l, r).unwrap_or(T::Double),
        ),
        (T::Null, other) => (other.clone(), other.clone()),
        (other, T::Null) => (other.clone(), other.clone()),
        _ => (l.clone(), r.clone()),
    }
}

/// Resolve `args[0] <op> args[1]`.
pub(crate) fn resolve_arith(
    name: &'static str,
    op: ArithOp,
    args: &[ArgInfo],
) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let (l0, r0) = (&args[0].data_type, &args[1].data_type);
    if let Some(signature) = resolve_datetime(op, l0, r0)? {
        return Ok(signature);
    }
    let (l, r) = promote(l0, r0);
    if !l.is_numeric() || !r.is_numeric() {
        return Err(if l == r {
            QueryError::analysis(
                ErrorClass::DatatypeMismatchBinaryOpWrongType,
                format!(
                    "Cannot resolve \"(left {} right)\" due to data type mismatch: the binary \
                     operator requires the input type \"NUMERIC\", not {}.",
                    op.symbol(),
                    l.sql_name()
                ),
            )
        } else {
            binary_op_diff_types(op.symbol(), l0, r0)
        });
    }
    let has_decimal = matches!(l, SparkType::Decimal(..)) || matches!(r, SparkType::Decimal(..));
    let has_floating = l.is_floating() || r.is_floating();
    let signature = |a: SparkType, b: SparkType, result: SparkType| Signature {
        args: vec![a, b],
        result,
    };
    if has_decimal && !has_floating {
        let ld =
            as_decimal(&args[0], &l).ok_or_else(|| binary_op_diff_types(op.symbol(), l0, r0))?;
        let rd =
            as_decimal(&args[1], &r).ok_or_else(|| binary_op_diff_types(op.symbol(), l0, r0))?;
        let (lt, rt) = (
            SparkType::Decimal(ld.0, ld.1),
            SparkType::Decimal(rd.0, rd.1),
        );
        if op == ArithOp::IntegralDivide {
            return Ok(signature(lt, rt, SparkType::Long));
        }
        let (p, s) = decimal_result(op, ld, rd);
        return Ok(signature(lt, rt, SparkType::Decimal(p, s)));
    }
    match op {
        ArithOp::Divide => Ok(signature(
            SparkType::Double,
            SparkType::Double,
            SparkType::Double,
        )),
        ArithOp::IntegralDivide if has_floating => Err(QueryError::analysis(
            ErrorClass::DatatypeMismatchUnexpectedInputType,
            format!(
                "Cannot resolve \"(left div right)\" due to data type mismatch: `div` requires \
                 integral or decimal operands, not {} and {}.",
                l0.sql_name(),
                r0.sql_name()
            ),
        )),
        ArithOp::IntegralDivide => Ok(signature(SparkType::Long, SparkType::Long, SparkType::Long)),
        _ => {
            let common = if has_floating && has_decimal {
                SparkType::Double
            } else {
                tightest_common_type(&l, &r)
                    .ok_or_else(|| binary_op_diff_types(op.symbol(), l0, r0))?
            };
            Ok(signature(common.clone(), common.clone(), common))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(t: SparkType) -> ArgInfo {
        ArgInfo {
            data_type: t,
            constant: None,
        }
    }

    fn literal_int(v: i32) -> ArgInfo {
        let array: arrow::array::ArrayRef =
            std::sync::Arc::new(arrow::array::Int32Array::from(vec![v]));
        ArgInfo {
            data_type: SparkType::Int,
            constant: Some(array),
        }
    }

    fn result(op: ArithOp, a: ArgInfo, b: ArgInfo) -> String {
        resolve_arith("op", op, &[a, b]).unwrap().result.to_string()
    }

    #[test]
    fn test_decimal_result_types_from_fixtures() {
        use SparkType::Decimal as D;
        assert_eq!(
            result(ArithOp::Add, info(D(1, 1)), info(D(1, 1))),
            "decimal(2,1)"
        );
        assert_eq!(
            result(ArithOp::Multiply, info(D(3, 2)), info(D(4, 3))),
            "decimal(8,5)"
        );
        assert_eq!(
            result(ArithOp::Divide, info(D(3, 1)), literal_int(3)),
            "decimal(8,6)"
        );
        assert_eq!(
            result(ArithOp::Divide, info(D(10, 2)), literal_int(3)),
            "decimal(14,6)"
        );
        assert_eq!(
            result(ArithOp::Divide, info(SparkType::Int), info(D(2, 1))),
            "decimal(17,6)"
        );
        assert_eq!(
            result(ArithOp::Remainder, info(D(2, 1)), literal_int(2)),
            "decimal(2,1)"
        );
        // count * 1.0 / sum(count): decimal(23,1) / decimal(20,0) = decimal(38,16)
        assert_eq!(
            result(ArithOp::Divide, info(D(23, 1)), info(D(20, 0))),
            "decimal(38,16)"
        );
        assert_eq!(
            result(ArithOp::Multiply, info(D(4, 1)), info(SparkType::Long)),
            "decimal(25,1)"
        );
    }

    #[test]
    fn test_numeric_result_types() {
        use SparkType as T;
        assert_eq!(
            result(ArithOp::Divide, info(T::Int), info(T::Int)),
            "double"
        );
        assert_eq!(
            result(ArithOp::IntegralDivide, info(T::Int), info(T::Int)),
            "bigint"
        );
        assert_eq!(result(ArithOp::Add, info(T::Float), info(T::Int)), "double");
        assert_eq!(
            result(ArithOp::Multiply, info(T::Float), info(T::Float)),
            "float"
        );
        assert_eq!(
            result(ArithOp::Add, info(T::Float), info(T::Decimal(2, 1))),
            "double"
        );
        assert_eq!(
            result(ArithOp::Remainder, info(T::Int), info(T::Int)),
            "int"
        );
        assert_eq!(
            result(ArithOp::Add, info(T::String), info(T::Int)),
            "bigint"
        );
        assert_eq!(
            result(ArithOp::Add, info(T::String), info(T::Double)),
            "double"
        );
        assert_eq!(result(ArithOp::Add, info(T::Null), info(T::Int)), "int");
    }

    #[test]
    fn test_arith_type_errors() {
        let e = resolve_arith(
            "+",
            ArithOp::Add,
            &[info(SparkType::Boolean), info(SparkType::Int)],
        )
        .unwrap_err();
        assert_eq!(e.class(), "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES");
        let e = resolve_arith(
            "+",
            ArithOp::Add,
            &[info(SparkType::Boolean), info(SparkType::Boolean)],
        )
        .unwrap_err();
        assert_eq!(e.class(), "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE");
        assert!(resolve_arith("+", ArithOp::Add, &[info(SparkType::Int)]).is_err());
    }
}
