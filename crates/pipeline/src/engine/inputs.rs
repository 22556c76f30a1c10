//! Providing a flow's inputs: upstream datasets in full or as their new rows, and files.

use std::sync::Arc;

use query::Table;

use super::tables::rows_from;
use super::{Run, Slot, frame};
use crate::autoloader::options::SourceOptions;
use crate::autoloader::{self, LoadError};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::error::PipelineError;
use crate::sources::decl::DatasetKind;

/// Give flow `d` dataset `u`, in full or (streaming) its rows not yet consumed by `d`.
pub(crate) fn provide_dataset(
    run: &mut Run<'_>,
    d: usize,
    u: usize,
    streaming: bool,
    location: Option<Location>,
) -> Result<(), PipelineError> {
    let Slot::Done { table, kind } = run.slots[u].clone() else {
        return Err(PipelineError::Internal(
            "an input was provided before it was computed".into(),
        ));
    };
    let upstream = run.pipeline.datasets[u].short_name().to_string();
    let reader = run.pipeline.datasets[d].short_name().to_string();
    let provided = if !streaming || kind == DatasetKind::View || run.dry_run {
        if streaming && kind == DatasetKind::MaterializedView {
            return Err(stream_of_view(&upstream, location));
        }
        table
    } else {
        if kind == DatasetKind::MaterializedView {
            return Err(stream_of_view(&upstream, location));
        }
        let (up_key, reader_key) = (run.key(u), run.key(d));
        let stored =
            run.staged.tables.get(&up_key).ok_or_else(|| {
                PipelineError::Internal(format!("`{upstream}` has no stored table"))
            })?;
        let offset = run
            .staged
            .tables
            .get(&reader_key)
            .and_then(|t| t.checkpoint.offsets.get(&up_key))
            .copied();
        let from = match offset {
            None => 0,
            Some(seen)
                if seen.generation == stored.generation && seen.rows <= stored.table.num_rows() =>
            {
                seen.rows
            }
            Some(_) => {
                let message = format!(
                    "`{reader}` reads `{upstream}` as a stream, and `{upstream}` was fully refreshed since: its rows are not a continuation of what `{reader}` read"
                );
                let at = location.or_else(|| Some(run.pipeline.datasets[d].info.location.clone()));
                return Err(PipelineError::Invalid(Diagnostics(vec![
                    Diagnostic::error(at, message)
                        .with_suggestions([format!("`--full-refresh {upstream},{reader}`")]),
                ])));
            }
        };
        let seen = stored.seen();
        let delta = Arc::new(rows_from(&stored.table, from));
        run.progress[d].offsets.insert(up_key, seen);
        delta
    };
    run.envs[d]
        .tables
        .insert((u, streaming), frame(&upstream, &provided));
    Ok(())
}

fn stream_of_view(name: &str, location: Option<Location>) -> PipelineError {
    PipelineError::Invalid(Diagnostics(vec![Diagnostic::error(
        location,
        format!(
            "`{name}` is a materialized view: read it in full (without STREAM / readStream); only streaming tables and views can be read as streams"
        ),
    )]))
}

/// The schema location of a streaming source of flow `d`.
pub(crate) fn schema_key(run: &Run<'_>, d: usize, source: &SourceOptions) -> String {
    source.schema_location.clone().unwrap_or_else(|| {
        format!(
            "pipelines/{}/{}/{}",
            run.pipeline.id,
            run.key(d),
            source.path.trim_start_matches('/')
        )
    })
}

/// Give flow `d` the files of `source`: new ones for a streaming read, all for a batch read.
/// `Ok(false)` in validation when the schema cannot be known without reading files.
pub(crate) fn provide_files(
    run: &mut Run<'_>,
    d: usize,
    source: SourceOptions,
    streaming: bool,
) -> Result<bool, PipelineError> {
    let dataset = run.pipeline.datasets[d].short_name().to_string();
    let key = schema_key(run, d, &source);
    let alias = source
        .path
        .rsplit('/')
        .next()
        .unwrap_or("files")
        .to_string();
    let table = match run.volume {
        None => {
            let known = if streaming {
                run.staged.schemas.get(&key).cloned()
            } else {
                None
            };
            let schema = known
                .or_else(|| source.user_schema.clone())
                .or_else(|| (!source.schema_hints.is_empty()).then(|| source.schema_hints.clone()));
            let Some(mut schema) = schema else {
                run.warnings.push(Diagnostic::warning(
                    Some(source.location.clone()),
                    format!("the columns of {} are inferred from its files on the first update; `{dataset}` and what reads it are checked then", source.path),
                ));
                return Ok(false);
            };
            if let Some(rescued) = &source.rescued_column {
                schema.push((rescued.clone(), query::SparkType::String));
            }
            Table::new(schema, Vec::new()).map_err(|e| PipelineError::Internal(e.to_string()))?
        }
        Some(volume) => {
            let processed = if streaming {
                run.staged
                    .tables
                    .get(&run.key(d))
                    .and_then(|t| t.checkpoint.files.get(&source.path))
                    .cloned()
                    .unwrap_or_default()
            } else {
                Default::default()
            };
            let location = source.location.clone();
            let files_error = |error: LoadError| PipelineError::Files {
                dataset: dataset.clone(),
                location: location.clone(),
                error: Box::new(error),
            };
            let files = autoloader::discover(volume, &source, &processed)
                .map_err(|e| files_error(LoadError::Volume(e)))?;
            let known = if streaming {
                run.staged.schemas.get(&key).cloned()
            } else {
                None
            };
            let loaded = match autoloader::load(volume, &source, &files, known.as_ref()) {
                Ok(loaded) => loaded,
                Err(LoadError::NewColumns {
                    columns,
                    file,
                    mode,
                    evolved,
                }) => {
                    if let Some(schema) = &evolved
                        && streaming
                    {
                        run.forced_schemas.insert(key.clone(), schema.clone());
                    }
                    return Err(files_error(LoadError::NewColumns {
                        columns,
                        file,
                        mode,
                        evolved,
                    }));
                }
                Err(e) => return Err(files_error(e)),
            };
            if streaming {
                run.progress[d]
                    .files
                    .entry(source.path.clone())
                    .or_default()
                    .extend(loaded.files.iter().cloned());
                run.progress[d].schema_locations.insert(key.clone());
                if loaded.schema_changed {
                    run.staged.schemas.insert(key, loaded.schema.clone());
                }
            }
            Table::new(loaded.output, loaded.batches).map_err(|e| {
                files_error(LoadError::Convert {
                    file: source.path.clone(),
                    message: e.to_string(),
                })
            })?
        }
    };
    run.envs[d]
        .files
        .push((source, streaming, frame(&alias, &table)));
    Ok(true)
}
