//! Auto Loader and `read_files` options: format, header, schema hints, schema location,
//! inference and evolution, rescued data column, CSV dialect. Unknown options are errors that
//! name the closest valid ones.

use query::SparkType;
use query::types::parse_type_name;

use super::csv::CsvOptions;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::suggest;

/// The rescued data column's default name.
pub const RESCUED_DATA: &str = "_rescued_data";

/// File formats Auto Loader reads in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileFormat {
    /// Comma-separated values.
    #[default]
    Csv,
    /// JSON lines (or one JSON array per file with `multiLine`).
    Json,
    /// Apache Parquet.
    Parquet,
}

impl FileFormat {
    /// `csv`, `json` or `parquet`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Json => "json",
            FileFormat::Parquet => "parquet",
        }
    }
}

/// What happens when files bring columns the schema does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvolutionMode {
    /// The update fails naming the new columns; the schema location already holds them, so
    /// the next update reads them (Auto Loader's default).
    #[default]
    AddNewColumns,
    /// The schema never changes; unexpected columns go to the rescued data column.
    Rescue,
    /// The update fails and the schema stays as it is.
    FailOnNewColumns,
    /// New columns are ignored.
    None,
}

impl EvolutionMode {
    /// The option value (`addNewColumns`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EvolutionMode::AddNewColumns => "addNewColumns",
            EvolutionMode::Rescue => "rescue",
            EvolutionMode::FailOnNewColumns => "failOnNewColumns",
            EvolutionMode::None => "none",
        }
    }
}

/// Who reads the files: `spark.readStream.format("cloudFiles")` or SQL `read_files`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Auto Loader (`cloudFiles.*` options; CSV/JSON columns are strings unless inferred).
    CloudFiles,
    /// `read_files(...)` (column types inferred by default).
    ReadFiles,
}

/// One option as written, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawOption {
    /// Key as written (`cloudFiles.schemaHints`, `schemaHints`, `header`).
    pub key: String,
    /// Value as text.
    pub value: String,
    /// Where the value is written.
    pub location: Location,
}

/// A fully parsed file source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceOptions {
    /// The folder (or file) read, as a `/Volumes/...` path.
    pub path: String,
    /// Where the path is written.
    pub location: Location,
    /// The file format.
    pub format: FileFormat,
    /// CSV dialect and header.
    pub csv: CsvOptions,
    /// Schema hints: column types that override inference (and add hinted columns).
    pub schema_hints: Vec<(String, SparkType)>,
    /// A full schema given by the user (`.schema(...)`): no inference, no evolution.
    pub user_schema: Option<Vec<(String, SparkType)>>,
    /// Infer column types instead of reading CSV/JSON columns as strings.
    pub infer_column_types: bool,
    /// Where the inferred schema is kept between updates.
    pub schema_location: Option<String>,
    /// Schema evolution mode.
    pub evolution: EvolutionMode,
    /// The rescued data column, if any.
    pub rescued_column: Option<String>,
    /// Only files whose name matches this glob.
    pub path_glob_filter: Option<String>,
    /// JSON: one document per file instead of one per line.
    pub multi_line: bool,
}

impl SourceOptions {
    /// Defaults for `path` read by `reader`.
    pub fn new(path: &str, location: Location, reader: Reader) -> Self {
        SourceOptions {
            path: crate::volume::normalize(path),
            location,
            format: FileFormat::Csv,
            csv: CsvOptions::default(),
            schema_hints: Vec::new(),
            user_schema: None,
            infer_column_types: reader == Reader::ReadFiles,
            schema_location: None,
            evolution: EvolutionMode::AddNewColumns,
            rescued_column: Some(RESCUED_DATA.to_string()),
            path_glob_filter: None,
            multi_line: false,
        }
    }
}

/// Option names (lower case, without the `cloudfiles.` prefix) and what they do.
const KNOWN: &[&str] = &[
    "format",
    "header",
    "schemahints",
    "schemalocation",
    "infercolumntypes",
    "schemaevolutionmode",
    "rescueddatacolumn",
    "sep",
    "delimiter",
    "quote",
    "escape",
    "pathglobfilter",
    "multiline",
    "mode",
    "encoding",
    "includeexistingfiles",
    "maxfilespertrigger",
    "maxbytespertrigger",
    "usenotifications",
    "validateoptions",
    "allowoverwrites",
    "inferschema",
    "recursivefilelookup",
];

/// Spelling of the known options for suggestions.
const SPELLED: &[&str] = &[
    "cloudFiles.format",
    "header",
    "cloudFiles.schemaHints",
    "cloudFiles.schemaLocation",
    "cloudFiles.inferColumnTypes",
    "cloudFiles.schemaEvolutionMode",
    "rescuedDataColumn",
    "sep",
    "delimiter",
    "quote",
    "escape",
    "pathGlobFilter",
    "multiLine",
    "mode",
    "encoding",
    "cloudFiles.includeExistingFiles",
    "cloudFiles.maxFilesPerTrigger",
    "cloudFiles.maxBytesPerTrigger",
    "cloudFiles.useNotifications",
    "cloudFiles.validateOptions",
    "cloudFiles.allowOverwrites",
    "inferSchema",
    "recursiveFileLookup",
];

/// Apply `options` on top of `base`, reporting every unknown key or bad value.
///
/// # Examples
/// ```
/// use pipeline::Location;
/// use pipeline::autoloader::options::{apply, EvolutionMode, RawOption, Reader, SourceOptions};
/// let at = Location::new("a.py", 1, 1);
/// let opt = |k: &str, v: &str| RawOption { key: k.into(), value: v.into(), location: at.clone() };
/// let base = SourceOptions::new("/Volumes/c/s/v", at.clone(), Reader::CloudFiles);
/// let parsed = apply(base, &[opt("cloudFiles.format", "csv"), opt("cloudFiles.schemaHints", "id int, ts timestamp"),
///     opt("cloudFiles.schemaEvolutionMode", "rescue")]).unwrap();
/// assert_eq!(parsed.schema_hints.len(), 2);
/// assert_eq!(parsed.evolution, EvolutionMode::Rescue);
/// let err = apply(SourceOptions::new("/x", at.clone(), Reader::CloudFiles), &[opt("cloudFiles.schemaHint", "id int")]).unwrap_err();
/// assert!(err.0[0].suggestions.contains(&"`cloudFiles.schemaHints`".to_string()));
/// ```
pub fn apply(mut base: SourceOptions, options: &[RawOption]) -> Result<SourceOptions, Diagnostics> {
    let mut out = Diagnostics::new();
    for option in options {
        let key = option.key.to_ascii_lowercase();
        let key = key.strip_prefix("cloudfiles.").unwrap_or(&key);
        let at = Some(option.location.clone());
        let value = option.value.trim();
        let flag = |out: &mut Diagnostics| match value.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                out.error(
                    at.clone(),
                    format!(
                        "option `{}` must be true or false, found `{value}`",
                        option.key
                    ),
                );
                None
            }
        };
        let single_char = |out: &mut Diagnostics| match value.as_bytes() {
            [c] => Some(*c),
            b"\\t" => Some(b'\t'),
            _ => {
                out.error(
                    at.clone(),
                    format!(
                        "option `{}` must be one character, found `{value}`",
                        option.key
                    ),
                );
                None
            }
        };
        match key {
            "format" => match value.to_ascii_lowercase().as_str() {
                "csv" => base.format = FileFormat::Csv,
                "json" => base.format = FileFormat::Json,
                "parquet" => base.format = FileFormat::Parquet,
                other => out.push(
                    Diagnostic::error(at, format!("file format `{other}` is not supported in the workbook"))
                        .with_suggestions(["`csv`", "`json`", "`parquet`"].map(String::from)),
                ),
            },
            "header" => base.csv.header = flag(&mut out).unwrap_or(base.csv.header),
            "infercolumntypes" | "inferschema" => base.infer_column_types = flag(&mut out).unwrap_or(base.infer_column_types),
            "multiline" => base.multi_line = flag(&mut out).unwrap_or(false),
            "schemahints" => match parse_schema(value) {
                Ok(hints) => base.schema_hints = hints,
                Err(message) => out.error(at, format!("invalid schema hints: {message}")),
            },
            "schemalocation" => base.schema_location = Some(crate::volume::normalize(value)),
            "schemaevolutionmode" => {
                base.evolution = match value.to_ascii_lowercase().as_str() {
                    "addnewcolumns" => EvolutionMode::AddNewColumns,
                    "rescue" => EvolutionMode::Rescue,
                    "failonnewcolumns" => EvolutionMode::FailOnNewColumns,
                    "none" => EvolutionMode::None,
                    _ => {
                        let modes = ["addNewColumns", "rescue", "failOnNewColumns", "none"];
                        let close = suggest::quoted(suggest::closest(value, modes));
                        out.push(Diagnostic::error(at, format!("unknown schema evolution mode `{value}`")).with_suggestions(close));
                        base.evolution
                    }
                }
            }
            "rescueddatacolumn" => base.rescued_column = (!value.is_empty()).then(|| value.to_string()),
            "sep" | "delimiter" => base.csv.delimiter = single_char(&mut out).unwrap_or(b','),
            "quote" => base.csv.quote = single_char(&mut out).unwrap_or(b'"'),
            "escape" => base.csv.escape = single_char(&mut out).unwrap_or(b'\\'),
            "pathglobfilter" => base.path_glob_filter = Some(value.to_string()),
            "mode" if !value.eq_ignore_ascii_case("permissive") => out.error(
                at,
                format!("parse mode `{value}` is not supported: the workbook reads files in PERMISSIVE mode with a rescued data column"),
            ),
            "encoding" if !matches!(value.to_ascii_lowercase().as_str(), "utf-8" | "utf8") => {
                out.error(at, format!("encoding `{value}` is not supported: files are read as UTF-8"));
            }
            // Accepted for compatibility; they only tune how a cluster schedules reads.
            "mode" | "encoding" | "includeexistingfiles" | "maxfilespertrigger" | "maxbytespertrigger" | "usenotifications" | "validateoptions" | "allowoverwrites" | "recursivefilelookup" => {}
            _ => {
                debug_assert!(!KNOWN.contains(&key));
                let close = suggest::quoted(suggest::closest(&option.key, SPELLED.iter().copied()));
                out.push(Diagnostic::error(at, format!("unknown file source option `{}`", option.key)).with_suggestions(close));
            }
        }
    }
    if out.has_errors() { Err(out) } else { Ok(base) }
}

/// Parse `name type, name type, …` (schema hints, `.schema("...")` DDL strings).
///
/// # Examples
/// ```
/// use pipeline::autoloader::options::parse_schema;
/// use query::SparkType;
/// let schema = parse_schema("id integer, amount decimal(10, 2), `my col` string").unwrap();
/// assert_eq!(schema[1], ("amount".to_string(), SparkType::Decimal(10, 2)));
/// assert_eq!(schema[2].0, "my col");
/// assert!(parse_schema("id integr").is_err());
/// ```
pub fn parse_schema(text: &str) -> Result<Vec<(String, SparkType)>, String> {
    let mut columns = Vec::new();
    for field in split_top_level(text) {
        let field = field.trim();
        if field.is_empty() {
            continue;
        }
        let (name, rest) = if let Some(quoted) = field.strip_prefix('`') {
            let end = quoted
                .find('`')
                .ok_or_else(|| format!("unterminated `name` in `{field}`"))?;
            (quoted[..end].to_string(), quoted[end + 1..].trim())
        } else {
            let end = field
                .find(char::is_whitespace)
                .ok_or_else(|| format!("`{field}` needs a type, as in `{field} string`"))?;
            (field[..end].to_string(), field[end..].trim())
        };
        let type_text = rest.strip_prefix(':').unwrap_or(rest).trim();
        let type_text = strip_column_options(type_text);
        let data_type = parse_type_name(type_text).map_err(|e| format!("column `{name}`: {e}"))?;
        columns.push((name, data_type));
    }
    Ok(columns)
}

/// `int NOT NULL COMMENT '…'` → `int`.
fn strip_column_options(text: &str) -> &str {
    let upper = text.to_ascii_uppercase();
    let cut = [" NOT NULL", " COMMENT "]
        .iter()
        .filter_map(|k| upper.find(k))
        .min();
    cut.map_or(text, |i| text[..i].trim())
}

/// Split on commas outside `<>` and `()`.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(k: &str, v: &str) -> RawOption {
        RawOption {
            key: k.into(),
            value: v.into(),
            location: Location::new("f", 2, 3),
        }
    }

    fn base() -> SourceOptions {
        SourceOptions::new("/Volumes/c/s/v/", Location::default(), Reader::CloudFiles)
    }

    #[test]
    fn test_defaults_differ_between_readers() {
        assert!(!base().infer_column_types);
        assert!(
            SourceOptions::new("/x", Location::default(), Reader::ReadFiles).infer_column_types
        );
        assert_eq!(base().path, "/Volumes/c/s/v");
    }

    #[test]
    fn test_every_bad_option_is_reported_with_location() {
        let err = apply(
            base(),
            &[
                opt("header", "yes"),
                opt("cloudFiles.format", "avro"),
                opt("sep", ";;"),
            ],
        )
        .unwrap_err();
        assert_eq!(err.len(), 3);
        assert!(
            err.0
                .iter()
                .all(|d| d.location == Some(Location::new("f", 2, 3)))
        );
    }

    #[test]
    fn test_csv_dialect_options() {
        let parsed = apply(
            base(),
            &[
                opt("sep", ";"),
                opt("header", "false"),
                opt("rescuedDataColumn", "_bad"),
            ],
        )
        .unwrap();
        assert_eq!((parsed.csv.delimiter, parsed.csv.header), (b';', false));
        assert_eq!(parsed.rescued_column.as_deref(), Some("_bad"));
    }

    #[test]
    fn test_hints_with_nested_types_and_column_options() {
        let hints = parse_schema(
            "tags array<string>, m map<string,int> NOT NULL, s struct<a:int,b:string>",
        )
        .unwrap();
        assert_eq!(hints.len(), 3);
        assert_eq!(hints[1].1.to_string(), "map<string,int>");
    }
}
