//! Saving the workspace as files, and restoring it.
//!
//! # Layout (format 1)
//! - `workspace.json`: the manifest. Format version, generator settings and landing, increments,
//!   the run history, every volume file (path, origin, stored name), the pipeline state's own
//!   manifest ([`pipeline::persist::manifest`]) and the names of the files below.
//! - `volume/<n>/<path without the leading />`: a volume file's bytes.
//! - `tables/<catalog.schema.table>-<n>.parquet`: a table's rows.
//! - `state/event_log-<n>.jsonl`: the event log.
//! - `samples/<n>.parquet`: the failing rows an expectation kept in a dataset's last run.
//!
//! `<n>` is a sequence number, so a changed file is written under a new name. A commit writes
//! the new files first, the manifest last (the commit point), then deletes the files the new
//! manifest no longer names. Restoring ignores (and deletes) files the manifest does not name,
//! so an interrupted commit leaves the previous workspace intact.

use std::collections::BTreeMap;
use std::sync::Arc;

use pipeline::persist;
use pipeline::volume::Volume;
use protocol::{FileOrigin, GeneratorSettings, RunRecord};
use serde::{Deserialize, Serialize};

use crate::{Kernel, Landing, StoreOp};

/// The manifest's name: writing it commits.
pub const MANIFEST: &str = "workspace.json";
/// The layout written and read.
pub const FORMAT: u64 = 1;

#[derive(Serialize, Deserialize)]
struct StoredFile {
    path: String,
    origin: FileOrigin,
    stored: String,
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u64,
    seq: u64,
    generated: Option<GeneratorSettings>,
    landing: Option<Landing>,
    increments: u32,
    current_schema: Option<(String, String)>,
    files: Vec<StoredFile>,
    history: Vec<RunRecord>,
    /// The pipeline state's manifest (`state.json` of [`pipeline::persist`]).
    state: String,
    /// Table key → its stored file.
    tables: BTreeMap<String, String>,
    event_log: Option<String>,
    /// Failing rows of each dataset's last run.
    #[serde(default)]
    samples: Vec<SampleFile>,
}

#[derive(Clone, Serialize, Deserialize)]
struct SampleFile {
    dataset: String,
    expectation: String,
    stored: String,
}

/// What is saved now, to write only what changed.
#[derive(Default)]
pub(crate) struct Saved {
    seq: u64,
    /// Table key → `(generation, version, rows, file)`.
    tables: BTreeMap<String, (u64, u64, usize, String)>,
    /// Volume path → `(stored file, the bytes saved)`.
    volume: BTreeMap<String, (String, Arc<[u8]>)>,
    /// `(events, last event id, file)`.
    event_log: Option<(usize, String, String)>,
    /// `(samples version, files)`.
    samples: Option<(u64, Vec<SampleFile>)>,
    /// Every stored file and its size.
    sizes: BTreeMap<String, u64>,
}

impl Saved {
    /// Bytes of every stored file.
    pub(crate) fn total_bytes(&self) -> u64 {
        self.sizes.values().sum()
    }
}

fn event_identity(kernel: &Kernel) -> (usize, String) {
    let events = &kernel.state.events;
    (
        events.len(),
        events.last().map(|e| e.id.clone()).unwrap_or_default(),
    )
}

/// Save what changed since the last commit: the ops in order, manifest last but deletes.
pub(crate) fn commit(kernel: &mut Kernel) -> Result<Vec<StoreOp>, String> {
    let old = &kernel.store;
    let mut next = Saved {
        seq: old.seq,
        ..Saved::default()
    };
    let mut ops = Vec::new();
    let mut put = |next: &mut Saved, path: String, bytes: Vec<u8>| {
        next.sizes.insert(path.clone(), bytes.len() as u64);
        ops.push(StoreOp::Put { path, bytes });
    };
    for (key, t) in &kernel.state.tables {
        let identity = (t.generation, t.version, t.table.num_rows());
        let file = match old.tables.get(key) {
            Some((g, v, r, file)) if (*g, *v, *r) == identity => {
                next.sizes
                    .insert(file.clone(), old.sizes.get(file).copied().unwrap_or(0));
                file.clone()
            }
            _ => {
                next.seq += 1;
                let file = format!("tables/{key}-{}.parquet", next.seq);
                let bytes = persist::table_to_parquet(&t.table).map_err(|e| {
                    format!("The workspace could not be saved (table {key}: {e}); it lives only as long as this page.")
                })?;
                put(&mut next, file.clone(), bytes);
                file
            }
        };
        next.tables
            .insert(key.clone(), (identity.0, identity.1, identity.2, file));
    }
    let (events, last_id) = event_identity(kernel);
    let event_file = match &old.event_log {
        Some((n, id, file)) if *n == events && *id == last_id => {
            next.sizes
                .insert(file.clone(), old.sizes.get(file).copied().unwrap_or(0));
            file.clone()
        }
        _ => {
            next.seq += 1;
            let file = format!("state/event_log-{}.jsonl", next.seq);
            let text = pipeline::event_log::to_jsonl(&kernel.state.events);
            put(&mut next, file.clone(), text.into_bytes());
            file
        }
    };
    next.event_log = Some((events, last_id, event_file.clone()));
    let mut files = Vec::new();
    for entry in kernel.volume.list("/").unwrap_or_default() {
        let Ok(bytes) = kernel.volume.read(&entry.path) else {
            continue;
        };
        let stored = match old.volume.get(&entry.path) {
            Some((stored, saved)) if Arc::ptr_eq(saved, &bytes) => {
                next.sizes
                    .insert(stored.clone(), old.sizes.get(stored).copied().unwrap_or(0));
                stored.clone()
            }
            _ => {
                next.seq += 1;
                let stored = format!("volume/{}{}", next.seq, entry.path);
                put(&mut next, stored.clone(), bytes.to_vec());
                stored
            }
        };
        files.push(StoredFile {
            origin: kernel
                .origins
                .get(&entry.path)
                .copied()
                .unwrap_or(FileOrigin::Uploaded),
            path: entry.path.clone(),
            stored: stored.clone(),
        });
        next.volume.insert(entry.path, (stored, bytes));
    }
    let samples = match &old.samples {
        Some((version, files)) if *version == kernel.samples_version => {
            for f in files {
                let size = old.sizes.get(&f.stored).copied().unwrap_or(0);
                next.sizes.insert(f.stored.clone(), size);
            }
            files.clone()
        }
        _ => {
            let mut files = Vec::new();
            for (dataset, kept) in &kernel.samples {
                for (expectation, rows) in kept {
                    next.seq += 1;
                    let stored = format!("samples/{}.parquet", next.seq);
                    let table = query::Table::from_batches(rows.schema(), vec![rows.clone()])
                        .map_err(|e| e.to_string())
                        .and_then(|t| persist::table_to_parquet(&t).map_err(|e| e.to_string()))
                        .map_err(|e| format!("The workspace could not be saved (failed rows of {dataset}: {e}); it lives only as long as this page."))?;
                    put(&mut next, stored.clone(), table);
                    files.push(SampleFile {
                        dataset: dataset.clone(),
                        expectation: expectation.clone(),
                        stored,
                    });
                }
            }
            files
        }
    };
    next.samples = Some((kernel.samples_version, samples.clone()));
    let tables: BTreeMap<String, String> = next
        .tables
        .iter()
        .map(|(k, (_, _, _, f))| (k.clone(), f.clone()))
        .collect();
    let state = persist::manifest(&kernel.state, &|key, _| {
        tables.get(key).cloned().unwrap_or_default()
    })
    .map_err(|e| {
        format!("The workspace could not be saved ({e}); it lives only as long as this page.")
    })?;
    let manifest = Manifest {
        format: FORMAT,
        seq: next.seq,
        generated: kernel.generated,
        landing: kernel.landing.clone(),
        increments: kernel.increments,
        current_schema: kernel.current_schema.clone(),
        files,
        history: kernel.history.clone(),
        state,
        tables,
        event_log: Some(event_file),
        samples,
    };
    let text = serde_json::to_vec(&manifest).map_err(|e| {
        format!("The workspace could not be saved ({e}); it lives only as long as this page.")
    })?;
    put(&mut next, MANIFEST.to_string(), text);
    for path in old.sizes.keys() {
        if !next.sizes.contains_key(path) {
            ops.push(StoreOp::Delete { path: path.clone() });
        }
    }
    kernel.store = next;
    Ok(ops)
}

const FRESH: &str = "the workbook started with an empty workspace";

/// Restore `kernel` (empty) from `saved`; the ops that delete leftovers.
pub(crate) fn restore(kernel: &mut Kernel, saved: BTreeMap<String, Vec<u8>>) -> Vec<StoreOp> {
    if saved.is_empty() {
        return Vec::new();
    }
    match read(kernel, &saved) {
        Ok(()) => saved
            .keys()
            .filter(|path| !kernel.store.sizes.contains_key(*path))
            .map(|path| StoreOp::Delete { path: path.clone() })
            .collect(),
        Err(message) => {
            // Nothing half-restored survives.
            kernel.clear_data();
            kernel.store = Saved::default();
            kernel.storage_message = Some(message);
            saved
                .keys()
                .map(|path| StoreOp::Delete { path: path.clone() })
                .collect()
        }
    }
}

fn read(kernel: &mut Kernel, saved: &BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    let Some(bytes) = saved.get(MANIFEST) else {
        return Err(format!(
            "The saved workspace was incomplete (it has no {MANIFEST}), so {FRESH}."
        ));
    };
    let damaged = |e: &dyn std::fmt::Display| {
        format!("The saved workspace could not be read ({e}), so {FRESH}.")
    };
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| damaged(&e))?;
    match value.get("format").and_then(serde_json::Value::as_u64) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(format!(
                "The saved workspace uses storage format {other}, which this version of the workbook cannot read (it reads format {FORMAT}), so {FRESH}."
            ));
        }
        None => return Err(damaged(&"its manifest has no format version")),
    }
    let manifest: Manifest = serde_json::from_value(value).map_err(|e| damaged(&e))?;
    let event_log = match &manifest.event_log {
        Some(file) => {
            let bytes = saved
                .get(file)
                .ok_or_else(|| damaged(&format!("{file} is missing")))?;
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
        None => None,
    };
    let state = persist::from_manifest(&manifest.state, event_log.as_deref(), &mut |file| {
        saved
            .get(file)
            .cloned()
            .ok_or_else(|| pipeline::PipelineError::State(format!("{file} is missing")))
    })
    .map_err(|e| damaged(&e))?;
    let mut store = Saved {
        seq: manifest.seq,
        ..Saved::default()
    };
    let size = |store: &mut Saved, file: &str| {
        store.sizes.insert(
            file.to_string(),
            saved.get(file).map_or(0, |b| b.len() as u64),
        );
    };
    size(&mut store, MANIFEST);
    for (key, t) in &state.tables {
        let file = manifest
            .tables
            .get(key)
            .ok_or_else(|| damaged(&format!("table {key} has no file")))?;
        size(&mut store, file);
        store.tables.insert(
            key.clone(),
            (t.generation, t.version, t.table.num_rows(), file.clone()),
        );
    }
    if let Some(file) = &manifest.event_log {
        size(&mut store, file);
        let last = state
            .events
            .last()
            .map(|e| e.id.clone())
            .unwrap_or_default();
        store.event_log = Some((state.events.len(), last, file.clone()));
    }
    for file in &manifest.files {
        let bytes = saved
            .get(&file.stored)
            .ok_or_else(|| damaged(&format!("{} is missing", file.stored)))?;
        kernel.volume.insert(&file.path, bytes.clone());
        kernel.origins.insert(file.path.clone(), file.origin);
        let shared = kernel.volume.read(&file.path).map_err(|e| damaged(&e))?;
        size(&mut store, &file.stored);
        store
            .volume
            .insert(file.path.clone(), (file.stored.clone(), shared));
    }
    for sample in &manifest.samples {
        // Failed rows are a convenience: one that cannot be read is dropped (and deleted).
        let Some(rows) = saved.get(&sample.stored).and_then(|b| read_rows(b)) else {
            continue;
        };
        size(&mut store, &sample.stored);
        kernel
            .samples
            .entry(sample.dataset.clone())
            .or_default()
            .push((sample.expectation.clone(), rows));
    }
    store.samples = Some((kernel.samples_version, manifest.samples.clone()));
    kernel.state = state;
    kernel.generated = manifest.generated;
    kernel.landing = manifest.landing;
    kernel.increments = manifest.increments;
    kernel.current_schema = manifest.current_schema;
    kernel.history = manifest.history;
    kernel.store = store;
    Ok(())
}

fn read_rows(bytes: &[u8]) -> Option<arrow::array::RecordBatch> {
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        bytes::Bytes::from(bytes.to_vec()),
    )
    .ok()?;
    let schema = reader.schema().clone();
    let batches: Vec<_> = reader.build().ok()?.collect::<Result<_, _>>().ok()?;
    arrow::compute::concat_batches(&schema, &batches).ok()
}
