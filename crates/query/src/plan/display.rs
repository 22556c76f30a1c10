//! A readable, indented rendering of plans (like `EXPLAIN`), for debugging and tests.

use std::fmt;

use crate::plan::expr::{ExprKind, TypedExpr};
use crate::plan::{LogicalPlan, PlanNode};

impl fmt::Display for TypedExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, items: &[TypedExpr]| -> fmt::Result {
            for (i, e) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{e}")?;
            }
            Ok(())
        };
        match &self.kind {
            ExprKind::Column(i) => write!(f, "#{i}"),
            ExprKind::Outer { depth, index } => write!(f, "outer{depth}#{index}"),
            ExprKind::Literal(l) => write!(f, "{l:?}"),
            ExprKind::Call { func, args } => {
                write!(f, "{}(", func.0.name())?;
                list(f, args)?;
                f.write_str(")")
            }
            ExprKind::Cast { expr, kind } => {
                write!(f, "{kind:?}Cast({expr} AS {})", self.data_type)
            }
            ExprKind::And(a, b) => write!(f, "({a} AND {b})"),
            ExprKind::Or(a, b) => write!(f, "({a} OR {b})"),
            ExprKind::Not(e) => write!(f, "NOT {e}"),
            ExprKind::IsNull { expr, negated } => {
                write!(f, "{expr} IS {}NULL", if *negated { "NOT " } else { "" })
            }
            ExprKind::Case {
                branches,
                otherwise,
            } => {
                f.write_str("CASE")?;
                for (c, v) in branches {
                    write!(f, " WHEN {c} THEN {v}")?;
                }
                if let Some(o) = otherwise {
                    write!(f, " ELSE {o}")?;
                }
                f.write_str(" END")
            }
            ExprKind::Coalesce(args) => {
                f.write_str("coalesce(")?;
                list(f, args)?;
                f.write_str(")")
            }
            ExprKind::InList {
                expr,
                list: items,
                negated,
                ..
            } => {
                write!(f, "{expr} {}IN (", if *negated { "NOT " } else { "" })?;
                list(f, items)?;
                f.write_str(")")
            }
            ExprKind::InSubquery { expr, negated, .. } => {
                write!(
                    f,
                    "{expr} {}IN (subquery)",
                    if *negated { "NOT " } else { "" }
                )
            }
            ExprKind::Exists { negated, .. } => {
                write!(f, "{}EXISTS (subquery)", if *negated { "NOT " } else { "" })
            }
            ExprKind::ScalarSubquery(_) => f.write_str("(scalar subquery)"),
            ExprKind::GetField { expr, index } => write!(f, "{expr}.{index}"),
        }
    }
}

impl LogicalPlan {
    fn fmt_indented(&self, f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
        let pad = "  ".repeat(depth);
        let exprs = |items: &[TypedExpr]| {
            items
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.node {
            PlanNode::Scan {
                name, projection, ..
            } => {
                write!(f, "{pad}Scan {name}")?;
                if let Some(p) = projection {
                    write!(f, " columns={p:?}")?;
                }
            }
            PlanNode::Values { rows } => write!(f, "{pad}Values rows={}", rows.len())?,
            PlanNode::Project { exprs: e, .. } => write!(f, "{pad}Project {}", exprs(e))?,
            PlanNode::Filter { predicate, .. } => write!(f, "{pad}Filter {predicate}")?,
            PlanNode::Aggregate { group, aggs, .. } => {
                let a: Vec<String> = aggs
                    .iter()
                    .map(|a| format!("{:?}({})", a.func, exprs(&a.args)))
                    .collect();
                write!(
                    f,
                    "{pad}Aggregate group=[{}] aggs=[{}]",
                    exprs(group),
                    a.join(", ")
                )?
            }
            PlanNode::Window { calls, .. } => {
                let c: Vec<String> = calls.iter().map(|c| format!("{:?}", c.func)).collect();
                write!(f, "{pad}Window [{}]", c.join(", "))?
            }
            PlanNode::Join {
                kind, keys, filter, ..
            } => {
                let k: Vec<String> = keys
                    .iter()
                    .map(|k| format!("{} = {}", k.left, k.right))
                    .collect();
                write!(f, "{pad}Join {kind:?} keys=[{}]", k.join(", "))?;
                if let Some(p) = filter {
                    write!(f, " filter={p}")?;
                }
            }
            PlanNode::LateralJoin { kind, filter, .. } => {
                write!(f, "{pad}LateralJoin {kind:?}")?;
                if let Some(p) = filter {
                    write!(f, " filter={p}")?;
                }
            }
            PlanNode::Sort { keys, .. } => {
                let k: Vec<String> = keys
                    .iter()
                    .map(|k| format!("{} {}", k.expr, if k.ascending { "ASC" } else { "DESC" }))
                    .collect();
                write!(f, "{pad}Sort {}", k.join(", "))?
            }
            PlanNode::Limit { skip, fetch, .. } => {
                write!(f, "{pad}Limit skip={skip} fetch={fetch:?}")?
            }
            PlanNode::Distinct { .. } => write!(f, "{pad}Distinct")?,
            PlanNode::SetOp { op, all, .. } => {
                write!(f, "{pad}{op:?}{}", if *all { " ALL" } else { "" })?
            }
            PlanNode::Generate {
                kind, arg, outer, ..
            } => write!(
                f,
                "{pad}Generate {kind:?}({arg}){}",
                if *outer { " OUTER" } else { "" }
            )?,
            PlanNode::Alias { .. } => write!(f, "{pad}Alias")?,
            PlanNode::Extension { node, .. } => write!(f, "{pad}Extension {}", node.name())?,
        }
        let cols: Vec<String> = self.schema.fields.iter().map(|c| c.name.clone()).collect();
        writeln!(f, "  -> [{}]", cols.join(", "))?;
        for child in self.children() {
            child.fmt_indented(f, depth + 1)?;
        }
        Ok(())
    }
}

impl fmt::Display for LogicalPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_indented(f, 0)
    }
}
