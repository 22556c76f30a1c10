use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::base;
use crate::components::{FetchedLesson, fetch_lesson, headings};
use crate::lessons::{self, LESSONS, Lesson};
use crate::progress::use_progress;

/// The module page could not be shown.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ModuleError {
    /// The URL names no module.
    #[error("There is no module “{id}”. The modules are: {known}.")]
    Unknown {
        /// The id from the URL.
        id: String,
        /// The valid ids, comma-separated.
        known: String,
    },
}

/// One module: objectives, lesson text, its exercises' progress and links to its neighbours.
#[component]
pub fn ModulePage() -> impl IntoView {
    let params = use_params_map();
    let lesson = move || {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        lessons::find(&id).ok_or_else(|| ModuleError::Unknown {
            id,
            known: LESSONS.iter().map(|l| l.id).collect::<Vec<_>>().join(", "),
        })
    };
    view! {
        <ErrorBoundary fallback=|errors| {
            view! {
                <section class="error-panel" role="alert" data-testid="module-error">
                    <h1>"Module not found"</h1>
                    {move || errors.get().into_iter().map(|(_, e)| view! { <p>{e.to_string()}</p> }).collect_view()}
                    <p><A href=base::href("/")>"Back to the modules"</A></p>
                </section>
            }
        }>
            {move || lesson().map(|lesson| view! { <ModuleView lesson/> })}
        </ErrorBoundary>
    }
}

#[component]
fn ModuleView(lesson: &'static Lesson) -> impl IntoView {
    let progress = use_progress();
    let doc = fetch_lesson(lesson.id.to_string());
    let (previous, next) = lessons::neighbours(lesson);
    let id = lesson.id;
    view! {
        <div class="module-layout" data-testid=format!("module-{id}")>
            <aside class="module-aside" aria-label="About this module">
                <p class="module-kicker">{format!("Module {} · ≈ {} min", lesson.module, lesson.minutes)}</p>
                <h2 class="aside-heading">"You will be able to"</h2>
                <ul class="objectives" data-testid="objectives">
                    {lesson.objectives.iter().map(|o| view! { <li>{*o}</li> }).collect_view()}
                </ul>
                <nav aria-label="On this page" class="toc">
                    <h2 class="aside-heading">"On this page"</h2>
                    <ul>
                        {move || headings(doc)
                            .into_iter()
                            .map(|h| view! { <li class=format!("toc-{}", h.level)><a href=format!("#{}", h.id)>{h.text}</a></li> })
                            .collect_view()}
                    </ul>
                </nav>
            </aside>
            <div class="module-main">
                <FetchedLesson doc/>
                <div class="module-footer">
                    <p class="module-status" data-testid="module-status">
                        {move || {
                            let (passed, total) = progress.module(id);
                            if progress.is_done(id) {
                                format!("✓ Module complete: all {total} exercises passed.")
                            } else {
                                format!("{passed} of {total} exercises passed; the module is complete when all have.")
                            }
                        }}
                    </p>
                    <nav aria-label="Neighbouring modules" class="pager">
                        {previous.map(|p| view! { <A href=base::href(&format!("/modules/{}", p.id))>{format!("← {}", p.title)}</A> })}
                        {next.map(|n| view! { <A href=base::href(&format!("/modules/{}", n.id))>{format!("{} →", n.title)}</A> })}
                    </nav>
                </div>
            </div>
        </div>
    }
}
