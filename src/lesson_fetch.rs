//! Fetches a page's rendered lesson (`lessons/<id>.json`, see [`crate::lesson_doc`]) from the
//! folder the app is hosted in. Offline, the service worker answers from its cache (the hook
//! that writes it lists these files).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::base;
use crate::lesson_doc::{FOLDER, LessonDoc};
use crate::workbench::storage::describe;

/// Why a page's text could not be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("The text of this page could not be loaded from {url}: {reason}.")]
pub struct LessonFetchError {
    /// What was asked for.
    pub url: String,
    /// The browser's or the server's answer, or where the document is malformed.
    pub reason: String,
}

/// The URL of page `id`'s document, under the app's folder (`/course/lessons/x.json`); not
/// relative to the current route, which is a folder deeper.
pub fn url(id: &str) -> String {
    format!("{}/{FOLDER}/{id}.json", base::app_base())
}

/// The rendered page `id` (a lesson's id, or `lesson_doc::GLOSSARY_ID`).
pub async fn fetch(id: &str) -> Result<LessonDoc, LessonFetchError> {
    let url = url(id);
    let fail = |reason: String| LessonFetchError {
        url: url.clone(),
        reason,
    };
    let window = web_sys::window().ok_or_else(|| fail("there is no window".into()))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(|e| fail(describe(&e)))?
        .unchecked_into();
    if !response.ok() {
        return Err(fail(format!(
            "the server answered {} {}",
            response.status(),
            response.status_text()
        )));
    }
    let text = JsFuture::from(response.text().map_err(|e| fail(describe(&e)))?)
        .await
        .map_err(|e| fail(describe(&e)))?
        .as_string()
        .unwrap_or_default();
    parse(&text).map_err(fail)
}

/// A document's JSON; the error names the place (`1:20: …`) where it is malformed.
fn parse(text: &str) -> Result<LessonDoc, String> {
    serde_json::from_str(text).map_err(|e| {
        format!(
            "the document is malformed at {}:{}: {e} (rebuild the workbook)",
            e.line(),
            e.column()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn test_parse_reads_a_document_and_places_a_malformed_one() {
        let doc = parse(
            r#"{"headings":[{"level":2,"id":"a","text":"A"}],"segments":[{"kind":"html","html":"<p>x</p>"},{"kind":"cell","info":"cell sql","body":"SELECT 1\n"}]}"#,
        )
        .unwrap();
        assert_eq!(doc.headings[0].id, "a");
        assert_eq!(doc.segments.len(), 2);
        let error = parse("{\"headings\": [}").unwrap_err();
        assert!(error.contains("at 1:15"), "{error}");
    }
}
