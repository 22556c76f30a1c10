//! Columns: `pyspark.sql.functions` (`F.col`, `F.when`, `F.avg`, …), Column operators and
//! methods, and `Window` specifications, lowered to the query engine's expressions.

mod methods;
mod ops;

use std::rc::Rc;

use query::expr::{BoundSpec, FrameSpec};
use query::{Expr, SortExpr, SparkType, WindowSpec, call, col, lit, null};

use super::ast::{BinOp, CmpOp, UnaryOp};
use super::error::{PyError, PyResult};
use super::interp::{Args, Interp};
use super::native::{Native, bound, unknown_attr};
use super::value::Value;

pub use methods::{attr, method, subscript};
pub use ops::{binary, compare, unary, window_call};

/// `Window.unboundedPreceding` (Java's `Long.MinValue`, as PySpark).
pub const UNBOUNDED_PRECEDING: i64 = i64::MIN;
/// `Window.unboundedFollowing` (`Long.MaxValue`).
pub const UNBOUNDED_FOLLOWING: i64 = i64::MAX;

/// A column: an expression, a CASE being built by `when(...)`, and a sort direction.
#[derive(Debug, Clone)]
pub struct Col {
    /// The expression (for a CASE under construction: its first branch's value, unused).
    pub expr: Expr,
    /// `F.when(...)` branches awaiting more `.when` or `.otherwise`.
    pub case: Option<Vec<(Expr, Expr)>>,
    /// `asc()`/`desc()`: (ascending, nulls first).
    pub sort: Option<(bool, Option<bool>)>,
}

impl Col {
    /// A plain column.
    pub fn new(expr: Expr) -> Col {
        Col {
            expr,
            case: None,
            sort: None,
        }
    }

    /// The expression (a CASE without ELSE when `.otherwise` was never called).
    pub fn to_expr(&self) -> Expr {
        match &self.case {
            Some(branches) => Expr::Case {
                operand: None,
                branches: branches.clone(),
                otherwise: None,
            },
            None => self.expr.clone(),
        }
    }

    /// The sort key this column stands for.
    pub fn to_sort(&self) -> SortExpr {
        let (ascending, nulls_first) = self.sort.unwrap_or((true, None));
        SortExpr {
            expr: self.to_expr(),
            ascending,
            nulls_first,
        }
    }
}

fn column(expr: Expr) -> Value {
    Value::native(Native::Column(Col::new(expr)))
}

/// Functions of `pyspark.sql.functions` the subset offers.
pub const FUNCTION_NAMES: &[&str] = &[
    "col",
    "column",
    "lit",
    "expr",
    "when",
    "coalesce",
    "greatest",
    "least",
    "concat",
    "concat_ws",
    "array",
    "avg",
    "mean",
    "sum",
    "min",
    "max",
    "count",
    "count_distinct",
    "countDistinct",
    "sum_distinct",
    "sumDistinct",
    "approx_count_distinct",
    "first",
    "last",
    "stddev",
    "stddev_samp",
    "stddev_pop",
    "variance",
    "var_samp",
    "var_pop",
    "collect_list",
    "collect_set",
    "median",
    "percentile_approx",
    "count_if",
    "max_by",
    "min_by",
    "abs",
    "round",
    "bround",
    "floor",
    "ceil",
    "sqrt",
    "exp",
    "log",
    "log10",
    "log2",
    "pow",
    "signum",
    "sin",
    "cos",
    "tan",
    "upper",
    "lower",
    "trim",
    "ltrim",
    "rtrim",
    "length",
    "substring",
    "regexp_replace",
    "regexp_extract",
    "split",
    "lpad",
    "rpad",
    "initcap",
    "instr",
    "reverse",
    "current_timestamp",
    "current_date",
    "date_trunc",
    "trunc",
    "to_date",
    "to_timestamp",
    "date_format",
    "year",
    "month",
    "dayofmonth",
    "dayofweek",
    "dayofyear",
    "hour",
    "minute",
    "second",
    "weekofyear",
    "quarter",
    "datediff",
    "date_add",
    "date_sub",
    "add_months",
    "months_between",
    "unix_timestamp",
    "from_unixtime",
    "window",
    "isnull",
    "isnan",
    "nanvl",
    "ifnull",
    "nvl",
    "nullif",
    "row_number",
    "rank",
    "dense_rank",
    "lag",
    "lead",
    "ntile",
    "percent_rank",
    "cume_dist",
    "asc",
    "desc",
    "broadcast",
    "size",
    "array_contains",
    "explode",
    "hash",
    "struct",
];

/// How each argument is read: `c` column (a string is a column name), `l` literal, a trailing
/// `*` repeats the previous kind.
fn arg_kinds(name: &str) -> &'static str {
    match name {
        "lit" | "ntile" => "l",
        "concat_ws" => "lc*",
        "date_trunc" => "lc",
        "trunc" | "date_format" | "to_date" | "to_timestamp" | "from_unixtime"
        | "unix_timestamp" | "date_add" | "date_sub" | "add_months" | "split" | "instr"
        | "round" | "bround" | "percentile_approx" | "array_contains" => "cl",
        "substring" | "regexp_replace" | "regexp_extract" | "lpad" | "rpad" | "lag" | "lead"
        | "window" => "cll",
        "first" | "last" => "cl",
        "current_timestamp" | "current_date" | "row_number" | "rank" | "dense_rank"
        | "percent_rank" | "cume_dist" => "",
        _ => "c*",
    }
}

/// Convert a value to a column expression: columns as they are, strings as column names.
pub fn col_or_name(value: &Value, at: usize) -> PyResult<Expr> {
    match value {
        Value::Str(s) => Ok(if &**s == "*" {
            Expr::Star {
                qualifier: None,
                except: vec![],
            }
        } else {
            col(s)
        }),
        other => col_or_literal(other, at),
    }
}

/// Convert a value to an expression: columns as they are, Python values as literals.
pub fn col_or_literal(value: &Value, at: usize) -> PyResult<Expr> {
    Ok(match value {
        Value::Native(n) => match &**n {
            Native::Column(c) => c.to_expr(),
            other => {
                return Err(PyError::new(
                    at,
                    format!("expected a Column, got {}", other.type_name()),
                ));
            }
        },
        Value::None => null(SparkType::Null),
        Value::Bool(b) => lit(*b),
        Value::Int(i) => i32::try_from(*i).map_or_else(|_| lit(*i), lit),
        Value::Float(f) => lit(*f),
        Value::Str(s) => lit(s.to_string()),
        other => {
            return Err(PyError::new(
                at,
                format!("cannot use a {} as a column value", other.type_name()),
            ));
        }
    })
}

/// PySpark names that differ from the SQL function name.
fn sql_name(name: &str) -> &str {
    match name {
        "mean" => "avg",
        "countDistinct" | "count_distinct" => "count",
        "sumDistinct" | "sum_distinct" => "sum",
        "ceil" => "ceil",
        "nvl" => "ifnull",
        "stddev" => "stddev",
        other => other,
    }
}

/// Call `F.<name>(...)`.
pub fn call_function(interp: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
    let at = args.at;
    match name {
        "col" | "column" => {
            args.check(&format!("F.{name}"), 1, &["col"])?;
            let (n, _) = args.str_arg(0, "col", &format!("F.{name}"))?;
            return Ok(column(col(&n)));
        }
        "lit" => {
            let arg = args
                .positional
                .first()
                .ok_or_else(|| PyError::new(at, "F.lit needs a value"))?;
            return Ok(column(col_or_literal(&arg.value, arg.start)?));
        }
        "expr" => {
            let (text, arg) = args.str_arg(0, "str", "F.expr")?;
            let origin = arg.literal_body.unwrap_or(arg.start);
            return Ok(column(interp.parse_sql_expr(
                &text,
                origin,
                arg.literal_body.is_some(),
            )?));
        }
        "when" => {
            let cond = args
                .get(0, "condition")
                .ok_or_else(|| PyError::new(at, "F.when needs a condition"))?;
            let value = args
                .get(1, "value")
                .ok_or_else(|| PyError::new(at, "F.when needs a value"))?;
            let branch = (
                col_or_literal(&cond.value, cond.start)?,
                col_or_literal(&value.value, value.start)?,
            );
            return Ok(Value::native(Native::Column(Col {
                expr: branch.1.clone(),
                case: Some(vec![branch]),
                sort: None,
            })));
        }
        "asc" | "desc" => {
            let c = args
                .positional
                .first()
                .ok_or_else(|| PyError::new(at, format!("F.{name} needs a column")))?;
            let expr = col_or_name(&c.value, c.start)?;
            return Ok(Value::native(Native::Column(Col {
                expr,
                case: None,
                sort: Some((name == "asc", None)),
            })));
        }
        "broadcast" => {
            return args
                .positional
                .first()
                .map(|a| a.value.clone())
                .ok_or_else(|| PyError::new(at, "F.broadcast needs a DataFrame"));
        }
        "count" => {
            let arg = args
                .positional
                .first()
                .ok_or_else(|| PyError::new(at, "F.count needs a column or \"*\""))?;
            let expr = match &arg.value {
                Value::Str(s) if &**s == "*" => lit(1),
                other => col_or_name(other, arg.start)?,
            };
            return Ok(column(call("count", vec![expr])));
        }
        "log" if args.positional.len() == 2 => {
            let base = col_or_literal(&args.positional[0].value, args.positional[0].start)?;
            let x = col_or_name(&args.positional[1].value, args.positional[1].start)?;
            return Ok(column(call("log", vec![base, x])));
        }
        "log" => {
            let x = args
                .positional
                .first()
                .ok_or_else(|| PyError::new(at, "F.log needs a column"))?;
            return Ok(column(call("ln", vec![col_or_name(&x.value, x.start)?])));
        }
        "struct" | "array" | "coalesce" | "greatest" | "least" | "concat"
            if args.positional.len() == 1 =>
        {
            // `F.array([c1, c2])` passes a list.
            if let Some(items) = args.positional[0].value.as_items() {
                let exprs = items
                    .iter()
                    .map(|v| col_or_name(v, at))
                    .collect::<PyResult<Vec<_>>>()?;
                return Ok(column(call(name, exprs)));
            }
        }
        _ => {}
    }
    if !FUNCTION_NAMES.contains(&name) {
        return Err(unknown_attr(
            "pyspark.sql.functions",
            name,
            FUNCTION_NAMES,
            at,
        ));
    }
    let kinds = arg_kinds(name).as_bytes();
    let mut exprs = Vec::new();
    for (i, arg) in args.positional.iter().enumerate() {
        let repeats = kinds.len() >= 2 && kinds.last() == Some(&b'*');
        let kind = match kinds.get(i) {
            Some(b'*') | None if repeats => Some(kinds[kinds.len() - 2]),
            other => other.copied(),
        };
        exprs.push(match kind {
            Some(b'c') => col_or_name(&arg.value, arg.start)?,
            Some(b'l') => col_or_literal(&arg.value, arg.start)?,
            _ => {
                return Err(PyError::new(
                    arg.start,
                    format!(
                        "F.{name} takes {} argument(s)",
                        kinds.iter().filter(|k| **k != b'*').count()
                    ),
                ));
            }
        });
    }
    let mut ignore_nulls = None;
    for (key, arg) in &args.keywords {
        match (name, key.as_str()) {
            ("first" | "last", "ignorenulls") => ignore_nulls = arg.value.truthy(),
            ("lag" | "lead", "offset" | "default") | ("round", "scale") => {
                exprs.push(col_or_literal(&arg.value, arg.start)?)
            }
            _ => {
                return Err(PyError::new(
                    arg.start,
                    format!("F.{name} got an unexpected keyword argument `{key}`"),
                ));
            }
        }
    }
    let mut expr = call(sql_name(name), exprs);
    if let Expr::Call(c) = &mut expr {
        c.distinct = matches!(
            name,
            "countDistinct" | "count_distinct" | "sumDistinct" | "sum_distinct"
        );
        if let Some(ignore) = ignore_nulls {
            c.ignore_nulls = Some(ignore);
        }
    }
    Ok(column(expr))
}
