//! The learner's progress: each exercise's state, saved with the workspace (the learner's
//! files in the origin-private file system), and module completion derived from it: a module
//! is complete when every one of its exercises passed.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::lessons;
use crate::workbench::Workspace;

/// Where the learner is with one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseStatus {
    /// Never opened.
    #[default]
    NotStarted,
    /// Its starting files are set up; not checked yet.
    Started,
    /// Checked, and the check failed.
    Attempted,
    /// Checked, and the check passed (stays passed).
    Passed,
}

impl ExerciseStatus {
    /// The words the page shows.
    pub fn label(self) -> &'static str {
        match self {
            ExerciseStatus::NotStarted => "Not started",
            ExerciseStatus::Started => "In progress",
            ExerciseStatus::Attempted => "Attempted",
            ExerciseStatus::Passed => "Passed",
        }
    }
}

/// Reader and writer of the exercises' states, shared through context.
#[derive(Clone, Copy)]
pub struct Progress {
    workspace: RwSignal<Workspace>,
}

impl Progress {
    /// One exercise's state (reactive).
    pub fn status(&self, exercise: &str) -> ExerciseStatus {
        self.workspace
            .with(|ws| ws.exercises.get(exercise).copied().unwrap_or_default())
    }

    /// Record a new state; a passed exercise stays passed. The caller saves the workspace.
    pub fn record(&self, exercise: &str, status: ExerciseStatus) {
        self.workspace.update(|ws| {
            let entry = ws.exercises.entry(exercise.to_string()).or_default();
            if *entry != ExerciseStatus::Passed {
                *entry = status;
            }
        });
    }

    /// `(passed, total)` exercises of the module `lesson` (reactive).
    pub fn module(&self, lesson: &str) -> (usize, usize) {
        let ids: Vec<&str> = lessons::exercise_ids(lesson).collect();
        let passed = self.workspace.with(|ws| {
            ids.iter()
                .filter(|id| ws.exercises.get(**id) == Some(&ExerciseStatus::Passed))
                .count()
        });
        (passed, ids.len())
    }

    /// Whether every exercise of module `lesson` passed (reactive).
    pub fn is_done(&self, lesson: &str) -> bool {
        let (passed, total) = self.module(lesson);
        total > 0 && passed == total
    }
}

/// Provide the progress kept in `workspace` to the component tree.
pub fn provide_progress(workspace: RwSignal<Workspace>) -> Progress {
    let progress = Progress { workspace };
    provide_context(progress);
    progress
}

/// The progress provided by [`provide_progress`].
pub fn use_progress() -> Progress {
    use_context::<Progress>().expect("provide_progress() runs in App")
}
