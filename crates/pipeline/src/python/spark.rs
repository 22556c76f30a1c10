//! `spark`: the session's readers (`spark.read`, `spark.readStream` with Auto Loader's
//! `cloudFiles`), `spark.conf.get`, `spark.table` and `spark.sql`.

use std::rc::Rc;

use query::SparkType;

use super::error::{PyError, PyResult};
use super::frame::Frame;
use super::interp::{Args, Interp};
use super::native::{Native, bound, unknown_attr};
use super::value::Value;
use crate::autoloader::options::{self, RawOption, Reader, SourceOptions};

/// A reader being configured.
#[derive(Debug, Clone)]
pub struct ReaderState {
    /// `readStream` (true) or `read`.
    pub streaming: bool,
    /// `.format(...)`.
    pub format: Option<(String, usize)>,
    /// `.option(...)` / `.options(...)`, in order.
    pub options: Vec<(String, Value, usize)>,
    /// `.schema(...)`.
    pub schema: Option<Vec<(String, SparkType)>>,
}

/// `spark.<attr>`.
pub fn spark_attr(attr: &str, at: usize) -> PyResult<Value> {
    let reader = |streaming| {
        Value::native(Native::Reader(ReaderState {
            streaming,
            format: None,
            options: Vec::new(),
            schema: None,
        }))
    };
    match attr {
        "read" => Ok(reader(false)),
        "readStream" => Ok(reader(true)),
        "conf" => Ok(Value::native(Native::Conf)),
        "table" | "sql" => Ok(bound(&Rc::new(Native::Spark), attr)),
        _ => Err(unknown_attr(
            "spark",
            attr,
            &["read", "readStream", "conf", "table", "sql"],
            at,
        )),
    }
}

/// `spark.table(name)`, `spark.sql(text)`.
pub fn spark_method(interp: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
    match name {
        "table" => {
            let (table, arg) = args.str_arg(0, "tableName", "spark.table")?;
            let at = interp.location(arg.literal_body.unwrap_or(arg.start));
            let df = interp.host.read_table(&table, false, at)?;
            Ok(Frame::value(df, false))
        }
        "sql" => {
            let (text, arg) = args.str_arg(0, "sqlQuery", "spark.sql")?;
            let at = interp.location(arg.literal_body.unwrap_or(arg.start));
            let (df, streaming) = interp.host.sql(&text, at)?;
            Ok(Frame::value(df, streaming))
        }
        _ => Err(PyError::new(
            args.at,
            format!("spark has no method `{name}`"),
        )),
    }
}

/// `spark.conf.get(key[, default])`.
pub fn conf_get(interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
    args.check("spark.conf.get", 2, &["key", "defaultValue"])?;
    let (key, _) = args.str_arg(0, "key", "spark.conf.get")?;
    if let Some(value) = interp.host.conf(&key) {
        return Ok(Value::str(value));
    }
    match args.get(1, "defaultValue") {
        Some(default) => Ok(default.value.clone()),
        None => Err(PyError::new(
            args.at,
            format!(
                "configuration `{key}` is not set: add it under the pipeline's `configuration:` in the bundle, or pass a default: spark.conf.get(\"{key}\", \"...\")"
            ),
        )),
    }
}

/// `reader.<attr>`.
pub fn reader_attr(obj: &Rc<Native>, _r: &ReaderState, attr: &str, at: usize) -> PyResult<Value> {
    const METHODS: &[&str] = &[
        "format", "option", "options", "schema", "load", "table", "csv", "json", "parquet",
    ];
    if METHODS.contains(&attr) {
        return Ok(bound(obj, attr));
    }
    Err(unknown_attr("DataFrameReader", attr, METHODS, at))
}

fn option_text(value: &Value) -> String {
    match value {
        Value::Bool(true) => "true".into(),
        Value::Bool(false) => "false".into(),
        other => other.to_py_str(),
    }
}

/// `reader.format(...)`, `.option(...)`, `.load(...)`, ….
pub fn reader_method(
    interp: &mut Interp<'_>,
    r: &ReaderState,
    name: &str,
    args: Args,
) -> PyResult<Value> {
    let mut next = r.clone();
    let at = args.at;
    match name {
        "format" => {
            let (format, arg) = args.str_arg(0, "source", "format")?;
            next.format = Some((format, arg.literal_body.unwrap_or(arg.start)));
        }
        "option" => {
            args.check("option", 2, &["key", "value"])?;
            let (key, _) = args.str_arg(0, "key", "option")?;
            let value = args
                .get(1, "value")
                .ok_or_else(|| PyError::new(at, "option() needs a key and a value"))?;
            next.options.push((
                key,
                value.value.clone(),
                value.literal_body.unwrap_or(value.start),
            ));
        }
        "options" => {
            if let Some(dict) = args.positional.first() {
                let Value::Dict(d) = &dict.value else {
                    return Err(PyError::new(
                        dict.start,
                        "options() takes keyword arguments or a dict",
                    ));
                };
                for (k, v) in d.borrow().iter() {
                    next.options.push((k.to_py_str(), v.clone(), dict.start));
                }
            }
            for (k, a) in &args.keywords {
                next.options.push((k.clone(), a.value.clone(), a.start));
            }
        }
        "schema" => {
            let s = args
                .positional
                .first()
                .ok_or_else(|| PyError::new(at, "schema() needs a StructType or a DDL string"))?;
            next.schema = Some(super::types::schema_of(&s.value, s.start)?);
        }
        "table" => {
            let (table, arg) = args.str_arg(0, "tableName", "table")?;
            let location = interp.location(arg.literal_body.unwrap_or(arg.start));
            let df = interp.host.read_table(&table, r.streaming, location)?;
            return Ok(Frame::value(df, r.streaming));
        }
        "load" | "csv" | "json" | "parquet" => {
            if name != "load" {
                next.format = Some((name.to_string(), at));
                for (k, a) in &args.keywords {
                    if k != "path" {
                        next.options.push((k.clone(), a.value.clone(), a.start));
                    }
                }
            }
            let (path, arg) = args.str_arg(0, "path", name)?;
            let path_at = arg.literal_body.unwrap_or(arg.start);
            return load(interp, &next, &path, path_at);
        }
        _ => {
            return Err(PyError::new(
                at,
                format!("DataFrameReader has no method `{name}`"),
            ));
        }
    }
    Ok(Value::native(Native::Reader(next)))
}

fn load(interp: &mut Interp<'_>, r: &ReaderState, path: &str, path_at: usize) -> PyResult<Value> {
    let Some((format, format_at)) = &r.format else {
        return Err(PyError::new(
            path_at,
            "set the file format first: .format(\"cloudFiles\") with .option(\"cloudFiles.format\", \"csv\"), or .format(\"csv\")",
        ));
    };
    let auto_loader = format.eq_ignore_ascii_case("cloudFiles");
    if auto_loader && !r.streaming {
        return Err(PyError::new(
            *format_at,
            "Auto Loader (`cloudFiles`) is a streaming source: use spark.readStream",
        ));
    }
    let reader = if auto_loader {
        Reader::CloudFiles
    } else {
        Reader::ReadFiles
    };
    let mut base = SourceOptions::new(path, interp.location(path_at), reader);
    if !auto_loader {
        // Plain Spark file readers do not infer types unless asked (`inferSchema`).
        base.infer_column_types = false;
    }
    let mut raw: Vec<RawOption> = Vec::new();
    if auto_loader {
        if !r
            .options
            .iter()
            .any(|(k, _, _)| k.eq_ignore_ascii_case("cloudFiles.format"))
        {
            return Err(PyError::new(
                *format_at,
                "Auto Loader needs the file format: .option(\"cloudFiles.format\", \"csv\")",
            ));
        }
    } else {
        raw.push(RawOption {
            key: "format".into(),
            value: format.clone(),
            location: interp.location(*format_at),
        });
    }
    for (key, value, at) in &r.options {
        raw.push(RawOption {
            key: key.clone(),
            value: option_text(value),
            location: interp.location(*at),
        });
    }
    let mut source = options::apply(base, &raw).map_err(|errors| {
        let first = errors
            .0
            .into_iter()
            .next()
            .expect("apply fails with at least one error");
        let location = first.location.unwrap_or_else(|| interp.location(path_at));
        PyError::at(location, first.message).with_suggestions(first.suggestions)
    })?;
    if let Some(schema) = &r.schema {
        source.user_schema = Some(schema.clone());
        source.rescued_column = raw
            .iter()
            .find(|o| o.key.eq_ignore_ascii_case("rescuedDataColumn"))
            .map(|o| o.value.clone());
    }
    let df = interp.host.read_files(source, r.streaming)?;
    Ok(Frame::value(df, r.streaming))
}
