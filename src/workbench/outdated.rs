//! Answers to the outdated-files banner: keep the learner's copies of files whose published
//! original changed, as the new baseline.

use leptos::prelude::*;

use super::Workbench;
use super::files::{fingerprint, original};

impl Workbench {
    /// Keep the learner's copies of `paths` and take the current published originals as
    /// what they are based on, so those files no longer count as outdated.
    pub fn keep_mine(&self, paths: &[String]) {
        self.workspace.update(|ws| {
            for path in paths {
                if let Some(text) = original(ws.variant, path) {
                    ws.based_on.insert(path.clone(), fingerprint(text));
                }
            }
        });
        self.save_now();
    }
}
