//! Resolving an [`Expr`] against a scope into a typed [`TypedExpr`]: names, implicit casts,
//! special forms (CASE, IN, BETWEEN, subqueries). Calls are in `resolve_call.rs`.

use std::cell::RefCell;
use std::sync::Arc;

use crate::analyzer::Planner;
use crate::analyzer::scope::Scope;
use crate::coerce;
use crate::error::{QueryError, Result, Span};
use crate::expr::{Expr, Subquery};
use crate::functions;
use crate::plan::aggregate::AggregateCall;
use crate::plan::expr::{CastKind, ExprKind, FunctionRef, SubqueryPlan, TypedExpr};
use crate::plan::window::WindowCall;
use crate::plan::{LogicalPlan, PlanNode};
use crate::types::SparkType;

/// Column indexes at and above this mark an aggregate collected by the resolver (index
/// `AGG_REF_BASE + k` is the k-th aggregate); the SELECT planner rewrites them.
pub(crate) const AGG_REF_BASE: usize = 1 << 28;
/// Like [`AGG_REF_BASE`], for window calls.
pub(crate) const WINDOW_REF_BASE: usize = 1 << 29;

/// Names that denote a function even without parentheses.
const NILADIC_FUNCTIONS: [&str; 4] = [
    "current_timestamp",
    "current_date",
    "current_timezone",
    "current_user",
];

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

pub(crate) fn mismatch(class: &str, message: String, span: Option<Span>) -> QueryError {
    QueryError::Analysis {
        class: class.into(),
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
                        "INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN",
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
                        "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
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
                    SparkType::Array(_) => {
                        let one = TypedExpr::literal(
                            crate::sql::literal::number("1", false)
                                .map_err(QueryError::Internal)?,
                        );
                        let pos = self.operator("+", vec![idx, one], None)?;
                        self.scalar("element_at", vec![base, pos], None)
                    }
                    _ => self.scalar("element_at", vec![base, idx], None),
                }
            }
            Expr::Alias(inner, _) => self.resolve(inner),
            Expr::Star { .. } => Err(mismatch(
                "INVALID_USAGE_OF_STAR_OR_REGEX",
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

    fn column(&self, parts: &[String], span: Option<Span>) -> Result<TypedExpr> {
        if let Some(m) = self.scope.lookup(parts, span)? {
            let mut level = self.scope;
            for _ in 0..m.depth {
                level = level.parent.expect("lookup found a deeper level");
            }
            let f = &level.schema.fields[m.index];
            let base = if m.depth == 0 {
                TypedExpr::column(m.index, f.data_type.clone(), f.nullable)
            } else {
                TypedExpr::new(
                    ExprKind::Outer {
                        depth: m.depth,
                        index: m.index,
                    },
                    f.data_type.clone(),
                )
            };
            return field_access(base, &m.fields, span);
        }
        if let Some(groups) = self.group_names
            && let Some((_, g)) = groups
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&parts[0]))
        {
            return field_access(g.clone(), &parts[1..], span);
        }
        if parts.len() == 1
            && let Some(aliases) = self.aliases
            && let Some((_, aliased)) = aliases
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&parts[0]))
        {
            let inner = ExprContext {
                aliases: None,
                ..*self
            };
            return inner.resolve(aliased);
        }
        if parts.len() == 1 && NILADIC_FUNCTIONS.contains(&parts[0].to_lowercase().as_str()) {
            return self.scalar(&parts[0].to_lowercase(), vec![], span);
        }
        Err(self.scope.unresolved(parts, span))
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

    fn unknown_function(&self, name: &str, span: Option<Span>) -> QueryError {
        let mut known: Vec<String> = functions::names().map(String::from).collect();
        known.extend(
            [
                "count", "sum", "avg", "min", "max", "coalesce", "if", "nullif",
            ]
            .map(String::from),
        );
        QueryError::Analysis {
            class: "UNRESOLVED_ROUTINE".into(),
            message: format!(
                "Cannot resolve routine `{name}` on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."
            ),
            span,
            suggestions: crate::analyzer::scope::closest(name, &known),
        }
    }

    fn in_list(&self, expr: &Expr, list: &[Expr], negated: bool) -> Result<TypedExpr> {
        let x = self.resolve(expr)?;
        let items: Vec<TypedExpr> = list
            .iter()
            .map(|i| self.resolve(i))
            .collect::<Result<_>>()?;
        let mut common = x.data_type.clone();
        for item in &items {
            common = match coerce::wider_type(&common, &item.data_type) {
                Some(t) => t,
                None => self.eq_types(&common, &item.data_type)?,
            };
        }
        let eq = self.eq_function(&common)?;
        Ok(TypedExpr::new(
            ExprKind::InList {
                expr: Box::new(x.cast_to(&common, CastKind::Ansi)),
                list: items
                    .into_iter()
                    .map(|i| i.cast_to(&common, CastKind::Ansi))
                    .collect(),
                eq,
                negated,
            },
            SparkType::Boolean,
        ))
    }

    /// The type `=` compares `a` and `b` as.
    fn eq_types(&self, a: &SparkType, b: &SparkType) -> Result<SparkType> {
        let func = functions::lookup("=").ok_or_else(|| self.unknown_function("=", None))?;
        let infos = [a, b].map(|t| functions::ArgInfo {
            data_type: t.clone(),
            constant: None,
        });
        let sig = func.resolve(&infos)?;
        Ok(sig.args[0].clone())
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

    fn subquery(&self, subquery: &Subquery) -> Result<LogicalPlan> {
        self.planner.plan_query(&subquery.0, Some(self.scope))
    }

    fn in_subquery(&self, expr: &Expr, subquery: &Subquery, negated: bool) -> Result<TypedExpr> {
        let x = self.resolve(expr)?;
        let plan = self.subquery(subquery)?;
        if plan.schema.len() != 1 {
            return Err(mismatch(
                "DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH",
                format!(
                    "The number of columns in the left hand side of an IN subquery (1) does not match the number of columns in the output of subquery ({}).",
                    plan.schema.len()
                ),
                None,
            ));
        }
        let sub_type = plan.schema.fields[0].data_type.clone();
        let common = match coerce::wider_type(&x.data_type, &sub_type) {
            Some(t) => t,
            None => self.eq_types(&x.data_type, &sub_type)?,
        };
        let plan = if sub_type == common {
            plan
        } else {
            let col = TypedExpr::column(0, sub_type, true).cast_to(&common, CastKind::Ansi);
            let mut schema = (*plan.schema).clone();
            schema.fields[0].data_type = common.clone();
            LogicalPlan::new(
                PlanNode::Project {
                    input: Arc::new(plan),
                    exprs: vec![col],
                },
                schema,
            )
        };
        Ok(TypedExpr::new(
            ExprKind::InSubquery {
                expr: Box::new(x.cast_to(&common, CastKind::Ansi)),
                plan: SubqueryPlan(Arc::new(plan)),
                negated,
            },
            SparkType::Boolean,
        ))
    }

    fn case(
        &self,
        operand: Option<&Expr>,
        branches: &[(Expr, Expr)],
        otherwise: Option<&Expr>,
    ) -> Result<TypedExpr> {
        let operand = operand.map(|o| self.resolve(o)).transpose()?;
        let mut conds = Vec::with_capacity(branches.len());
        let mut values = Vec::with_capacity(branches.len());
        for (c, v) in branches {
            let cond = match &operand {
                Some(x) => self.operator("=", vec![x.clone(), self.resolve(c)?], None)?,
                None => self.boolean(c)?,
            };
            conds.push(cond);
            values.push(self.resolve(v)?);
        }
        let otherwise = otherwise.map(|o| self.resolve(o)).transpose()?;
        let result_type = common_type(values.iter().chain(otherwise.as_ref()), "CASE")?;
        let branches = conds
            .into_iter()
            .zip(values)
            .map(|(c, v)| (c, v.cast_to(&result_type, CastKind::Ansi)))
            .collect();
        let otherwise = otherwise.map(|o| Box::new(o.cast_to(&result_type, CastKind::Ansi)));
        Ok(TypedExpr::new(
            ExprKind::Case {
                branches,
                otherwise,
            },
            result_type,
        ))
    }
}

/// The type every value widens to (CASE results, COALESCE arguments).
pub(crate) fn common_type<'e>(
    values: impl Iterator<Item = &'e TypedExpr>,
    what: &str,
) -> Result<SparkType> {
    let mut common = SparkType::Null;
    for v in values {
        common = coerce::wider_type(&common, &v.data_type).ok_or_else(|| {
            mismatch(
                "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
                format!(
                    "Cannot resolve \"{what}\" due to data type mismatch: Input to `{what}` should all be the same type, but it's [\"{}\", \"{}\"].",
                    common.simple_string().to_uppercase(),
                    v.data_type.simple_string().to_uppercase()
                ),
                None,
            )
        })?;
    }
    Ok(common)
}

pub(crate) fn expect_boolean(r: TypedExpr, e: &Expr) -> Result<TypedExpr> {
    match r.data_type {
        SparkType::Boolean => Ok(r),
        SparkType::Null => Ok(r.cast_to(&SparkType::Boolean, CastKind::Ansi)),
        ref other => Err(mismatch(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
            format!(
                "Cannot resolve \"{}\": the expression requires the \"BOOLEAN\" type, however it has the type \"{}\".",
                e.output_name(),
                other.simple_string().to_uppercase()
            ),
            None,
        )),
    }
}

/// `base.f1.f2...` on struct values.
pub(crate) fn field_access(
    base: TypedExpr,
    fields: &[String],
    span: Option<Span>,
) -> Result<TypedExpr> {
    let mut out = base;
    for name in fields {
        let SparkType::Struct(struct_fields) = &out.data_type else {
            return Err(mismatch(
                "INVALID_EXTRACT_BASE_FIELD_TYPE",
                format!(
                    "Can't extract a value from \"{name}\": the value is not a struct but \"{}\".",
                    out.data_type
                ),
                span,
            ));
        };
        let Some(index) = struct_fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
        else {
            return Err(QueryError::Analysis {
                class: "FIELD_NOT_FOUND".into(),
                message: format!("No such struct field `{name}`."),
                span,
                suggestions: struct_fields.iter().map(|f| f.name.clone()).collect(),
            });
        };
        let data_type = struct_fields[index].data_type.clone();
        out = TypedExpr::new(
            ExprKind::GetField {
                expr: Box::new(out),
                index,
            },
            data_type,
        );
    }
    Ok(out)
}
