//! `pyspark.pipelines` (and the legacy `dlt`): dataset decorators and expectations.

use super::error::{PyError, PyResult};
use super::frame::Frame;
use super::interp::{Args, Interp};
use super::native::{Native, PyDataset};
use super::value::Value;
use crate::sources::decl::{ColumnDecl, DatasetInfo, DatasetKind, Expectation, OnViolation};

/// Names of `pyspark.pipelines` the subset offers.
pub const NAMES: &[&str] = &[
    "table",
    "materialized_view",
    "temporary_view",
    "view",
    "expect",
    "expect_or_drop",
    "expect_or_fail",
    "expect_all",
    "expect_all_or_drop",
    "expect_all_or_fail",
    "read",
    "read_stream",
    "create_streaming_table",
    "append_flow",
];

/// Whether `name` is one of the expectation decorators (`expect`, `expect_all_or_drop`, ...).
pub fn is_expectation(name: &str) -> bool {
    name.starts_with("expect") && NAMES.contains(&name)
}

const DATASET_KEYWORDS: &[&str] = &[
    "name",
    "comment",
    "table_properties",
    "partition_cols",
    "cluster_by",
    "schema",
    "spark_conf",
    "path",
    "temporary",
    "private",
    "row_filter",
];

/// What a decorator will do to the function it receives.
#[derive(Clone)]
pub enum DecoratorSpec {
    /// Declare a dataset of this kind with these keyword arguments.
    Dataset {
        /// `table` (streaming table or materialized view, by the query), `materialized_view`,
        /// or a view.
        decorator: &'static str,
        /// The decorator's arguments.
        args: Args,
    },
    /// Attach expectations.
    Expect(Vec<Expectation>),
}

/// Call `dp.<name>(...)`.
pub fn call_function(interp: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
    let at = args.at;
    match name {
        "table" | "materialized_view" | "temporary_view" | "view" => {
            let decorator: &'static str = match name {
                "table" => "table",
                "materialized_view" => "materialized_view",
                _ => "temporary_view",
            };
            let spec = DecoratorSpec::Dataset {
                decorator,
                args: Args {
                    positional: Vec::new(),
                    ..args.clone()
                },
            };
            // Bare `@dp.table` receives the function directly.
            if let [only] = args.positional.as_slice()
                && args.keywords.is_empty()
                && matches!(only.value, Value::Function(_))
            {
                return apply_decorator(interp, &spec, args);
            }
            args.check(&format!("dp.{name}"), 0, DATASET_KEYWORDS)?;
            Ok(Value::native(Native::Decorator(spec)))
        }
        "expect" | "expect_or_drop" | "expect_or_fail" => {
            args.check(&format!("dp.{name}"), 2, &["name", "constraint"])?;
            let (expectation, _) = args.str_arg(0, "name", &format!("dp.{name}"))?;
            let (sql, arg) = args.str_arg(1, "constraint", &format!("dp.{name}"))?;
            let location = interp.location(arg.literal_body.unwrap_or(arg.start));
            let action = action_of(name);
            Ok(Value::native(Native::Decorator(DecoratorSpec::Expect(
                vec![Expectation {
                    name: expectation,
                    sql,
                    location,
                    action,
                }],
            ))))
        }
        "expect_all" | "expect_all_or_drop" | "expect_all_or_fail" => {
            let dict = args.positional.first().ok_or_else(|| {
                PyError::new(at, format!("dp.{name} needs a dict of name → constraint"))
            })?;
            let Value::Dict(d) = &dict.value else {
                return Err(PyError::new(
                    dict.start,
                    format!("dp.{name} needs a dict of name → constraint"),
                ));
            };
            let location = interp.location(dict.start);
            let action = action_of(name);
            let expectations = d
                .borrow()
                .iter()
                .map(|(k, v)| match v {
                    Value::Str(sql) => Ok(Expectation {
                        name: k.to_py_str(),
                        sql: sql.to_string(),
                        location: location.clone(),
                        action,
                    }),
                    other => Err(PyError::new(
                        dict.start,
                        format!(
                            "the constraint of `{}` must be a SQL string, got {}",
                            k.to_py_str(),
                            other.type_name()
                        ),
                    )),
                })
                .collect::<PyResult<Vec<_>>>()?;
            Ok(Value::native(Native::Decorator(DecoratorSpec::Expect(
                expectations,
            ))))
        }
        "read" | "read_stream" => {
            let (table, arg) = args.str_arg(0, "name", &format!("dp.{name}"))?;
            let location = interp.location(arg.literal_body.unwrap_or(arg.start));
            let streaming = name == "read_stream";
            let df = interp.host.read_table(&table, streaming, location)?;
            Ok(Frame::value(df, streaming))
        }
        _ => Err(PyError::new(
            at,
            format!(
                "`dp.{name}` (flows into existing tables) is not supported in the workbook; declare each dataset with @dp.table, @dp.materialized_view or @dp.temporary_view"
            ),
        )),
    }
}

fn action_of(name: &str) -> OnViolation {
    if name.ends_with("_drop") {
        OnViolation::Drop
    } else if name.ends_with("_fail") {
        OnViolation::Fail
    } else {
        OnViolation::Warn
    }
}

/// Apply a decorator to the value below it (a function, an annotated function, a dataset).
pub fn apply_decorator(
    interp: &mut Interp<'_>,
    spec: &DecoratorSpec,
    args: Args,
) -> PyResult<Value> {
    let at = args.at;
    let target = args
        .positional
        .into_iter()
        .next()
        .map(|a| a.value)
        .ok_or_else(|| PyError::new(at, "a decorator needs a function"))?;
    match spec {
        DecoratorSpec::Expect(expectations) => match &target {
            Value::Function(_) => Ok(Value::native(Native::Annotated(
                target.clone(),
                expectations.clone(),
            ))),
            Value::Native(n) => match &**n {
                Native::Annotated(f, existing) => {
                    let mut all = expectations.clone();
                    all.extend(existing.iter().cloned());
                    Ok(Value::native(Native::Annotated(f.clone(), all)))
                }
                Native::Dataset(i) => {
                    let info = &mut interp.datasets[*i].info;
                    let mut all = expectations.clone();
                    all.append(&mut info.expectations);
                    info.expectations = all;
                    Ok(target.clone())
                }
                other => Err(PyError::new(
                    at,
                    format!(
                        "an expectation decorates a dataset function, not {}",
                        other.type_name()
                    ),
                )),
            },
            other => Err(PyError::new(
                at,
                format!(
                    "an expectation decorates a dataset function, not {}",
                    other.type_name()
                ),
            )),
        },
        DecoratorSpec::Dataset {
            decorator,
            args: kw,
        } => {
            let (function, expectations) = match &target {
                Value::Function(_) => (target.clone(), Vec::new()),
                Value::Native(n) => match &**n {
                    Native::Annotated(f, e) => (f.clone(), e.clone()),
                    _ => {
                        return Err(PyError::new(
                            at,
                            "a dataset decorator goes on a function that returns a DataFrame",
                        ));
                    }
                },
                _ => {
                    return Err(PyError::new(
                        at,
                        "a dataset decorator goes on a function that returns a DataFrame",
                    ));
                }
            };
            let Value::Function(closure) = &function else {
                unreachable!("functions only")
            };
            let mut info = DatasetInfo {
                expectations,
                ..DatasetInfo::default()
            };
            let name_arg = kw.keyword("name");
            match name_arg.map(|a| (&a.value, a)) {
                Some((Value::Str(n), a)) => {
                    info.name = n.to_string();
                    info.location = interp.location(a.literal_body.unwrap_or(a.start));
                }
                Some((Value::None, _)) | None => {
                    info.name = closure.def.name.clone();
                    info.location = interp.location(closure.def.name_start);
                }
                Some((other, a)) => {
                    return Err(PyError::new(
                        a.start,
                        format!("`name` must be a string, got {}", other.type_name()),
                    ));
                }
            }
            info.comment = kw.opt_str(usize::MAX, "comment", "comment")?;
            if let Some(props) = kw.keyword("table_properties") {
                let Value::Dict(d) = &props.value else {
                    return Err(PyError::new(
                        props.start,
                        "`table_properties` must be a dict",
                    ));
                };
                info.table_properties = d
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.to_py_str(), v.to_py_str()))
                    .collect();
            }
            for key in ["partition_cols", "cluster_by"] {
                if let Some(cols) = kw.keyword(key).filter(|a| !matches!(a.value, Value::None)) {
                    let items = cols.value.as_items().ok_or_else(|| {
                        PyError::new(
                            cols.start,
                            format!("`{key}` must be a list of column names"),
                        )
                    })?;
                    info.partition_cols = items.iter().map(Value::to_py_str).collect();
                }
            }
            if let Some(schema) = kw
                .keyword("schema")
                .filter(|a| !matches!(a.value, Value::None))
            {
                let location = interp.location(schema.literal_body.unwrap_or(schema.start));
                info.columns = super::types::schema_of(&schema.value, schema.start)?
                    .into_iter()
                    .map(|(name, t)| ColumnDecl {
                        name,
                        type_name: t.to_string(),
                        location: location.clone(),
                    })
                    .collect();
            }
            info.private = kw
                .keyword("private")
                .or_else(|| kw.keyword("temporary"))
                .is_some_and(|a| a.value.truthy() == Some(true));
            info.kind = match *decorator {
                "materialized_view" => DatasetKind::MaterializedView,
                "temporary_view" => DatasetKind::View,
                _ => DatasetKind::StreamingTable,
            };
            let kind_from_query = *decorator == "table";
            if let Some(first) = interp
                .datasets
                .iter()
                .find(|d| d.info.name.eq_ignore_ascii_case(&info.name))
            {
                let message = format!(
                    "dataset `{}` is defined twice in this file (first at {})",
                    info.name, first.info.location
                );
                return Err(PyError::at(info.location, message));
            }
            interp.datasets.push(PyDataset {
                info,
                kind_from_query,
                function,
            });
            Ok(Value::native(Native::Dataset(interp.datasets.len() - 1)))
        }
    }
}
