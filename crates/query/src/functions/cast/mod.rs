//! `CAST` and `try_cast` with Spark's ANSI rules.
//!
//! [`cast`] converts an Arrow array holding one Spark type into the Arrow storage of another.
//! In [`CastMode::Ansi`] a value that cannot be converted raises Spark's error
//! (`CAST_INVALID_INPUT`, `CAST_OVERFLOW`, `NUMERIC_VALUE_OUT_OF_RANGE`); in
//! [`CastMode::Try`] it becomes NULL. [`can_cast`] tells the analyzer whether an explicit
//! `CAST(x AS t)` is allowed at all.

mod from_string;
mod named;
mod nested;
mod numeric;
mod temporal;
mod to_string;

use arrow::array::{ArrayRef, new_null_array};

use crate::error::{ErrorClass, QueryError, Result};
use crate::types::SparkType;

pub use from_string::StringCastBuilder;
pub(crate) use named::FUNCTIONS;
pub use to_string::value_to_string;

/// What a conversion does with a value it cannot represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CastMode {
    /// ANSI mode (Spark's default): raise an error.
    #[default]
    Ansi,
    /// `try_cast` / `try_*` functions: return NULL.
    Try,
}

/// Whether Spark (ANSI mode) allows `CAST(<from> AS <to>)`.
///
/// # Examples
/// ```
/// use query::functions::cast::can_cast;
/// use query::types::SparkType;
/// assert!(can_cast(&SparkType::String, &SparkType::Int));
/// assert!(can_cast(&SparkType::Timestamp, &SparkType::Long));
/// assert!(!can_cast(&SparkType::Date, &SparkType::Int));
/// ```
pub fn can_cast(from: &SparkType, to: &SparkType) -> bool {
    use SparkType as T;
    if from == to {
        return true;
    }
    match (from, to) {
        (T::Null, _) => true,
        (_, T::String) => true,
        (T::String, t) => !matches!(t, T::Array(_) | T::Map(..) | T::Struct(_)),
        (T::Boolean, t) | (t, T::Boolean) => t.is_numeric(),
        (a, b) if a.is_numeric() && b.is_numeric() => true,
        (T::Date | T::Timestamp | T::TimestampNtz, T::Date | T::Timestamp | T::TimestampNtz) => {
            true
        }
        (T::Timestamp, t) | (t, T::Timestamp) => t.is_numeric(),
        (T::DayTimeInterval(..), T::DayTimeInterval(..))
        | (T::YearMonthInterval(..), T::YearMonthInterval(..)) => true,
        (T::DayTimeInterval(s, e), t) | (t, T::DayTimeInterval(s, e)) => s == e && t.is_integral(),
        (T::YearMonthInterval(s, e), t) | (t, T::YearMonthInterval(s, e)) => {
            s == e && t.is_integral()
        }
        (T::Array(a), T::Array(b)) => can_cast(a, b),
        (T::Map(k1, v1), T::Map(k2, v2)) => can_cast(k1, k2) && can_cast(v1, v2),
        (T::Struct(a), T::Struct(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| can_cast(&x.data_type, &y.data_type))
        }
        _ => false,
    }
}

/// Convert `array` (holding Spark type `from`) to Spark type `to`.
///
/// # Errors
/// In [`CastMode::Ansi`]: `CAST_INVALID_INPUT` for malformed strings, `CAST_OVERFLOW` for
/// out-of-range numbers, `NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION` for decimals that do
/// not fit; `DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION` when the cast is not allowed.
///
/// # Examples
/// ```
/// use std::sync::Arc;
/// use arrow::array::{Array, ArrayRef, Int32Array, StringArray};
/// use query::functions::cast::{cast, CastMode};
/// use query::types::SparkType;
///
/// let input: ArrayRef = Arc::new(StringArray::from(vec![Some(" 12 "), None, Some("x")]));
/// let out = cast(&input, &SparkType::String, &SparkType::Int, CastMode::Try).unwrap();
/// let out = out.as_any().downcast_ref::<Int32Array>().unwrap();
/// assert_eq!(out.iter().collect::<Vec<_>>(), vec![Some(12), None, None]);
/// assert!(cast(&input, &SparkType::String, &SparkType::Int, CastMode::Ansi).is_err());
/// ```
pub fn cast(
    array: &ArrayRef,
    from: &SparkType,
    to: &SparkType,
    mode: CastMode,
) -> Result<ArrayRef> {
    use SparkType as T;
    if from == to && array.data_type() == &to.to_arrow() {
        return Ok(array.clone());
    }
    if !can_cast(from, to) {
        return Err(cast_not_allowed(from, to));
    }
    match (from, to) {
        (T::Null, _) => Ok(new_null_array(&to.to_arrow(), array.len())),
        (_, T::String) => to_string::cast_to_string(array, from),
        (T::String, _) => from_string::cast_from_string(array, to, mode),
        (a, b) if numeric::is_numeric_like(a) && numeric::is_numeric_like(b) => {
            numeric::cast_numeric(array, from, to, mode)
        }
        (T::Array(_) | T::Struct(_) | T::Map(..), _) => nested::cast_nested(array, from, to, mode),
        _ => temporal::cast_temporal(array, from, to, mode),
    }
}

/// `DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION`.
pub(crate) fn cast_not_allowed(from: &SparkType, to: &SparkType) -> QueryError {
    QueryError::analysis(
        ErrorClass::DatatypeMismatchCastWithoutSuggestion,
        format!(
            "Cannot resolve the cast due to data type mismatch: cannot cast {} to {}.",
            from.sql_name(),
            to.sql_name()
        ),
    )
}

/// `CAST_INVALID_INPUT` for a malformed string.
pub(crate) fn invalid_input(value: &str, from: &SparkType, to: &SparkType) -> QueryError {
    QueryError::execution(
        ErrorClass::CastInvalidInput,
        format!(
            "The value '{value}' of the type {} cannot be cast to {} because it is malformed. \
             Correct the value as per the syntax, or change its target type. Use `try_cast` to \
             tolerate malformed input and return NULL instead.",
            from.sql_name(),
            to.sql_name()
        ),
    )
}

/// `CAST_OVERFLOW` for a number out of the target's range. `value` is Spark's SQL literal
/// text of the value (`1.0E10D`, `300`).
pub(crate) fn cast_overflow(value: &str, from: &SparkType, to: &SparkType) -> QueryError {
    QueryError::execution(
        ErrorClass::CastOverflow,
        format!(
            "The value {value} of the type {} cannot be cast to {} due to an overflow. Use \
             `try_cast` to tolerate overflow and return NULL instead.",
            from.sql_name(),
            to.sql_name()
        ),
    )
}

/// `NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION` for a value too wide for `decimal(p, s)`.
pub(crate) fn decimal_out_of_range(value: &str, precision: u8, scale: i8) -> QueryError {
    QueryError::execution(
        ErrorClass::NumericValueOutOfRangeWithSuggestion,
        format!(
            " {value} cannot be represented as Decimal({precision}, {scale}). If necessary set \
             \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, and return NULL instead."
        ),
    )
}

#[cfg(test)]
mod tests;
