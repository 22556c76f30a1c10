//! Expressions and calls: Python's semantics for plain values, pipeline objects delegated to
//! [`crate::python::native`].

use super::*;

impl Interp<'_> {
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

    pub(super) fn eval_all(&mut self, items: &[Expr], env: &Rc<Env>) -> PyResult<Vec<Value>> {
        items.iter().map(|e| self.eval(e, env)).collect()
    }

    pub(super) fn eval_args(
        &mut self,
        args: &[AstArg],
        env: &Rc<Env>,
        at: usize,
    ) -> PyResult<Args> {
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
    pub(super) fn string_body(&self, start: usize) -> usize {
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

    pub(super) fn call_closure(&mut self, closure: &Closure, args: Args) -> PyResult<Value> {
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

    pub(super) fn unary(&mut self, op: UnaryOp, v: Value, at: usize) -> PyResult<Value> {
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

    pub(super) fn compare(&mut self, op: CmpOp, l: Value, r: Value, at: usize) -> PyResult<Value> {
        let native_involved = matches!(l, Value::Native(_)) || matches!(r, Value::Native(_));
        if native_involved && !matches!(op, CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot) {
            return native::compare(self, op, l, r, at);
        }
        builtins::compare(op, &l, &r, at).map(Value::Bool)
    }
}
