//! Saving and loading [`State`] in a folder (the CLI's `--state`): `state.json` for the
//! bookkeeping and schema locations, `tables/<catalog.schema.table>.parquet` for the rows,
//! `event_log.jsonl` for the event log.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use query::Table;
use query::types::parse_type_name;
use serde::{Deserialize, Serialize};

use crate::error::PipelineError;
use crate::event_log::Event;
use crate::sources::decl::DatasetKind;
use crate::state::{Checkpoint, Columns, Seen, State, StoredTable};

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
}

#[derive(Serialize, Deserialize)]
struct StateJson {
    format: u32,
    updates: u64,
    tables: BTreeMap<String, TableJson>,
    schemas: BTreeMap<String, Vec<(String, String)>>,
}

const FORMAT: u32 = 1;

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

/// A table as Parquet bytes.
pub fn table_to_parquet(table: &Table) -> Result<Vec<u8>, PipelineError> {
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, table.arrow_schema().clone(), None)
        .map_err(|e| err("parquet", e))?;
    for batch in table.batches() {
        writer.write(batch).map_err(|e| err("parquet", e))?;
    }
    writer.close().map_err(|e| err("parquet", e))?;
    Ok(out)
}

fn table_from_parquet(bytes: Vec<u8>, schema: Columns) -> Result<Table, PipelineError> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(bytes))
        .and_then(ParquetRecordBatchReaderBuilder::build)
        .map_err(|e| err("parquet", e))?;
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| err("parquet", e))?;
    crate::engine::tables::table_of(schema, batches).map_err(|e| err("parquet", e))
}

/// Save `state` under `dir` (created if missing), replacing what was there.
pub fn save(state: &State, dir: &Path) -> Result<(), PipelineError> {
    let tables_dir = dir.join("tables");
    std::fs::create_dir_all(&tables_dir).map_err(|e| err("creating the state folder", e))?;
    let mut json = StateJson {
        format: FORMAT,
        updates: state.updates,
        tables: BTreeMap::new(),
        schemas: BTreeMap::new(),
    };
    for (key, t) in &state.tables {
        std::fs::write(
            tables_dir.join(format!("{key}.parquet")),
            table_to_parquet(&t.table)?,
        )
        .map_err(|e| err("writing a table", e))?;
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
            },
        );
    }
    for entry in std::fs::read_dir(&tables_dir).map_err(|e| err("listing tables", e))? {
        let path = entry.map_err(|e| err("listing tables", e))?.path();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        if !state.tables.contains_key(&stem) {
            std::fs::remove_file(&path).map_err(|e| err("removing a dropped table", e))?;
        }
    }
    json.schemas = state
        .schemas
        .iter()
        .map(|(k, v)| (k.clone(), columns_json(v)))
        .collect();
    let text = serde_json::to_string_pretty(&json).map_err(|e| err("state.json", e))?;
    std::fs::write(dir.join("state.json"), text).map_err(|e| err("writing state.json", e))?;
    std::fs::write(
        dir.join("event_log.jsonl"),
        crate::event_log::to_jsonl(&state.events),
    )
    .map_err(|e| err("writing event_log.jsonl", e))?;
    Ok(())
}

/// Load the state saved under `dir`; an empty state when `dir` holds none yet.
pub fn load(dir: &Path) -> Result<State, PipelineError> {
    let path = dir.join("state.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::new()),
        Err(e) => return Err(err("reading state.json", e)),
    };
    let json: StateJson = serde_json::from_str(&text).map_err(|e| err("state.json", e))?;
    if json.format != FORMAT {
        return Err(err(
            "state.json",
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
        let bytes = std::fs::read(dir.join("tables").join(format!("{key}.parquet")))
            .map_err(|e| err(&format!("reading table {key}"), e))?;
        let table = table_from_parquet(bytes, schema)?;
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
    if let Ok(log) = std::fs::read_to_string(dir.join("event_log.jsonl")) {
        for (i, line) in log
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let event: Event = serde_json::from_str(line)
                .map_err(|e| err(&format!("event_log.jsonl line {}", i + 1), e))?;
            state.events.push(event);
        }
    }
    Ok(state)
}
