//! `raise_error(message)` and `assert_true(condition [, message])`: a learner's own checks,
//! failing the query with `USER_RAISED_EXCEPTION`. Volatile, so the optimizer never folds or
//! moves them out of the CASE branch that guards them.

use arrow::array::{Array, ArrayRef, BooleanArray, new_null_array};
use arrow::datatypes::DataType;

use crate::error::{ErrorClass, QueryError, Result};
use crate::functions::common::{Want, arg, check_arity, coerce_args, func, strings};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature, Volatility};
use crate::types::SparkType;

fn raised(message: &str) -> QueryError {
    QueryError::execution(ErrorClass::UserRaisedException, message)
}

fn resolve_raise_error(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::String])?,
        result: SparkType::Null,
    })
}

fn invoke_raise_error(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let messages = strings(arg(args, 0)?.as_ref())?;
    // Every row that reaches the call fails; the first one's message is reported.
    if !messages.is_empty() {
        return Err(raised(if messages.is_valid(0) {
            messages.value(0)
        } else {
            "null"
        }));
    }
    Ok(new_null_array(&DataType::Null, num_rows))
}

fn resolve_assert_true(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 2)?;
    Ok(Signature {
        args: coerce_args(name, args, &[Want::Boolean, Want::String])?,
        result: SparkType::Null,
    })
}

/// The analyzer passes the condition's SQL text as the message when none is written.
fn invoke_assert_true(args: &[ArrayRef], num_rows: usize, _: &EvalContext) -> Result<ArrayRef> {
    let holds = arg(args, 0)?
        .as_any()
        .downcast_ref::<BooleanArray>()
        .ok_or_else(|| QueryError::Internal("assert_true without a boolean".into()))?;
    if let Some(i) = (0..holds.len()).find(|&i| !(holds.is_valid(i) && holds.value(i))) {
        let message = match args.get(1) {
            Some(m) => {
                let m = strings(m.as_ref())?;
                if m.is_valid(i) {
                    m.value(i).to_string()
                } else {
                    "null".into()
                }
            }
            None => "assertion failed".into(),
        };
        return Err(raised(&message));
    }
    Ok(new_null_array(&DataType::Null, num_rows))
}

func!(
    RAISE_ERROR,
    "raise_error",
    resolve_raise_error,
    invoke_raise_error,
    Volatility::Volatile
);
func!(
    ASSERT_TRUE,
    "assert_true",
    resolve_assert_true,
    invoke_assert_true,
    Volatility::Volatile
);

/// The user-raised-error functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[&RAISE_ERROR, &ASSERT_TRUE];
