//! Expressions of the Python subset: operators by precedence, calls, subscripts, comprehensions,
//! lambdas, literals and (f-)strings.

use super::fstring::fstring_parts;
use super::{Parser, R, is_keyword};
use crate::python::ast::{Arg, BinOp, CmpOp, Expr, ExprKind, FPart, UnaryOp};
use crate::python::lexer::{LexError, StrLit, Tok};

impl Parser {
    pub(super) fn expression(&mut self) -> R<Expr> {
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

    pub(super) fn or_expr(&mut self) -> R<Expr> {
        let mut left = self.and_expr()?;
        while self.eat_kw("or") {
            let right = self.and_expr()?;
            left = join(left, right, ExprKind::Or);
        }
        Ok(left)
    }

    pub(super) fn and_expr(&mut self) -> R<Expr> {
        let mut left = self.not_expr()?;
        while self.eat_kw("and") {
            let right = self.not_expr()?;
            left = join(left, right, ExprKind::And);
        }
        Ok(left)
    }

    pub(super) fn not_expr(&mut self) -> R<Expr> {
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

    pub(super) fn comparison(&mut self) -> R<Expr> {
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

    pub(super) fn compare_op(&mut self) -> Option<CmpOp> {
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
    pub(super) fn binary(&mut self, level: usize) -> R<Expr> {
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

    pub(super) fn unary(&mut self) -> R<Expr> {
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

    pub(super) fn power(&mut self) -> R<Expr> {
        let base = self.postfix()?;
        if self.eat_op("**") {
            let exponent = self.unary()?;
            return Ok(join(base, exponent, |l, r| {
                ExprKind::Binary(BinOp::Pow, l, r)
            }));
        }
        Ok(base)
    }

    pub(super) fn postfix(&mut self) -> R<Expr> {
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

    pub(super) fn subscript(&mut self) -> R<Expr> {
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

    pub(super) fn call_args(&mut self) -> R<Vec<Arg>> {
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

    pub(super) fn comprehension(&mut self, elt: Expr) -> R<Expr> {
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

    pub(super) fn atom(&mut self) -> R<Expr> {
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
    pub(super) fn strings(&mut self) -> R<Expr> {
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
