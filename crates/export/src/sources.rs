//! The file sources each dataset reads, found by planning the pipeline the way the workbook
//! does (the same parsed project and planner), and the schema each file stream gets on Spark.

use std::collections::BTreeMap;

use pipeline::autoloader::options::SourceOptions;
use pipeline::pipeline::Pipeline;
use pipeline::planner::{Need, PlanEnv, PlanFailure, plan_dataset};
use pipeline::state::Columns;
use query::{DataFrame, Table};

/// One file source of a dataset, with the explicit schema the exported reader declares.
#[derive(Debug, Clone)]
pub struct FileSource {
    /// The parsed options (path, format, header, hints, rescued data column, …).
    pub options: SourceOptions,
    /// Read as a stream (Auto Loader) or as a batch.
    pub streaming: bool,
    /// The columns, in file order, without the rescued data column.
    pub schema: Columns,
    /// Where the schema comes from, for the comment in the output.
    pub schema_origin: SchemaOrigin,
}

/// Where a file source's schema comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaOrigin {
    /// The schema the workbook inferred from the files (hints applied), kept in its state.
    Inferred,
    /// The reader's own `.schema(...)`.
    Given,
    /// The schema hints alone (no data seen yet): only hinted columns are read.
    Hints,
}

/// What planning found for each dataset (index order).
#[derive(Debug, Default)]
pub struct Found {
    /// File sources per dataset, in the order the query reads them.
    pub files: Vec<Vec<FileSource>>,
    /// Output columns per dataset (`None` when it could not be planned).
    pub schemas: Vec<Option<Columns>>,
    /// Whether each dataset's query reads a stream (`None` when it could not be planned).
    pub streaming: Vec<Option<bool>>,
    /// Per dataset, its Python `TSDF(...)` calls: byte offset and the DataFrame's columns.
    pub tsdf_columns: Vec<Vec<(usize, Vec<String>)>>,
    /// Per dataset, its Python `df.drop(...)` calls: byte offset and the columns left.
    pub drop_columns: Vec<Vec<(usize, Vec<String>)>>,
}

/// The schema key the engine keeps an Auto Loader schema under (see the engine's inputs).
fn schema_key(pipeline: &Pipeline, d: usize, source: &SourceOptions) -> String {
    source.schema_location.clone().unwrap_or_else(|| {
        format!(
            "pipelines/{}/{}/{}",
            pipeline.id,
            pipeline.datasets[d].qualified.to_ascii_lowercase(),
            source.path.trim_start_matches('/')
        )
    })
}

fn file_source(
    pipeline: &Pipeline,
    d: usize,
    options: SourceOptions,
    streaming: bool,
    inferred: &BTreeMap<String, Columns>,
) -> FileSource {
    let rescued = options.rescued_column.clone();
    let without_rescued = |columns: &Columns| -> Columns {
        columns
            .iter()
            .filter(|(n, _)| Some(n) != rescued.as_ref())
            .cloned()
            .collect()
    };
    let (schema, schema_origin) = if let Some(given) = &options.user_schema {
        (without_rescued(given), SchemaOrigin::Given)
    } else if let Some(known) = inferred.get(&schema_key(pipeline, d, &options)) {
        (without_rescued(known), SchemaOrigin::Inferred)
    } else {
        (without_rescued(&options.schema_hints), SchemaOrigin::Hints)
    };
    FileSource {
        options,
        streaming,
        schema,
        schema_origin,
    }
}

fn empty_frame(source: &FileSource) -> Option<DataFrame> {
    let mut columns = source.schema.clone();
    if let Some(rescued) = &source.options.rescued_column {
        columns.push((rescued.clone(), query::SparkType::String));
    }
    let alias = source.options.path.rsplit('/').next().unwrap_or("files");
    Table::new(columns, Vec::new())
        .ok()
        .map(|table| DataFrame::from_table(alias, table))
}

/// Plan every dataset of `pipeline` with empty inputs: each dataset's file sources and output
/// schema. `inferred` holds the schemas the workbook inferred (its state's schema locations).
pub fn find(pipeline: &Pipeline, inferred: &BTreeMap<String, Columns>) -> Found {
    let n = pipeline.datasets.len();
    let names: Vec<String> = pipeline
        .datasets
        .iter()
        .map(|d| d.qualified.to_ascii_lowercase())
        .collect();
    let mut files: Vec<Vec<FileSource>> = vec![Vec::new(); n];
    let mut planned: Vec<Option<DataFrame>> = vec![None; n];
    let mut streaming: Vec<Option<bool>> = vec![None; n];
    let mut tsdf_columns: Vec<Vec<(usize, Vec<String>)>> = vec![Vec::new(); n];
    let mut drop_columns: Vec<Vec<(usize, Vec<String>)>> = vec![Vec::new(); n];
    let mut done = vec![false; n];
    loop {
        let mut progressed = false;
        for d in 0..n {
            if done[d] {
                continue;
            }
            let mut env = PlanEnv {
                names: names.clone(),
                configuration: pipeline.settings.configuration.clone(),
                ..PlanEnv::default()
            };
            for (i, df) in planned.iter().enumerate() {
                if let Some(df) = df {
                    env.tables.insert((i, false), df.clone());
                    env.tables.insert((i, true), df.clone());
                }
            }
            for source in &files[d] {
                if let Some(frame) = empty_frame(source) {
                    env.files
                        .push((source.options.clone(), source.streaming, frame));
                }
            }
            let (result, env) = plan_dataset(pipeline, d, env);
            match result {
                Ok(ok) => {
                    // Keep the sources in the order the query read them.
                    let mut ordered = Vec::new();
                    for (options, streaming) in env.file_reads {
                        let location = &options.location;
                        if let Some(found) =
                            files[d].iter().find(|f| &f.options.location == location)
                        {
                            ordered.push(found.clone());
                        } else {
                            ordered.push(file_source(pipeline, d, options, streaming, inferred));
                        }
                    }
                    files[d] = ordered;
                    planned[d] = Some(ok.df);
                    streaming[d] = Some(ok.streaming);
                    tsdf_columns[d] = env.tsdf_columns;
                    drop_columns[d] = env.drop_columns;
                    done[d] = true;
                    progressed = true;
                }
                Err(PlanFailure::Pending(needs)) => {
                    for need in needs {
                        if let Need::Files { source, streaming } = need
                            && !files[d]
                                .iter()
                                .any(|f| f.options.location == source.location)
                        {
                            files[d].push(file_source(pipeline, d, source, streaming, inferred));
                            progressed = true;
                        }
                    }
                }
                Err(PlanFailure::Error(_)) => {
                    done[d] = true;
                    progressed = true;
                }
            }
        }
        if !progressed {
            break;
        }
    }
    let schemas = planned
        .iter()
        .map(|df| df.as_ref().map(DataFrame::schema))
        .collect();
    Found {
        files,
        schemas,
        streaming,
        tsdf_columns,
        drop_columns,
    }
}
