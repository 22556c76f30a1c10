//! The planner's door to the type rules and casts of `types` and `functions::cast`.
//!
//! Everything the analyzer and executor need from those modules goes through here, so the
//! contract between the two halves of the engine is visible in one place.

use arrow::array::ArrayRef;

use crate::error::Result;
use crate::functions::cast::CastMode;
use crate::plan::expr::{CastKind, Literal};
use crate::types::SparkType;

/// Spark's type for a type name (`int`, `decimal(10,2)`, `array<string>`).
pub fn parse_type_name(name: &str) -> Result<SparkType> {
    crate::types::parse_type_name(name)
}

/// The type both `a` and `b` widen to (CASE branches, COALESCE arguments, IN lists, UNION
/// columns).
pub fn wider_type(a: &SparkType, b: &SparkType) -> Option<SparkType> {
    crate::types::wider_type(a, b)
}

/// Whether a value of `from` can be cast to `to` at all.
pub fn can_cast(from: &SparkType, to: &SparkType) -> bool {
    crate::functions::cast::can_cast(from, to)
}

/// Cast an array with Spark's rules (`Ansi` raises, `Try` gives NULL).
pub fn cast(
    array: &ArrayRef,
    from: &SparkType,
    to: &SparkType,
    kind: CastKind,
) -> Result<ArrayRef> {
    let mode = match kind {
        CastKind::Ansi => CastMode::Ansi,
        CastKind::Try => CastMode::Try,
    };
    crate::functions::cast::cast(array, from, to, mode)
}

/// The value of an `INTERVAL` literal (`INTERVAL 10 MINUTES`, `INTERVAL '1 02:03' DAY TO
/// MINUTE`, `INTERVAL '1 day 2 hours'`).
pub fn interval_literal(value: &str, from: Option<&str>, to: Option<&str>) -> Result<Literal> {
    let (t, array) = crate::functions::interval::parse_interval_literal(value, from, to)?;
    Ok(Literal::new(t, array))
}
