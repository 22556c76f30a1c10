//! "Download project": the learner's current files exported by the engine worker (the same
//! files `iotwb export` writes), zipped by the codec worker and handed to the browser. The UI
//! thread only moves bytes between them.

use leptos::prelude::*;
use protocol::workspace_file::ZipEntry;
use protocol::{ExportFormat, ExportedProject, Problem, Reply, Request};

use super::Workbench;
use super::files::Workspace;
use crate::download;

impl Workbench {
    /// Export the files as they are now in `format` and start the download of
    /// `<name>.zip`, its files in one folder `<name>/`. The report says what was rewritten
    /// and what could not be; a project that does not load is the problem with its place, and
    /// nothing is downloaded.
    pub async fn download_project(&self, format: ExportFormat) -> Result<ExportedProject, Problem> {
        let request = Request::Export {
            project: self.workspace.with_untracked(Workspace::project),
            target: self.target.get_untracked(),
            format,
        };
        let (exported, bytes) = match self.engine().call(request, None, None).await? {
            (Reply::Exported(exported), bytes) => (exported, bytes.unwrap_or_default()),
            _ => return Err(Problem::error("The engine answered without the project.")),
        };
        let folder = &exported.name;
        let entries = exported
            .files
            .iter()
            .map(|e| ZipEntry {
                path: format!("{folder}/{}", e.path),
                ..e.clone()
            })
            .collect();
        let zip = self.codec.get_value().zip(entries, bytes).await?;
        download::save_bytes(&format!("{folder}.zip"), "application/zip", &zip)
            .map_err(|e| Problem::error(format!("The browser refused the download: {e}")))?;
        Ok(exported)
    }
}
