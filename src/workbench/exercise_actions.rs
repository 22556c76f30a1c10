//! What the learner does with an exercise: start (or reset) it, apply its solution, check it.

use std::collections::BTreeMap;

use leptos::prelude::*;
use protocol::{CheckResult, Exercise, Problem, Reply, Request};

use super::Workbench;
use super::files::Workspace;

impl Workbench {
    /// Put `files` into the project (saved and validated like an edit) and open the first.
    pub fn replace_files(&self, files: BTreeMap<String, String>) {
        let first = files.keys().next().cloned();
        self.workspace.update(|ws| {
            for (path, text) in files {
                ws.files.insert(path, text);
            }
        });
        if first.is_some() {
            self.open_file.set(first);
        }
        self.after_edit();
    }

    /// Check `exercise` on the learner's files, in the engine's scratch workspace with data
    /// from a fresh seed.
    pub async fn check_exercise(&self, exercise: &Exercise) -> Result<CheckResult, Problem> {
        let request = Request::Check {
            project: self.workspace.with_untracked(Workspace::project),
            check: exercise.check.clone(),
            // A new seed every time: data the learner has not seen, so no answer table typed in
            // by hand can pass.
            seed: (js_sys::Math::random() * 1e9) as u64 + 1,
        };
        match self.engine().call(request, None, None).await? {
            (Reply::Checked(result), _) => Ok(result),
            (Reply::Error(problem), _) => Err(problem),
            _ => Err(Problem::error(
                "the engine answered something else than a check",
            )),
        }
    }
}
