//! The evaluator: runs a pipeline file's statements (imports, constants, decorated functions)
//! and evaluates expressions with Python's semantics for plain values, delegating pipeline
//! objects (Spark, DataFrames, columns, Tempo) to [`super::native`].

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::{Arg as AstArg, BinOp, CmpOp, Expr, ExprKind, FPart, Stmt, StmtKind, UnaryOp};
use super::builtins;
use super::env::Env;
use super::error::{PyError, PyResult};
use super::native::{self, Native};
use super::value::{Closure, LambdaValue, Value};
use crate::diagnostic::Location;
use crate::sources::text::LineIndex;
use crate::suggest;

/// Most nested calls before evaluation stops (a recursive helper would otherwise overflow).
const MAX_CALL_DEPTH: usize = 64;

/// One evaluated call argument and where it was written.
#[derive(Debug, Clone)]
pub struct Arg {
    /// The value.
    pub value: Value,
    /// First byte of the argument expression.
    pub start: usize,
    /// For a plain string literal: the byte offset of its first character (after the quote).
    pub literal_body: Option<usize>,
}

/// The arguments of a call.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// Positional arguments.
    pub positional: Vec<Arg>,
    /// Keyword arguments, in order written.
    pub keywords: Vec<(String, Arg)>,
    /// Byte offset of the call.
    pub at: usize,
}

impl Args {
    /// Arguments with positional values only (for calls made by the evaluator itself).
    pub fn positional(values: Vec<Value>, at: usize) -> Args {
        Args {
            positional: values
                .into_iter()
                .map(|value| Arg {
                    value,
                    start: at,
                    literal_body: None,
                })
                .collect(),
            keywords: Vec::new(),
            at,
        }
    }

    /// The argument at position `index` or named `name`.
    pub fn get(&self, index: usize, name: &str) -> Option<&Arg> {
        self.keywords
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, a)| a)
            .or_else(|| self.positional.get(index))
    }

    /// The keyword argument `name` only.
    pub fn keyword(&self, name: &str) -> Option<&Arg> {
        self.keywords
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, a)| a)
    }

    /// Fail on keyword arguments outside `allowed` or more than `max_positional` positionals.
    pub fn check(&self, what: &str, max_positional: usize, allowed: &[&str]) -> PyResult<()> {
        if self.positional.len() > max_positional {
            let extra = &self.positional[max_positional];
            return Err(PyError::new(
                extra.start,
                format!(
                    "{what} takes at most {max_positional} positional argument(s), got {}",
                    self.positional.len()
                ),
            ));
        }
        for (name, arg) in &self.keywords {
            if !allowed.contains(&name.as_str()) {
                let close = suggest::quoted(suggest::closest(name, allowed.iter().copied()));
                let message = if allowed.is_empty() {
                    format!("{what} takes no keyword arguments (got `{name}`)")
                } else {
                    format!(
                        "{what} got an unexpected keyword argument `{name}` (accepted: {})",
                        allowed.join(", ")
                    )
                };
                return Err(PyError::new(arg.start, message).with_suggestions(close));
            }
        }
        Ok(())
    }

    /// The string argument at `index`/`name`, required.
    pub fn str_arg(&self, index: usize, name: &str, what: &str) -> PyResult<(String, &Arg)> {
        let arg = self
            .get(index, name)
            .ok_or_else(|| PyError::new(self.at, format!("{what} needs the `{name}` argument")))?;
        match &arg.value {
            Value::Str(s) => Ok((s.to_string(), arg)),
            other => Err(PyError::new(
                arg.start,
                format!(
                    "{what}: `{name}` must be a string, got {}",
                    other.type_name()
                ),
            )),
        }
    }

    /// The optional string argument at `index`/`name` (`None` also when passed `None`).
    pub fn opt_str(&self, index: usize, name: &str, what: &str) -> PyResult<Option<String>> {
        match self.get(index, name) {
            None => Ok(None),
            Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::Str(s),
                ..
            }) => Ok(Some(s.to_string())),
            Some(arg) => Err(PyError::new(
                arg.start,
                format!(
                    "{what}: `{name}` must be a string, got {}",
                    arg.value.type_name()
                ),
            )),
        }
    }
}

/// Control flow out of a block.
enum Flow {
    Normal,
    Return(Value),
}

/// The evaluator of one file.
pub struct Interp<'h> {
    /// The file's project path.
    pub file: String,
    /// The file's text.
    pub text: Rc<str>,
    /// The world outside the file: configuration, tables, files.
    pub host: &'h mut dyn native::Host,
    /// Datasets declared so far.
    pub datasets: Vec<native::PyDataset>,
    lines: LineIndex,
    depth: usize,
}

impl<'h> Interp<'h> {
    /// An evaluator of `file` (whose text is `text`) talking to `host`.
    pub fn new(file: &str, text: &str, host: &'h mut dyn native::Host) -> Self {
        Interp {
            file: file.to_string(),
            text: Rc::from(text),
            host,
            datasets: Vec::new(),
            lines: LineIndex::new(text),
            depth: 0,
        }
    }

    /// The project location of byte `offset` of this file.
    pub fn location(&self, offset: usize) -> Location {
        self.lines.location(&self.file, &self.text, offset)
    }

    /// Parse SQL text written at byte `offset` (inside a string literal when `literal`), so
    /// errors point into the file.
    pub fn parse_sql_expr(
        &self,
        text: &str,
        offset: usize,
        literal: bool,
    ) -> PyResult<query::Expr> {
        let at = self.location(offset);
        let origin = if literal {
            query::SourceOrigin::new(at.line, at.column)
        } else {
            query::SourceOrigin::default()
        };
        query::parse_expr_at(text, origin).map_err(|e| {
            if literal {
                self.query_error(e, offset)
            } else {
                PyError::new(offset, query_message(&e))
            }
        })
    }

    /// A query engine error as an evaluation error: at its own span when it has one (text
    /// parsed with this file's positions), else at byte `offset` (the call that failed).
    pub fn query_error(&self, e: query::QueryError, offset: usize) -> PyError {
        let suggestions = match &e {
            query::QueryError::Analysis { suggestions, .. } => suggestions
                .iter()
                .map(|s| crate::suggest::ticked(s))
                .collect(),
            _ => Vec::new(),
        };
        let error = match e.span() {
            Some(span) => PyError::at(
                Location::new(&self.file, span.start.line, span.start.column),
                query_message(&e),
            ),
            None => PyError::new(offset, query_message(&e)),
        };
        error.with_suggestions(suggestions)
    }

    /// Run a module's statements in `env`.
    pub fn exec_module(&mut self, body: &[Stmt], env: &Rc<Env>) -> PyResult<()> {
        env.set("spark", Value::native(Native::Spark));
        for stmt in body {
            if let StmtKind::Return(_) = stmt.kind {
                return Err(PyError::new(stmt.start, "`return` outside a function"));
            }
            self.exec(stmt, env)?;
        }
        Ok(())
    }

    fn exec_block(&mut self, body: &[Stmt], env: &Rc<Env>) -> PyResult<Flow> {
        for stmt in body {
            if let Flow::Return(v) = self.exec(stmt, env)? {
                return Ok(Flow::Return(v));
            }
        }
        Ok(Flow::Normal)
    }

    fn exec(&mut self, stmt: &Stmt, env: &Rc<Env>) -> PyResult<Flow> {
        match &stmt.kind {
            StmtKind::Import(names) => {
                for (module, alias) in names {
                    let value = native::import_module(module, stmt.start)?;
                    let bound = alias
                        .clone()
                        .unwrap_or_else(|| module.split('.').next().unwrap_or(module).to_string());
                    // `import pyspark.sql.functions` binds `pyspark`; the subset binds the module itself.
                    env.set(&bound, value);
                }
            }
            StmtKind::FromImport { module, names } => {
                let source = native::import_module(module, stmt.start)?;
                for (name, alias) in names {
                    if name == "*" {
                        for (n, v) in native::star_import(&source) {
                            env.set(&n, v);
                        }
                        continue;
                    }
                    let value = native::import_name(&source, module, name, stmt.start)?;
                    env.set(alias.as_ref().unwrap_or(name), value);
                }
            }
            StmtKind::Assign { targets, value } => {
                let value = self.eval(value, env)?;
                for target in targets {
                    self.assign(target, value.clone(), env)?;
                }
            }
            StmtKind::AugAssign { target, op, value } => {
                let current = self.eval(target, env)?;
                let rhs = self.eval(value, env)?;
                let result = self.binary(*op, current, rhs, stmt.start)?;
                self.assign(target, result, env)?;
            }
            StmtKind::FunctionDef(def) => {
                let mut defaults = Vec::new();
                for p in &def.params {
                    defaults.push(match &p.default {
                        Some(e) => Some(self.eval(e, env)?),
                        None => None,
                    });
                }
                let mut value = Value::Function(Rc::new(Closure {
                    def: def.clone(),
                    defaults,
                    env: env.clone(),
                }));
                let decorators: Vec<(Value, usize)> = def
                    .decorators
                    .iter()
                    .map(|d| Ok((self.eval(d, env)?, d.start)))
                    .collect::<PyResult<_>>()?;
                for (decorator, at) in decorators.into_iter().rev() {
                    value = self.call(decorator, Args::positional(vec![value], at))?;
                }
                env.set(&def.name, value);
            }
            StmtKind::Return(value) => {
                let v = match value {
                    Some(e) => self.eval(e, env)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::If { test, body, orelse } => {
                let cond = self.eval(test, env)?;
                let truth = cond
                    .truthy()
                    .ok_or_else(|| ambiguous_truth(&cond, test.start))?;
                return self.exec_block(if truth { body } else { orelse }, env);
            }
            StmtKind::For { target, iter, body } => {
                let items = self.eval(iter, env)?;
                for item in self.iterate(items, iter.start)? {
                    self.assign(target, item, env)?;
                    if let Flow::Return(v) = self.exec_block(body, env)? {
                        return Ok(Flow::Return(v));
                    }
                }
            }
            StmtKind::Expr(e) => {
                self.eval(e, env)?;
            }
            StmtKind::Pass => {}
        }
        Ok(Flow::Normal)
    }

    fn assign(&mut self, target: &Expr, value: Value, env: &Rc<Env>) -> PyResult<()> {
        match &target.kind {
            ExprKind::Name(name) => {
                env.set(name, value);
                Ok(())
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let values = self.iterate(value, target.start)?;
                if values.len() != items.len() {
                    return Err(PyError::new(
                        target.start,
                        format!(
                            "cannot unpack {} values into {} names",
                            values.len(),
                            items.len()
                        ),
                    ));
                }
                for (t, v) in items.iter().zip(values) {
                    self.assign(t, v, env)?;
                }
                Ok(())
            }
            ExprKind::Subscript(container, index) => {
                let container = self.eval(container, env)?;
                let index = self.eval(index, env)?;
                builtins::set_item(&container, index, value, target.start)
            }
            _ => Err(PyError::new(
                target.start,
                "cannot assign to this expression",
            )),
        }
    }

    /// The items of an iterable (list, tuple, dict keys, string characters).
    pub fn iterate(&mut self, value: Value, at: usize) -> PyResult<Vec<Value>> {
        match &value {
            Value::List(l) => Ok(l.borrow().clone()),
            Value::Tuple(t) => Ok(t.as_ref().clone()),
            Value::Dict(d) => Ok(d.borrow().iter().map(|(k, _)| k.clone()).collect()),
            Value::Str(s) => Ok(s.chars().map(|c| Value::str(c.to_string())).collect()),
            Value::Native(n) => n.iterate(at),
            other => Err(PyError::new(
                at,
                format!("{} is not iterable", other.type_name()),
            )),
        }
    }

    /// Evaluate an expression.
    pub fn eval(&mut self, expr: &Expr, env: &Rc<Env>) -> PyResult<Value> {
        let at = expr.start;
        Ok(match &expr.kind {
            ExprKind::Name(name) => match env.get(name) {
                Some(v) => v,
                None => match builtins::builtin(name) {
                    Some(b) => b,
                    None => {
                        let names = env.names();
                        let close = suggest::closest(name, names.iter().map(String::as_str));
                        return Err(PyError::new(at, format!("name `{name}` is not defined"))
                            .with_suggestions(suggest::quoted(close)));
                    }
                },
            },
            ExprKind::NoneLit => Value::None,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Float(f) => Value::Float(*f),
            ExprKind::Str(s) => Value::str(s),
            ExprKind::FString(parts) => {
                let mut out = String::new();
                for part in parts {
                    match part {
                        FPart::Text(t) => out.push_str(t),
                        FPart::Value { expr, spec } => {
                            let v = self.eval(expr, env)?;
                            out.push_str(&builtins::format_value(&v, spec.as_deref(), expr.start)?);
                        }
                    }
                }
                Value::str(out)
            }
            ExprKind::List(items) => Value::list(self.eval_all(items, env)?),
            ExprKind::Tuple(items) => Value::Tuple(Rc::new(self.eval_all(items, env)?)),
            ExprKind::Dict(items) => {
                let mut out = Vec::new();
                for (k, v) in items {
                    let k = self.eval(k, env)?;
                    let v = self.eval(v, env)?;
                    out.retain(|(existing, _): &(Value, Value)| !existing.py_eq(&k));
                    out.push((k, v));
                }
                Value::Dict(Rc::new(RefCell::new(out)))
            }
            ExprKind::Attribute(value, attr) => {
                let v = self.eval(value, env)?;
                self.get_attr(v, attr, value.end + 1)?
            }
            ExprKind::Call(func, args) => {
                let f = self.eval(func, env)?;
                let args = self.eval_args(args, env, at)?;
                self.call(f, args)?
            }
            ExprKind::Subscript(value, index) => {
                let v = self.eval(value, env)?;
                let i = match &index.kind {
                    ExprKind::Slice(lo, hi) => {
                        let lo = lo.as_ref().map(|e| self.eval(e, env)).transpose()?;
                        let hi = hi.as_ref().map(|e| self.eval(e, env)).transpose()?;
                        return builtins::slice(&v, lo, hi, at);
                    }
                    _ => self.eval(index, env)?,
                };
                match &v {
                    Value::Native(n) => n.subscript(self, i, index.start)?,
                    _ => builtins::get_item(&v, &i, index.start)?,
                }
            }
            ExprKind::Slice(..) => {
                return Err(PyError::new(at, "a slice is only valid inside `[...]`"));
            }
            ExprKind::Binary(op, l, r) => {
                let l = self.eval(l, env)?;
                let r = self.eval(r, env)?;
                self.binary(*op, l, r, at)?
            }
            ExprKind::Unary(op, operand) => {
                let v = self.eval(operand, env)?;
                self.unary(*op, v, at)?
            }
            ExprKind::Compare(op, l, r) => {
                let l = self.eval(l, env)?;
                let r = self.eval(r, env)?;
                self.compare(*op, l, r, at)?
            }
            ExprKind::And(l, r) => {
                let left = self.eval(l, env)?;
                match left.truthy() {
                    Some(false) => left,
                    Some(true) => self.eval(r, env)?,
                    None => return Err(ambiguous_truth(&left, l.start)),
                }
            }
            ExprKind::Or(l, r) => {
                let left = self.eval(l, env)?;
                match left.truthy() {
                    Some(true) => left,
                    Some(false) => self.eval(r, env)?,
                    None => return Err(ambiguous_truth(&left, l.start)),
                }
            }
            ExprKind::IfElse(body, test, orelse) => {
                let cond = self.eval(test, env)?;
                match cond.truthy() {
                    Some(true) => self.eval(body, env)?,
                    Some(false) => self.eval(orelse, env)?,
                    None => return Err(ambiguous_truth(&cond, test.start)),
                }
            }
            ExprKind::ListComp {
                elt,
                target,
                iter,
                cond,
            } => {
                let items = self.eval(iter, env)?;
                let scope = Env::child(env);
                let mut out = Vec::new();
                for item in self.iterate(items, iter.start)? {
                    self.assign(target, item, &scope)?;
                    if let Some(cond) = cond {
                        let c = self.eval(cond, &scope)?;
                        if !c.truthy().ok_or_else(|| ambiguous_truth(&c, cond.start))? {
                            continue;
                        }
                    }
                    out.push(self.eval(elt, &scope)?);
                }
                Value::list(out)
            }
            ExprKind::Lambda(params, body) => Value::Lambda(Rc::new(LambdaValue {
                params: params.iter().map(|p| p.name.clone()).collect(),
                body: (**body).clone(),
                env: env.clone(),
            })),
        })
    }

    fn eval_all(&mut self, items: &[Expr], env: &Rc<Env>) -> PyResult<Vec<Value>> {
        items.iter().map(|e| self.eval(e, env)).collect()
    }

    fn eval_args(&mut self, args: &[AstArg], env: &Rc<Env>, at: usize) -> PyResult<Args> {
        let mut out = Args {
            at,
            ..Args::default()
        };
        for arg in args {
            let value = self.eval(&arg.value, env)?;
            let literal_body = match arg.value.kind {
                ExprKind::Str(_) => Some(self.string_body(arg.value.start)),
                _ => None,
            };
            let start = arg.value.start;
            match (arg.star, &arg.name) {
                (1, _) => {
                    for v in self.iterate(value, start)? {
                        out.positional.push(Arg {
                            value: v,
                            start,
                            literal_body: None,
                        });
                    }
                }
                (2, _) => match value {
                    Value::Dict(d) => {
                        for (k, v) in d.borrow().iter() {
                            let Some(k) = k.as_str() else {
                                return Err(PyError::new(start, "`**` keywords must be strings"));
                            };
                            out.keywords.push((
                                k.to_string(),
                                Arg {
                                    value: v.clone(),
                                    start,
                                    literal_body: None,
                                },
                            ));
                        }
                    }
                    other => {
                        return Err(PyError::new(
                            start,
                            format!("`**` needs a dict, got {}", other.type_name()),
                        ));
                    }
                },
                (_, Some(name)) => out.keywords.push((
                    name.clone(),
                    Arg {
                        value,
                        start,
                        literal_body,
                    },
                )),
                (_, None) => out.positional.push(Arg {
                    value,
                    start,
                    literal_body,
                }),
            }
        }
        Ok(out)
    }

    /// The offset of a string literal's first character, skipping its prefix and quotes.
    fn string_body(&self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = start;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let quote = bytes.get(i).copied().unwrap_or(b'"');
        let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
        i + if triple { 3 } else { 1 }
    }

    /// Call a value.
    pub fn call(&mut self, func: Value, args: Args) -> PyResult<Value> {
        if self.depth >= MAX_CALL_DEPTH {
            return Err(PyError::new(
                args.at,
                "calls nest too deeply (is a helper function calling itself?)",
            ));
        }
        self.depth += 1;
        let result = match func {
            Value::Function(closure) => self.call_closure(&closure, args),
            Value::Lambda(lambda) => {
                if args.positional.len() != lambda.params.len() || !args.keywords.is_empty() {
                    Err(PyError::new(
                        args.at,
                        format!("the lambda takes {} argument(s)", lambda.params.len()),
                    ))
                } else {
                    let scope = Env::child(&lambda.env);
                    for (p, a) in lambda.params.iter().zip(args.positional) {
                        scope.set(p, a.value);
                    }
                    self.eval(&lambda.body, &scope)
                }
            }
            Value::Native(n) => native::call(&n, self, args),
            other => Err(PyError::new(
                args.at,
                format!("{} is not callable", other.type_name()),
            )),
        };
        self.depth -= 1;
        result
    }

    fn call_closure(&mut self, closure: &Closure, args: Args) -> PyResult<Value> {
        let def = &closure.def;
        let scope = Env::child(&closure.env);
        if args.positional.len() > def.params.len() {
            return Err(PyError::new(
                args.at,
                format!(
                    "{}() takes {} positional argument(s) but {} were given",
                    def.name,
                    def.params.len(),
                    args.positional.len()
                ),
            ));
        }
        for (i, param) in def.params.iter().enumerate() {
            let value = match (args.positional.get(i), args.keyword(&param.name)) {
                (Some(_), Some(dup)) => {
                    return Err(PyError::new(
                        dup.start,
                        format!(
                            "{}() got multiple values for argument `{}`",
                            def.name, param.name
                        ),
                    ));
                }
                (Some(a), None) | (None, Some(a)) => a.value.clone(),
                (None, None) => match &closure.defaults[i] {
                    Some(d) => d.clone(),
                    None => {
                        return Err(PyError::new(
                            args.at,
                            format!("{}() is missing the argument `{}`", def.name, param.name),
                        ));
                    }
                },
            };
            scope.set(&param.name, value);
        }
        for (name, arg) in &args.keywords {
            if !def.params.iter().any(|p| &p.name == name) {
                return Err(PyError::new(
                    arg.start,
                    format!("{}() got an unexpected keyword argument `{name}`", def.name),
                ));
            }
        }
        match self.exec_block(&def.body, &scope)? {
            Flow::Return(v) => Ok(v),
            Flow::Normal => Ok(Value::None),
        }
    }

    /// `value.attr`
    pub fn get_attr(&mut self, value: Value, attr: &str, at: usize) -> PyResult<Value> {
        match &value {
            Value::Native(n) => native::get_attr(n, self, attr, at),
            _ => builtins::method(value, attr, at),
        }
    }

    /// `l op r`
    pub fn binary(&mut self, op: BinOp, l: Value, r: Value, at: usize) -> PyResult<Value> {
        if matches!(l, Value::Native(_)) || matches!(r, Value::Native(_)) {
            return native::binary(self, op, l, r, at);
        }
        builtins::binary(op, l, r, at)
    }

    fn unary(&mut self, op: UnaryOp, v: Value, at: usize) -> PyResult<Value> {
        if let Value::Native(n) = &v {
            return native::unary(n, op, at);
        }
        match (op, &v) {
            (UnaryOp::Not, _) => Ok(Value::Bool(
                !v.truthy().ok_or_else(|| ambiguous_truth(&v, at))?,
            )),
            (UnaryOp::Neg, Value::Int(i)) => Ok(Value::Int(-i)),
            (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
            (UnaryOp::Pos, Value::Int(_) | Value::Float(_)) => Ok(v),
            (UnaryOp::Invert, Value::Int(i)) => Ok(Value::Int(!i)),
            (UnaryOp::Invert, Value::Bool(b)) => Ok(Value::Int(!i64::from(*b))),
            _ => Err(PyError::new(
                at,
                format!("bad operand type for unary operator: {}", v.type_name()),
            )),
        }
    }

    fn compare(&mut self, op: CmpOp, l: Value, r: Value, at: usize) -> PyResult<Value> {
        let native_involved = matches!(l, Value::Native(_)) || matches!(r, Value::Native(_));
        if native_involved && !matches!(op, CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot) {
            return native::compare(self, op, l, r, at);
        }
        builtins::compare(op, &l, &r, at).map(Value::Bool)
    }
}

/// A query error's text without its trailing position (shown separately).
pub fn query_message(e: &query::QueryError) -> String {
    match e {
        query::QueryError::Syntax { message, .. } => format!("[PARSE_SYNTAX_ERROR] {message}"),
        query::QueryError::Analysis { class, message, .. }
        | query::QueryError::Execution { class, message, .. } => format!("[{class}] {message}"),
        query::QueryError::Unsupported { message, .. } => {
            format!("[UNSUPPORTED_FEATURE] {message}")
        }
        other => other.to_string(),
    }
}

fn ambiguous_truth(value: &Value, at: usize) -> PyError {
    PyError::new(
        at,
        format!(
            "cannot use a {} as a Python condition; for columns use `&`, `|`, `~` and `F.when(...)` instead of `and`, `or`, `not` and `if`",
            value.type_name()
        ),
    )
}
