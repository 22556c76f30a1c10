//! Saving the workspace as files, and restoring it.
//!
//! # Layout (format 2)
//! - `workspace.json`: the manifest. Format version, generator settings and landing, increments,
//!   the run history, every volume file (path, origin, stored name, decoded copy), the pipeline
//!   state's own manifest ([`pipeline::persist::manifest`]) and the names of the files below.
//! - `volume/<n>/<path without the leading />`: a volume file's bytes.
//! - `decoded/<n>/<path without the leading />.arrow`: a Parquet file's decoded copy (Arrow
//!   IPC), what the engine reads instead of the Parquet bytes.
//! - `tables/<catalog.schema.table>-<n>.arrow`: a table's rows (Arrow IPC file).
//! - `state/event_log-<n>.jsonl`: the event log.
//! - `samples/<n>.arrow`: the failing rows an expectation kept in a dataset's last run.
//!
//! Format 1 stored rows as Parquet, which the engine worker no longer links: restoring it
//! starts with empty data ([`restore`]).
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

mod restore;
pub(crate) use restore::restore;

/// The manifest's name: writing it commits.
pub const MANIFEST: &str = "workspace.json";
/// The layout written and read.
pub const FORMAT: u64 = 2;

#[derive(Serialize, Deserialize)]
struct StoredFile {
    path: String,
    origin: FileOrigin,
    stored: String,
    /// A Parquet file's decoded Arrow IPC copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decoded: Option<String>,
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
    /// Volume path → `(stored file, the decoded copy saved)`.
    decoded: BTreeMap<String, (String, Arc<[u8]>)>,
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
                let file = format!("tables/{key}-{}.{}", next.seq, pipeline::ipc::EXTENSION);
                let bytes = persist::table_to_ipc(&t.table).map_err(|e| {
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
    let files = commit_volume(kernel, &mut next, &mut put);
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
                    let stored = format!("samples/{}.{}", next.seq, pipeline::ipc::EXTENSION);
                    let table = pipeline::ipc::write(&rows.schema(), std::slice::from_ref(rows))
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

/// The volume's files (and decoded copies) as stored: unchanged ones keep their stored name,
/// the others are `put` under a new one.
fn commit_volume(
    kernel: &Kernel,
    next: &mut Saved,
    put: &mut dyn FnMut(&mut Saved, String, Vec<u8>),
) -> Vec<StoredFile> {
    let old = &kernel.store;
    let mut files = Vec::new();
    for entry in kernel.volume.list("/").unwrap_or_default() {
        let Ok(bytes) = kernel.volume.read(&entry.path) else {
            continue;
        };
        let stored = keep_or_put(next, put, old.volume.get(&entry.path), &bytes, |seq| {
            format!("volume/{seq}{}", entry.path)
        });
        let decoded = kernel.volume.decoded(&entry.path).map(|copy| {
            let name = keep_or_put(next, put, old.decoded.get(&entry.path), &copy, |seq| {
                format!("decoded/{seq}{}.{}", entry.path, pipeline::ipc::EXTENSION)
            });
            next.decoded
                .insert(entry.path.clone(), (name.clone(), copy));
            name
        });
        files.push(StoredFile {
            origin: kernel
                .origins
                .get(&entry.path)
                .copied()
                .unwrap_or(FileOrigin::Uploaded),
            path: entry.path.clone(),
            stored: stored.clone(),
            decoded,
        });
        next.volume.insert(entry.path, (stored, bytes));
    }
    files
}

/// The stored name of `bytes`: the saved one when `saved` holds these very bytes, else a new
/// name (`name` of the next sequence number) they are put under.
fn keep_or_put(
    next: &mut Saved,
    put: &mut dyn FnMut(&mut Saved, String, Vec<u8>),
    saved: Option<&(String, Arc<[u8]>)>,
    bytes: &Arc<[u8]>,
    name: impl FnOnce(u64) -> String,
) -> String {
    match saved {
        Some((stored, saved)) if Arc::ptr_eq(saved, bytes) => {
            next.sizes.insert(stored.clone(), saved.len() as u64);
            stored.clone()
        }
        _ => {
            next.seq += 1;
            let stored = name(next.seq);
            put(next, stored.clone(), bytes.to_vec());
            stored
        }
    }
}
