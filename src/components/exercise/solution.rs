//! "Show solution": the solution as a diff against the learner's files, then applied on request.

use leptos::prelude::*;
use protocol::Exercise;

use crate::components::project::FileDiff;
use crate::components::project::diff::hunks;
use crate::exercises::solution_files;
use crate::workbench::use_workbench;

/// The toggle, the diff and the Apply button.
#[component]
pub fn Solution(exercise: Exercise) -> impl IntoView {
    let wb = use_workbench();
    let (showing, set_showing) = signal(false);
    let solution = StoredValue::new(solution_files(&exercise).unwrap_or_default());
    let diffs = move || {
        wb.workspace.with(|ws| {
            solution.with_value(|files| {
                files
                    .iter()
                    .map(|(path, theirs)| {
                        let mine = ws.files.get(path).cloned().unwrap_or_default();
                        view! { <FileDiff path=path.clone() hunks=hunks(&mine, theirs) theirs="solution"/> }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <button type="button" aria-expanded=move || showing.get().to_string()
            on:click=move |_| set_showing.update(|s| *s = !*s)>
            {move || match showing.get() {
                true => "Hide solution",
                false => "Show solution",
            }}
        </button>
        <Show when=move || showing.get()>
            <div class="exercise-solution" data-testid="solution-diff">
                {diffs}
                <button type="button" on:click=move |_| wb.replace_files(solution.get_value())>
                    "Apply solution"
                </button>
                <span class="solution-note">" Then press Check: applying it does not pass the exercise by itself."</span>
            </div>
        </Show>
    }
}
