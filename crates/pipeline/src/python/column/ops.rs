//! Column operators (arithmetic, comparisons, `&`, `|`, `~`) and window function calls.

use super::*;

fn is_column(v: &Value) -> bool {
    matches!(v, Value::Native(n) if matches!(**n, Native::Column(_)))
}

/// `l op r` with a column on either side.
pub fn binary(op: BinOp, l: Value, r: Value, at: usize) -> PyResult<Value> {
    if !is_column(&l) && !is_column(&r) {
        return Err(PyError::new(
            at,
            format!(
                "unsupported operand types for {}: {} and {}",
                op.symbol(),
                l.type_name(),
                r.type_name()
            ),
        ));
    }
    let (a, b) = (col_or_literal(&l, at)?, col_or_literal(&r, at)?);
    Ok(column(match op {
        BinOp::BitAnd => a.and(b),
        BinOp::BitOr => a.or(b),
        BinOp::Pow => call("power", vec![a, b]),
        BinOp::FloorDiv => {
            return Err(PyError::new(
                at,
                "`//` is not a Column operator; use F.floor(a / b)",
            ));
        }
        BinOp::BitXor => return Err(PyError::new(at, "`^` is not a Column operator")),
        other => call(other.symbol(), vec![a, b]),
    }))
}

/// `op col`.
pub fn unary(obj: &Rc<Native>, op: UnaryOp, at: usize) -> PyResult<Value> {
    let Native::Column(c) = &**obj else {
        return Err(PyError::new(
            at,
            format!("bad operand type for unary operator: {}", obj.type_name()),
        ));
    };
    match op {
        UnaryOp::Neg => Ok(column(call("negative", vec![c.to_expr()]))),
        UnaryOp::Pos => Ok(column(c.to_expr())),
        UnaryOp::Invert => Ok(column(c.to_expr().not())),
        UnaryOp::Not => Err(PyError::new(at, "`not` cannot negate a Column; use `~`")),
    }
}

/// Comparisons with a column.
pub fn compare(op: CmpOp, l: Value, r: Value, at: usize) -> PyResult<Value> {
    if !is_column(&l) && !is_column(&r) {
        return Err(PyError::new(
            at,
            format!("cannot compare {} with {}", l.type_name(), r.type_name()),
        ));
    }
    let (a, b) = (col_or_literal(&l, at)?, col_or_literal(&r, at)?);
    let symbol = match op {
        CmpOp::Eq => "=",
        CmpOp::NotEq => "!=",
        CmpOp::Lt => "<",
        CmpOp::LtE => "<=",
        CmpOp::Gt => ">",
        CmpOp::GtE => ">=",
        _ => {
            return Err(PyError::new(
                at,
                "use `.isin(...)` / `.isNull()` with columns",
            ));
        }
    };
    Ok(column(call(symbol, vec![a, b])))
}

fn bound_spec(value: &Value, at: usize) -> PyResult<BoundSpec> {
    let Value::Int(n) = value else {
        return Err(PyError::new(
            at,
            "frame bounds are integers or Window.unboundedPreceding/unboundedFollowing/currentRow",
        ));
    };
    Ok(match *n {
        UNBOUNDED_PRECEDING => BoundSpec::UnboundedPreceding,
        UNBOUNDED_FOLLOWING => BoundSpec::UnboundedFollowing,
        0 => BoundSpec::CurrentRow,
        n if n < 0 => BoundSpec::Preceding(lit(-n)),
        n => BoundSpec::Following(lit(n)),
    })
}

/// `Window.partitionBy(...)` and friends, on a spec or starting a new one.
pub fn window_call(spec: Option<WindowSpec>, name: &str, args: Args) -> PyResult<Value> {
    let mut spec = spec.unwrap_or(WindowSpec {
        partition_by: vec![],
        order_by: vec![],
        frame: None,
    });
    let values: Vec<(Value, usize)> = match args.positional.as_slice() {
        [one] if one.value.as_items().is_some() => one
            .value
            .as_items()
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v, one.start))
            .collect(),
        all => all.iter().map(|a| (a.value.clone(), a.start)).collect(),
    };
    match name {
        "partitionBy" => {
            for (v, at) in &values {
                spec.partition_by.push(col_or_name(v, *at)?);
            }
        }
        "orderBy" => {
            for (v, at) in &values {
                spec.order_by.push(match v {
                    Value::Native(n) if matches!(**n, Native::Column(_)) => match &**n {
                        Native::Column(c) => c.to_sort(),
                        _ => unreachable!("matched a column"),
                    },
                    other => col_or_name(other, *at)?.asc(),
                });
            }
        }
        "rowsBetween" | "rangeBetween" => {
            let [start, end] = values.as_slice() else {
                return Err(PyError::new(
                    args.at,
                    format!("{name} needs a start and an end"),
                ));
            };
            spec.frame = Some(FrameSpec {
                range: name == "rangeBetween",
                start: bound_spec(&start.0, start.1)?,
                end: bound_spec(&end.0, end.1)?,
            });
        }
        _ => return Err(PyError::new(args.at, format!("Window has no `{name}`"))),
    }
    Ok(Value::native(Native::Window(spec)))
}
