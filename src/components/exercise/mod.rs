//! An exercise in a lesson: its goal, its starting files in the editor, progressive hints, a
//! prediction to answer first, the engine's check and what it found, the solution as a diff,
//! and a reset. The exercise is written in the lesson (see the README); `build.rs` compiled it.

mod hints;
mod outcome;
mod predict;
mod solution;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{CheckResult, Variant, touched_files};

use crate::components::EditorPane;
use crate::components::PageExercises;
use crate::components::project::{ProblemsList, RunToolbar};
use crate::exercises::start_files;
use crate::lesson_doc::rebase;
use crate::lessons;
use crate::progress::{ExerciseStatus, use_progress};
use crate::workbench::use_workbench;
use hints::Hints;
use outcome::CheckOutcome;
use predict::PredictionQuestion;
use solution::Solution;

/// An exercise's text (goal, hint, question, a finding's hint) as the page places it: HTML
/// that build.rs rendered from the lesson's Markdown (blocks or one inline sentence, as each
/// field is shown), its app links put under the app's folder. The engine's own hints are
/// plain sentences, which are HTML too.
pub(crate) fn text_html(html: &str) -> String {
    rebase(html, &crate::base::app_base())
}

/// The exercise `id`.
#[component]
pub fn ExerciseCard(id: String) -> impl IntoView {
    let page = use_context::<PageExercises>();
    let found = page.and_then(|p| {
        p.0.with_value(|all| all.iter().find(|e| e.id == id).cloned())
    });
    let Some((lesson, exercise)) = lessons::exercise_lesson(&id).zip(found) else {
        return view! { <p class="cell cell-error" role="alert">{format!("There is no exercise “{id}”.")}</p> }
            .into_any();
    };
    let wb = use_workbench();
    let progress = use_progress();
    let status = {
        let id = id.clone();
        Signal::derive(move || progress.status(&id))
    };
    let started = move || status.get() != ExerciseStatus::NotStarted;
    let result: RwSignal<Option<Result<CheckResult, String>>> = RwSignal::new(None);
    let checking = RwSignal::new(false);
    let prediction: RwSignal<Option<u32>> = RwSignal::new(None);
    let python = move || wb.workspace.with(|ws| ws.variant == Variant::Python);
    let file = touched_files(&exercise)
        .into_iter()
        .next()
        .unwrap_or_default();
    let has_prediction = exercise.predict.is_some();
    let exercise = StoredValue::new(exercise);

    let start = {
        let id = id.clone();
        move |_| match exercise.with_value(start_files) {
            Ok(files) => {
                wb.replace_files(files);
                progress.record(&id, ExerciseStatus::Started);
                wb.save_now();
                result.set(None);
                prediction.set(None);
            }
            Err(e) => wb.notice.set(Some(crate::workbench::Notice {
                error: true,
                text: format!("This exercise cannot be set up ({e}): rebuild the workbook."),
            })),
        }
    };
    let check = {
        let id = id.clone();
        move |_| {
            checking.set(true);
            result.set(None);
            let id = id.clone();
            spawn_local(async move {
                let ex = exercise.get_value();
                let answer = wb.check_exercise(&ex).await;
                checking.set(false);
                let passed = matches!(&answer, Ok(r) if r.passed);
                progress.record(
                    &id,
                    if passed {
                        ExerciseStatus::Passed
                    } else {
                        ExerciseStatus::Attempted
                    },
                );
                wb.save_now();
                result.set(Some(answer.map_err(|p| p.sentence())));
            });
        }
    };
    let objectives: Vec<&str> = exercise.with_value(|e| {
        e.objectives
            .iter()
            .filter_map(|o| lesson.objectives.get(*o as usize - 1).copied())
            .collect()
    });
    let title = exercise.with_value(|e| e.title.clone());
    let heading = format!("exercise-{id}-title");
    let labelled_by = heading.clone();
    let testid = format!("exercise-{id}");
    let predict_name = format!("predict-{id}");
    let goal = exercise.with_value(|e| text_html(&e.goal));
    let can_check = move || {
        !checking.get() && wb.loaded.get() && (!has_prediction || prediction.get().is_some())
    };
    view! {
        <section class="exercise" aria-labelledby=labelled_by data-testid=testid>
            <header class="exercise-head">
                <h3 id=heading>{format!("Exercise: {title}")}</h3>
                <span class="exercise-status" data-status=move || format!("{:?}", status.get()).to_lowercase()
                    data-testid="exercise-status">{move || status.get().label()}</span>
            </header>
            <div class="exercise-goal" inner_html=goal></div>
            <p class="exercise-practises">"Practises: " {objectives.join("; ")}</p>
            <Show when=move || !python()>
                <p class="exercise-note">"The exercises use the Python project: choose Python in the workbench's project-language switch."</p>
            </Show>
            <div class="exercise-actions">
                <button type="button" on:click=start disabled=move || !python() || !wb.loaded.get()
                    title=move || if started() { "Put the exercise's files back to its starting state" } else { "Set up the exercise's starting files" }>
                    {move || match started() {
                        true => "Reset exercise",
                        false => "Start exercise",
                    }}
                </button>
            </div>
            <Show when=started>
                <RunToolbar/>
                <EditorPane path=file.clone()/>
                <ProblemsList/>
                <Hints hints=exercise.with_value(|e| e.hints.clone())/>
                {exercise.with_value(|e| e.predict.clone()).map(|p| { let name = predict_name.clone(); view! {
                    <PredictionQuestion question=p name=name chosen=prediction answered=Signal::derive(move || result.with(Option::is_some))/>
                }})}
                <div class="exercise-actions">
                    <button type="button" class="primary" on:click=check.clone() disabled=move || !can_check()
                        title=move || if has_prediction && prediction.get().is_none() { "Answer the prediction first" } else { "Run your pipeline on fresh data and test it" }>
                        {move || match checking.get() {
                            true => "Checking…",
                            false => "Check",
                        }}
                    </button>
                    <Solution exercise=exercise.get_value()/>
                </div>
                <CheckOutcome result prediction predict=exercise.with_value(|e| e.predict.clone())/>
            </Show>
        </section>
    }
    .into_any()
}
