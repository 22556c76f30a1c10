//! Looking at what a run did: the pipeline graph, tables, data quality, the event log, the
//! run history and the SQL console.

mod event_log;
pub mod format;
mod graph;
pub mod graph_layout;
mod history;
mod quality;
mod sql_console;
pub mod sql_history;
mod table_panel;
mod table_viewer;

pub use event_log::EventLog;
pub use graph::PipelineGraph;
pub use history::RunHistory;
pub use quality::DataQuality;
pub use sql_console::SqlConsole;
pub use table_panel::TablePanel;
pub use table_viewer::{PAGE_SIZE, TableViewer};
