//! Shared plumbing of the function library: a table-driven [`ScalarFunction`], argument
//! checks with Spark's error classes, typed downcasts and null-aware kernel helpers.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, ArrowPrimitiveType, BooleanArray, BooleanBufferBuilder, PrimitiveArray,
    StringArray,
};
use arrow::buffer::NullBuffer;
use arrow::datatypes::DataType;

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature, Volatility};
use crate::types::SparkType;

/// Resolves a call: the function's registered name and the argument infos.
pub(crate) type ResolveFn = fn(&'static str, &[ArgInfo]) -> Result<Signature>;
/// Evaluates a call over one batch.
pub(crate) type InvokeFn = fn(&[ArrayRef], usize, &EvalContext) -> Result<ArrayRef>;

/// A function defined by two plain functions, so that each family lists its functions as
/// `static`s and aliases share code (`nvl`/`ifnull`, `substr`/`substring`).
pub(crate) struct Func {
    /// Lower-case registered name.
    pub name: &'static str,
    /// Type checking and result type.
    pub resolve: ResolveFn,
    /// Evaluation.
    pub invoke: InvokeFn,
    /// Whether repeated calls with the same arguments give the same value.
    pub volatility: Volatility,
}

impl ScalarFunction for Func {
    fn name(&self) -> &'static str {
        self.name
    }

    fn resolve(&self, args: &[ArgInfo]) -> Result<Signature> {
        (self.resolve)(self.name, args)
    }

    fn invoke(&self, args: &[ArrayRef], num_rows: usize, ctx: &EvalContext) -> Result<ArrayRef> {
        (self.invoke)(args, num_rows, ctx)
    }

    fn volatility(&self) -> Volatility {
        self.volatility
    }
}

/// Declare a registered function: `func!(ABS, "abs", resolve_abs, invoke_abs);` for an
/// immutable one, with a trailing `Volatility::Stable` / `Volatility::Volatile` otherwise.
macro_rules! func {
    ($id:ident, $name:literal, $resolve:expr, $invoke:expr) => {
        $crate::functions::common::func!(
            $id,
            $name,
            $resolve,
            $invoke,
            $crate::functions::Volatility::Immutable
        );
    };
    ($id:ident, $name:literal, $resolve:expr, $invoke:expr, $volatility:expr) => {
        pub(crate) static $id: $crate::functions::common::Func = $crate::functions::common::Func {
            name: $name,
            resolve: $resolve,
            invoke: $invoke,
            volatility: $volatility,
        };
    };
}
pub(crate) use func;

/// What a function expects of one argument; [`coerce_args`] picks the implicit cast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// Any type, unchanged.
    Any,
    /// `double` (from any number, a string or NULL).
    Double,
    /// `bigint` (from an integral type, a string or NULL).
    Long,
    /// `int` (from an integral type, a string or NULL; bigint is narrowed with an overflow check).
    Int,
    /// `string` (from any atomic type).
    String,
    /// `boolean` (from a boolean, a string or NULL).
    Boolean,
    /// `date` (from a date, a timestamp, a string or NULL).
    Date,
    /// `timestamp` (from a timestamp, a date, a string or NULL; `timestamp_ntz` is kept).
    Timestamp,
    /// Any numeric type, unchanged; a string or NULL becomes `double`.
    Numeric,
}

impl Want {
    fn describe(self) -> &'static str {
        match self {
            Want::Any => "\"ANY\"",
            Want::Double | Want::Numeric => "\"NUMERIC\"",
            Want::Long | Want::Int => "\"INTEGRAL\"",
            Want::String => "\"STRING\"",
            Want::Boolean => "\"BOOLEAN\"",
            Want::Date => "\"DATE\"",
            Want::Timestamp => "\"TIMESTAMP\"",
        }
    }
}

/// The implicit cast of an argument of type `t` to what `want` asks for, or `None` when
/// Spark would report `DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE`.
pub(crate) fn implicit_cast(t: &SparkType, want: Want) -> Option<SparkType> {
    use SparkType as T;
    let atomic = !matches!(t, T::Array(_) | T::Map(..) | T::Struct(_));
    Some(match want {
        Want::Any => t.clone(),
        Want::Double if t.is_numeric() || matches!(t, T::String | T::Null) => T::Double,
        Want::Long if t.is_integral() || matches!(t, T::String | T::Null) => T::Long,
        Want::Int if t.is_integral() || matches!(t, T::String | T::Null) => T::Int,
        Want::String if atomic => T::String,
        Want::Boolean if matches!(t, T::Boolean | T::String | T::Null) => T::Boolean,
        Want::Date
            if matches!(
                t,
                T::Date | T::Timestamp | T::TimestampNtz | T::String | T::Null
            ) =>
        {
            T::Date
        }
        Want::Timestamp if *t == T::TimestampNtz => T::TimestampNtz,
        Want::Timestamp if matches!(t, T::Date | T::Timestamp | T::String | T::Null) => {
            T::Timestamp
        }
        Want::Numeric if t.is_numeric() => t.clone(),
        Want::Numeric if matches!(t, T::String | T::Null) => T::Double,
        _ => return None,
    })
}

/// Check the arity and pick the implicit cast of every argument (`wants[i]`, the last one
/// repeating for variadic functions).
pub(crate) fn coerce_args(name: &str, args: &[ArgInfo], wants: &[Want]) -> Result<Vec<SparkType>> {
    args.iter()
        .enumerate()
        .map(|(i, a)| {
            let want = wants.get(i).or(wants.last()).copied().unwrap_or(Want::Any);
            implicit_cast(&a.data_type, want)
                .ok_or_else(|| unexpected_type(name, i, want.describe(), &a.data_type))
        })
        .collect()
}

/// `WRONG_NUM_ARGS.WITHOUT_SUGGESTION` unless `min <= args.len() <= max`.
pub(crate) fn check_arity(name: &str, args: &[ArgInfo], min: usize, max: usize) -> Result<()> {
    if (min..=max).contains(&args.len()) {
        return Ok(());
    }
    let expected = if min == max {
        min.to_string()
    } else if max == usize::MAX {
        format!("at least {min}")
    } else {
        format!(
            "[{}]",
            (min..=max)
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Err(QueryError::analysis(
        ErrorClass::WrongNumArgsWithoutSuggestion,
        format!(
            "The `{name}` requires {expected} parameters but the actual number is {}. Please, \
             refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.",
            args.len()
        ),
    ))
}

/// Ordinal words Spark uses in `UNEXPECTED_INPUT_TYPE` messages.
fn ordinal(index: usize) -> String {
    const WORDS: [&str; 5] = ["first", "second", "third", "fourth", "fifth"];
    WORDS
        .get(index)
        .map_or_else(|| format!("{}th", index + 1), |w| (*w).to_string())
}

/// `DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE` for argument `index` of `name`.
pub(crate) fn unexpected_type(
    name: &str,
    index: usize,
    expected: &str,
    actual: &SparkType,
) -> QueryError {
    QueryError::analysis(
        ErrorClass::DatatypeMismatchUnexpectedInputType,
        format!(
            "Cannot resolve \"{name}\" due to data type mismatch: The {} parameter requires the \
             {expected} type, however it has the type {}.",
            ordinal(index),
            actual.sql_name()
        ),
    )
}

/// `DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES` for `left op right`.
pub(crate) fn binary_op_diff_types(op: &str, left: &SparkType, right: &SparkType) -> QueryError {
    QueryError::analysis(
        ErrorClass::DatatypeMismatchBinaryOpDiffTypes,
        format!(
            "Cannot resolve \"(left {op} right)\" due to data type mismatch: the left and right \
             operands of the binary operator have incompatible types ({} and {}).",
            left.sql_name(),
            right.sql_name()
        ),
    )
}

/// An engine bug: an argument arrived with another Arrow type than `resolve` asked for.
pub(crate) fn wrong_array(what: &str, array: &dyn Array) -> QueryError {
    QueryError::Internal(format!(
        "{what}: unexpected Arrow type {}",
        array.data_type()
    ))
}

/// `array` as a primitive array of `T`, or an internal error.
pub(crate) fn prim<T: ArrowPrimitiveType>(array: &dyn Array) -> Result<&PrimitiveArray<T>> {
    array
        .as_any()
        .downcast_ref::<PrimitiveArray<T>>()
        .ok_or_else(|| wrong_array(std::any::type_name::<T>(), array))
}

/// `array` as a UTF-8 string array, or an internal error.
pub(crate) fn strings(array: &dyn Array) -> Result<&StringArray> {
    array
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| wrong_array("string", array))
}

/// `array` as a binary array, or an internal error.
pub(crate) fn binaries(array: &dyn Array) -> Result<&arrow::array::BinaryArray> {
    array
        .as_any()
        .downcast_ref::<arrow::array::BinaryArray>()
        .ok_or_else(|| wrong_array("binary", array))
}

/// `array` as a boolean array, or an internal error.
pub(crate) fn booleans(array: &dyn Array) -> Result<&BooleanArray> {
    array
        .as_any()
        .downcast_ref::<BooleanArray>()
        .ok_or_else(|| wrong_array("boolean", array))
}

/// The string every row of `a` holds, when all rows hold the same non-NULL value: a
/// constant argument expanded to the batch, for which a kernel can prepare once.
pub(crate) fn same_string(a: &StringArray) -> Option<&str> {
    if a.is_empty() || a.null_count() > 0 {
        return None;
    }
    let first = a.value(0);
    (1..a.len()).all(|i| a.value(i) == first).then_some(first)
}

/// The argument at `index`, or an internal error when the executor passed too few.
pub(crate) fn arg(args: &[ArrayRef], index: usize) -> Result<&ArrayRef> {
    args.get(index)
        .ok_or_else(|| QueryError::Internal(format!("missing argument {}", index + 1)))
}

/// The constant string value of argument `index` at analysis time, if it is one.
pub(crate) fn constant_str(args: &[ArgInfo], index: usize) -> Option<String> {
    let constant = args.get(index)?.constant.as_ref()?;
    let array = constant.as_any().downcast_ref::<StringArray>()?;
    (array.len() == 1 && array.is_valid(0)).then(|| array.value(0).to_string())
}

/// The constant integer value of argument `index` at analysis time, if it is one.
pub(crate) fn constant_i64(args: &[ArgInfo], index: usize) -> Option<i64> {
    use arrow::datatypes::{Int8Type, Int16Type, Int32Type, Int64Type};
    let constant = args.get(index)?.constant.as_ref()?;
    if constant.len() != 1 || constant.is_null(0) {
        return None;
    }
    let any = constant.as_any();
    if let Some(a) = any.downcast_ref::<PrimitiveArray<Int32Type>>() {
        return Some(i64::from(a.value(0)));
    }
    if let Some(a) = any.downcast_ref::<PrimitiveArray<Int64Type>>() {
        return Some(a.value(0));
    }
    if let Some(a) = any.downcast_ref::<PrimitiveArray<Int16Type>>() {
        return Some(i64::from(a.value(0)));
    }
    any.downcast_ref::<PrimitiveArray<Int8Type>>()
        .map(|a| i64::from(a.value(0)))
}

/// Apply a fallible binary operation to the rows where both inputs are valid; NULL elsewhere.
pub(crate) fn try_binary<A, B, O, F>(
    a: &PrimitiveArray<A>,
    b: &PrimitiveArray<B>,
    op: F,
) -> Result<PrimitiveArray<O>>
where
    A: ArrowPrimitiveType,
    B: ArrowPrimitiveType,
    O: ArrowPrimitiveType,
    F: Fn(A::Native, B::Native) -> Result<O::Native>,
{
    let len = a.len().min(b.len());
    let nulls = NullBuffer::union(a.nulls(), b.nulls());
    let (av, bv) = (a.values(), b.values());
    let mut out = vec![O::Native::default(); len];
    match &nulls {
        Some(n) => {
            for i in n.valid_indices() {
                out[i] = op(av[i], bv[i])?;
            }
        }
        None => {
            for i in 0..len {
                out[i] = op(av[i], bv[i])?;
            }
        }
    }
    Ok(PrimitiveArray::new(out.into(), nulls))
}

/// Apply a binary operation that may yield NULL (`None`) to the rows where both inputs are
/// valid; NULL elsewhere.
pub(crate) fn binary_opt<A, B, O, F>(
    a: &PrimitiveArray<A>,
    b: &PrimitiveArray<B>,
    op: F,
) -> PrimitiveArray<O>
where
    A: ArrowPrimitiveType,
    B: ArrowPrimitiveType,
    O: ArrowPrimitiveType,
    F: Fn(A::Native, B::Native) -> Option<O::Native>,
{
    let len = a.len().min(b.len());
    let nulls = NullBuffer::union(a.nulls(), b.nulls());
    let (av, bv) = (a.values(), b.values());
    let mut out = vec![O::Native::default(); len];
    let mut valid = BooleanBufferBuilder::new(len);
    valid.append_n(len, true);
    for i in 0..len {
        if nulls.as_ref().is_some_and(|n| n.is_null(i)) {
            valid.set_bit(i, false);
            continue;
        }
        match op(av[i], bv[i]) {
            Some(v) => out[i] = v,
            None => valid.set_bit(i, false),
        }
    }
    PrimitiveArray::new(out.into(), Some(NullBuffer::new(valid.finish())))
}

/// 2^63 as a double: every finite double strictly inside `(-LIMIT, LIMIT)` truncates to an
/// `i64` (`i64::MAX as f64` rounds up to this value, so the bound must be exclusive).
pub(crate) const I64_LIMIT_F64: f64 = 9_223_372_036_854_775_808.0;

/// Wrap a typed array as an [`ArrayRef`].
pub(crate) fn array_ref<A: Array + 'static>(array: A) -> ArrayRef {
    Arc::new(array)
}

/// The `try_` form of a function that fails on bad rows (`try_make_timestamp`,
/// `try_to_date`): the whole batch at once and, only when that fails on the data, row by row
/// with NULL for the rows that fail. Errors that are not the data's fault still propagate.
pub(crate) fn null_on_failure(
    args: &[ArrayRef],
    rows: usize,
    result: &DataType,
    f: impl Fn(&[ArrayRef], usize) -> Result<ArrayRef>,
) -> Result<ArrayRef> {
    match f(args, rows) {
        Err(QueryError::Execution { .. }) => {}
        other => return other,
    }
    let mut parts: Vec<ArrayRef> = Vec::with_capacity(rows);
    for i in 0..rows {
        let one: Vec<ArrayRef> = args
            .iter()
            .map(|a| {
                if a.len() == rows {
                    a.slice(i, 1)
                } else {
                    a.clone()
                }
            })
            .collect();
        parts.push(match f(&one, 1) {
            Ok(a) => a,
            Err(QueryError::Execution { .. }) => arrow::array::new_null_array(result, 1),
            Err(e) => return Err(e),
        });
    }
    let refs: Vec<&dyn Array> = parts.iter().map(|p| p.as_ref()).collect();
    if refs.is_empty() {
        return Ok(arrow::array::new_empty_array(result));
    }
    Ok(arrow::compute::concat(&refs)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::datatypes::Int32Type;

    #[test]
    fn test_check_arity_messages() {
        let none: Vec<ArgInfo> = Vec::new();
        let e = check_arity("round", &none, 1, 2).unwrap_err();
        assert_eq!(e.error_class(), ErrorClass::WrongNumArgsWithoutSuggestion);
        assert!(
            e.to_string()
                .contains("requires [1, 2] parameters but the actual number is 0")
        );
        assert!(check_arity("pi", &none, 0, 0).is_ok());
    }

    #[test]
    fn test_binary_opt_nulls() {
        let a = PrimitiveArray::<Int32Type>::from(vec![Some(6), None, Some(5), Some(1)]);
        let b = PrimitiveArray::<Int32Type>::from(vec![Some(2), Some(1), Some(0), None]);
        let out: PrimitiveArray<Int32Type> = binary_opt(&a, &b, |x, y| x.checked_div(y));
        assert_eq!(
            out.iter().collect::<Vec<_>>(),
            vec![Some(3), None, None, None]
        );
    }

    #[test]
    fn test_try_binary_propagates_error() {
        let a = PrimitiveArray::<Int32Type>::from(vec![Some(i32::MAX), None]);
        let b = PrimitiveArray::<Int32Type>::from(vec![Some(1), Some(1)]);
        let r: Result<PrimitiveArray<Int32Type>> = try_binary(&a, &b, |x, y| {
            x.checked_add(y).ok_or(QueryError::Internal("ovf".into()))
        });
        assert!(r.is_err());
        let c = PrimitiveArray::<Int32Type>::from(vec![Some(1), None]);
        let ok: PrimitiveArray<Int32Type> = try_binary(&c, &b, |x, y| Ok(x + y)).unwrap();
        assert_eq!(ok.iter().collect::<Vec<_>>(), vec![Some(2), None]);
    }
}
