//! Lowering sqlparser's expression AST to [`Expr`], the front-end-neutral form the analyzer
//! resolves. Spark's special syntax becomes ordinary calls here (`EXTRACT`, `POSITION`,
//! `SUBSTRING ... FROM ... FOR`, `TRIM(BOTH ... FROM ...)`, `LIKE`, `DIV`, `||`, ...).
//! Calls and window specs are lowered in `lower_call.rs`, literals in `lower_literal.rs`.

use std::sync::Arc;

use sqlparser::ast::{
    self, AccessExpr, BinaryOperator, CastKind as AstCastKind, InTarget, NamedWindowDefinition,
    OrderByExpr, OrderBySort, Spanned, Subscript, TrimWhereField, UnaryOperator, Value,
};

use crate::error::{QueryError, Result, Span};
use crate::expr::{Expr, SortExpr, Subquery, call, lit};
use crate::sql::SourceOrigin;
use crate::sql::literal;
use crate::types::SparkType;

/// Lowers the expressions of one SELECT (which may name windows in its WINDOW clause).
pub(crate) struct Lowering<'a> {
    /// Where the query text starts in its file.
    pub origin: SourceOrigin,
    /// `WINDOW w AS (...)` definitions in scope.
    pub windows: &'a [NamedWindowDefinition],
}

/// `DATE'...'` and `TIMESTAMP'...'` must hold a valid value: Spark rejects the query while
/// parsing it (`INVALID_TYPED_LITERAL`), before any row is read.
fn check_typed_literal(text: &str, to: &SparkType, span: Option<Span>) -> Result<()> {
    if !matches!(
        to,
        SparkType::Date | SparkType::Timestamp | SparkType::TimestampNtz
    ) {
        return Ok(());
    }
    let value: arrow::array::ArrayRef =
        std::sync::Arc::new(arrow::array::StringArray::from(vec![text]));
    let parsed = crate::functions::cast::cast(
        &value,
        &SparkType::String,
        to,
        crate::functions::cast::CastMode::Try,
    )?;
    if arrow::array::Array::is_valid(parsed.as_ref(), 0) {
        return Ok(());
    }
    Err(QueryError::Analysis {
        class: crate::error::ErrorClass::InvalidTypedLiteral,
        message: format!(
            "The value of the typed literal {} is invalid: '{text}'.",
            to.sql_name()
        ),
        span,
        suggestions: Vec::new(),
    })
}

pub(crate) fn unsupported(what: impl Into<String>, span: Option<Span>) -> QueryError {
    QueryError::Unsupported {
        message: what.into(),
        span,
    }
}

impl Lowering<'_> {
    pub(crate) fn span(&self, node: &impl Spanned) -> Option<Span> {
        self.origin.span(node.span())
    }

    /// Lower one expression.
    pub fn expr(&self, e: &ast::Expr) -> Result<Expr> {
        use ast::Expr as A;
        let b = |x: Expr| Box::new(x);
        Ok(match e {
            A::Identifier(id) => Expr::Column {
                parts: vec![id.value.clone()],
                span: self.origin.span(id.span),
            },
            A::CompoundIdentifier(ids) => Expr::Column {
                parts: ids.iter().map(|i| i.value.clone()).collect(),
                span: self.span(e),
            },
            A::CompoundFieldAccess { root, access_chain } => {
                let mut out = self.expr(root)?;
                for access in access_chain {
                    out = match access {
                        AccessExpr::Dot(A::Identifier(id)) => Expr::Field {
                            expr: b(out),
                            name: id.value.clone(),
                        },
                        AccessExpr::Subscript(Subscript::Index { index }) => Expr::Index {
                            expr: b(out),
                            index: b(self.expr(index)?),
                        },
                        other => {
                            return Err(unsupported(
                                format!("the access `{other}` is not supported"),
                                self.span(e),
                            ));
                        }
                    };
                }
                out
            }
            A::Value(v) => self.value(&v.value, self.origin.span(v.span))?,
            A::TypedString(ts) => {
                let to = self.data_type(&ts.data_type, self.span(e))?;
                let text = match &ts.value.value {
                    Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => {
                        literal::unescape(s)
                    }
                    other => other.to_string(),
                };
                check_typed_literal(&text, &to, self.span(e))?;
                Expr::Cast {
                    expr: b(lit(text)),
                    to,
                    try_cast: false,
                }
            }
            A::Interval(iv) => self.interval(iv, self.span(e))?,
            A::Nested(inner) => self.expr(inner)?,
            A::UnaryOp { op, expr } => match op {
                UnaryOperator::Minus => self.negate(expr)?,
                UnaryOperator::Plus => self.expr(expr)?,
                UnaryOperator::Not | UnaryOperator::BangNot => Expr::Not(b(self.expr(expr)?)),
                UnaryOperator::BitwiseNot => call("~", vec![self.expr(expr)?]),
                other => return Err(unsupported(format!("the operator `{other}`"), self.span(e))),
            },
            A::BinaryOp { left, op, right } => {
                let (l, r) = (self.expr(left)?, self.expr(right)?);
                match op {
                    BinaryOperator::And => Expr::And(b(l), b(r)),
                    BinaryOperator::Or => Expr::Or(b(l), b(r)),
                    other => {
                        let name = binary_name(other).ok_or_else(|| {
                            unsupported(format!("the operator `{other}`"), self.span(e))
                        })?;
                        self.spanned_call(name, vec![l, r], e)
                    }
                }
            }
            A::IsNull(x) | A::IsUnknown(x) => Expr::IsNull {
                expr: b(self.expr(x)?),
                negated: false,
            },
            A::IsNotNull(x) | A::IsNotUnknown(x) => Expr::IsNull {
                expr: b(self.expr(x)?),
                negated: true,
            },
            A::IsTrue(x) => call("<=>", vec![self.expr(x)?, lit(true)]),
            A::IsFalse(x) => call("<=>", vec![self.expr(x)?, lit(false)]),
            A::IsNotTrue(x) => Expr::Not(b(call("<=>", vec![self.expr(x)?, lit(true)]))),
            A::IsNotFalse(x) => Expr::Not(b(call("<=>", vec![self.expr(x)?, lit(false)]))),
            A::IsDistinctFrom(l, r) => {
                Expr::Not(b(call("<=>", vec![self.expr(l)?, self.expr(r)?])))
            }
            A::IsNotDistinctFrom(l, r) => call("<=>", vec![self.expr(l)?, self.expr(r)?]),
            A::In {
                expr,
                target,
                negated,
                ..
            } => match target {
                InTarget::List(list) => Expr::InList {
                    expr: b(self.expr(expr)?),
                    list: self.exprs(list)?,
                    negated: *negated,
                },
                InTarget::Subquery(subquery) => Expr::InSubquery {
                    expr: b(self.expr(expr)?),
                    subquery: Subquery(Arc::new((**subquery).clone())),
                    negated: *negated,
                },
                other => {
                    return Err(unsupported(format!("IN {other:?}"), self.span(e)));
                }
            },
            A::Exists { subquery, negated } => Expr::Exists {
                subquery: Subquery(Arc::new((**subquery).clone())),
                negated: *negated,
            },
            A::Subquery(q) => Expr::ScalarSubquery(Subquery(Arc::new((**q).clone()))),
            // Spark's grammar has no quantified comparison with a subquery: it stops at the
            // parenthesis (PARSE_SYNTAX_ERROR); the message says what to write instead.
            A::AnyOp { compare_op, .. } | A::AllOp { compare_op, .. } => {
                let word = if matches!(e, A::AllOp { .. }) {
                    "ALL"
                } else {
                    "ANY"
                };
                return Err(QueryError::Syntax {
                    message: format!(
                        "Syntax error at or near '(': Spark SQL has no `{compare_op} {word} \
                         (subquery)`; compare with a scalar subquery of min(...) or max(...), \
                         or use [NOT] EXISTS or IN."
                    ),
                    span: self.span(e),
                });
            }
            A::Between {
                expr,
                negated,
                low,
                high,
            } => Expr::Between {
                expr: b(self.expr(expr)?),
                low: b(self.expr(low)?),
                high: b(self.expr(high)?),
                negated: *negated,
            },
            A::Like {
                negated,
                expr,
                pattern,
                escape_char,
                any: false,
            }
            | A::ILike {
                negated,
                expr,
                pattern,
                escape_char,
                any: false,
            } => {
                let name = if matches!(e, A::Like { .. }) {
                    "like"
                } else {
                    "ilike"
                };
                let mut args = vec![self.expr(expr)?, self.expr(pattern)?];
                if let Some(esc) = escape_char {
                    args.push(self.expr(esc)?);
                }
                let c = self.spanned_call(name, args, e);
                if *negated { Expr::Not(b(c)) } else { c }
            }
            A::RLike {
                negated,
                expr,
                pattern,
                ..
            } => {
                let c = self.spanned_call("rlike", vec![self.expr(expr)?, self.expr(pattern)?], e);
                if *negated { Expr::Not(b(c)) } else { c }
            }
            A::Cast {
                kind,
                expr,
                data_type,
                ..
            } => Expr::Cast {
                expr: b(self.expr(expr)?),
                to: self.data_type(data_type, self.span(e))?,
                try_cast: matches!(kind, AstCastKind::TryCast | AstCastKind::SafeCast),
            },
            A::Extract { field, expr, .. } => self.spanned_call(
                "extract",
                vec![lit(field.to_string().to_uppercase()), self.expr(expr)?],
                e,
            ),
            A::Ceil { expr, field } | A::Floor { expr, field } => {
                let name = if matches!(e, A::Ceil { .. }) {
                    "ceil"
                } else {
                    "floor"
                };
                let mut args = vec![self.expr(expr)?];
                if let ast::CeilFloorKind::Scale(v) = field {
                    args.push(self.value(&v.value, None)?);
                }
                self.spanned_call(name, args, e)
            }
            A::Position { expr, r#in } => {
                self.spanned_call("position", vec![self.expr(expr)?, self.expr(r#in)?], e)
            }
            A::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                let mut args = vec![self.expr(expr)?];
                args.push(match substring_from {
                    Some(f) => self.expr(f)?,
                    None => lit(1),
                });
                if let Some(f) = substring_for {
                    args.push(self.expr(f)?);
                }
                self.spanned_call("substring", args, e)
            }
            A::Trim {
                trim_where,
                trim_what,
                expr,
                trim_characters,
            } => {
                let name = match trim_where {
                    None | Some(TrimWhereField::Both) => "trim",
                    Some(TrimWhereField::Leading) => "ltrim",
                    Some(TrimWhereField::Trailing) => "rtrim",
                };
                let mut args = vec![self.expr(expr)?];
                if let Some(what) = trim_what {
                    args.push(self.expr(what)?);
                } else if let Some([chars]) = trim_characters.as_deref() {
                    args.push(self.expr(chars)?);
                }
                self.spanned_call(name, args, e)
            }
            A::Function(f) => self.function(f, e)?,
            A::Case {
                operand,
                conditions,
                else_result,
                ..
            } => Expr::Case {
                operand: operand.as_ref().map(|o| self.expr(o).map(b)).transpose()?,
                branches: conditions
                    .iter()
                    .map(|w| Ok((self.expr(&w.condition)?, self.expr(&w.result)?)))
                    .collect::<Result<_>>()?,
                otherwise: else_result
                    .as_ref()
                    .map(|o| self.expr(o).map(b))
                    .transpose()?,
            },
            A::Array(arr) => call("array", self.exprs(&arr.elem)?),
            A::Struct { values, fields } if fields.is_empty() => {
                call("struct", self.exprs(values)?)
            }
            A::Named { expr, name } => Expr::Alias(b(self.expr(expr)?), name.value.clone()),
            A::Tuple(items) => call("struct", self.exprs(items)?),
            A::JsonAccess { value, path } => self.json_access(value, path, e)?,
            A::Wildcard(_) => Expr::Star {
                qualifier: None,
                except: vec![],
            },
            A::QualifiedWildcard(name, _) => Expr::Star {
                qualifier: Some(name.to_string()),
                except: vec![],
            },
            other => {
                // sqlparser gives a lambda no span of its own: place it from its first
                // parameter to the end of its body.
                let span = match other {
                    A::Lambda(l) => match l.params.first() {
                        Some(p) => self.origin.span(p.name.span.union(&l.body.span())),
                        None => self.span(l.body.as_ref()),
                    },
                    _ => self.span(other),
                };
                return Err(unsupported(
                    format!("the expression `{other}` is not supported"),
                    span,
                ));
            }
        })
    }

    pub(crate) fn exprs(&self, items: &[ast::Expr]) -> Result<Vec<Expr>> {
        items.iter().map(|x| self.expr(x)).collect()
    }

    pub(crate) fn spanned_call(&self, name: &str, args: Vec<Expr>, node: &ast::Expr) -> Expr {
        match call(name, args) {
            Expr::Call(mut c) => {
                c.span = self.span(node);
                Expr::Call(c)
            }
            other => other,
        }
    }

    /// `-x`: a negative literal when `x` is a number (so `-7` is an int literal), else a call.
    fn negate(&self, operand: &ast::Expr) -> Result<Expr> {
        if let ast::Expr::Value(v) = operand
            && let Value::Number(n, long) = &v.value
        {
            return self.number(&format!("-{n}"), *long, self.origin.span(v.span));
        }
        Ok(call("negative", vec![self.expr(operand)?]))
    }

    /// Lower ORDER BY items.
    pub fn sort_exprs(&self, items: &[OrderByExpr]) -> Result<Vec<SortExpr>> {
        items
            .iter()
            .map(|o| {
                Ok(SortExpr {
                    expr: self.expr(&o.expr)?,
                    ascending: !matches!(o.options.sort, Some(OrderBySort::Desc)),
                    nulls_first: o.options.nulls_first,
                })
            })
            .collect()
    }
}

/// The function name of a binary operator.
fn binary_name(op: &BinaryOperator) -> Option<&'static str> {
    Some(match op {
        BinaryOperator::Plus => "+",
        BinaryOperator::Minus => "-",
        BinaryOperator::Multiply => "*",
        BinaryOperator::Divide => "/",
        BinaryOperator::Modulo => "%",
        BinaryOperator::MyIntegerDivide | BinaryOperator::DuckIntegerDivide => "div",
        BinaryOperator::StringConcat => "||",
        BinaryOperator::Gt => ">",
        BinaryOperator::Lt => "<",
        BinaryOperator::GtEq => ">=",
        BinaryOperator::LtEq => "<=",
        BinaryOperator::Eq => "=",
        BinaryOperator::NotEq => "!=",
        BinaryOperator::Spaceship => "<=>",
        BinaryOperator::BitwiseAnd => "&",
        BinaryOperator::BitwiseOr => "|",
        BinaryOperator::BitwiseXor => "^",
        _ => return None,
    })
}
