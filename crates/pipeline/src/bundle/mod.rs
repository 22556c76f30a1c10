//! The bundle (`databricks.yml`): includes, variables, targets, substitution and the pipeline
//! resource, resolved for one target into [`Bundle`].

pub mod interpolate;
pub mod merge;
mod render;
mod resolve;
pub mod settings;
pub mod shape;
pub mod yaml;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::project::{self, BUNDLE_FILE, Project};
use crate::{glob, suggest};
pub use render::render;
use resolve::resolve;
pub use settings::{Library, LibraryKind, PipelineSettings, SourceFile, SourceLanguage};
use yaml::{Node, Value};

/// The learner's name when none is configured (`${workspace.current_user.short_name}`).
pub const DEFAULT_USER: &str = "learner";

/// How to resolve a bundle: which target, variable overrides, who the learner is.
#[derive(Debug, Clone)]
pub struct BundleOptions {
    /// The target to resolve (`None`: the one marked `default: true`).
    pub target: Option<String>,
    /// `--var name=value` overrides, in order given.
    pub vars: Vec<(String, String)>,
    /// `${workspace.current_user.short_name}`.
    pub user: String,
}

impl Default for BundleOptions {
    fn default() -> Self {
        BundleOptions {
            target: None,
            vars: Vec::new(),
            user: DEFAULT_USER.to_string(),
        }
    }
}

impl BundleOptions {
    /// Options for `target` with `name=value` overrides (as given on the command line).
    ///
    /// # Examples
    /// ```
    /// let opts = pipeline::BundleOptions::with_vars(Some("prod"), &["schema=iot"]).unwrap();
    /// assert_eq!(opts.vars, vec![("schema".to_string(), "iot".to_string())]);
    /// assert!(pipeline::BundleOptions::with_vars(None, &["novalue"]).is_err());
    /// ```
    pub fn with_vars(target: Option<&str>, vars: &[impl AsRef<str>]) -> Result<Self, Diagnostics> {
        let mut errors = Diagnostics::new();
        let mut parsed = Vec::new();
        for var in vars {
            match var.as_ref().split_once('=') {
                Some((name, value)) if !name.trim().is_empty() => {
                    parsed.push((name.trim().to_string(), value.to_string()));
                }
                _ => errors.error(
                    None,
                    format!("`--var {}` must be written name=value", var.as_ref()),
                ),
            }
        }
        if errors.has_errors() {
            return Err(errors);
        }
        Ok(BundleOptions {
            target: target.map(str::to_string),
            vars: parsed,
            ..Default::default()
        })
    }
}

/// Deployment mode of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `mode: development`: resources prefixed `[dev <user>]`, pipelines in development mode.
    Development,
    /// `mode: production`: no development pipelines.
    Production,
}

impl Mode {
    /// `development` or `production`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Development => "development",
            Mode::Production => "production",
        }
    }
}

/// A bundle resolved for one target.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// `bundle.name`.
    pub name: String,
    /// The selected target.
    pub target: String,
    /// The target's mode, if set.
    pub mode: Option<Mode>,
    /// Every variable's final value (complex values as their YAML text).
    pub variables: BTreeMap<String, String>,
    /// `workspace.*` after substitution (`current_user.short_name`, `root_path`, `file_path`, …).
    pub workspace: BTreeMap<String, String>,
    /// The pipeline resources, in the order defined.
    pub pipelines: Vec<PipelineSettings>,
    /// The whole resolved configuration, for display.
    pub resolved: Node,
    /// Warnings (errors make [`load`] fail).
    pub warnings: Diagnostics,
}

/// Load, merge and resolve the bundle of `project` for the options' target. Reports every
/// problem at once (unknown keys, unknown or missing variables, reference cycles, unknown
/// library files, …); the result's `warnings` keep the non-fatal ones.
///
/// # Examples
/// ```
/// let project = pipeline::Project::from_files([
///     ("databricks.yml", "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      \
///       catalog: main\n      schema: s\n      libraries:\n        - file: {path: a.sql}\n"),
///     ("a.sql", "CREATE MATERIALIZED VIEW t AS SELECT 1 AS x"),
/// ]);
/// let bundle = pipeline::bundle::load(&project, &Default::default()).unwrap();
/// assert_eq!(bundle.pipelines[0].schema, "s");
/// ```
pub fn load(project: &Project, options: &BundleOptions) -> Result<Bundle, Diagnostics> {
    let (bundle, mut out) = load_partial(project, options);
    match bundle {
        Some(mut bundle) if !out.has_errors() => {
            bundle.warnings = out;
            Ok(bundle)
        }
        _ => {
            out.sort();
            Err(out)
        }
    }
}

/// Like [`load`], but returns the bundle whenever resolution got that far, next to every
/// problem found (errors included), so validation can go on to check the pipelines' sources
/// and report bundle and source problems together. The bundle is `None` only when the YAML
/// does not parse or no target can be selected.
///
/// # Examples
/// ```
/// let project = pipeline::Project::from_files([
///     ("databricks.yml", "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      \
///       catalgo: main\n      schema: s\n      libraries:\n        - file: {path: a.sql}\n"),
///     ("a.sql", "CREATE MATERIALIZED VIEW t AS SELECT 1 AS x"),
/// ]);
/// let (bundle, problems) = pipeline::bundle::load_partial(&project, &Default::default());
/// assert!(problems.has_errors());
/// assert_eq!(bundle.unwrap().pipelines[0].schema, "s");
/// ```
pub fn load_partial(project: &Project, options: &BundleOptions) -> (Option<Bundle>, Diagnostics) {
    let mut out = Diagnostics::new();
    let Some(text) = project.get(BUNDLE_FILE) else {
        out.error(
            None,
            format!("the project has no `{BUNDLE_FILE}` at its root"),
        );
        return (None, out);
    };
    let mut root = match yaml::parse(BUNDLE_FILE, text) {
        Ok(root) => root,
        Err(errors) => return (None, errors),
    };
    shape::check(&root, &shape::ROOT, BUNDLE_FILE, &mut out);
    rename_environments(&mut root);
    for path in included_files(project, &root, &mut out) {
        let Some(text) = project.get(&path) else {
            continue;
        };
        match yaml::parse(&path, text) {
            Ok(doc) => {
                shape::check(&doc, &shape::INCLUDED, &path, &mut out);
                let mut doc = doc;
                rename_environments(&mut doc);
                merge::merge_included(&mut root, &doc, &mut out);
            }
            Err(errors) => out.extend(errors),
        }
    }
    let resolved = resolve(project, &root, options, &mut out);
    out.sort();
    (resolved, out)
}

/// `environments:` is the old name of `targets:`.
fn rename_environments(root: &mut Node) {
    if let Value::Map(entries) = &mut root.value {
        for (key, _) in entries.iter_mut() {
            if key.name == "environments" {
                key.name = "targets".to_string();
            }
        }
    }
}

fn included_files(project: &Project, root: &Node, out: &mut Diagnostics) -> Vec<String> {
    let mut files = Vec::new();
    let Some(patterns) = root.get("include").and_then(Node::as_seq) else {
        return files;
    };
    for pattern_node in patterns {
        let Some(pattern) = pattern_node.as_str() else {
            continue;
        };
        let pattern = project::normalize(pattern);
        let matched: Vec<String> = project
            .paths()
            .filter(|p| glob::matches(&pattern, p) && *p != BUNDLE_FILE)
            .map(str::to_string)
            .collect();
        if matched.is_empty() {
            let yml = project
                .paths()
                .filter(|p| p.ends_with(".yml") || p.ends_with(".yaml"));
            let close = suggest::closest(&pattern, yml.collect::<Vec<_>>().iter().copied());
            if glob::is_pattern(&pattern) {
                out.push(Diagnostic::warning(
                    Some(pattern_node.location()),
                    format!("`include: {pattern}` matches no file"),
                ));
            } else {
                out.push(
                    Diagnostic::error(
                        Some(pattern_node.location()),
                        format!("included file `{pattern}` does not exist"),
                    )
                    .with_suggestions(suggest::quoted(close)),
                );
            }
        }
        for path in matched {
            if !files.contains(&path) {
                files.push(path);
            }
        }
    }
    files
}
