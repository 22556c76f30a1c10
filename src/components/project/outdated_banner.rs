//! The banner shown when the host published new versions of files the learner copied: see
//! the differences, take the new versions, or keep the learner's own.

use leptos::prelude::*;

use super::diff::{Hunk, LineKind, hunks};
use crate::workbench::files::original;
use crate::workbench::use_workbench;

/// The banner; nothing when every file is up to date.
#[component]
pub fn OutdatedBanner() -> impl IntoView {
    let wb = use_workbench();
    let outdated = Memo::new(move |_| wb.workspace.with(|ws| ws.outdated()));
    let (showing, set_showing) = signal(false);

    let reset_all = move |_| {
        for path in outdated.get_untracked() {
            wb.reset_file(&path);
        }
        set_showing.set(false);
    };
    let keep_all = move |_| {
        wb.keep_mine(&outdated.get_untracked());
        set_showing.set(false);
    };
    let diffs = move || {
        let paths = outdated.get();
        wb.workspace.with(|ws| {
            paths
                .into_iter()
                .map(|path| {
                    let mine = ws.files.get(&path).cloned().unwrap_or_default();
                    let theirs = original(ws.variant, &path).unwrap_or_default();
                    let h = hunks(&mine, theirs);
                    view! { <FileDiff path=path hunks=h/> }
                })
                .collect_view()
        })
    };

    view! {
        <Show when=move || outdated.with(|o| !o.is_empty())>
            <section class="outdated-banner" data-testid="outdated-banner" aria-label="Updated course files">
                <p class="outdated-text">
                    {move || {
                        let n = outdated.with(Vec::len);
                        format!(
                            "The published version of {n} file{} changed since you copied it: {}.",
                            if n == 1 { "" } else { "s" },
                            outdated.get().join(", ")
                        )
                    }}
                </p>
                <div class="outdated-actions">
                    <button type="button" data-testid="show-differences"
                        aria-expanded=move || showing.get().to_string()
                        on:click=move |_| set_showing.update(|s| *s = !*s)
                    >{move || if showing.get() { "Hide differences" } else { "Show differences" }}</button>
                    <button type="button" data-testid="reset-outdated"
                        title="Replace your copies with the new published versions"
                        on:click=reset_all>"Reset these files"</button>
                    <button type="button" data-testid="keep-mine"
                        title="Keep your copies; this banner goes away until the next change"
                        on:click=keep_all>"Keep mine"</button>
                </div>
                <Show when=move || showing.get()>
                    <div class="diffs">{diffs}</div>
                </Show>
            </section>
        </Show>
    }
}

/// One file's unified diff: the learner's copy (`-`) against another version (`+`: the new
/// published original here, an exercise's solution there).
#[component]
pub fn FileDiff(
    path: String,
    hunks: Vec<Hunk>,
    /// What the `+` lines are.
    #[prop(default = "new published")]
    theirs: &'static str,
) -> impl IntoView {
    let body = if hunks.is_empty() {
        view! { <p class="diff-same">"Your copy already has the same lines."</p> }.into_any()
    } else {
        view! {
            <pre class="diff" aria-label=format!("Differences in {path}")>
                {hunks.into_iter().map(|h| view! {
                    <span class="diff-line diff-hunk">{h.header()}"\n"</span>
                    {h.lines.into_iter().map(|l| {
                        let class = match l.kind {
                            LineKind::Context => "diff-line diff-context",
                            LineKind::Removed => "diff-line diff-removed",
                            LineKind::Added => "diff-line diff-added",
                        };
                        view! { <span class=class>{format!("{}{}\n", l.kind.marker(), l.text)}</span> }
                    }).collect_view()}
                }).collect_view()}
            </pre>
        }
        .into_any()
    };
    view! {
        <figure class="file-diff">
            <figcaption>
                <code>{path.clone()}</code>
                <span class="diff-legend">" — "<span class="diff-removed">"− yours"</span>" · "<span class="diff-added">{format!("+ {theirs}")}</span></span>
            </figcaption>
            {body}
        </figure>
    }
}
