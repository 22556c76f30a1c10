//! "Share link": the learner's changed files, compressed into a workbench URL's fragment.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::share::{FRAGMENT_KEY, MAX_LINK_CHARS, SharedWork, base64url_encode};

use super::compress::deflate;
use crate::base;
use crate::workbench::files::originals;
use crate::workbench::{Workspace, use_workbench};

/// The published files of the workspace's variant, as a map.
pub fn published(ws: &Workspace) -> BTreeMap<String, String> {
    originals(ws.variant)
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

/// A link that opens the workbench with the learner's changes.
async fn make_link(ws: &Workspace) -> Result<String, String> {
    let work = SharedWork::changes(ws.variant, &published(ws), &ws.files);
    let compressed = deflate(&work.payload())
        .await
        .map_err(|e| format!("The browser could not compress your files ({e})."))?;
    let data = base64url_encode(&compressed);
    if data.len() > MAX_LINK_CHARS {
        return Err(format!(
            "Your changes are too large for a link ({} characters, at most {MAX_LINK_CHARS}): export a workspace file instead.",
            data.len()
        ));
    }
    let origin = window().location().origin().unwrap_or_default();
    Ok(format!(
        "{origin}{}#{FRAGMENT_KEY}{data}",
        base::href("/workbench")
    ))
}

/// The share section of the "Keep & share" tab.
#[component]
pub fn ShareLink() -> impl IntoView {
    let wb = use_workbench();
    let link = RwSignal::new(None::<Result<String, String>>);
    let copied = RwSignal::new(false);
    let make = move |_| {
        copied.set(false);
        let ws = wb.workspace.get_untracked();
        spawn_local(async move { link.set(Some(make_link(&ws).await)) });
    };
    let copy = move |_| {
        if let Some(Ok(url)) = link.get_untracked() {
            let promise = window().navigator().clipboard().write_text(&url);
            spawn_local(async move {
                copied.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
            });
        }
    };
    let changed = move || {
        wb.workspace.with(|ws| {
            let published = published(ws);
            SharedWork::changes(ws.variant, &published, &ws.files)
        })
    };
    view! {
        <section aria-labelledby="keep-share">
            <h2 id="keep-share">"Share by link"</h2>
            <p>"A link that holds your changed files, to send to someone; nothing goes to a server. Opening it asks before it replaces anyone's work."</p>
            <p class="field-hint">{move || {
                let work = changed();
                format!("{} changed or added, {} deleted.", plural(work.files.len(), "file"), plural(work.deleted.len(), "file"))
            }}</p>
            <button type="button" on:click=make>"Make share link"</button>
            {move || link.get().map(|made| match made {
                Ok(url) => view! {
                    <div class="share-link">
                        <input type="text" readonly aria-label="Share link" data-testid="share-link" prop:value=url
                            on:focus=move |ev| {
                                let input: web_sys::HtmlInputElement = event_target(&ev);
                                input.select();
                            }/>
                        <button type="button" on:click=copy>"Copy link"</button>
                        <Show when=move || copied.get()>
                            <span role="status">"Copied."</span>
                        </Show>
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="keep-error" role="status">{e}</p> }.into_any(),
            })}
        </section>
    }
}

/// `1 file`, `3 files`.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
