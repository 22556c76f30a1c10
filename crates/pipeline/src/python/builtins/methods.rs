//! Methods of plain values (`str`, `list`, `dict`) and string formatting (`str.format`,
//! format specs).

use std::cell::RefCell;
use std::rc::Rc;

use crate::python::error::{PyError, PyResult};
use crate::python::interp::{Args, Interp};
use crate::python::value::Value;

use super::{arg_count, float_of, int_of, set_item};

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
