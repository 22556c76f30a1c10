//! Resolving an [`Expr`] against a scope into a typed [`TypedExpr`]: names, implicit casts,
//! special forms (CASE, IN, BETWEEN, subqueries, in `resolve_special.rs`). Column names are
//! in `resolve_column.rs`, calls in `resolve_call.rs`.

use std::cell::RefCell;
use std::sync::Arc;

use crate::analyzer::Planner;
pub(crate) use crate::analyzer::resolve_special::{common_type, expect_boolean, field_access};
use crate::analyzer::scope::Scope;
use crate::coerce;
use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::expr::Expr;
use crate::functions;
use crate::plan::aggregate::AggregateCall;
use crate::plan::expr::{CastKind, ExprKind, FunctionRef, SubqueryPlan, TypedExpr};
use crate::plan::window::WindowCall;
use crate::types::SparkType;

/// Column indexes at and above this mark an aggregate collected by the resolver (index
/// `AGG_REF_BASE + k` is the k-th aggregate); the SELECT planner rewrites them.
pub(crate) const AGG_REF_BASE: usize = 1 << 28;
/// Like [`AGG_REF_BASE`], for window calls.
pub(crate) const WINDOW_REF_BASE: usize = 1 << 29;

/// Everything an expression is resolved against.
#[derive(Clone, Copy)]
pub(crate) struct ExprContext<'a> {
    /// The planner (catalog, CTEs, subqueries).
    pub planner: &'a Planner<'a>,
    /// Visible columns.
    pub scope: &'a Scope<'a>,
    /// Where aggregates are collected; `None` where they are not allowed.
    pub aggs: Option<&'a RefCell<Vec<AggregateCall>>>,
    /// Where window calls are collected; `None` where they are not allowed.
    pub windows: Option<&'a RefCell<Vec<WindowCall>>>,
    /// SELECT aliases usable when a name is not an input column (GROUP BY, HAVING, ORDER BY).
    pub aliases: Option<&'a [(String, Expr)]>,
    /// Group expressions by output name (`window` for `GROUP BY window(...)`), usable as names.
    pub group_names: Option<&'a [(String, TypedExpr)]>,
    /// The GROUP BY has GROUPING SETS, ROLLUP or CUBE (`grouping()` is allowed).
    pub grouping_sets: bool,
    /// A sliding `window(...)` call already expanded by a Generate node: its resolved
    /// arguments and the column holding its value.
    pub sliding: Option<&'a (Vec<TypedExpr>, TypedExpr)>,
    /// Inside an aggregate's arguments (a nested aggregate is an error).
    pub in_aggregate: bool,
    /// The clause being resolved, for error messages (`WHERE`, `SELECT`, ...).
    pub clause: &'static str,
}

/// Fill in an error's span when it has none.
pub(crate) fn at(err: QueryError, span: Option<Span>) -> QueryError {
    match err {
        QueryError::Analysis {
            class,
            message,
            span: None,
            suggestions,
        } => QueryError::Analysis {
            class,
            message,
            span,
            suggestions,
        },
        QueryError::Execution {
            class,
            message,
            span: None,
        } => QueryError::Execution {
            class,
            message,
            span,
        },
        other => other,
    }
}

pub(crate) fn mismatch(class: ErrorClass, message: String, span: Option<Span>) -> QueryError {
    QueryError::Analysis {
        class,
        message,
        span,
        suggestions: vec![],
    }
}

impl<'a> ExprContext<'a> {
    /// A plain context: no aggregates, windows or aliases.
    pub fn plain(planner: &'a Planner<'a>, scope: &'a Scope<'a>, clause: &'static str) -> Self {
        ExprContext {
            planner,
            scope,
            aggs: None,
            windows: None,
            aliases: None,
            group_names: None,
            grouping_sets: false,
            sliding: None,
            in_aggregate: false,
            clause,
        }
    }

    /// Resolve one expression.
    pub fn resolve(&self, e: &Expr) -> Result<TypedExpr> {
        match e {
            Expr::Column { parts, span } => self.column(parts, *span),
            Expr::InputColumn { index, .. } => {
                let f = self.scope.schema.fields.get(*index).ok_or_else(|| {
                    QueryError::Internal(format!("input column {index} out of range"))
                })?;
                Ok(TypedExpr::column(*index, f.data_type.clone(), f.nullable))
            }
            Expr::Literal(l) => Ok(TypedExpr::literal(l.clone())),
            Expr::Call(c) => self.call(c),
            Expr::And(a, b) => {
                let (a, b) = (self.boolean(a)?, self.boolean(b)?);
                Ok(TypedExpr::new(
                    ExprKind::And(Box::new(a), Box::new(b)),
                    SparkType::Boolean,
                ))
            }
            Expr::Or(a, b) => {
                let (a, b) = (self.boolean(a)?, self.boolean(b)?);
                Ok(TypedExpr::new(
                    ExprKind::Or(Box::new(a), Box::new(b)),
                    SparkType::Boolean,
                ))
            }
            Expr::Not(a) => {
                let a = self.boolean(a)?;
                Ok(TypedExpr::new(
                    ExprKind::Not(Box::new(a)),
                    SparkType::Boolean,
                ))
            }
            Expr::IsNull { expr, negated } => {
                let inner = self.resolve(expr)?;
                Ok(TypedExpr {
                    kind: ExprKind::IsNull {
                        expr: Box::new(inner),
                        negated: *negated,
                    },
                    data_type: SparkType::Boolean,
                    nullable: false,
                })
            }
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => {
                let x = self.resolve(expr)?;
                let ge = self.operator(">=", vec![x.clone(), self.resolve(low)?], None)?;
                let le = self.operator("<=", vec![x, self.resolve(high)?], None)?;
                let both = TypedExpr::new(
                    ExprKind::And(Box::new(ge), Box::new(le)),
                    SparkType::Boolean,
                );
                Ok(if *negated {
                    TypedExpr::new(ExprKind::Not(Box::new(both)), SparkType::Boolean)
                } else {
                    both
                })
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => self.in_list(expr, list, *negated),
            Expr::InSubquery {
                expr,
                subquery,
                negated,
            } => self.in_subquery(expr, subquery, *negated),
            Expr::Exists { subquery, negated } => {
                let plan = self.subquery(subquery)?;
                Ok(TypedExpr {
                    kind: ExprKind::Exists {
                        plan: SubqueryPlan(Arc::new(plan)),
                        negated: *negated,
                    },
                    data_type: SparkType::Boolean,
                    nullable: false,
                })
            }
            Expr::ScalarSubquery(subquery) => {
                let plan = self.subquery(subquery)?;
                if plan.schema.len() != 1 {
                    return Err(mismatch(
                        ErrorClass::InvalidSubqueryExpressionScalarSubqueryReturnMoreThanOneOutputColumn,
                        format!(
                            "The scalar subquery must return one column, but it returns {}.",
                            plan.schema.len()
                        ),
                        None,
                    ));
                }
                let data_type = plan.schema.fields[0].data_type.clone();
                Ok(TypedExpr::new(
                    ExprKind::ScalarSubquery(SubqueryPlan(Arc::new(plan))),
                    data_type,
                ))
            }
            Expr::Case {
                operand,
                branches,
                otherwise,
            } => self.case(operand.as_deref(), branches, otherwise.as_deref()),
            Expr::Cast { expr, to, try_cast } => {
                let inner = self.resolve(expr)?;
                if !coerce::can_cast(&inner.data_type, to) {
                    return Err(mismatch(
                        ErrorClass::DatatypeMismatchCastWithoutSuggestion,
                        format!(
                            "Cannot resolve \"CAST({} AS {})\" due to data type mismatch: cannot cast \"{}\" to \"{}\".",
                            e.output_name(),
                            to.simple_string().to_uppercase(),
                            inner.data_type.simple_string().to_uppercase(),
                            to.simple_string().to_uppercase()
                        ),
                        None,
                    ));
                }
                let kind = if *try_cast {
                    CastKind::Try
                } else {
                    CastKind::Ansi
                };
                Ok(inner.cast_to(to, kind))
            }
            Expr::Field { expr, name } => {
                let inner = self.resolve(expr)?;
                field_access(inner, std::slice::from_ref(name), None)
            }
            Expr::Index { expr, index } => {
                let base = self.resolve(expr)?;
                let idx = self.resolve(index)?;
                match &base.data_type {
                    // 0-based, INVALID_ARRAY_INDEX out of range (not element_at's error).
                    SparkType::Array(_) => self.scalar_with(
                        &functions::array::SUBSCRIPT,
                        "subscript",
                        vec![base, idx],
                        None,
                    ),
                    _ => self.scalar("element_at", vec![base, idx], None),
                }
            }
            Expr::Alias(inner, _) => self.resolve(inner),
            Expr::Star { .. } => Err(mismatch(
                ErrorClass::InvalidUsageOfStarOrRegex,
                format!("Invalid usage of '*' in {}.", self.clause),
                None,
            )),
        }
    }

    /// Resolve and require a boolean (NULL literals count as boolean).
    pub fn boolean(&self, e: &Expr) -> Result<TypedExpr> {
        let r = self.resolve(e)?;
        expect_boolean(r, e)
    }

    /// Call an operator or scalar function by name with resolved arguments.
    pub fn operator(
        &self,
        name: &str,
        args: Vec<TypedExpr>,
        span: Option<Span>,
    ) -> Result<TypedExpr> {
        self.scalar(name, args, span)
    }

    /// Resolve a scalar function call over resolved arguments: look it up, let it choose its
    /// signature, cast the arguments.
    pub fn scalar(
        &self,
        name: &str,
        args: Vec<TypedExpr>,
        span: Option<Span>,
    ) -> Result<TypedExpr> {
        let func = functions::lookup(name).ok_or_else(|| self.unknown_function(name, span))?;
        self.scalar_with(func, name, args, span)
    }

    /// Resolve a call of `func` (found by name or chosen by the planner) over resolved
    /// arguments.
    pub(crate) fn scalar_with(
        &self,
        func: &'static dyn functions::ScalarFunction,
        name: &str,
        args: Vec<TypedExpr>,
        span: Option<Span>,
    ) -> Result<TypedExpr> {
        let infos: Vec<functions::ArgInfo> = args
            .iter()
            .map(|a| functions::ArgInfo {
                data_type: a.data_type.clone(),
                constant: self.planner.constant(a).map(|l| l.value),
            })
            .collect();
        let sig = func.resolve(&infos).map_err(|e| at(e, span))?;
        if sig.args.len() != args.len() {
            return Err(QueryError::Internal(format!(
                "function `{name}` resolved {} argument types for {} arguments",
                sig.args.len(),
                args.len()
            )));
        }
        let args = args
            .into_iter()
            .zip(&sig.args)
            .map(|(a, t)| a.cast_to(t, CastKind::Ansi))
            .collect();
        Ok(TypedExpr::new(
            ExprKind::Call {
                func: FunctionRef(func),
                args,
            },
            sig.result,
        ))
    }

    /// The `=` function for two values of type `t`.
    pub fn eq_function(&self, t: &SparkType) -> Result<FunctionRef> {
        let func = functions::lookup("=").ok_or_else(|| self.unknown_function("=", None))?;
        let infos = [t, t].map(|t| functions::ArgInfo {
            data_type: t.clone(),
            constant: None,
        });
        func.resolve(&infos)?;
        Ok(FunctionRef(func))
    }
}
