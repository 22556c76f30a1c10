//! Merging bundle trees: included files into the root, and a target's overrides on top.
//!
//! Follows the Databricks CLI: mappings merge key by key, sequences concatenate, and a
//! pipeline's `clusters` merge by `label` (so a target can resize the `default` cluster).

use super::yaml::{Key, Node, Value};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// Sections whose entries must be unique across files (a second definition is an error).
const UNIQUE_SECTIONS: &[&str] = &["variables"];

/// Merge an included file's top level into the root tree. Variables and resources defined twice
/// are errors naming both places.
pub fn merge_included(root: &mut Node, included: &Node, out: &mut Diagnostics) {
    let Some(entries) = included.as_map() else {
        return;
    };
    for (key, value) in entries {
        if UNIQUE_SECTIONS.contains(&key.name.as_str()) {
            merge_unique(root, key, value, out);
        } else if key.name == "resources" {
            merge_resources(root, key, value, out);
        } else {
            let slot = entry_mut(root, key);
            merge(slot, value, &key.name);
        }
    }
}

fn merge_unique(root: &mut Node, key: &Key, value: &Node, out: &mut Diagnostics) {
    let Some(items) = value.as_map() else { return };
    let section = entry_mut(root, key);
    for (item_key, item) in items {
        if let Some(first) = section.key(&item_key.name) {
            out.push(duplicate(&key.name, item_key, first));
        } else {
            push_entry(section, item_key.clone(), item.clone());
        }
    }
}

fn merge_resources(root: &mut Node, key: &Key, value: &Node, out: &mut Diagnostics) {
    let Some(kinds) = value.as_map() else { return };
    let resources = entry_mut(root, key);
    for (kind_key, kind) in kinds {
        let Some(items) = kind.as_map() else { continue };
        let section = entry_mut(resources, kind_key);
        for (item_key, item) in items {
            if let Some(first) = section.key(&item_key.name) {
                let what = format!("resources.{}", kind_key.name);
                out.push(duplicate(&what, item_key, first));
            } else {
                push_entry(section, item_key.clone(), item.clone());
            }
        }
    }
}

fn duplicate(section: &str, second: &Key, first: &Key) -> Diagnostic {
    Diagnostic::error(
        Some(second.location()),
        format!(
            "`{section}.{}` is defined twice (first at {}); keep one definition",
            second.name,
            first.location()
        ),
    )
}

/// The value under `key` in mapping `node`, created as an empty mapping when absent (or when
/// `node` was null).
pub fn entry_mut<'n>(node: &'n mut Node, key: &Key) -> &'n mut Node {
    if !matches!(node.value, Value::Map(_)) {
        node.value = Value::Map(Vec::new());
    }
    let Value::Map(entries) = &mut node.value else {
        unreachable!("just made a mapping")
    };
    let index = match entries.iter().position(|(k, _)| k.name == key.name) {
        Some(i) => i,
        None => {
            let empty = Node::empty_map(key.file.clone(), key.pos);
            entries.push((key.clone(), empty));
            entries.len() - 1
        }
    };
    &mut entries[index].1
}

fn push_entry(node: &mut Node, key: Key, value: Node) {
    if let Value::Map(entries) = &mut node.value {
        entries.push((key, value));
    }
}

/// Deep-merge `over` into `base`: mappings key by key, sequences concatenated (`clusters` by
/// `label`), scalars replaced. A null override leaves `base` as it is.
pub fn merge(base: &mut Node, over: &Node, key_name: &str) {
    if over.is_null() {
        return;
    }
    match (&mut base.value, &over.value) {
        (Value::Map(_), Value::Map(over_entries)) => {
            for (key, value) in over_entries {
                let slot_exists = base.key(&key.name).is_some();
                if slot_exists {
                    let slot = entry_mut(base, key);
                    merge(slot, value, &key.name);
                } else {
                    push_entry(base, key.clone(), value.clone());
                }
            }
        }
        (Value::Seq(items), Value::Seq(over_items)) if key_name == "clusters" => {
            for cluster in over_items {
                let label = cluster_label(cluster);
                match items.iter_mut().find(|c| cluster_label(c) == label) {
                    Some(existing) => merge(existing, cluster, "cluster"),
                    None => items.push(cluster.clone()),
                }
            }
        }
        (Value::Seq(items), Value::Seq(over_items)) => items.extend(over_items.iter().cloned()),
        _ => *base = over.clone(),
    }
}

fn cluster_label(cluster: &Node) -> String {
    cluster
        .get("label")
        .and_then(Node::as_str)
        .unwrap_or("default")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::yaml;

    fn doc(text: &str) -> Node {
        yaml::parse("t.yml", text).unwrap()
    }

    #[test]
    fn test_maps_merge_and_scalars_override() {
        let mut base = doc("a:\n  x: 1\n  y: 2\n");
        merge(&mut base, &doc("a:\n  y: 3\n  z: 4\n"), "");
        let a = base.get("a").unwrap();
        let values: Vec<_> = ["x", "y", "z"]
            .iter()
            .map(|k| a.get(k).unwrap().as_i64())
            .collect();
        assert_eq!(values, [Some(1), Some(3), Some(4)]);
    }

    #[test]
    fn test_clusters_merge_by_label() {
        let mut base = doc("clusters:\n  - label: default\n    num_workers: 1\n");
        merge(
            &mut base,
            &doc("clusters:\n  - label: default\n    num_workers: 5\n"),
            "",
        );
        let clusters = base.get("clusters").unwrap().as_seq().unwrap();
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].get("num_workers").unwrap().as_i64(), Some(5));
    }

    #[test]
    fn test_other_sequences_concatenate() {
        let mut base = doc("libraries:\n  - file: a\n");
        merge(&mut base, &doc("libraries:\n  - file: b\n"), "");
        assert_eq!(base.get("libraries").unwrap().as_seq().unwrap().len(), 2);
    }

    #[test]
    fn test_duplicate_resource_across_files_is_an_error() {
        let mut root = doc("resources:\n  pipelines:\n    p:\n      name: a\n");
        let mut out = Diagnostics::new();
        merge_included(
            &mut root,
            &doc("resources:\n  pipelines:\n    p:\n      name: b\n"),
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert!(
            out.0[0]
                .message
                .contains("`resources.pipelines.p` is defined twice")
        );
    }
}
