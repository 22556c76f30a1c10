//! Every expression a plan node holds (not its inputs' and not inside its subqueries), read-only
//! or to rewrite in place: the one list the passes that look at or rewrite a whole plan's
//! expressions share, so a new node or field is added in one place.

use super::PlanNode;
use super::expr::TypedExpr;
use super::window::WindowFunc;

/// One body for both borrows: `node_exprs!(node)` lists `&TypedExpr`s and
/// `node_exprs!(node, mut)` lists `&mut TypedExpr`s (match ergonomics carry the borrow through).
macro_rules! node_exprs {
    ($node:expr $(, $m:tt)?) => {{
        let mut out = Vec::new();
        match $node {
            PlanNode::Values { rows } => {
                for row in rows {
                    out.extend(row);
                }
            }
            PlanNode::Project { exprs, .. } => out.extend(exprs),
            PlanNode::Filter { predicate, .. } => out.push(predicate),
            PlanNode::Aggregate { group, aggs, .. } => {
                out.extend(group);
                for a in aggs {
                    out.extend(&$($m)? a.args);
                    out.extend(&$($m)? a.filter);
                }
            }
            PlanNode::Window { calls, .. } => {
                for c in calls {
                    out.extend(&$($m)? c.args);
                    out.extend(&$($m)? c.partition_by);
                    for k in &$($m)? c.order_by {
                        out.push(&$($m)? k.expr);
                    }
                    match &$($m)? c.func {
                        WindowFunc::Aggregate(a) => {
                            out.extend(&$($m)? a.args);
                            out.extend(&$($m)? a.filter);
                        }
                        WindowFunc::Lag { default: Some(d), .. }
                        | WindowFunc::Lead { default: Some(d), .. } => out.push(&$($m)? **d),
                        _ => {}
                    }
                }
            }
            PlanNode::Join { keys, filter, .. } => {
                for k in keys {
                    out.push(&$($m)? k.left);
                    out.push(&$($m)? k.right);
                }
                out.extend(filter);
            }
            PlanNode::LateralJoin { filter, .. } => out.extend(filter),
            PlanNode::Sort { keys, .. } => {
                for k in keys {
                    out.push(&$($m)? k.expr);
                }
            }
            PlanNode::Generate { arg, .. } => out.push(arg),
            PlanNode::Scan { .. }
            | PlanNode::Limit { .. }
            | PlanNode::Distinct { .. }
            | PlanNode::SetOp { .. }
            | PlanNode::Alias { .. }
            | PlanNode::Extension { .. } => {}
        }
        out
    }};
}

impl PlanNode {
    /// The node's own expressions.
    pub(crate) fn exprs(&self) -> Vec<&TypedExpr> {
        node_exprs!(self)
    }

    /// The node's own expressions, to rewrite in place.
    pub(crate) fn exprs_mut(&mut self) -> Vec<&mut TypedExpr> {
        node_exprs!(self, mut)
    }

    /// The input columns the node's own expressions read, in order; `None` when one holds a
    /// subquery, which may read any column of its outer row by position.
    pub(crate) fn columns_read(&self) -> Option<Vec<usize>> {
        let exprs = self.exprs();
        if exprs.iter().any(|e| e.has_subquery()) {
            return None;
        }
        let mut read: Vec<usize> = exprs.iter().flat_map(|e| e.columns()).collect();
        read.sort_unstable();
        read.dedup();
        Some(read)
    }

    /// Replace each of the node's own expressions with `f` of it.
    pub(crate) fn map_exprs(&mut self, f: &mut dyn FnMut(TypedExpr) -> TypedExpr) {
        for e in self.exprs_mut() {
            // A cheap placeholder while `f` owns the expression.
            let taken = std::mem::replace(e, TypedExpr::column(0, e.data_type.clone(), true));
            *e = f(taken);
        }
    }
}
