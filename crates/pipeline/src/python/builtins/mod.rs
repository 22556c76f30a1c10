//! Python's builtins and the methods of plain values (`str`, `list`, `dict`) that pipeline
//! files use to build paths, schema hints and column lists.

mod methods;
mod ops;

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::BinOp;
use super::error::{PyError, PyResult};
use super::interp::{Args, Interp};
use super::native::Native;
use super::value::Value;
use crate::suggest;

pub use methods::{call_method, format_value};
pub use ops::{binary, compare, float_text, get_item, order, set_item, slice};

const BUILTINS: &[&str] = &[
    "len",
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "tuple",
    "range",
    "enumerate",
    "zip",
    "sorted",
    "min",
    "max",
    "sum",
    "abs",
    "round",
    "print",
    "isinstance",
    "repr",
];

const STR_METHODS: &[&str] = &[
    "format",
    "upper",
    "lower",
    "strip",
    "lstrip",
    "rstrip",
    "replace",
    "split",
    "join",
    "startswith",
    "endswith",
    "title",
    "capitalize",
    "find",
    "count",
    "removeprefix",
    "removesuffix",
    "splitlines",
    "isdigit",
];
const LIST_METHODS: &[&str] = &[
    "append", "extend", "index", "count", "copy", "insert", "pop", "remove",
];
const DICT_METHODS: &[&str] = &["get", "items", "keys", "values", "update", "copy", "pop"];

/// The builtin function `name`, if Python has it in the subset.
pub fn builtin(name: &str) -> Option<Value> {
    BUILTINS
        .iter()
        .find(|b| **b == name)
        .map(|b| Value::native(Native::Builtin(b)))
}

/// `value.attr` for plain values: a bound method.
pub fn method(value: Value, attr: &str, at: usize) -> PyResult<Value> {
    let methods: &[&str] = match &value {
        Value::Str(_) => STR_METHODS,
        Value::List(_) => LIST_METHODS,
        Value::Dict(_) => DICT_METHODS,
        _ => &[],
    };
    if methods.contains(&attr) {
        return Ok(Value::native(Native::Method(value, attr.to_string())));
    }
    let close = suggest::quoted(suggest::closest(attr, methods.iter().copied()));
    Err(PyError::new(
        at,
        format!(
            "`{}` has no attribute `{attr}` in the supported subset",
            value.type_name()
        ),
    )
    .with_suggestions(close))
}

fn arg_count(args: &Args, what: &str, min: usize, max: usize) -> PyResult<()> {
    let n = args.positional.len();
    if n < min || n > max || !args.keywords.is_empty() {
        let wanted = if min == max {
            min.to_string()
        } else {
            format!("{min} to {max}")
        };
        return Err(PyError::new(
            args.at,
            format!("{what}() takes {wanted} argument(s), got {n}"),
        ));
    }
    Ok(())
}

fn int_of(v: &Value, at: usize) -> PyResult<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => Err(PyError::new(
            at,
            format!("expected an int, got {}", other.type_name()),
        )),
    }
}

fn float_of(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

/// Call builtin `name`.
pub fn call_builtin(interp: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
    let at = args.at;
    let first = args.positional.first().map(|a| a.value.clone());
    match name {
        "print" => Ok(Value::None),
        "len" => {
            arg_count(&args, name, 1, 1)?;
            let v = first.unwrap_or(Value::None);
            let n = match &v {
                Value::Str(s) => s.chars().count(),
                Value::List(l) => l.borrow().len(),
                Value::Tuple(t) => t.len(),
                Value::Dict(d) => d.borrow().len(),
                other => {
                    return Err(PyError::new(
                        at,
                        format!("object of type {} has no len()", other.type_name()),
                    ));
                }
            };
            Ok(Value::Int(n as i64))
        }
        "str" | "repr" => {
            arg_count(&args, name, 0, 1)?;
            let v = first.unwrap_or(Value::str(""));
            Ok(Value::str(if name == "str" {
                v.to_py_str()
            } else {
                v.repr()
            }))
        }
        "int" => {
            arg_count(&args, name, 1, 1)?;
            match first.unwrap_or(Value::None) {
                Value::Int(i) => Ok(Value::Int(i)),
                Value::Bool(b) => Ok(Value::Int(i64::from(b))),
                Value::Float(f) => Ok(Value::Int(f.trunc() as i64)),
                Value::Str(s) => s
                    .trim()
                    .parse()
                    .map(Value::Int)
                    .map_err(|_| PyError::new(at, format!("invalid literal for int(): '{s}'"))),
                other => Err(PyError::new(
                    at,
                    format!("int() cannot convert {}", other.type_name()),
                )),
            }
        }
        "float" => {
            arg_count(&args, name, 1, 1)?;
            match first.unwrap_or(Value::None) {
                Value::Str(s) => s.trim().parse().map(Value::Float).map_err(|_| {
                    PyError::new(at, format!("could not convert string to float: '{s}'"))
                }),
                v => float_of(&v).map(Value::Float).ok_or_else(|| {
                    PyError::new(at, format!("float() cannot convert {}", v.type_name()))
                }),
            }
        }
        "bool" => {
            arg_count(&args, name, 0, 1)?;
            let v = first.unwrap_or(Value::Bool(false));
            v.truthy().map(Value::Bool).ok_or_else(|| {
                PyError::new(at, format!("cannot convert {} to bool", v.type_name()))
            })
        }
        "list" | "tuple" | "sorted" => {
            let items = match first {
                Some(v) => interp.iterate(v, at)?,
                None => Vec::new(),
            };
            let mut items = items;
            if name == "sorted" {
                let mut failed = false;
                items.sort_by(|a, b| {
                    order(a, b).unwrap_or_else(|| {
                        failed = true;
                        std::cmp::Ordering::Equal
                    })
                });
                if failed {
                    return Err(PyError::new(
                        at,
                        "sorted() needs values of one comparable type",
                    ));
                }
                if args
                    .keyword("reverse")
                    .is_some_and(|r| r.value.truthy() == Some(true))
                {
                    items.reverse();
                }
            }
            Ok(if name == "tuple" {
                Value::Tuple(Rc::new(items))
            } else {
                Value::list(items)
            })
        }
        "dict" => {
            let mut out: Vec<(Value, Value)> = match first {
                Some(Value::Dict(d)) => d.borrow().clone(),
                Some(other) => {
                    let mut pairs = Vec::new();
                    for item in interp.iterate(other, at)? {
                        let kv = interp.iterate(item, at)?;
                        if kv.len() != 2 {
                            return Err(PyError::new(at, "dict() needs (key, value) pairs"));
                        }
                        pairs.push((kv[0].clone(), kv[1].clone()));
                    }
                    pairs
                }
                None => Vec::new(),
            };
            for (k, a) in args.keywords {
                out.retain(|(existing, _)| existing.as_str() != Some(k.as_str()));
                out.push((Value::str(k), a.value));
            }
            Ok(Value::Dict(Rc::new(RefCell::new(out))))
        }
        "range" => {
            arg_count(&args, name, 1, 3)?;
            let nums: Vec<i64> = args
                .positional
                .iter()
                .map(|a| int_of(&a.value, a.start))
                .collect::<PyResult<_>>()?;
            let (start, stop, step) = match nums.as_slice() {
                [stop] => (0, *stop, 1),
                [start, stop] => (*start, *stop, 1),
                [start, stop, step] => (*start, *stop, *step),
                _ => unreachable!("arity checked"),
            };
            if step == 0 {
                return Err(PyError::new(at, "range() step must not be zero"));
            }
            let mut out = Vec::new();
            let mut i = start;
            while (step > 0 && i < stop) || (step < 0 && i > stop) {
                out.push(Value::Int(i));
                i += step;
                if out.len() > 1_000_000 {
                    return Err(PyError::new(at, "range() is too long for a pipeline file"));
                }
            }
            Ok(Value::list(out))
        }
        "enumerate" => {
            let items = interp.iterate(first.unwrap_or(Value::None), at)?;
            let start = args
                .get(1, "start")
                .map(|a| int_of(&a.value, a.start))
                .transpose()?
                .unwrap_or(0);
            Ok(Value::list(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| Value::Tuple(Rc::new(vec![Value::Int(start + i as i64), v])))
                    .collect(),
            ))
        }
        "zip" => {
            let lists: Vec<Vec<Value>> = args
                .positional
                .iter()
                .map(|a| interp.iterate(a.value.clone(), a.start))
                .collect::<PyResult<_>>()?;
            let n = lists.iter().map(Vec::len).min().unwrap_or(0);
            Ok(Value::list(
                (0..n)
                    .map(|i| Value::Tuple(Rc::new(lists.iter().map(|l| l[i].clone()).collect())))
                    .collect(),
            ))
        }
        "min" | "max" | "sum" => {
            let items = if args.positional.len() == 1 {
                interp.iterate(first.unwrap_or(Value::None), at)?
            } else {
                args.positional.iter().map(|a| a.value.clone()).collect()
            };
            if name == "sum" {
                let mut total = Value::Int(0);
                for v in items {
                    total = binary(BinOp::Add, total, v, at)?;
                }
                return Ok(total);
            }
            let mut best: Option<Value> = None;
            for v in items {
                best = Some(match best {
                    None => v,
                    Some(b) => {
                        let ord = order(&v, &b).ok_or_else(|| {
                            PyError::new(at, format!("{name}() needs comparable values"))
                        })?;
                        if (name == "min" && ord.is_lt()) || (name == "max" && ord.is_gt()) {
                            v
                        } else {
                            b
                        }
                    }
                });
            }
            best.ok_or_else(|| PyError::new(at, format!("{name}() of an empty sequence")))
        }
        "abs" => match first {
            Some(Value::Int(i)) => Ok(Value::Int(i.abs())),
            Some(Value::Float(f)) => Ok(Value::Float(f.abs())),
            _ => Err(PyError::new(
                at,
                "abs() needs a number (for columns use F.abs)",
            )),
        },
        "round" => {
            let v = first.as_ref().and_then(float_of).ok_or_else(|| {
                PyError::new(at, "round() needs a number (for columns use F.round)")
            })?;
            match args.get(1, "ndigits") {
                None => Ok(Value::Int(round_half_even(v) as i64)),
                Some(d) => {
                    let p = 10f64.powi(int_of(&d.value, d.start)? as i32);
                    Ok(Value::Float(round_half_even(v * p) / p))
                }
            }
        }
        "isinstance" => Err(PyError::new(
            at,
            "isinstance() is not supported in pipeline files",
        )),
        _ => Err(PyError::new(at, format!("`{name}` is not supported"))),
    }
}

fn round_half_even(v: f64) -> f64 {
    let r = v.round();
    if (v - v.trunc()).abs() == 0.5 {
        2.0 * (v / 2.0).round()
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::ops::percent_format;
    use super::*;

    #[test]
    fn test_integer_semantics_match_python() {
        assert!(
            binary(BinOp::FloorDiv, Value::Int(-7), Value::Int(2), 0)
                .unwrap()
                .py_eq(&Value::Int(-4))
        );
        assert!(
            binary(BinOp::Mod, Value::Int(-7), Value::Int(2), 0)
                .unwrap()
                .py_eq(&Value::Int(1))
        );
        assert!(
            binary(BinOp::Div, Value::Int(7), Value::Int(2), 0)
                .unwrap()
                .py_eq(&Value::Float(3.5))
        );
    }

    #[test]
    fn test_percent_and_format_spec() {
        assert_eq!(
            percent_format(
                "%s_%d",
                &Value::Tuple(Rc::new(vec![Value::str("a"), Value::Int(3)])),
                0
            )
            .unwrap(),
            "a_3"
        );
        assert_eq!(
            format_value(&Value::Float(2.0 / 3.0), Some(".2f"), 0).unwrap(),
            "0.67"
        );
    }

    #[test]
    fn test_negative_index_and_slices() {
        let list = Value::list(vec![Value::Int(1), Value::Int(2), Value::Int(3)]);
        assert!(
            get_item(&list, &Value::Int(-1), 0)
                .unwrap()
                .py_eq(&Value::Int(3))
        );
        assert_eq!(
            slice(&list, Some(Value::Int(1)), None, 0).unwrap().repr(),
            "[2, 3]"
        );
        assert!(get_item(&list, &Value::Int(5), 0).is_err());
    }
}
