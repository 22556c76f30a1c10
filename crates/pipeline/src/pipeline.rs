//! A pipeline ready to run: its settings and every dataset its source files declare.

use crate::bundle::{PipelineSettings, SourceLanguage};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::project::Project;
use crate::python::error::{PyError, PyErrorKind, PyResult, Where};
use crate::python::native::Host;
use crate::python::{self, PyModule};
use crate::sources::decl::DatasetInfo;
use crate::sources::fragment::Fragment;
use crate::sources::sql::{self, SqlStatement};
use crate::sources::text::LineIndex;

/// Where a dataset's query comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum DatasetSource {
    /// The query after `AS` in a SQL file.
    Sql(Fragment),
    /// Dataset `index` of Python module `module`.
    Python {
        /// Index into [`Pipeline::modules`].
        module: usize,
        /// Index into that module's datasets.
        index: usize,
    },
}

/// One dataset of the pipeline.
#[derive(Debug, Clone)]
pub struct DatasetDef {
    /// Name, kind, expectations, properties.
    pub info: DatasetInfo,
    /// `catalog.schema.name`.
    pub qualified: String,
    /// Its query.
    pub source: DatasetSource,
    /// `@dp.table`: streaming table or materialized view, decided by the query.
    pub kind_from_query: bool,
}

impl DatasetDef {
    /// The short name (last part).
    pub fn short_name(&self) -> &str {
        self.qualified.rsplit('.').next().unwrap_or(&self.qualified)
    }
}

/// What [`Pipeline::load_partial`] could load.
pub struct PartialPipeline {
    /// The datasets of every file that loaded (`None` when none declares any).
    pub pipeline: Option<Pipeline>,
    /// Every problem found in the source files.
    pub problems: Diagnostics,
    /// The files that failed to load (their datasets are missing from `pipeline`).
    pub failed_files: Vec<String>,
}

/// A pipeline resource with its sources loaded.
pub struct Pipeline {
    /// The bundle's settings for it.
    pub settings: PipelineSettings,
    /// A stable id (from the bundle's resource key and the target's name).
    pub id: String,
    /// Every dataset, in declaration order (files in library order).
    pub datasets: Vec<DatasetDef>,
    /// The Python files' evaluated modules.
    pub modules: Vec<PyModule>,
}

/// Module-level Python code may read configuration, not data.
struct ConfHost<'a> {
    settings: &'a PipelineSettings,
}

impl Host for ConfHost<'_> {
    fn conf(&self, key: &str) -> Option<String> {
        self.settings.configuration.get(key).cloned()
    }
    fn read_table(&mut self, name: &str, _: bool, at: Location) -> PyResult<query::DataFrame> {
        Err(PyError::at(
            at,
            format!(
                "read `{name}` inside a function decorated with @dp.table, @dp.materialized_view or @dp.temporary_view, not at module level"
            ),
        ))
    }
    fn read_files(
        &mut self,
        options: crate::autoloader::options::SourceOptions,
        _: bool,
    ) -> PyResult<query::DataFrame> {
        Err(PyError::at(
            options.location,
            "read files inside a function decorated with @dp.table, not at module level",
        ))
    }
    fn sql(&mut self, _: &str, at: Location) -> PyResult<(query::DataFrame, bool)> {
        Err(PyError::at(
            at,
            "call spark.sql inside a dataset function, not at module level",
        ))
    }
}

/// A Python evaluation error as a diagnostic of `file`.
pub fn py_diagnostic(file: &str, text: &str, error: PyError) -> Diagnostic {
    let location = match error.at {
        Where::Offset(offset) => LineIndex::new(text).location(file, text, offset),
        Where::At(location) => location,
    };
    let message = match error.kind {
        PyErrorKind::Pending(name) => format!("`{name}` cannot be read here"),
        PyErrorKind::User => error.message,
    };
    Diagnostic::error(Some(location), message).with_suggestions(error.suggestions)
}

/// Qualify `name` with the pipeline's catalog and schema where it lacks them.
pub fn qualify(name: &str, settings: &PipelineSettings) -> String {
    match name.split('.').count() {
        1 => format!("{}.{}.{name}", settings.catalog, settings.schema),
        2 => format!("{}.{name}", settings.catalog),
        _ => name.to_string(),
    }
}

impl Pipeline {
    /// Parse every source file of `settings` (SQL statements; Python module-level code) and
    /// collect the datasets. Reports every problem of every file at once.
    pub fn load(
        project: &Project,
        settings: &PipelineSettings,
        target: &str,
    ) -> Result<Pipeline, Diagnostics> {
        let partial = Pipeline::load_partial(project, settings, target);
        match partial.pipeline {
            Some(pipeline) if !partial.problems.has_errors() => Ok(pipeline),
            _ => Err(partial.problems),
        }
    }

    /// Like [`Pipeline::load`], but keeps the datasets of the files that loaded next to the
    /// problems of the others, so validation can still plan them (and report their problems
    /// in the same pass).
    pub fn load_partial(
        project: &Project,
        settings: &PipelineSettings,
        target: &str,
    ) -> PartialPipeline {
        let mut out = Diagnostics::new();
        let mut failed_files = Vec::new();
        let mut datasets: Vec<DatasetDef> = Vec::new();
        let mut modules = Vec::new();
        for source in &settings.sources {
            let Some(text) = project.get(&source.path) else {
                out.error(
                    Some(source.origin.clone()),
                    format!("library file `{}` does not exist", source.path),
                );
                failed_files.push(source.path.clone());
                continue;
            };
            match source.language {
                SourceLanguage::Sql => {
                    match sql::parse_file(&source.path, text, &settings.configuration) {
                        Ok(statements) => {
                            for statement in statements {
                                if let SqlStatement::Dataset { info, query } = statement {
                                    let qualified = qualify(&info.name, settings);
                                    datasets.push(DatasetDef {
                                        info: *info,
                                        qualified,
                                        source: DatasetSource::Sql(query),
                                        kind_from_query: false,
                                    });
                                }
                            }
                        }
                        Err(errors) => {
                            failed_files.push(source.path.clone());
                            out.extend(errors);
                        }
                    }
                }
                SourceLanguage::Python => {
                    let mut host = ConfHost { settings };
                    match python::load_module(&source.path, text, &mut host) {
                        Ok(module) => {
                            for (index, d) in module.datasets.iter().enumerate() {
                                let qualified = qualify(&d.info.name, settings);
                                let source = DatasetSource::Python {
                                    module: modules.len(),
                                    index,
                                };
                                datasets.push(DatasetDef {
                                    info: d.info.clone(),
                                    qualified,
                                    source,
                                    kind_from_query: d.kind_from_query,
                                });
                            }
                            modules.push(module);
                        }
                        Err(error) => {
                            failed_files.push(source.path.clone());
                            out.push(py_diagnostic(&source.path, text, error));
                        }
                    }
                }
            }
        }
        for (i, d) in datasets.iter().enumerate() {
            if let Some(first) = datasets[..i]
                .iter()
                .find(|e| e.qualified.eq_ignore_ascii_case(&d.qualified))
            {
                out.error(
                    Some(d.info.location.clone()),
                    format!(
                        "dataset `{}` is defined twice (first at {})",
                        d.info.name, first.info.location
                    ),
                );
            }
            for (j, e) in d.info.expectations.iter().enumerate() {
                if d.info.expectations[..j].iter().any(|f| f.name == e.name) {
                    out.error(
                        Some(e.location.clone()),
                        format!(
                            "expectation `{}` is declared twice on `{}`",
                            e.name, d.info.name
                        ),
                    );
                }
            }
        }
        if datasets.is_empty() && !out.has_errors() {
            out.error(
                Some(settings.location.clone()),
                format!(
                    "pipeline `{}` declares no dataset in its libraries",
                    settings.key
                ),
            );
        }
        out.sort();
        let id = crate::event_log::stable_id(&format!("{}/{target}", settings.key), 0);
        let pipeline = (!datasets.is_empty()).then(|| Pipeline {
            settings: settings.clone(),
            id,
            datasets,
            modules,
        });
        PartialPipeline {
            pipeline,
            problems: out,
            failed_files,
        }
    }

    /// The dataset a (possibly qualified, possibly `LIVE.`) reference names.
    pub fn find(&self, parts: &[String]) -> Option<usize> {
        let parts: Vec<&str> = match parts {
            [live, rest @ ..] if live.eq_ignore_ascii_case("live") && !rest.is_empty() => {
                rest.iter().map(String::as_str).collect()
            }
            all => all.iter().map(String::as_str).collect(),
        };
        let wanted = parts.join(".").to_ascii_lowercase();
        self.datasets.iter().position(|d| {
            let q = d.qualified.to_ascii_lowercase();
            q == wanted || q.ends_with(&format!(".{wanted}"))
        })
    }

    /// Dataset names, for suggestions.
    pub fn names(&self) -> Vec<String> {
        self.datasets
            .iter()
            .map(|d| d.short_name().to_string())
            .collect()
    }
}
