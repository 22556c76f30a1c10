//! The select list: stars (`*`, `t.*`, `* EXCEPT (...)`), aliases and the names Spark derives
//! for unaliased items.

use sqlparser::ast::{self, SelectItemQualifiedWildcardKind};

use crate::analyzer::resolve::mismatch;
use crate::analyzer::select::SelectItem;
use crate::analyzer::{Planner, Scope};
use crate::error::{ErrorClass, Result};
use crate::expr::Expr;
use crate::plan::{PlanField, PlanSchema};
use crate::sql::lower::Lowering;

impl Planner<'_> {
    /// Expand `*`, `t.*` and `* EXCEPT (...)`; name the other items.
    pub(crate) fn select_items(
        &self,
        projection: &[ast::SelectItem],
        lowering: &Lowering<'_>,
        schema: &PlanSchema,
    ) -> Result<Vec<SelectItem>> {
        let mut items = Vec::new();
        let star = |qualifier: Option<String>,
                    opts: &ast::WildcardAdditionalOptions,
                    items: &mut Vec<SelectItem>|
         -> Result<()> {
            if opts.opt_replace.is_some()
                || opts.opt_rename.is_some()
                || opts.opt_ilike.is_some()
                || opts.opt_exclude.is_some()
            {
                return Err(
                    self.unsupported_clause("REPLACE, RENAME, ILIKE and EXCLUDE after *", None)
                );
            }
            let except: Vec<&ast::Ident> = match &opts.opt_except {
                Some(e) => std::iter::once(&e.first_element)
                    .chain(&e.additional_elements)
                    .collect(),
                None => vec![],
            };
            let visible: Vec<(usize, &PlanField)> = schema
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    qualifier.as_ref().is_none_or(|q| {
                        f.qualifier
                            .as_deref()
                            .is_some_and(|fq| fq.eq_ignore_ascii_case(q))
                    })
                })
                .collect();
            if visible.is_empty() && qualifier.is_some() {
                return Err(mismatch(
                    ErrorClass::CannotResolveStarExpand,
                    format!(
                        "Cannot resolve `{}`.* given input columns.",
                        qualifier.unwrap_or_default()
                    ),
                    None,
                ));
            }
            for ex in &except {
                if !visible
                    .iter()
                    .any(|(_, f)| f.name.eq_ignore_ascii_case(&ex.value))
                {
                    let sub = PlanSchema::new(visible.iter().map(|(_, f)| (*f).clone()).collect());
                    return Err(Scope::new(&sub)
                        .unresolved(std::slice::from_ref(&ex.value), self.origin.span(ex.span)));
                }
            }
            for (i, f) in visible {
                if except
                    .iter()
                    .any(|ex| ex.value.eq_ignore_ascii_case(&f.name))
                {
                    continue;
                }
                items.push(SelectItem {
                    expr: Expr::InputColumn {
                        index: i,
                        name: f.name.clone(),
                    },
                    name: f.name.clone(),
                    aliased: false,
                    aliases: vec![],
                });
            }
            Ok(())
        };
        for item in projection {
            match item {
                ast::SelectItem::UnnamedExpr(e) => {
                    let expr = lowering.expr(e)?;
                    let name = match &expr {
                        Expr::Call(c)
                            if c.name.eq_ignore_ascii_case("window") && c.over.is_none() =>
                        {
                            "window".to_string()
                        }
                        other => other.output_name(),
                    };
                    items.push(SelectItem {
                        expr,
                        name,
                        aliased: false,
                        aliases: vec![],
                    });
                }
                ast::SelectItem::ExprWithAlias { expr, alias } => {
                    items.push(SelectItem {
                        expr: lowering.expr(expr)?,
                        name: alias.value.clone(),
                        aliased: true,
                        aliases: vec![],
                    });
                }
                ast::SelectItem::ExprWithAliases { expr, aliases } => {
                    let names: Vec<String> = aliases.iter().map(|a| a.value.clone()).collect();
                    items.push(SelectItem {
                        expr: lowering.expr(expr)?,
                        name: names.first().cloned().unwrap_or_default(),
                        aliased: true,
                        aliases: names,
                    });
                }
                ast::SelectItem::Wildcard(opts) => star(None, opts, &mut items)?,
                ast::SelectItem::QualifiedWildcard(kind, opts) => {
                    let q = match kind {
                        SelectItemQualifiedWildcardKind::ObjectName(name) => name
                            .0
                            .last()
                            .map(|p| {
                                p.as_ident()
                                    .map(|i| i.value.clone())
                                    .unwrap_or_else(|| p.to_string())
                            })
                            .unwrap_or_default(),
                        SelectItemQualifiedWildcardKind::Expr(e) => e.to_string(),
                    };
                    star(Some(q), opts, &mut items)?
                }
            }
        }
        Ok(items)
    }
}
