//! Spark's (ANSI mode) implicit type coercion: the common type of two types, as used by
//! CASE, COALESCE, IN, UNION, greatest/least and binary operators.

use crate::types::name::MAX_DECIMAL_PRECISION;
use crate::types::{SparkType, StructField};

/// The decimal type that holds every value of an integral or floating type without loss
/// (Spark's `DecimalType.forType`): tinyint → decimal(3,0), int → decimal(10,0),
/// bigint → decimal(20,0), float → decimal(14,7), double → decimal(30,15).
///
/// # Examples
/// ```
/// use query::types::{decimal_for_type, SparkType};
/// assert_eq!(decimal_for_type(&SparkType::Int), Some((10, 0)));
/// assert_eq!(decimal_for_type(&SparkType::String), None);
/// ```
pub fn decimal_for_type(t: &SparkType) -> Option<(u8, i8)> {
    Some(match t {
        SparkType::Byte => (3, 0),
        SparkType::Short => (5, 0),
        SparkType::Int => (10, 0),
        SparkType::Long => (20, 0),
        SparkType::Float => (14, 7),
        SparkType::Double => (30, 15),
        SparkType::Decimal(p, s) => (*p, *s),
        _ => return None,
    })
}

/// The smallest decimal type holding both decimal types (Spark's `widerDecimalType`):
/// the larger scale and the larger count of integer digits, capped at precision 38.
///
/// # Examples
/// ```
/// use query::types::wider_decimal;
/// assert_eq!(wider_decimal((10, 0), (2, 1)), (11, 1));
/// ```
pub fn wider_decimal(a: (u8, i8), b: (u8, i8)) -> (u8, i8) {
    let scale = a.1.max(b.1);
    let range = (i32::from(a.0) - i32::from(a.1)).max(i32::from(b.0) - i32::from(b.1));
    bounded_decimal(range + i32::from(scale), i32::from(scale))
}

/// `decimal(min(p, 38), min(s, 38))`, as Spark's `DecimalType.bounded`.
pub fn bounded_decimal(precision: i32, scale: i32) -> (u8, i8) {
    let max = i32::from(MAX_DECIMAL_PRECISION);
    (precision.clamp(1, max) as u8, scale.clamp(0, max) as i8)
}

/// Rank of the non-decimal numeric types in Spark's `numericPrecedence`.
fn numeric_rank(t: &SparkType) -> Option<u8> {
    Some(match t {
        SparkType::Byte => 0,
        SparkType::Short => 1,
        SparkType::Int => 2,
        SparkType::Long => 3,
        SparkType::Float => 4,
        SparkType::Double => 5,
        _ => return None,
    })
}

/// Spark's `findTightestCommonType` in ANSI mode: equal types, NULL with anything, numeric
/// widening without decimals (an integral type with `float` gives `double`, as ANSI mode
/// avoids the precision loss of int → float), date with timestamp, and nested types whose
/// parts have a tightest common type.
pub fn tightest_common_type(a: &SparkType, b: &SparkType) -> Option<SparkType> {
    use SparkType as T;
    if a == b {
        return Some(a.clone());
    }
    match (a, b) {
        (T::Null, t) | (t, T::Null) => Some(t.clone()),
        (x, y) if numeric_rank(x).is_some() && numeric_rank(y).is_some() => {
            let wider = if numeric_rank(x) > numeric_rank(y) {
                x
            } else {
                y
            };
            if *wider == T::Float && (x.is_integral() || y.is_integral()) {
                Some(T::Double)
            } else {
                Some(wider.clone())
            }
        }
        (T::Date, T::Timestamp) | (T::Timestamp, T::Date) => Some(T::Timestamp),
        (T::Timestamp, T::TimestampNtz) | (T::TimestampNtz, T::Timestamp) => Some(T::Timestamp),
        (T::Date, T::TimestampNtz) | (T::TimestampNtz, T::Date) => Some(T::TimestampNtz),
        (T::DayTimeInterval(s1, e1), T::DayTimeInterval(s2, e2)) => {
            Some(T::DayTimeInterval(*s1.min(s2), *e1.max(e2)))
        }
        (T::YearMonthInterval(s1, e1), T::YearMonthInterval(s2, e2)) => {
            Some(T::YearMonthInterval(*s1.min(s2), *e1.max(e2)))
        }
        _ => complex_common_type(a, b, tightest_common_type),
    }
}

/// Decimal widening: a decimal with an integral type or another decimal widens to a decimal;
/// a decimal with `float`/`double` becomes `double`.
fn wider_type_for_decimal(a: &SparkType, b: &SparkType) -> Option<SparkType> {
    use SparkType as T;
    match (a, b) {
        (T::Decimal(..), T::Float | T::Double) | (T::Float | T::Double, T::Decimal(..)) => {
            Some(T::Double)
        }
        (T::Decimal(..), other) | (other, T::Decimal(..))
            if other.is_integral() || matches!(other, T::Decimal(..)) =>
        {
            let (p, s) = wider_decimal(decimal_for_type(a)?, decimal_for_type(b)?);
            Some(T::Decimal(p, s))
        }
        _ => None,
    }
}

/// ANSI string promotion: a string with an integral type is read as `bigint`, with a
/// fractional type as `double`, with any other atomic type (date, timestamp, boolean,
/// binary) as that type. A string with an ANSI interval has no common type.
pub fn wider_type_for_string(a: &SparkType, b: &SparkType) -> Option<SparkType> {
    use SparkType as T;
    match (a, b) {
        (T::String, T::String) => Some(T::String),
        (T::String, other) | (other, T::String) => match other {
            t if t.is_integral() => Some(T::Long),
            T::Float | T::Double | T::Decimal(..) => Some(T::Double),
            T::Null => Some(T::String),
            T::Boolean | T::Binary | T::Date | T::Timestamp | T::TimestampNtz => {
                Some(other.clone())
            }
            _ => None,
        },
        _ => None,
    }
}

fn complex_common_type(
    a: &SparkType,
    b: &SparkType,
    each: fn(&SparkType, &SparkType) -> Option<SparkType>,
) -> Option<SparkType> {
    use SparkType as T;
    match (a, b) {
        (T::Array(x), T::Array(y)) => Some(T::Array(Box::new(each(x, y)?))),
        (T::Map(k1, v1), T::Map(k2, v2)) => {
            Some(T::Map(Box::new(each(k1, k2)?), Box::new(each(v1, v2)?)))
        }
        (T::Struct(f1), T::Struct(f2)) if f1.len() == f2.len() => {
            let fields = f1
                .iter()
                .zip(f2)
                .map(|(x, y)| {
                    x.name.eq_ignore_ascii_case(&y.name).then_some(())?;
                    Some(StructField {
                        name: x.name.clone(),
                        data_type: each(&x.data_type, &y.data_type)?,
                        nullable: x.nullable || y.nullable,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some(T::Struct(fields))
        }
        _ => None,
    }
}

/// Spark's `findWiderTypeForTwo` in ANSI mode: the type both `a` and `b` are implicitly cast
/// to when they meet in CASE/COALESCE/IN/UNION/greatest/least or a comparison. `None` when
/// they have no common type (Spark then reports `DATATYPE_MISMATCH`).
///
/// # Examples
/// ```
/// use query::types::{wider_type, SparkType};
/// // int with float widens to double in ANSI mode
/// assert_eq!(wider_type(&SparkType::Int, &SparkType::Float), Some(SparkType::Double));
/// // int with decimal(2,1) widens to decimal(11,1)
/// assert_eq!(wider_type(&SparkType::Int, &SparkType::Decimal(2, 1)), Some(SparkType::Decimal(11, 1)));
/// // strings are promoted: string with int → bigint, string with date → date
/// assert_eq!(wider_type(&SparkType::String, &SparkType::Int), Some(SparkType::Long));
/// assert_eq!(wider_type(&SparkType::Boolean, &SparkType::Int), None);
/// ```
pub fn wider_type(a: &SparkType, b: &SparkType) -> Option<SparkType> {
    tightest_common_type(a, b)
        .or_else(|| wider_type_for_decimal(a, b))
        .or_else(|| wider_type_for_string(a, b))
        .or_else(|| complex_common_type(a, b, wider_type))
}

/// The common type of several types (folding [`wider_type`]), or `None` if some pair has
/// none. An empty list gives `void`.
///
/// # Examples
/// ```
/// use query::types::{wider_type_of_all, SparkType};
/// let t = wider_type_of_all(&[SparkType::Float, SparkType::Float, SparkType::Int]);
/// assert_eq!(t, Some(SparkType::Double));
/// ```
pub fn wider_type_of_all(types: &[SparkType]) -> Option<SparkType> {
    types
        .iter()
        .try_fold(SparkType::Null, |acc, t| wider_type(&acc, t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{DayTimeField, SparkType as T};

    #[test]
    fn test_wider_type_numeric() {
        assert_eq!(wider_type(&T::Byte, &T::Int), Some(T::Int));
        assert_eq!(wider_type(&T::Long, &T::Double), Some(T::Double));
        assert_eq!(wider_type(&T::Float, &T::Float), Some(T::Float));
        assert_eq!(wider_type(&T::Float, &T::Double), Some(T::Double));
        assert_eq!(wider_type(&T::Long, &T::Float), Some(T::Double));
        assert_eq!(wider_type(&T::Null, &T::Float), Some(T::Float));
    }

    #[test]
    fn test_wider_type_decimal() {
        assert_eq!(
            wider_type(&T::Decimal(10, 2), &T::Decimal(5, 4)),
            Some(T::Decimal(12, 4))
        );
        assert_eq!(
            wider_type(&T::Long, &T::Decimal(10, 2)),
            Some(T::Decimal(22, 2))
        );
        assert_eq!(wider_type(&T::Float, &T::Decimal(2, 1)), Some(T::Double));
        assert_eq!(
            wider_type(&T::Decimal(38, 10), &T::Decimal(38, 0)),
            Some(T::Decimal(38, 10))
        );
    }

    #[test]
    fn test_wider_type_strings_and_dates() {
        assert_eq!(wider_type(&T::String, &T::Timestamp), Some(T::Timestamp));
        assert_eq!(wider_type(&T::Date, &T::String), Some(T::Date));
        assert_eq!(wider_type(&T::String, &T::Decimal(3, 1)), Some(T::Double));
        assert_eq!(wider_type(&T::Date, &T::Timestamp), Some(T::Timestamp));
        let dt = T::DayTimeInterval(DayTimeField::Day, DayTimeField::Day);
        assert_eq!(wider_type(&T::String, &dt), None);
        assert_eq!(wider_type(&T::Boolean, &T::Date), None);
    }

    #[test]
    fn test_wider_type_nested() {
        let a = T::Array(Box::new(T::Int));
        let b = T::Array(Box::new(T::Double));
        assert_eq!(wider_type(&a, &b), Some(T::Array(Box::new(T::Double))));
        let c = T::Array(Box::new(T::String));
        assert_eq!(wider_type(&a, &c), Some(T::Array(Box::new(T::Long))));
    }
}
