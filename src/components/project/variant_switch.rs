//! "Python ⇄ SQL": which published project the workspace holds, as a segmented control.
//! Switching replaces the files; with changes, it asks first.

use leptos::prelude::*;
use protocol::Variant;

use crate::workbench::files::originals;
use crate::workbench::{Workspace, use_workbench};

/// `Python` or `SQL`.
pub fn variant_name(variant: Variant) -> &'static str {
    match variant {
        Variant::Python => "Python",
        Variant::Sql => "SQL",
    }
}

/// How many files differ from the published project: changed, added or deleted.
pub fn changed_files(ws: &Workspace) -> usize {
    let added = ws
        .files
        .keys()
        .filter(|p| !originals(ws.variant).iter().any(|(o, _)| o == p))
        .count();
    let published = originals(ws.variant)
        .iter()
        .filter(|(p, _)| ws.is_modified(p))
        .count();
    added + published
}

/// The segmented control; a confirmation appears when switching would lose changes.
#[component]
pub fn VariantSwitch() -> impl IntoView {
    let wb = use_workbench();
    let (asking, set_asking) = signal(None::<Variant>);
    let choose = move |variant: Variant| {
        let (current, changed) = wb
            .workspace
            .with_untracked(|ws| (ws.variant, changed_files(ws)));
        if variant == current {
            set_asking.set(None);
        } else if changed == 0 {
            wb.reset_project(variant);
        } else {
            set_asking.set(Some(variant));
        }
    };
    let segment = move |variant: Variant| {
        view! {
            <button
                type="button"
                class="segment"
                data-testid=format!("variant-{}", variant.as_str())
                aria-pressed=move || wb.workspace.with(|ws| ws.variant == variant).to_string()
                on:click=move |_| choose(variant)
            >
                {variant_name(variant)}
            </button>
        }
    };
    view! {
        <div class="variant-switch">
            <div class="segmented" role="group" aria-label="Project language">
                {segment(Variant::Python)}
                {segment(Variant::Sql)}
            </div>
            {move || asking.get().map(|variant| {
                let changed = wb.workspace.with_untracked(changed_files);
                view! {
                    <div class="inline-confirm" role="group" aria-label="Confirm switching language">
                        <p>{format!(
                            "Switch to the published {} project? Your changes to {changed} file{} are lost (your data and tables stay).",
                            variant_name(variant),
                            if changed == 1 { "" } else { "s" }
                        )}</p>
                        <button type="button" class="danger" data-testid="confirm-variant"
                            on:click=move |_| { wb.reset_project(variant); set_asking.set(None) }
                        >{format!("Switch to {}", variant_name(variant))}</button>
                        <button type="button" on:click=move |_| set_asking.set(None)>"Keep my files"</button>
                    </div>
                }
            })}
        </div>
    }
}
