//! Which modules the learner has completed, kept in the browser's localStorage.

use std::collections::BTreeSet;

use gloo::storage::{LocalStorage, Storage};
use leptos::prelude::*;

const STORAGE_KEY: &str = "iotwb.progress.completed";

/// Reader and writer of the set of completed module ids, shared through context.
#[derive(Clone, Copy)]
pub struct Progress {
    /// Ids of the completed modules.
    pub completed: ReadSignal<BTreeSet<String>>,
    set_completed: WriteSignal<BTreeSet<String>>,
}

impl Progress {
    /// Marks `id` complete or not.
    pub fn set_done(&self, id: &str, done: bool) {
        self.set_completed.update(|set| {
            if done {
                set.insert(id.to_string());
            } else {
                set.remove(id);
            }
        });
    }

    /// Whether module `id` is complete (reactive).
    pub fn is_done(&self, id: &str) -> bool {
        self.completed.with(|set| set.contains(id))
    }
}

/// Loads the saved progress, keeps it saved, and provides it to the component tree.
pub fn provide_progress() -> Progress {
    // A corrupt or missing entry starts from nothing rather than failing the page.
    let saved: BTreeSet<String> = LocalStorage::get(STORAGE_KEY).unwrap_or_default();
    let (completed, set_completed) = signal(saved);
    Effect::new(move |_| {
        // Storage can be full or disabled (private mode); progress then lasts for the visit.
        let _ = LocalStorage::set(STORAGE_KEY, completed.get());
    });
    let progress = Progress {
        completed,
        set_completed,
    };
    provide_context(progress);
    progress
}

/// The progress provided by [`provide_progress`].
pub fn use_progress() -> Progress {
    use_context::<Progress>().expect("provide_progress() runs in App")
}
