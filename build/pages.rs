//! The lessons' text rendered at build time, for `build.rs`: each page (a lesson, the glossary)
//! becomes a JSON document (`src/lesson_doc.rs`) the page fetches when it shows it, and the
//! exercises' texts become HTML inside their JSON. So neither the Markdown parser nor the
//! lessons' text is part of the page's wasm.

use std::fs;
use std::path::Path;

use crate::lesson_doc::{BASE_MARKER, Heading, LessonDoc, Segment};
use crate::markdown::{self, Rendered};

/// The glossary's definitions, the hover text of the links to its terms.
pub type Glossary = [(String, String)];

/// `markdown` rendered as a page: app links under [`BASE_MARKER`], glossary links titled.
pub fn page(markdown: &str, glossary: &Glossary) -> LessonDoc {
    let Rendered {
        headings, segments, ..
    } = markdown::render_with(markdown, BASE_MARKER, glossary);
    LessonDoc {
        headings: headings
            .into_iter()
            .map(|h| Heading {
                level: h.level,
                id: h.id,
                text: h.text,
            })
            .collect(),
        segments: segments
            .into_iter()
            .map(|s| match s {
                markdown::Segment::Html(html) => Segment::Html { html },
                markdown::Segment::Cell { info, body } => Segment::Cell { info, body },
            })
            .collect(),
        exercises: Vec::new(),
    }
}

/// Writes `<dir>/<id>.json` for every page and removes the folder's other documents (a
/// renamed lesson's). Each file is written whole and then renamed into place, so a build
/// running at the same time never copies half a file.
pub fn write(dir: &Path, pages: &[(String, LessonDoc)]) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (id, doc) in pages {
        let path = dir.join(format!("{id}.json"));
        let json = serde_json::to_string(doc).expect("a page serializes");
        if fs::read_to_string(&path).is_ok_and(|old| old == json) {
            continue;
        }
        let partial = dir.join(format!(".{id}.json.{}", std::process::id()));
        fs::write(&partial, json)
            .and_then(|()| fs::rename(&partial, &path))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let ours = pages.iter().any(|(id, _)| id == stem);
        if path.extension().is_some_and(|e| e == "json") && !ours {
            fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The exercise's texts as the page shows them: the goal and the hints as blocks of HTML, the
/// prediction and the hints of its assertions as inline HTML (one sentence, code spans kept).
/// The engine only passes an assertion's hint through to its finding.
pub fn exercise_html(exercise: &mut protocol::Exercise, glossary: &Glossary) {
    let block = |text: &mut String| *text = markdown::render_with(text, BASE_MARKER, glossary).html;
    let inline = |text: &mut String| *text = inline_html(text, glossary);
    block(&mut exercise.goal);
    exercise.hints.iter_mut().for_each(block);
    if let Some(p) = &mut exercise.predict {
        inline(&mut p.question);
        p.choices.iter_mut().for_each(inline);
        inline(&mut p.explain);
    }
    for assertion in &mut exercise.check.assertions {
        inline(&mut assertion.hint);
    }
    if let Some(hint) = &mut exercise.check.failed_update_hint {
        inline(hint);
    }
}

/// One sentence of Markdown as inline HTML: without the paragraph around it.
fn inline_html(text: &str, glossary: &Glossary) -> String {
    let html = markdown::render_with(text, BASE_MARKER, glossary).html;
    let html = html.trim_end();
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html)
        .to_string()
}
