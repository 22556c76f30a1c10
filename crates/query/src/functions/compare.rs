//! Comparison operators `= == <=> < <= > >= != <>` with Spark's semantics: implicit
//! coercion to a common type (a string next to a number, date or timestamp is read as
//! that type; a float next to a decimal compares as double), NaN equal to NaN and greater
//! than every other number, `-0.0 = 0.0`, byte-wise string order, and `<=>` never NULL.

use std::cmp::Ordering;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, ArrowPrimitiveType, BooleanArray, Datum, PrimitiveArray, make_comparator,
};
use arrow::compute::SortOptions;
use arrow::compute::kernels::cmp;
use arrow::datatypes::{DataType, Float32Type, Float64Type};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{arg, binary_op_diff_types, check_arity, func, prim};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature};
use crate::types::{SparkType, wider_type};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `=`, `==`
    Eq,
    /// `<=>` (NULL-safe equality: never NULL)
    NullSafeEq,
    /// `!=`, `<>`
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    LtEq,
    /// `>`
    Gt,
    /// `>=`
    GtEq,
}

/// The common type two operands are compared in, or a `BINARY_OP_DIFF_TYPES` error.
///
/// # Examples
/// ```
/// use query::functions::compare::comparison_type;
/// use query::types::SparkType;
/// // a string column against an int is read as bigint
/// assert_eq!(comparison_type("=", &SparkType::String, &SparkType::Int).unwrap(), SparkType::Long);
/// // a float column against a decimal literal compares as double
/// assert_eq!(comparison_type("=", &SparkType::Float, &SparkType::Decimal(2, 1)).unwrap(), SparkType::Double);
/// ```
pub fn comparison_type(op: &str, l: &SparkType, r: &SparkType) -> Result<SparkType> {
    wider_type(l, r).ok_or_else(|| binary_op_diff_types(op, l, r))
}

fn resolve_compare(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 2, 2)?;
    let common = comparison_type(name, &args[0].data_type, &args[1].data_type)?;
    if matches!(common, SparkType::Map(..)) {
        return Err(QueryError::analysis(
            ErrorClass::DatatypeMismatchInvalidOrderingType,
            format!("Cannot resolve \"{name}\": map values cannot be compared."),
        ));
    }
    Ok(Signature {
        args: vec![common.clone(), common],
        result: SparkType::Boolean,
    })
}

/// Replace `-0.0` by `0.0` and every NaN by the positive quiet NaN, so that IEEE total
/// order gives Spark's order (NaN = NaN, NaN above +Infinity, -0.0 = 0.0).
fn normalize_floats<T: ArrowPrimitiveType>(
    array: &ArrayRef,
    nan: T::Native,
    zero: T::Native,
) -> Result<ArrayRef>
where
    T::Native: PartialEq,
{
    let a = prim::<T>(array.as_ref())?;
    #[allow(clippy::eq_op)]
    let out: PrimitiveArray<T> = a.unary(|v| {
        if v != v {
            nan
        } else if v == zero {
            zero
        } else {
            v
        }
    });
    Ok(Arc::new(out))
}

/// Whether any value is a NaN (of any payload or sign) or `-0.0`, the values whose IEEE
/// total order differs from Spark's. The scan allocates nothing; most columns have none.
fn has_special_f64(array: &ArrayRef) -> Result<bool> {
    let values = prim::<Float64Type>(array.as_ref())?.values();
    Ok(values
        .iter()
        .any(|v| v.is_nan() || (*v == 0.0 && v.is_sign_negative())))
}

fn has_special_f32(array: &ArrayRef) -> Result<bool> {
    let values = prim::<Float32Type>(array.as_ref())?.values();
    Ok(values
        .iter()
        .any(|v| v.is_nan() || (*v == 0.0 && v.is_sign_negative())))
}

fn normalized(array: &ArrayRef) -> Result<ArrayRef> {
    match array.data_type() {
        DataType::Float32 if has_special_f32(array)? => {
            normalize_floats::<Float32Type>(array, f32::NAN, 0.0)
        }
        DataType::Float64 if has_special_f64(array)? => {
            normalize_floats::<Float64Type>(array, f64::NAN, 0.0)
        }
        _ => Ok(array.clone()),
    }
}

fn is_nested(t: &DataType) -> bool {
    matches!(
        t,
        DataType::List(_) | DataType::Struct(_) | DataType::LargeList(_)
    )
}

/// Row-by-row comparison of nested values (arrays, structs).
fn compare_nested(op: CompareOp, l: &ArrayRef, r: &ArrayRef) -> Result<BooleanArray> {
    let comparator = make_comparator(l.as_ref(), r.as_ref(), SortOptions::default())?;
    Ok((0..l.len().min(r.len()))
        .map(|i| {
            let (ln, rn) = (l.is_null(i), r.is_null(i));
            if op == CompareOp::NullSafeEq {
                return Some(match (ln, rn) {
                    (true, true) => true,
                    (false, false) => comparator(i, i) == Ordering::Equal,
                    _ => false,
                });
            }
            if ln || rn {
                return None;
            }
            let ord = comparator(i, i);
            Some(match op {
                CompareOp::Eq | CompareOp::NullSafeEq => ord == Ordering::Equal,
                CompareOp::NotEq => ord != Ordering::Equal,
                CompareOp::Lt => ord == Ordering::Less,
                CompareOp::LtEq => ord != Ordering::Greater,
                CompareOp::Gt => ord == Ordering::Greater,
                CompareOp::GtEq => ord != Ordering::Less,
            })
        })
        .collect())
}

/// Compare two arrays of the same type row by row.
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use arrow::array::{ArrayRef, BooleanArray, Float64Array};
/// use query::functions::compare::{compare, CompareOp};
/// let a: ArrayRef = Arc::new(Float64Array::from(vec![Some(f64::NAN), Some(-0.0), None]));
/// let b: ArrayRef = Arc::new(Float64Array::from(vec![Some(f64::NAN), Some(0.0), None]));
/// let eq = compare(CompareOp::Eq, &a, &b).unwrap();
/// assert_eq!(eq, BooleanArray::from(vec![Some(true), Some(true), None]));
/// let safe = compare(CompareOp::NullSafeEq, &a, &b).unwrap();
/// assert_eq!(safe, BooleanArray::from(vec![true, true, true]));
/// ```
pub fn compare(op: CompareOp, l: &ArrayRef, r: &ArrayRef) -> Result<BooleanArray> {
    if l.data_type() == &DataType::Null || r.data_type() == &DataType::Null {
        let len = l.len().min(r.len());
        // A `NullArray` has no validity buffer: `is_null` says false, `logical_nulls` is right.
        let (ln, rn) = (l.logical_nulls(), r.logical_nulls());
        let null_at = |n: &Option<arrow::buffer::NullBuffer>, i: usize| {
            n.as_ref().is_some_and(|b| b.is_null(i))
        };
        return Ok(if op == CompareOp::NullSafeEq {
            (0..len)
                .map(|i| Some(null_at(&ln, i) && null_at(&rn, i)))
                .collect()
        } else {
            BooleanArray::new_null(len)
        });
    }
    if is_nested(l.data_type()) {
        return compare_nested(op, l, r);
    }
    let (l, r) = (normalized(l)?, normalized(r)?);
    let (l, r): (&dyn Datum, &dyn Datum) = (&l, &r);
    Ok(match op {
        CompareOp::Eq => cmp::eq(l, r)?,
        CompareOp::NullSafeEq => cmp::not_distinct(l, r)?,
        CompareOp::NotEq => cmp::neq(l, r)?,
        CompareOp::Lt => cmp::lt(l, r)?,
        CompareOp::LtEq => cmp::lt_eq(l, r)?,
        CompareOp::Gt => cmp::gt(l, r)?,
        CompareOp::GtEq => cmp::gt_eq(l, r)?,
    })
}

fn invoke(op: CompareOp, args: &[ArrayRef]) -> Result<ArrayRef> {
    Ok(Arc::new(compare(op, arg(args, 0)?, arg(args, 1)?)?))
}

macro_rules! comparison {
    ($id:ident, $name:literal, $op:expr) => {
        func!($id, $name, resolve_compare, |args, _, _: &EvalContext| {
            invoke($op, args)
        });
    };
}

comparison!(EQ, "=", CompareOp::Eq);
comparison!(EQ2, "==", CompareOp::Eq);
comparison!(NULL_SAFE_EQ, "<=>", CompareOp::NullSafeEq);
comparison!(NOT_EQ, "!=", CompareOp::NotEq);
comparison!(NOT_EQ2, "<>", CompareOp::NotEq);
comparison!(LT, "<", CompareOp::Lt);
comparison!(LT_EQ, "<=", CompareOp::LtEq);
comparison!(GT, ">", CompareOp::Gt);
comparison!(GT_EQ, ">=", CompareOp::GtEq);

/// The comparison operators.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &EQ,
    &EQ2,
    &NULL_SAFE_EQ,
    &NOT_EQ,
    &NOT_EQ2,
    &LT,
    &LT_EQ,
    &GT,
    &GT_EQ,
];

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int32Array, StringArray};

    fn run(name: &str, l: ArrayRef, r: ArrayRef) -> Vec<Option<bool>> {
        let f = crate::functions::lookup(name).unwrap();
        let out = f
            .invoke(&[l.clone(), r], l.len(), &EvalContext::default())
            .unwrap();
        out.as_any()
            .downcast_ref::<BooleanArray>()
            .unwrap()
            .iter()
            .collect()
    }

    #[test]
    fn test_compare_nan_orders_above_infinity() {
        let l: ArrayRef = Arc::new(arrow::array::Float64Array::from(vec![
            f64::NAN,
            f64::INFINITY,
            1.0,
        ]));
        let r: ArrayRef = Arc::new(arrow::array::Float64Array::from(vec![
            f64::INFINITY,
            f64::NAN,
            f64::NAN,
        ]));
        assert_eq!(
            run(">", l.clone(), r.clone()),
            vec![Some(true), Some(false), Some(false)]
        );
        assert_eq!(run("<", l, r), vec![Some(false), Some(true), Some(true)]);
    }

    #[test]
    fn test_compare_strings_bytewise() {
        let l: ArrayRef = Arc::new(StringArray::from(vec!["Aero_Pro", "EcoFlow", "aero-s"]));
        let r: ArrayRef = Arc::new(StringArray::from(vec!["EcoFlow", "aero-s", "Aero_Pro"]));
        assert_eq!(run("<", l, r), vec![Some(true), Some(true), Some(false)]);
    }

    #[test]
    fn test_compare_nulls_three_valued() {
        let l: ArrayRef = Arc::new(Int32Array::from(vec![Some(1), None, None]));
        let r: ArrayRef = Arc::new(Int32Array::from(vec![None, Some(1), None]));
        assert_eq!(run("=", l.clone(), r.clone()), vec![None, None, None]);
        assert_eq!(
            run("<=>", l.clone(), r.clone()),
            vec![Some(false), Some(false), Some(true)]
        );
        assert_eq!(run("!=", l, r), vec![None, None, None]);
    }

    #[test]
    fn test_null_typed_operands() {
        let n: ArrayRef = Arc::new(arrow::array::NullArray::new(2));
        let one: ArrayRef = Arc::new(Int32Array::from(vec![Some(1), None]));
        assert_eq!(
            run("<=>", n.clone(), n.clone()),
            vec![Some(true), Some(true)]
        );
        assert_eq!(run("=", n.clone(), n.clone()), vec![None, None]);
        assert_eq!(run("<=>", one, n), vec![Some(false), Some(true)]);
    }

    #[test]
    fn test_resolve_compare_types() {
        let info = |t| ArgInfo {
            data_type: t,
            constant: None,
        };
        let sig =
            resolve_compare("<", &[info(SparkType::Timestamp), info(SparkType::String)]).unwrap();
        assert_eq!(sig.args, vec![SparkType::Timestamp, SparkType::Timestamp]);
        assert_eq!(sig.result, SparkType::Boolean);
        let e =
            resolve_compare("=", &[info(SparkType::Boolean), info(SparkType::Date)]).unwrap_err();
        assert_eq!(e.class(), "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES");
    }
}
