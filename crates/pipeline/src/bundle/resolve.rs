//! Resolving a bundle for one target: the target's overrides, variables (defaults, target
//! values, `--var`), references between them, and substitution.

use std::collections::BTreeMap;

use super::render::{display_tree, render};
use super::yaml::{Key, Node, Pos, Value};
use super::{Bundle, BundleOptions, Mode, interpolate, merge, settings};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::project::{BUNDLE_FILE, Project};
use crate::suggest;

pub(super) fn resolve(
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
