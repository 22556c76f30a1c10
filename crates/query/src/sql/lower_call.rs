//! Lowering function calls (with FILTER, DISTINCT, OVER) and window specifications.

use sqlparser::ast::{
    self, DuplicateTreatment, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArguments, NamedWindowDefinition, NamedWindowExpr, NullTreatment, WindowFrameBound,
    WindowFrameUnits, WindowType,
};

use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::expr::{BoundSpec, Expr, FrameSpec, FunctionCall, WindowSpec, lit};
use crate::sql::lower::{Lowering, unsupported};

/// Functions whose first argument is a unit keyword (`datediff(DAY, a, b)`); the keyword is
/// passed on as an upper-case string literal.
const UNIT_FIRST_FUNCTIONS: [&str; 6] = [
    "timestampadd",
    "timestampdiff",
    "dateadd",
    "datediff",
    "date_diff",
    "date_add",
];

impl Lowering<'_> {
    pub(crate) fn function(&self, f: &ast::Function, node: &ast::Expr) -> Result<Expr> {
        let span = self.span(node);
        let name = f
            .name
            .0
            .last()
            .map(|p| p.to_string())
            .unwrap_or_default()
            .to_lowercase();
        let name = name.trim_matches('`').to_string();
        let mut distinct = false;
        let mut ignore_nulls = f.null_treatment.map(|n| n == NullTreatment::IgnoreNulls);
        let mut args = Vec::new();
        match &f.args {
            FunctionArguments::None => {}
            FunctionArguments::Subquery(_) => {
                return Err(unsupported(
                    "a subquery as a function's argument list",
                    span,
                ));
            }
            FunctionArguments::List(list) => {
                distinct = list.duplicate_treatment == Some(DuplicateTreatment::Distinct);
                for clause in &list.clauses {
                    match clause {
                        FunctionArgumentClause::IgnoreOrRespectNulls(n) => {
                            ignore_nulls = Some(*n == NullTreatment::IgnoreNulls)
                        }
                        other => {
                            return Err(unsupported(
                                format!("the clause `{other}` in a call"),
                                span,
                            ));
                        }
                    }
                }
                for (i, arg) in list.args.iter().enumerate() {
                    let arg_expr = match arg {
                        FunctionArg::Unnamed(a) | FunctionArg::Named { arg: a, .. } => a,
                        FunctionArg::ExprNamed { arg: a, .. } => a,
                    };
                    args.push(match arg_expr {
                        FunctionArgExpr::Expr(ast::Expr::Identifier(id))
                            if i == 0
                                && id.quote_style.is_none()
                                && list.args.len() == 3
                                && UNIT_FIRST_FUNCTIONS.contains(&name.as_str()) =>
                        {
                            lit(id.value.to_uppercase())
                        }
                        FunctionArgExpr::Expr(x) => self.expr(x)?,
                        // `count(*)` counts rows: Spark rewrites it to `count(1)`.
                        FunctionArgExpr::Wildcard if name == "count" => lit(1),
                        FunctionArgExpr::Wildcard => Expr::Star {
                            qualifier: None,
                            except: vec![],
                        },
                        FunctionArgExpr::QualifiedWildcard(q) => Expr::Star {
                            qualifier: Some(q.to_string()),
                            except: vec![],
                        },
                        FunctionArgExpr::WildcardWithOptions(_) => {
                            return Err(unsupported("wildcard options in a call", span));
                        }
                    });
                }
            }
        }
        let over = match &f.over {
            None => None,
            Some(WindowType::WindowSpec(spec)) => Some(self.window_spec(spec, span)?),
            Some(WindowType::NamedWindow(id)) => Some(self.named_window(&id.value, span)?),
        };
        Ok(Expr::Call(Box::new(FunctionCall {
            name,
            args,
            distinct,
            filter: f
                .filter
                .as_ref()
                .map(|x| self.expr(x).map(Box::new))
                .transpose()?,
            ignore_nulls,
            over,
            within_group: self.sort_exprs(&f.within_group)?,
            span,
        })))
    }

    pub(crate) fn named_window(&self, name: &str, span: Option<Span>) -> Result<WindowSpec> {
        let def = self
            .windows
            .iter()
            .find(|NamedWindowDefinition(id, _)| id.value.eq_ignore_ascii_case(name))
            .ok_or_else(|| QueryError::Analysis {
                class: ErrorClass::MissingWindowSpecification,
                message: format!(
                    "Window specification `{name}` is not defined in the WINDOW clause"
                ),
                span,
                suggestions: self.windows.iter().map(|d| d.0.value.clone()).collect(),
            })?;
        match &def.1 {
            NamedWindowExpr::NamedWindow(other) => self.named_window(&other.value, span),
            NamedWindowExpr::WindowSpec(spec) => self.window_spec(spec, span),
        }
    }

    pub(crate) fn window_spec(
        &self,
        spec: &ast::WindowSpec,
        span: Option<Span>,
    ) -> Result<WindowSpec> {
        let mut out = match &spec.window_name {
            Some(base) => self.named_window(&base.value, span)?,
            None => WindowSpec::default(),
        };
        if !spec.partition_by.is_empty() {
            out.partition_by = self.exprs(&spec.partition_by)?;
        }
        if !spec.order_by.is_empty() {
            out.order_by = self.sort_exprs(&spec.order_by)?;
        }
        if let Some(frame) = &spec.window_frame {
            let range = match frame.units {
                WindowFrameUnits::Rows => false,
                WindowFrameUnits::Range => true,
                WindowFrameUnits::Groups => {
                    return Err(unsupported(
                        "GROUPS window frames (use ROWS or RANGE)",
                        span,
                    ));
                }
            };
            let bound = |b: &WindowFrameBound| -> Result<BoundSpec> {
                Ok(match b {
                    WindowFrameBound::CurrentRow => BoundSpec::CurrentRow,
                    WindowFrameBound::Preceding(None) => BoundSpec::UnboundedPreceding,
                    WindowFrameBound::Preceding(Some(x)) => BoundSpec::Preceding(self.expr(x)?),
                    WindowFrameBound::Following(None) => BoundSpec::UnboundedFollowing,
                    WindowFrameBound::Following(Some(x)) => BoundSpec::Following(self.expr(x)?),
                })
            };
            out.frame = Some(FrameSpec {
                range,
                start: bound(&frame.start_bound)?,
                end: match &frame.end_bound {
                    Some(e) => bound(e)?,
                    None => BoundSpec::CurrentRow,
                },
            });
        }
        Ok(out)
    }
}
