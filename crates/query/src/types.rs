//! Spark SQL data types and how they are stored in Arrow arrays.
//!
//! The plan's schema is expressed in [`SparkType`]s, because Arrow cannot tell `interval day`
//! from `interval day to second`, and Spark's type names are what learners see. Each Spark type
//! has one Arrow storage type ([`SparkType::to_arrow`]).

use std::fmt;

use arrow::datatypes::{DataType, Field, IntervalUnit, TimeUnit};

mod coercion;
mod name;

pub use coercion::{
    bounded_decimal, decimal_for_type, tightest_common_type, wider_decimal, wider_type,
    wider_type_for_string, wider_type_of_all,
};
pub use name::{DEFAULT_DECIMAL_PRECISION, MAX_DECIMAL_PRECISION, interval_type, parse_type_name};
pub(crate) use name::{IntervalField, interval_unit};

/// The session time zone. Every timestamp is stored as microseconds since the epoch in UTC, and
/// the workbook's session time zone is UTC, as in the crash course's fixtures.
pub const SESSION_TIME_ZONE: &str = "UTC";

/// A field of a Spark `struct`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StructField {
    /// Field name.
    pub name: String,
    /// Field type.
    pub data_type: SparkType,
    /// Whether the field may be NULL.
    pub nullable: bool,
}

/// The unit that starts or ends a day-time interval type (`interval day to second`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DayTimeField {
    /// `DAY`
    Day,
    /// `HOUR`
    Hour,
    /// `MINUTE`
    Minute,
    /// `SECOND`
    Second,
}

/// The unit that starts or ends a year-month interval type (`interval year to month`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum YearMonthField {
    /// `YEAR`
    Year,
    /// `MONTH`
    Month,
}

/// A Spark SQL data type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SparkType {
    /// `void`: the type of an untyped NULL literal.
    Null,
    /// `boolean`
    Boolean,
    /// `tinyint`
    Byte,
    /// `smallint`
    Short,
    /// `int`
    Int,
    /// `bigint`
    Long,
    /// `float` (32-bit)
    Float,
    /// `double`
    Double,
    /// `decimal(precision, scale)`, precision ≤ 38.
    Decimal(u8, i8),
    /// `string`
    String,
    /// `binary`
    Binary,
    /// `date`: days since the epoch.
    Date,
    /// `timestamp`: an instant, microseconds since the epoch, shown in the session time zone.
    Timestamp,
    /// `timestamp_ntz`: a wall-clock time without zone, microseconds.
    TimestampNtz,
    /// `interval <start> [to <end>]` of days to seconds, stored as microseconds.
    DayTimeInterval(DayTimeField, DayTimeField),
    /// `interval <start> [to <end>]` of years and months, stored as months.
    YearMonthInterval(YearMonthField, YearMonthField),
    /// `interval`: the legacy calendar interval (months, days, microseconds).
    CalendarInterval,
    /// `array<T>`
    Array(Box<SparkType>),
    /// `map<K,V>`
    Map(Box<SparkType>, Box<SparkType>),
    /// `struct<a:T,...>`
    Struct(Vec<StructField>),
}

impl SparkType {
    /// The Arrow type that stores values of this Spark type.
    pub fn to_arrow(&self) -> DataType {
        match self {
            SparkType::Null => DataType::Null,
            SparkType::Boolean => DataType::Boolean,
            SparkType::Byte => DataType::Int8,
            SparkType::Short => DataType::Int16,
            SparkType::Int => DataType::Int32,
            SparkType::Long => DataType::Int64,
            SparkType::Float => DataType::Float32,
            SparkType::Double => DataType::Float64,
            SparkType::Decimal(p, s) => DataType::Decimal128(*p, *s),
            SparkType::String => DataType::Utf8,
            SparkType::Binary => DataType::Binary,
            SparkType::Date => DataType::Date32,
            SparkType::Timestamp => {
                DataType::Timestamp(TimeUnit::Microsecond, Some(SESSION_TIME_ZONE.into()))
            }
            SparkType::TimestampNtz => DataType::Timestamp(TimeUnit::Microsecond, None),
            SparkType::DayTimeInterval(..) => DataType::Duration(TimeUnit::Microsecond),
            SparkType::YearMonthInterval(..) => DataType::Interval(IntervalUnit::YearMonth),
            SparkType::CalendarInterval => DataType::Interval(IntervalUnit::MonthDayNano),
            SparkType::Array(element) => {
                DataType::List(Field::new_list_field(element.to_arrow(), true).into())
            }
            SparkType::Map(key, value) => DataType::Map(
                Field::new(
                    "entries",
                    DataType::Struct(
                        vec![
                            Field::new("key", key.to_arrow(), false),
                            Field::new("value", value.to_arrow(), true),
                        ]
                        .into(),
                    ),
                    false,
                )
                .into(),
                false,
            ),
            SparkType::Struct(fields) => DataType::Struct(
                fields
                    .iter()
                    .map(|f| Field::new(&f.name, f.data_type.to_arrow(), f.nullable))
                    .collect::<Vec<_>>()
                    .into(),
            ),
        }
    }

    /// The Spark type of data arriving as Arrow, for types with one natural reading
    /// (`Duration` reads as `interval day to second`). `None` for Arrow types Spark lacks.
    pub fn from_arrow(data_type: &DataType) -> Option<SparkType> {
        Some(match data_type {
            DataType::Null => SparkType::Null,
            DataType::Boolean => SparkType::Boolean,
            DataType::Int8 => SparkType::Byte,
            DataType::Int16 => SparkType::Short,
            DataType::Int32 => SparkType::Int,
            DataType::Int64 => SparkType::Long,
            DataType::Float32 => SparkType::Float,
            DataType::Float64 => SparkType::Double,
            DataType::Decimal128(p, s) => SparkType::Decimal(*p, *s),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => SparkType::String,
            DataType::Binary | DataType::LargeBinary | DataType::BinaryView => SparkType::Binary,
            DataType::Date32 => SparkType::Date,
            DataType::Timestamp(TimeUnit::Microsecond, Some(_)) => SparkType::Timestamp,
            DataType::Timestamp(TimeUnit::Microsecond, None) => SparkType::TimestampNtz,
            DataType::Duration(TimeUnit::Microsecond) => {
                SparkType::DayTimeInterval(DayTimeField::Day, DayTimeField::Second)
            }
            DataType::Interval(IntervalUnit::YearMonth) => {
                SparkType::YearMonthInterval(YearMonthField::Year, YearMonthField::Month)
            }
            DataType::Interval(IntervalUnit::MonthDayNano) => SparkType::CalendarInterval,
            DataType::List(field) | DataType::LargeList(field) => {
                SparkType::Array(Box::new(SparkType::from_arrow(field.data_type())?))
            }
            DataType::Struct(fields) => SparkType::Struct(
                fields
                    .iter()
                    .map(|f| {
                        Some(StructField {
                            name: f.name().clone(),
                            data_type: SparkType::from_arrow(f.data_type())?,
                            nullable: f.is_nullable(),
                        })
                    })
                    .collect::<Option<Vec<_>>>()?,
            ),
            _ => return None,
        })
    }

    /// Spark's `simpleString` name: `int`, `decimal(10,2)`, `array<string>`,
    /// `struct<start:timestamp,end:timestamp>`, `interval day to second`.
    pub fn simple_string(&self) -> String {
        self.to_string()
    }

    /// The name Spark prints in error messages: `"INT"`, `"DECIMAL(4,1)"`, `"ARRAY<STRING>"`.
    ///
    /// # Examples
    /// ```
    /// use query::types::SparkType;
    /// assert_eq!(SparkType::Decimal(4, 1).sql_name(), "\"DECIMAL(4,1)\"");
    /// ```
    pub fn sql_name(&self) -> String {
        format!("\"{}\"", self.to_string().to_ascii_uppercase())
    }

    /// Whether this is an ANSI interval (`interval day to second`, `interval year to month`)
    /// or the legacy calendar `interval`.
    pub fn is_interval(&self) -> bool {
        matches!(
            self,
            SparkType::DayTimeInterval(..)
                | SparkType::YearMonthInterval(..)
                | SparkType::CalendarInterval
        )
    }

    /// Whether this is `float` or `double`.
    pub fn is_floating(&self) -> bool {
        matches!(self, SparkType::Float | SparkType::Double)
    }

    /// Whether this is one of the numeric types (integral, float, double or decimal).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            SparkType::Byte
                | SparkType::Short
                | SparkType::Int
                | SparkType::Long
                | SparkType::Float
                | SparkType::Double
                | SparkType::Decimal(..)
        )
    }

    /// Whether this is one of the integral types (`tinyint` … `bigint`).
    pub fn is_integral(&self) -> bool {
        matches!(
            self,
            SparkType::Byte | SparkType::Short | SparkType::Int | SparkType::Long
        )
    }
}

impl fmt::Display for DayTimeField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DayTimeField::Day => "day",
            DayTimeField::Hour => "hour",
            DayTimeField::Minute => "minute",
            DayTimeField::Second => "second",
        })
    }
}

impl fmt::Display for YearMonthField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            YearMonthField::Year => "year",
            YearMonthField::Month => "month",
        })
    }
}

impl fmt::Display for SparkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SparkType::Null => f.write_str("void"),
            SparkType::Boolean => f.write_str("boolean"),
            SparkType::Byte => f.write_str("tinyint"),
            SparkType::Short => f.write_str("smallint"),
            SparkType::Int => f.write_str("int"),
            SparkType::Long => f.write_str("bigint"),
            SparkType::Float => f.write_str("float"),
            SparkType::Double => f.write_str("double"),
            SparkType::Decimal(p, s) => write!(f, "decimal({p},{s})"),
            SparkType::String => f.write_str("string"),
            SparkType::Binary => f.write_str("binary"),
            SparkType::Date => f.write_str("date"),
            SparkType::Timestamp => f.write_str("timestamp"),
            SparkType::TimestampNtz => f.write_str("timestamp_ntz"),
            SparkType::DayTimeInterval(start, end) if start == end => write!(f, "interval {start}"),
            SparkType::DayTimeInterval(start, end) => write!(f, "interval {start} to {end}"),
            SparkType::YearMonthInterval(start, end) if start == end => {
                write!(f, "interval {start}")
            }
            SparkType::YearMonthInterval(start, end) => write!(f, "interval {start} to {end}"),
            SparkType::CalendarInterval => f.write_str("interval"),
            SparkType::Array(element) => write!(f, "array<{element}>"),
            SparkType::Map(key, value) => write!(f, "map<{key},{value}>"),
            SparkType::Struct(fields) => {
                f.write_str("struct<")?;
                for (i, field) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}:{}", field.name, field.data_type)?;
                }
                f.write_str(">")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_simple_string_names() {
        assert_eq!(SparkType::Decimal(10, 2).simple_string(), "decimal(10,2)");
        assert_eq!(
            SparkType::DayTimeInterval(DayTimeField::Day, DayTimeField::Second).simple_string(),
            "interval day to second"
        );
        assert_eq!(
            SparkType::DayTimeInterval(DayTimeField::Day, DayTimeField::Day).simple_string(),
            "interval day"
        );
        let window = SparkType::Struct(vec![
            StructField {
                name: "start".into(),
                data_type: SparkType::Timestamp,
                nullable: true,
            },
            StructField {
                name: "end".into(),
                data_type: SparkType::Timestamp,
                nullable: true,
            },
        ]);
        assert_eq!(
            window.simple_string(),
            "struct<start:timestamp,end:timestamp>"
        );
    }

    #[test]
    fn test_arrow_round_trip_of_plain_types() {
        for t in [
            SparkType::Int,
            SparkType::Float,
            SparkType::Decimal(38, 6),
            SparkType::Timestamp,
            SparkType::Date,
            SparkType::Array(Box::new(SparkType::String)),
        ] {
            assert_eq!(SparkType::from_arrow(&t.to_arrow()), Some(t));
        }
    }
}
