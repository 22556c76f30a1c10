//! The evaluator: runs a pipeline file's statements (imports, constants, decorated functions)
//! and evaluates expressions with Python's semantics for plain values, delegating pipeline
//! objects (Spark, DataFrames, columns, Tempo) to [`super::native`].

use std::cell::RefCell;
use std::rc::Rc;

mod args;
mod eval;

use crate::diagnostic::Location;
use crate::python::ast::{
    Arg as AstArg, BinOp, CmpOp, Expr, ExprKind, FPart, Stmt, StmtKind, UnaryOp,
};
use crate::python::builtins;
use crate::python::env::Env;
use crate::python::error::{PyError, PyResult};
use crate::python::native::{self, Native};
use crate::python::value::{Closure, LambdaValue, Value};
use crate::sources::text::LineIndex;
use crate::suggest;

/// Most nested calls before evaluation stops (a recursive helper would otherwise overflow).
const MAX_CALL_DEPTH: usize = 64;

/// Most loop iterations one file may run in all: a `range()` is at most a million long, and
/// loops nested in loops would otherwise run for hours. Pipeline files loop over a few names.
pub const MAX_LOOP_STEPS: usize = 10_000_000;

pub use args::{Arg, Args};

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
    /// Loop iterations run so far.
    steps: usize,
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
            steps: 0,
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
                    self.steps += 1;
                    if self.steps > MAX_LOOP_STEPS {
                        return Err(PyError::new(
                            iter.start,
                            format!(
                                "loops ran more than {MAX_LOOP_STEPS} times in this file (MAX_LOOP_STEPS): a pipeline file describes tables, it does not compute over data"
                            ),
                        ));
                    }
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
}

pub use crate::error::query_message;

fn ambiguous_truth(value: &Value, at: usize) -> PyError {
    PyError::new(
        at,
        format!(
            "cannot use a {} as a Python condition; for columns use `&`, `|`, `~` and `F.when(...)` instead of `and`, `or`, `not` and `if`",
            value.type_name()
        ),
    )
}
