//! Name resolution: which column a (possibly qualified) name denotes, in this query or an
//! enclosing one, and the closest valid names when none does.

use crate::error::{ErrorClass, QueryError, Result, Span};
use crate::plan::PlanSchema;

/// The columns visible to an expression: its input, then enclosing queries' inputs (for
/// correlated subqueries).
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    /// Columns of this query level.
    pub schema: &'a PlanSchema,
    /// The enclosing query's scope.
    pub parent: Option<&'a Scope<'a>>,
}

/// Where a name resolved to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnMatch {
    /// 0 = this level, 1 = the enclosing query, ...
    pub depth: usize,
    /// Column index at that level.
    pub index: usize,
    /// Name parts left over: struct fields to access (`window.start`).
    pub fields: Vec<String>,
}

impl<'a> Scope<'a> {
    /// A top-level scope.
    pub fn new(schema: &'a PlanSchema) -> Scope<'a> {
        Scope {
            schema,
            parent: None,
        }
    }

    /// A scope nested in `parent`.
    pub fn child(schema: &'a PlanSchema, parent: Option<&'a Scope<'a>>) -> Scope<'a> {
        Scope { schema, parent }
    }

    /// Resolve `parts`; `Ok(None)` when no level has it.
    pub fn lookup(&self, parts: &[String], span: Option<Span>) -> Result<Option<ColumnMatch>> {
        let mut level = Some(self);
        let mut depth = 0;
        while let Some(scope) = level {
            if let Some((index, fields)) = find_in(scope.schema, parts, span)? {
                return Ok(Some(ColumnMatch {
                    depth,
                    index,
                    fields,
                }));
            }
            level = scope.parent;
            depth += 1;
        }
        Ok(None)
    }

    /// The `UNRESOLVED_COLUMN` error for `parts`, suggesting this level's closest names.
    pub fn unresolved(&self, parts: &[String], span: Option<Span>) -> QueryError {
        let wanted = parts.join(".");
        let candidates: Vec<String> = self
            .schema
            .fields
            .iter()
            .map(|f| match &f.qualifier {
                Some(q) => format!("`{q}`.`{}`", f.name),
                None => format!("`{}`", f.name),
            })
            .collect();
        let suggestions = crate::suggest::ranked(&wanted, &candidates);
        let name = parts
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(".");
        if suggestions.is_empty() {
            QueryError::Analysis {
                class: ErrorClass::UnresolvedColumnWithoutSuggestion,
                message: format!(
                    "A column, variable, or function parameter with name {name} cannot be resolved."
                ),
                span,
                suggestions,
            }
        } else {
            QueryError::Analysis {
                class: ErrorClass::UnresolvedColumnWithSuggestion,
                message: format!(
                    "A column, variable, or function parameter with name {name} cannot be resolved. \
                     Did you mean one of the following? [{}].",
                    suggestions.join(", ")
                ),
                span,
                suggestions,
            }
        }
    }
}

/// Find `parts` in one schema: `qualifier.column[.field...]` first, then
/// `column[.field...]`, then `db.qualifier.column`.
fn find_in(
    schema: &PlanSchema,
    parts: &[String],
    span: Option<Span>,
) -> Result<Option<(usize, Vec<String>)>> {
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let mut attempts: Vec<(Option<&String>, &String, &[String])> = Vec::new();
    if parts.len() >= 2 {
        attempts.push((Some(&parts[0]), &parts[1], &parts[2..]));
    }
    attempts.push((None, &parts[0], &parts[1..]));
    if parts.len() >= 3 {
        attempts.push((Some(&parts[1]), &parts[2], &parts[3..]));
    }
    for (qualifier, name, rest) in attempts {
        let hits: Vec<usize> = schema
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                eq(&f.name, name)
                    && qualifier.is_none_or(|q| f.qualifier.as_deref().is_some_and(|fq| eq(fq, q)))
            })
            .map(|(i, _)| i)
            .collect();
        match hits.as_slice() {
            [] => continue,
            [i] => return Ok(Some((*i, rest.to_vec()))),
            many => {
                return Err(QueryError::Analysis {
                    class: ErrorClass::AmbiguousReference,
                    message: format!(
                        "Reference `{}` is ambiguous, could be: [{}].",
                        parts.join("."),
                        many.iter()
                            .map(|&i| {
                                let f = &schema.fields[i];
                                match &f.qualifier {
                                    Some(q) => format!("`{q}`.`{}`", f.name),
                                    None => format!("`{}`", f.name),
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    span,
                    suggestions: vec![],
                });
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PlanField;
    use crate::suggest::{edit_distance, ranked as closest};
    use crate::types::SparkType;

    fn schema() -> PlanSchema {
        let f = |q: &str, n: &str| PlanField {
            qualifier: Some(q.into()),
            name: n.into(),
            data_type: SparkType::Int,
            nullable: true,
        };
        PlanSchema::new(vec![
            f("s", "device_id"),
            f("s", "trip_id"),
            f("i", "device_id"),
        ])
    }

    fn parts(s: &str) -> Vec<String> {
        s.split('.').map(String::from).collect()
    }

    #[test]
    fn test_lookup_qualified_and_ambiguous() {
        let schema = schema();
        let scope = Scope::new(&schema);
        assert_eq!(
            scope
                .lookup(&parts("S.Device_Id"), None)
                .unwrap()
                .unwrap()
                .index,
            0
        );
        assert_eq!(
            scope
                .lookup(&parts("i.device_id"), None)
                .unwrap()
                .unwrap()
                .index,
            2
        );
        assert_eq!(
            scope
                .lookup(&parts("trip_id"), None)
                .unwrap()
                .unwrap()
                .index,
            1
        );
        let err = scope.lookup(&parts("device_id"), None).unwrap_err();
        assert_eq!(err.class(), "AMBIGUOUS_REFERENCE");
        assert!(scope.lookup(&parts("nope"), None).unwrap().is_none());
    }

    #[test]
    fn test_lookup_walks_out_to_enclosing_query() {
        let outer_schema = schema();
        let outer = Scope::new(&outer_schema);
        let inner_schema = PlanSchema::new(vec![PlanField::new("x", SparkType::Int)]);
        let inner = Scope::child(&inner_schema, Some(&outer));
        let m = inner.lookup(&parts("s.trip_id"), None).unwrap().unwrap();
        assert_eq!((m.depth, m.index), (1, 1));
    }

    #[test]
    fn test_suggestions_rank_by_edit_distance() {
        let cands: Vec<String> = ["`device_id`", "`trip_id`", "`factory_id`"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(closest("devise_id", &cands)[0], "`device_id`");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
