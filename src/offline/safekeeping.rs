//! When the learner's work is not safe in the browser (storage full, a saved copy that is
//! damaged or of an unknown format, the engine's data not saved), a banner says so and offers
//! the files as a download; the workbook keeps working with what the page holds.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::workspace_zip;
use crate::download;
use crate::workbench::{storage, use_workbench};

/// Where an unreadable saved copy is kept aside, so that saving the published project does not
/// overwrite what the learner may still need.
const UNREADABLE_COPY: &str = "iotwb-workspace.unreadable.json";

/// What is wrong.
#[derive(Debug, Clone, PartialEq)]
struct Trouble {
    /// Which kind (a later success clears its own kind only).
    kind: Kind,
    /// The sentence.
    text: String,
    /// The unreadable saved copy, offered as it was.
    saved_copy: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    FilesNotSaved,
    Unreadable,
    DataNotSaved,
}

#[derive(Clone, Copy)]
struct Safekeeping {
    trouble: RwSignal<Option<Trouble>>,
}

thread_local! {
    // The workbench's actions run in tasks without the app's reactive owner: they reach the
    // banner through this handle, set once by the app.
    static HANDLE: Cell<Option<Safekeeping>> = const { Cell::new(None) };
}

fn report(trouble: Option<Trouble>) {
    if let Some(keeping) = HANDLE.with(Cell::get) {
        keeping.trouble.set(trouble);
    }
}

/// Create the banner's state (once, in the app, before the workbench starts).
pub fn provide_safekeeping() {
    let keeping = Safekeeping {
        trouble: RwSignal::new(None),
    };
    HANDLE.with(|h| h.set(Some(keeping)));
}

/// The saved files cannot be read (`sentence` says why): keep `text` aside and offer it.
pub async fn unreadable_saved_files(text: String, sentence: String) {
    let kept = match storage::save_as(UNREADABLE_COPY, &text).await {
        Ok(()) => format!(" It is kept aside in this browser as {UNREADABLE_COPY}."),
        Err(_) => String::new(),
    };
    report(Some(Trouble {
        kind: Kind::Unreadable,
        text: format!("{sentence}.{kept} Download it to look at it or to repair it."),
        saved_copy: Some(text),
    }));
}

/// Saving the learner's files failed.
pub fn files_not_saved(quota_exceeded: bool, message: &str) {
    let text = if quota_exceeded {
        "The browser's storage for this site is full, so your latest changes are not saved. Download your files to keep them, then make room: delete uploaded files or reset the tables (Data tab).".to_string()
    } else {
        format!(
            "Your files could not be saved in this browser ({message}). Download them to keep them."
        )
    };
    report(Some(Trouble {
        kind: Kind::FilesNotSaved,
        text,
        saved_copy: None,
    }));
}

/// The files were saved: a save failure no longer applies.
pub fn files_saved() {
    if let Some(keeping) = HANDLE.with(Cell::get)
        && keeping
            .trouble
            .with_untracked(|t| t.as_ref().is_some_and(|t| t.kind == Kind::FilesNotSaved))
    {
        keeping.trouble.set(None);
    }
}

/// The banner: what is wrong, and the learner's files (and the unreadable copy) to download.
#[component]
pub fn StorageAlert() -> impl IntoView {
    let Some(keeping) = HANDLE.with(Cell::get) else {
        return ().into_any();
    };
    let wb = use_workbench();
    // The engine says when saving the data failed (a full disk): the same banner.
    Effect::new(move |_| {
        if let Some(message) = wb.data.with(|d| d.storage.message.clone()) {
            keeping.trouble.set(Some(Trouble {
                kind: Kind::DataNotSaved,
                text: format!(
                    "{message} Your project files can be downloaded; the data can be generated again."
                ),
                saved_copy: None,
            }));
        }
    });
    let failed = RwSignal::new(None::<String>);
    let download_files = move |_| {
        spawn_local(async move {
            if let Err(e) = workspace_zip::export(wb, false).await {
                failed.set(Some(e));
            }
        });
    };
    view! {
        {move || keeping.trouble.get().map(|trouble| {
            let copy = trouble.saved_copy.clone();
            view! {
                <div class="storage-alert" role="alert" data-testid="storage-alert">
                    <p class="storage-alert-text">{trouble.text.clone()}</p>
                    <div class="storage-alert-actions">
                        <button type="button" on:click=download_files>"Download my files"</button>
                        {copy.map(|copy| view! {
                            <button type="button" on:click=move |_| {
                                if let Err(e) = download::save_bytes("iotwb-workspace-saved-copy.json", "application/json", copy.as_bytes()) {
                                    failed.set(Some(e));
                                }
                            }>"Download the saved copy"</button>
                        })}
                        <button type="button" class="secondary" on:click=move |_| keeping.trouble.set(None)>"Dismiss"</button>
                    </div>
                    {move || failed.get().map(|e| view! { <p class="storage-alert-text">{e}</p> })}
                </div>
            }
        })}
    }
    .into_any()
}
