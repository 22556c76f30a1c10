//! Pipeline objects of the Python subset and how the evaluator talks to them: modules
//! (`pyspark.pipelines`, `pyspark.sql.functions`, `pyspark.sql.types`, `Window`, `tempo`), the
//! Spark session and its readers, DataFrames, columns, Tempo series, and the [`Host`] that
//! provides tables and files.

use std::rc::Rc;

use query::SparkType;

use super::ast::{BinOp, CmpOp, UnaryOp};
use super::builtins;
use super::column::{self, Col};
use super::error::{PyError, PyResult};
use super::frame::{self, Frame, Grouped};
use super::interp::{Args, Interp};
use super::pipelines::{self, DecoratorSpec};
use super::spark::{self, ReaderState};
use super::tempo::{self, TsdfValue};
use super::types;
use super::value::Value;
use crate::autoloader::options::SourceOptions;
use crate::diagnostic::Location;
use crate::sources::decl::DatasetInfo;
use crate::suggest;

/// What the evaluator needs from the pipeline: configuration, datasets, files, SQL.
pub trait Host {
    /// `spark.conf.get(key)`: the pipeline's configuration.
    fn conf(&self, key: &str) -> Option<String>;
    /// A dataset read by name, as a batch (`spark.read.table`) or a stream
    /// (`spark.readStream.table`). May fail with [`PyError::pending`] when the dataset is not
    /// planned yet.
    fn read_table(
        &mut self,
        name: &str,
        streaming: bool,
        at: Location,
    ) -> PyResult<query::DataFrame>;
    /// Files read by Auto Loader (`streaming`) or a batch reader.
    fn read_files(&mut self, options: SourceOptions, streaming: bool)
    -> PyResult<query::DataFrame>;
    /// `spark.sql(text)`: the query planned with the pipeline's datasets in scope; returns the
    /// DataFrame and whether it reads a stream.
    fn sql(&mut self, text: &str, at: Location) -> PyResult<(query::DataFrame, bool)>;
    /// A `TSDF(df, ...)` call at byte `at` of the file, over a DataFrame with `columns`. The
    /// export hands them to Spark, where reading a DataFrame's columns inside a pipeline query
    /// function is refused.
    fn tsdf_built(&mut self, at: usize, columns: &[String]) {
        let _ = (at, columns);
    }
    /// A `df.drop(...)` call at byte `at` of the file, leaving `remaining`. The export writes
    /// it as a `select` (Spark Connect analyses `drop` eagerly, before a pipeline's inputs exist).
    fn frame_dropped(&mut self, at: usize, remaining: &[String]) {
        let _ = (at, remaining);
    }
}

/// A dataset declared in a Python file.
#[derive(Clone)]
pub struct PyDataset {
    /// Name, kind, comment, expectations, properties.
    pub info: DatasetInfo,
    /// `@dp.table` decides between streaming table and materialized view by the query.
    pub kind_from_query: bool,
    /// The function that returns the dataset's DataFrame.
    pub function: Value,
}

/// The modules the subset knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// `pyspark`
    PySpark,
    /// `pyspark.sql`
    Sql,
    /// `pyspark.pipelines` (also the legacy `dlt`).
    Pipelines,
    /// `pyspark.sql.functions`
    Functions,
    /// `pyspark.sql.types`
    Types,
    /// `pyspark.sql.window.Window` (the class).
    Window,
    /// `tempo`
    Tempo,
}

impl Module {
    fn name(self) -> &'static str {
        match self {
            Module::PySpark => "pyspark",
            Module::Sql => "pyspark.sql",
            Module::Pipelines => "pyspark.pipelines",
            Module::Functions => "pyspark.sql.functions",
            Module::Types => "pyspark.sql.types",
            Module::Window => "Window",
            Module::Tempo => "tempo",
        }
    }
}

/// Objects of the pipeline world.
pub enum Native {
    /// A Python builtin function.
    Builtin(&'static str),
    /// A method bound to a plain value (`"a,b".split`).
    Method(Value, String),
    /// A module.
    Module(Module),
    /// A function of a module (`F.col`, `dp.table`, `T.StringType`, `Window.partitionBy`).
    Function(Module, String),
    /// The `spark` session.
    Spark,
    /// `spark.conf`.
    Conf,
    /// `spark.read` / `spark.readStream` and their configured forms.
    Reader(ReaderState),
    /// A decorator waiting for its function (`@dp.table(name=...)`, `@dp.expect(...)`).
    Decorator(DecoratorSpec),
    /// A declared dataset (what a pipeline decorator returns).
    Dataset(usize),
    /// A function with expectations attached, awaiting its dataset decorator.
    Annotated(Value, Vec<crate::sources::decl::Expectation>),
    /// A DataFrame.
    Frame(Frame),
    /// `df.groupBy(...)`.
    Grouped(Grouped),
    /// A column expression.
    Column(Col),
    /// A window specification.
    Window(query::WindowSpec),
    /// A Spark data type (`StringType()`).
    Type(SparkType),
    /// `StructField(name, type)`.
    Field(String, SparkType),
    /// A Tempo time-series frame.
    Tsdf(TsdfValue),
    /// A method bound to a native object (`df.select`).
    Bound(Rc<Native>, String),
}

impl Native {
    /// Python's name for the type.
    pub fn type_name(&self) -> String {
        match self {
            Native::Builtin(_) | Native::Function(..) | Native::Method(..) | Native::Bound(..) => {
                "function".into()
            }
            Native::Module(m) => format!("module '{}'", m.name()),
            Native::Spark => "SparkSession".into(),
            Native::Conf => "RuntimeConfig".into(),
            Native::Reader(r) => {
                if r.streaming {
                    "DataStreamReader".into()
                } else {
                    "DataFrameReader".into()
                }
            }
            Native::Decorator(_) => "decorator".into(),
            Native::Dataset(_) => "dataset".into(),
            Native::Annotated(..) => "function".into(),
            Native::Frame(_) => "DataFrame".into(),
            Native::Grouped(_) => "GroupedData".into(),
            Native::Column(_) => "Column".into(),
            Native::Window(_) => "WindowSpec".into(),
            Native::Type(_) | Native::Field(..) => "DataType".into(),
            Native::Tsdf(_) => "TSDF".into(),
        }
    }

    /// Truth value (`None` for columns and frames, whose truth is ambiguous).
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Native::Column(_) | Native::Frame(_) => None,
            _ => Some(true),
        }
    }

    /// The items of an iterable native (none are, in the subset).
    pub fn iterate(&self, at: usize) -> PyResult<Vec<Value>> {
        Err(PyError::new(
            at,
            format!("{} is not iterable", self.type_name()),
        ))
    }

    /// `obj[index]`.
    pub fn subscript(&self, interp: &mut Interp<'_>, index: Value, at: usize) -> PyResult<Value> {
        match self {
            Native::Frame(f) => frame::subscript(f, index, at),
            Native::Column(c) => column::subscript(c, index, at),
            _ => {
                let _ = interp;
                Err(PyError::new(
                    at,
                    format!("{} is not subscriptable", self.type_name()),
                ))
            }
        }
    }
}

/// Bind module `name` (`import pyspark.sql.functions as F`).
pub fn import_module(name: &str, at: usize) -> PyResult<Value> {
    let module = match name {
        "pyspark" => Module::PySpark,
        "pyspark.sql" => Module::Sql,
        "pyspark.pipelines" | "dlt" => Module::Pipelines,
        "pyspark.sql.functions" => Module::Functions,
        "pyspark.sql.types" => Module::Types,
        "pyspark.sql.window" => Module::Sql,
        "tempo" | "tempo.tsdf" => Module::Tempo,
        // Type hints only.
        "typing" | "pyspark.sql.dataframe" | "pyspark.sql.column" => Module::Sql,
        other => {
            let known = [
                "pyspark",
                "pyspark.pipelines",
                "pyspark.sql",
                "pyspark.sql.functions",
                "pyspark.sql.types",
                "pyspark.sql.window",
                "tempo",
                "dlt",
            ];
            let close = suggest::quoted(suggest::closest(other, known));
            return Err(PyError::new(
                at,
                format!(
                    "module `{other}` is not available in pipeline files; supported: {}",
                    known.join(", ")
                ),
            )
            .with_suggestions(close));
        }
    };
    Ok(Value::native(Native::Module(module)))
}

/// `from <module> import name`.
pub fn import_name(source: &Value, module: &str, name: &str, at: usize) -> PyResult<Value> {
    let Value::Native(n) = source else {
        return Err(PyError::new(at, format!("cannot import from `{module}`")));
    };
    let Native::Module(m) = **n else {
        return Err(PyError::new(at, format!("cannot import from `{module}`")));
    };
    module_attr(m, name, at)
}

/// `from <module> import *`.
pub fn star_import(source: &Value) -> Vec<(String, Value)> {
    let Value::Native(n) = source else {
        return Vec::new();
    };
    match **n {
        Native::Module(Module::Functions) => column::FUNCTION_NAMES
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    Value::native(Native::Function(Module::Functions, f.to_string())),
                )
            })
            .collect(),
        Native::Module(Module::Types) => types::TYPE_NAMES
            .iter()
            .map(|t| {
                (
                    t.to_string(),
                    Value::native(Native::Function(Module::Types, t.to_string())),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn module_attr(module: Module, name: &str, at: usize) -> PyResult<Value> {
    let function = |m: Module| Ok(Value::native(Native::Function(m, name.to_string())));
    match module {
        Module::PySpark => match name {
            "pipelines" => Ok(Value::native(Native::Module(Module::Pipelines))),
            "sql" => Ok(Value::native(Native::Module(Module::Sql))),
            _ => Err(unknown_attr("pyspark", name, &["pipelines", "sql"], at)),
        },
        Module::Sql => match name {
            "functions" => Ok(Value::native(Native::Module(Module::Functions))),
            "types" => Ok(Value::native(Native::Module(Module::Types))),
            "Window" => Ok(Value::native(Native::Module(Module::Window))),
            // Names imported for type hints.
            "DataFrame" | "Column" | "SparkSession" | "Optional" | "List" | "Dict" => {
                Ok(Value::None)
            }
            _ => Err(unknown_attr(
                "pyspark.sql",
                name,
                &["functions", "types", "Window", "DataFrame"],
                at,
            )),
        },
        Module::Pipelines if pipelines::NAMES.contains(&name) => function(Module::Pipelines),
        Module::Pipelines => Err(unknown_attr(
            "pyspark.pipelines",
            name,
            pipelines::NAMES,
            at,
        )),
        Module::Functions if column::FUNCTION_NAMES.contains(&name) => function(Module::Functions),
        Module::Functions => Err(unknown_attr(
            "pyspark.sql.functions",
            name,
            column::FUNCTION_NAMES,
            at,
        )),
        Module::Types if types::TYPE_NAMES.contains(&name) => function(Module::Types),
        Module::Types => Err(unknown_attr(
            "pyspark.sql.types",
            name,
            types::TYPE_NAMES,
            at,
        )),
        Module::Window => match name {
            "partitionBy" | "orderBy" | "rowsBetween" | "rangeBetween" => function(Module::Window),
            "unboundedPreceding" => Ok(Value::Int(column::UNBOUNDED_PRECEDING)),
            "unboundedFollowing" => Ok(Value::Int(column::UNBOUNDED_FOLLOWING)),
            "currentRow" => Ok(Value::Int(0)),
            _ => Err(unknown_attr(
                "Window",
                name,
                &[
                    "partitionBy",
                    "orderBy",
                    "rowsBetween",
                    "rangeBetween",
                    "unboundedPreceding",
                    "unboundedFollowing",
                    "currentRow",
                ],
                at,
            )),
        },
        Module::Tempo => match name {
            "TSDF" => function(Module::Tempo),
            "tsdf" => Ok(Value::native(Native::Module(Module::Tempo))),
            _ => Err(unknown_attr("tempo", name, &["TSDF"], at)),
        },
    }
}

/// An "unknown attribute" error listing the closest supported names.
pub fn unknown_attr(owner: &str, name: &str, known: &[&str], at: usize) -> PyError {
    let close = suggest::quoted(suggest::closest(name, known.iter().copied()));
    PyError::new(
        at,
        format!("`{owner}` has no `{name}` in the supported subset"),
    )
    .with_suggestions(close)
}

/// `obj.attr` for a native object.
pub fn get_attr(
    obj: &Rc<Native>,
    interp: &mut Interp<'_>,
    attr: &str,
    at: usize,
) -> PyResult<Value> {
    match &**obj {
        Native::Module(m) => module_attr(*m, attr, at),
        Native::Spark => spark::spark_attr(attr, at),
        Native::Frame(f) => frame::attr(obj, f, attr, at),
        Native::Column(c) => column::attr(obj, c, attr, at),
        Native::Reader(r) => spark::reader_attr(obj, r, attr, at),
        Native::Tsdf(t) => tempo::attr(interp, obj, t, attr, at),
        Native::Conf => match attr {
            "get" => Ok(bound(obj, attr)),
            _ => Err(unknown_attr("spark.conf", attr, &["get"], at)),
        },
        Native::Grouped(_) => match attr {
            "agg" | "count" | "sum" | "avg" | "mean" | "min" | "max" => Ok(bound(obj, attr)),
            _ => Err(unknown_attr(
                "GroupedData",
                attr,
                &["agg", "count", "sum", "avg", "mean", "min", "max"],
                at,
            )),
        },
        Native::Window(_) => match attr {
            "partitionBy" | "orderBy" | "rowsBetween" | "rangeBetween" => Ok(bound(obj, attr)),
            _ => Err(unknown_attr(
                "WindowSpec",
                attr,
                &["partitionBy", "orderBy", "rowsBetween", "rangeBetween"],
                at,
            )),
        },
        _ => Err(PyError::new(
            at,
            format!("{} has no attribute `{attr}`", obj.type_name()),
        )),
    }
}

/// A method of `obj` bound for a later call.
pub fn bound(obj: &Rc<Native>, name: &str) -> Value {
    Value::native(Native::Bound(obj.clone(), name.to_string()))
}

/// Call a native object.
pub fn call(obj: &Rc<Native>, interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
    match &**obj {
        Native::Builtin(name) => builtins::call_builtin(interp, name, args),
        Native::Method(recv, name) => builtins::call_method(interp, recv, name, args),
        Native::Function(Module::Pipelines, name) => pipelines::call_function(interp, name, args),
        Native::Function(Module::Functions, name) => column::call_function(interp, name, args),
        Native::Function(Module::Types, name) => types::call_type(name, args),
        Native::Function(Module::Window, name) => column::window_call(None, name, args),
        Native::Function(Module::Tempo, _) => tempo::construct(interp, args),
        Native::Function(m, name) => Err(PyError::new(
            args.at,
            format!("`{}.{name}` cannot be called", m.name()),
        )),
        Native::Decorator(spec) => pipelines::apply_decorator(interp, spec, args),
        Native::Bound(recv, name) => call_method(recv, interp, name, args),
        other => Err(PyError::new(
            args.at,
            format!("{} is not callable", other.type_name()),
        )),
    }
}

fn call_method(
    recv: &Rc<Native>,
    interp: &mut Interp<'_>,
    name: &str,
    args: Args,
) -> PyResult<Value> {
    match &**recv {
        Native::Spark => spark::spark_method(interp, name, args),
        Native::Conf => spark::conf_get(interp, args),
        Native::Reader(r) => spark::reader_method(interp, r, name, args),
        Native::Frame(f) => frame::method(interp, f, name, args),
        Native::Grouped(g) => frame::grouped_method(interp, g, name, args),
        Native::Column(c) => column::method(interp, c, name, args),
        Native::Window(w) => column::window_call(Some(w.clone()), name, args),
        Native::Tsdf(t) => tempo::method(interp, t, name, args),
        other => Err(PyError::new(
            args.at,
            format!("{} has no method `{name}`", other.type_name()),
        )),
    }
}

/// `l op r` where one side is a native object (columns).
pub fn binary(
    interp: &mut Interp<'_>,
    op: BinOp,
    l: Value,
    r: Value,
    at: usize,
) -> PyResult<Value> {
    let _ = interp;
    column::binary(op, l, r, at)
}

/// `op v` on a native object.
pub fn unary(obj: &Rc<Native>, op: UnaryOp, at: usize) -> PyResult<Value> {
    column::unary(obj, op, at)
}

/// `l op r` comparisons with a native object.
pub fn compare(
    interp: &mut Interp<'_>,
    op: CmpOp,
    l: Value,
    r: Value,
    at: usize,
) -> PyResult<Value> {
    let _ = interp;
    column::compare(op, l, r, at)
}
