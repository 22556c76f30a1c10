//! Python's builtins and the methods of plain values (`str`, `list`, `dict`) that pipeline
//! files use to build paths, schema hints and column lists.

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::{BinOp, CmpOp};
use super::error::{PyError, PyResult};
use super::interp::{Args, Interp};
use super::native::Native;
use super::value::{Value, float_repr};
use crate::suggest;

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

/// Call method `name` of a plain value.
pub fn call_method(
    interp: &mut Interp<'_>,
    recv: &Value,
    name: &str,
    args: Args,
) -> PyResult<Value> {
    let at = args.at;
    let s_arg = |i: usize| -> PyResult<String> {
        match args.positional.get(i).map(|a| &a.value) {
            Some(Value::Str(s)) => Ok(s.to_string()),
            Some(other) => Err(PyError::new(
                at,
                format!("str.{name}() needs a string, got {}", other.type_name()),
            )),
            None => Err(PyError::new(at, format!("str.{name}() needs an argument"))),
        }
    };
    match recv {
        Value::Str(s) => {
            let s = s.as_ref();
            Ok(match name {
                "upper" => Value::str(s.to_uppercase()),
                "lower" => Value::str(s.to_lowercase()),
                "strip" | "lstrip" | "rstrip" => {
                    let chars: Option<Vec<char>> = args
                        .positional
                        .first()
                        .and_then(|a| a.value.as_str())
                        .map(|c| c.chars().collect());
                    let pred = |c: char| {
                        chars
                            .as_ref()
                            .map_or(c.is_whitespace(), |set| set.contains(&c))
                    };
                    Value::str(match name {
                        "strip" => s.trim_matches(pred),
                        "lstrip" => s.trim_start_matches(pred),
                        _ => s.trim_end_matches(pred),
                    })
                }
                "replace" => Value::str(s.replace(&s_arg(0)?, &s_arg(1)?)),
                "split" => {
                    let parts: Vec<Value> = match args.positional.first().map(|a| &a.value) {
                        None | Some(Value::None) => s.split_whitespace().map(Value::str).collect(),
                        Some(_) => s.split(s_arg(0)?.as_str()).map(Value::str).collect(),
                    };
                    Value::list(parts)
                }
                "splitlines" => Value::list(s.lines().map(Value::str).collect()),
                "join" => {
                    let items = interp.iterate(
                        args.positional
                            .first()
                            .map(|a| a.value.clone())
                            .unwrap_or(Value::None),
                        at,
                    )?;
                    let texts: Vec<String> = items
                        .iter()
                        .map(|v| {
                            v.as_str().map(str::to_string).ok_or_else(|| {
                                PyError::new(
                                    at,
                                    format!("str.join() needs strings, got {}", v.type_name()),
                                )
                            })
                        })
                        .collect::<PyResult<_>>()?;
                    Value::str(texts.join(s))
                }
                "startswith" => Value::Bool(s.starts_with(&s_arg(0)?)),
                "endswith" => Value::Bool(s.ends_with(&s_arg(0)?)),
                "removeprefix" => Value::str(s.strip_prefix(s_arg(0)?.as_str()).unwrap_or(s)),
                "removesuffix" => Value::str(s.strip_suffix(s_arg(0)?.as_str()).unwrap_or(s)),
                "find" => Value::Int(
                    s.find(&s_arg(0)?)
                        .map_or(-1, |i| s[..i].chars().count() as i64),
                ),
                "count" => Value::Int(s.matches(&s_arg(0)?).count() as i64),
                "isdigit" => Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())),
                "title" | "capitalize" => {
                    let mut out = String::new();
                    let mut start = true;
                    for c in s.chars() {
                        out.extend(if start {
                            c.to_uppercase().collect::<Vec<_>>()
                        } else {
                            c.to_lowercase().collect()
                        });
                        start = if name == "title" {
                            !c.is_alphanumeric()
                        } else {
                            false
                        };
                    }
                    Value::str(out)
                }
                "format" => Value::str(str_format(s, &args)?),
                _ => unreachable!("checked by method()"),
            })
        }
        Value::List(list) => match name {
            "append" => {
                arg_count(&args, name, 1, 1)?;
                list.borrow_mut().push(args.positional[0].value.clone());
                Ok(Value::None)
            }
            "extend" => {
                let items = interp.iterate(
                    args.positional
                        .first()
                        .map(|a| a.value.clone())
                        .unwrap_or(Value::None),
                    at,
                )?;
                list.borrow_mut().extend(items);
                Ok(Value::None)
            }
            "insert" => {
                arg_count(&args, name, 2, 2)?;
                let i = int_of(&args.positional[0].value, at)?.clamp(0, list.borrow().len() as i64)
                    as usize;
                list.borrow_mut()
                    .insert(i, args.positional[1].value.clone());
                Ok(Value::None)
            }
            "pop" => list
                .borrow_mut()
                .pop()
                .ok_or_else(|| PyError::new(at, "pop from an empty list")),
            "remove" => {
                let target = args
                    .positional
                    .first()
                    .map(|a| a.value.clone())
                    .unwrap_or(Value::None);
                let i = list
                    .borrow()
                    .iter()
                    .position(|v| v.py_eq(&target))
                    .ok_or_else(|| PyError::new(at, "list.remove(x): x not in list"))?;
                list.borrow_mut().remove(i);
                Ok(Value::None)
            }
            "index" => {
                let target = args
                    .positional
                    .first()
                    .map(|a| a.value.clone())
                    .unwrap_or(Value::None);
                list.borrow()
                    .iter()
                    .position(|v| v.py_eq(&target))
                    .map(|i| Value::Int(i as i64))
                    .ok_or_else(|| PyError::new(at, "value is not in list"))
            }
            "count" => {
                let target = args
                    .positional
                    .first()
                    .map(|a| a.value.clone())
                    .unwrap_or(Value::None);
                Ok(Value::Int(
                    list.borrow().iter().filter(|v| v.py_eq(&target)).count() as i64,
                ))
            }
            "copy" => Ok(Value::list(list.borrow().clone())),
            _ => unreachable!("checked by method()"),
        },
        Value::Dict(dict) => match name {
            "get" => {
                let key = args
                    .positional
                    .first()
                    .map(|a| a.value.clone())
                    .unwrap_or(Value::None);
                let default = args
                    .positional
                    .get(1)
                    .map(|a| a.value.clone())
                    .unwrap_or(Value::None);
                Ok(dict
                    .borrow()
                    .iter()
                    .find(|(k, _)| k.py_eq(&key))
                    .map_or(default, |(_, v)| v.clone()))
            }
            "pop" => {
                let key = args
                    .positional
                    .first()
                    .map(|a| a.value.clone())
                    .unwrap_or(Value::None);
                let i = dict.borrow().iter().position(|(k, _)| k.py_eq(&key));
                match (i, args.positional.get(1)) {
                    (Some(i), _) => Ok(dict.borrow_mut().remove(i).1),
                    (None, Some(d)) => Ok(d.value.clone()),
                    (None, None) => Err(PyError::new(at, format!("key {} not found", key.repr()))),
                }
            }
            "items" => Ok(Value::list(
                dict.borrow()
                    .iter()
                    .map(|(k, v)| Value::Tuple(Rc::new(vec![k.clone(), v.clone()])))
                    .collect(),
            )),
            "keys" => Ok(Value::list(
                dict.borrow().iter().map(|(k, _)| k.clone()).collect(),
            )),
            "values" => Ok(Value::list(
                dict.borrow().iter().map(|(_, v)| v.clone()).collect(),
            )),
            "copy" => Ok(Value::Dict(Rc::new(RefCell::new(dict.borrow().clone())))),
            "update" => {
                let mut pairs: Vec<(Value, Value)> = match args.positional.first().map(|a| &a.value)
                {
                    Some(Value::Dict(other)) => other.borrow().clone(),
                    None => Vec::new(),
                    Some(other) => {
                        return Err(PyError::new(
                            at,
                            format!("dict.update() needs a dict, got {}", other.type_name()),
                        ));
                    }
                };
                pairs.extend(
                    args.keywords
                        .iter()
                        .map(|(k, a)| (Value::str(k), a.value.clone())),
                );
                for (k, v) in pairs {
                    set_item(&Value::Dict(dict.clone()), k, v, at)?;
                }
                Ok(Value::None)
            }
            _ => unreachable!("checked by method()"),
        },
        _ => Err(PyError::new(
            at,
            format!("`{}` has no method `{name}`", recv.type_name()),
        )),
    }
}

/// `"{} {name}".format(...)`
fn str_format(template: &str, args: &Args) -> PyResult<String> {
    let mut out = String::new();
    let mut next = 0;
    let mut chars = template.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|p| p.1) == Some('{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek().map(|p| p.1) == Some('}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut field = String::new();
                for (_, c) in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    field.push(c);
                }
                let (key, spec) = field
                    .split_once(':')
                    .map_or((field.as_str(), None), |(k, s)| (k, Some(s)));
                let value = if key.is_empty() {
                    next += 1;
                    args.positional.get(next - 1).map(|a| a.value.clone())
                } else if let Ok(i) = key.parse::<usize>() {
                    args.positional.get(i).map(|a| a.value.clone())
                } else {
                    args.keyword(key).map(|a| a.value.clone())
                };
                let value = value.ok_or_else(|| {
                    PyError::new(args.at, format!("str.format(): no value for `{{{key}}}`"))
                })?;
                out.push_str(&format_value(&value, spec, args.at)?);
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Format a value with an optional format spec (`.2f`, `d`, `>5`…; the common cases).
pub fn format_value(value: &Value, spec: Option<&str>, at: usize) -> PyResult<String> {
    let Some(spec) = spec.filter(|s| !s.is_empty()) else {
        return Ok(value.to_py_str());
    };
    if let Some(precision) = spec.strip_prefix('.').and_then(|p| p.strip_suffix('f')) {
        let p: usize = precision
            .parse()
            .map_err(|_| PyError::new(at, format!("unsupported format spec `{spec}`")))?;
        let f = float_of(value)
            .ok_or_else(|| PyError::new(at, format!("format `{spec}` needs a number")))?;
        return Ok(format!("{f:.p$}"));
    }
    if spec == "d" {
        return Ok(int_of(value, at)?.to_string());
    }
    if let Some(width) = spec
        .strip_prefix('0')
        .and_then(|w| w.strip_suffix('d'))
        .and_then(|w| w.parse::<usize>().ok())
    {
        return Ok(format!("{:0width$}", int_of(value, at)?));
    }
    Err(PyError::new(
        at,
        format!("format spec `{spec}` is not supported in pipeline files"),
    ))
}

/// Arithmetic and concatenation on plain values.
pub fn binary(op: BinOp, l: Value, r: Value, at: usize) -> PyResult<Value> {
    use Value::{Float, Int, List, Str, Tuple};
    let mismatch = |l: &Value, r: &Value| {
        PyError::new(
            at,
            format!(
                "unsupported operand types for {}: {} and {}",
                op.symbol(),
                l.type_name(),
                r.type_name()
            ),
        )
    };
    Ok(match (op, &l, &r) {
        (BinOp::Add, Str(a), Str(b)) => Value::str(format!("{a}{b}")),
        (BinOp::Add, List(a), List(b)) => Value::list(
            a.borrow()
                .iter()
                .chain(b.borrow().iter())
                .cloned()
                .collect(),
        ),
        (BinOp::Add, Tuple(a), Tuple(b)) => {
            Value::Tuple(Rc::new(a.iter().chain(b.iter()).cloned().collect()))
        }
        (BinOp::Mul, Str(s), Int(n)) | (BinOp::Mul, Int(n), Str(s)) => {
            Value::str(s.repeat((*n).max(0) as usize))
        }
        (BinOp::Mul, List(a), Int(n)) => Value::list(
            a.borrow()
                .iter()
                .cloned()
                .cycle()
                .take(a.borrow().len() * (*n).max(0) as usize)
                .collect(),
        ),
        (BinOp::Mod, Str(s), _) => Value::str(percent_format(s, &r, at)?),
        (_, Int(a), Int(b)) => {
            let (a, b) = (*a, *b);
            match op {
                BinOp::Add => Int(a
                    .checked_add(b)
                    .ok_or_else(|| PyError::new(at, "integer overflow"))?),
                BinOp::Sub => Int(a
                    .checked_sub(b)
                    .ok_or_else(|| PyError::new(at, "integer overflow"))?),
                BinOp::Mul => Int(a
                    .checked_mul(b)
                    .ok_or_else(|| PyError::new(at, "integer overflow"))?),
                BinOp::Div if b == 0 => return Err(PyError::new(at, "division by zero")),
                BinOp::Div => Float(a as f64 / b as f64),
                BinOp::FloorDiv | BinOp::Mod if b == 0 => {
                    return Err(PyError::new(at, "integer division or modulo by zero"));
                }
                BinOp::FloorDiv => Int(a.div_euclid(b) - i64::from(b < 0 && a.rem_euclid(b) != 0)),
                BinOp::Mod => Int(((a % b) + b) % b),
                BinOp::Pow if b >= 0 => Int(a
                    .checked_pow(b as u32)
                    .ok_or_else(|| PyError::new(at, "integer overflow"))?),
                BinOp::Pow => Float((a as f64).powf(b as f64)),
                BinOp::BitAnd => Int(a & b),
                BinOp::BitOr => Int(a | b),
                BinOp::BitXor => Int(a ^ b),
            }
        }
        _ => {
            let (Some(a), Some(b)) = (float_of(&l), float_of(&r)) else {
                return Err(mismatch(&l, &r));
            };
            if matches!(l, Value::Bool(_))
                && matches!(r, Value::Bool(_))
                && matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor)
            {
                let (x, y) = (a != 0.0, b != 0.0);
                return Ok(Value::Bool(match op {
                    BinOp::BitAnd => x & y,
                    BinOp::BitOr => x | y,
                    _ => x ^ y,
                }));
            }
            match op {
                BinOp::Add => Float(a + b),
                BinOp::Sub => Float(a - b),
                BinOp::Mul => Float(a * b),
                BinOp::Div | BinOp::FloorDiv | BinOp::Mod if b == 0.0 => {
                    return Err(PyError::new(at, "float division by zero"));
                }
                BinOp::Div => Float(a / b),
                BinOp::FloorDiv => Float((a / b).floor()),
                BinOp::Mod => Float(a - b * (a / b).floor()),
                BinOp::Pow => Float(a.powf(b)),
                _ => return Err(mismatch(&l, &r)),
            }
        }
    })
}

fn percent_format(template: &str, args: &Value, at: usize) -> PyResult<String> {
    let values = match args {
        Value::Tuple(t) => t.as_ref().clone(),
        other => vec![other.clone()],
    };
    let mut out = String::new();
    let mut it = values.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s') => out.push_str(
                &it.next()
                    .ok_or_else(|| PyError::new(at, "not enough arguments for format string"))?
                    .to_py_str(),
            ),
            Some('d') => out.push_str(
                &int_of(
                    it.next().ok_or_else(|| {
                        PyError::new(at, "not enough arguments for format string")
                    })?,
                    at,
                )?
                .to_string(),
            ),
            Some(other) => {
                return Err(PyError::new(
                    at,
                    format!("`%{other}` formatting is not supported; use an f-string"),
                ));
            }
            None => return Err(PyError::new(at, "incomplete format")),
        }
    }
    Ok(out)
}

/// Ordering of plain values of one kind.
pub fn order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        _ => float_of(a)?.partial_cmp(&float_of(b)?),
    }
}

/// Comparisons of plain values.
pub fn compare(op: CmpOp, l: &Value, r: &Value, at: usize) -> PyResult<bool> {
    let contains = |container: &Value, item: &Value| -> PyResult<bool> {
        Ok(match container {
            Value::Str(s) => s.contains(
                item.as_str()
                    .ok_or_else(|| PyError::new(at, "`in <string>` needs a string on the left"))?,
            ),
            Value::List(l) => l.borrow().iter().any(|v| v.py_eq(item)),
            Value::Tuple(t) => t.iter().any(|v| v.py_eq(item)),
            Value::Dict(d) => d.borrow().iter().any(|(k, _)| k.py_eq(item)),
            other => {
                return Err(PyError::new(
                    at,
                    format!("argument of type {} is not iterable", other.type_name()),
                ));
            }
        })
    };
    Ok(match op {
        CmpOp::Eq => l.py_eq(r),
        CmpOp::NotEq => !l.py_eq(r),
        CmpOp::Is => {
            l.py_eq(r)
                && (matches!(l, Value::None | Value::Bool(_))
                    || matches!(r, Value::None | Value::Bool(_)))
        }
        CmpOp::IsNot => {
            !(l.py_eq(r)
                && (matches!(l, Value::None | Value::Bool(_))
                    || matches!(r, Value::None | Value::Bool(_))))
        }
        CmpOp::In => contains(r, l)?,
        CmpOp::NotIn => !contains(r, l)?,
        CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
            let ord = order(l, r).ok_or_else(|| {
                PyError::new(
                    at,
                    format!("cannot compare {} with {}", l.type_name(), r.type_name()),
                )
            })?;
            match op {
                CmpOp::Lt => ord.is_lt(),
                CmpOp::LtE => ord.is_le(),
                CmpOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            }
        }
    })
}

fn index_of(len: usize, i: &Value, at: usize) -> PyResult<usize> {
    let i = int_of(i, at)?;
    let idx = if i < 0 { len as i64 + i } else { i };
    if idx < 0 || idx as usize >= len {
        return Err(PyError::new(at, format!("index {i} out of range")));
    }
    Ok(idx as usize)
}

/// `container[index]` for plain values.
pub fn get_item(container: &Value, index: &Value, at: usize) -> PyResult<Value> {
    match container {
        Value::List(l) => {
            let l = l.borrow();
            Ok(l[index_of(l.len(), index, at)?].clone())
        }
        Value::Tuple(t) => Ok(t[index_of(t.len(), index, at)?].clone()),
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            Ok(Value::str(
                chars[index_of(chars.len(), index, at)?].to_string(),
            ))
        }
        Value::Dict(d) => d
            .borrow()
            .iter()
            .find(|(k, _)| k.py_eq(index))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| PyError::new(at, format!("key {} is not in the dict", index.repr()))),
        other => Err(PyError::new(
            at,
            format!("{} is not subscriptable", other.type_name()),
        )),
    }
}

/// `container[index] = value`
pub fn set_item(container: &Value, index: Value, value: Value, at: usize) -> PyResult<()> {
    match container {
        Value::List(l) => {
            let len = l.borrow().len();
            let i = index_of(len, &index, at)?;
            l.borrow_mut()[i] = value;
            Ok(())
        }
        Value::Dict(d) => {
            let mut d = d.borrow_mut();
            match d.iter_mut().find(|(k, _)| k.py_eq(&index)) {
                Some(entry) => entry.1 = value,
                None => d.push((index, value)),
            }
            Ok(())
        }
        other => Err(PyError::new(
            at,
            format!("{} does not support item assignment", other.type_name()),
        )),
    }
}

/// `value[lo:hi]`
pub fn slice(value: &Value, lo: Option<Value>, hi: Option<Value>, at: usize) -> PyResult<Value> {
    let bound = |v: Option<Value>, len: usize, default: usize| -> PyResult<usize> {
        match v {
            None | Some(Value::None) => Ok(default),
            Some(v) => {
                let i = int_of(&v, at)?;
                Ok(if i < 0 {
                    (len as i64 + i).max(0) as usize
                } else {
                    (i as usize).min(len)
                })
            }
        }
    };
    match value {
        Value::List(_) | Value::Tuple(_) => {
            let items = value.as_items().unwrap_or_default();
            let (a, b) = (
                bound(lo, items.len(), 0)?,
                bound(hi, items.len(), items.len())?,
            );
            let part = if a < b {
                items[a..b].to_vec()
            } else {
                Vec::new()
            };
            Ok(if matches!(value, Value::Tuple(_)) {
                Value::Tuple(Rc::new(part))
            } else {
                Value::list(part)
            })
        }
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            let (a, b) = (
                bound(lo, chars.len(), 0)?,
                bound(hi, chars.len(), chars.len())?,
            );
            Ok(Value::str(if a < b {
                chars[a..b].iter().collect::<String>()
            } else {
                String::new()
            }))
        }
        other => Err(PyError::new(
            at,
            format!("{} cannot be sliced", other.type_name()),
        )),
    }
}

/// Python's text for a float in messages (shortest round trip).
pub fn float_text(f: f64) -> String {
    float_repr(f)
}

#[cfg(test)]
mod tests {
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
