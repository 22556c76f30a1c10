use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::base;
use crate::cells;
use crate::components::Cell;
use crate::lesson_doc::{LessonDoc, Segment, rebase};

/// Class of the copy buttons the build renders (`markdown::COPY_BUTTON_CLASS`; the renderer is
/// not part of the page, a test keeps the two equal).
const COPY_BUTTON_CLASS: &str = "copy-code";

/// The exercises of the page shown, for its exercise cells.
#[derive(Clone)]
pub struct PageExercises(pub StoredValue<Vec<protocol::Exercise>>);

/// A rendered lesson: its HTML, links under the app's folder, with the workbench cells in
/// place. One click handler on the article serves every code block's copy button.
#[component]
pub fn LessonArticle(doc: LessonDoc) -> impl IntoView {
    provide_context(PageExercises(StoredValue::new(doc.exercises)));
    let base = base::app_base();
    let pieces = doc
        .segments
        .into_iter()
        .map(|segment| match segment {
            Segment::Html { html } => {
                let html = rebase(&html, &base);
                view! { <div class="lesson-part" inner_html=html></div> }.into_any()
            }
            Segment::Cell { info, body } => {
                let cell = cells::parse(&info, &body);
                view! { <Cell cell/> }.into_any()
            }
        })
        .collect_view();
    view! {
        <article class="lesson" data-testid="lesson-body" on:click=copy_code>{pieces}</article>
    }
}

/// Copies the code of the block whose copy button was clicked, and says so on the button.
fn copy_code(event: web_sys::MouseEvent) {
    let Some(button) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .filter(|el| el.class_list().contains(COPY_BUTTON_CLASS))
    else {
        return;
    };
    let code = button
        .closest(".code-block")
        .ok()
        .flatten()
        .and_then(|block| block.query_selector("code").ok().flatten())
        .and_then(|code| code.text_content())
        .unwrap_or_default();
    // The clipboard needs a secure context (https or localhost); elsewhere say so, don't fail.
    let clipboard = window().navigator().clipboard();
    let _ = clipboard.write_text(&code);
    button.set_text_content(Some("Copied"));
    let button = button.clone();
    gloo::timers::callback::Timeout::new(1500, move || button.set_text_content(Some("Copy")))
        .forget();
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn test_copy_button_class_is_the_renderers() {
        assert_eq!(super::COPY_BUTTON_CLASS, crate::markdown::COPY_BUTTON_CLASS);
    }
}
