//! `df.groupBy(keys)` and what follows it: `agg`, `count`, `sum`, ….

use query::{Expr, call, col, lit};

use super::super::column::col_or_literal;
use super::super::error::{PyError, PyResult};
use super::super::interp::{Args, Interp};
use super::super::value::Value;
use super::Frame;
use super::args::spread;

/// `df.groupBy(keys)` awaiting `agg`.
#[derive(Debug, Clone)]
pub struct Grouped {
    /// The grouped frame.
    pub frame: Frame,
    /// Group keys.
    pub keys: Vec<Expr>,
}

/// `groupBy(...).agg(...)`, `.count()`, `.sum(...)`, ….
pub fn grouped_method(
    interp: &mut Interp<'_>,
    g: &Grouped,
    name: &str,
    args: Args,
) -> PyResult<Value> {
    let at = args.at;
    let aggs: Vec<Expr> = match name {
        "agg" => {
            let mut aggs = Vec::new();
            match args.positional.as_slice() {
                [one] if matches!(one.value, Value::Dict(_)) => {
                    let Value::Dict(d) = &one.value else {
                        unreachable!("matched a dict")
                    };
                    for (k, v) in d.borrow().iter() {
                        let (column, func) = (k.to_py_str(), v.to_py_str());
                        let func = if func == "mean" {
                            "avg".to_string()
                        } else {
                            func
                        };
                        let arg = if column == "*" { lit(1) } else { col(&column) };
                        aggs.push(call(&func, vec![arg]).alias(&format!("{func}({column})")));
                    }
                }
                all => {
                    for a in all {
                        aggs.push(col_or_literal(&a.value, a.start)?);
                    }
                }
            }
            aggs
        }
        "count" => vec![call("count", vec![lit(1)]).alias("count")],
        "sum" | "avg" | "mean" | "min" | "max" => {
            let func = if name == "mean" { "avg" } else { name };
            let columns: Vec<String> = if args.positional.is_empty() {
                let keys: Vec<String> = g.keys.iter().map(Expr::output_name).collect();
                g.frame
                    .df
                    .schema()
                    .into_iter()
                    .filter(|(n, t)| t.is_numeric() && !keys.contains(n))
                    .map(|(n, _)| n)
                    .collect()
            } else {
                spread(&args).iter().map(|a| a.value.to_py_str()).collect()
            };
            columns
                .iter()
                .map(|c| call(func, vec![col(c)]).alias(&format!("{func}({c})")))
                .collect()
        }
        _ => {
            return Err(PyError::new(
                at,
                format!("GroupedData has no method `{name}`"),
            ));
        }
    };
    if aggs.is_empty() {
        return Err(PyError::new(at, "agg needs at least one aggregate"));
    }
    let df = g
        .frame
        .df
        .aggregate(g.keys.clone(), aggs)
        .map_err(|e| interp.query_error(e, at))?;
    Ok(Frame::value(df, g.frame.streaming))
}
