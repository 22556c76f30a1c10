use leptos::prelude::*;

use crate::components::LessonArticle;
use crate::lesson_doc::{Heading, LessonDoc};
use crate::lesson_fetch::{self, LessonFetchError};

/// A page's rendered text, being fetched (`None` until it arrives).
pub type LessonResource = LocalResource<Result<LessonDoc, LessonFetchError>>;

/// Starts fetching page `id`'s text (a lesson's id, or the glossary's).
pub fn fetch_lesson(id: String) -> LessonResource {
    LocalResource::new(move || {
        let id = id.clone();
        async move { lesson_fetch::fetch(&id).await }
    })
}

/// The page's headings once its text has arrived (none before, or if it failed).
pub fn headings(doc: LessonResource) -> Vec<Heading> {
    doc.get()
        .and_then(Result::ok)
        .map(|d| d.headings)
        .unwrap_or_default()
}

/// The fetched text as an article: a short loading line first, the page's error panel if it
/// cannot be had.
#[component]
pub fn FetchedLesson(doc: LessonResource) -> impl IntoView {
    // The first page is interactive once its text is shown (see `interactive`).
    let counted = StoredValue::new(crate::interactive::text_expected());
    let shown = move || {
        if counted.get_value() {
            counted.set_value(false);
            crate::interactive::text_shown();
        }
    };
    move || {
        match doc.get() {
        None => view! {
            <p class="lesson-loading" role="status" data-testid="lesson-loading">"Loading the text…"</p>
        }
        .into_any(),
        Some(Ok(doc)) => {
            request_animation_frame(move || {
                shown();
                scroll_to_anchor();
            });
            view! { <LessonArticle doc/> }.into_any()
        }
        Some(Err(e)) => {
            request_animation_frame(shown);
            view! {
            <section class="error-panel" role="alert" data-testid="lesson-error">
                <h2>"The text could not be loaded"</h2>
                <p>{e.to_string()}</p>
                <p>"Check the connection and reload the page. Once the workbook has been opened online, it also opens offline."</p>
            </section>
            }
            .into_any()
        }
    }
    }
}

/// A link to a section (`/modules/x#cells`) points into text that arrived after the browser
/// looked for the anchor: go there now.
fn scroll_to_anchor() {
    let hash = window().location().hash().unwrap_or_default();
    let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) else {
        return;
    };
    let id = js_sys::decode_uri_component(id)
        .ok()
        .and_then(|id| id.as_string())
        .unwrap_or_else(|| id.to_string());
    if let Some(target) = document().get_element_by_id(&id) {
        target.scroll_into_view();
    }
}
