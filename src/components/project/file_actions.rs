//! What the learner can do to the project's files, above the tree: new file, rename, delete,
//! reset file, reset project and the variant switch. Destructive steps confirm inline.

use leptos::prelude::*;

use super::variant_switch::{VariantSwitch, changed_files, variant_name};
use crate::workbench::files::original;
use crate::workbench::use_workbench;

/// The inline step the actions bar is in.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Idle,
    NewFile,
    Rename(String),
    Delete(String),
    ResetProject,
}

/// The actions on the project's files; `selected` is the file Rename, Delete and Reset act on.
#[component]
pub fn FileActions(selected: Signal<Option<String>>) -> impl IntoView {
    let wb = use_workbench();
    let (step, set_step) = signal(Step::Idle);
    let exists = move || {
        selected
            .get()
            .is_some_and(|p| wb.workspace.with(|ws| ws.files.contains_key(&p)))
    };
    let resettable = move || {
        selected.get().is_some_and(|p| {
            wb.workspace
                .with(|ws| original(ws.variant, &p).is_some() && ws.is_modified(&p))
        })
    };
    let idle = move || step.get() == Step::Idle;

    view! {
        <div class="file-actions">
            <VariantSwitch/>
            <div class="file-buttons" role="group" aria-label="File actions">
                <button type="button" data-testid="new-file" disabled=move || !idle()
                    on:click=move |_| set_step.set(Step::NewFile)>"New file"</button>
                <button type="button" data-testid="rename-file"
                    disabled=move || !idle() || !exists()
                    title=move || selected.get().map(|p| format!("Rename {p}"))
                    on:click=move |_| if let Some(p) = selected.get_untracked() { set_step.set(Step::Rename(p)) }
                >"Rename"</button>
                <button type="button" data-testid="delete-file"
                    disabled=move || !idle() || !exists()
                    title=move || selected.get().map(|p| format!("Delete {p}"))
                    on:click=move |_| if let Some(p) = selected.get_untracked() { set_step.set(Step::Delete(p)) }
                >"Delete"</button>
                <Show when=resettable>
                    <button type="button" data-testid="reset-file"
                        title=move || selected.get().map(|p| format!("Bring back the published {p}"))
                        on:click=move |_| if let Some(p) = selected.get_untracked() { wb.reset_file(&p) }
                    >"Reset file"</button>
                </Show>
                <button type="button" data-testid="reset-project" disabled=move || !idle()
                    on:click=move |_| set_step.set(Step::ResetProject)>"Reset project"</button>
            </div>
            {move || match step.get() {
                Step::Idle => ().into_any(),
                Step::NewFile => view! {
                    <PathForm
                        label="New file path"
                        initial=String::new()
                        submit_label="Create"
                        hint="For example src/gold/my_view.sql. A source under src/ joins the pipeline only when databricks.yml lists it under the pipeline's libraries."
                        on_submit=Callback::new(move |path: String| wb.add_file(&path, "").map(|_| ()))
                        on_done=Callback::new(move |_| set_step.set(Step::Idle))
                    />
                }.into_any(),
                Step::Rename(from) => {
                    let from_for_submit = from.clone();
                    view! {
                        <PathForm
                            label="New path"
                            initial=from.clone()
                            submit_label="Rename"
                            hint="A renamed source under src/ must be renamed in databricks.yml's libraries too."
                            on_submit=Callback::new(move |path: String| wb.rename_file(&from_for_submit, &path).map(|_| ()))
                            on_done=Callback::new(move |_| set_step.set(Step::Idle))
                        />
                    }.into_any()
                }
                Step::Delete(path) => {
                    let published = wb.workspace.with_untracked(|ws| original(ws.variant, &path).is_some());
                    let doomed = path.clone();
                    view! {
                        <div class="inline-confirm" role="group" aria-label="Confirm deletion">
                            <p>
                                {format!("Delete {path}? ")}
                                {if published { "Reset file brings the published version back." } else { "Your text in it is lost." }}
                            </p>
                            <button type="button" class="danger" data-testid="confirm-delete"
                                on:click=move |_| { wb.delete_file(&doomed); set_step.set(Step::Idle) }>"Delete"</button>
                            <button type="button" on:click=move |_| set_step.set(Step::Idle)>"Keep it"</button>
                        </div>
                    }.into_any()
                }
                Step::ResetProject => {
                    let variant = wb.workspace.with_untracked(|ws| ws.variant);
                    let changed = wb.workspace.with_untracked(changed_files);
                    view! {
                        <div class="inline-confirm" role="group" aria-label="Confirm project reset">
                            <p>{format!(
                                "Replace every file with the published {} project? {}",
                                variant_name(variant),
                                match changed {
                                    0 => "You have no changes.".to_string(),
                                    1 => "Your changes to 1 file are lost.".to_string(),
                                    n => format!("Your changes to {n} files are lost."),
                                }
                            )}</p>
                            <button type="button" class="danger" data-testid="confirm-reset-project"
                                on:click=move |_| { wb.reset_project(variant); set_step.set(Step::Idle) }>"Reset project"</button>
                            <button type="button" on:click=move |_| set_step.set(Step::Idle)>"Cancel"</button>
                        </div>
                    }.into_any()
                }
            }}
        </div>
    }
}

/// A one-line form for a project path; the error of `on_submit` shows as a sentence.
#[component]
fn PathForm(
    label: &'static str,
    initial: String,
    submit_label: &'static str,
    hint: &'static str,
    on_submit: Callback<String, Result<(), String>>,
    on_done: Callback<()>,
) -> impl IntoView {
    let (text, set_text) = signal(initial);
    let (error, set_error) = signal(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();
    input.on_load(|el| {
        let _ = el.focus();
        el.select();
    });
    view! {
        <form class="path-form" on:submit=move |ev| {
            ev.prevent_default();
            match on_submit.run(text.get_untracked()) {
                Ok(()) => on_done.run(()),
                Err(e) => set_error.set(Some(e)),
            }
        }>
            <label>
                <span class="path-label">{label}</span>
                <input
                    type="text"
                    node_ref=input
                    class="path-input"
                    spellcheck="false"
                    autocomplete="off"
                    data-testid="path-input"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || text.get()
                    on:input=move |ev| { set_text.set(event_target_value(&ev)); set_error.set(None) }
                    on:keydown=move |ev| if ev.key() == "Escape" { on_done.run(()) }
                />
            </label>
            <button type="submit">{submit_label}</button>
            <button type="button" on:click=move |_| on_done.run(())>"Cancel"</button>
            <p class="form-hint">{hint}</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </form>
    }
}
