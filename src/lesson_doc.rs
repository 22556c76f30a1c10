//! A lesson page rendered at build time: `build.rs` renders each lesson and the glossary from
//! Markdown to one JSON document per page, the Trunk hook copies them into the build as
//! `lessons/<id>.json`, and the page fetches the one it shows. `build.rs` includes this file
//! too (`#[path]`), so the writer and the reader share one definition of the format.
//!
//! Links to app routes are written under [`BASE_MARKER`]: the folder the app is hosted in is
//! known only in the browser, which puts it in place with [`rebase`].

use serde::{Deserialize, Serialize};

/// Stands for the app's folder (`""` at a site's root, `/course` under a sub-folder) in the
/// links of a rendered page; it cannot occur in a lesson's text (build.rs checks).
pub const BASE_MARKER: &str = "@@base@@";

/// The folder in the build that holds the documents (`lessons/<id>.json`).
pub const FOLDER: &str = "lessons";

/// The document of the glossary page (`lessons/glossary.json`); no lesson may have this id.
pub const GLOSSARY_ID: &str = "glossary";

/// One rendered page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonDoc {
    /// Section headings in document order, for the "On this page" list.
    pub headings: Vec<Heading>,
    /// The page split at its top-level workbench cells.
    pub segments: Vec<Segment>,
    /// The page's exercises, their texts rendered to HTML: they travel with the page that
    /// shows them rather than in the app's wasm.
    #[serde(default)]
    pub exercises: Vec<protocol::Exercise>,
}

/// A `##` or `###` heading of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 2 for `##`, 3 for `###`.
    pub level: u8,
    /// The anchor id given to the heading.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// A piece of a page: HTML, or a live workbench cell between two pieces of HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Segment {
    /// HTML to place as is (after [`rebase`]).
    Html {
        /// The HTML.
        html: String,
    },
    /// A cell's fenced block as written: the page parses it (`cells::parse`), so a wrong
    /// cell shows its error where it stands.
    Cell {
        /// The info string (`cell sql`).
        info: String,
        /// The block's text.
        body: String,
    },
}

/// `html` with its app links placed under `base`, the app's folder (`crate::base::app_base`).
///
/// # Examples
///
/// ```
/// use iot_workbook::lesson_doc::{BASE_MARKER, rebase};
/// let html = format!("<a href=\"{BASE_MARKER}/glossary#flow\">flow</a>");
/// assert_eq!(rebase(&html, "/course"), "<a href=\"/course/glossary#flow\">flow</a>");
/// ```
pub fn rebase(html: &str, base: &str) -> String {
    html.replace(BASE_MARKER, base)
}
