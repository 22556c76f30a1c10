//! The workbench's "Keep & share" tab: how the browser keeps the learner's work (usage,
//! persistence), the workspace as one file (export, import), the project for Spark or
//! Databricks ("Download project") and a share link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use super::browser_storage::{estimate, persist, persisted, size};
use super::workspace_zip;
use crate::components::project::DownloadProject;
use crate::share::ShareLink;
use crate::workbench::use_workbench;

/// The panel.
#[component]
pub fn KeepPanel() -> impl IntoView {
    let wb = use_workbench();
    let usage = RwSignal::new(None::<(f64, f64)>);
    let kept = RwSignal::new(None::<bool>);
    let refresh = move || {
        spawn_local(async move {
            usage.set(estimate().await);
            kept.set(persisted().await);
        });
    };
    // Read again whenever the data changed (a generation, an update).
    Effect::new(move |_| {
        wb.data.track();
        refresh();
    });
    let ask_persist = move |_| {
        spawn_local(async move {
            kept.set(persist().await);
        });
    };
    let with_tables = RwSignal::new(false);
    let working = RwSignal::new(None::<&'static str>);
    let outcome = RwSignal::new(None::<(bool, String)>);
    let export = move |_| {
        working.set(Some("Writing the workspace file…"));
        outcome.set(None);
        spawn_local(async move {
            let result = workspace_zip::export(wb, with_tables.get_untracked()).await;
            working.set(None);
            outcome.set(Some(match result {
                Ok(()) => (false, format!("Saved as {}.", workspace_zip::EXPORT_NAME)),
                Err(e) => (true, e),
            }));
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let file = input.files().and_then(|list| list.get(0));
        input.set_value("");
        let Some(file) = file else { return };
        working.set(Some("Reading the workspace file…"));
        outcome.set(None);
        spawn_local(async move {
            let name = file.name();
            let result = match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    workspace_zip::import(wb, &name, bytes).await
                }
                Err(_) => Err(format!("{name} could not be read from your disk.")),
            };
            working.set(None);
            outcome.set(Some(match result {
                Ok(imported) => {
                    workspace_zip::adopt(wb, &imported);
                    let tables = match imported.tables {
                        0 => String::new(),
                        n => format!(" Its {n} tables are for reading elsewhere: run the pipeline to rebuild them here."),
                    };
                    (false, format!(
                        "Imported {name}: {} files{}.{tables}",
                        imported.workspace.files.len(),
                        if imported.generator.is_some() { " and the generator's settings" } else { "" },
                    ))
                }
                Err(e) => (true, e),
            }));
        });
    };
    let busy = move || working.get().is_some() || !wb.loaded.get();
    view! {
        <div class="keep-panel">
            <section aria-labelledby="keep-storage">
                <h2 id="keep-storage">"Saved in this browser"</h2>
                <p data-testid="storage-usage">{move || match usage.get() {
                    Some((used, quota)) => format!("Your work takes {} of the {} this browser lets the site use.", size(used), size(quota)),
                    None => "This browser does not say how much space the workbook uses.".into(),
                }}</p>
                <p data-testid="storage-persistence">{move || match kept.get() {
                    Some(true) => "Persistent: the browser keeps your work even when the disk runs low.",
                    Some(false) => "Not persistent: the browser may clear your work when the disk runs low. Export a workspace file to be safe.",
                    None => "This browser does not say whether it keeps your work.",
                }}</p>
                <Show when=move || kept.get() == Some(false)>
                    <button type="button" on:click=ask_persist>"Keep my work persistent"</button>
                </Show>
                {move || wb.data.with(|d| d.storage.message.clone()).map(|m| view! { <p class="keep-error">{m}</p> })}
            </section>
            <section aria-labelledby="keep-file">
                <h2 id="keep-file">"Workspace file"</h2>
                <p>"Your files and the generator's settings in one .zip, to move to another machine or to hand in."</p>
                <label class="keep-check">
                    <input type="checkbox" prop:checked=move || with_tables.get()
                        on:change=move |ev| with_tables.set(event_target_checked(&ev))/>
                    "Include the tables as Parquet"
                </label>
                <div class="keep-actions">
                    <button type="button" disabled=busy on:click=export>"Export workspace"</button>
                    <label class="upload-button">
                        "Import workspace…"
                        <input type="file" accept=".zip,application/zip" data-testid="import-input"
                            disabled=busy on:change=import/>
                    </label>
                </div>
                <p class="field-hint">"Importing replaces your project's files with the file's; your data stays."</p>
                {move || working.get().map(|w| view! { <p role="status">{w}</p> })}
                {move || outcome.get().map(|(error, text)| view! {
                    <p role="status" class:keep-error=error data-testid="keep-outcome">{text}</p>
                })}
            </section>
            <DownloadProject/>
            <ShareLink/>
        </div>
    }
}
