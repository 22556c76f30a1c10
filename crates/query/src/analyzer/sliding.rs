//! Sliding `window(ts, size, slide)` in GROUP BY: expanded below the aggregate into one row per
//! window each timestamp falls in.

use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::analyzer::select::{GroupSpec, SelectCore};
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, Result};
use crate::expr::Expr;
use crate::plan::LogicalPlan;
use crate::plan::expr::TypedExpr;
use crate::types::SparkType;

impl Planner<'_> {
    /// Expand a sliding `window(ts, size, slide)` into one row per window (a Generate node
    /// appending the `window` struct); the call then reads that column.
    pub(crate) fn sliding_window<'s>(
        &self,
        input: LogicalPlan,
        mut core: SelectCore<'s>,
        parent: Option<&Scope<'_>>,
    ) -> Result<(LogicalPlan, SelectCore<'s>)> {
        let Some(args) = find_sliding(&core) else {
            return Ok((input, core));
        };
        let schema = input.schema.clone();
        let scope = Scope::child(&schema, parent);
        let ctx = ExprContext::plain(self, &scope, "window");
        let resolved: Vec<TypedExpr> =
            args.iter().map(|a| ctx.resolve(a)).collect::<Result<_>>()?;
        let size = duration(self, &resolved[1], "window duration")?;
        let slide = duration(self, &resolved[2], "slide duration")?;
        let start = match resolved.get(3) {
            Some(s) => duration(self, s, "start time")?,
            None => 0,
        };
        if size <= 0 || slide <= 0 || slide > size {
            return Err(mismatch(
                ErrorClass::DatatypeMismatchInvalidWindowDuration,
                "A window's slide must be positive and at most its duration.".into(),
                None,
            ));
        }
        if slide == size {
            return Ok((input, core));
        }
        let ts = resolved[0]
            .clone()
            .cast_to(&SparkType::Timestamp, crate::plan::expr::CastKind::Ansi);
        let kind = crate::plan::GeneratorKind::TimeWindows { size, slide, start };
        let plan = crate::analyzer::lateral::generate(input, kind, false, ts, &[], None)?;
        let index = plan.schema.len() - 1;
        let column = TypedExpr::column(index, plan.schema.fields[index].data_type.clone(), true);
        core.sliding = Some((resolved, column));
        Ok((plan, core))
    }
}

/// The first `window(ts, size, slide[, start])` call with a slide shorter than its size in the
/// GROUP BY or select list.
pub(crate) fn find_sliding(core: &SelectCore<'_>) -> Option<Vec<Expr>> {
    fn visit(e: &Expr) -> Option<Vec<Expr>> {
        match e {
            Expr::Call(c)
                if c.name.eq_ignore_ascii_case("window")
                    && c.over.is_none()
                    && c.args.len() >= 3 =>
            {
                Some(c.args.clone())
            }
            Expr::Alias(inner, _) | Expr::Field { expr: inner, .. } => visit(inner),
            _ => None,
        }
    }
    let groups: &[Expr] = match &core.group_by {
        GroupSpec::Exprs { exprs, .. } => exprs,
        _ => &[],
    };
    groups
        .iter()
        .chain(core.items.iter().map(|i| &i.expr))
        .find_map(visit)
}

/// A constant interval string (`'10 minutes'`) in microseconds.
pub(crate) fn duration(planner: &Planner<'_>, e: &TypedExpr, what: &str) -> Result<i64> {
    use arrow::array::{Array, AsArray};
    let bad = || {
        mismatch(
            ErrorClass::DatatypeMismatchInvalidWindowDuration,
            format!(
                "The {what} of `window` must be a constant day-time duration such as '5 minutes'."
            ),
            None,
        )
    };
    let lit = planner.constant(e).ok_or_else(bad)?;
    if lit.data_type != SparkType::String || lit.value.is_null(0) {
        return Err(bad());
    }
    let text = lit.value.as_string::<i32>().value(0).to_string();
    let (t, v) =
        crate::functions::interval::parse_interval_literal(&text, None, None).map_err(|_| bad())?;
    match t {
        SparkType::DayTimeInterval(..) => Ok(v
            .as_primitive::<arrow::datatypes::DurationMicrosecondType>()
            .value(0)),
        _ => Err(bad()),
    }
}
