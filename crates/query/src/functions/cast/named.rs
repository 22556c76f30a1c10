//! Casts written as functions: `int(x)`, `bigint(x)`, `double(x)`, `string(x)`, `date(x)`,
//! `timestamp(x)`, ... — the same as `CAST(x AS <type>)` in ANSI mode.

use arrow::array::ArrayRef;

use super::{can_cast, cast_not_allowed};
use crate::error::Result;
use crate::functions::common::{arg, check_arity, func};
use crate::functions::{ArgInfo, EvalContext, ScalarFunction, Signature};
use crate::types::SparkType;

/// The target type of a cast function.
fn target(name: &str) -> SparkType {
    match name {
        "boolean" => SparkType::Boolean,
        "tinyint" => SparkType::Byte,
        "smallint" => SparkType::Short,
        "int" => SparkType::Int,
        "bigint" => SparkType::Long,
        "float" => SparkType::Float,
        "double" => SparkType::Double,
        "decimal" => SparkType::Decimal(10, 0),
        "binary" => SparkType::Binary,
        "date" => SparkType::Date,
        "timestamp" => SparkType::Timestamp,
        _ => SparkType::String,
    }
}

/// The argument is cast by the executor (ANSI), so evaluation returns it unchanged.
fn resolve_cast_fn(name: &'static str, args: &[ArgInfo]) -> Result<Signature> {
    check_arity(name, args, 1, 1)?;
    let to = target(name);
    if !can_cast(&args[0].data_type, &to) {
        return Err(cast_not_allowed(&args[0].data_type, &to));
    }
    Ok(Signature {
        args: vec![to.clone()],
        result: to,
    })
}

fn invoke_identity(args: &[ArrayRef], _: usize, _: &EvalContext) -> Result<ArrayRef> {
    Ok(arg(args, 0)?.clone())
}

macro_rules! cast_fn {
    ($id:ident, $name:literal) => {
        func!($id, $name, resolve_cast_fn, invoke_identity);
    };
}

cast_fn!(BOOLEAN, "boolean");
cast_fn!(TINYINT, "tinyint");
cast_fn!(SMALLINT, "smallint");
cast_fn!(INT, "int");
cast_fn!(BIGINT, "bigint");
cast_fn!(FLOAT, "float");
cast_fn!(DOUBLE, "double");
cast_fn!(DECIMAL, "decimal");
cast_fn!(STRING, "string");
cast_fn!(BINARY, "binary");
cast_fn!(DATE, "date");
cast_fn!(TIMESTAMP, "timestamp");

/// The cast functions.
pub(crate) static FUNCTIONS: &[&dyn ScalarFunction] = &[
    &BOOLEAN, &TINYINT, &SMALLINT, &INT, &BIGINT, &FLOAT, &DOUBLE, &DECIMAL, &STRING, &BINARY,
    &DATE, &TIMESTAMP,
];

#[cfg(test)]
mod tests {
    use crate::ErrorClass;
    use crate::functions::testing::{call, double, one, s, ts};

    #[test]
    fn test_cast_functions() {
        assert_eq!(one(call("int", vec![s("42")])), Some("42".into()));
        assert_eq!(one(call("bigint", vec![double(3.9)])), Some("3".into()));
        assert_eq!(
            one(call("date", vec![ts("2023-01-08 04:11:50")])),
            Some("2023-01-08".into())
        );
        assert_eq!(one(call("decimal", vec![s("1.5")])), Some("2".into()));
        assert_eq!(
            call("int", vec![s("x")]).unwrap_err().error_class(),
            ErrorClass::CastInvalidInput
        );
        assert_eq!(
            call("date", vec![crate::functions::testing::int(1)])
                .unwrap_err()
                .error_class(),
            ErrorClass::DatatypeMismatchCastWithoutSuggestion
        );
    }
}
