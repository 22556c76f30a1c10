//! Browser tests of the app library, run in headless Chromium by wasm-bindgen-test-runner
//! (`scripts/test.sh wasm`).
#![cfg(target_arch = "wasm32")]

use iot_workbook::lesson_doc::{LessonDoc, Segment};
use iot_workbook::lessons::LESSONS;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The page reads a lesson build.rs rendered (the first module's, as the build wrote it).
#[wasm_bindgen_test]
fn a_rendered_lesson_decodes_with_sections_code_and_cells() {
    assert_eq!(LESSONS.len(), 5);
    let json = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/lessons/pipeline-basics.json"
    ));
    let doc: LessonDoc = serde_json::from_str(json).expect("decodes");
    assert!(doc.headings.len() >= 3, "{} sections", doc.headings.len());
    let html: String = doc
        .segments
        .iter()
        .filter_map(|s| match s {
            Segment::Html { html } => Some(html.as_str()),
            Segment::Cell { .. } => None,
        })
        .collect();
    assert!(html.contains("code-block"), "no code block");
    assert!(
        doc.segments
            .iter()
            .any(|s| matches!(s, Segment::Cell { info, .. } if info == "cell run")),
        "the run cell is kept for the page to place"
    );
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
