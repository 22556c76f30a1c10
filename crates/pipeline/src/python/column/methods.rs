//! Column attributes and methods (`.alias`, `.cast`, `.isNull`, `.over`, …) and subscripts.

use super::*;

/// `col.attr`: a bound method of a Column.
pub fn attr(obj: &Rc<Native>, c: &Col, name: &str, at: usize) -> PyResult<Value> {
    const METHODS: &[&str] = &[
        "alias",
        "name",
        "cast",
        "astype",
        "isNull",
        "isNotNull",
        "isin",
        "between",
        "like",
        "rlike",
        "ilike",
        "startswith",
        "endswith",
        "contains",
        "substr",
        "getItem",
        "getField",
        "eqNullSafe",
        "asc",
        "desc",
        "asc_nulls_first",
        "asc_nulls_last",
        "desc_nulls_first",
        "desc_nulls_last",
        "over",
        "otherwise",
        "when",
    ];
    if (name == "when" || name == "otherwise") && c.case.is_none() {
        return Err(PyError::new(
            at,
            format!("`.{name}()` follows `F.when(...)`"),
        ));
    }
    if METHODS.contains(&name) {
        return Ok(bound(obj, name));
    }
    Err(unknown_attr("Column", name, METHODS, at))
}

fn one_arg<'a>(args: &'a Args, what: &str) -> PyResult<&'a crate::python::interp::Arg> {
    args.positional
        .first()
        .or_else(|| args.keywords.first().map(|(_, a)| a))
        .ok_or_else(|| PyError::new(args.at, format!("{what} needs an argument")))
}

/// Call a Column method.
pub fn method(interp: &mut Interp<'_>, c: &Col, name: &str, args: Args) -> PyResult<Value> {
    let at = args.at;
    let e = c.to_expr();
    let sorted = |asc: bool, nulls_first: Option<bool>| {
        Ok(Value::native(Native::Column(Col {
            expr: e.clone(),
            case: None,
            sort: Some((asc, nulls_first)),
        })))
    };
    match name {
        "alias" | "name" => {
            let (alias, _) = args.str_arg(0, "alias", "Column.alias")?;
            Ok(column(e.alias(&alias)))
        }
        "cast" | "astype" => {
            let arg = one_arg(&args, "Column.cast")?;
            let to = crate::python::types::type_of(&arg.value, arg.start)?;
            Ok(column(e.cast(to)))
        }
        "isNull" => Ok(column(e.is_null())),
        "isNotNull" => Ok(column(e.is_not_null())),
        "isin" => {
            let values: Vec<Value> = match args.positional.as_slice() {
                [one] if one.value.as_items().is_some() => one.value.as_items().unwrap_or_default(),
                all => all.iter().map(|a| a.value.clone()).collect(),
            };
            let list = values
                .iter()
                .map(|v| col_or_literal(v, at))
                .collect::<PyResult<Vec<_>>>()?;
            Ok(column(e.is_in(list)))
        }
        "between" => {
            let lo = args
                .get(0, "lowerBound")
                .ok_or_else(|| PyError::new(at, "between needs two bounds"))?;
            let hi = args
                .get(1, "upperBound")
                .ok_or_else(|| PyError::new(at, "between needs two bounds"))?;
            Ok(column(Expr::Between {
                expr: Box::new(e),
                low: Box::new(col_or_literal(&lo.value, lo.start)?),
                high: Box::new(col_or_literal(&hi.value, hi.start)?),
                negated: false,
            }))
        }
        "like" | "rlike" | "ilike" | "startswith" | "endswith" | "contains" => {
            let arg = one_arg(&args, name)?;
            Ok(column(call(
                name,
                vec![e, col_or_literal(&arg.value, arg.start)?],
            )))
        }
        "substr" => {
            let pos = args
                .get(0, "startPos")
                .ok_or_else(|| PyError::new(at, "substr needs a start"))?;
            let len = args
                .get(1, "length")
                .ok_or_else(|| PyError::new(at, "substr needs a length"))?;
            Ok(column(call(
                "substring",
                vec![
                    e,
                    col_or_literal(&pos.value, pos.start)?,
                    col_or_literal(&len.value, len.start)?,
                ],
            )))
        }
        "getItem" => {
            let key = one_arg(&args, "getItem")?;
            Ok(column(Expr::Index {
                expr: Box::new(e),
                index: Box::new(col_or_literal(&key.value, key.start)?),
            }))
        }
        "getField" => {
            let (field, _) = args.str_arg(0, "name", "getField")?;
            Ok(column(Expr::Field {
                expr: Box::new(e),
                name: field,
            }))
        }
        "eqNullSafe" => {
            let other = one_arg(&args, "eqNullSafe")?;
            Ok(column(call(
                "<=>",
                vec![e, col_or_literal(&other.value, other.start)?],
            )))
        }
        "asc" => sorted(true, None),
        "desc" => sorted(false, None),
        "asc_nulls_first" => sorted(true, Some(true)),
        "asc_nulls_last" => sorted(true, Some(false)),
        "desc_nulls_first" => sorted(false, Some(true)),
        "desc_nulls_last" => sorted(false, Some(false)),
        "over" => {
            let spec = match args.positional.first().map(|a| &a.value) {
                None => WindowSpec {
                    partition_by: vec![],
                    order_by: vec![],
                    frame: None,
                },
                Some(Value::Native(n)) => match &**n {
                    Native::Window(w) => w.clone(),
                    _ => return Err(PyError::new(at, "over() needs a Window specification")),
                },
                Some(_) => return Err(PyError::new(at, "over() needs a Window specification")),
            };
            Ok(column(e.over(spec)))
        }
        "when" => {
            let cond = args
                .get(0, "condition")
                .ok_or_else(|| PyError::new(at, "when needs a condition"))?;
            let value = args
                .get(1, "value")
                .ok_or_else(|| PyError::new(at, "when needs a value"))?;
            let mut branches = c.case.clone().unwrap_or_default();
            branches.push((
                col_or_literal(&cond.value, cond.start)?,
                col_or_literal(&value.value, value.start)?,
            ));
            Ok(Value::native(Native::Column(Col {
                expr: c.expr.clone(),
                case: Some(branches),
                sort: None,
            })))
        }
        "otherwise" => {
            let value = one_arg(&args, "otherwise")?;
            let branches = c.case.clone().unwrap_or_default();
            Ok(column(Expr::Case {
                operand: None,
                branches,
                otherwise: Some(Box::new(col_or_literal(&value.value, value.start)?)),
            }))
        }
        _ => {
            let _ = interp;
            Err(PyError::new(at, format!("Column has no method `{name}`")))
        }
    }
}

/// `col[key]`: a struct field by name or an array element / map value.
pub fn subscript(c: &Col, index: Value, at: usize) -> PyResult<Value> {
    match &index {
        Value::Str(s) => Ok(column(Expr::Field {
            expr: Box::new(c.to_expr()),
            name: s.to_string(),
        })),
        other => Ok(column(Expr::Index {
            expr: Box::new(c.to_expr()),
            index: Box::new(col_or_literal(other, at)?),
        })),
    }
}
