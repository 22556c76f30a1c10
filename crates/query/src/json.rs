//! Results and errors as JSON in the SQL fixtures' value encoding (what `iotwb sql` prints
//! and the golden tests compare): doubles as shortest round-trip numbers (`"NaN"`,
//! `"Infinity"` as strings), floats as their shortest f32 form, decimals as strings with
//! their scale, timestamps as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, intervals as Spark renders them.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    Date32Type, Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type,
    Int64Type, TimestampMicrosecondType,
};
use serde_json::{Map, Value, json};

use crate::coerce;
use crate::error::{QueryError, Result};
use crate::plan::expr::CastKind;
use crate::session::QueryResult;
use crate::types::SparkType;

/// `{"schema": [[name, type], ...], "rows": [[...], ...]}`.
///
/// # Examples
/// ```
/// use query::{Catalog, Session};
/// let result = Session::new(Catalog::new()).sql("SELECT id FROM range(2)").unwrap();
/// let json = query::json::result_json(&result).unwrap();
/// assert_eq!(json["schema"].to_string(), r#"[["id","bigint"]]"#);
/// assert_eq!(json["rows"].to_string(), "[[0],[1]]");
/// ```
pub fn result_json(result: &QueryResult) -> Result<Value> {
    let schema: Vec<Value> = result
        .schema
        .iter()
        .map(|(n, t)| json!([n, t.simple_string()]))
        .collect();
    let mut rows = Vec::with_capacity(result.num_rows());
    for batch in &result.batches {
        let columns = batch
            .columns()
            .iter()
            .zip(&result.schema)
            .map(|(c, (_, t))| encode_column(c, t))
            .collect::<Result<Vec<_>>>()?;
        for r in 0..batch.num_rows() {
            rows.push(Value::Array(columns.iter().map(|c| c[r].clone()).collect()));
        }
    }
    Ok(json!({"schema": schema, "rows": rows}))
}

/// `{"error": {"class": ..., "message": ...}}` (with `"line"`/`"column"` when known).
pub fn error_json(error: &QueryError) -> Value {
    let mut e = Map::new();
    e.insert("class".into(), json!(error.class()));
    e.insert("message".into(), json!(error.to_string()));
    if let Some(span) = error.span() {
        e.insert("line".into(), json!(span.start.line));
        e.insert("column".into(), json!(span.start.column));
    }
    json!({ "error": e })
}

fn special(v: f64) -> Option<Value> {
    if v.is_nan() {
        Some(json!("NaN"))
    } else if v.is_infinite() {
        Some(json!(if v > 0.0 { "Infinity" } else { "-Infinity" }))
    } else {
        None
    }
}

fn double_value(v: f64) -> Value {
    special(v).unwrap_or_else(|| json!(v))
}

/// A float as the shortest decimal that round-trips through f32 (`4.6`, not
/// `4.599999904632568`), carried by the nearest double.
fn float_value(v: f32) -> Value {
    special(v as f64).unwrap_or_else(|| {
        let mut text = format!("{v}");
        if !text.contains(['.', 'e', 'E']) {
            text.push_str(".0");
        }
        json!(text.parse::<f64>().unwrap_or(v as f64))
    })
}

/// `days` since the epoch as (year, month, day) in the proleptic Gregorian calendar.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn date_text(days: i64) -> String {
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn timestamp_text(micros: i64) -> String {
    let days = micros.div_euclid(86_400_000_000);
    let rest = micros.rem_euclid(86_400_000_000);
    let (s, us) = (rest / 1_000_000, rest % 1_000_000);
    format!(
        "{}T{:02}:{:02}:{:02}.{us:06}Z",
        date_text(days),
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Every value of a column, encoded.
pub fn encode_column(a: &ArrayRef, t: &SparkType) -> Result<Vec<Value>> {
    let n = a.len();
    let each = |f: &dyn Fn(usize) -> Value| -> Vec<Value> {
        (0..n)
            .map(|i| if a.is_null(i) { Value::Null } else { f(i) })
            .collect()
    };
    Ok(match t {
        SparkType::Null => vec![Value::Null; n],
        SparkType::Boolean => {
            let b = a.as_boolean();
            each(&|i| json!(b.value(i)))
        }
        SparkType::Byte => each(&|i| json!(a.as_primitive::<Int8Type>().value(i))),
        SparkType::Short => each(&|i| json!(a.as_primitive::<Int16Type>().value(i))),
        SparkType::Int => each(&|i| json!(a.as_primitive::<Int32Type>().value(i))),
        SparkType::Long => each(&|i| json!(a.as_primitive::<Int64Type>().value(i))),
        SparkType::Float => {
            let f = a.as_primitive::<Float32Type>();
            each(&|i| float_value(f.value(i)))
        }
        SparkType::Double => {
            let f = a.as_primitive::<Float64Type>();
            each(&|i| double_value(f.value(i)))
        }
        SparkType::Decimal(..) => {
            let d = a.as_primitive::<Decimal128Type>();
            each(&|i| json!(d.value_as_string(i)))
        }
        SparkType::String => {
            let s = a.as_string::<i32>();
            each(&|i| json!(s.value(i)))
        }
        SparkType::Date => {
            let d = a.as_primitive::<Date32Type>();
            each(&|i| json!(date_text(d.value(i) as i64)))
        }
        SparkType::Timestamp | SparkType::TimestampNtz => {
            let ts = a.as_primitive::<TimestampMicrosecondType>();
            each(&|i| json!(timestamp_text(ts.value(i))))
        }
        SparkType::Array(element) => {
            let list = a.as_list::<i32>();
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                out.push(if list.is_null(i) {
                    Value::Null
                } else {
                    Value::Array(encode_column(&list.value(i), element)?)
                });
            }
            out
        }
        SparkType::Struct(fields) => {
            let s = a.as_struct();
            let columns = fields
                .iter()
                .enumerate()
                .map(|(k, f)| encode_column(s.column(k), &f.data_type))
                .collect::<Result<Vec<_>>>()?;
            (0..n)
                .map(|i| {
                    if s.is_null(i) {
                        return Value::Null;
                    }
                    let mut m = Map::new();
                    for (f, col) in fields.iter().zip(&columns) {
                        m.insert(f.name.clone(), col[i].clone());
                    }
                    Value::Object(m)
                })
                .collect()
        }
        // Intervals, maps, binary: Spark's string rendering.
        other => {
            let text = coerce::cast(a, other, &SparkType::String, CastKind::Ansi)?;
            let s = text.as_string::<i32>();
            (0..n)
                .map(|i| {
                    if s.is_null(i) {
                        Value::Null
                    } else {
                        json!(s.value(i))
                    }
                })
                .collect()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_timestamps_and_dates_render_in_utc() {
        assert_eq!(timestamp_text(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            timestamp_text(1_673_152_803_000_001),
            "2023-01-08T04:40:03.000001Z"
        );
        assert_eq!(timestamp_text(-1), "1969-12-31T23:59:59.999999Z");
        assert_eq!(date_text(19_417), "2023-03-01");
    }

    #[test]
    fn test_float_uses_shortest_f32_text() {
        assert_eq!(float_value(4.6f32).to_string(), "4.6");
        assert_eq!(float_value(1.0f32).to_string(), "1.0");
        assert_eq!(float_value(f32::NAN), json!("NaN"));
        assert_eq!(double_value(0.1 + 0.2).to_string(), "0.30000000000000004");
        assert_eq!(double_value(1e20).to_string(), "1e+20");
    }
}
