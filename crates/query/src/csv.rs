//! Loading CSV tables: RFC 4180 text with a header, typed by a Spark schema, and the
//! `tables.json` manifest that lists such tables (the SQL fixtures' format).
//!
//! An empty unquoted field is NULL (a quoted empty field is the empty string). Values are
//! converted with Spark's casts from string, so `float` columns parse straight to 32 bits
//! and timestamps without zone are read in the session time zone (UTC).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, RecordBatch, StringArray};

use crate::coerce;
use crate::error::{ErrorClass, Location, QueryError, Result, Span};
use crate::plan::expr::CastKind;
use crate::table::{Table, TableSchema, arrow_schema_of};
use crate::types::SparkType;

/// Rows per record batch of a loaded table.
const BATCH_ROWS: usize = 64 * 1024;

/// A table listed in a `tables.json` manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    /// Table name.
    pub name: String,
    /// CSV file, relative to the manifest's folder.
    pub file: String,
    /// Columns and Spark types.
    pub schema: TableSchema,
}

fn manifest_error(message: String) -> QueryError {
    QueryError::analysis(ErrorClass::InvalidTablesManifest, message)
}

/// Read a `tables.json` manifest: `{"tables": {"name": {"file": ..., "columns": [[col, type], ...]}}}`.
///
/// # Examples
/// ```
/// let specs = query::csv::parse_manifest(r#"{"tables": {"t": {"file": "t.csv", "columns": [["x", "int"], ["d", "decimal(10,2)"]]}}}"#).unwrap();
/// assert_eq!(specs[0].schema[1].1.simple_string(), "decimal(10,2)");
/// ```
pub fn parse_manifest(text: &str) -> Result<Vec<TableSpec>> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        manifest_error(format!(
            "tables.json is not valid JSON at {}:{}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let tables = json
        .get("tables")
        .and_then(|t| t.as_object())
        .ok_or_else(|| manifest_error("tables.json needs a \"tables\" object".into()))?;
    let mut out = Vec::with_capacity(tables.len());
    for (name, spec) in tables {
        let file = spec
            .get("file")
            .and_then(|f| f.as_str())
            .ok_or_else(|| manifest_error(format!("table `{name}` needs a \"file\"")))?;
        let columns = spec
            .get("columns")
            .and_then(|c| c.as_array())
            .ok_or_else(|| manifest_error(format!("table `{name}` needs \"columns\"")))?;
        let mut schema = Vec::with_capacity(columns.len());
        for c in columns {
            let pair = c.as_array().filter(|p| p.len() == 2);
            let (Some(col), Some(typ)) = (
                pair.and_then(|p| p[0].as_str()),
                pair.and_then(|p| p[1].as_str()),
            ) else {
                return Err(manifest_error(format!(
                    "table `{name}`: each column is [name, type], found {c}"
                )));
            };
            schema.push((col.to_string(), coerce::parse_type_name(typ)?));
        }
        out.push(TableSpec {
            name: name.clone(),
            file: file.to_string(),
            schema,
        });
    }
    Ok(out)
}

/// One parsed field: its text and whether it was quoted.
struct Field {
    text: String,
    quoted: bool,
}

fn csv_error(message: String, line: usize, column: usize) -> QueryError {
    let loc = Location {
        line: line as u32,
        column: column as u32,
    };
    QueryError::Analysis {
        class: ErrorClass::MalformedCsv,
        message,
        span: Some(Span {
            start: loc,
            end: loc,
        }),
        suggestions: vec![],
    }
}

/// Split CSV text into records of fields (RFC 4180: `"` quotes, `""` escapes a quote).
/// Returns each record with the line it starts on.
fn records(text: &str, delimiter: char) -> Result<Vec<(usize, Vec<Field>)>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1usize, 1usize);
    while chars.peek().is_some() {
        let start_line = line;
        let mut fields = Vec::new();
        loop {
            let mut field = Field {
                text: String::new(),
                quoted: false,
            };
            if chars.peek() == Some(&'"') {
                field.quoted = true;
                let (ql, qc) = (line, column);
                chars.next();
                column += 1;
                loop {
                    match chars.next() {
                        None => return Err(csv_error("unterminated quoted field".into(), ql, qc)),
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            column += 2;
                            field.text.push('"');
                        }
                        Some('"') => {
                            column += 1;
                            break;
                        }
                        Some('\n') => {
                            line += 1;
                            column = 1;
                            field.text.push('\n');
                        }
                        Some(c) => {
                            column += 1;
                            field.text.push(c);
                        }
                    }
                }
            }
            while let Some(&c) = chars.peek() {
                if c == delimiter || c == '\n' || c == '\r' {
                    break;
                }
                if field.quoted {
                    return Err(csv_error(
                        format!("unexpected '{c}' after a closing quote"),
                        line,
                        column,
                    ));
                }
                field.text.push(c);
                chars.next();
                column += 1;
            }
            fields.push(field);
            match chars.next() {
                Some(c) if c == delimiter => column += 1,
                Some('\r') => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    column = 1;
                    break;
                }
                Some(_) => {
                    line += 1;
                    column = 1;
                    break;
                }
                None => break,
            }
        }
        out.push((start_line, fields));
    }
    Ok(out)
}

/// Read CSV text (with a header row naming the columns in schema order) into a table.
///
/// # Examples
/// ```
/// use query::SparkType;
/// let schema = vec![("id".to_string(), SparkType::Int), ("t".to_string(), SparkType::Float)];
/// let table = query::csv::read_csv("id,t\n1,4.6\n2,\n", &schema).unwrap();
/// assert_eq!(table.num_rows(), 2);
/// assert_eq!(table.batches()[0].column(1).null_count(), 1);
/// ```
pub fn read_csv(text: &str, schema: &[(String, SparkType)]) -> Result<Table> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = records(text, ',')?.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(csv_error("the CSV has no header row".into(), 1, 1));
    };
    let names: Vec<&str> = header.iter().map(|f| f.text.as_str()).collect();
    let expected: Vec<&str> = schema.iter().map(|(n, _)| n.as_str()).collect();
    if names.len() != expected.len()
        || names
            .iter()
            .zip(&expected)
            .any(|(a, b)| !a.eq_ignore_ascii_case(b))
    {
        return Err(csv_error(
            format!(
                "the header has columns [{}] but the table expects [{}]",
                names.join(", "),
                expected.join(", ")
            ),
            1,
            1,
        ));
    }
    let rows: Vec<(usize, Vec<Field>)> = rows
        .filter(|(_, f)| !(f.len() == 1 && f[0].text.is_empty() && !f[0].quoted))
        .collect();
    for (line, fields) in &rows {
        if fields.len() != schema.len() {
            return Err(csv_error(
                format!(
                    "the record has {} fields but the header {}",
                    fields.len(),
                    schema.len()
                ),
                *line,
                1,
            ));
        }
    }
    let arrow_schema = arrow_schema_of(schema);
    let mut batches = Vec::new();
    for chunk in rows.chunks(BATCH_ROWS) {
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.len());
        for (c, (name, spark)) in schema.iter().enumerate() {
            let strings: StringArray = chunk
                .iter()
                .map(|(_, f)| {
                    let field = &f[c];
                    (field.quoted || !field.text.is_empty()).then_some(field.text.as_str())
                })
                .collect();
            let strings: ArrayRef = Arc::new(strings);
            let typed = coerce::cast(&strings, &SparkType::String, spark, CastKind::Try)?;
            if typed.null_count() > strings.null_count() {
                let bad = (0..strings.len())
                    .find(|&i| strings.is_valid(i) && typed.is_null(i))
                    .expect("a failed value");
                return Err(csv_error(
                    format!(
                        "the value '{}' of column `{name}` is not a valid {spark}",
                        chunk[bad].1[c].text
                    ),
                    chunk[bad].0,
                    c + 1,
                ));
            }
            columns.push(typed);
        }
        batches.push(RecordBatch::try_new(arrow_schema.clone(), columns)?);
    }
    Table::new(schema.to_vec(), batches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{AsArray, Float32Array};

    fn schema() -> TableSchema {
        vec![
            ("s".into(), SparkType::String),
            ("f".into(), SparkType::Float),
        ]
    }

    #[test]
    fn test_quoted_empty_is_a_string_unquoted_empty_is_null() {
        let t = read_csv("s,f\n\"\",1\n,2\n\"a \"\"q\"\", b\",3\n", &schema()).unwrap();
        let s = t.batches()[0].column(0).as_string::<i32>().clone();
        assert_eq!(s.value(0), "");
        assert!(s.is_null(1));
        assert_eq!(s.value(2), "a \"q\", b");
    }

    #[test]
    fn test_float_parses_straight_to_f32() {
        let t = read_csv("s,f\nx,4.6\n", &schema()).unwrap();
        let f = t.batches()[0]
            .column(1)
            .as_any()
            .downcast_ref::<Float32Array>()
            .unwrap()
            .value(0);
        assert_eq!(f, 4.6f32);
    }

    #[test]
    fn test_bad_value_reports_line_and_column() {
        let err = read_csv("s,f\nx,1\ny,oops\n", &schema()).unwrap_err();
        assert_eq!(err.class(), "MALFORMED_CSV");
        let span = err.span().unwrap();
        assert_eq!((span.start.line, span.start.column), (3, 2));
    }

    #[test]
    fn test_unterminated_quote_is_an_error() {
        assert!(read_csv("s,f\n\"x,1\n", &schema()).is_err());
    }
}
