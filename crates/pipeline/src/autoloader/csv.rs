//! CSV files as raw text columns: the first step of reading, before types are applied.
//!
//! Values stay text here so that a value that does not fit its column's type can be rescued
//! with its original spelling. Rows with the wrong number of fields follow Spark's PERMISSIVE
//! mode: missing fields are NULL, extra fields are kept aside for `_rescued_data`.

use arrow::array::{ArrayRef, StringBuilder};
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

/// A CSV file as text columns.
#[derive(Debug, Clone)]
pub struct RawCsv {
    /// Column names: the header's, or `_c0`, `_c1`, … without a header.
    pub names: Vec<String>,
    /// One text column per name; empty fields are NULL (Spark's default `nullValue`).
    pub columns: Vec<ArrayRef>,
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
/// assert!(raw.columns[1].is_null(1)); // empty field → NULL
/// assert_eq!(raw.extra_fields, vec![(2, vec![(2, "extra".to_string())])]);
/// ```
pub fn read_csv(bytes: &[u8], options: &CsvOptions) -> Result<RawCsv, CsvError> {
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
    let mut builders: Vec<StringBuilder> = Vec::new();
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
                builders = names.iter().map(|_| StringBuilder::new()).collect();
                continue;
            }
            names = (0..record.len()).map(|i| format!("_c{i}")).collect();
            builders = names.iter().map(|_| StringBuilder::new()).collect();
        }
        // A blank line is no row (Spark skips them).
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        for (i, builder) in builders.iter_mut().enumerate() {
            match record.get(i) {
                Some(b"") | None => builder.append_null(),
                Some(field) => builder.append_value(
                    std::str::from_utf8(field).map_err(|_| CsvError::NotUtf8 { line })?,
                ),
            }
        }
        if record.len() > builders.len() {
            let extra = (builders.len()..record.len())
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
    let columns = builders
        .into_iter()
        .map(|mut b| Arc::new(b.finish()) as ArrayRef)
        .collect();
    Ok(RawCsv {
        names,
        columns,
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
        assert_eq!(raw.columns[0].as_string::<i32>().value(0), "x, y");
        assert_eq!(raw.columns[1].as_string::<i32>().value(0), "say \"hi\"");
    }

    #[test]
    fn test_short_rows_get_nulls() {
        let raw = read_csv(b"a,b,c\n1\n", &CsvOptions::default()).unwrap();
        assert_eq!(raw.num_rows, 1);
        assert!(raw.columns[1].is_null(0) && raw.columns[2].is_null(0));
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
        assert_eq!(raw.columns[1].as_string::<i32>().value(0), "2");
    }
}
