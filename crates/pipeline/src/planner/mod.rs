//! Planning one dataset's query against what the update has computed so far.
//!
//! Both front ends read inputs through a [`PlanEnv`]: a dataset (as a batch or as a stream of
//! new rows) or files (Auto Loader, `read_files`). When an input is not provided yet the read
//! fails with "pending" and the request is recorded; the engine computes or loads it and plans
//! again. This discovers the dependency graph as the update runs, and a dataset that keeps
//! waiting on another that waits on it is a cycle.

use std::collections::BTreeMap;

use query::{DataFrame, ErrorClass, QueryError};

use crate::autoloader::options::SourceOptions;
use crate::diagnostic::{Diagnostic, Location};
use crate::pipeline::{DatasetSource, Pipeline, py_diagnostic};
use crate::python::error::{PyError, PyErrorKind, PyResult};
use crate::python::native::Host;
use crate::sources::fragment::Fragment;
use crate::suggest;

mod sql;

pub use sql::plan_sql;

/// An input the planner asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// A dataset of the pipeline.
    Dataset {
        /// Its index.
        index: usize,
        /// Read as a stream of new rows.
        streaming: bool,
        /// Where the read is written, when known.
        location: Option<Location>,
    },
    /// Files.
    Files {
        /// What to read.
        source: SourceOptions,
        /// Read by Auto Loader (new files only).
        streaming: bool,
    },
}

/// What a dataset's planning may read, and what it did read.
#[derive(Default)]
pub struct PlanEnv {
    /// The dataset being planned.
    pub current: usize,
    /// Qualified names of every dataset (index order), lower case.
    pub names: Vec<String>,
    /// The pipeline's configuration (`${key}` in `spark.sql` text, `spark.conf.get`).
    pub configuration: BTreeMap<String, String>,
    /// Datasets provided: `(index, streaming)` → frame.
    pub tables: BTreeMap<(usize, bool), DataFrame>,
    /// File sources provided.
    pub files: Vec<(SourceOptions, bool, DataFrame)>,
    /// Inputs asked for and not provided.
    pub needs: Vec<Need>,
    /// Datasets read: `(index, streaming)`.
    pub reads: Vec<(usize, bool)>,
    /// File sources read.
    pub file_reads: Vec<(SourceOptions, bool)>,
    /// Python `TSDF(...)` calls planned: the call's byte offset in its file and the columns of
    /// its DataFrame (for the export).
    pub tsdf_columns: Vec<(usize, Vec<String>)>,
    /// Python `df.drop(...)` calls planned: byte offset and the columns left (for the export).
    pub drop_columns: Vec<(usize, Vec<String>)>,
}

fn same_source(a: &SourceOptions, b: &SourceOptions) -> bool {
    SourceOptions {
        location: Location::default(),
        ..a.clone()
    } == SourceOptions {
        location: Location::default(),
        ..b.clone()
    }
}

/// How a reference to an unknown dataset is reported (validation recognises it).
pub const MISSING_DATASET: &str = "is not a dataset of this pipeline";

impl PlanEnv {
    /// The dataset a reference names.
    pub fn find(&self, parts: &[String]) -> Option<usize> {
        let parts: Vec<&str> = match parts {
            [live, rest @ ..] if live.eq_ignore_ascii_case("live") && !rest.is_empty() => {
                rest.iter().map(String::as_str).collect()
            }
            all => all.iter().map(String::as_str).collect(),
        };
        let wanted = parts.join(".").to_ascii_lowercase();
        self.names
            .iter()
            .position(|q| *q == wanted || q.ends_with(&format!(".{wanted}")))
    }

    fn unknown(&self, name: &str) -> String {
        let short: Vec<&str> = self
            .names
            .iter()
            .map(|q| q.rsplit('.').next().unwrap_or(q))
            .collect();
        let close = suggest::closest(name, short.iter().copied());
        let hint = if close.is_empty() {
            format!(" (datasets: {})", short.join(", "))
        } else {
            String::new()
        };
        format!("`{name}` {MISSING_DATASET}{hint}")
    }

    /// Read dataset `index`.
    pub fn read(
        &mut self,
        index: usize,
        streaming: bool,
        location: Option<Location>,
    ) -> Option<DataFrame> {
        if let Some(df) = self.tables.get(&(index, streaming)) {
            if !self.reads.contains(&(index, streaming)) {
                self.reads.push((index, streaming));
            }
            return Some(df.clone());
        }
        self.needs.push(Need::Dataset {
            index,
            streaming,
            location,
        });
        None
    }

    /// Read a file source.
    pub fn read_files(&mut self, source: SourceOptions, streaming: bool) -> Option<DataFrame> {
        if let Some((_, _, df)) = self
            .files
            .iter()
            .find(|(s, st, _)| *st == streaming && same_source(s, &source))
        {
            let df = df.clone();
            self.file_reads.push((source, streaming));
            return Some(df);
        }
        self.needs.push(Need::Files { source, streaming });
        None
    }
}

fn pending(name: &str) -> QueryError {
    QueryError::analysis(
        ErrorClass::PipelineInputPending,
        format!("`{name}` is not computed yet"),
    )
}

/// Why planning did not produce a query.
#[derive(Debug, Clone)]
pub enum PlanFailure {
    /// Inputs must be provided first.
    Pending(Vec<Need>),
    /// The query is wrong.
    Error(Box<Diagnostic>),
}

/// A planned dataset query.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The query.
    pub df: DataFrame,
    /// Whether it reads any stream.
    pub streaming: bool,
}

/// The Python front end's view of the [`PlanEnv`].
struct PyHost<'a> {
    env: &'a mut PlanEnv,
}

impl Host for PyHost<'_> {
    fn conf(&self, key: &str) -> Option<String> {
        self.env.configuration.get(key).cloned()
    }

    fn read_table(&mut self, name: &str, streaming: bool, at: Location) -> PyResult<DataFrame> {
        let parts: Vec<String> = name.split('.').map(str::to_string).collect();
        let Some(index) = self.env.find(&parts) else {
            let short: Vec<String> = self
                .env
                .names
                .iter()
                .map(|q| q.rsplit('.').next().unwrap_or(q).to_string())
                .collect();
            let close = suggest::quoted(suggest::closest(name, short.iter().map(String::as_str)));
            return Err(PyError::at(at, self.env.unknown(name)).with_suggestions(close));
        };
        if index == self.env.current {
            return Err(PyError::at(at, format!("dataset `{name}` reads itself")));
        }
        self.env
            .read(index, streaming, Some(at.clone()))
            .ok_or_else(|| PyError {
                kind: PyErrorKind::Pending(name.to_string()),
                ..PyError::at(at, "pending")
            })
    }

    fn read_files(&mut self, source: SourceOptions, streaming: bool) -> PyResult<DataFrame> {
        let at = source.location.clone();
        let path = source.path.clone();
        self.env
            .read_files(source, streaming)
            .ok_or_else(|| PyError {
                kind: PyErrorKind::Pending(path),
                ..PyError::at(at, "pending")
            })
    }

    fn tsdf_built(&mut self, at: usize, columns: &[String]) {
        self.env.tsdf_columns.push((at, columns.to_vec()));
    }

    fn frame_dropped(&mut self, at: usize, remaining: &[String]) {
        self.env.drop_columns.push((at, remaining.to_vec()));
    }

    fn sql(&mut self, text: &str, at: Location) -> PyResult<(DataFrame, bool)> {
        let env = std::mem::take(self.env);
        let configuration = env.configuration.clone();
        let fragment = Fragment::substituted(text, at.clone(), |k| configuration.get(k).cloned());
        let before = (env.reads.len(), env.file_reads.len());
        let (result, env) = plan_sql(&fragment, env);
        let streaming = env.reads[before.0..].iter().any(|(_, s)| *s)
            || env.file_reads[before.1..].iter().any(|(_, s)| *s);
        *self.env = env;
        match result {
            Ok(planned) => Ok((planned.df, streaming)),
            Err(PlanFailure::Pending(_)) => Err(PyError {
                kind: PyErrorKind::Pending("spark.sql".into()),
                ..PyError::at(at, "pending")
            }),
            Err(PlanFailure::Error(d)) => Err(PyError::at(
                d.location.clone().unwrap_or(at),
                d.message.clone(),
            )
            .with_suggestions(d.suggestions.clone())),
        }
    }
}

/// Plan dataset `index` of `pipeline` with `env`.
pub fn plan_dataset(
    pipeline: &Pipeline,
    index: usize,
    mut env: PlanEnv,
) -> (Result<Planned, PlanFailure>, PlanEnv) {
    env.current = index;
    env.needs.clear();
    env.reads.clear();
    env.file_reads.clear();
    env.tsdf_columns.clear();
    env.drop_columns.clear();
    match &pipeline.datasets[index].source {
        DatasetSource::Sql(fragment) => plan_sql(fragment, env),
        DatasetSource::Python {
            module,
            index: local,
        } => {
            let module = &pipeline.modules[*module];
            let result = {
                let mut host = PyHost { env: &mut env };
                crate::python::plan_dataset(module, *local, &mut host)
            };
            let outcome = match result {
                Ok(frame) => Ok(Planned {
                    df: frame.df,
                    streaming: frame.streaming,
                }),
                Err(_) if !env.needs.is_empty() => Err(PlanFailure::Pending(env.needs.clone())),
                Err(e) => Err(PlanFailure::Error(Box::new(py_diagnostic(
                    &module.file,
                    &module.text,
                    e,
                )))),
            };
            (outcome, env)
        }
    }
}
