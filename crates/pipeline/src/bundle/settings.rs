//! The pipeline resource, typed: name, catalog, schema, libraries (as project files),
//! configuration and the run settings the course shows (channel, development, clusters, …).

use std::collections::BTreeMap;

use super::Mode;
use super::yaml::{Key, Node};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::project::{self, Project};
use crate::{glob, suggest};

/// Catalog used when a pipeline sets none.
pub const DEFAULT_CATALOG: &str = "default";
/// Schema used when a pipeline sets none.
pub const DEFAULT_SCHEMA: &str = "default";

/// The language of a pipeline source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceLanguage {
    /// `.sql`: `CREATE STREAMING TABLE … AS …` statements.
    Sql,
    /// `.py`: `from pyspark import pipelines as dp`.
    Python,
}

/// How a library entry names its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LibraryKind {
    /// `- file: {path: …}`
    File,
    /// `- notebook: {path: …}` (extension optional)
    Notebook,
    /// `- glob: {include: …}`
    Glob,
}

/// One `libraries:` entry as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    /// file, notebook or glob.
    pub kind: LibraryKind,
    /// The path or pattern as written.
    pub path: String,
    /// Where the entry is written.
    pub location: Location,
}

/// One source file of the pipeline, found through its libraries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Project path.
    pub path: String,
    /// SQL or Python.
    pub language: SourceLanguage,
    /// The library entry that names it.
    pub origin: Location,
}

/// A pipeline resource after substitution.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineSettings {
    /// The resource key (`iot_anomaly_detection_pipeline`).
    pub key: String,
    /// Display name (prefixed `[dev <user>] ` in development mode).
    pub name: String,
    /// Unity Catalog catalog of the pipeline's tables.
    pub catalog: String,
    /// Schema of the pipeline's tables (`schema:` or the older `target:`).
    pub schema: String,
    /// The `libraries:` entries.
    pub libraries: Vec<Library>,
    /// The source files, in library order.
    pub sources: Vec<SourceFile>,
    /// `configuration:` (what `spark.conf.get` and SQL `${key}` read).
    pub configuration: BTreeMap<String, String>,
    /// `CURRENT` or `PREVIEW`.
    pub channel: String,
    /// `CORE`, `PRO` or `ADVANCED`.
    pub edition: String,
    /// Development mode.
    pub development: bool,
    /// Continuous (vs triggered) pipeline.
    pub continuous: bool,
    /// Photon acceleration.
    pub photon: bool,
    /// Serverless compute, if set.
    pub serverless: Option<bool>,
    /// `clusters:` as written (kept for display; the workbook runs in the page).
    pub clusters: Option<Node>,
    /// `notifications:` as written.
    pub notifications: Option<Node>,
    /// Where the resource is defined.
    pub location: Location,
}

pub(super) struct Context<'a> {
    pub project: &'a Project,
    pub mode: Option<Mode>,
    pub user: &'a str,
}

pub(super) fn pipeline(
    key: &Key,
    node: &Node,
    cx: &Context<'_>,
    out: &mut Diagnostics,
) -> Option<PipelineSettings> {
    let text = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_string);
    let flag = |k: &str, out: &mut Diagnostics| -> Option<bool> {
        let value = node.get(k).filter(|n| !n.is_null())?;
        match value
            .as_bool()
            .or_else(|| value.as_str().and_then(parse_bool))
        {
            Some(b) => Some(b),
            None => {
                out.error(
                    Some(value.location()),
                    format!(
                        "`{k}` must be true or false, found `{}`",
                        value.as_str().unwrap_or("?")
                    ),
                );
                None
            }
        }
    };
    let schema = match (node.get("schema"), node.get("target")) {
        (Some(s), Some(t)) if !s.is_null() && !t.is_null() => {
            out.error(
                Some(t.location()),
                "set either `schema` or its older name `target`, not both",
            );
            s.as_str().map(str::to_string)
        }
        (Some(s), _) if !s.is_null() => s.as_str().map(str::to_string),
        (_, Some(t)) => t.as_str().map(str::to_string),
        _ => None,
    };
    let mut development = flag("development", out).unwrap_or(false);
    let mut name = text("name").unwrap_or_else(|| key.name.clone());
    match cx.mode {
        Some(Mode::Development) => {
            development = true;
            name = format!("[dev {}] {name}", cx.user);
        }
        Some(Mode::Production) if development => {
            let at = node
                .get("development")
                .map_or_else(|| key.location(), Node::location);
            out.error(
                Some(at),
                "a `mode: production` target cannot deploy a pipeline with `development: true`",
            );
        }
        _ => {}
    }
    let channel = choice(node, "channel", &["CURRENT", "PREVIEW"], "CURRENT", out);
    let edition = choice(
        node,
        "edition",
        &["CORE", "PRO", "ADVANCED"],
        "ADVANCED",
        out,
    );
    let configuration = node
        .get("configuration")
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .map(|(k, v)| {
            (
                k.name.clone(),
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| v.as_bool().map(|b| b.to_string()))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let (libraries, sources) = libraries(node, cx.project, out);
    if libraries.is_empty() {
        out.push(
            Diagnostic::error(
                Some(key.location()),
                format!("pipeline `{}` has no `libraries`", key.name),
            )
            .with_suggestions(["`libraries: [{file: {path: src/my_table.sql}}]`".to_string()]),
        );
    }
    Some(PipelineSettings {
        key: key.name.clone(),
        name,
        catalog: text("catalog").unwrap_or_else(|| DEFAULT_CATALOG.to_string()),
        schema: schema.unwrap_or_else(|| DEFAULT_SCHEMA.to_string()),
        libraries,
        sources,
        configuration,
        channel,
        edition,
        development,
        continuous: flag("continuous", out).unwrap_or(false),
        photon: flag("photon", out).unwrap_or(false),
        serverless: flag("serverless", out),
        clusters: node.get("clusters").cloned(),
        notifications: node.get("notifications").cloned(),
        location: key.location(),
    })
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn choice(
    node: &Node,
    key: &str,
    allowed: &[&str],
    default: &str,
    out: &mut Diagnostics,
) -> String {
    let Some(value) = node.get(key).filter(|n| !n.is_null()) else {
        return default.to_string();
    };
    let text = value.as_str().unwrap_or_default().to_ascii_uppercase();
    if allowed.contains(&text.as_str()) {
        return text;
    }
    let close = suggest::quoted(suggest::closest(&text, allowed.iter().copied()));
    let close = if close.is_empty() {
        allowed.iter().map(|a| format!("`{a}`")).collect()
    } else {
        close
    };
    out.push(
        Diagnostic::error(
            Some(value.location()),
            format!("unknown {key} `{}`", value.as_str().unwrap_or_default()),
        )
        .with_suggestions(close),
    );
    default.to_string()
}

fn libraries(
    node: &Node,
    project: &Project,
    out: &mut Diagnostics,
) -> (Vec<Library>, Vec<SourceFile>) {
    let mut libraries = Vec::new();
    let mut sources: Vec<SourceFile> = Vec::new();
    for item in node.get("libraries").and_then(Node::as_seq).unwrap_or(&[]) {
        let Some(entries) = item.as_map() else {
            continue;
        };
        let base = project::parent(&item.file).to_string();
        for (key, value) in entries {
            let (kind, field) = match key.name.as_str() {
                "file" => (LibraryKind::File, "path"),
                "notebook" => (LibraryKind::Notebook, "path"),
                "glob" => (LibraryKind::Glob, "include"),
                other => {
                    out.error(Some(key.location()), format!("`{other}` libraries are not supported in the workbook; use `file`, `notebook` or `glob` with .py or .sql sources"));
                    continue;
                }
            };
            let Some(path_node) = value.get(field) else {
                out.error(
                    Some(key.location()),
                    format!("`{}` needs `{field}:`", key.name),
                );
                continue;
            };
            let written = path_node.as_str().unwrap_or_default().to_string();
            let location = path_node.location();
            let found = match kind {
                LibraryKind::Glob => glob_files(project, &base, &written, &location, out),
                _ => single_file(project, &base, &written, kind, &location, out),
            };
            for path in found {
                if sources.iter().any(|s| s.path == path) {
                    continue;
                }
                let language = if path.ends_with(".sql") {
                    SourceLanguage::Sql
                } else {
                    SourceLanguage::Python
                };
                sources.push(SourceFile {
                    path,
                    language,
                    origin: location.clone(),
                });
            }
            libraries.push(Library {
                kind,
                path: written,
                location,
            });
        }
    }
    (libraries, sources)
}

fn is_source(path: &str) -> bool {
    path.ends_with(".py") || path.ends_with(".sql")
}

fn single_file(
    project: &Project,
    base: &str,
    written: &str,
    kind: LibraryKind,
    at: &Location,
    out: &mut Diagnostics,
) -> Vec<String> {
    let path = project::join(base, written);
    let candidates = if kind == LibraryKind::Notebook && !is_source(&path) {
        vec![format!("{path}.py"), format!("{path}.sql"), path.clone()]
    } else {
        vec![path.clone()]
    };
    if let Some(found) = candidates.into_iter().find(|c| project.get(c).is_some()) {
        if !is_source(&found) {
            out.error(
                Some(at.clone()),
                format!("`{written}` is not a pipeline source: use .py or .sql files"),
            );
            return Vec::new();
        }
        return vec![found];
    }
    let existing: Vec<&str> = project.paths().filter(|p| is_source(p)).collect();
    let mut close = suggest::closest(&path, existing.iter().copied());
    if close.is_empty() {
        // Nothing looks alike: list what there is.
        close = existing.iter().take(5).map(|p| p.to_string()).collect();
    }
    out.push(
        Diagnostic::error(
            Some(at.clone()),
            format!("library file `{written}` does not exist (looked for `{path}`)"),
        )
        .with_suggestions(suggest::quoted(close)),
    );
    Vec::new()
}

fn glob_files(
    project: &Project,
    base: &str,
    written: &str,
    at: &Location,
    out: &mut Diagnostics,
) -> Vec<String> {
    let mut pattern = project::join(base, written);
    if !glob::is_pattern(&pattern) {
        // A folder includes everything under it.
        pattern = format!("{pattern}/**");
    }
    let found: Vec<String> = project
        .paths()
        .filter(|p| is_source(p) && glob::matches(&pattern, p))
        .map(str::to_string)
        .collect();
    if found.is_empty() {
        out.error(
            Some(at.clone()),
            format!("`glob: {written}` matches no .py or .sql file"),
        );
    }
    found
}
