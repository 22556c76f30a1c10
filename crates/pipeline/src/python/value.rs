//! Values of the Python subset: plain Python values and the pipeline objects (Spark session,
//! readers, DataFrames, columns, Tempo series) the evaluator manipulates.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use super::ast::FunctionDef;
use super::env::Env;
use super::native::Native;

/// A Python value.
#[derive(Clone)]
pub enum Value {
    /// `None`
    None,
    /// `True` / `False`
    Bool(bool),
    /// An `int`.
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(Rc<str>),
    /// A `list` (shared and mutable, as in Python).
    List(Rc<RefCell<Vec<Value>>>),
    /// A `tuple`.
    Tuple(Rc<Vec<Value>>),
    /// A `dict` in insertion order.
    Dict(Rc<RefCell<Vec<(Value, Value)>>>),
    /// A function defined in the file (with the scope it was defined in).
    Function(Rc<Closure>),
    /// A `lambda`.
    Lambda(Rc<LambdaValue>),
    /// Objects of the pipeline world (modules, Spark, DataFrames, columns, …).
    Native(Rc<Native>),
}

/// A user function and the scope it closes over.
pub struct Closure {
    /// The definition.
    pub def: Rc<FunctionDef>,
    /// Default values, evaluated at definition time (one per parameter, `None` if absent).
    pub defaults: Vec<Option<Value>>,
    /// The defining scope.
    pub env: Rc<Env>,
}

/// A lambda and the scope it closes over.
pub struct LambdaValue {
    /// Parameter names.
    pub params: Vec<String>,
    /// The body.
    pub body: super::ast::Expr,
    /// The defining scope.
    pub env: Rc<Env>,
}

impl Value {
    /// A string value.
    pub fn str(s: impl AsRef<str>) -> Value {
        Value::Str(Rc::from(s.as_ref()))
    }

    /// A list value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }

    /// A native object value.
    pub fn native(n: Native) -> Value {
        Value::Native(Rc::new(n))
    }

    /// Python's name for the value's type, for error messages.
    pub fn type_name(&self) -> String {
        match self {
            Value::None => "NoneType".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float".into(),
            Value::Str(_) => "str".into(),
            Value::List(_) => "list".into(),
            Value::Tuple(_) => "tuple".into(),
            Value::Dict(_) => "dict".into(),
            Value::Function(_) | Value::Lambda(_) => "function".into(),
            Value::Native(n) => n.type_name(),
        }
    }

    /// Python truthiness, for plain values. `None` for objects whose truth is ambiguous
    /// (a Column in `if`/`and`/`or` is an error in PySpark too).
    pub fn truthy(&self) -> Option<bool> {
        Some(match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.borrow().is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::Dict(d) => !d.borrow().is_empty(),
            Value::Function(_) | Value::Lambda(_) => true,
            Value::Native(n) => return n.truthy(),
        })
    }

    /// The string, if this is a `str`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a list or tuple.
    pub fn as_items(&self) -> Option<Vec<Value>> {
        match self {
            Value::List(l) => Some(l.borrow().clone()),
            Value::Tuple(t) => Some(t.as_ref().clone()),
            _ => None,
        }
    }

    /// Python's `str(value)`.
    pub fn to_py_str(&self) -> String {
        match self {
            Value::Str(s) => s.to_string(),
            other => other.repr(),
        }
    }

    /// Python's `repr(value)`.
    pub fn repr(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => float_repr(*f),
            Value::Str(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Value::List(l) => format!(
                "[{}]",
                l.borrow()
                    .iter()
                    .map(Value::repr)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Tuple(t) if t.len() == 1 => format!("({},)", t[0].repr()),
            Value::Tuple(t) => format!(
                "({})",
                t.iter().map(Value::repr).collect::<Vec<_>>().join(", ")
            ),
            Value::Dict(d) => format!(
                "{{{}}}",
                d.borrow()
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.repr(), v.repr()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Function(c) => format!("<function {}>", c.def.name),
            Value::Lambda(_) => "<function <lambda>>".into(),
            Value::Native(n) => format!("<{}>", n.type_name()),
        }
    }

    /// Equality of plain values (`==`).
    pub fn py_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => {
                (*a as f64) == *b
            }
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.py_eq(y))
            }
            (Value::Tuple(a), Value::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.py_eq(y))
            }
            (Value::Dict(a), Value::Dict(b)) => {
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.iter().any(|(k2, v2)| k.py_eq(k2) && v.py_eq(v2)))
            }
            (Value::Native(a), Value::Native(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// Python's float repr: shortest round-trip, always with a `.` or exponent.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format!("{f}");
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repr())
    }
}
