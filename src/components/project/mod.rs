//! Working on the project and its data: the file tree, problems, the run toolbar, the
//! generator and the volume browser.

pub mod diff;
mod download_project;
mod file_actions;
mod file_tree;
pub mod generator;
mod outdated_banner;
mod problems;
mod status_line;
mod toolbar;
pub mod tree_model;
mod variant_switch;
mod volume;

pub use download_project::DownloadProject;
pub use file_tree::FileTree;
pub use generator::GeneratorPanel;
pub use outdated_banner::{FileDiff, OutdatedBanner};
pub use problems::ProblemsList;
pub use status_line::StatusLine;
pub use toolbar::RunToolbar;
pub use variant_switch::VariantSwitch;
pub use volume::VolumeBrowser;
