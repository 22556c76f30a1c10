//! Checks that the lessons point only at things the page has: every control a lesson names
//! with `<kbd>…</kbd>` is a visible label of a component, and every `/glossary#term` link
//! names a term of the glossary. (The lessons' code blocks are checked against the projects
//! and the engine in `crates/kernel/tests/lesson_*.rs`.)

use std::collections::BTreeSet;
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag};

use crate::lessons::{GLOSSARY, LESSONS};
use crate::markdown::render;

/// The visible labels of the page's components: string literals placed as element text
/// (`>"Run update"</button>`), switch labels (`label: "Schema drift"`), tab titles
/// (`Tab::new("events", "Event log", …)`) and names chosen by a match (`Variant::Sql => "SQL"`,
/// how the project-language switch labels its buttons).
fn visible_labels() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["components", "routes"] {
        collect_rs(&root.join(dir), &mut files);
    }
    let mut labels = BTreeSet::new();
    for text in files.iter().map(|f| std::fs::read_to_string(f).unwrap()) {
        let mut rest = text.as_str();
        while let Some(start) = rest.find('"') {
            let before = rest[..start].trim_end();
            let Some(len) = rest[start + 1..].find('"') else {
                break;
            };
            let literal = &rest[start + 1..start + 1 + len];
            let after = rest[start + 2 + len..].trim_start();
            let placed = before.ends_with('>')
                || after.starts_with('<')
                || before.ends_with("label:")
                || before.ends_with("=>")
                || (before.ends_with(',') && before.contains("Tab::new("));
            if placed && !literal.trim().is_empty() {
                labels.insert(literal.trim().to_string());
            }
            rest = &rest[start + 2 + len..];
        }
    }
    labels
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `lessons/01-pipeline-basics.md:89` for line `index` (0-based) of a lesson's body: the
/// body is the file after its front matter, so failures point where an author edits.
fn file_line(lesson: &crate::lessons::Lesson, index: usize) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let suffix = format!("-{}.md", lesson.id);
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(&suffix))
        .expect("each lesson has its file");
    let text = std::fs::read_to_string(&file).unwrap();
    let offset = text.lines().count() - lesson.body.lines().count();
    format!(
        "lessons/{}:{}",
        file.file_name().unwrap().to_string_lossy(),
        offset + index + 1
    )
}

/// `(where, text)` of every `<kbd>…</kbd>` in the lessons.
fn named_controls() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for lesson in LESSONS {
        for (index, line) in lesson.body.lines().enumerate() {
            let mut rest = line;
            while let Some(start) = rest.find("<kbd>") {
                let Some(end) = rest[start..].find("</kbd>") else {
                    break;
                };
                let control = rest[start + 5..start + end].to_string();
                found.push((file_line(lesson, index), control));
                rest = &rest[start + end..];
            }
        }
    }
    found
}

#[test]
fn test_controls_the_lessons_name_exist_in_the_page() {
    let labels = visible_labels();
    assert!(labels.contains("Run update"), "labels are read: {labels:?}");
    let named = named_controls();
    assert!(named.len() >= 20, "the lessons name the controls they use");
    let missing: Vec<String> = named
        .iter()
        .filter(|(_, control)| !labels.contains(control))
        .map(|(at, control)| {
            let words: Vec<&str> = control.split_whitespace().collect();
            let near: Vec<&String> = labels
                .iter()
                .filter(|l| l.len() < 40 && words.iter().any(|w| l.contains(w)))
                .collect();
            format!(
                "{at}: the page has no control labelled `{control}`; labels with its words: {near:?}"
            )
        })
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// An instruction to press or click something names it with `<kbd>`, so the check above sees it.
#[test]
fn test_instructions_to_press_name_the_control_with_kbd() {
    let mut loose = Vec::new();
    for lesson in LESSONS {
        for (index, line) in lesson.body.lines().enumerate() {
            let lower = line.to_lowercase();
            for verb in ["press ", "click ", "tick "] {
                if let Some(at) = lower.find(verb) {
                    let next = line[at + verb.len()..].trim_start_matches("the ");
                    if next.starts_with('"') || next.starts_with('“') || next.starts_with("**") {
                        loose.push(format!("{}: {line}", file_line(lesson, index)));
                    }
                }
            }
        }
    }
    assert!(
        loose.is_empty(),
        "name controls as <kbd>Label</kbd>:\n{}",
        loose.join("\n")
    );
}

#[test]
fn test_glossary_links_name_its_terms() {
    let terms: BTreeSet<String> = render(GLOSSARY)
        .headings
        .into_iter()
        .map(|h| h.id)
        .collect();
    let mut linked = BTreeSet::new();
    let mut broken = Vec::new();
    for lesson in LESSONS {
        for event in Parser::new(lesson.body) {
            if let Event::Start(Tag::Link { dest_url, .. }) = event
                && let Some(term) = dest_url.strip_prefix("/glossary#")
            {
                if !terms.contains(term) {
                    broken.push(format!("lesson {}: no glossary term `{term}`", lesson.id));
                }
                linked.insert(term.to_string());
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{}\n(terms: {terms:?})",
        broken.join("\n")
    );
    // The terms issue 18 found used before they were defined: each is defined where it first
    // appears and linked to the glossary from there.
    for term in [
        "event-log",
        "flow",
        "dataframe",
        "streaming-dataframe",
        "volume",
        "photon",
        "lakeview",
        "json-path",
    ] {
        assert!(
            linked.contains(term),
            "no lesson links the glossary's `{term}`"
        );
    }
}

/// Hovering a glossary link shows the first sentence of the term's definition.
#[test]
fn test_glossary_definitions_are_first_sentences() {
    let definitions = crate::markdown::definitions(GLOSSARY);
    let flow = definitions
        .iter()
        .find(|(id, _)| id == "flow")
        .map(|(_, d)| d.as_str())
        .expect("the glossary defines flow");
    assert!(flow.starts_with("The computation"), "{flow}");
    assert!(flow.ends_with('.'), "one sentence: {flow}");
    let rendered = crate::markdown::render_with("[flows](/glossary#flow)", "", &definitions);
    assert!(
        rendered.html.contains(&format!("title=\"{flow}\"")),
        "{}",
        rendered.html
    );
}

/// The pages build.rs wrote for the page to fetch (`target/lessons/<id>.json`) decode as the
/// page reads them and hold the current text: its headings, its cells, its exercises, its app
/// links under the marker the page replaces.
#[test]
fn test_rendered_pages_are_current_and_decode() {
    use crate::lesson_doc::{BASE_MARKER, GLOSSARY_ID, LessonDoc, Segment};
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/lessons");
    let pages = LESSONS
        .iter()
        .map(|l| (l.id, l.body))
        .chain([(GLOSSARY_ID, GLOSSARY)]);
    for (id, markdown) in pages {
        let path = folder.join(format!("{id}.json"));
        let json = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (build.rs writes it)", path.display()));
        let doc: LessonDoc = serde_json::from_str(&json).expect("decodes");
        let rendered = render(markdown);
        let ids: Vec<&str> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        let expected: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, expected, "{id}: the headings");
        let cells: Vec<(&str, &str)> = doc
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Cell { info, body } => Some((info.as_str(), body.as_str())),
                Segment::Html { .. } => None,
            })
            .collect();
        let expected: Vec<(&str, &str)> = rendered
            .segments
            .iter()
            .filter_map(|s| match s {
                crate::markdown::Segment::Cell { info, body } => {
                    Some((info.as_str(), body.as_str()))
                }
                crate::markdown::Segment::Html(_) => None,
            })
            .collect();
        assert_eq!(cells, expected, "{id}: the cells");
        // The page's exercises travel in its document: each one the build checked, in order.
        let exercises: Vec<protocol::Exercise> = crate::lessons::exercise_ids(id)
            .map(|e| crate::lessons::exercise(e).expect("decodes").1)
            .collect();
        assert_eq!(doc.exercises, exercises, "{id}: the exercises");
        let html: String = doc
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Html { html } => Some(html.as_str()),
                Segment::Cell { .. } => None,
            })
            .collect();
        if markdown.contains("](/") {
            assert!(
                html.contains(&format!("href=\"{BASE_MARKER}/")),
                "{id}: app links go under the marker"
            );
        }
        assert!(
            !html.contains("href=\"/"),
            "{id}: an app link without the marker"
        );
    }
}

/// The exercises' texts reach the page as HTML: code spans as code, no paragraph around a
/// sentence shown inline.
#[test]
fn test_exercise_texts_are_html() {
    let mut code = 0;
    for (_, id, _) in crate::lessons::EXERCISES {
        let (_, exercise) = crate::lessons::exercise(id).expect("decodes");
        assert!(exercise.goal.starts_with("<p>"), "{id}: {}", exercise.goal);
        let inline = exercise.check.assertions.iter().map(|a| &a.hint).chain(
            exercise
                .predict
                .iter()
                .flat_map(|p| p.choices.iter().chain([&p.question, &p.explain])),
        );
        for text in inline {
            assert!(!text.starts_with("<p>"), "{id}: {text}");
            assert!(
                !text.contains('`'),
                "{id}: a code span left as Markdown: {text}"
            );
            code += text.matches("<code>").count();
        }
    }
    assert!(
        code > 10,
        "the hints and questions show code ({code} spans)"
    );
}
