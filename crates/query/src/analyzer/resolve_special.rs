//! Special forms of expression resolution: IN lists and subqueries, EXISTS, CASE, and the
//! common type, boolean and field-access rules they share.

use std::sync::Arc;

use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::coerce;
use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::expr::{Expr, Subquery};
use crate::functions;
use crate::plan::expr::{CastKind, ExprKind, SubqueryPlan, TypedExpr};
use crate::plan::{LogicalPlan, PlanNode};
use crate::types::SparkType;

impl<'a> ExprContext<'a> {
    pub(crate) fn in_list(&self, expr: &Expr, list: &[Expr], negated: bool) -> Result<TypedExpr> {
        if let Some(rows) = row_values(expr, list) {
            return self.row_in_list(rows, negated);
        }
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

    /// `(a, b) [NOT] IN ((1, 2), (3, 4))`: SQL's row comparison, `(a = 1 AND b = 2) OR ...`
    /// (the tuples' field names do not matter, as in Spark).
    fn row_in_list(
        &self,
        (left, rows): (&[Expr], Vec<&[Expr]>),
        negated: bool,
    ) -> Result<TypedExpr> {
        let left: Vec<TypedExpr> = left
            .iter()
            .map(|e| self.resolve(e))
            .collect::<Result<_>>()?;
        let mut any: Option<TypedExpr> = None;
        for row in rows {
            let mut all: Option<TypedExpr> = None;
            for (l, r) in left.iter().zip(row) {
                let eq = self.operator("=", vec![l.clone(), self.resolve(r)?], None)?;
                all = Some(match all {
                    Some(a) => {
                        TypedExpr::new(ExprKind::And(Box::new(a), Box::new(eq)), SparkType::Boolean)
                    }
                    None => eq,
                });
            }
            let Some(all) = all else { continue };
            any = Some(match any {
                Some(a) => {
                    TypedExpr::new(ExprKind::Or(Box::new(a), Box::new(all)), SparkType::Boolean)
                }
                None => all,
            });
        }
        let any = any.ok_or_else(|| QueryError::Internal("an empty row-valued IN list".into()))?;
        Ok(if negated {
            TypedExpr::new(ExprKind::Not(Box::new(any)), SparkType::Boolean)
        } else {
            any
        })
    }

    /// The type `=` compares `a` and `b` as.
    pub(crate) fn eq_types(&self, a: &SparkType, b: &SparkType) -> Result<SparkType> {
        let func = functions::lookup("=").ok_or_else(|| self.unknown_function("=", None))?;
        let infos = [a, b].map(|t| functions::ArgInfo {
            data_type: t.clone(),
            constant: None,
        });
        let sig = func.resolve(&infos)?;
        Ok(sig.args[0].clone())
    }

    pub(crate) fn subquery(&self, subquery: &Subquery) -> Result<LogicalPlan> {
        self.planner.plan_query(&subquery.0, Some(self.scope))
    }

    pub(crate) fn in_subquery(
        &self,
        expr: &Expr,
        subquery: &Subquery,
        negated: bool,
    ) -> Result<TypedExpr> {
        let plan = self.subquery(subquery)?;
        // `(a, b) IN (SELECT x, y ...)`: the lowering made the tuple a `struct(a, b)` call.
        let items: Vec<&Expr> = match expr {
            Expr::Call(c) if c.name.eq_ignore_ascii_case("struct") && plan.schema.len() > 1 => {
                c.args.iter().collect()
            }
            other => vec![other],
        };
        let left_width = match expr {
            Expr::Call(c) if c.name.eq_ignore_ascii_case("struct") => c.args.len(),
            _ => 1,
        };
        if left_width != plan.schema.len() && (left_width > 1 || plan.schema.len() > 1) {
            return Err(mismatch(
                ErrorClass::DatatypeMismatchInSubqueryLengthMismatch,
                format!(
                    "The number of columns in the left hand side of an IN subquery ({left_width}) does not match the number of columns in the output of subquery ({}).",
                    plan.schema.len()
                ),
                None,
            ));
        }
        let mut left = Vec::with_capacity(items.len());
        let mut casts = Vec::with_capacity(items.len());
        let mut schema = (*plan.schema).clone();
        for (i, item) in items.into_iter().enumerate() {
            let x = self.resolve(item)?;
            let sub_type = plan.schema.fields[i].data_type.clone();
            let common = match coerce::wider_type(&x.data_type, &sub_type) {
                Some(t) => t,
                None => self.eq_types(&x.data_type, &sub_type)?,
            };
            casts.push(TypedExpr::column(i, sub_type, true).cast_to(&common, CastKind::Ansi));
            schema.fields[i].data_type = common.clone();
            left.push(x.cast_to(&common, CastKind::Ansi));
        }
        let plan = if schema == *plan.schema {
            plan
        } else {
            LogicalPlan::new(
                PlanNode::Project {
                    input: Arc::new(plan),
                    exprs: casts,
                },
                schema,
            )
        };
        let x = if left.len() == 1 {
            left.remove(0)
        } else {
            // A struct of the (cast) values; the executor compares it field by field.
            let mut pairs = Vec::with_capacity(2 * left.len());
            for (i, value) in left.into_iter().enumerate() {
                pairs.push(TypedExpr::literal(crate::sql::literal::string(&format!(
                    "col{}",
                    i + 1
                ))));
                pairs.push(value);
            }
            self.scalar("named_struct", pairs, None)?
        };
        Ok(TypedExpr::new(
            ExprKind::InSubquery {
                expr: Box::new(x),
                plan: SubqueryPlan(Arc::new(plan)),
                negated,
                // Spark rewrites an IN subquery of the select list into an existence join.
                two_valued: self.clause == "SELECT",
            },
            SparkType::Boolean,
        ))
    }

    pub(crate) fn case(
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
                ErrorClass::DatatypeMismatchDataDiffTypes,
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
            ErrorClass::DatatypeMismatchUnexpectedInputType,
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
                ErrorClass::InvalidExtractBaseFieldType,
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
                class: ErrorClass::FieldNotFound,
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

/// The tuples of a row-valued IN list: the left `(a, b)` and each `(x, y)` of the list, all of
/// the same width (the lowering made each tuple a `struct(...)` call).
fn row_values<'e>(expr: &'e Expr, list: &'e [Expr]) -> Option<(&'e [Expr], Vec<&'e [Expr]>)> {
    let tuple = |e: &'e Expr| match e {
        Expr::Call(c) if c.name.eq_ignore_ascii_case("struct") && c.over.is_none() => {
            Some(c.args.as_slice())
        }
        _ => None,
    };
    let left = tuple(expr)?;
    let rows: Vec<&[Expr]> = list.iter().map(tuple).collect::<Option<_>>()?;
    (left.len() > 1 && !rows.is_empty() && rows.iter().all(|r| r.len() == left.len()))
        .then_some((left, rows))
}
