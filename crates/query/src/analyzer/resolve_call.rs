//! Resolving calls: scalar functions, the special forms the planner owns (COALESCE, IF,
//! NVL2, NULLIF) and aggregates. Window functions are in `resolve_window.rs`.

use crate::analyzer::aggregates::{self, aggregate_func, is_window_only};
use crate::analyzer::resolve::{
    AGG_REF_BASE, ExprContext, at, common_type, expect_boolean, mismatch,
};
use crate::error::{ErrorClass, QueryError, Result};
use crate::expr::{Expr, FunctionCall, SortExpr, lit};
use crate::plan::aggregate::{AggFunc, AggregateCall};
use crate::plan::expr::{CastKind, ExprKind, Literal, TypedExpr};
use crate::types::SparkType;

impl ExprContext<'_> {
    /// Resolve a call written by name.
    pub fn call(&self, c: &FunctionCall) -> Result<TypedExpr> {
        let name = c.name.to_lowercase();
        if let Some(spec) = &c.over {
            return self.window_call(&name, c, spec).map_err(|e| at(e, c.span));
        }
        if is_window_only(&name) {
            return Err(mismatch(
                ErrorClass::WindowFunctionWithoutOverClause,
                format!("Window function \"{name}()\" requires an OVER clause."),
                c.span,
            ));
        }
        if name == "grouping" || name == "grouping_id" {
            return self.grouping_call(&name, c).map_err(|e| at(e, c.span));
        }
        if let Some(func) = aggregate_func(&name) {
            return self
                .aggregate_call(func, &name, c)
                .map_err(|e| at(e, c.span));
        }
        if aggregates::generator(&name).is_some() {
            return Err(mismatch(
                ErrorClass::UnsupportedGeneratorOutsideSelect,
                format!(
                    "The generator `{name}` is only allowed as a whole SELECT item or in LATERAL VIEW."
                ),
                c.span,
            ));
        }
        if c.distinct || c.filter.is_some() {
            return Err(mismatch(
                ErrorClass::InvalidSqlSyntaxFunctionWithUnsupportedSyntax,
                format!("The function `{name}` does not support DISTINCT or FILTER."),
                c.span,
            ));
        }
        let mut args: Vec<TypedExpr> = c
            .args
            .iter()
            .map(|a| self.resolve(a))
            .collect::<Result<_>>()?;
        if name == "assert_true" && args.len() == 1 {
            // Spark's message names the condition as written.
            let text = format!("'{}' is not true!", c.args[0].output_name());
            args.push(TypedExpr::literal(crate::sql::literal::string(&text)));
        }
        if name == "window"
            && let Some((sliding_args, column)) = self.sliding
            && *sliding_args == args
        {
            return Ok(column.clone());
        }
        match name.as_str() {
            "coalesce" | "nvl" | "ifnull" => {
                if args.is_empty() || (name != "coalesce" && args.len() != 2) {
                    return Err(wrong_args(
                        &name,
                        if name == "coalesce" { "> 0" } else { "2" },
                        args.len(),
                        c,
                    ));
                }
                let t = common_type(args.iter(), &name).map_err(|e| at(e, c.span))?;
                let args = args
                    .into_iter()
                    .map(|a| a.cast_to(&t, CastKind::Ansi))
                    .collect();
                Ok(TypedExpr::new(ExprKind::Coalesce(args), t))
            }
            "if" | "iff" => {
                let [cond, a, b] = three(&name, args, c)?;
                let cond = expect_boolean(cond, &c.args[0]).map_err(|e| at(e, c.span))?;
                self.case_of(vec![(cond, a)], Some(b), &name, c)
            }
            "nvl2" => {
                let [x, a, b] = three(&name, args, c)?;
                let cond = TypedExpr::new(
                    ExprKind::IsNull {
                        expr: Box::new(x),
                        negated: true,
                    },
                    SparkType::Boolean,
                );
                self.case_of(vec![(cond, a)], Some(b), &name, c)
            }
            "nullif" => {
                let [a, b] = two(&name, args, c)?;
                let eq = self.operator("=", vec![a.clone(), b], c.span)?;
                let null = TypedExpr::literal(Literal::null(a.data_type.clone()));
                let t = a.data_type.clone();
                Ok(TypedExpr::new(
                    ExprKind::Case {
                        branches: vec![(eq, null)],
                        otherwise: Some(Box::new(a)),
                    },
                    t,
                ))
            }
            "isnull" | "isnotnull" => {
                let [x] = one(&name, args, c)?;
                Ok(TypedExpr {
                    kind: ExprKind::IsNull {
                        expr: Box::new(x),
                        negated: name == "isnotnull",
                    },
                    data_type: SparkType::Boolean,
                    nullable: false,
                })
            }
            "struct" => {
                // Spark names struct fields after their columns or aliases (else col1, ...).
                let mut pairs = Vec::with_capacity(2 * args.len());
                for (i, (value, written)) in args.into_iter().zip(&c.args).enumerate() {
                    let field = match written {
                        Expr::Alias(_, n) | Expr::InputColumn { name: n, .. } => n.clone(),
                        Expr::Column { parts, .. } => parts.last().cloned().unwrap_or_default(),
                        _ => format!("col{}", i + 1),
                    };
                    pairs.push(TypedExpr::literal(crate::sql::literal::string(&field)));
                    pairs.push(value);
                }
                self.scalar("named_struct", pairs, c.span)
            }
            _ => self.scalar(&name, args, c.span),
        }
    }

    fn case_of(
        &self,
        branches: Vec<(TypedExpr, TypedExpr)>,
        otherwise: Option<TypedExpr>,
        name: &str,
        c: &FunctionCall,
    ) -> Result<TypedExpr> {
        let t = common_type(
            branches.iter().map(|(_, v)| v).chain(otherwise.as_ref()),
            name,
        )
        .map_err(|e| at(e, c.span))?;
        let branches = branches
            .into_iter()
            .map(|(k, v)| (k, v.cast_to(&t, CastKind::Ansi)))
            .collect();
        let otherwise = otherwise.map(|o| Box::new(o.cast_to(&t, CastKind::Ansi)));
        Ok(TypedExpr::new(
            ExprKind::Case {
                branches,
                otherwise,
            },
            t,
        ))
    }

    /// The arguments of an aggregate, resolved where aggregates may not nest.
    pub(crate) fn inner(&self) -> ExprContext<'_> {
        ExprContext {
            aggs: None,
            windows: None,
            in_aggregate: true,
            clause: "an aggregate function",
            ..*self
        }
    }

    fn aggregate_call(&self, func: AggFunc, name: &str, c: &FunctionCall) -> Result<TypedExpr> {
        if self.in_aggregate {
            return Err(mismatch(
                ErrorClass::NestedAggregateFunction,
                "It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.".into(),
                c.span,
            ));
        }
        let Some(collector) = self.aggs else {
            let class = match self.clause {
                "WHERE" => ErrorClass::InvalidWhereCondition,
                "GROUP BY" => ErrorClass::GroupByAggregate,
                _ => ErrorClass::UnsupportedExprForOperator,
            };
            return Err(mismatch(
                class,
                format!(
                    "The aggregate function `{name}` is not allowed in {}.",
                    self.clause
                ),
                c.span,
            ));
        };
        let call = self.aggregate_of(func, name, c, &self.inner())?;
        Ok(collect_aggregate(collector, call))
    }

    /// Build an aggregate call, its arguments resolved in `inner` (no nested aggregates for
    /// a grouping aggregate; the query's aggregates for a window aggregate).
    pub(crate) fn aggregate_of(
        &self,
        func: AggFunc,
        name: &str,
        c: &FunctionCall,
        inner: &ExprContext<'_>,
    ) -> Result<AggregateCall> {
        let mut reverse = false;
        let mut arg_exprs: Vec<Expr> = c.args.clone();
        if !c.within_group.is_empty() {
            // percentile_cont(p) WITHIN GROUP (ORDER BY x): the value is x, the parameter p.
            let [
                SortExpr {
                    expr, ascending, ..
                },
            ] = c.within_group.as_slice()
            else {
                return Err(mismatch(
                    ErrorClass::InvalidWithinGroupExpression,
                    "WITHIN GROUP needs exactly one ORDER BY key.".into(),
                    c.span,
                ));
            };
            reverse = !ascending;
            arg_exprs.insert(0, expr.clone());
        } else if name == "median" {
            arg_exprs.push(lit(0.5));
        }
        let args: Vec<TypedExpr> = arg_exprs
            .iter()
            .map(|a| inner.resolve(a))
            .collect::<Result<_>>()?;
        let (casts, data_type) = aggregates::signature(func, name, &args)?;
        let mut args: Vec<TypedExpr> = args
            .into_iter()
            .zip(&casts)
            .map(|(a, t)| a.cast_to(t, CastKind::Ansi))
            .collect();
        let mut ignore_nulls = c.ignore_nulls.unwrap_or(false);
        if matches!(func, AggFunc::First | AggFunc::Last) && args.len() == 2 {
            let flag = args.pop().expect("two arguments");
            ignore_nulls |= self.constant_bool(&flag, name)?;
        }
        let filter = match &c.filter {
            Some(f) => Some(inner.boolean(f)?),
            None => None,
        };
        Ok(AggregateCall {
            func,
            args,
            distinct: c.distinct,
            filter,
            ignore_nulls,
            reverse,
            data_type,
        })
    }

    pub(crate) fn constant_bool(&self, e: &TypedExpr, name: &str) -> Result<bool> {
        use arrow::array::{Array, BooleanArray};
        let lit = self.planner.constant(e).ok_or_else(|| {
            mismatch(
                ErrorClass::DatatypeMismatchNonFoldableInput,
                format!("The second argument of `{name}` must be a constant boolean."),
                None,
            )
        })?;
        let v = lit
            .value
            .as_any()
            .downcast_ref::<BooleanArray>()
            .filter(|a| !a.is_null(0))
            .map(|a| a.value(0));
        Ok(v.unwrap_or(false))
    }

    pub(crate) fn constant_int(&self, e: &Expr, what: &str) -> Result<i64> {
        let r = self.inner().resolve(e)?;
        let r = r.cast_to(&SparkType::Long, CastKind::Ansi);
        let lit = self.planner.constant(&r);
        lit.and_then(|l| {
            l.value
                .as_any()
                .downcast_ref::<arrow::array::Int64Array>()
                .filter(|a| arrow::array::Array::is_valid(*a, 0))
                .map(|a| a.value(0))
        })
        .ok_or_else(|| {
            mismatch(
                ErrorClass::DatatypeMismatchNonFoldableInput,
                format!("{what} must be a constant integer."),
                None,
            )
        })
    }
}

/// Add `call` to the query's aggregates (once) and refer to its output column.
pub(crate) fn collect_aggregate(
    collector: &std::cell::RefCell<Vec<AggregateCall>>,
    call: AggregateCall,
) -> TypedExpr {
    let (data_type, nullable) = (call.data_type.clone(), call.nullable());
    let mut list = collector.borrow_mut();
    let k = match list.iter().position(|a| a == &call) {
        Some(k) => k,
        None => {
            list.push(call);
            list.len() - 1
        }
    };
    TypedExpr::column(AGG_REF_BASE + k, data_type, nullable)
}

pub(crate) fn wrong_args(name: &str, wanted: &str, got: usize, c: &FunctionCall) -> QueryError {
    mismatch(
        ErrorClass::WrongNumArgsWithoutSuggestion,
        format!("The `{name}` requires {wanted} parameters but the actual number is {got}."),
        c.span,
    )
}

fn one(name: &str, args: Vec<TypedExpr>, c: &FunctionCall) -> Result<[TypedExpr; 1]> {
    let n = args.len();
    args.try_into().map_err(|_| wrong_args(name, "1", n, c))
}

fn two(name: &str, args: Vec<TypedExpr>, c: &FunctionCall) -> Result<[TypedExpr; 2]> {
    let n = args.len();
    args.try_into().map_err(|_| wrong_args(name, "2", n, c))
}

fn three(name: &str, args: Vec<TypedExpr>, c: &FunctionCall) -> Result<[TypedExpr; 3]> {
    let n = args.len();
    args.try_into().map_err(|_| wrong_args(name, "3", n, c))
}
