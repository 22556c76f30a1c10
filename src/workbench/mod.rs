//! The workbench's state, shared by the full-page workbench and every lesson cell: the
//! learner's files, the engine's answers (validation, data, runs) and the actions that change
//! them. One per page, provided at the app's root.

mod actions;
mod data_actions;
mod download_actions;
mod exercise_actions;
mod file_actions;
pub mod files;
mod outdated;
mod serving;
pub(crate) mod storage;

use std::collections::BTreeMap;

use leptos::prelude::*;
use protocol::{DataSummary, FlowProgress, FlowState, RunKind, Validation};

use crate::engine::{Codec, Engine};
use actions::now_ms;
pub use files::Workspace;
pub use serving::{AlertEvaluation, Serving};

/// An update that is running now.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveRun {
    /// What runs.
    pub kind: RunKind,
    /// When the learner pressed the button, ms since the epoch.
    pub started_at_ms: f64,
    /// Each flow's progress so far, by dataset.
    pub flows: BTreeMap<String, FlowProgress>,
}

/// A message for the learner in the workbench's status bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Error (red) or information.
    pub error: bool,
    /// The sentence.
    pub text: String,
}

/// The workbench: signals any component reads, and actions (in `actions.rs`).
#[derive(Clone, Copy)]
pub struct Workbench {
    /// The engine worker.
    pub engine: StoredValue<Engine, LocalStorage>,
    /// The Parquet codec worker (started on first use).
    pub codec: StoredValue<Codec, LocalStorage>,
    /// The learner's project.
    pub workspace: RwSignal<Workspace>,
    /// Whether the saved files have been read (before that, the published ones show).
    pub loaded: RwSignal<bool>,
    /// The file open in the editor.
    pub open_file: RwSignal<Option<String>>,
    /// Where to put the editor's caret next: `(file, line, column)`.
    pub goto: RwSignal<Option<(String, u32, u32)>>,
    /// The bundle target the learner chose (`None`: the bundle's default).
    pub target: RwSignal<Option<String>>,
    /// The last validation.
    pub validation: RwSignal<Option<Validation>>,
    /// The data: generated files, tables, history.
    pub data: RwSignal<DataSummary>,
    /// The running update, if any.
    pub live: RwSignal<Option<LiveRun>>,
    /// Something else the engine is busy with ("Generating the course data…").
    pub busy: RwSignal<Option<String>>,
    /// The table selected in the graph or the table list.
    pub selected: RwSignal<Option<String>>,
    /// The latest message for the learner.
    pub notice: RwSignal<Option<Notice>>,
    /// Bumped whenever the tables change (viewers reload their page).
    pub tables_changed: RwSignal<u64>,
    /// Bumped whenever the volume changes (the volume browser reloads).
    pub volume_changed: RwSignal<u64>,
    /// The dashboard, the alert and their settings.
    pub serving: Serving,
    /// Edits since the files were last validated (debounce generation).
    edits: RwSignal<u64>,
}

impl Workbench {
    /// The state of a flow in the graph: live while an update runs, else from the last run.
    pub fn flow_state(&self, dataset: &str) -> Option<FlowProgress> {
        if let Some(live) = self.live.get() {
            return Some(
                live.flows
                    .get(dataset)
                    .cloned()
                    .unwrap_or_else(|| queued(dataset)),
            );
        }
        self.data.with(|d| {
            d.history
                .last()
                .and_then(|run| run.flows.iter().find(|f| f.dataset == dataset).cloned())
        })
    }

    /// Whether an update or another engine task is running, or the saved workbook is not
    /// this tab's yet (another tab holds it, or its files are still being read).
    pub fn is_busy(&self) -> bool {
        self.live.with(Option::is_some) || self.busy.with(Option::is_some) || !self.loaded.get()
    }
}

fn queued(dataset: &str) -> FlowProgress {
    FlowProgress::pending(
        dataset,
        protocol::NodeKind::StreamingTable,
        FlowState::Queued,
    )
}

/// Create the workbench for this page and start the engine right after the first paint.
pub fn provide_workbench() -> Workbench {
    let workbench = Workbench {
        engine: StoredValue::new_local(Engine::new()),
        codec: StoredValue::new_local(Codec::new()),
        workspace: RwSignal::new(Workspace::published(protocol::Variant::Python)),
        loaded: RwSignal::new(false),
        open_file: RwSignal::new(None),
        goto: RwSignal::new(None),
        target: RwSignal::new(None),
        validation: RwSignal::new(None),
        data: RwSignal::new(DataSummary::default()),
        live: RwSignal::new(None),
        busy: RwSignal::new(None),
        selected: RwSignal::new(None),
        notice: RwSignal::new(None),
        tables_changed: RwSignal::new(0),
        volume_changed: RwSignal::new(0),
        serving: Serving::new(),
        edits: RwSignal::new(0),
    };
    provide_context(workbench);
    workbench.start();
    workbench
}

/// The page's workbench.
pub fn use_workbench() -> Workbench {
    expect_context::<Workbench>()
}
