//! `grouping(x)` and `grouping_id(...)`: which group keys a row's grouping set leaves out.
//! Spark allows them only under GROUPING SETS, ROLLUP or CUBE, `grouping` on a group key and
//! `grouping_id` on all of them in GROUP BY order (or none, which means the same).

use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::analyzer::resolve_call::collect_aggregate;
use crate::error::{ErrorClass, Result};
use crate::expr::{FunctionCall, IntoLiteral};
use crate::plan::aggregate::{AggFunc, AggregateCall};
use crate::plan::expr::TypedExpr;
use crate::types::SparkType;

impl ExprContext<'_> {
    /// Resolve `grouping(x)` (tinyint) or `grouping_id(...)` (bigint) into a grouping aggregate
    /// whose arguments are positions in the group keys.
    pub(crate) fn grouping_call(&self, name: &str, c: &FunctionCall) -> Result<TypedExpr> {
        let (Some(collector), Some(groups), true) =
            (self.aggs, self.group_names, self.grouping_sets)
        else {
            return Err(mismatch(
                ErrorClass::UnsupportedGroupingExpression,
                "grouping()/grouping_id() can only be used with GroupingSets/Cube/Rollup.".into(),
                c.span,
            ));
        };
        let inner = self.inner();
        let args: Vec<TypedExpr> = c
            .args
            .iter()
            .map(|a| inner.resolve(a))
            .collect::<Result<_>>()?;
        let keys: Vec<&TypedExpr> = groups.iter().map(|(_, g)| g).collect();
        let key_list = || {
            groups
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(",")
        };
        let (positions, data_type): (Vec<usize>, SparkType) = if name == "grouping" {
            let [arg] = args.as_slice() else {
                return Err(super::resolve_call::wrong_args(name, "1", args.len(), c));
            };
            let position = keys.iter().position(|k| *k == arg).ok_or_else(|| {
                mismatch(
                    ErrorClass::GroupingColumnMismatch,
                    format!(
                        "Column of grouping ({}) can't be found in grouping columns {}.",
                        c.args[0].output_name(),
                        key_list()
                    ),
                    c.span,
                )
            })?;
            (vec![position], SparkType::Byte)
        } else {
            if !args.is_empty()
                && (args.len() != keys.len() || args.iter().zip(&keys).any(|(a, k)| a != *k))
            {
                let written: Vec<String> = c.args.iter().map(|a| a.output_name()).collect();
                return Err(mismatch(
                    ErrorClass::GroupingIdColumnMismatch,
                    format!(
                        "Columns of grouping_id ({}) does not match grouping columns ({}).",
                        written.join(","),
                        key_list()
                    ),
                    c.span,
                ));
            }
            ((0..keys.len()).collect(), SparkType::Long)
        };
        let call = AggregateCall {
            func: AggFunc::Grouping,
            args: positions
                .into_iter()
                .map(|p| TypedExpr::literal((p as i64).into_literal()))
                .collect(),
            distinct: false,
            filter: None,
            ignore_nulls: false,
            reverse: false,
            data_type,
        };
        Ok(collect_aggregate(collector, call))
    }
}
