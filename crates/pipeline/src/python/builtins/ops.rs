//! Operators on plain values: arithmetic, `%` formatting, comparisons, indexing and slicing.

use std::rc::Rc;

use crate::python::ast::{BinOp, CmpOp};
use crate::python::error::{PyError, PyResult};
use crate::python::value::{Value, float_repr};

use super::{float_of, int_of};

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
        (BinOp::Add, Str(a), Str(b)) => {
            repeated(a.len() + b.len(), 1, at)?;
            Value::str(format!("{a}{b}"))
        }
        (BinOp::Add, List(a), List(b)) => {
            repeated(a.borrow().len() + b.borrow().len(), 1, at)?;
            Value::list(
                a.borrow()
                    .iter()
                    .chain(b.borrow().iter())
                    .cloned()
                    .collect(),
            )
        }
        (BinOp::Add, Tuple(a), Tuple(b)) => {
            repeated(a.len() + b.len(), 1, at)?;
            Value::Tuple(Rc::new(a.iter().chain(b.iter()).cloned().collect()))
        }
        (BinOp::Mul, Str(s), Int(n)) | (BinOp::Mul, Int(n), Str(s)) => {
            Value::str(s.repeat(repeated(s.len(), *n, at)?))
        }
        (BinOp::Mul, List(a), Int(n)) => {
            let len = a.borrow().len();
            let total = len * repeated(len, *n, at)?;
            Value::list(a.borrow().iter().cloned().cycle().take(total).collect())
        }
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

pub(super) fn percent_format(template: &str, args: &Value, at: usize) -> PyResult<String> {
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

/// The most bytes or items `+` and `*` may build into one string or list: as long as the
/// longest `range()` a pipeline file may loop over. A pipeline's strings and lists are short;
/// a huge repeat (or a loop doubling a string) would exhaust the page's memory.
pub const MAX_SEQUENCE_LEN: usize = 1_000_000;

/// How many times a sequence of `len` may repeat (`n` below zero gives none).
fn repeated(len: usize, n: i64, at: usize) -> PyResult<usize> {
    let times = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
    match len.checked_mul(times) {
        Some(total) if total <= MAX_SEQUENCE_LEN => Ok(times),
        _ => Err(PyError::new(
            at,
            format!(
                "repeating {len} items {n} times is longer than {MAX_SEQUENCE_LEN} (MAX_SEQUENCE_LEN) for a pipeline file"
            ),
        )),
    }
}
