//! Saving and loading [`State`] as files: `state.json` for the bookkeeping and schema
//! locations, `tables/<catalog.schema.table>.arrow` (Arrow IPC files) for the rows,
//! `event_log.jsonl` for the event log. The same encoding serves a folder (the CLI's `--state`: [`save`], [`load`]) and
//! an in-memory file map (the browser's storage: [`to_files`], [`from_files`], or
//! [`manifest`] and [`from_manifest`] for callers that name and write table files themselves).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use query::types::parse_type_name;
use serde::{Deserialize, Serialize};

use crate::error::PipelineError;
use crate::event_log::Event;
use crate::sources::decl::DatasetKind;
use crate::state::{Checkpoint, Columns, Seen, State, StoredTable};

mod rows;
pub use rows::table_to_ipc;
#[cfg(feature = "parquet")]
pub use rows::table_to_parquet;

#[derive(Serialize, Deserialize)]
struct SeenJson {
    generation: u64,
    version: u64,
    rows: usize,
}

#[derive(Serialize, Deserialize, Default)]
struct CheckpointJson {
    files: BTreeMap<String, Vec<String>>,
    offsets: BTreeMap<String, SeenJson>,
    schema_locations: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct TableJson {
    kind: String,
    pipeline_id: String,
    generation: u64,
    version: u64,
    definition: u64,
    columns: Vec<(String, String)>,
    checkpoint: CheckpointJson,
    inputs_seen: BTreeMap<String, SeenJson>,
    comment: Option<String>,
    last_strategy: Option<String>,
    /// The file holding the rows, relative to the state's folder (absent: the default
    /// `tables/<key>.arrow`; `tables/<key>.parquet` in format 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StateJson {
    format: u32,
    updates: u64,
    tables: BTreeMap<String, TableJson>,
    schemas: BTreeMap<String, Vec<(String, String)>>,
}

/// The layout written: 2 stores rows as Arrow IPC files.
const FORMAT: u32 = 2;
/// The layout before: rows as Parquet files, read only with the `parquet` feature.
const PARQUET_FORMAT: u32 = 1;

/// The manifest's file name.
pub const STATE_FILE: &str = "state.json";
/// The event log's file name.
pub const EVENT_LOG_FILE: &str = "event_log.jsonl";

/// A saved state's files: path relative to its folder → bytes.
pub type StateFiles = BTreeMap<String, Vec<u8>>;

/// Where a table's rows go by default.
pub fn default_table_file(key: &str) -> String {
    format!("tables/{key}.{}", crate::ipc::EXTENSION)
}

fn err(context: &str, e: impl std::fmt::Display) -> PipelineError {
    PipelineError::State(format!("{context}: {e}"))
}

fn seen_json(s: &Seen) -> SeenJson {
    SeenJson {
        generation: s.generation,
        version: s.version,
        rows: s.rows,
    }
}

fn seen(s: &SeenJson) -> Seen {
    Seen {
        generation: s.generation,
        version: s.version,
        rows: s.rows,
    }
}

fn columns_json(columns: &Columns) -> Vec<(String, String)> {
    columns
        .iter()
        .map(|(n, t)| (n.clone(), t.simple_string()))
        .collect()
}

fn columns(json: &[(String, String)]) -> Result<Columns, PipelineError> {
    json.iter()
        .map(|(n, t)| {
            Ok((
                n.clone(),
                parse_type_name(t).map_err(|e| err("state.json column type", e))?,
            ))
        })
        .collect()
}

fn kind_of(text: &str) -> DatasetKind {
    match text {
        "MATERIALIZED_VIEW" => DatasetKind::MaterializedView,
        "VIEW" => DatasetKind::View,
        _ => DatasetKind::StreamingTable,
    }
}

/// The manifest (`state.json` text) of `state`, naming for each table (by its key) the file
/// `table_file` says holds its rows. The caller writes the table files and the event log
/// ([`crate::event_log::to_jsonl`]).
pub fn manifest(
    state: &State,
    table_file: &dyn Fn(&str, &StoredTable) -> String,
) -> Result<String, PipelineError> {
    let mut json = StateJson {
        format: FORMAT,
        updates: state.updates,
        tables: BTreeMap::new(),
        schemas: BTreeMap::new(),
    };
    for (key, t) in &state.tables {
        let file = table_file(key, t);
        json.tables.insert(
            key.clone(),
            TableJson {
                kind: t.kind.as_str().to_string(),
                pipeline_id: t.pipeline_id.clone(),
                generation: t.generation,
                version: t.version,
                definition: t.definition,
                columns: columns_json(t.table.schema()),
                checkpoint: CheckpointJson {
                    files: t
                        .checkpoint
                        .files
                        .iter()
                        .map(|(k, v)| (k.clone(), v.iter().cloned().collect()))
                        .collect(),
                    offsets: t
                        .checkpoint
                        .offsets
                        .iter()
                        .map(|(k, v)| (k.clone(), seen_json(v)))
                        .collect(),
                    schema_locations: t.checkpoint.schema_locations.iter().cloned().collect(),
                },
                inputs_seen: t
                    .inputs_seen
                    .iter()
                    .map(|(k, v)| (k.clone(), seen_json(v)))
                    .collect(),
                comment: t.comment.clone(),
                last_strategy: t.last_strategy.clone(),
                file: (file != default_table_file(key)).then_some(file),
            },
        );
    }
    json.schemas = state
        .schemas
        .iter()
        .map(|(k, v)| (k.clone(), columns_json(v)))
        .collect();
    serde_json::to_string_pretty(&json).map_err(|e| err(STATE_FILE, e))
}

/// Every file of `state` under its default name: `state.json`, `event_log.jsonl` and
/// `tables/<key>.arrow`.
///
/// # Examples
/// ```
/// use pipeline::persist::{from_files, to_files};
/// let state = pipeline::state::State { updates: 3, ..Default::default() };
/// assert_eq!(from_files(&to_files(&state).unwrap()).unwrap().updates, 3);
/// ```
pub fn to_files(state: &State) -> Result<StateFiles, PipelineError> {
    let mut files = StateFiles::new();
    for (key, t) in &state.tables {
        files.insert(default_table_file(key), table_to_ipc(&t.table)?);
    }
    let text = manifest(state, &|key, _| default_table_file(key))?;
    files.insert(STATE_FILE.to_string(), text.into_bytes());
    files.insert(
        EVENT_LOG_FILE.to_string(),
        crate::event_log::to_jsonl(&state.events).into_bytes(),
    );
    Ok(files)
}

/// The state saved as `files` ([`to_files`]); an empty state when there is no `state.json`.
pub fn from_files(files: &StateFiles) -> Result<State, PipelineError> {
    let Some(text) = files.get(STATE_FILE) else {
        return Ok(State::new());
    };
    let text = std::str::from_utf8(text).map_err(|e| err(STATE_FILE, e))?;
    let log = files
        .get(EVENT_LOG_FILE)
        .map(|b| String::from_utf8_lossy(b).into_owned());
    from_manifest(text, log.as_deref(), &mut |file| {
        files.get(file).cloned().ok_or_else(|| err(file, "missing"))
    })
}

/// The state of manifest `text` ([`manifest`]), its event log (JSON lines) and its tables'
/// files, read through `read_table` by the names the manifest gives.
pub fn from_manifest(
    text: &str,
    event_log: Option<&str>,
    read_table: &mut dyn FnMut(&str) -> Result<Vec<u8>, PipelineError>,
) -> Result<State, PipelineError> {
    let json: StateJson = serde_json::from_str(text).map_err(|e| err(STATE_FILE, e))?;
    if json.format != FORMAT && json.format != PARQUET_FORMAT {
        return Err(err(
            STATE_FILE,
            format!(
                "format {} is not {FORMAT}; start from an empty --state folder",
                json.format
            ),
        ));
    }
    let mut state = State {
        updates: json.updates,
        ..State::default()
    };
    for (key, t) in json.tables {
        let schema = columns(&t.columns)?;
        let table = if json.format == PARQUET_FORMAT {
            let file = t
                .file
                .clone()
                .unwrap_or_else(|| format!("tables/{key}.parquet"));
            let bytes = read_table(&file).map_err(|e| err(&format!("reading table {key}"), e))?;
            rows::table_from_parquet(bytes, schema)?
        } else {
            let file = t.file.clone().unwrap_or_else(|| default_table_file(&key));
            let bytes = read_table(&file).map_err(|e| err(&format!("reading table {key}"), e))?;
            rows::table_from_ipc(&bytes, schema)?
        };
        state.tables.insert(
            key,
            StoredTable {
                table: Arc::new(table),
                kind: kind_of(&t.kind),
                pipeline_id: t.pipeline_id,
                generation: t.generation,
                version: t.version,
                definition: t.definition,
                checkpoint: Checkpoint {
                    files: t
                        .checkpoint
                        .files
                        .into_iter()
                        .map(|(k, v)| (k, v.into_iter().collect()))
                        .collect(),
                    offsets: t
                        .checkpoint
                        .offsets
                        .iter()
                        .map(|(k, v)| (k.clone(), seen(v)))
                        .collect(),
                    schema_locations: t.checkpoint.schema_locations.into_iter().collect(),
                },
                inputs_seen: t
                    .inputs_seen
                    .iter()
                    .map(|(k, v)| (k.clone(), seen(v)))
                    .collect(),
                comment: t.comment,
                last_strategy: t.last_strategy,
            },
        );
    }
    for (k, v) in json.schemas {
        state.schemas.insert(k, columns(&v)?);
    }
    if let Some(log) = event_log {
        for (i, line) in log
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let event: Event = serde_json::from_str(line)
                .map_err(|e| err(&format!("{EVENT_LOG_FILE} line {}", i + 1), e))?;
            state.events.push(event);
        }
    }
    Ok(state)
}

/// Save `state` under `dir` (created if missing), replacing what was there.
pub fn save(state: &State, dir: &Path) -> Result<(), PipelineError> {
    let tables_dir = dir.join("tables");
    std::fs::create_dir_all(&tables_dir).map_err(|e| err("creating the state folder", e))?;
    let files = to_files(state)?;
    // The manifest last: the tables it names are in place when it appears.
    for (name, bytes) in files.iter().filter(|(n, _)| n.as_str() != STATE_FILE) {
        std::fs::write(dir.join(name), bytes).map_err(|e| err(&format!("writing {name}"), e))?;
    }
    if let Some(bytes) = files.get(STATE_FILE) {
        std::fs::write(dir.join(STATE_FILE), bytes).map_err(|e| err("writing state.json", e))?;
    }
    for entry in std::fs::read_dir(&tables_dir).map_err(|e| err("listing tables", e))? {
        let path = entry.map_err(|e| err("listing tables", e))?.path();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        // A format 1 folder's Parquet files are replaced by the IPC files just written.
        let current = path.extension().is_some_and(|e| e == crate::ipc::EXTENSION);
        if !current || !state.tables.contains_key(&stem) {
            std::fs::remove_file(&path).map_err(|e| err("removing a dropped table", e))?;
        }
    }
    Ok(())
}

/// Load the state saved under `dir`; an empty state when `dir` holds none yet.
pub fn load(dir: &Path) -> Result<State, PipelineError> {
    let text = match std::fs::read_to_string(dir.join(STATE_FILE)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::new()),
        Err(e) => return Err(err("reading state.json", e)),
    };
    let log = std::fs::read_to_string(dir.join(EVENT_LOG_FILE)).ok();
    from_manifest(&text, log.as_deref(), &mut |file| {
        std::fs::read(dir.join(file)).map_err(|e| err(file, e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Project;
    use crate::volume::MemoryVolume;

    #[test]
    fn test_files_round_trip_keeps_tables_checkpoints_and_the_update_counter() {
        let project = Project::from_files([
            (
                "databricks.yml",
                "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      catalog: main\n      schema: s\n      libraries:\n        - file: {path: t.sql}\n",
            ),
            (
                "t.sql",
                "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('/Volumes/main/s/in', format => 'csv', header => true)",
            ),
        ]);
        let (_, pipelines) = crate::load(&project, &Default::default()).unwrap();
        let mut volume = MemoryVolume::new();
        volume.insert("/Volumes/main/s/in/a.csv", b"id,x\n1,a\n2,b\n".to_vec());
        let mut state = State::new();
        crate::engine::update(&pipelines[0], &mut state, &volume, Default::default()).unwrap();
        let mut restored = from_files(&to_files(&state).unwrap()).unwrap();
        assert_eq!(restored.updates, state.updates);
        assert_eq!(restored.events.len(), state.events.len());
        let (a, b) = (
            state.table("main.s.raw").unwrap(),
            restored.table("main.s.raw").unwrap(),
        );
        assert_eq!(
            (a.version, a.table.num_rows()),
            (b.version, b.table.num_rows())
        );
        assert_eq!(a.checkpoint, b.checkpoint);
        // The checkpoint came back: nothing is read twice.
        volume.insert("/Volumes/main/s/in/b.csv", b"id,x\n3,c\n".to_vec());
        let report =
            crate::engine::update(&pipelines[0], &mut restored, &volume, Default::default())
                .unwrap();
        assert_eq!(report.flows[0].rows_written, 1);
    }
}
