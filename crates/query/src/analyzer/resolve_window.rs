//! Window function calls: the function, its PARTITION BY / ORDER BY and its frame (ROWS or
//! RANGE, interval bounds), checked as Spark checks them.

use crate::analyzer::aggregates::aggregate_func;
use crate::analyzer::resolve::{ExprContext, WINDOW_REF_BASE, mismatch};
use crate::analyzer::resolve_call::wrong_args;
use crate::error::{ErrorClass, Result};
use crate::expr::{BoundSpec, Expr, FunctionCall, WindowSpec};
use crate::plan::SortKey;
use crate::plan::expr::{CastKind, Literal, TypedExpr};
use crate::plan::window::{FrameBound, FrameUnits, WindowCall, WindowFrame, WindowFunc};
use crate::types::SparkType;

impl ExprContext<'_> {
    pub(crate) fn window_call(
        &self,
        name: &str,
        c: &FunctionCall,
        spec: &WindowSpec,
    ) -> Result<TypedExpr> {
        let Some(collector) = self.windows else {
            return Err(mismatch(
                ErrorClass::WindowFunctionNotAllowedInClause,
                format!(
                    "It is not allowed to use window functions inside {} clause.",
                    self.clause
                ),
                c.span,
            ));
        };
        // Window arguments and keys may contain aggregates (in an aggregate query), never
        // other window functions.
        let keys = ExprContext {
            windows: None,
            clause: "a window specification",
            ..*self
        };
        let partition_by = spec
            .partition_by
            .iter()
            .map(|p| keys.resolve(p))
            .collect::<Result<Vec<_>>>()?;
        let order_by = spec
            .order_by
            .iter()
            .map(|o| {
                Ok(SortKey {
                    expr: keys.resolve(&o.expr)?,
                    ascending: o.ascending,
                    nulls_first: o.nulls_first.unwrap_or(o.ascending),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let arg = |i: usize| -> Result<TypedExpr> {
            let e = c
                .args
                .get(i)
                .ok_or_else(|| wrong_args(name, &format!("{}", i + 1), c.args.len(), c))?;
            keys.resolve(e)
        };
        let ignore_nulls = c.ignore_nulls.unwrap_or(false);
        let (func, args, data_type, ignore_nulls) = match name {
            "row_number" => (WindowFunc::RowNumber, vec![], SparkType::Int, false),
            "rank" => (WindowFunc::Rank, vec![], SparkType::Int, false),
            "dense_rank" => (WindowFunc::DenseRank, vec![], SparkType::Int, false),
            "percent_rank" => (WindowFunc::PercentRank, vec![], SparkType::Double, false),
            "cume_dist" => (WindowFunc::CumeDist, vec![], SparkType::Double, false),
            "ntile" => {
                let n = self.constant_int(
                    c.args.first().ok_or_else(|| wrong_args(name, "1", 0, c))?,
                    "ntile's bucket count",
                )?;
                if n <= 0 {
                    return Err(mismatch(
                        ErrorClass::DatatypeMismatchValueOutOfRange,
                        format!("ntile needs a positive bucket count, got {n}."),
                        c.span,
                    ));
                }
                (WindowFunc::Ntile(n), vec![], SparkType::Int, false)
            }
            "lag" | "lead" => {
                let x = arg(0)?;
                let offset = match c.args.get(1) {
                    Some(e) => self.constant_int(e, "the offset of lag/lead")?,
                    None => 1,
                };
                let default = match c.args.get(2) {
                    Some(_) => Some(Box::new(arg(2)?.cast_to(&x.data_type, CastKind::Ansi))),
                    None => None,
                };
                let t = x.data_type.clone();
                let f = if name == "lag" {
                    WindowFunc::Lag { offset, default }
                } else {
                    WindowFunc::Lead { offset, default }
                };
                (f, vec![x], t, ignore_nulls)
            }
            "first_value" | "last_value" | "first" | "last" | "nth_value" => {
                let x = arg(0)?;
                let t = x.data_type.clone();
                let mut ignore = ignore_nulls;
                let f = match name {
                    "nth_value" => WindowFunc::NthValue(self.constant_int(
                        c.args.get(1).ok_or_else(|| wrong_args(name, "2", 1, c))?,
                        "nth_value's position",
                    )?),
                    _ => {
                        if c.args.len() == 2 {
                            ignore |= self.constant_bool(&arg(1)?, name)?;
                        }
                        if name.starts_with("first") {
                            WindowFunc::FirstValue
                        } else {
                            WindowFunc::LastValue
                        }
                    }
                };
                (f, vec![x], t, ignore)
            }
            _ => match aggregate_func(name) {
                Some(func) => {
                    let agg = self.aggregate_of(func, name, c, &keys)?;
                    let t = agg.data_type.clone();
                    let ignore = agg.ignore_nulls;
                    (WindowFunc::Aggregate(agg), vec![], t, ignore)
                }
                None => {
                    return Err(mismatch(
                        ErrorClass::UnsupportedExprForWindow,
                        format!("Expression \"{name}\" not supported within a window function."),
                        c.span,
                    ));
                }
            },
        };
        let needs_order = matches!(
            func,
            WindowFunc::RowNumber
                | WindowFunc::Rank
                | WindowFunc::DenseRank
                | WindowFunc::PercentRank
                | WindowFunc::CumeDist
                | WindowFunc::Ntile(_)
                | WindowFunc::Lag { .. }
                | WindowFunc::Lead { .. }
        );
        if needs_order && order_by.is_empty() {
            return Err(mismatch(
                ErrorClass::WindowFunctionFrameNotOrdered,
                format!(
                    "Window function {name} requires the window to be ordered. You need to add an ORDER BY clause. For example: SELECT {name}(...) OVER (PARTITION BY window_partition ORDER BY window_ordering) FROM table."
                ),
                c.span,
            ));
        }
        let frame = match &spec.frame {
            None => WindowFrame::default_for(!order_by.is_empty()),
            Some(f) => WindowFrame {
                units: if f.range {
                    FrameUnits::Range
                } else {
                    FrameUnits::Rows
                },
                start: self.bound(&f.start, f.range)?,
                end: self.bound(&f.end, f.range)?,
            },
        };
        if frame.units == FrameUnits::Range
            && (matches!(
                frame.start,
                FrameBound::Preceding(_) | FrameBound::Following(_)
            ) || matches!(
                frame.end,
                FrameBound::Preceding(_) | FrameBound::Following(_)
            ))
            && order_by.len() != 1
        {
            return Err(mismatch(
                ErrorClass::DatatypeMismatchRangeFrameMultiOrder,
                "A RANGE frame with offsets needs exactly one ORDER BY expression.".into(),
                c.span,
            ));
        }
        let call = WindowCall {
            func,
            args,
            partition_by,
            order_by,
            frame,
            ignore_nulls,
            data_type: data_type.clone(),
        };
        let mut list = collector.borrow_mut();
        let k = match list.iter().position(|w| w == &call) {
            Some(k) => k,
            None => {
                list.push(call);
                list.len() - 1
            }
        };
        Ok(TypedExpr::column(WINDOW_REF_BASE + k, data_type, true))
    }

    pub(crate) fn bound(&self, b: &BoundSpec, range: bool) -> Result<FrameBound> {
        let offset = |e: &Expr| -> Result<Literal> {
            let r = self.inner().resolve(e)?;
            let r = if range {
                r
            } else {
                r.cast_to(&SparkType::Long, CastKind::Ansi)
            };
            self.planner.constant(&r).ok_or_else(|| {
                mismatch(
                    ErrorClass::DatatypeMismatchSpecifiedWindowFrameWithoutFoldable,
                    "A window frame bound must be a constant.".into(),
                    None,
                )
            })
        };
        Ok(match b {
            BoundSpec::UnboundedPreceding => FrameBound::UnboundedPreceding,
            BoundSpec::UnboundedFollowing => FrameBound::UnboundedFollowing,
            BoundSpec::CurrentRow => FrameBound::CurrentRow,
            BoundSpec::Preceding(e) => FrameBound::Preceding(offset(e)?),
            BoundSpec::Following(e) => FrameBound::Following(offset(e)?),
        })
    }
}
