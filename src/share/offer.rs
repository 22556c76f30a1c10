//! Opening a share link: the dialog that shows what the link holds and asks before it
//! replaces the learner's project, or says why the link cannot be opened. A link's texts are
//! only ever shown as text.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::share::{
    MAX_PAYLOAD_BYTES, ShareError, SharedWork, fragment_data, link_bytes, read_payload,
};
use wasm_bindgen::JsValue;

use super::compress::{InflateError, inflate};
use super::link::plural;
use crate::workbench::files::{fingerprint, originals};
use crate::workbench::{Workspace, use_workbench};

/// What the fragment held.
#[derive(Clone, PartialEq)]
enum Opened {
    Work(SharedWork),
    Refused(String),
}

async fn read_link(data: &str) -> Result<SharedWork, ShareError> {
    let compressed = link_bytes(data)?;
    let payload = inflate(&compressed, MAX_PAYLOAD_BYTES)
        .await
        .map_err(|e| match e {
            InflateError::TooLarge => ShareError::TooLarge,
            InflateError::Failed(_) => ShareError::Truncated,
        })?;
    read_payload(&payload)
}

/// Remove the link from the address bar, so a reload does not ask again.
fn forget_fragment() {
    let location = window().location();
    let path = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
}

/// The learner's workspace: the published project of the link's variant with its changes.
fn workspace_of(work: &SharedWork) -> Workspace {
    let mut ws = Workspace::published(work.variant);
    let published = ws.files.clone();
    ws.files = work.apply(&published);
    ws.based_on = originals(work.variant)
        .iter()
        .filter(|(path, _)| ws.files.contains_key(*path))
        .map(|(path, text)| (path.to_string(), fingerprint(text)))
        .collect();
    ws
}

/// The dialog, shown when the page's URL holds a share link (at load, or pasted later).
#[component]
pub fn ShareOffer() -> impl IntoView {
    let wb = use_workbench();
    let opened = RwSignal::new(None::<Opened>);
    let look = move || {
        let hash = window().location().hash().unwrap_or_default();
        let Some(data) = fragment_data(&hash).map(str::to_string) else {
            return;
        };
        spawn_local(async move {
            opened.set(Some(match read_link(&data).await {
                Ok(work) => Opened::Work(work),
                Err(e) => Opened::Refused(format!(
                    "{}. Nothing was changed.",
                    capitalized(&e.to_string())
                )),
            }));
        });
    };
    look();
    let listener = window_event_listener(leptos::ev::hashchange, move |_| look());
    on_cleanup(move || listener.remove());
    // Keyboard users start in the dialog: its first button takes the focus when it opens.
    Effect::new(move |_| {
        if opened.with(Option::is_some) {
            request_animation_frame(|| {
                if let Ok(Some(button)) =
                    document().query_selector(".share-dialog .share-actions button:not(:disabled)")
                    && let Ok(button) =
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button)
                {
                    let _ = button.focus();
                }
            });
        }
    });
    let close = move || {
        opened.set(None);
        forget_fragment();
    };
    let accept = move |work: &SharedWork| {
        let ws = workspace_of(work);
        let files = work.files.len() + work.deleted.len();
        wb.workspace.set(ws);
        wb.open_file.set(None);
        wb.save_now();
        wb.validate_now();
        wb.notice.set(Some(crate::workbench::Notice {
            error: false,
            text: format!(
                "Opened the shared pipeline ({}).",
                plural(files, "changed file")
            ),
        }));
        close();
    };
    view! {
        {move || opened.get().map(|opened| view! {
            <div class="share-backdrop" on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Escape" {
                    close();
                }
            }>
                <div class="share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title" data-testid="share-dialog">
                    {match opened {
                        Opened::Refused(sentence) => view! {
                            <h2 id="share-title">"This link cannot be opened"</h2>
                            <p data-testid="share-error">{sentence}</p>
                            <div class="share-actions">
                                <button type="button" class="primary" on:click=move |_| close()>"Close"</button>
                            </div>
                        }.into_any(),
                        Opened::Work(work) => {
                            let summary = describe(&work);
                            let files = work.files.clone();
                            let deleted = work.deleted.clone();
                            view! {
                                <h2 id="share-title">"Open a shared pipeline?"</h2>
                                <p>{summary}</p>
                                <ul class="share-files">
                                    {files.into_iter().map(|(path, text)| view! {
                                        <li>
                                            <details>
                                                <summary><code>{path}</code>" · "{plural(text.lines().count(), "line")}</summary>
                                                <pre class="share-text">{text}</pre>
                                            </details>
                                        </li>
                                    }).collect_view()}
                                    {deleted.into_iter().map(|path| view! {
                                        <li><code>{path}</code>" · deleted"</li>
                                    }).collect_view()}
                                </ul>
                                <p>"Opening it replaces your project's files with the published project and these changes; your data and tables stay. Export a workspace file first (Keep & share) to keep your own version."</p>
                                <Show when=move || wb.engine.with_value(|e| e.status.get()) == crate::engine::EngineStatus::OtherTab>
                                    <p class="keep-error">"Another tab has the workbook open: close it to open this link here."</p>
                                </Show>
                                <div class="share-actions">
                                    <button type="button" class="primary"
                                        disabled=move || !wb.loaded.get()
                                        on:click=move |_| accept(&work)>"Replace my project"</button>
                                    <button type="button" on:click=move |_| close()>"Keep my work"</button>
                                </div>
                            }.into_any()
                        }
                    }}
                </div>
            </div>
        })}
    }
}

fn describe(work: &SharedWork) -> String {
    let published = originals(work.variant);
    let added = work
        .files
        .keys()
        .filter(|p| !published.iter().any(|(q, _)| q == p))
        .count();
    format!(
        "This link holds changes to the {} project: {} changed, {} added, {} deleted.",
        match work.variant {
            protocol::Variant::Python => "Python",
            protocol::Variant::Sql => "SQL",
        },
        plural(work.files.len() - added, "file"),
        plural(added, "file"),
        plural(work.deleted.len(), "file"),
    )
}

/// A sentence's first letter in capitals.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
