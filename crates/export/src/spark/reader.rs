//! The OSS Spark reader that replaces Auto Loader (`cloudFiles`) and `read_files`: a file
//! stream (or batch read) with the explicit schema, over the configurable landing location.

use pipeline::autoloader::options::FileFormat;

use crate::sources::{FileSource, SchemaOrigin};

/// `name type, …` (Spark DDL), the rescued data column last.
pub fn ddl(source: &FileSource) -> String {
    let mut columns: Vec<String> = source
        .schema
        .iter()
        .map(|(name, ty)| format!("`{}` {ty}", name.replace('`', "``")))
        .collect();
    if let Some(rescued) = &source.options.rescued_column {
        columns.push(format!("`{rescued}` string"));
    }
    columns.join(", ")
}

/// A Python string literal of `text`.
pub fn py_str(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The comment lines that say what was lowered and where the schema comes from.
pub fn comment(source: &FileSource, what: &str) -> Vec<String> {
    let origin = match source.schema_origin {
        SchemaOrigin::Inferred => "the schema the workbook inferred from the files (hints applied)",
        SchemaOrigin::Given => "the schema the source gives",
        SchemaOrigin::Hints => {
            "the schema hints (no data seen yet: columns that are not hinted are not read)"
        }
    };
    let kind = if source.streaming { "stream" } else { "read" };
    let mut lines = vec![
        format!("iotwb export: {what} -> a Spark file {kind} with {origin};"),
        "the landing folder comes from iotwb_spark.landing (configuration key `iotwb.volume`)."
            .into(),
    ];
    if let Some(rescued) = &source.options.rescued_column {
        lines.push(format!(
            "`{rescued}` is Spark's corrupt-record column: the raw line of a row that does not parse (Auto Loader keeps JSON)."
        ));
    }
    lines
}

/// PySpark code reading `source` (a parenthesised expression), continuation lines indented
/// with `indent`.
pub fn python(source: &FileSource, spark: &str, indent: &str) -> String {
    let o = &source.options;
    let mut calls = vec![format!(
        "{spark}.{}.format({})",
        if source.streaming {
            "readStream"
        } else {
            "read"
        },
        py_str(o.format.as_str())
    )];
    if o.format == FileFormat::Csv {
        let header = if o.csv.header { "True" } else { "False" };
        calls.push(format!(".option(\"header\", {header})"));
        for (key, value, default) in [
            ("sep", o.csv.delimiter, b','),
            ("quote", o.csv.quote, b'"'),
            ("escape", o.csv.escape, b'\\'),
        ] {
            if value != default {
                let value = py_str(&(value as char).to_string());
                calls.push(format!(".option(\"{key}\", {value})"));
            }
        }
    }
    if o.multi_line {
        calls.push(".option(\"multiLine\", True)".into());
    }
    if let Some(glob) = &o.path_glob_filter {
        calls.push(format!(".option(\"pathGlobFilter\", {})", py_str(glob)));
    }
    if let Some(rescued) = &o.rescued_column
        && o.format != FileFormat::Parquet
    {
        calls.push(format!(
            ".option(\"columnNameOfCorruptRecord\", {})",
            py_str(rescued)
        ));
    }
    calls.push(format!(".schema({})", py_str(&ddl(source))));
    calls.push(format!(
        ".load(iotwb_spark.landing({spark}, {}))",
        py_str(&o.path)
    ));
    let inner = format!("{indent}    ");
    format!("(\n{inner}{}\n{indent})", calls.join(&format!("\n{inner}")))
}
