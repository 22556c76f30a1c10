//! The bundle (`databricks.yml`): includes, variables, targets, substitution and the pipeline
//! resource, resolved for one target into [`Bundle`].

pub mod interpolate;
pub mod merge;
pub mod settings;
pub mod shape;
pub mod yaml;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::project::{self, BUNDLE_FILE, Project};
use crate::{glob, suggest};
pub use settings::{Library, LibraryKind, PipelineSettings, SourceFile, SourceLanguage};
use yaml::{Key, Node, Pos, Value};

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

fn resolve(
    project: &Project,
    root: &Node,
    options: &BundleOptions,
    out: &mut Diagnostics,
) -> Option<Bundle> {
    let (target_name, target) = select_target(root, options, out)?;
    let mut tree = root.clone();
    let mode = target.as_ref().and_then(|t| target_mode(t, out));
    if let Some(target) = &target {
        for section in [
            "bundle",
            "workspace",
            "resources",
            "presets",
            "sync",
            "permissions",
            "run_as",
        ] {
            if let Some((key, value)) = target
                .as_map()
                .and_then(|m| m.iter().find(|(k, _)| k.name == section))
            {
                let slot = merge::entry_mut(&mut tree, key);
                merge::merge(slot, value, section);
            }
        }
    }
    let name_node = tree.get("bundle").and_then(|b| b.get("name"));
    let bundle_name = match name_node.and_then(Node::as_str) {
        Some(name) => name.to_string(),
        None => {
            let at = tree
                .key("bundle")
                .map_or_else(|| Location::file_start(BUNDLE_FILE), Key::location);
            out.error(Some(at), "`bundle.name` is required");
            "bundle".to_string()
        }
    };

    let mut values = reference_values(&tree, &bundle_name, &target_name, options);
    let variable_nodes = variable_values(&tree, target.as_ref(), &target_name, options, out);
    for (name, node) in &variable_nodes {
        values.insert(format!("var.{name}"), node.clone());
        values.insert(format!("variables.{name}.value"), node.clone());
    }
    let resources = tree.get("resources").cloned();
    let mut resolver = interpolate::Resolver::new(values, resources.as_ref());
    let at_root = Location::file_start(BUNDLE_FILE);
    let mut variables = BTreeMap::new();
    for name in variable_nodes.keys() {
        if let Some(node) = resolver.resolve(&format!("var.{name}"), &at_root) {
            variables.insert(
                name.clone(),
                node.as_str().map_or_else(|| render(&node), str::to_string),
            );
        }
    }
    let mut workspace = BTreeMap::new();
    for path in WORKSPACE_REFERENCES {
        if let Some(node) = resolver.resolve(&format!("workspace.{path}"), &at_root) {
            workspace.insert(
                path.to_string(),
                node.as_str().unwrap_or_default().to_string(),
            );
        }
    }
    let resources = resources.as_ref().map(|r| resolver.interpolate(r));
    out.extend(std::mem::take(&mut resolver.diagnostics));

    let mut pipelines = Vec::new();
    if let Some(defs) = resources
        .as_ref()
        .and_then(|r| r.get("pipelines"))
        .and_then(Node::as_map)
    {
        for (key, node) in defs {
            let context = settings::Context {
                project,
                mode,
                user: &options.user,
            };
            if let Some(p) = settings::pipeline(key, node, &context, out) {
                pipelines.push(p);
            }
        }
    }
    let resolved = display_tree(
        &bundle_name,
        &target_name,
        mode,
        &variables,
        &workspace,
        resources,
    );
    Some(Bundle {
        name: bundle_name,
        target: target_name,
        mode,
        variables,
        workspace,
        pipelines,
        resolved,
        warnings: Diagnostics::new(),
    })
}

/// `workspace.*` references the bundle offers.
const WORKSPACE_REFERENCES: &[&str] = &[
    "host",
    "current_user.short_name",
    "current_user.userName",
    "root_path",
    "file_path",
    "artifact_path",
    "state_path",
    "resource_path",
];

fn reference_values(
    tree: &Node,
    bundle_name: &str,
    target: &str,
    options: &BundleOptions,
) -> BTreeMap<String, Node> {
    let file: std::sync::Arc<str> = BUNDLE_FILE.into();
    let fixed = |text: String| Node::string(text, file.clone(), Pos { line: 1, column: 1 });
    let user_name = format!("{}@workbook.local", options.user);
    let workspace = tree.get("workspace");
    let configured = |key: &str| {
        workspace
            .and_then(|w| w.get(key))
            .filter(|n| !n.is_null())
            .cloned()
    };
    let home = format!("/Workspace/Users/{user_name}");
    let expand_home = |node: Node| match node.as_str() {
        Some(text) if text.starts_with('~') => Node {
            value: Value::Scalar {
                text: text.replacen('~', &home, 1),
                quoted: true,
            },
            ..node
        },
        _ => node,
    };
    let mut values = BTreeMap::new();
    values.insert("bundle.name".into(), fixed(bundle_name.to_string()));
    values.insert("bundle.target".into(), fixed(target.to_string()));
    values.insert("bundle.environment".into(), fixed(target.to_string()));
    values.insert(
        "workspace.current_user.short_name".into(),
        fixed(options.user.clone()),
    );
    values.insert(
        "workspace.current_user.userName".into(),
        fixed(user_name.clone()),
    );
    values.insert(
        "workspace.host".into(),
        configured("host").unwrap_or_else(|| fixed("https://workbook.local".into())),
    );
    let root_path = configured("root_path")
        .unwrap_or_else(|| fixed("~/.bundle/${bundle.name}/${bundle.target}".into()));
    values.insert("workspace.root_path".into(), expand_home(root_path));
    for (key, leaf) in [
        ("file_path", "files"),
        ("artifact_path", "artifacts"),
        ("state_path", "state"),
        ("resource_path", "resources"),
    ] {
        let node =
            configured(key).unwrap_or_else(|| fixed(format!("${{workspace.root_path}}/{leaf}")));
        values.insert(format!("workspace.{key}"), expand_home(node));
    }
    values
}

fn select_target(
    root: &Node,
    options: &BundleOptions,
    out: &mut Diagnostics,
) -> Option<(String, Option<Node>)> {
    let targets = root.get("targets").and_then(Node::as_map).unwrap_or(&[]);
    let names: Vec<&str> = targets.iter().map(|(k, _)| k.name.as_str()).collect();
    if let Some(wanted) = &options.target {
        return match targets.iter().find(|(k, _)| &k.name == wanted) {
            Some((_, node)) => Some((wanted.clone(), Some(node.clone()))),
            None => {
                let at = root.key("targets").map(Key::location);
                let close = suggest::quoted(suggest::closest(wanted, names.iter().copied()));
                let listed = if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                };
                out.push(
                    Diagnostic::error(at, format!("unknown target `{wanted}` (defined: {listed})"))
                        .with_suggestions(close),
                );
                None
            }
        };
    }
    let defaults: Vec<&(Key, Node)> = targets
        .iter()
        .filter(|(_, t)| t.get("default").and_then(Node::as_bool) == Some(true))
        .collect();
    match defaults.as_slice() {
        [(key, node)] => Some((key.name.clone(), Some(node.clone()))),
        [] if targets.len() == 1 => Some((targets[0].0.name.clone(), Some(targets[0].1.clone()))),
        [] if targets.is_empty() => Some(("default".to_string(), None)),
        [] => {
            let at = root.key("targets").map(Key::location);
            out.error(
                at,
                format!(
                    "no target is marked `default: true`; pass --target (one of {})",
                    names.join(", ")
                ),
            );
            None
        }
        [_, second, ..] => {
            out.error(
                Some(second.0.location()),
                "more than one target is marked `default: true`",
            );
            None
        }
    }
}

fn target_mode(target: &Node, out: &mut Diagnostics) -> Option<Mode> {
    let node = target.get("mode")?;
    match node.as_str() {
        Some("development") => Some(Mode::Development),
        Some("production") => Some(Mode::Production),
        other => {
            let close = suggest::closest(other.unwrap_or(""), ["development", "production"]);
            out.push(
                Diagnostic::error(
                    Some(node.location()),
                    format!("unknown mode `{}`", other.unwrap_or("")),
                )
                .with_suggestions(suggest::quoted(close)),
            );
            None
        }
    }
}

/// Each declared variable's raw value: `--var` over the target's value over the default.
fn variable_values(
    tree: &Node,
    target: Option<&Node>,
    target_name: &str,
    options: &BundleOptions,
    out: &mut Diagnostics,
) -> BTreeMap<String, Node> {
    let declared = tree.get("variables").and_then(Node::as_map).unwrap_or(&[]);
    let declared_names: Vec<&str> = declared.iter().map(|(k, _)| k.name.as_str()).collect();
    let mut values = BTreeMap::new();
    for (key, decl) in declared {
        if let Some(default) = decl.get("default").filter(|d| !d.is_null()) {
            values.insert(key.name.clone(), default.clone());
        } else if decl.as_str().is_some() {
            // Shorthand `name: value` (value as the default).
            values.insert(key.name.clone(), decl.clone());
        }
    }
    for (key, value) in target
        .and_then(|t| t.get("variables"))
        .and_then(Node::as_map)
        .unwrap_or(&[])
    {
        if !declared_names.contains(&key.name.as_str()) {
            let close =
                suggest::quoted(suggest::closest(&key.name, declared_names.iter().copied()));
            out.push(
                Diagnostic::error(
                    Some(key.location()),
                    format!("target `{target_name}` sets variable `{}`, which is not declared under `variables:`", key.name),
                )
                .with_suggestions(close),
            );
            continue;
        }
        let value = value
            .get("default")
            .filter(|_| value.as_map().is_some())
            .unwrap_or(value);
        values.insert(key.name.clone(), value.clone());
    }
    for (name, value) in &options.vars {
        if !declared_names.contains(&name.as_str()) {
            let close = suggest::quoted(suggest::closest(name, declared_names.iter().copied()));
            out.push(
                Diagnostic::error(
                    None,
                    format!(
                        "`--var {name}=…` sets a variable that is not declared under `variables:`"
                    ),
                )
                .with_suggestions(close),
            );
            continue;
        }
        let file = values
            .get(name)
            .map_or_else(|| BUNDLE_FILE.into(), |n| n.file.clone());
        values.insert(
            name.clone(),
            Node::string(value.clone(), file, Pos { line: 1, column: 1 }),
        );
    }
    for (key, _) in declared {
        if !values.contains_key(&key.name) {
            out.push(
                Diagnostic::error(
                    Some(key.location()),
                    format!("variable `{}` has no value", key.name),
                )
                .with_suggestions([
                    format!("`--var {}=<value>`", key.name),
                    "a `default:`".to_string(),
                    format!("a value under `targets.{target_name}.variables`"),
                ]),
            );
        }
    }
    values
}

fn display_tree(
    name: &str,
    target: &str,
    mode: Option<Mode>,
    variables: &BTreeMap<String, String>,
    workspace: &BTreeMap<String, String>,
    resources: Option<Node>,
) -> Node {
    let file: std::sync::Arc<str> = BUNDLE_FILE.into();
    let pos = Pos { line: 1, column: 1 };
    let key = |name: &str| Key {
        name: name.to_string(),
        file: file.clone(),
        pos,
    };
    let text = |t: &str| Node::string(t, file.clone(), pos);
    let map = |entries: Vec<(Key, Node)>| Node {
        file: file.clone(),
        pos,
        value: Value::Map(entries),
    };
    let mut bundle = vec![(key("name"), text(name)), (key("target"), text(target))];
    if let Some(mode) = mode {
        bundle.push((key("mode"), text(mode.as_str())));
    }
    let vars = variables.iter().map(|(k, v)| (key(k), text(v))).collect();
    let ws = workspace.iter().map(|(k, v)| (key(k), text(v))).collect();
    let mut top = vec![
        (key("bundle"), map(bundle)),
        (key("variables"), map(vars)),
        (key("workspace"), map(ws)),
    ];
    if let Some(resources) = resources {
        top.push((key("resources"), resources));
    }
    map(top)
}

/// A YAML rendering of a node (for `iotwb validate` and complex variable values).
pub fn render(node: &Node) -> String {
    let mut out = String::new();
    render_into(node, 0, &mut out);
    out
}

fn render_into(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match &node.value {
        Value::Scalar { text, .. } => {
            out.push_str(&scalar_text(text));
            out.push('\n');
        }
        Value::Seq(items) if items.is_empty() => out.push_str("[]\n"),
        Value::Map(entries) if entries.is_empty() => out.push_str("{}\n"),
        Value::Seq(items) => {
            out.push('\n');
            for item in items {
                out.push_str(&format!("{pad}- "));
                match &item.value {
                    Value::Map(entries) if !entries.is_empty() => {
                        let mut inner = String::new();
                        render_into(item, indent + 2, &mut inner);
                        out.push_str(inner.trim_start());
                    }
                    _ => render_into(item, indent + 2, out),
                }
            }
        }
        Value::Map(entries) => {
            if indent > 0 || !out.is_empty() {
                out.push('\n');
            }
            for (key, value) in entries {
                out.push_str(&format!("{pad}{}:", scalar_text(&key.name)));
                if matches!(value.value, Value::Scalar { .. }) {
                    out.push(' ');
                }
                render_into(value, indent + 2, out);
            }
        }
    }
}

fn scalar_text(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with([
            ' ', '-', '[', '{', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '#', '?', ':',
        ])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with([' ', ':'])
        && !text.contains('\n');
    if plain {
        text.to_string()
    } else {
        format!("{text:?}")
    }
}
