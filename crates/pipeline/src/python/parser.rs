//! A recursive-descent parser for the Python subset pipeline files use. Constructs outside the
//! subset (classes, `try`, `with`, `while`, …) are errors at their position that say what is
//! supported, never silently skipped.

use std::rc::Rc;

use super::ast::{
    Arg, BinOp, CmpOp, Expr, ExprKind, FPart, FunctionDef, Param, Stmt, StmtKind, UnaryOp,
};
use super::lexer::{LexError, StrLit, Tok, Token, tokenize};

/// What statements the subset supports, for error messages.
pub const SUPPORTED_STATEMENTS: &str =
    "imports, assignments, `def` with decorators, `return`, `if`/`else`, `for` and expressions";

/// Parse a whole file.
///
/// # Examples
/// ```
/// use pipeline::python::{ast::StmtKind, parser::parse_module};
/// let module = parse_module("from pyspark import pipelines as dp\nx = 1\n").unwrap();
/// assert!(matches!(module[1].kind, StmtKind::Assign { .. }));
/// assert!(parse_module("class A:\n    pass\n").is_err());
/// ```
pub fn parse_module(text: &str) -> Result<Vec<Stmt>, LexError> {
    let tokens = tokenize(text)?;
    let mut p = Parser { tokens, pos: 0 };
    let mut body = Vec::new();
    while !p.at(&Tok::End) {
        body.push(p.statement()?);
    }
    Ok(body)
}

/// Parse one expression from `text` whose first byte is at `base` in the file.
pub fn parse_expression(text: &str, base: usize) -> Result<Expr, LexError> {
    let shift = |e: LexError| LexError {
        offset: e.offset + base,
        ..e
    };
    let mut tokens = tokenize(text).map_err(shift)?;
    for t in &mut tokens {
        t.start += base;
        t.end += base;
    }
    let mut p = Parser { tokens, pos: 0 };
    let expr = p.expression()?;
    p.skip_newlines();
    if !p.at(&Tok::End) {
        return Err(p.unexpected("the end of the expression"));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

type R<T> = Result<T, LexError>;

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }
    fn peek_at(&self, n: usize) -> &Token {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)]
    }
    fn at(&self, tok: &Tok) -> bool {
        &self.peek().tok == tok
    }
    fn at_op(&self, op: &str) -> bool {
        matches!(&self.peek().tok, Tok::Op(o) if *o == op)
    }
    fn at_kw(&self, kw: &str) -> bool {
        matches!(&self.peek().tok, Tok::Name(n) if n == kw)
    }
    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }
    fn eat_op(&mut self, op: &str) -> bool {
        let hit = self.at_op(op);
        self.pos += usize::from(hit);
        hit
    }
    fn eat_kw(&mut self, kw: &str) -> bool {
        let hit = self.at_kw(kw);
        self.pos += usize::from(hit);
        hit
    }
    fn skip_newlines(&mut self) {
        while self.at(&Tok::Newline) {
            self.pos += 1;
        }
    }
    fn last_end(&self) -> usize {
        self.tokens[self.pos.saturating_sub(1)].end
    }

    fn unexpected(&self, wanted: &str) -> LexError {
        let t = self.peek();
        let found = match &t.tok {
            Tok::Name(n) => format!("`{n}`"),
            Tok::Int(i) => format!("`{i}`"),
            Tok::Float(f) => format!("`{f}`"),
            Tok::Str(_) => "a string".to_string(),
            Tok::Op(o) => format!("`{o}`"),
            Tok::Newline => "the end of the line".to_string(),
            Tok::Indent => "an indented block".to_string(),
            Tok::Dedent | Tok::End => "the end of the block".to_string(),
        };
        LexError {
            offset: t.start,
            message: format!("expected {wanted}, found {found}"),
        }
    }

    fn expect_op(&mut self, op: &str) -> R<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{op}`")))
        }
    }

    fn name(&mut self) -> R<(String, usize)> {
        match &self.peek().tok {
            Tok::Name(n) if !is_keyword(n) => {
                let n = n.clone();
                let start = self.bump().start;
                Ok((n, start))
            }
            _ => Err(self.unexpected("a name")),
        }
    }

    fn end_of_statement(&mut self) -> R<()> {
        if self.eat_op(";") && !self.at(&Tok::Newline) {
            return Err(LexError {
                offset: self.peek().start,
                message: "put one statement per line".into(),
            });
        }
        match self.peek().tok {
            Tok::Newline => {
                self.pos += 1;
                Ok(())
            }
            Tok::End | Tok::Dedent => Ok(()),
            _ => Err(self.unexpected("the end of the statement")),
        }
    }

    fn statement(&mut self) -> R<Stmt> {
        let start = self.peek().start;
        if self.at_op("@") || self.at_kw("def") {
            let def = self.function_def()?;
            return Ok(Stmt {
                kind: StmtKind::FunctionDef(Rc::new(def)),
                start,
            });
        }
        if let Tok::Name(word) = &self.peek().tok {
            match word.as_str() {
                "import" => return self.import(start),
                "from" => return self.import_from(start),
                "return" => {
                    self.bump();
                    let value = if matches!(self.peek().tok, Tok::Newline | Tok::End | Tok::Dedent)
                    {
                        None
                    } else {
                        Some(self.expression_list()?)
                    };
                    self.end_of_statement()?;
                    return Ok(Stmt {
                        kind: StmtKind::Return(value),
                        start,
                    });
                }
                "pass" => {
                    self.bump();
                    self.end_of_statement()?;
                    return Ok(Stmt {
                        kind: StmtKind::Pass,
                        start,
                    });
                }
                "if" => return self.if_statement(start),
                "for" => return self.for_statement(start),
                "class" | "try" | "with" | "while" | "raise" | "assert" | "global" | "nonlocal"
                | "del" | "yield" | "async" | "await" | "break" | "continue" | "match"
                    if !matches!(self.peek_at(1).tok, Tok::Op("=" | "." | "(")) =>
                {
                    return Err(LexError {
                        offset: start,
                        message: format!(
                            "`{word}` is not supported in pipeline files; supported: {SUPPORTED_STATEMENTS}"
                        ),
                    });
                }
                _ => {}
            }
        }
        let first = self.expression_list()?;
        if self.at_op(":") {
            // Annotated assignment: the annotation is documentation.
            self.bump();
            self.expression()?;
            if !self.eat_op("=") {
                self.end_of_statement()?;
                return Ok(Stmt {
                    kind: StmtKind::Pass,
                    start,
                });
            }
            let value = self.expression_list()?;
            self.end_of_statement()?;
            return Ok(Stmt {
                kind: StmtKind::Assign {
                    targets: vec![first],
                    value,
                },
                start,
            });
        }
        if self.at_op("=") {
            let mut targets = vec![first];
            let mut value;
            loop {
                self.expect_op("=")?;
                value = self.expression_list()?;
                if !self.at_op("=") {
                    break;
                }
                targets.push(value);
            }
            for target in &targets {
                check_target(target)?;
            }
            self.end_of_statement()?;
            return Ok(Stmt {
                kind: StmtKind::Assign { targets, value },
                start,
            });
        }
        if let Tok::Op(op) = self.peek().tok
            && let Some(bin) = augmented(op)
        {
            self.bump();
            check_target(&first)?;
            let value = self.expression()?;
            self.end_of_statement()?;
            return Ok(Stmt {
                kind: StmtKind::AugAssign {
                    target: first,
                    op: bin,
                    value,
                },
                start,
            });
        }
        self.end_of_statement()?;
        Ok(Stmt {
            kind: StmtKind::Expr(first),
            start,
        })
    }

    fn import(&mut self, start: usize) -> R<Stmt> {
        self.bump();
        let mut names = Vec::new();
        loop {
            let module = self.dotted()?;
            let alias = if self.eat_kw("as") {
                Some(self.name()?.0)
            } else {
                None
            };
            names.push((module, alias));
            if !self.eat_op(",") {
                break;
            }
        }
        self.end_of_statement()?;
        Ok(Stmt {
            kind: StmtKind::Import(names),
            start,
        })
    }

    fn import_from(&mut self, start: usize) -> R<Stmt> {
        self.bump();
        let module = self.dotted()?;
        if !self.eat_kw("import") {
            return Err(self.unexpected("`import`"));
        }
        let parens = self.eat_op("(");
        let mut names = Vec::new();
        loop {
            if parens && self.at_op(")") {
                break;
            }
            if self.eat_op("*") {
                names.push(("*".to_string(), None));
            } else {
                let name = self.name()?.0;
                let alias = if self.eat_kw("as") {
                    Some(self.name()?.0)
                } else {
                    None
                };
                names.push((name, alias));
            }
            if !self.eat_op(",") {
                break;
            }
        }
        if parens {
            self.expect_op(")")?;
        }
        self.end_of_statement()?;
        Ok(Stmt {
            kind: StmtKind::FromImport { module, names },
            start,
        })
    }

    fn dotted(&mut self) -> R<String> {
        let mut parts = vec![self.name()?.0];
        while self.eat_op(".") {
            parts.push(self.name()?.0);
        }
        Ok(parts.join("."))
    }

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect_op(":")?;
        if !self.at(&Tok::Newline) {
            // One-line body: `def f(): return x`.
            let stmt = self.statement()?;
            return Ok(vec![stmt]);
        }
        self.bump();
        if !self.at(&Tok::Indent) {
            return Err(self.unexpected("an indented block"));
        }
        self.bump();
        let mut body = Vec::new();
        while !self.at(&Tok::Dedent) && !self.at(&Tok::End) {
            body.push(self.statement()?);
        }
        self.pos += usize::from(self.at(&Tok::Dedent));
        Ok(body)
    }

    fn function_def(&mut self) -> R<FunctionDef> {
        let mut decorators = Vec::new();
        while self.eat_op("@") {
            decorators.push(self.expression()?);
            if !self.at(&Tok::Newline) {
                return Err(self.unexpected("the end of the decorator line"));
            }
            self.bump();
        }
        let start = self.peek().start;
        if !self.eat_kw("def") {
            return Err(self.unexpected("`def` after the decorators"));
        }
        let (name, name_start) = self.name()?;
        self.expect_op("(")?;
        let params = self.params(")")?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            self.expression()?;
        }
        let body = self.block()?;
        Ok(FunctionDef {
            name,
            name_start,
            params,
            decorators,
            body,
            start,
        })
    }

    fn params(&mut self, close: &str) -> R<Vec<Param>> {
        let mut params = Vec::new();
        while !self.at_op(close) {
            if self.at_op("*") || self.at_op("**") {
                return Err(LexError {
                    offset: self.peek().start,
                    message:
                        "`*args` and `**kwargs` parameters are not supported in pipeline files"
                            .into(),
                });
            }
            let name = self.name()?.0;
            if close == ")" && self.eat_op(":") {
                self.expression()?;
            }
            let default = if self.eat_op("=") {
                Some(self.expression()?)
            } else {
                None
            };
            params.push(Param { name, default });
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(params)
    }

    fn if_statement(&mut self, start: usize) -> R<Stmt> {
        self.bump();
        let test = self.expression()?;
        let body = self.block()?;
        let orelse = if self.at_kw("elif") {
            let elif_start = self.peek().start;
            vec![self.if_statement(elif_start)?]
        } else if self.eat_kw("else") {
            self.block()?
        } else {
            Vec::new()
        };
        Ok(Stmt {
            kind: StmtKind::If { test, body, orelse },
            start,
        })
    }

    fn for_statement(&mut self, start: usize) -> R<Stmt> {
        self.bump();
        let target = self.target_list()?;
        if !self.eat_kw("in") {
            return Err(self.unexpected("`in`"));
        }
        let iter = self.expression_list()?;
        let body = self.block()?;
        if self.at_kw("else") {
            return Err(LexError {
                offset: self.peek().start,
                message: "`for … else` is not supported in pipeline files".into(),
            });
        }
        Ok(Stmt {
            kind: StmtKind::For { target, iter, body },
            start,
        })
    }

    fn target_list(&mut self) -> R<Expr> {
        let start = self.peek().start;
        // Targets stop before `in`, so they are parsed below the comparison level.
        let mut items = vec![self.binary(0)?];
        while self.eat_op(",") {
            items.push(self.binary(0)?);
        }
        let target = if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr {
                kind: ExprKind::Tuple(items),
                start,
                end: self.last_end(),
            }
        };
        check_target(&target)?;
        Ok(target)
    }

    /// `a, b, c` (a tuple) or a single expression.
    fn expression_list(&mut self) -> R<Expr> {
        let start = self.peek().start;
        let first = self.expression()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if matches!(self.peek().tok, Tok::Newline | Tok::Op("=" | ")")) {
                break;
            }
            items.push(self.expression()?);
        }
        Ok(Expr {
            kind: ExprKind::Tuple(items),
            start,
            end: self.last_end(),
        })
    }

    fn expression(&mut self) -> R<Expr> {
        if self.at_kw("lambda") {
            let start = self.bump().start;
            let params = self.params(":")?;
            self.expect_op(":")?;
            let body = self.expression()?;
            return Ok(Expr {
                end: body.end,
                kind: ExprKind::Lambda(params, Box::new(body)),
                start,
            });
        }
        let body = self.or_expr()?;
        if self.eat_kw("if") {
            let test = self.or_expr()?;
            if !self.eat_kw("else") {
                return Err(self.unexpected("`else` in the conditional expression"));
            }
            let orelse = self.expression()?;
            let (start, end) = (body.start, orelse.end);
            return Ok(Expr {
                kind: ExprKind::IfElse(Box::new(body), Box::new(test), Box::new(orelse)),
                start,
                end,
            });
        }
        Ok(body)
    }

    fn or_expr(&mut self) -> R<Expr> {
        let mut left = self.and_expr()?;
        while self.eat_kw("or") {
            let right = self.and_expr()?;
            left = join(left, right, ExprKind::Or);
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> R<Expr> {
        let mut left = self.not_expr()?;
        while self.eat_kw("and") {
            let right = self.not_expr()?;
            left = join(left, right, ExprKind::And);
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> R<Expr> {
        if self.at_kw("not") {
            let start = self.bump().start;
            let operand = self.not_expr()?;
            return Ok(Expr {
                end: operand.end,
                kind: ExprKind::Unary(UnaryOp::Not, Box::new(operand)),
                start,
            });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> R<Expr> {
        let left = self.binary(0)?;
        let Some(op) = self.compare_op() else {
            return Ok(left);
        };
        let right = self.binary(0)?;
        if self.compare_op().is_some() {
            return Err(LexError { offset: right.end, message: "chained comparisons (`a < b < c`) are not supported; combine two comparisons with `and` (or `&` for columns)".into() });
        }
        Ok(join(left, right, |l, r| ExprKind::Compare(op, l, r)))
    }

    fn compare_op(&mut self) -> Option<CmpOp> {
        let op = match &self.peek().tok {
            Tok::Op("==") => CmpOp::Eq,
            Tok::Op("!=") => CmpOp::NotEq,
            Tok::Op("<") => CmpOp::Lt,
            Tok::Op("<=") => CmpOp::LtE,
            Tok::Op(">") => CmpOp::Gt,
            Tok::Op(">=") => CmpOp::GtE,
            Tok::Name(n) if n == "in" => CmpOp::In,
            Tok::Name(n) if n == "is" => {
                self.bump();
                return Some(if self.eat_kw("not") {
                    CmpOp::IsNot
                } else {
                    CmpOp::Is
                });
            }
            Tok::Name(n)
                if n == "not" && matches!(&self.peek_at(1).tok, Tok::Name(m) if m == "in") =>
            {
                self.pos += 2;
                return Some(CmpOp::NotIn);
            }
            _ => return None,
        };
        self.bump();
        Some(op)
    }

    /// Binary operators by precedence level: `|`, `^`, `&`, `+ -`, `* / // %`.
    fn binary(&mut self, level: usize) -> R<Expr> {
        const LEVELS: &[&[(&str, BinOp)]] = &[
            &[("|", BinOp::BitOr)],
            &[("^", BinOp::BitXor)],
            &[("&", BinOp::BitAnd)],
            &[("+", BinOp::Add), ("-", BinOp::Sub)],
            &[
                ("*", BinOp::Mul),
                ("/", BinOp::Div),
                ("//", BinOp::FloorDiv),
                ("%", BinOp::Mod),
            ],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut left = self.binary(level + 1)?;
        while let Tok::Op(op) = self.peek().tok {
            let Some((_, bin)) = LEVELS[level].iter().find(|(s, _)| *s == op) else {
                break;
            };
            self.bump();
            let right = self.binary(level + 1)?;
            left = join(left, right, |l, r| ExprKind::Binary(*bin, l, r));
        }
        Ok(left)
    }

    fn unary(&mut self) -> R<Expr> {
        let op = match self.peek().tok {
            Tok::Op("-") => UnaryOp::Neg,
            Tok::Op("+") => UnaryOp::Pos,
            Tok::Op("~") => UnaryOp::Invert,
            _ => return self.power(),
        };
        let start = self.bump().start;
        let operand = self.unary()?;
        Ok(Expr {
            end: operand.end,
            kind: ExprKind::Unary(op, Box::new(operand)),
            start,
        })
    }

    fn power(&mut self) -> R<Expr> {
        let base = self.postfix()?;
        if self.eat_op("**") {
            let exponent = self.unary()?;
            return Ok(join(base, exponent, |l, r| {
                ExprKind::Binary(BinOp::Pow, l, r)
            }));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> R<Expr> {
        let mut expr = self.atom()?;
        loop {
            if self.eat_op(".") {
                let (attr, _) = self.name()?;
                expr = Expr {
                    start: expr.start,
                    end: self.last_end(),
                    kind: ExprKind::Attribute(Box::new(expr), attr),
                };
            } else if self.at_op("(") {
                self.bump();
                let args = self.call_args()?;
                self.expect_op(")")?;
                expr = Expr {
                    start: expr.start,
                    end: self.last_end(),
                    kind: ExprKind::Call(Box::new(expr), args),
                };
            } else if self.at_op("[") {
                self.bump();
                let index = self.subscript()?;
                self.expect_op("]")?;
                expr = Expr {
                    start: expr.start,
                    end: self.last_end(),
                    kind: ExprKind::Subscript(Box::new(expr), Box::new(index)),
                };
            } else {
                return Ok(expr);
            }
        }
    }

    fn subscript(&mut self) -> R<Expr> {
        let start = self.peek().start;
        let lower = if self.at_op(":") {
            None
        } else {
            Some(Box::new(self.expression()?))
        };
        if !self.eat_op(":") {
            return Ok(*lower.expect("not a slice, so an index was parsed"));
        }
        let upper = if self.at_op("]") {
            None
        } else {
            Some(Box::new(self.expression()?))
        };
        Ok(Expr {
            kind: ExprKind::Slice(lower, upper),
            start,
            end: self.last_end(),
        })
    }

    fn call_args(&mut self) -> R<Vec<Arg>> {
        let mut args: Vec<Arg> = Vec::new();
        while !self.at_op(")") {
            let star = if self.eat_op("**") {
                2
            } else if self.eat_op("*") {
                1
            } else {
                0
            };
            let keyword = star == 0
                && matches!(self.peek().tok, Tok::Name(_))
                && matches!(self.peek_at(1).tok, Tok::Op("="));
            if keyword {
                let (name, at) = self.name()?;
                self.bump();
                if args
                    .iter()
                    .any(|a| a.name.as_deref() == Some(name.as_str()))
                {
                    return Err(LexError {
                        offset: at,
                        message: format!("keyword argument `{name}` repeated"),
                    });
                }
                let value = self.expression()?;
                args.push(Arg {
                    name: Some(name),
                    value,
                    star,
                });
            } else {
                if star == 0 && args.iter().any(|a| a.name.is_some()) {
                    return Err(LexError {
                        offset: self.peek().start,
                        message: "positional argument follows keyword argument".into(),
                    });
                }
                let value = self.expression()?;
                if star == 0 && self.at_kw("for") && args.is_empty() {
                    // A generator argument, as in `F.array(F.col(c) for c in cols)`.
                    let comp = self.comprehension(value)?;
                    args.push(Arg {
                        name: None,
                        value: comp,
                        star,
                    });
                    break;
                }
                args.push(Arg {
                    name: None,
                    value,
                    star,
                });
            }
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(args)
    }

    fn comprehension(&mut self, elt: Expr) -> R<Expr> {
        let start = elt.start;
        self.bump(); // for
        let target = self.target_list()?;
        if !self.eat_kw("in") {
            return Err(self.unexpected("`in`"));
        }
        let iter = self.or_expr()?;
        let cond = if self.eat_kw("if") {
            Some(Box::new(self.or_expr()?))
        } else {
            None
        };
        if self.at_kw("for") {
            return Err(LexError {
                offset: self.peek().start,
                message: "nested comprehensions are not supported; use two steps".into(),
            });
        }
        Ok(Expr {
            kind: ExprKind::ListComp {
                elt: Box::new(elt),
                target: Box::new(target),
                iter: Box::new(iter),
                cond,
            },
            start,
            end: self.last_end(),
        })
    }

    fn atom(&mut self) -> R<Expr> {
        let token = self.peek().clone();
        let start = token.start;
        let kind = match token.tok {
            Tok::Name(ref n) if n == "None" => ExprKind::NoneLit,
            Tok::Name(ref n) if n == "True" => ExprKind::Bool(true),
            Tok::Name(ref n) if n == "False" => ExprKind::Bool(false),
            Tok::Name(ref n) if !is_keyword(n) => ExprKind::Name(n.clone()),
            Tok::Int(i) => ExprKind::Int(i),
            Tok::Float(f) => ExprKind::Float(f),
            Tok::Str(_) => return self.strings(),
            Tok::Op("(") => {
                self.bump();
                if self.eat_op(")") {
                    return Ok(Expr {
                        kind: ExprKind::Tuple(Vec::new()),
                        start,
                        end: self.last_end(),
                    });
                }
                let first = self.expression()?;
                if self.at_kw("for") {
                    let comp = self.comprehension(first)?;
                    self.expect_op(")")?;
                    return Ok(comp);
                }
                if self.eat_op(")") {
                    return Ok(Expr {
                        start,
                        end: self.last_end(),
                        ..first
                    });
                }
                let mut items = vec![first];
                while self.eat_op(",") {
                    if self.at_op(")") {
                        break;
                    }
                    items.push(self.expression()?);
                }
                self.expect_op(")")?;
                return Ok(Expr {
                    kind: ExprKind::Tuple(items),
                    start,
                    end: self.last_end(),
                });
            }
            Tok::Op("[") => {
                self.bump();
                if self.eat_op("]") {
                    return Ok(Expr {
                        kind: ExprKind::List(Vec::new()),
                        start,
                        end: self.last_end(),
                    });
                }
                let first = self.expression()?;
                if self.at_kw("for") {
                    let comp = self.comprehension(first)?;
                    self.expect_op("]")?;
                    return Ok(Expr {
                        start,
                        end: self.last_end(),
                        ..comp
                    });
                }
                let mut items = vec![first];
                while self.eat_op(",") {
                    if self.at_op("]") {
                        break;
                    }
                    items.push(self.expression()?);
                }
                self.expect_op("]")?;
                return Ok(Expr {
                    kind: ExprKind::List(items),
                    start,
                    end: self.last_end(),
                });
            }
            Tok::Op("{") => {
                self.bump();
                let mut items = Vec::new();
                while !self.at_op("}") {
                    let key = self.expression()?;
                    if !self.eat_op(":") {
                        return Err(LexError {
                            offset: key.start,
                            message: "sets are not supported; use a list `[...]`".into(),
                        });
                    }
                    let value = self.expression()?;
                    items.push((key, value));
                    if !self.eat_op(",") {
                        break;
                    }
                }
                self.expect_op("}")?;
                return Ok(Expr {
                    kind: ExprKind::Dict(items),
                    start,
                    end: self.last_end(),
                });
            }
            _ => return Err(self.unexpected("an expression")),
        };
        let end = self.bump().end;
        Ok(Expr { kind, start, end })
    }

    /// Adjacent string literals, joined; f-string pieces are parsed into parts.
    fn strings(&mut self) -> R<Expr> {
        let start = self.peek().start;
        let mut parts: Vec<FPart> = Vec::new();
        let mut formatted = false;
        while let Tok::Str(lit) = &self.peek().tok {
            let lit: StrLit = lit.clone();
            if lit.bytes {
                return Err(LexError {
                    offset: self.peek().start,
                    message: "bytes literals are not supported in pipeline files".into(),
                });
            }
            self.bump();
            if lit.formatted {
                formatted = true;
                parts.extend(fstring_parts(&lit)?);
            } else {
                parts.push(FPart::Text(lit.value));
            }
        }
        let end = self.last_end();
        if !formatted {
            let text = parts
                .into_iter()
                .map(|p| match p {
                    FPart::Text(t) => t,
                    FPart::Value { .. } => String::new(),
                })
                .collect();
            return Ok(Expr {
                kind: ExprKind::Str(text),
                start,
                end,
            });
        }
        Ok(Expr {
            kind: ExprKind::FString(parts),
            start,
            end,
        })
    }
}

fn join(left: Expr, right: Expr, make: impl FnOnce(Box<Expr>, Box<Expr>) -> ExprKind) -> Expr {
    let (start, end) = (left.start, right.end);
    Expr {
        kind: make(Box::new(left), Box::new(right)),
        start,
        end,
    }
}

fn augmented(op: &str) -> Option<BinOp> {
    Some(match op {
        "+=" => BinOp::Add,
        "-=" => BinOp::Sub,
        "*=" => BinOp::Mul,
        "/=" => BinOp::Div,
        "|=" => BinOp::BitOr,
        "&=" => BinOp::BitAnd,
        _ => return None,
    })
}

fn check_target(target: &Expr) -> R<()> {
    match &target.kind {
        ExprKind::Name(_) | ExprKind::Subscript(..) => Ok(()),
        ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().try_for_each(check_target),
        ExprKind::Attribute(..) => Err(LexError {
            offset: target.start,
            message: "assigning to an attribute is not supported in pipeline files".into(),
        }),
        _ => Err(LexError {
            offset: target.start,
            message: "cannot assign to this expression".into(),
        }),
    }
}

fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

/// Split an f-string body into text and `{expression}` parts.
fn fstring_parts(lit: &StrLit) -> R<Vec<FPart>> {
    let body = &lit.value;
    let bytes = body.as_bytes();
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => {
                text.push('{');
                i += 2;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => {
                text.push('}');
                i += 2;
            }
            b'{' => {
                let close = matching_brace(body, i + 1).ok_or_else(|| LexError {
                    offset: lit.body_start + i,
                    message: "f-string: `{` is never closed".into(),
                })?;
                let inner = &body[i + 1..close];
                let (expr_text, spec) = split_format_spec(inner);
                let expr_text = expr_text
                    .strip_suffix("!r")
                    .or_else(|| expr_text.strip_suffix("!s"))
                    .unwrap_or(expr_text);
                let expr_text = expr_text.strip_suffix('=').unwrap_or(expr_text);
                let expr = parse_expression(expr_text, lit.body_start + i + 1)?;
                if !text.is_empty() {
                    parts.push(FPart::Text(std::mem::take(&mut text)));
                }
                parts.push(FPart::Value {
                    expr: Box::new(expr),
                    spec: spec.map(str::to_string),
                });
                i = close + 1;
            }
            b'}' => {
                return Err(LexError {
                    offset: lit.body_start + i,
                    message: "f-string: single `}` is not allowed (write `}}`)".into(),
                });
            }
            _ => {
                let ch = body[i..].chars().next().unwrap_or(' ');
                text.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    if !text.is_empty() {
        parts.push(FPart::Text(text));
    }
    Ok(parts)
}

fn matching_brace(body: &str, from: usize) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (offset, c) in body[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            (None, '}') if depth == 0 => return Some(from + offset),
            (None, '}') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `expr:spec` → (`expr`, `spec`), ignoring `:` inside brackets, strings and lambdas' `!=`.
fn split_format_spec(inner: &str) -> (&str, Option<&str>) {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ':') if depth == 0 => return (&inner[..i], Some(&inner[i + 1..])),
            _ => {}
        }
    }
    (inner, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> ExprKind {
        parse_expression(text, 0).unwrap().kind
    }

    #[test]
    fn test_decorated_function() {
        let module = parse_module("@dp.table(name=\"t\")\n@dp.expect(\"a\", \"x > 0\")\ndef t():\n    return spark.read.table(\"s\")\n").unwrap();
        let StmtKind::FunctionDef(def) = &module[0].kind else {
            panic!("def")
        };
        assert_eq!(
            (def.name.as_str(), def.decorators.len(), def.body.len()),
            ("t", 2, 1)
        );
    }

    #[test]
    fn test_operator_precedence_of_column_expressions() {
        // `&` binds tighter than `|`, comparisons need parentheses as in PySpark.
        let ExprKind::Binary(BinOp::BitOr, left, _) = expr("(a > 1) & (b < 2) | (c == 3)") else {
            panic!("or at top")
        };
        assert!(matches!(left.kind, ExprKind::Binary(BinOp::BitAnd, ..)));
    }

    #[test]
    fn test_fstring_parts_and_positions() {
        let ExprKind::FString(parts) = expr("f\"/Volumes/{catalog}/{schema}\"") else {
            panic!("fstring")
        };
        assert_eq!(parts.len(), 4);
        let FPart::Value { expr, .. } = &parts[1] else {
            panic!("value")
        };
        assert_eq!((expr.start, expr.end), (12, 19));
    }

    #[test]
    fn test_implicit_string_concatenation() {
        assert_eq!(expr("(\"a, \"\n \"b\")"), ExprKind::Str("a, b".into()));
    }

    #[test]
    fn test_unsupported_statement_is_located() {
        let err = parse_module("x = 1\ntry:\n    pass\nexcept Exception:\n    pass\n").unwrap_err();
        assert_eq!(err.offset, 6);
        assert!(err.message.contains("`try` is not supported"));
    }

    #[test]
    fn test_list_comprehension_and_lambda() {
        assert!(matches!(
            expr("[F.col(c) for c in cols if c != 'x']"),
            ExprKind::ListComp { .. }
        ));
        assert!(matches!(
            expr("lambda df: df.limit(1)"),
            ExprKind::Lambda(..)
        ));
    }

    #[test]
    fn test_chained_comparison_is_rejected() {
        assert!(
            parse_expression("1 < x < 3", 0)
                .unwrap_err()
                .message
                .contains("chained comparisons")
        );
    }

    #[test]
    fn test_multiple_assignment_targets() {
        let module = parse_module("a = b = 1\nc, d = 1, 2\n").unwrap();
        let StmtKind::Assign { targets, .. } = &module[0].kind else {
            panic!()
        };
        assert_eq!(targets.len(), 2);
    }
}
