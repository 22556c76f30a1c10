//! Browser tests of the app library, run in headless Chromium by wasm-bindgen-test-runner
//! (`scripts/test.sh wasm`).
#![cfg(target_arch = "wasm32")]

use iot_workbook::{lessons::LESSONS, markdown};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_lesson_renders_with_sections_and_code() {
    assert_eq!(LESSONS.len(), 5);
    for lesson in LESSONS {
        let rendered = markdown::render(lesson.body);
        assert!(
            rendered.headings.len() >= 3,
            "{} has {} sections",
            lesson.id,
            rendered.headings.len()
        );
        assert!(
            rendered.html.contains("code-block"),
            "{} has no code block",
            lesson.id
        );
    }
}

#[wasm_bindgen_test]
async fn app_mounts_and_lists_the_modules() {
    leptos::mount::mount_to_body(iot_workbook::App);
    leptos::task::tick().await;
    let document = leptos::prelude::document();
    let cards = document.query_selector_all(".module-card").expect("query");
    assert_eq!(cards.length(), 5);
    let summary = document
        .query_selector("[data-testid=progress-summary]")
        .expect("query")
        .expect("progress summary on the home page");
    assert_eq!(
        summary.text_content().as_deref(),
        Some("0 of 5 modules complete")
    );
}
