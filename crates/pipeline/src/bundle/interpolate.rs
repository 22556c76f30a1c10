//! `${...}` references in bundle values: `${var.x}`, `${bundle.name}`, `${bundle.target}`,
//! `${workspace.current_user.short_name}`, `${workspace.file_path}`, `${resources.pipelines.p.name}`.
//!
//! References resolve lazily and recursively (a variable's default may use another variable);
//! a cycle is an error naming the whole chain, an unknown reference lists the closest known ones.

use std::collections::{BTreeMap, HashMap};

use super::yaml::{Node, Value};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::suggest;

/// How deep references may nest (`${var.a}` whose value uses `${var.b}`, …): resolving recurses
/// once per level on the page's 1 MiB stack; a bundle nests two or three.
pub const MAX_REFERENCE_DEPTH: usize = 32;

/// The longest value interpolation may build: a variable whose value repeats another twice, 30
/// levels deep, would be a gigabyte. A bundle's values are names and paths.
pub const MAX_INTERPOLATED_BYTES: usize = 64 * 1024;

/// Resolves references against a table of raw (not yet interpolated) values.
pub struct Resolver<'a> {
    /// Reference path (`var.schema`, `bundle.name`, …) → its raw value.
    values: BTreeMap<String, Node>,
    /// The un-interpolated `resources` tree, for `${resources.<kind>.<key>.<field>}`.
    resources: Option<&'a Node>,
    memo: HashMap<String, Option<Node>>,
    stack: Vec<String>,
    /// Problems found while resolving.
    pub diagnostics: Diagnostics,
}

impl<'a> Resolver<'a> {
    /// A resolver over `values` (reference path → raw value) and the resources tree.
    pub fn new(values: BTreeMap<String, Node>, resources: Option<&'a Node>) -> Self {
        Resolver {
            values,
            resources,
            memo: HashMap::new(),
            stack: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    /// `node` with every reference in its scalars replaced (recursively through mappings and
    /// sequences). Unresolvable references are reported and left as written.
    pub fn interpolate(&mut self, node: &Node) -> Node {
        let value = match &node.value {
            Value::Scalar { text, quoted } => match self.interpolate_text(text, *quoted, node) {
                Some(value) => value,
                None => node.value.clone(),
            },
            Value::Seq(items) => Value::Seq(items.iter().map(|i| self.interpolate(i)).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.interpolate(v)))
                    .collect(),
            ),
        };
        Node {
            file: node.file.clone(),
            pos: node.pos,
            value,
        }
    }

    /// The interpolated value of one reference path (e.g. `var.schema`), if it resolves.
    pub fn resolve(&mut self, path: &str, at: &Location) -> Option<Node> {
        if let Some(done) = self.memo.get(path) {
            return done.clone();
        }
        if let Some(start) = self.stack.iter().position(|p| p == path) {
            let mut chain: Vec<String> = self.stack[start..]
                .iter()
                .map(|p| format!("${{{p}}}"))
                .collect();
            chain.push(format!("${{{path}}}"));
            self.diagnostics.error(
                Some(at.clone()),
                format!("reference cycle: {}", chain.join(" → ")),
            );
            return None;
        }
        if self.stack.len() >= MAX_REFERENCE_DEPTH {
            self.diagnostics.error(
                Some(at.clone()),
                format!(
                    "references nest more than {MAX_REFERENCE_DEPTH} deep here (`${{{path}}}` inside `${{{}}}` inside …, MAX_REFERENCE_DEPTH)",
                    self.stack.last().map_or("", String::as_str)
                ),
            );
            return None;
        }
        let raw = match self.lookup(path) {
            Some(raw) => raw,
            None => {
                self.unknown(path, at);
                self.memo.insert(path.to_string(), None);
                return None;
            }
        };
        self.stack.push(path.to_string());
        let before = self.diagnostics.len();
        let resolved = self.interpolate(&raw);
        self.stack.pop();
        let result = (self.diagnostics.len() == before).then_some(resolved);
        self.memo.insert(path.to_string(), result.clone());
        result
    }

    fn lookup(&self, path: &str) -> Option<Node> {
        if let Some(node) = self.values.get(path) {
            return Some(node.clone());
        }
        let rest = path.strip_prefix("resources.")?;
        let mut node = self.resources?;
        let parts: Vec<&str> = rest.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            match node.get(part) {
                Some(next) => node = next,
                // A deployed resource's id is only known after deployment: stand in a stable one.
                None if i == 2 && *part == "id" => {
                    let id = format!("local-{}-{}", parts[0], parts[1]);
                    return Some(Node::string(id, node.file.clone(), node.pos));
                }
                None => return None,
            }
        }
        Some(node.clone())
    }

    fn unknown(&mut self, path: &str, at: &Location) {
        let known: Vec<&str> = self.values.keys().map(String::as_str).collect();
        let mut suggestions = suggest::quoted(
            suggest::closest(path, known.iter().copied())
                .into_iter()
                .map(|s| format!("${{{s}}}"))
                .collect(),
        );
        suggestions.iter_mut().for_each(|s| *s = s.replace('`', ""));
        let message = if let Some(name) = path.strip_prefix("var.") {
            format!("unknown variable `{name}` in `${{{path}}}`; declare it under `variables:`")
        } else {
            format!("unknown reference `${{{path}}}`")
        };
        let suggestions = suggestions.into_iter().map(|s| format!("`{s}`"));
        self.diagnostics
            .push(Diagnostic::error(Some(at.clone()), message).with_suggestions(suggestions));
    }

    /// Interpolate one scalar. Returns `None` when it holds no reference.
    fn interpolate_text(&mut self, text: &str, quoted: bool, node: &Node) -> Option<Value> {
        if !text.contains("${") {
            return None;
        }
        let mut out = String::new();
        let mut rest = text;
        let mut offset = 0usize;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            let path = rest[start + 2..start + len].trim();
            let column = node.pos.column
                + u32::from(quoted)
                + (offset + rest[..start].chars().count()) as u32;
            let at = Location::new(&*node.file, node.pos.line, column);
            out.push_str(&rest[..start]);
            let whole = start == 0 && len + 1 == rest.len() && offset == 0;
            match self.resolve(path, &at) {
                Some(resolved) if whole && !matches!(resolved.value, Value::Scalar { .. }) => {
                    return Some(resolved.value);
                }
                Some(resolved) => match &resolved.value {
                    Value::Scalar { text, .. } => out.push_str(text),
                    _ => self.diagnostics.error(
                        Some(at.clone()),
                        format!("`${{{path}}}` is a complex value and cannot be part of a string"),
                    ),
                },
                None => out.push_str(&rest[start..start + len + 1]),
            }
            if out.len() > MAX_INTERPOLATED_BYTES {
                self.diagnostics.error(
                    Some(at),
                    format!(
                        "`${{{path}}}` makes this value longer than {MAX_INTERPOLATED_BYTES} bytes (MAX_INTERPOLATED_BYTES): references that repeat references grow exponentially"
                    ),
                );
                return None;
            }
            offset += rest[..start + len + 1].chars().count();
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        Some(Value::Scalar { text: out, quoted })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::yaml::{self, Pos};

    fn value(text: &str) -> Node {
        Node::string(text, "v.yml".into(), Pos { line: 1, column: 1 })
    }

    fn resolver(pairs: &[(&str, &str)]) -> Resolver<'static> {
        Resolver::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), value(v)))
                .collect(),
            None,
        )
    }

    #[test]
    fn test_nested_references_resolve() {
        let mut r = resolver(&[
            ("var.schema", "${workspace.current_user.short_name}_iot"),
            ("workspace.current_user.short_name", "jane"),
        ]);
        let out = r.interpolate(&value("/Volumes/${var.schema}/x"));
        assert_eq!(out.as_str(), Some("/Volumes/jane_iot/x"));
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn test_cycle_is_reported_with_chain() {
        let mut r = resolver(&[("var.a", "${var.b}"), ("var.b", "x${var.a}")]);
        r.interpolate(&value("${var.a}"));
        let message = &r.diagnostics.0[0].message;
        assert_eq!(message, "reference cycle: ${var.a} → ${var.b} → ${var.a}");
    }

    #[test]
    fn test_unknown_variable_suggests_closest() {
        let mut r = resolver(&[("var.catalog", "main")]);
        r.interpolate(&value("${var.catalgo}"));
        let d = &r.diagnostics.0[0];
        assert!(d.message.contains("unknown variable `catalgo`"));
        assert_eq!(d.suggestions, ["`${var.catalog}`"]);
    }

    #[test]
    fn test_resource_field_and_id() {
        let doc = yaml::parse("r.yml", "pipelines:\n  p:\n    name: demo\n").unwrap();
        let mut r = Resolver::new(BTreeMap::new(), Some(&doc));
        let name = r.interpolate(&value(
            "${resources.pipelines.p.name}/${resources.pipelines.p.id}",
        ));
        assert_eq!(name.as_str(), Some("demo/local-pipelines-p"));
    }

    #[test]
    fn test_error_column_points_at_reference() {
        let mut r = resolver(&[]);
        let node = Node::string(
            "ab ${var.x}",
            "f.yml".into(),
            Pos {
                line: 4,
                column: 10,
            },
        );
        r.interpolate(&node);
        assert_eq!(
            r.diagnostics.0[0].location,
            Some(Location::new("f.yml", 4, 14))
        );
    }
}
