//! DataFrames in the Python subset: `select`, `filter`/`where`, `withColumn`, `groupBy().agg`,
//! `join`, `union`, `orderBy`, `limit`, `distinct`, `dropDuplicates`, `alias`, … lowered to the
//! query engine's DataFrame builder. A frame remembers whether it reads a stream.

use std::rc::Rc;

use query::{DataFrame, Expr, JoinOn, call, col, lit};

use super::column::{Col, col_or_literal, col_or_name};
use super::error::{PyError, PyResult};
use super::interp::{Args, Interp};
use super::native::{Native, bound, unknown_attr};
use super::value::Value;
use crate::suggest;

mod args;
mod grouped;

use args::{condition, join_kind, other_frame, sort_keys, spread};
pub use grouped::{Grouped, grouped_method};

/// A DataFrame and whether it reads a stream.
#[derive(Debug, Clone)]
pub struct Frame {
    /// The query engine's DataFrame.
    pub df: DataFrame,
    /// Whether any input is read as a stream.
    pub streaming: bool,
}

impl Frame {
    /// A frame value.
    pub fn value(df: DataFrame, streaming: bool) -> Value {
        Value::native(Native::Frame(Frame { df, streaming }))
    }
}

const METHODS: &[&str] = &[
    "select",
    "selectExpr",
    "filter",
    "where",
    "withColumn",
    "withColumns",
    "withColumnRenamed",
    "withColumnsRenamed",
    "drop",
    "groupBy",
    "groupby",
    "agg",
    "join",
    "union",
    "unionAll",
    "unionByName",
    "orderBy",
    "sort",
    "limit",
    "distinct",
    "dropDuplicates",
    "drop_duplicates",
    "alias",
    "fillna",
    "dropna",
    "withWatermark",
    "hint",
    "cache",
    "persist",
];

/// Actions run a query on the spot; pipeline functions only declare queries.
const ACTIONS: &[&str] = &[
    "count",
    "collect",
    "show",
    "toPandas",
    "take",
    "first",
    "head",
    "write",
    "writeStream",
    "foreach",
    "display",
];

/// `df.attr`: a method, `columns`, or a column by name.
pub fn attr(obj: &Rc<Native>, f: &Frame, name: &str, at: usize) -> PyResult<Value> {
    if METHODS.contains(&name) {
        return Ok(bound(obj, name));
    }
    if name == "columns" {
        return Ok(Value::list(
            f.df.schema()
                .into_iter()
                .map(|(n, _)| Value::str(n))
                .collect(),
        ));
    }
    if ACTIONS.contains(&name) {
        return Err(PyError::new(
            at,
            format!(
                "`df.{name}` runs the query right away; a pipeline function returns a DataFrame and the pipeline decides when it runs"
            ),
        ));
    }
    let columns: Vec<String> = f.df.schema().into_iter().map(|(n, _)| n).collect();
    if let Some(c) = columns.iter().find(|c| c.eq_ignore_ascii_case(name)) {
        return Ok(Value::native(Native::Column(Col::new(col(&format!(
            "`{c}`"
        ))))));
    }
    let mut known: Vec<&str> = METHODS.to_vec();
    known.extend(columns.iter().map(String::as_str));
    Err(unknown_attr("DataFrame", name, &known, at))
}

/// `df["col"]`.
pub fn subscript(f: &Frame, index: Value, at: usize) -> PyResult<Value> {
    match &index {
        Value::Str(name) => {
            let exists =
                f.df.schema()
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case(name));
            if !exists {
                let names: Vec<String> = f.df.schema().into_iter().map(|(n, _)| n).collect();
                let close =
                    suggest::quoted(suggest::closest(name, names.iter().map(String::as_str)));
                return Err(
                    PyError::new(at, format!("the DataFrame has no column `{name}`"))
                        .with_suggestions(close),
                );
            }
            Ok(Value::native(Native::Column(Col::new(col(&format!(
                "`{name}`"
            ))))))
        }
        Value::Native(n) if matches!(**n, Native::Column(_)) => {
            let Native::Column(c) = &**n else {
                unreachable!("matched a column")
            };
            Ok(Value::native(Native::Column(c.clone())))
        }
        other => Err(PyError::new(
            at,
            format!("cannot index a DataFrame with {}", other.type_name()),
        )),
    }
}

/// Call a DataFrame method.
pub fn method(interp: &mut Interp<'_>, f: &Frame, name: &str, args: Args) -> PyResult<Value> {
    let at = args.at;
    let q = |interp: &Interp<'_>, r: query::error::Result<DataFrame>| {
        r.map_err(|e| interp.query_error(e, at))
    };
    let same = |df: DataFrame| Ok(Frame::value(df, f.streaming));
    match name {
        "select" => {
            let exprs = spread(&args)
                .iter()
                .map(|a| col_or_name(&a.value, a.start))
                .collect::<PyResult<Vec<_>>>()?;
            same(q(interp, f.df.select(exprs))?)
        }
        "selectExpr" => {
            let mut exprs = Vec::new();
            for a in spread(&args) {
                let Value::Str(text) = &a.value else {
                    return Err(PyError::new(a.start, "selectExpr takes SQL strings"));
                };
                exprs.push(interp.parse_sql_expr(
                    text,
                    a.literal_body.unwrap_or(a.start),
                    a.literal_body.is_some(),
                )?);
            }
            same(q(interp, f.df.select(exprs))?)
        }
        "filter" | "where" => {
            args.check(name, 1, &["condition"])?;
            let arg = args
                .get(0, "condition")
                .ok_or_else(|| PyError::new(at, format!("{name} needs a condition")))?
                .clone();
            let cond = condition(interp, &arg)?;
            same(q(interp, f.df.filter(cond))?)
        }
        "withColumn" => {
            args.check(name, 2, &["colName", "col"])?;
            let (column, _) = args.str_arg(0, "colName", name)?;
            let value = args
                .get(1, "col")
                .ok_or_else(|| PyError::new(at, "withColumn needs a Column"))?;
            let Value::Native(n) = &value.value else {
                return Err(PyError::new(
                    value.start,
                    "withColumn needs a Column (wrap constants in F.lit)",
                ));
            };
            let Native::Column(c) = &**n else {
                return Err(PyError::new(value.start, "withColumn needs a Column"));
            };
            same(q(interp, f.df.with_column(&column, c.to_expr()))?)
        }
        "withColumns" => {
            let dict = args
                .positional
                .first()
                .ok_or_else(|| PyError::new(at, "withColumns needs a dict"))?;
            let Value::Dict(d) = &dict.value else {
                return Err(PyError::new(
                    dict.start,
                    "withColumns needs a dict of name → Column",
                ));
            };
            let mut df = f.df.clone();
            for (k, v) in d.borrow().iter() {
                df = q(
                    interp,
                    df.with_column(&k.to_py_str(), col_or_literal(v, dict.start)?),
                )?;
            }
            same(df)
        }
        "withColumnRenamed" => {
            let (old, _) = args.str_arg(0, "existing", name)?;
            let (new, _) = args.str_arg(1, "new", name)?;
            same(q(interp, f.df.with_column_renamed(&old, &new))?)
        }
        "withColumnsRenamed" => {
            let dict = args
                .positional
                .first()
                .ok_or_else(|| PyError::new(at, "withColumnsRenamed needs a dict"))?;
            let Value::Dict(d) = &dict.value else {
                return Err(PyError::new(
                    dict.start,
                    "withColumnsRenamed needs a dict of old → new",
                ));
            };
            let mut df = f.df.clone();
            for (k, v) in d.borrow().iter() {
                df = q(
                    interp,
                    df.with_column_renamed(&k.to_py_str(), &v.to_py_str()),
                )?;
            }
            same(df)
        }
        "drop" => {
            let mut names = Vec::new();
            for a in spread(&args) {
                match &a.value {
                    Value::Str(s) => names.push(s.to_string()),
                    Value::Native(n) => match &**n {
                        Native::Column(Col {
                            expr: Expr::Column { parts, .. },
                            case: None,
                            ..
                        }) => names.push(parts.last().cloned().unwrap_or_default()),
                        _ => return Err(PyError::new(a.start, "drop takes column names")),
                    },
                    _ => return Err(PyError::new(a.start, "drop takes column names")),
                }
            }
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let df = q(interp, f.df.drop(&refs))?;
            let remaining: Vec<String> = df.schema().into_iter().map(|(n, _)| n).collect();
            interp.host.frame_dropped(at, &remaining);
            same(df)
        }
        "groupBy" | "groupby" => {
            let keys = spread(&args)
                .iter()
                .map(|a| col_or_name(&a.value, a.start))
                .collect::<PyResult<Vec<_>>>()?;
            Ok(Value::native(Native::Grouped(Grouped {
                frame: f.clone(),
                keys,
            })))
        }
        "agg" => grouped_method(
            interp,
            &Grouped {
                frame: f.clone(),
                keys: Vec::new(),
            },
            "agg",
            args,
        ),
        "join" => {
            let other = other_frame(&args, 0, "other", "join")?;
            let on =
                match args.get(1, "on").map(|a| (&a.value, a.start)) {
                    None | Some((Value::None, _)) => JoinOn::Cross,
                    Some((Value::Str(s), _)) => JoinOn::Columns(vec![s.to_string()]),
                    Some((v @ (Value::List(_) | Value::Tuple(_)), at)) => {
                        let items = v.as_items().unwrap_or_default();
                        if items.iter().all(|i| matches!(i, Value::Str(_))) {
                            JoinOn::Columns(items.iter().map(Value::to_py_str).collect())
                        } else {
                            let mut cond: Option<Expr> = None;
                            for i in &items {
                                let e = col_or_literal(i, at)?;
                                cond = Some(match cond {
                                    Some(c) => c.and(e),
                                    None => e,
                                });
                            }
                            JoinOn::Condition(cond.ok_or_else(|| {
                                PyError::new(at, "join needs at least one condition")
                            })?)
                        }
                    }
                    Some((v, at)) => JoinOn::Condition(col_or_literal(v, at)?),
                };
            let how = args.opt_str(2, "how", "join")?.unwrap_or_else(|| {
                if matches!(on, JoinOn::Cross) {
                    "cross".into()
                } else {
                    "inner".into()
                }
            });
            let kind = join_kind(&how, at)?;
            let df = q(interp, f.df.join(&other.df, on, kind))?;
            Ok(Frame::value(df, f.streaming || other.streaming))
        }
        "union" | "unionAll" => {
            let other = other_frame(&args, 0, "other", name)?;
            let df = q(interp, f.df.union(&other.df))?;
            Ok(Frame::value(df, f.streaming || other.streaming))
        }
        "unionByName" => {
            let other = other_frame(&args, 0, "other", name)?;
            let allow = args
                .get(1, "allowMissingColumns")
                .is_some_and(|a| a.value.truthy() == Some(true));
            let df = q(interp, f.df.union_by_name(&other.df, allow))?;
            Ok(Frame::value(df, f.streaming || other.streaming))
        }
        "orderBy" | "sort" => {
            let keys = sort_keys(&args)?;
            same(q(interp, f.df.sort(keys))?)
        }
        "limit" => match args.get(0, "num").map(|a| &a.value) {
            Some(Value::Int(n)) if *n >= 0 => same(f.df.limit(*n as usize)),
            _ => Err(PyError::new(at, "limit needs a non-negative int")),
        },
        "distinct" => same(f.df.distinct()),
        "dropDuplicates" | "drop_duplicates" => {
            let subset: Option<Vec<String>> = match args.get(0, "subset").map(|a| &a.value) {
                None | Some(Value::None) => None,
                Some(v) => Some(
                    v.as_items()
                        .ok_or_else(|| PyError::new(at, "subset must be a list of column names"))?
                        .iter()
                        .map(Value::to_py_str)
                        .collect(),
                ),
            };
            let refs: Option<Vec<&str>> = subset
                .as_ref()
                .map(|s| s.iter().map(String::as_str).collect());
            same(q(interp, f.df.drop_duplicates(refs.as_deref()))?)
        }
        "alias" => {
            let (alias, _) = args.str_arg(0, "alias", "alias")?;
            same(f.df.alias(&alias))
        }
        "fillna" => {
            let value = args
                .get(0, "value")
                .ok_or_else(|| PyError::new(at, "fillna needs a value"))?;
            let subset: Option<Vec<String>> = args
                .get(1, "subset")
                .and_then(|a| a.value.as_items())
                .map(|i| i.iter().map(Value::to_py_str).collect());
            let mut df = f.df.clone();
            for (name, t) in f.df.schema() {
                let fits = match &value.value {
                    Value::Int(_) | Value::Float(_) => t.is_numeric(),
                    Value::Str(_) => t == query::SparkType::String,
                    Value::Bool(_) => t == query::SparkType::Boolean,
                    _ => false,
                };
                if fits && subset.as_ref().is_none_or(|s| s.contains(&name)) {
                    let filled = call(
                        "coalesce",
                        vec![
                            col(&format!("`{name}`")),
                            col_or_literal(&value.value, value.start)?.cast(t.clone()),
                        ],
                    );
                    df = q(interp, df.with_column(&name, filled))?;
                }
            }
            same(df)
        }
        "dropna" => {
            let subset: Option<Vec<String>> = args
                .get(1, "subset")
                .and_then(|a| a.value.as_items())
                .map(|i| i.iter().map(Value::to_py_str).collect());
            let how_all = args
                .get(0, "how")
                .is_some_and(|a| a.value.as_str() == Some("all"));
            let mut cond: Option<Expr> = None;
            for (name, _) in f.df.schema() {
                if subset.as_ref().is_some_and(|s| !s.contains(&name)) {
                    continue;
                }
                let e = col(&format!("`{name}`")).is_not_null();
                cond = Some(match cond {
                    None => e,
                    Some(c) if how_all => c.or(e),
                    Some(c) => c.and(e),
                });
            }
            same(q(interp, f.df.filter(cond.unwrap_or_else(|| lit(true))))?)
        }
        // Hints for a cluster's planner; nothing to do in the page.
        "withWatermark" | "hint" | "cache" | "persist" => same(f.df.clone()),
        _ => Err(PyError::new(
            at,
            format!("DataFrame has no method `{name}`"),
        )),
    }
}
