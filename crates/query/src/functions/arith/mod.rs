//! Arithmetic operators (`+ - * / % div`, unary `negative`/`positive`) and their `try_`
//! forms and named twins (`mod`, `pmod`, `try_add`, `try_subtract`, `try_multiply`,
//! `try_divide`, `try_mod`), with Spark's ANSI semantics.

mod datetime;
mod decimal;
mod numeric;
pub(crate) mod resolve;
mod unary;

use arrow::array::{Array, ArrayRef};
use arrow::datatypes::{
    DataType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
};

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::ScalarFunction;
use crate::functions::cast::CastMode;
use crate::functions::common::{arg, func};

pub(crate) use resolve::resolve_arith;

/// A binary arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Subtract,
    /// `*`
    Multiply,
    /// `/` (always fractional: double or decimal)
    Divide,
    /// `%`, `mod`: the sign of the dividend
    Remainder,
    /// `pmod`: non-negative remainder for a positive divisor
    Pmod,
    /// `div`: integral division to `bigint`
    IntegralDivide,
}

impl ArithOp {
    /// The SQL spelling.
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Subtract => "-",
            ArithOp::Multiply => "*",
            ArithOp::Divide => "/",
            ArithOp::Remainder => "%",
            ArithOp::Pmod => "pmod",
            ArithOp::IntegralDivide => "div",
        }
    }

    /// The `try_` function a learner can use to get NULL instead of an error.
    fn try_name(self) -> &'static str {
        match self {
            ArithOp::Add => "try_add",
            ArithOp::Subtract => "try_subtract",
            ArithOp::Multiply => "try_multiply",
            ArithOp::Divide | ArithOp::IntegralDivide => "try_divide",
            ArithOp::Remainder | ArithOp::Pmod => "try_mod",
        }
    }
}

/// `DIVIDE_BY_ZERO`.
pub(crate) fn divide_by_zero() -> QueryError {
    QueryError::execution(
        ErrorClass::DivideByZero,
        "Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. \
         If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
    )
}

/// The error for a zero divisor: `REMAINDER_BY_ZERO` for `%` and `pmod`, else
/// `DIVIDE_BY_ZERO`.
pub(crate) fn zero_divisor(op: ArithOp) -> QueryError {
    match op {
        ArithOp::Remainder | ArithOp::Pmod => QueryError::execution(
            ErrorClass::RemainderByZero,
            "Remainder by zero. Use `try_mod` to tolerate divisor being 0 and return NULL instead. \
             If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
        ),
        _ => divide_by_zero(),
    }
}

/// `BINARY_ARITHMETIC_OVERFLOW`: Spark names the operands when a `tinyint` or `smallint`
/// operation overflows (`int` and `bigint` raise `ARITHMETIC_OVERFLOW`).
pub(crate) fn binary_overflow(
    op: ArithOp,
    a: impl std::fmt::Debug,
    b: impl std::fmt::Debug,
) -> QueryError {
    QueryError::execution(
        ErrorClass::BinaryArithmeticOverflow,
        format!(
            "{a:?} {} {b:?} caused overflow. Use `{}` to ignore overflow problem and return NULL.",
            op.symbol(),
            op.try_name()
        ),
    )
}

/// `ARITHMETIC_OVERFLOW` for `op`.
pub(crate) fn overflow(op: ArithOp) -> QueryError {
    QueryError::execution(
        ErrorClass::ArithmeticOverflow,
        format!(
            "overflow in `{}`. Use '{}' to tolerate overflow and return NULL instead. If necessary \
             set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
            op.symbol(),
            op.try_name()
        ),
    )
}

/// Evaluate `l <op> r` for arrays of the types `resolve_arith` chose.
pub(crate) fn invoke_arith(op: ArithOp, mode: CastMode, args: &[ArrayRef]) -> Result<ArrayRef> {
    let (l, r) = (arg(args, 0)?, arg(args, 1)?);
    if let Some(result) = datetime::invoke_datetime(op, mode, l, r) {
        return result;
    }
    match (l.data_type(), r.data_type()) {
        (DataType::Int8, DataType::Int8) => numeric::integral::<Int8Type>(op, mode, l, r),
        (DataType::Int16, DataType::Int16) => numeric::integral::<Int16Type>(op, mode, l, r),
        (DataType::Int32, DataType::Int32) => numeric::integral::<Int32Type>(op, mode, l, r),
        (DataType::Int64, DataType::Int64) => numeric::integral::<Int64Type>(op, mode, l, r),
        (DataType::Float32, DataType::Float32) => numeric::floating::<Float32Type>(op, mode, l, r),
        (DataType::Float64, DataType::Float64) => numeric::floating::<Float64Type>(op, mode, l, r),
        (DataType::Decimal128(..), DataType::Decimal128(..)) => decimal::decimal(op, mode, l, r),
        (DataType::Null, _) | (_, DataType::Null) => {
            Ok(arrow::array::new_null_array(&DataType::Float64, l.len()))
        }
        (a, b) => Err(QueryError::Internal(format!(
            "no kernel for {a} {} {b}",
            op.symbol()
        ))),
    }
}

macro_rules! arith {
    ($id:ident, $name:literal, $op:expr, $mode:expr) => {
        func!(
            $id,
            $name,
            |name, args| resolve_arith(name, $op, args),
            |args, _, _| invoke_arith($op, $mode, args)
        );
    };
}

arith!(ADD, "+", ArithOp::Add, CastMode::Ansi);
arith!(SUBTRACT, "-", ArithOp::Subtract, CastMode::Ansi);
arith!(MULTIPLY, "*", ArithOp::Multiply, CastMode::Ansi);
arith!(DIVIDE, "/", ArithOp::Divide, CastMode::Ansi);
arith!(REMAINDER, "%", ArithOp::Remainder, CastMode::Ansi);
arith!(MOD, "mod", ArithOp::Remainder, CastMode::Ansi);
arith!(PMOD, "pmod", ArithOp::Pmod, CastMode::Ansi);
arith!(DIV, "div", ArithOp::IntegralDivide, CastMode::Ansi);
arith!(TRY_ADD, "try_add", ArithOp::Add, CastMode::Try);
arith!(
    TRY_SUBTRACT,
    "try_subtract",
    ArithOp::Subtract,
    CastMode::Try
);
arith!(
    TRY_MULTIPLY,
    "try_multiply",
    ArithOp::Multiply,
    CastMode::Try
);
arith!(TRY_DIVIDE, "try_divide", ArithOp::Divide, CastMode::Try);
arith!(TRY_MOD, "try_mod", ArithOp::Remainder, CastMode::Try);

/// The arithmetic operators and functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &ADD,
    &SUBTRACT,
    &MULTIPLY,
    &DIVIDE,
    &REMAINDER,
    &MOD,
    &PMOD,
    &DIV,
    &TRY_ADD,
    &TRY_SUBTRACT,
    &TRY_MULTIPLY,
    &TRY_DIVIDE,
    &TRY_MOD,
    &unary::NEGATIVE,
    &unary::POSITIVE,
];

#[cfg(test)]
mod tests;
