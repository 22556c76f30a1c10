//! The SQL front end's planning: the query engine resolves each table and table function
//! through the [`PlanEnv`], and dataset references are located in the source text.

use std::sync::{Arc, Mutex};

use query::{
    Catalog, DataFrame, ErrorClass, QueryError, RelationResolver, Session, SourceOrigin, TableArg,
};

use super::{PlanEnv, PlanFailure, Planned, pending};
use crate::autoloader::options::{self, RawOption, Reader, SourceOptions};
use crate::diagnostic::{Diagnostic, Location};
use crate::python::interp::query_message;
use crate::sources::fragment::Fragment;
use crate::suggest;

/// The SQL front end's view of the [`PlanEnv`].
struct SqlResolver {
    env: Arc<Mutex<PlanEnv>>,
    start: Location,
    /// The query, to point at a dataset reference (the engine's resolver gets no span).
    fragment: Fragment,
}

/// Where `fragment` first reads dataset `parts`: its `FROM`, `JOIN` or `STREAM` keyword (the
/// name itself after a comma), as written in the project.
fn reference_location(fragment: &Fragment, parts: &[String]) -> Option<Location> {
    let tokens = crate::sources::sql_lexer::tokenize(&fragment.text).ok()?;
    let spells = |at: usize| {
        parts.iter().enumerate().all(|(k, part)| {
            let name = tokens.get(at + 2 * k).and_then(|t| t.ident());
            let dot = k == 0 || tokens.get(at + 2 * k - 1).is_some_and(|t| t.is('.'));
            dot && name.is_some_and(|n| n.eq_ignore_ascii_case(part))
        })
    };
    let at = (0..tokens.len()).find(|&i| {
        let after_dot = i > 0 && tokens[i - 1].is('.');
        !after_dot && spells(i)
    })?;
    let keyword = match at.checked_sub(1).map(|i| &tokens[i]) {
        Some(t) if t.is_kw("FROM") || t.is_kw("JOIN") || t.is_kw("STREAM") => at - 1,
        Some(t) if t.is('(') && at >= 2 && tokens[at - 2].is_kw("STREAM") => at - 2,
        _ => at,
    };
    let offset = tokens[keyword].start;
    let before = &fragment.text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some(fragment.locate(u32::try_from(line).ok()?, u32::try_from(column).ok()?))
}

fn literal_text(arg: &TableArg) -> Option<String> {
    match arg {
        TableArg::Value(lit) => {
            if lit.is_null() {
                return None;
            }
            query::functions::cast::value_to_string(lit.value.as_ref(), 0, &lit.data_type)
                .ok()
                .flatten()
        }
        TableArg::Table(parts) => Some(parts.join(".")),
        TableArg::Named(_, inner) => literal_text(inner),
    }
}

impl SqlResolver {
    fn lock(&self) -> std::sync::MutexGuard<'_, PlanEnv> {
        self.env
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn dataset(
        &self,
        parts: &[String],
        streaming: bool,
    ) -> query::error::Result<Option<DataFrame>> {
        let mut env = self.lock();
        let name = parts.join(".");
        let Some(index) = env.find(parts) else {
            if streaming {
                return Err(QueryError::analysis(
                    ErrorClass::TableOrViewNotFound,
                    env.unknown(&name),
                ));
            }
            return Ok(None);
        };
        if index == env.current {
            return Err(QueryError::analysis(
                ErrorClass::CircularDependency,
                format!("dataset `{name}` reads itself"),
            ));
        }
        let location = reference_location(&self.fragment, parts);
        env.read(index, streaming, location)
            .map(Some)
            .ok_or_else(|| pending(&name))
    }

    fn files(&self, args: &[TableArg], streaming: bool) -> query::error::Result<Option<DataFrame>> {
        let mut path = None;
        let mut raw = Vec::new();
        for arg in args {
            match arg {
                TableArg::Named(key, value) => raw.push(RawOption {
                    key: key.clone(),
                    value: literal_text(value).unwrap_or_default(),
                    location: self.start.clone(),
                }),
                other if path.is_none() => path = literal_text(other),
                _ => {
                    return Err(QueryError::analysis(
                        ErrorClass::InvalidArgument,
                        "read_files takes one path and named options (format => 'csv', ...)",
                    ));
                }
            }
        }
        let path = path.ok_or_else(|| {
            QueryError::analysis(ErrorClass::InvalidArgument, "read_files needs a path")
        })?;
        let base = SourceOptions::new(&path, self.start.clone(), Reader::ReadFiles);
        let source = options::apply(base, &raw).map_err(|errors| {
            let first = errors
                .0
                .into_iter()
                .next()
                .expect("apply fails with an error");
            QueryError::Analysis {
                class: ErrorClass::InvalidOption,
                message: first.message,
                span: None,
                suggestions: first
                    .suggestions
                    .iter()
                    .map(|s| s.trim_matches('`').to_string())
                    .collect(),
            }
        })?;
        self.lock()
            .read_files(source, streaming)
            .map(Some)
            .ok_or_else(|| pending(&path))
    }
}

impl RelationResolver for SqlResolver {
    fn table(&self, name: &[String]) -> query::error::Result<Option<DataFrame>> {
        let found = self.dataset(name, false)?;
        if found.is_none() {
            let env = self.lock();
            return Err(QueryError::Analysis {
                class: ErrorClass::TableOrViewNotFound,
                message: env.unknown(&name.join(".")),
                span: None,
                suggestions: suggest::closest(
                    name.last().map_or("", String::as_str),
                    env.names.iter().map(|q| q.rsplit('.').next().unwrap_or(q)),
                ),
            });
        }
        Ok(found)
    }

    fn table_function(
        &self,
        name: &str,
        args: &[TableArg],
    ) -> query::error::Result<Option<DataFrame>> {
        match name {
            "stream" => match args {
                [TableArg::Table(parts)] => self.dataset(parts, true),
                _ => Err(QueryError::analysis(
                    ErrorClass::InvalidArgument,
                    "STREAM takes a dataset name: STREAM(sensor_bronze) or STREAM read_files(...)",
                )),
            },
            "read_files" => self.files(args, false),
            STREAM_READ_FILES => self.files(args, true),
            "cloud_files" => Err(QueryError::analysis(
                ErrorClass::UnsupportedFeature,
                "cloud_files(...) is the legacy spelling: use STREAM read_files(path, format => 'csv', ...)",
            )),
            _ => Ok(None),
        }
    }
}

/// `STREAM read_files(` is rewritten to this same-length name before parsing (sqlparser reads
/// `STREAM read_files` as a table and an alias).
const STREAM_READ_FILES: &str = "stream_read_files";

/// Replace `STREAM read_files(` by `stream_read_files(` (same length, so positions stay).
fn rewrite_stream_read_files(text: &str) -> String {
    let Ok(tokens) = crate::sources::sql_lexer::tokenize(text) else {
        return text.to_string();
    };
    let mut out = text.to_string();
    for w in tokens.windows(3) {
        if w[0].is_kw("STREAM")
            && w[1].is_kw("read_files")
            && w[2].is('(')
            && w[1].start == w[0].end + 1
        {
            out.replace_range(w[0].start..w[1].end, STREAM_READ_FILES);
        }
    }
    out
}

fn sql_error(fragment: &Fragment, e: &QueryError) -> Diagnostic {
    let location = match e.span() {
        Some(span) => fragment.locate(span.start.line, span.start.column),
        None => fragment.start.clone(),
    };
    let suggestions = match e {
        QueryError::Analysis { suggestions, .. } => suggestions
            .iter()
            .map(|s| crate::suggest::ticked(s))
            .collect(),
        _ => Vec::new(),
    };
    Diagnostic::error(Some(location), query_message(e)).with_suggestions(suggestions)
}

/// Plan SQL `text` (at `fragment`) with `env` for its inputs.
pub fn plan_sql(fragment: &Fragment, env: PlanEnv) -> (Result<Planned, PlanFailure>, PlanEnv) {
    let shared = Arc::new(Mutex::new(env));
    let resolver = SqlResolver {
        env: shared.clone(),
        start: fragment.start.clone(),
        fragment: fragment.clone(),
    };
    let session = Session::new(Catalog::new()).with_relation_resolver(Arc::new(resolver));
    let text = rewrite_stream_read_files(&fragment.text);
    let result = session.sql_df_at(&text, SourceOrigin::default());
    drop(session);
    let env = Arc::try_unwrap(shared)
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        })
        .unwrap_or_default();
    let outcome = match result {
        Ok(df) => {
            let streaming =
                env.reads.iter().any(|(_, s)| *s) || env.file_reads.iter().any(|(_, s)| *s);
            Ok(Planned { df, streaming })
        }
        Err(_) if !env.needs.is_empty() => Err(PlanFailure::Pending(env.needs.clone())),
        Err(e) => Err(PlanFailure::Error(Box::new(sql_error(fragment, &e)))),
    };
    (outcome, env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_stream_read_files_rewrite_keeps_length_and_strings() {
        let text = "SELECT * FROM STREAM read_files('/x/STREAM read_files(') WHERE 1 = 1";
        let out = rewrite_stream_read_files(text);
        assert_eq!(out.len(), text.len());
        assert!(out.starts_with("SELECT * FROM stream_read_files('/x/STREAM read_files(')"));
    }
}
