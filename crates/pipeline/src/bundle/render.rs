//! The resolved configuration as YAML text (`iotwb validate` prints it).

use std::collections::BTreeMap;

use super::Mode;
use super::yaml::{Key, Node, Pos, Value};
use crate::project::BUNDLE_FILE;

pub(super) fn display_tree(
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
