//! Lowering literals: numbers, typed values, data types and INTERVAL literals.

use sqlparser::ast::{self, UnaryOperator, Value};

use crate::coerce;
use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::expr::{Expr, lit};
use crate::plan::expr::Literal;
use crate::sql::literal;
use crate::sql::lower::{Lowering, unsupported};
use crate::types::SparkType;

impl Lowering<'_> {
    pub(crate) fn number(&self, text: &str, long: bool, span: Option<Span>) -> Result<Expr> {
        literal::number(text, long)
            .map(Expr::Literal)
            .map_err(|message| QueryError::Syntax {
                message: format!("Syntax error: {message}"),
                span,
            })
    }

    pub(crate) fn value(&self, v: &Value, span: Option<Span>) -> Result<Expr> {
        Ok(match v {
            Value::Number(n, long) => self.number(n, *long, span)?,
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => {
                lit(literal::unescape(s))
            }
            Value::Boolean(x) => lit(*x),
            Value::Null => Expr::Literal(Literal::null(SparkType::Null)),
            other => return Err(unsupported(format!("the literal {other}"), span)),
        })
    }

    pub(crate) fn data_type(&self, dt: &ast::DataType, span: Option<Span>) -> Result<SparkType> {
        coerce::parse_type_name(&dt.to_string()).map_err(|_| QueryError::Analysis {
            class: ErrorClass::UnsupportedDatatype,
            message: format!("Unsupported data type \"{dt}\""),
            span,
            suggestions: vec![],
        })
    }

    pub(crate) fn interval(&self, iv: &ast::Interval, span: Option<Span>) -> Result<Expr> {
        let value = match iv.value.as_ref() {
            ast::Expr::Value(v) => match &v.value {
                Value::Number(n, _) => n.clone(),
                Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
                other => other.to_string(),
            },
            ast::Expr::UnaryOp {
                op: UnaryOperator::Minus,
                expr,
            } => format!("-{expr}"),
            other => {
                return Err(unsupported(
                    format!("INTERVAL needs a literal value, found `{other}`"),
                    span,
                ));
            }
        };
        let from = iv.leading_field.as_ref().map(|f| f.to_string());
        let to = iv.last_field.as_ref().map(|f| f.to_string());
        coerce::interval_literal(&value, from.as_deref(), to.as_deref())
            .map(Expr::Literal)
            .map_err(|e| match e {
                QueryError::Analysis {
                    class,
                    message,
                    suggestions,
                    ..
                } => QueryError::Analysis {
                    class,
                    message,
                    span,
                    suggestions,
                },
                QueryError::Execution { class, message, .. } => QueryError::Analysis {
                    class,
                    message,
                    span,
                    suggestions: vec![],
                },
                other => other,
            })
    }
}
