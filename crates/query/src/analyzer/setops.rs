//! UNION / EXCEPT (MINUS) / INTERSECT: column matching and type widening.

use std::sync::Arc;

use sqlparser::ast::{SetOperator, SetQuantifier};

use crate::analyzer::Planner;
use crate::analyzer::resolve::mismatch;
use crate::coerce;
use crate::error::{ErrorClass, Result};
use crate::plan::expr::{CastKind, TypedExpr};
use crate::plan::{LogicalPlan, PlanField, PlanNode, PlanSchema, SetOpKind};

impl Planner<'_> {
    pub(crate) fn set_operation(
        &self,
        left: LogicalPlan,
        right: LogicalPlan,
        op: &SetOperator,
        quantifier: &SetQuantifier,
    ) -> Result<LogicalPlan> {
        let kind = match op {
            SetOperator::Union => SetOpKind::Union,
            SetOperator::Except | SetOperator::Minus => SetOpKind::Except,
            SetOperator::Intersect => SetOpKind::Intersect,
        };
        let all = matches!(quantifier, SetQuantifier::All | SetQuantifier::AllByName);
        let by_name = matches!(
            quantifier,
            SetQuantifier::ByName | SetQuantifier::AllByName | SetQuantifier::DistinctByName
        );
        set_op(left, right, kind, all, by_name, false)
    }
}

fn op_name(kind: SetOpKind) -> &'static str {
    match kind {
        SetOpKind::Union => "UNION",
        SetOpKind::Except => "EXCEPT",
        SetOpKind::Intersect => "INTERSECT",
    }
}

/// Combine two plans: match columns (by position, or by name), widen each column pair to a
/// common type and cast both sides to it. With `allow_missing` (union by name only), columns
/// missing on one side are filled with NULL.
pub(crate) fn set_op(
    left: LogicalPlan,
    right: LogicalPlan,
    kind: SetOpKind,
    all: bool,
    by_name: bool,
    allow_missing: bool,
) -> Result<LogicalPlan> {
    let (left, right) = if by_name {
        align_by_name(left, right, allow_missing)?
    } else {
        (left, right)
    };
    if left.schema.len() != right.schema.len() {
        return Err(mismatch(
            ErrorClass::NumColumnsMismatch,
            format!(
                "{} can only be performed on inputs with the same number of columns, but the first input has {} columns and the second input has {} columns.",
                op_name(kind),
                left.schema.len(),
                right.schema.len()
            ),
            None,
        ));
    }
    let mut fields = Vec::with_capacity(left.schema.len());
    for (i, (l, r)) in left
        .schema
        .fields
        .iter()
        .zip(&right.schema.fields)
        .enumerate()
    {
        let t = coerce::wider_type(&l.data_type, &r.data_type).ok_or_else(|| {
            mismatch(
                ErrorClass::IncompatibleColumnType,
                format!(
                    "{} can only be performed on tables with compatible column types. The {} column of the second table is \"{}\" type which is not compatible with \"{}\" at the same column of the first table.",
                    op_name(kind),
                    i + 1,
                    r.data_type.simple_string().to_uppercase(),
                    l.data_type.simple_string().to_uppercase()
                ),
                None,
            )
        })?;
        fields.push(PlanField {
            qualifier: None,
            name: l.name.clone(),
            data_type: t,
            nullable: l.nullable || r.nullable,
        });
    }
    let schema = PlanSchema::new(fields);
    let left = cast_columns(left, &schema);
    let right = cast_columns(right, &schema);
    Ok(LogicalPlan::new(
        PlanNode::SetOp {
            left: Arc::new(left),
            right: Arc::new(right),
            op: kind,
            all,
        },
        schema,
    ))
}

/// Cast a plan's columns to `target`'s types (a no-op when they already match).
pub(crate) fn cast_columns(plan: LogicalPlan, target: &PlanSchema) -> LogicalPlan {
    if plan
        .schema
        .fields
        .iter()
        .zip(&target.fields)
        .all(|(a, b)| a.data_type == b.data_type)
    {
        return plan;
    }
    let exprs: Vec<TypedExpr> = plan
        .schema
        .fields
        .iter()
        .zip(&target.fields)
        .enumerate()
        .map(|(i, (f, t))| {
            TypedExpr::column(i, f.data_type.clone(), f.nullable)
                .cast_to(&t.data_type, CastKind::Ansi)
        })
        .collect();
    let mut schema = (*plan.schema).clone();
    for (f, t) in schema.fields.iter_mut().zip(&target.fields) {
        f.data_type = t.data_type.clone();
    }
    LogicalPlan::new(
        PlanNode::Project {
            input: Arc::new(plan),
            exprs,
        },
        schema,
    )
}

/// Reorder `right`'s columns to `left`'s names (case-insensitive).
fn align_by_name(
    left: LogicalPlan,
    right: LogicalPlan,
    allow_missing: bool,
) -> Result<(LogicalPlan, LogicalPlan)> {
    let find = |schema: &PlanSchema, name: &str| {
        schema
            .fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
    };
    let mut names: Vec<String> = left.schema.fields.iter().map(|f| f.name.clone()).collect();
    if allow_missing {
        for f in &right.schema.fields {
            if find(&left.schema, &f.name).is_none() {
                names.push(f.name.clone());
            }
        }
    }
    let pick = |plan: LogicalPlan| -> Result<LogicalPlan> {
        let mut exprs = Vec::with_capacity(names.len());
        let mut fields = Vec::with_capacity(names.len());
        for name in &names {
            match find(&plan.schema, name) {
                Some(i) => {
                    let f = &plan.schema.fields[i];
                    exprs.push(TypedExpr::column(i, f.data_type.clone(), f.nullable));
                    fields.push(f.clone());
                }
                None if allow_missing => {
                    exprs.push(TypedExpr::literal(crate::plan::expr::Literal::null(
                        crate::types::SparkType::Null,
                    )));
                    fields.push(PlanField::new(name.clone(), crate::types::SparkType::Null));
                }
                None => {
                    return Err(mismatch(
                        ErrorClass::UnresolvedColumnWithSuggestion,
                        format!("Cannot resolve column name `{name}` among the union's inputs."),
                        None,
                    ));
                }
            }
        }
        Ok(LogicalPlan::new(
            PlanNode::Project {
                input: Arc::new(plan),
                exprs,
            },
            PlanSchema::new(fields),
        ))
    };
    let right_count = right.schema.len();
    let (l, r) = (pick(left)?, pick(right)?);
    if !allow_missing && right_count != names.len() {
        return Err(mismatch(
            ErrorClass::NumColumnsMismatch,
            format!(
                "UNION BY NAME needs the same columns on both sides, but the first input has {} columns and the second {}.",
                names.len(),
                right_count
            ),
            None,
        ));
    }
    Ok((l, r))
}
