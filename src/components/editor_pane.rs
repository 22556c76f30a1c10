//! The open file in the code editor, with its problems underlined, bound to the workspace.

use leptos::prelude::*;
use protocol::Severity;
use syntax::highlight::Language;

use crate::components::{CodeEditor, Marker};
use crate::workbench::use_workbench;

/// The editor of the workbench's open file (or of `path` when given: lesson cells open one).
#[component]
pub fn EditorPane(
    /// A fixed file to show; `None` follows the workbench's open file.
    #[prop(optional, into)]
    path: Option<String>,
) -> impl IntoView {
    let wb = use_workbench();
    if let Some(path) = &path
        && wb.open_file.get_untracked().is_none()
    {
        wb.open_file.set(Some(path.clone()));
    }
    let fixed = path.clone();
    let current = Memo::new(move |_| fixed.clone().or_else(|| wb.open_file.get()));
    let text = RwSignal::new(String::new());
    // Load the file's text when the file changes (or the workspace was restored/reset)…
    Effect::new(move |_| {
        let content = current
            .get()
            .and_then(|p| wb.workspace.with(|ws| ws.files.get(&p).cloned()));
        let content = content.unwrap_or_default();
        if text.get_untracked() != content {
            text.set(content);
        }
    });
    // …and write every edit back to the workspace (which saves and validates it).
    Effect::new(move |_| {
        let value = text.get();
        let Some(path) = current.get_untracked() else {
            return;
        };
        let unchanged = wb
            .workspace
            .with_untracked(|ws| ws.files.get(&path) == Some(&value));
        if !unchanged
            && wb
                .workspace
                .with_untracked(|ws| ws.files.contains_key(&path))
        {
            wb.edit(&path, value);
        }
    });
    let language = Signal::derive(move || {
        current
            .get()
            .map_or(Language::Plain, |p| Language::from_path(&p))
    });
    let markers = Signal::derive(move || {
        let Some(path) = current.get() else {
            return Vec::new();
        };
        wb.validation.with(|v| {
            v.as_ref()
                .map(|v| {
                    v.problems
                        .iter()
                        .filter_map(|p| {
                            let place = p.place.as_ref()?;
                            (place.file.as_deref() == Some(path.as_str())).then(|| Marker {
                                line: place.line,
                                column: place.column,
                                end: place.end,
                                message: p.sentence(),
                                error: p.severity == Severity::Error,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let goto = RwSignal::new(None::<(u32, u32)>);
    Effect::new(move |_| {
        if let Some((file, line, column)) = wb.goto.get()
            && current.get_untracked().as_deref() == Some(file.as_str())
        {
            goto.set(Some((line, column)));
            wb.goto.set(None);
        }
    });
    let label = Signal::derive(move || {
        current
            .get()
            .map_or_else(|| "No file open".to_string(), |p| format!("Editing {p}"))
    });
    view! {
        <section class="editor-pane" aria-label="Editor" data-testid="editor-pane">
            {move || match current.get() {
                None => view! { <p class="editor-empty">"Choose a file in the project to edit it."</p> }.into_any(),
                Some(p) => view! {
                    <div class="editor-head">
                        <span class="editor-path" data-testid="editor-path">{p.clone()}</span>
                        {move || wb.workspace.with(|ws| ws.is_modified(&p)).then(|| view! { <span class="editor-modified">"modified"</span> })}
                    </div>
                }.into_any(),
            }}
            <Show when=move || current.get().is_some()>
                <CodeEditor
                    text
                    language
                    markers
                    label
                    goto
                    // Until this tab holds the workbook and has read the saved files, an edit
                    // would be lost to them (or overwrite another tab's).
                    readonly=Signal::derive(move || !wb.loaded.get())
                    on_run=Callback::new(move |_| wb.run(protocol::FullRefresh::None))
                    on_save=Callback::new(move |_| wb.save_now())
                />
            </Show>
        </section>
    }
}
