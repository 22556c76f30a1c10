//! CSV files as columns: text, or typed straight from the fields where the column's type is
//! known before reading (schema hints, a given or kept schema).
//!
//! A text column keeps every value's spelling, so that inference and later casts can rescue a
//! value that does not fit. A typed column converts each field as `try_cast` would and keeps
//! only the spelling of the values that did not convert (1 M readings as text were most of a
//! first update's time and memory). Rows with the wrong number of fields follow Spark's
//! PERMISSIVE mode: missing fields are NULL, extra fields are kept aside for `_rescued_data`.

use arrow::array::{ArrayRef, StringBuilder};
use query::SparkType;
use query::functions::cast::StringCastBuilder;
use std::sync::Arc;

/// How to split a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Whether the first line holds column names.
    pub header: bool,
    /// Field separator.
    pub delimiter: u8,
    /// Quote character.
    pub quote: u8,
    /// Escape character inside quoted fields.
    pub escape: u8,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            header: true,
            delimiter: b',',
            quote: b'"',
            escape: b'\\',
        }
    }
}

/// A CSV file as columns.
#[derive(Debug, Clone)]
pub struct RawCsv {
    /// Column names: the header's, or `_c0`, `_c1`, … without a header.
    pub names: Vec<String>,
    /// One column per name and the Spark type it holds (`string` for text columns); empty
    /// fields are NULL (Spark's default `nullValue`).
    pub columns: Vec<(ArrayRef, SparkType)>,
    /// Per column, the values a typed column could not convert (NULL there): `(row, text)`.
    pub rejected: Vec<Vec<(usize, String)>>,
    /// Rows with more fields than the header: `(row, extra values by position)`.
    pub extra_fields: Vec<(usize, Vec<(usize, String)>)>,
    /// Number of data rows.
    pub num_rows: usize,
}

/// Errors splitting a CSV file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// The bytes are not valid UTF-8.
    #[error("line {line}: the file is not valid UTF-8 text")]
    NotUtf8 {
        /// 1-based line.
        line: u64,
    },
    /// The CSV reader failed.
    #[error("line {line}: {message}")]
    Malformed {
        /// 1-based line.
        line: u64,
        /// What went wrong.
        message: String,
    },
}

/// Split `bytes` into text columns.
///
/// # Examples
/// ```
/// use pipeline::autoloader::csv::{read_csv, CsvOptions};
/// use arrow::array::{Array, AsArray};
/// let raw = read_csv(b"id,name\n1,a\n2,\n3,c,extra\n", &CsvOptions::default()).unwrap();
/// assert_eq!(raw.names, ["id", "name"]);
/// assert_eq!(raw.num_rows, 3);
/// assert!(raw.columns[1].0.is_null(1)); // empty field → NULL
/// assert_eq!(raw.extra_fields, vec![(2, vec![(2, "extra".to_string())])]);
/// ```
pub fn read_csv(bytes: &[u8], options: &CsvOptions) -> Result<RawCsv, CsvError> {
    read_csv_typed(bytes, options, |names| vec![None; names.len()])
}

/// One column while reading.
enum Column {
    Text(StringBuilder),
    Typed {
        to: SparkType,
        out: StringCastBuilder,
        rejected: Vec<(usize, String)>,
    },
}

impl Column {
    fn new(to: Option<SparkType>) -> Column {
        match to.and_then(|to| Some((StringCastBuilder::new(&to, 0)?, to))) {
            Some((out, to)) => Column::Typed {
                to,
                out,
                rejected: Vec::new(),
            },
            None => Column::Text(StringBuilder::new()),
        }
    }

    fn append_null(&mut self) {
        match self {
            Column::Text(b) => b.append_null(),
            Column::Typed { out, .. } => out.append_null(),
        }
    }

    fn append(&mut self, row: usize, text: &str) {
        match self {
            Column::Text(b) => b.append_value(text),
            Column::Typed { out, rejected, .. } => {
                if !out.append(text) {
                    rejected.push((row, text.to_string()));
                }
            }
        }
    }
}

/// Split `bytes` into columns, typing those `types` gives a type to: called once with the
/// column names, it returns one entry per name (`None`: text). A type strings are not cast to
/// value by value (`string`, nested types) leaves the column text.
///
/// # Examples
/// ```
/// use pipeline::autoloader::csv::{read_csv_typed, CsvOptions};
/// use arrow::array::{Array, AsArray};
/// use arrow::datatypes::Int32Type;
/// use query::SparkType;
/// let raw = read_csv_typed(b"id,name\n1,a\nx,b\n", &CsvOptions::default(), |names| {
///     names.iter().map(|n| (n == "id").then_some(SparkType::Int)).collect()
/// })
/// .unwrap();
/// assert_eq!(raw.columns[0].1, SparkType::Int);
/// assert_eq!(raw.columns[0].0.as_primitive::<Int32Type>().value(0), 1);
/// assert!(raw.columns[0].0.is_null(1));
/// assert_eq!(raw.rejected[0], [(1, "x".to_string())]);
/// assert_eq!(raw.columns[1].1, SparkType::String);
/// ```
pub fn read_csv_typed(
    bytes: &[u8],
    options: &CsvOptions,
    types: impl FnOnce(&[String]) -> Vec<Option<SparkType>>,
) -> Result<RawCsv, CsvError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(options.delimiter)
        .quote(options.quote)
        .escape(Some(options.escape))
        .double_quote(true)
        .from_reader(bytes);
    let mut record = ::csv::ByteRecord::new();
    let mut names: Vec<String> = Vec::new();
    let mut columns: Vec<Column> = Vec::new();
    let mut types = Some(types);
    let mut start = |names: &[String]| -> Vec<Column> {
        let planned = types.take().map_or_else(Vec::new, |types| types(names));
        (0..names.len())
            .map(|i| Column::new(planned.get(i).cloned().flatten()))
            .collect()
    };
    let mut extra_fields = Vec::new();
    let mut num_rows = 0;
    let mut first = true;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(CsvError::Malformed {
                    line,
                    message: e.to_string(),
                });
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if first {
            first = false;
            if options.header {
                names = record
                    .iter()
                    .enumerate()
                    .map(|(i, f)| match std::str::from_utf8(f) {
                        Ok("") => Ok(format!("_c{i}")),
                        Ok(name) => Ok(name.trim().to_string()),
                        Err(_) => Err(CsvError::NotUtf8 { line }),
                    })
                    .collect::<Result<_, _>>()?;
                columns = start(&names);
                continue;
            }
            names = (0..record.len()).map(|i| format!("_c{i}")).collect();
            columns = start(&names);
        }
        // A blank line is no row (Spark skips them).
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        for (column, field) in columns.iter_mut().zip(record.iter()) {
            if field.is_empty() {
                column.append_null();
            } else {
                let text = std::str::from_utf8(field).map_err(|_| CsvError::NotUtf8 { line })?;
                column.append(num_rows, text);
            }
        }
        // A short row's missing fields are NULL.
        for column in columns.iter_mut().skip(record.len()) {
            column.append_null();
        }
        if record.len() > columns.len() {
            let extra = (columns.len()..record.len())
                .map(|i| {
                    Ok((
                        i,
                        std::str::from_utf8(&record[i])
                            .map_err(|_| CsvError::NotUtf8 { line })?
                            .to_string(),
                    ))
                })
                .collect::<Result<Vec<_>, CsvError>>()?;
            extra_fields.push((num_rows, extra));
        }
        num_rows += 1;
    }
    let mut out = Vec::with_capacity(columns.len());
    let mut rejected = Vec::with_capacity(columns.len());
    for column in columns {
        match column {
            Column::Text(mut b) => {
                out.push((Arc::new(b.finish()) as ArrayRef, SparkType::String));
                rejected.push(Vec::new());
            }
            Column::Typed {
                to,
                out: typed,
                rejected: bad,
            } => {
                let array = typed.finish().map_err(|e| CsvError::Malformed {
                    line: 0,
                    message: e.to_string(),
                })?;
                out.push((array, to));
                rejected.push(bad);
            }
        }
    }
    Ok(RawCsv {
        names,
        columns: out,
        rejected,
        extra_fields,
        num_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray};

    #[test]
    fn test_quoted_fields_with_commas_and_escaped_quotes() {
        let raw = read_csv(
            b"a,b\n\"x, y\",\"say \"\"hi\"\"\"\n",
            &CsvOptions::default(),
        )
        .unwrap();
        assert_eq!(raw.columns[0].0.as_string::<i32>().value(0), "x, y");
        assert_eq!(raw.columns[1].0.as_string::<i32>().value(0), "say \"hi\"");
    }

    #[test]
    fn test_short_rows_get_nulls() {
        let raw = read_csv(b"a,b,c\n1\n", &CsvOptions::default()).unwrap();
        assert_eq!(raw.num_rows, 1);
        assert!(raw.columns[1].0.is_null(0) && raw.columns[2].0.is_null(0));
    }

    #[test]
    fn test_without_header_columns_are_numbered() {
        let raw = read_csv(
            b"1,2\n3,4\n",
            &CsvOptions {
                header: false,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(raw.names, ["_c0", "_c1"]);
        assert_eq!(raw.num_rows, 2);
    }

    #[test]
    fn test_header_only_and_empty_files_have_no_rows() {
        assert_eq!(
            read_csv(b"a,b\n", &CsvOptions::default()).unwrap().num_rows,
            0
        );
        let empty = read_csv(b"", &CsvOptions::default()).unwrap();
        assert_eq!((empty.num_rows, empty.names.len()), (0, 0));
    }

    #[test]
    fn test_crlf_line_endings() {
        let raw = read_csv(b"a,b\r\n1,2\r\n", &CsvOptions::default()).unwrap();
        assert_eq!(raw.names, ["a", "b"]);
        assert_eq!(raw.columns[1].0.as_string::<i32>().value(0), "2");
    }
}
