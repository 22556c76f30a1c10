use leptos::prelude::*;
use leptos_router::components::A;

use crate::base;
use crate::lessons::{LESSONS, Lesson};
use crate::progress::use_progress;

/// The landing page: what the workbook is, the five modules and the learner's progress.
#[component]
pub fn Home() -> impl IntoView {
    let progress = use_progress();
    let done = move || LESSONS.iter().filter(|l| progress.is_done(l.id)).count();
    let total = LESSONS.len();
    view! {
        <section class="hero">
            <h1>"Build IoT data pipelines in your browser"</h1>
            <p class="lead">
                "Five modules take you from your first declarative pipeline to monitored, "
                "version-controlled production: generate a factory's sensor data, run a bronze → "
                "silver → gold pipeline with data-quality expectations and Tempo time-series "
                "features, then watch the tables, event log, dashboard and alerts — no cluster, "
                "no account, and it keeps working offline."
            </p>
            <p class="lead">
                "It follows the Databricks crash course “IoT Time Series Analysis”. When you "
                "outgrow the browser, your pipeline exports to Spark declarative pipelines and "
                "Databricks Asset Bundles."
            </p>
        </section>
        <section aria-labelledby="progress-heading" class="progress-panel">
            <h2 id="progress-heading">"Your progress"</h2>
            <p data-testid="progress-summary">{move || format!("{} of {total} modules complete", done())}</p>
            <progress max=total value=done aria-labelledby="progress-heading"></progress>
        </section>
        <section aria-labelledby="modules-heading">
            <h2 id="modules-heading">"Modules"</h2>
            <ol class="module-cards">
                {LESSONS.iter().map(|lesson| view! { <ModuleCard lesson/> }).collect_view()}
            </ol>
            <p>
                "Want the whole project at once? The "
                <A href=base::href("/workbench")>"workbench"</A>
                " holds every file, the data, the graph and the tables."
            </p>
        </section>
    }
}

#[component]
fn ModuleCard(lesson: &'static Lesson) -> impl IntoView {
    let progress = use_progress();
    let id = lesson.id;
    view! {
        <li class="module-card" data-testid=format!("card-{id}")>
            <h3>
                <A href=base::href(&format!("/modules/{id}"))>
                    <span class="card-number">{format!("Module {}", lesson.module)}</span>
                    {lesson.title}
                </A>
            </h3>
            <p>{lesson.summary}</p>
            <p class="card-meta">
                {format!("≈ {} min · {} objectives", lesson.minutes, lesson.objectives.len())}
                <Show when=move || progress.is_done(id)>
                    <span class="badge-done">" · ✓ complete"</span>
                </Show>
            </p>
            <p class="card-progress" data-testid=format!("exercises-{id}")>
                {move || {
                    let (passed, total) = progress.module(id);
                    format!("{passed} of {total} exercises passed")
                }}
            </p>
        </li>
    }
}
