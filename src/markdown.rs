//! Renders lesson Markdown to HTML: GFM tables and callouts, heading anchors for the table of
//! contents, and code blocks wrapped with a copy button.
//!
//! A code block's info string is its language, then words the lesson tests check (see
//! `crates/kernel/tests/lessons/mod.rs`): `file=<path>` (the block is that project file),
//! `excerpt=<path>`, `replaces=<path>`, `fragment`, `databricks-only "<reason>"`. The page labels
//! the block with its language and the file it shows. Links to app routes are written from the
//! app's root (`[event log](/glossary#event-log)`) and rendered under the folder the app is
//! hosted in.
//!
//! The page does not link this renderer: `build.rs` includes this file (`#[path]`) and renders
//! the lessons, the glossary and the exercises' texts at build time. So the file stands alone
//! (no `crate::` paths): the glossary's definitions are a parameter, and a cell's block is kept
//! as written, for the page to parse. Native tests use it through the library.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// A heading of the rendered document, for the "On this page" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 2 for `##`, 3 for `###`.
    pub level: u8,
    /// The anchor id given to the heading.
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// A piece of a rendered lesson: HTML, or a live workbench cell between two pieces of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// HTML to place as is.
    Html(String),
    /// A cell's fenced block as written: its info string (`cell sql`) and text.
    Cell {
        /// The info string.
        info: String,
        /// The block's text.
        body: String,
    },
}

/// The HTML of a Markdown document and its `##`/`###` headings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// HTML of the whole document (cells shown as their code blocks).
    pub html: String,
    /// Section headings in document order.
    pub headings: Vec<Heading>,
    /// The document split at its top-level cells.
    pub segments: Vec<Segment>,
}

/// Class of the copy button the article's click handler looks for (the page keeps a copy of
/// this name: `components::lesson_article`).
pub const COPY_BUTTON_CLASS: &str = "copy-code";

/// Whether a fenced block's info string asks for a workbench cell (`cell sql`; see the page's
/// `cells` module for the kinds).
pub fn is_cell(info: &str) -> bool {
    info.split_whitespace().next() == Some("cell")
}

/// Renders `markdown` to HTML, app links from the site's root, without glossary definitions.
///
/// # Examples
///
/// ```
/// let out = iot_workbook::markdown::render("## Two words\n\n```sql\nSELECT 1\n```\n");
/// assert_eq!(out.headings[0].id, "two-words");
/// assert!(out.html.contains("copy-code"));
/// ```
pub fn render(markdown: &str) -> Rendered {
    render_with(markdown, "", &[])
}

/// Renders `markdown` with links to app routes (destinations starting with one `/`) placed
/// under `base` (the folder the app is hosted in, or a marker the page replaces), and links
/// to glossary terms (`/glossary#<term>`) titled with the term's definition from `glossary`
/// (see [`definitions`]), so hovering the word shows it.
///
/// # Examples
///
/// ```
/// use iot_workbook::markdown::{definitions, render_with};
/// let glossary = definitions("### Flow\n\nThe computation that fills a table. More.\n");
/// let out = render_with("[flow](/glossary#flow)", "/course", &glossary);
/// assert!(out.html.contains("href=\"/course/glossary#flow\""));
/// assert!(out.html.contains("title=\"The computation that fills a table.\""));
/// ```
pub fn render_with(markdown: &str, base: &str, glossary: &[(String, String)]) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_GFM
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut headings = Vec::new();
    let mut events = Vec::new();
    let mut heading: Option<(HeadingLevel, Vec<Event>)> = None;
    // Cells split the document only at the top level (not inside lists or quotes), so every
    // HTML segment is well-formed on its own.
    let mut depth = 0usize;
    let mut segments = Vec::new();
    let mut segment_start = 0usize;
    let mut cell: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, options) {
        let event = rebase_link(event, base, glossary);
        if cell.is_some() {
            match event {
                Event::Text(text) => {
                    if let Some((_, body)) = &mut cell {
                        body.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => {
                    let (info, body) = cell.take().expect("inside a cell");
                    let mut html_so_far = String::new();
                    html::push_html(&mut html_so_far, events[segment_start..].iter().cloned());
                    segments.push(Segment::Html(html_so_far));
                    events.extend(code_block_events(&info, body.clone()));
                    segments.push(Segment::Cell { info, body });
                    segment_start = events.len();
                }
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if depth == 0 && heading.is_none() && is_cell(info) =>
            {
                cell = Some((info.to_string(), String::new()));
                continue;
            }
            Event::Start(tag)
                if heading.is_none() && !matches!(tag, Tag::CodeBlock(_) | Tag::Heading { .. }) =>
            {
                depth += 1
            }
            Event::End(end)
                if heading.is_none() && !matches!(end, TagEnd::CodeBlock | TagEnd::Heading(_)) =>
            {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        match (event, &mut heading) {
            (Event::Start(Tag::Heading { level, .. }), None) => heading = Some((level, Vec::new())),
            (Event::End(TagEnd::Heading(_)), Some(_)) => {
                let (level, inner) = heading.take().expect("inside a heading");
                events.extend(anchored_heading(level, inner, &mut headings));
            }
            (event, Some((_, inner))) => inner.push(event),
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                let label = match &kind {
                    CodeBlockKind::Fenced(info) => code_label(info),
                    CodeBlockKind::Indented => String::new(),
                };
                events.push(Event::Html(code_block_open(&label).into()));
                events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            (Event::End(TagEnd::CodeBlock), None) => {
                events.push(Event::End(TagEnd::CodeBlock));
                events.push(Event::Html("</div>\n".into()));
            }
            (event, None) => events.push(event),
        }
    }
    let mut tail = String::new();
    html::push_html(&mut tail, events[segment_start..].iter().cloned());
    segments.push(Segment::Html(tail));
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered {
        html: out,
        headings,
        segments,
    }
}

/// A link to an app route, under `base`; other events as they are. A link to a glossary term
/// without a title gets the term's definition as its title, so hovering the word shows it.
fn rebase_link<'a>(event: Event<'a>, base: &str, glossary: &[(String, String)]) -> Event<'a> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if dest_url.starts_with('/') && !dest_url.starts_with("//") => {
            let title = match dest_url.strip_prefix("/glossary#") {
                Some(term) if title.is_empty() => glossary
                    .iter()
                    .find(|(id, _)| id == term)
                    .map_or(title, |(_, d)| d.clone().into()),
                _ => title,
            };
            Event::Start(Tag::Link {
                link_type,
                dest_url: format!("{base}{dest_url}").into(),
                title,
                id,
            })
        }
        other => other,
    }
}

/// `(anchor id, first sentence)` of every `### Term` of a glossary text, backticks removed.
pub fn definitions(glossary: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = glossary.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(term) = line.strip_prefix("### ") else {
            continue;
        };
        let id = unique_slug(&term.replace('`', ""), &[]);
        let mut paragraph = String::new();
        while let Some(next) = lines.next_if(|l| !l.starts_with('#')) {
            if next.trim().is_empty() && !paragraph.is_empty() {
                break;
            }
            paragraph.push_str(next.trim());
            paragraph.push(' ');
        }
        let text = paragraph.replace('`', "");
        let sentence = text.find(". ").map_or(text.trim(), |end| &text[..=end]);
        out.push((id, sentence.trim().to_string()));
    }
    out
}

/// The label of a code block's bar: its language, and the project file it shows or changes.
fn code_label(info: &str) -> String {
    let mut words = info.split_whitespace();
    let language = words.next().unwrap_or("").to_string();
    let mut label = language;
    for word in words {
        if let Some(path) = word.strip_prefix("file=") {
            label = format!("{label} · {path}");
        } else if let Some(path) = word.strip_prefix("excerpt=") {
            label = format!("{label} · from {path}");
        } else if let Some(path) = word.strip_prefix("replaces=") {
            label = format!("{label} · new {path}");
        } else if word == "databricks-only" {
            label = format!("{label} · Databricks only");
        }
    }
    label
}

/// A cell's block as an ordinary code block (for the whole-document HTML).
fn code_block_events(info: &str, body: String) -> Vec<Event<'static>> {
    let info = info.to_string();
    vec![
        Event::Html(code_block_open(&info).into()),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info.into()))),
        Event::Text(body.into()),
        Event::End(TagEnd::CodeBlock),
        Event::Html("</div>\n".into()),
    ]
}

fn code_block_open(language: &str) -> String {
    let label = if language.is_empty() {
        "code"
    } else {
        language
    };
    format!(
        "<div class=\"code-block\"><div class=\"code-bar\"><span class=\"code-lang\">{}</span>\
         <button type=\"button\" class=\"{COPY_BUTTON_CLASS}\" aria-label=\"Copy {} code\">Copy</button></div>\n",
        escape(label),
        escape(label)
    )
}

/// Emits `<hN id="slug">…</hN>`, keeping inline markup, and records `##`/`###` headings.
fn anchored_heading<'a>(
    level: HeadingLevel,
    inner: Vec<Event<'a>>,
    headings: &mut Vec<Heading>,
) -> Vec<Event<'a>> {
    let text: String = inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let id = unique_slug(&text, headings);
    let n = level as u8;
    if (2..=3).contains(&n) {
        headings.push(Heading {
            level: n,
            id: id.clone(),
            text,
        });
    }
    let mut out = vec![Event::Html(format!("<h{n} id=\"{id}\">").into())];
    let mut body = String::new();
    html::push_html(&mut body, inner.into_iter());
    out.push(Event::Html(body.into()));
    out.push(Event::Html(format!("</h{n}>\n").into()));
    out
}

fn unique_slug(text: &str, taken: &[Heading]) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let base = slug.trim_end_matches('-').to_string();
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.iter().any(|h| h.id == candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_render_code_block_gets_copy_button_and_language() {
        let out = render("```python\nprint('hi')\n```\n");
        assert!(
            out.html.contains("<span class=\"code-lang\">python</span>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("class=\"copy-code\""));
        assert!(
            out.html.contains("<code class=\"language-python\">"),
            "{}",
            out.html
        );
        // The wrapper opens once and closes after the <pre>.
        assert_eq!(out.html.matches("<div class=\"code-block\">").count(), 1);
        assert!(
            out.html.trim_end().ends_with("</code></pre>\n</div>"),
            "{}",
            out.html
        );
    }

    #[test]
    fn test_render_headings_are_anchored_and_unique() {
        let out = render(
            "# Title\n\n## Streaming tables\n\ntext\n\n## Streaming tables\n\n### `read_files` options\n",
        );
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "streaming-tables",
                "streaming-tables-2",
                "read-files-options"
            ]
        );
        assert!(
            out.html
                .contains("<h2 id=\"streaming-tables\">Streaming tables</h2>")
        );
        assert!(
            out.html
                .contains("<h3 id=\"read-files-options\"><code>read_files</code> options</h3>")
        );
        assert!(
            out.html.contains("<h1 id=\"title\">Title</h1>"),
            "h1 is anchored but not listed"
        );
    }

    #[test]
    fn test_render_tables_and_callouts() {
        let out = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n> [!WARNING]\n> Careful.\n");
        assert!(out.html.contains("<table>"));
        assert!(out.html.contains("<td>2</td>"));
        assert!(out.html.contains("markdown-alert-warning"), "{}", out.html);
    }

    #[test]
    fn test_cells_split_the_document_at_the_top_level_only() {
        let out = render(
            "# T\n\nbefore\n\n```cell sql\nSELECT 1\n```\n\n- item\n\n  ```cell run\n  ```\n\nafter\n",
        );
        let kinds: Vec<&str> = out
            .segments
            .iter()
            .map(|s| match s {
                Segment::Html(_) => "html",
                Segment::Cell { .. } => "cell",
            })
            .collect();
        assert_eq!(kinds, ["html", "cell", "html"]);
        let Segment::Cell { info, body } = &out.segments[1] else {
            panic!("{:?}", out.segments[1])
        };
        assert_eq!((info.as_str(), body.as_str()), ("cell sql", "SELECT 1\n"));
        let Segment::Html(first) = &out.segments[0] else {
            panic!()
        };
        assert!(first.contains("before") && !first.contains("SELECT"));
        let Segment::Html(last) = &out.segments[2] else {
            panic!()
        };
        assert!(
            last.contains("<li>") && last.contains("language-cell") && last.contains("after"),
            "{last}"
        );
        assert!(
            out.html.contains("SELECT 1"),
            "the whole document keeps the block"
        );
    }

    #[test]
    fn test_code_label_names_the_file_and_keeps_the_language_class() {
        let out = render(
            "```python file=src/a.py\nx = 1\n```\n```sql databricks-only \"no from_json here\"\nSELECT 1\n```\n",
        );
        assert!(
            out.html
                .contains("<span class=\"code-lang\">python · src/a.py</span>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<code class=\"language-python\">"));
        assert!(out.html.contains("sql · Databricks only"), "{}", out.html);
    }

    #[test]
    fn test_app_links_go_under_the_base_and_others_stay() {
        let out = render_with(
            "[a](/glossary#flow) [b](https://example.org/x) [c](#here) [d](//cdn/x)",
            "/course",
            &[],
        );
        assert!(
            out.html.contains("href=\"/course/glossary#flow\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("href=\"https://example.org/x\""));
        assert!(out.html.contains("href=\"#here\""));
        assert!(out.html.contains("href=\"//cdn/x\""));
    }

    #[test]
    fn test_glossary_links_carry_the_definition_as_title() {
        let glossary = definitions("# Glossary\n\n### Flow\n\nThe computation. It runs.\n");
        let out = render_with(
            "[flows](/glossary#flow) [x](/glossary#other) [t](/glossary#flow \"Own\")",
            "",
            &glossary,
        );
        assert!(
            out.html
                .contains("<a href=\"/glossary#flow\" title=\"The computation.\">flows</a>"),
            "{}",
            out.html
        );
        assert!(out.html.contains("<a href=\"/glossary#other\">x</a>"));
        assert!(
            out.html.contains("title=\"Own\""),
            "an author's title stays"
        );
        let defs = definitions("### JSON path (`:`)\n\nReads a field. More.\n\n### B\nb\n");
        assert_eq!(
            defs,
            [
                ("json-path".to_string(), "Reads a field.".to_string()),
                ("b".to_string(), "b".to_string())
            ]
        );
    }

    #[test]
    fn test_is_cell_reads_the_first_word() {
        assert!(is_cell("cell sql"));
        assert!(is_cell("cell exercise x"));
        assert!(!is_cell("sql"));
        assert!(!is_cell("cells"));
        assert!(!is_cell(""));
        let out = render("```sql cell\nSELECT 1\n```\n");
        assert_eq!(
            out.segments.len(),
            1,
            "only a first word `cell` makes a cell"
        );
    }

    #[test]
    fn test_language_label_is_escaped() {
        let out = render("```<script>\nx\n```\n");
        assert!(!out.html.contains("<span class=\"code-lang\"><script>"));
    }
}
