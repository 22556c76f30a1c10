//! Restoring the workspace from its stored files ([`super::commit`] wrote them).

use std::collections::BTreeMap;

use pipeline::persist;
use pipeline::volume::Volume;

use super::{FORMAT, MANIFEST, Manifest, Saved};
use crate::{Kernel, StoreOp};

const FRESH: &str = "the workbook started with an empty workspace";

/// Restore `kernel` (empty) from `saved`; the ops that delete leftovers.
///
/// Never fails: a damaged manifest, or one of a format this version cannot read, gives an
/// empty workspace, a sentence in the storage message and the ops that delete every stored
/// file. A manifest of an older format (1 stored rows as Parquet, which the engine worker no
/// longer links) is not an error: the workspace starts with empty data, and the learner
/// generates or uploads it again. Their project files are not lost: the page keeps them in
/// its own storage, apart from the engine's.
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
        Some(older) if older < FORMAT => {
            return Err(format!(
                "The saved data came from an earlier version of the workbook (storage format {older}), so the workbook started with empty data; your project files are kept. Generate or upload the data again."
            ));
        }
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
        // A missing decoded copy costs only that file: reading it says to upload it again.
        let copy = file
            .decoded
            .as_ref()
            .and_then(|name| saved.get(name).map(|copy| (name, copy)));
        match copy {
            Some((_, copy)) => {
                kernel
                    .volume
                    .insert_with_decoded(&file.path, bytes.clone(), copy.clone())
            }
            None => kernel.volume.insert(&file.path, bytes.clone()),
        }
        kernel.origins.insert(file.path.clone(), file.origin);
        let shared = kernel.volume.read(&file.path).map_err(|e| damaged(&e))?;
        size(&mut store, &file.stored);
        store
            .volume
            .insert(file.path.clone(), (file.stored.clone(), shared));
        if let (Some((name, _)), Some(shared)) = (copy, kernel.volume.decoded(&file.path)) {
            size(&mut store, name);
            store
                .decoded
                .insert(file.path.clone(), (name.clone(), shared));
        }
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
    let (schema, batches) = pipeline::ipc::read(bytes).ok()?;
    arrow::compute::concat_batches(&schema, &batches).ok()
}
