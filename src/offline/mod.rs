//! The workbook as a dependable static site: the service worker and its update prompt
//! (`update.rs`, with `pwa/sw.js`), the browser's storage (persistence, usage, failures:
//! `safekeeping.rs`, `browser_storage.rs`) and the workspace as one file (`workspace_zip.rs`),
//! gathered in the workbench's "Keep & share" tab (`keep_panel.rs`).

mod browser_storage;
mod keep_panel;
mod safekeeping;
mod update;
pub mod workspace_zip;

pub use keep_panel::KeepPanel;
pub use safekeeping::{
    StorageAlert, files_not_saved, files_saved, provide_safekeeping, unreadable_saved_files,
};
pub use update::UpdatePrompt;
