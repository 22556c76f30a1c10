//! Generators in FROM: `LATERAL VIEW [OUTER] explode(...)` and the Generate node every
//! generator plans to.

use std::sync::Arc;

use sqlparser::ast;

use crate::analyzer::resolve::{ExprContext, mismatch};
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, Result};
use crate::expr::Expr;
use crate::plan::expr::TypedExpr;
use crate::plan::{GeneratorKind, LogicalPlan, PlanField, PlanNode, PlanSchema};
use crate::sql::lower::Lowering;
use crate::types::SparkType;

impl Planner<'_> {
    /// `LATERAL VIEW [OUTER] explode(expr) alias AS c1, c2`.
    pub(crate) fn lateral_view(
        &self,
        input: LogicalPlan,
        view: &ast::LateralView,
        parent: Option<&Scope<'_>>,
    ) -> Result<LogicalPlan> {
        let lowered = Lowering {
            origin: self.origin,
            windows: &[],
        }
        .expr(&view.lateral_view)?;
        let Expr::Call(call) = &lowered else {
            return Err(mismatch(
                ErrorClass::UnsupportedGeneratorNotGenerator,
                "LATERAL VIEW needs a generator such as explode(...).".into(),
                self.span(&view.lateral_view),
            ));
        };
        let Some((kind, outer)) = crate::analyzer::aggregates::generator(&call.name.to_lowercase())
        else {
            return Err(mismatch(
                ErrorClass::UnsupportedGeneratorNotGenerator,
                format!("`{}` is not a generator.", call.name),
                call.span,
            ));
        };
        let [arg] = call.args.as_slice() else {
            return Err(mismatch(
                ErrorClass::WrongNumArgsWithoutSuggestion,
                format!("The `{}` requires 1 parameters.", call.name),
                call.span,
            ));
        };
        let schema = input.schema.clone();
        let scope = Scope::child(&schema, parent);
        let arg = ExprContext::plain(self, &scope, "LATERAL VIEW").resolve(arg)?;
        let names: Vec<String> = view
            .lateral_col_alias
            .iter()
            .map(|i| i.value.clone())
            .collect();
        let qualifier = view.lateral_view_name.to_string();
        generate(
            input,
            kind,
            outer || view.outer,
            arg,
            &names,
            Some(&qualifier),
        )
    }
}

/// A Generate node: input columns followed by the generated ones, named `names` (or Spark's
/// defaults `col`, `pos`, `key`, `value`).
pub(crate) fn generate(
    input: LogicalPlan,
    kind: GeneratorKind,
    outer: bool,
    arg: TypedExpr,
    names: &[String],
    qualifier: Option<&String>,
) -> Result<LogicalPlan> {
    let mut generated: Vec<(String, SparkType)> = Vec::new();
    if kind == GeneratorKind::PosExplode {
        generated.push(("pos".into(), SparkType::Int));
    }
    match (&arg.data_type, kind) {
        (_, GeneratorKind::TimeWindows { .. }) => {
            let f = |n: &str| crate::types::StructField {
                name: n.into(),
                data_type: SparkType::Timestamp,
                nullable: true,
            };
            generated.push((
                "window".into(),
                SparkType::Struct(vec![f("start"), f("end")]),
            ));
        }
        (SparkType::Array(element), GeneratorKind::Inline) => match element.as_ref() {
            SparkType::Struct(fields) => {
                generated.extend(fields.iter().map(|f| (f.name.clone(), f.data_type.clone())))
            }
            other => {
                return Err(mismatch(
                    ErrorClass::DatatypeMismatchUnexpectedInputType,
                    format!("inline needs an array of structs, not array<{other}>."),
                    None,
                ));
            }
        },
        (SparkType::Array(element), _) => generated.push(("col".into(), (**element).clone())),
        (SparkType::Map(k, v), GeneratorKind::Explode | GeneratorKind::PosExplode) => {
            generated.push(("key".into(), (**k).clone()));
            generated.push(("value".into(), (**v).clone()));
        }
        (other, _) => {
            return Err(mismatch(
                ErrorClass::DatatypeMismatchUnexpectedInputType,
                format!(
                    "The generator needs an array or map argument, not \"{}\".",
                    other.simple_string().to_uppercase()
                ),
                None,
            ));
        }
    }
    if !names.is_empty() {
        if names.len() != generated.len() {
            return Err(mismatch(
                ErrorClass::UdtfAliasNumberMismatch,
                format!(
                    "The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected {} aliases but got {}.",
                    generated.len(),
                    names.len()
                ),
                None,
            ));
        }
        for (g, n) in generated.iter_mut().zip(names) {
            g.0 = n.clone();
        }
    }
    let mut fields = input.schema.fields.clone();
    fields.extend(generated.into_iter().map(|(name, data_type)| PlanField {
        qualifier: qualifier.cloned(),
        name,
        data_type,
        nullable: true,
    }));
    Ok(LogicalPlan::new(
        PlanNode::Generate {
            input: Arc::new(input),
            kind,
            arg,
            outer,
        },
        PlanSchema::new(fields),
    ))
}
