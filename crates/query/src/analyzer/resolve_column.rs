//! Column references: qualified and unqualified names, outer-query columns, and the
//! suggestions an unknown name or function gets.

use crate::analyzer::resolve::ExprContext;
use crate::analyzer::resolve_special::field_access;
use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::functions;
use crate::plan::expr::{ExprKind, TypedExpr};

/// Names that denote a function even without parentheses.
const NILADIC_FUNCTIONS: [&str; 4] = [
    "current_timestamp",
    "current_date",
    "current_timezone",
    "current_user",
];

impl<'a> ExprContext<'a> {
    pub(crate) fn column(&self, parts: &[String], span: Option<Span>) -> Result<TypedExpr> {
        if let Some(m) = self.scope.lookup(parts, span)? {
            let mut level = self.scope;
            for _ in 0..m.depth {
                level = level.parent.expect("lookup found a deeper level");
            }
            let f = &level.schema.fields[m.index];
            let base = if m.depth == 0 {
                TypedExpr::column(m.index, f.data_type.clone(), f.nullable)
            } else {
                TypedExpr::new(
                    ExprKind::Outer {
                        depth: m.depth,
                        index: m.index,
                    },
                    f.data_type.clone(),
                )
            };
            return field_access(base, &m.fields, span);
        }
        if let Some(groups) = self.group_names
            && let Some((_, g)) = groups
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&parts[0]))
        {
            return field_access(g.clone(), &parts[1..], span);
        }
        if parts.len() == 1
            && let Some(aliases) = self.aliases
            && let Some((_, aliased)) = aliases
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&parts[0]))
        {
            let inner = ExprContext {
                aliases: None,
                ..*self
            };
            return inner.resolve(aliased);
        }
        if parts.len() == 1 && NILADIC_FUNCTIONS.contains(&parts[0].to_lowercase().as_str()) {
            return self.scalar(&parts[0].to_lowercase(), vec![], span);
        }
        Err(self.scope.unresolved(parts, span))
    }

    pub(crate) fn unknown_function(&self, name: &str, span: Option<Span>) -> QueryError {
        let mut known: Vec<String> = functions::names().map(String::from).collect();
        known.extend(
            [
                "count", "sum", "avg", "min", "max", "coalesce", "if", "nullif",
            ]
            .map(String::from),
        );
        QueryError::Analysis {
            class: ErrorClass::UnresolvedRoutine,
            message: format!(
                "Cannot resolve routine `{name}` on search path [`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]."
            ),
            span,
            suggestions: crate::suggest::ranked(name, &known),
        }
    }
}
