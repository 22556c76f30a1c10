//! `pyspark.sql.types`: data types for `cast` and `.schema(...)`.

use query::SparkType;
use query::types::StructField as SparkField;
use query::types::parse_type_name;

use super::error::{PyError, PyResult};
use super::interp::Args;
use super::native::Native;
use super::value::Value;

/// Names of `pyspark.sql.types` the subset offers.
pub const TYPE_NAMES: &[&str] = &[
    "StringType",
    "IntegerType",
    "LongType",
    "ShortType",
    "ByteType",
    "DoubleType",
    "FloatType",
    "BooleanType",
    "TimestampType",
    "TimestampNTZType",
    "DateType",
    "DecimalType",
    "BinaryType",
    "ArrayType",
    "MapType",
    "StructType",
    "StructField",
];

/// Call a type constructor (`StringType()`, `DecimalType(10, 2)`, `StructType([...])`).
pub fn call_type(name: &str, args: Args) -> PyResult<Value> {
    let at = args.at;
    let simple = |t: SparkType| Ok(Value::native(Native::Type(t)));
    match name {
        "StringType" => simple(SparkType::String),
        "IntegerType" => simple(SparkType::Int),
        "LongType" => simple(SparkType::Long),
        "ShortType" => simple(SparkType::Short),
        "ByteType" => simple(SparkType::Byte),
        "DoubleType" => simple(SparkType::Double),
        "FloatType" => simple(SparkType::Float),
        "BooleanType" => simple(SparkType::Boolean),
        "TimestampType" => simple(SparkType::Timestamp),
        "TimestampNTZType" => simple(SparkType::TimestampNtz),
        "DateType" => simple(SparkType::Date),
        "BinaryType" => simple(SparkType::Binary),
        "DecimalType" => {
            let int = |i: usize, name: &str, default: i64| -> PyResult<i64> {
                match args.get(i, name).map(|a| &a.value) {
                    None => Ok(default),
                    Some(Value::Int(v)) => Ok(*v),
                    Some(_) => Err(PyError::new(
                        at,
                        format!("DecimalType: `{name}` must be an int"),
                    )),
                }
            };
            let (p, s) = (int(0, "precision", 10)?, int(1, "scale", 0)?);
            if !(1..=38).contains(&p) || s < 0 || s > p {
                return Err(PyError::new(
                    at,
                    format!(
                        "DecimalType({p}, {s}) is out of range (precision 1..38, 0 <= scale <= precision)"
                    ),
                ));
            }
            simple(SparkType::Decimal(p as u8, s as i8))
        }
        "ArrayType" => {
            let element = args
                .get(0, "elementType")
                .ok_or_else(|| PyError::new(at, "ArrayType needs an element type"))?;
            simple(SparkType::Array(Box::new(type_of(
                &element.value,
                element.start,
            )?)))
        }
        "MapType" => {
            let k = args
                .get(0, "keyType")
                .ok_or_else(|| PyError::new(at, "MapType needs key and value types"))?;
            let v = args
                .get(1, "valueType")
                .ok_or_else(|| PyError::new(at, "MapType needs key and value types"))?;
            simple(SparkType::Map(
                Box::new(type_of(&k.value, k.start)?),
                Box::new(type_of(&v.value, v.start)?),
            ))
        }
        "StructField" => {
            let (field, _) = args.str_arg(0, "name", "StructField")?;
            let t = args
                .get(1, "dataType")
                .ok_or_else(|| PyError::new(at, "StructField needs a type"))?;
            Ok(Value::native(Native::Field(
                field,
                type_of(&t.value, t.start)?,
            )))
        }
        "StructType" => {
            let fields = match args.get(0, "fields") {
                None => Vec::new(),
                Some(list) => list.value.as_items().ok_or_else(|| {
                    PyError::new(list.start, "StructType needs a list of StructField")
                })?,
            };
            let mut out = Vec::new();
            for f in fields {
                match &f {
                    Value::Native(n) => match &**n {
                        Native::Field(name, t) => out.push(SparkField {
                            name: name.clone(),
                            data_type: t.clone(),
                            nullable: true,
                        }),
                        _ => return Err(PyError::new(at, "StructType needs StructField items")),
                    },
                    _ => return Err(PyError::new(at, "StructType needs StructField items")),
                }
            }
            simple(SparkType::Struct(out))
        }
        _ => Err(PyError::new(
            at,
            format!("`{name}` is not a supported type"),
        )),
    }
}

/// A Spark type from a type object or a DDL name (`"double"`, `"decimal(10,2)"`).
pub fn type_of(value: &Value, at: usize) -> PyResult<SparkType> {
    match value {
        Value::Str(s) => parse_type_name(s).map_err(|e| PyError::new(at, e.to_string())),
        Value::Native(n) => match &**n {
            Native::Type(t) => Ok(t.clone()),
            other => Err(PyError::new(
                at,
                format!("expected a data type, got {}", other.type_name()),
            )),
        },
        other => Err(PyError::new(
            at,
            format!("expected a data type, got {}", other.type_name()),
        )),
    }
}

/// Columns of a schema given as a `StructType` or a DDL string (`"id INT, name STRING"`).
pub fn schema_of(value: &Value, at: usize) -> PyResult<Vec<(String, SparkType)>> {
    match value {
        Value::Str(s) => crate::autoloader::options::parse_schema(s)
            .map_err(|e| PyError::new(at, format!("invalid schema: {e}"))),
        other => match type_of(other, at)? {
            SparkType::Struct(fields) => {
                Ok(fields.into_iter().map(|f| (f.name, f.data_type)).collect())
            }
            t => Err(PyError::new(
                at,
                format!("a schema is a StructType or a DDL string, not {t}"),
            )),
        },
    }
}
