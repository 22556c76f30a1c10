//! The learner's files: edits (saved and validated once typing pauses), new, renamed,
//! deleted and reset files.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::Variant;

use super::files::Workspace;
use super::{Workbench, storage};

/// Validation waits this long after the last keystroke: long enough not to run on every
/// key, short enough that problems appear while the learner still looks at the line.
const VALIDATE_AFTER_MS: u32 = 400;
/// Saving the files waits this long after the last edit.
const SAVE_AFTER_MS: u32 = 300;

impl Workbench {
    /// Replace a file's text (every keystroke): saved and validated shortly after.
    pub fn edit(&self, path: &str, text: String) {
        self.workspace.update(|ws| {
            ws.files.insert(path.to_string(), text);
        });
        self.after_edit();
    }

    pub(super) fn after_edit(&self) {
        self.edits.update(|n| *n += 1);
        let generation = self.edits.get_untracked();
        let me = *self;
        set_timeout(
            move || {
                if me.edits.get_untracked() == generation {
                    me.save_now();
                }
            },
            std::time::Duration::from_millis(u64::from(SAVE_AFTER_MS)),
        );
        set_timeout(
            move || {
                if me.edits.get_untracked() == generation {
                    me.validate_now();
                }
            },
            std::time::Duration::from_millis(u64::from(VALIDATE_AFTER_MS)),
        );
    }

    /// Save the files now (Ctrl/Cmd-S).
    pub fn save_now(&self) {
        // Before the saved files are read (another tab may hold them), saving would clobber them.
        if !self.loaded.get_untracked() {
            return;
        }
        let text = self.workspace.with_untracked(serde_json::to_string);
        let me = *self;
        spawn_local(async move {
            let result = match text {
                Ok(text) => storage::save(&text).await,
                Err(e) => Err(storage::SaveError::other(e.to_string())),
            };
            // A failure (a full disk) offers the files as a download; a later success clears it.
            match result {
                Ok(()) => crate::offline::files_saved(),
                Err(e) => {
                    crate::offline::files_not_saved(e.quota_exceeded, &e.message);
                    me.say_error(format!("Your files could not be saved: {}.", e.message));
                }
            }
        });
    }

    /// Add an empty file (or one with `text`); an error sentence when the path is unusable.
    pub fn add_file(&self, path: &str, text: &str) -> Result<String, String> {
        let path = self.workspace.with_untracked(|ws| ws.check_path(path))?;
        self.workspace.update(|ws| {
            ws.files.insert(path.clone(), text.to_string());
        });
        self.open_file.set(Some(path.clone()));
        self.after_edit();
        Ok(path)
    }

    /// Rename a file; an error sentence when the new path is unusable.
    pub fn rename_file(&self, from: &str, to: &str) -> Result<String, String> {
        let to = self.workspace.with_untracked(|ws| ws.check_path(to))?;
        self.workspace.update(|ws| {
            if let Some(text) = ws.files.remove(from) {
                ws.files.insert(to.clone(), text);
            }
        });
        if self.open_file.get_untracked().as_deref() == Some(from) {
            self.open_file.set(Some(to.clone()));
        }
        self.after_edit();
        Ok(to)
    }

    /// Delete a file (a published one comes back with "Reset file").
    pub fn delete_file(&self, path: &str) {
        self.workspace.update(|ws| {
            ws.files.remove(path);
        });
        if self.open_file.get_untracked().as_deref() == Some(path) {
            self.open_file.set(None);
        }
        self.after_edit();
    }

    /// Restore one file to the published text.
    pub fn reset_file(&self, path: &str) {
        self.workspace.update(|ws| {
            ws.reset_file(path);
        });
        self.after_edit();
        self.say(format!("{path} is back to the published version."));
    }

    /// Restore the whole project to the published files of `variant` (data and tables stay).
    pub fn reset_project(&self, variant: Variant) {
        // A new copy of the files; the exercises' progress stays.
        self.workspace.update(|ws| {
            let exercises = std::mem::take(&mut ws.exercises);
            *ws = Workspace {
                exercises,
                ..Workspace::published(variant)
            };
        });
        self.open_file.set(None);
        self.after_edit();
        self.say(format!(
            "The project is back to the published {} version.",
            match variant {
                Variant::Python => "Python",
                Variant::Sql => "SQL",
            }
        ));
    }
}
