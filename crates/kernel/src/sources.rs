//! Each row source materialised as one Arrow batch with Spark types: tables, queries, failed
//! rows, the event log and volume files (the `preview` module reads those).

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{RecordBatch, StringArray};
use pipeline::event_log::Event;
use protocol::{Place, Problem, RowSource};
use query::{
    DataFrame, ErrorClass, ExecOptions, QueryError, RelationResolver, Session, Table, TableArg,
};

use crate::Kernel;
use crate::materialized::{Materialized, from_batch, materialized};

/// Materialise `source`.
pub(crate) fn materialize(kernel: &Kernel, source: &RowSource) -> Result<Materialized, Problem> {
    match source {
        RowSource::Table { name } => {
            let (qualified, table) = resolve_table(kernel, name)?;
            let short = qualified
                .rsplit('.')
                .next()
                .unwrap_or(&qualified)
                .to_string();
            materialized(&short, &table, 0.0)
        }
        RowSource::Query { sql } => query(kernel, sql),
        RowSource::FailedRows {
            dataset,
            expectation,
        } => failed_rows(kernel, dataset, expectation),
        RowSource::EventLog { event_type } => {
            let events: Vec<Event> = kernel
                .state
                .events
                .iter()
                .filter(|e| event_type.as_ref().is_none_or(|t| &e.event_type == t))
                .cloned()
                .collect();
            from_batch("event_log", pipeline::event_log::to_batch(&events))
        }
        RowSource::File { path } => crate::preview::file(kernel, path),
    }
}

/// A stored table by qualified or short name: short names resolve in the current target's
/// schema first, then anywhere they are unique.
pub(crate) fn resolve_table(kernel: &Kernel, name: &str) -> Result<(String, Arc<Table>), Problem> {
    let state = &kernel.state;
    let stored: Vec<(&String, &pipeline::state::StoredTable)> = state
        .tables
        .iter()
        .filter(|(_, t)| t.kind.is_stored())
        .collect();
    let wanted = name.trim().to_ascii_lowercase();
    if let Some((key, t)) = stored.iter().find(|(k, _)| **k == wanted) {
        return Ok(((*key).clone(), t.table.clone()));
    }
    if let Some((catalog, schema)) = &kernel.current_schema {
        let key = format!("{catalog}.{schema}.{wanted}").to_ascii_lowercase();
        if let Some((key, t)) = stored.iter().find(|(k, _)| **k == key) {
            return Ok(((*key).clone(), t.table.clone()));
        }
    }
    let suffix = format!(".{wanted}");
    let matches: Vec<_> = stored
        .iter()
        .filter(|(k, _)| k.ends_with(&suffix))
        .collect();
    match matches.as_slice() {
        [(key, t)] => Ok(((*key).clone(), t.table.clone())),
        [] => {
            let names: Vec<&str> = stored
                .iter()
                .map(|(k, _)| k.rsplit('.').next().unwrap_or(k))
                .collect();
            Err(Problem {
                suggestions: pipeline::suggest::closest(&wanted, names),
                ..Problem::error(format!(
                    "there is no table `{name}`{}",
                    if stored.is_empty() {
                        ": run an update to create the tables"
                    } else {
                        ""
                    }
                ))
            })
        }
        many => Err(Problem {
            suggestions: many.iter().map(|(k, _)| (*k).clone()).collect(),
            ..Problem::error(format!(
                "`{name}` names tables in several schemas: use its qualified name"
            ))
        }),
    }
}

/// Short names of the current schema, and the event log of one pipeline by id or name.
struct Resolver {
    current: BTreeMap<String, Table>,
    events: Arc<Vec<Event>>,
}

fn text_argument(arg: &TableArg) -> Option<String> {
    match arg {
        TableArg::Value(literal) => {
            let a = literal.value.as_any().downcast_ref::<StringArray>()?;
            (a.len() == 1 && a.is_valid(0)).then(|| a.value(0).to_string())
        }
        TableArg::Named(_, inner) => text_argument(inner),
        TableArg::Table(parts) => Some(parts.join(".")),
    }
}

use arrow::array::Array;

impl RelationResolver for Resolver {
    fn table(&self, name: &[String]) -> query::error::Result<Option<DataFrame>> {
        Ok(match name {
            [one] => self
                .current
                .get(&one.to_ascii_lowercase())
                .map(|t| DataFrame::from_table(one, t.clone())),
            _ => None,
        })
    }

    fn table_function(
        &self,
        name: &str,
        args: &[TableArg],
    ) -> query::error::Result<Option<DataFrame>> {
        if name != pipeline::event_log::EVENT_LOG_TABLE {
            return Ok(None);
        }
        let Some(wanted) = args.first().and_then(text_argument) else {
            return Err(QueryError::analysis(
                ErrorClass::InvalidTableFunctionArgument,
                "event_log() takes the pipeline's id or name as a string: event_log('<pipeline id>')",
            ));
        };
        let events: Vec<Event> = self
            .events
            .iter()
            .filter(|e| names_pipeline(&e.origin, &wanted))
            .cloned()
            .collect();
        if events.is_empty() {
            let mut known: Vec<String> = Vec::new();
            for e in self.events.iter() {
                if !known.contains(&e.origin.pipeline_name) {
                    known.push(e.origin.pipeline_name.clone());
                }
            }
            return Err(QueryError::analysis(
                ErrorClass::PipelineNotFound,
                format!(
                    "no pipeline `{wanted}` has events; pipelines with events: {}",
                    if known.is_empty() {
                        "none yet".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
        let batch = pipeline::event_log::to_batch(&events);
        let table = Table::from_batches(batch.schema(), vec![batch])?;
        Ok(Some(DataFrame::from_table("event_log", table)))
    }
}

/// Where a SQL error is, in the console's query.
pub(crate) fn sql_problem(error: &QueryError) -> Problem {
    let suggestions = match error {
        QueryError::Analysis { suggestions, .. } => suggestions.clone(),
        _ => Vec::new(),
    };
    Problem {
        place: error.span().map(|s| Place {
            file: None,
            line: s.start.line,
            column: s.start.column,
            end: Some((s.end.line, s.end.column)),
        }),
        suggestions,
        ..Problem::error(error.to_string())
    }
}

pub(crate) fn query(kernel: &Kernel, sql: &str) -> Result<Materialized, Problem> {
    let now_ms = (kernel.now_ms)();
    run_sql(kernel, sql, kernel.current_schema.as_ref(), now_ms)
}

/// Run `sql` with the tables of `schema` under their short names, `event_log`, and
/// `current_timestamp()` = `now_ms` (the alert's simulated clock).
pub(crate) fn run_sql(
    kernel: &Kernel,
    sql: &str,
    schema: Option<&(String, String)>,
    now_ms: f64,
) -> Result<Materialized, Problem> {
    let started = (kernel.now_ms)();
    let mut current = BTreeMap::new();
    if let Some((catalog, schema)) = schema {
        for (short, t) in kernel.state.tables_in(catalog, schema) {
            current.insert(short, (*t.table).clone());
        }
    }
    let resolver = Resolver {
        current,
        events: Arc::new(kernel.state.events.clone()),
    };
    let session = Session::new(kernel.state.catalog())
        .with_options(ExecOptions::at((now_ms * 1000.0) as i64))
        .with_relation_resolver(Arc::new(resolver));
    let result = session.sql(sql).map_err(|e| sql_problem(&e))?;
    let batch = result.concat().map_err(|e| sql_problem(&e))?;
    Ok(Materialized {
        name: "query".to_string(),
        schema: result.schema,
        batch,
        elapsed_ms: ((kernel.now_ms)() - started).max(0.0),
    })
}

fn failed_rows(kernel: &Kernel, dataset: &str, expectation: &str) -> Result<Materialized, Problem> {
    let Some(samples) = kernel.samples.get(dataset) else {
        let names = kernel.samples.keys().map(String::as_str);
        return Err(Problem {
            suggestions: pipeline::suggest::closest(dataset, names),
            ..Problem::error(format!(
                "no failed rows of `{dataset}` are kept: run an update that refreshes it"
            ))
        });
    };
    match samples.iter().find(|(name, _)| name == expectation) {
        Some((_, rows)) => from_batch(&format!("{dataset}_failed_rows"), rows.clone()),
        None => {
            // An expectation without failures has no sample: an empty page of the table's
            // columns, when the table is known.
            match resolve_table(kernel, dataset) {
                Ok((_, table)) => {
                    let empty = RecordBatch::new_empty(table.arrow_schema().clone());
                    from_batch(&format!("{dataset}_failed_rows"), empty)
                }
                Err(problem) => Err(problem),
            }
        }
    }
}

/// Whether `wanted` names the pipeline of `origin`: its id, its name, or its name without the
/// `[dev <user>] ` prefix development mode adds (the name as the bundle writes it).
fn names_pipeline(origin: &pipeline::event_log::Origin, wanted: &str) -> bool {
    let name = origin.pipeline_name.as_str();
    let bare = name
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("] "))
        .map_or(name, |(_, bare)| bare);
    origin.pipeline_id == wanted || name == wanted || bare.eq_ignore_ascii_case(wanted)
}
