use leptos::prelude::*;

use crate::components::{FetchedLesson, fetch_lesson};
use crate::lesson_doc::GLOSSARY_ID;

/// The glossary the lessons link to (`/glossary#<term>`), laid out like a module's text.
#[component]
pub fn GlossaryPage() -> impl IntoView {
    let doc = fetch_lesson(GLOSSARY_ID.to_string());
    view! {
        <div class="module-layout" data-testid="glossary">
            <div class="module-main">
                <FetchedLesson doc/>
            </div>
        </div>
    }
}
