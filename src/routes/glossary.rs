use leptos::prelude::*;

use crate::base;
use crate::components::LessonArticle;
use crate::lessons::GLOSSARY;
use crate::markdown;

/// The glossary the lessons link to (`/glossary#<term>`), laid out like a module's text.
#[component]
pub fn GlossaryPage() -> impl IntoView {
    let rendered = markdown::render_with_base(GLOSSARY, &base::app_base());
    view! {
        <div class="module-layout" data-testid="glossary">
            <div class="module-main">
                <LessonArticle rendered/>
            </div>
        </div>
    }
}
