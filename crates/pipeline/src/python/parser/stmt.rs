//! Statements of the Python subset: imports, assignments, `def` with decorators, `return`,
//! `if`/`else` and `for`; anything else is an error naming what is supported.

use std::rc::Rc;

use super::{Parser, R, SUPPORTED_STATEMENTS, augmented, check_target};
use crate::python::ast::{Expr, ExprKind, FunctionDef, Param, Stmt, StmtKind};
use crate::python::lexer::{LexError, Tok};

impl Parser {
    pub(super) fn statement(&mut self) -> R<Stmt> {
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

    pub(super) fn import(&mut self, start: usize) -> R<Stmt> {
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

    pub(super) fn import_from(&mut self, start: usize) -> R<Stmt> {
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

    pub(super) fn dotted(&mut self) -> R<String> {
        let mut parts = vec![self.name()?.0];
        while self.eat_op(".") {
            parts.push(self.name()?.0);
        }
        Ok(parts.join("."))
    }

    pub(super) fn block(&mut self) -> R<Vec<Stmt>> {
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

    pub(super) fn function_def(&mut self) -> R<FunctionDef> {
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

    pub(super) fn params(&mut self, close: &str) -> R<Vec<Param>> {
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

    pub(super) fn if_statement(&mut self, start: usize) -> R<Stmt> {
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

    pub(super) fn for_statement(&mut self, start: usize) -> R<Stmt> {
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

    pub(super) fn target_list(&mut self) -> R<Expr> {
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
    pub(super) fn expression_list(&mut self) -> R<Expr> {
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
}
