//! Building join nodes: equality conjuncts between the two sides become hash-join keys, the
//! rest stays a residual filter.

use std::sync::Arc;

use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, Result};
use crate::plan::expr::{CastKind, ExprKind, TypedExpr};
use crate::plan::{JoinKey, JoinKind, LogicalPlan, PlanNode, PlanSchema};
use crate::types::SparkType;

/// Split a predicate into its AND-ed parts.
pub(crate) fn conjuncts(e: TypedExpr, out: &mut Vec<TypedExpr>) {
    match e.kind {
        ExprKind::And(a, b) => {
            conjuncts(*a, out);
            conjuncts(*b, out);
        }
        kind => out.push(TypedExpr { kind, ..e }),
    }
}

/// AND the parts back together (`None` for no parts).
pub(crate) fn and_all(parts: Vec<TypedExpr>) -> Option<TypedExpr> {
    parts
        .into_iter()
        .reduce(|a, b| TypedExpr::new(ExprKind::And(Box::new(a), Box::new(b)), SparkType::Boolean))
}

#[derive(PartialEq, Clone, Copy)]
enum Side {
    Left,
    Right,
}

fn side(e: &TypedExpr, left_width: usize) -> Option<Side> {
    let cols = e.columns();
    if cols.is_empty() || e.has_subquery() {
        None
    } else if cols.iter().all(|&c| c < left_width) {
        Some(Side::Left)
    } else if cols.iter().all(|&c| c >= left_width) {
        Some(Side::Right)
    } else {
        None
    }
}

/// An equality conjunct `a = b` / `a <=> b` with one side per input, as a join key.
pub(crate) fn as_join_key(conj: &TypedExpr, left_width: usize) -> Option<JoinKey> {
    let ExprKind::Call { func, args } = &conj.kind else {
        return None;
    };
    let name = func.0.name();
    if !(name == "=" || name == "<=>") || args.len() != 2 {
        return None;
    }
    let (a, b) = (&args[0], &args[1]);
    let (l, r) = match (side(a, left_width)?, side(b, left_width)?) {
        (Side::Left, Side::Right) => (a, b),
        (Side::Right, Side::Left) => (b, a),
        _ => return None,
    };
    Some(JoinKey {
        left: l.clone(),
        right: r.clone().remap_columns(&|i| i - left_width),
        null_safe: name == "<=>",
    })
}

/// The output schema of a join.
pub(crate) fn join_schema(left: &PlanSchema, right: &PlanSchema, kind: JoinKind) -> PlanSchema {
    if matches!(kind, JoinKind::LeftSemi | JoinKind::LeftAnti) {
        return left.clone();
    }
    let mut schema = left.join(right);
    let nl = left.len();
    for (i, f) in schema.fields.iter_mut().enumerate() {
        let from_left = i < nl;
        if matches!(
            (kind, from_left),
            (JoinKind::Left, false) | (JoinKind::Right, true) | (JoinKind::Full, _)
        ) {
            f.nullable = true;
        }
    }
    schema
}

/// A join of `left` and `right` on `predicate` (over left columns then right columns).
pub(crate) fn build_join(
    left: LogicalPlan,
    right: LogicalPlan,
    kind: JoinKind,
    predicate: Option<TypedExpr>,
) -> Result<LogicalPlan> {
    let nl = left.schema.len();
    let mut keys = Vec::new();
    let mut rest = Vec::new();
    if let Some(p) = predicate {
        let mut parts = Vec::new();
        conjuncts(p, &mut parts);
        for conj in parts {
            match as_join_key(&conj, nl) {
                Some(k) => keys.push(k),
                None => rest.push(conj),
            }
        }
    }
    let schema = join_schema(&left.schema, &right.schema, kind);
    Ok(LogicalPlan::new(
        PlanNode::Join {
            left: Arc::new(left),
            right: Arc::new(right),
            kind,
            keys,
            filter: and_all(rest),
        },
        schema,
    ))
}

/// `JOIN ... USING (a, b)`: the shared columns once (coalesced for FULL joins), then the rest
/// of each side.
pub(crate) fn join_using(
    planner: &Planner<'_>,
    left: LogicalPlan,
    right: LogicalPlan,
    kind: JoinKind,
    names: &[String],
) -> Result<LogicalPlan> {
    let find = |schema: &PlanSchema, name: &str, side: &str| -> Result<usize> {
        let hits: Vec<usize> = schema
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name.eq_ignore_ascii_case(name))
            .map(|(i, _)| i)
            .collect();
        match hits.as_slice() {
            [i] => Ok(*i),
            _ => Err(mismatch(
                ErrorClass::UnresolvedUsingColumnForJoin,
                format!("USING column `{name}` cannot be resolved on the {side} side of the join."),
                None,
            )),
        }
    };
    let nl = left.schema.len();
    let combined = left.schema.join(&right.schema);
    let scope = Scope::new(&combined);
    let ctx = ExprContext::plain(planner, &scope, "USING");
    let mut pairs = Vec::new();
    let mut equalities = Vec::new();
    for name in names {
        let (li, ri) = (
            find(&left.schema, name, "left")?,
            find(&right.schema, name, "right")?,
        );
        let (lf, rf) = (&left.schema.fields[li], &right.schema.fields[ri]);
        let l = TypedExpr::column(li, lf.data_type.clone(), lf.nullable);
        let r = TypedExpr::column(nl + ri, rf.data_type.clone(), rf.nullable);
        equalities.push(ctx.operator("=", vec![l, r], None)?);
        pairs.push((li, ri));
    }
    let join = build_join(left, right, kind, and_all(equalities))?;
    if matches!(kind, JoinKind::LeftSemi | JoinKind::LeftAnti) {
        return Ok(join);
    }
    let js = join.schema.clone();
    let col =
        |i: usize| TypedExpr::column(i, js.fields[i].data_type.clone(), js.fields[i].nullable);
    let mut exprs = Vec::new();
    let mut fields = Vec::new();
    for &(li, ri) in &pairs {
        let (l, r) = (col(li), col(nl + ri));
        let (e, f) = match kind {
            JoinKind::Right => (r, js.fields[nl + ri].clone()),
            JoinKind::Full => {
                let t = crate::coerce::wider_type(&l.data_type, &r.data_type)
                    .unwrap_or(l.data_type.clone());
                let mut f = js.fields[li].clone();
                f.data_type = t.clone();
                let e = TypedExpr::new(
                    ExprKind::Coalesce(vec![
                        l.cast_to(&t, CastKind::Ansi),
                        r.cast_to(&t, CastKind::Ansi),
                    ]),
                    t,
                );
                (e, f)
            }
            _ => (l, js.fields[li].clone()),
        };
        exprs.push(e);
        fields.push(f);
    }
    for i in 0..js.len() {
        let shared = pairs.iter().any(|&(li, ri)| i == li || i == nl + ri);
        if !shared {
            exprs.push(col(i));
            fields.push(js.fields[i].clone());
        }
    }
    Ok(LogicalPlan::new(
        PlanNode::Project {
            input: Arc::new(join),
            exprs,
        },
        PlanSchema::new(fields),
    ))
}
