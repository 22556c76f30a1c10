//! The workspace as one file (`protocol::workspace_file`): export writes the learner's files,
//! the generator's settings and optionally every table as Parquet into a zip; import reads one
//! back. The codec worker does the zip work, so the page's wasm carries no compression code.

use std::collections::BTreeMap;

use gloo::storage::{LocalStorage, Storage};
use leptos::prelude::{GetUntracked, GetValue, Set, WithUntracked};
use protocol::workspace_file::{
    MANIFEST_PATH, PROJECT_DIR, TABLES_DIR, WORKSPACE_FILE_FORMAT, WorkspaceManifest, ZipEntry,
    check_project_path, project_path, read_manifest,
};
use protocol::{DownloadFormat, GeneratorSettings, Reply, Request, RowSource};

use crate::components::project::generator::STORAGE_KEY as GENERATOR_KEY;
use crate::download;
use crate::workbench::files::FILES_FORMAT;
use crate::workbench::{Workbench, Workspace};

/// The name of an exported file.
pub const EXPORT_NAME: &str = "iotwb-workspace.zip";

/// Write the workspace file and hand it to the browser as a download.
pub async fn export(wb: Workbench, with_tables: bool) -> Result<(), String> {
    let ws = wb.workspace.get_untracked();
    let mut entries = Vec::new();
    let mut bytes = Vec::new();
    let mut add = |path: String, content: &[u8], to_parquet: bool| {
        entries.push(ZipEntry {
            path,
            len: content.len() as u64,
            to_parquet,
        });
        bytes.extend_from_slice(content);
    };
    let tables: Vec<String> = if with_tables {
        wb.data
            .with_untracked(|d| d.tables.iter().map(|t| t.qualified.clone()).collect())
    } else {
        Vec::new()
    };
    let manifest = WorkspaceManifest {
        format: WORKSPACE_FILE_FORMAT,
        variant: ws.variant,
        based_on: ws.based_on.clone(),
        generator: LocalStorage::get::<GeneratorSettings>(GENERATOR_KEY).ok(),
        tables: tables.clone(),
    };
    let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    add(MANIFEST_PATH.to_string(), &manifest, false);
    for (path, text) in &ws.files {
        add(format!("{PROJECT_DIR}{path}"), text.as_bytes(), false);
    }
    for table in &tables {
        let request = Request::Download {
            source: RowSource::Table {
                name: table.clone(),
            },
            format: DownloadFormat::Arrow,
        };
        match wb.engine.get_value().call(request, None, None).await {
            Ok((Reply::File { .. }, Some(ipc))) => {
                add(format!("{TABLES_DIR}{table}.parquet"), &ipc, true);
            }
            Ok(_) => return Err(format!("The engine sent no rows for {table}.")),
            Err(problem) => return Err(problem.sentence()),
        }
    }
    let zip = wb
        .codec
        .get_value()
        .zip(entries, bytes)
        .await
        .map_err(|p| p.sentence())?;
    download::save_bytes(EXPORT_NAME, "application/zip", &zip)
}

/// What an imported file held, for the sentence the page shows.
pub struct Imported {
    /// The learner's files, as the workbench keeps them.
    pub workspace: Workspace,
    /// The generator's settings, if the file had them.
    pub generator: Option<GeneratorSettings>,
    /// Tables in the file (left out: the pipeline rebuilds them).
    pub tables: usize,
}

/// Read workspace file `name`; every failure is a sentence naming the file.
pub async fn import(wb: Workbench, name: &str, zip: Vec<u8>) -> Result<Imported, String> {
    let (entries, bytes) = wb
        .codec
        .get_value()
        .unzip(name, zip)
        .await
        .map_err(|p| p.sentence())?;
    let mut offset = 0usize;
    let mut manifest = None;
    let mut files = BTreeMap::new();
    let mut tables = 0;
    for entry in entries {
        let end = offset + entry.len as usize;
        let content = bytes
            .get(offset..end)
            .ok_or_else(|| format!("{name}: the codec sent fewer bytes than it listed."))?;
        offset = end;
        if entry.path == MANIFEST_PATH {
            manifest = Some(read_manifest(content).map_err(|e| format!("{name}: {e}"))?);
        } else if let Some(path) = project_path(&entry.path) {
            check_project_path(path).map_err(|e| format!("{name}: {e}"))?;
            let text = String::from_utf8(content.to_vec())
                .map_err(|_| format!("{name}: {path} is not text"))?;
            files.insert(path.to_string(), text);
        } else if entry.path.starts_with(TABLES_DIR) {
            tables += 1;
        }
    }
    let manifest = manifest.ok_or_else(|| {
        format!("{name} is not a workbook's workspace file (it has no {MANIFEST_PATH}).")
    })?;
    let based_on = manifest
        .based_on
        .into_iter()
        .filter(|(path, _)| files.contains_key(path))
        .collect();
    Ok(Imported {
        workspace: Workspace {
            format: FILES_FORMAT,
            variant: manifest.variant,
            files,
            based_on,
            // Exercise progress is the learner's, not the file's: `adopt` keeps it.
            exercises: Default::default(),
        },
        generator: manifest.generator,
        tables,
    })
}

/// Make `imported` the learner's workspace (saved and validated at once).
pub fn adopt(wb: Workbench, imported: &Imported) {
    if let Some(settings) = imported.generator {
        // The generator panel reads them when it is shown next.
        let _ = LocalStorage::set(GENERATOR_KEY, settings);
    }
    let progress = wb.workspace.with_untracked(|ws| ws.exercises.clone());
    let mut workspace = imported.workspace.clone();
    workspace.exercises = progress;
    wb.workspace.set(workspace);
    wb.open_file.set(None);
    wb.save_now();
    wb.validate_now();
}
