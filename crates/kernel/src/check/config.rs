//! Values an assertion reads from the learner's configuration: a path in the resolved
//! bundle, and a dashboard dataset's query.

use pipeline::Project;
use pipeline::bundle::yaml::{Node, Value};

/// The node at `path` (`resources.alerts.a.evaluation.threshold`; a sequence takes an index).
/// Keys may contain dots (`pipelines.useV2DetailsApi`): the longest key that matches wins.
pub(crate) fn lookup<'a>(root: &'a Node, path: &str) -> Result<&'a Node, String> {
    let mut node = root;
    let mut rest = path;
    let mut walked = String::new();
    while !rest.is_empty() {
        let (next, remaining) = match &node.value {
            Value::Map(entries) => {
                let found = entries
                    .iter()
                    .filter(|(k, _)| {
                        rest == k.name
                            || rest
                                .strip_prefix(k.name.as_str())
                                .is_some_and(|r| r.starts_with('.'))
                    })
                    .max_by_key(|(k, _)| k.name.len());
                let Some((key, child)) = found else {
                    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
                    return Err(format!(
                        "`{path}`: `{}` has no `{}` (it has: {})",
                        if walked.is_empty() {
                            "the bundle"
                        } else {
                            &walked
                        },
                        rest.split('.').next().unwrap_or(rest),
                        keys.join(", ")
                    ));
                };
                (child, &rest[key.name.len()..])
            }
            Value::Seq(items) => {
                let part = rest.split('.').next().unwrap_or(rest);
                let index: usize = part.parse().map_err(|_| {
                    format!("`{path}`: `{walked}` is a list; use an index, not `{part}`")
                })?;
                let child = items
                    .get(index)
                    .ok_or_else(|| format!("`{path}`: `{walked}` has {} items", items.len()))?;
                (child, &rest[part.len()..])
            }
            Value::Scalar { .. } => {
                return Err(format!("`{path}`: `{walked}` is a value, not a section"));
            }
        };
        walked = path[..path.len() - remaining.len()].to_string();
        node = next;
        rest = remaining.strip_prefix('.').unwrap_or(remaining);
    }
    Ok(node)
}

/// A node as text: a scalar's text, `null` when absent, a section's keys otherwise.
pub(crate) fn text(node: &Node) -> String {
    match &node.value {
        Value::Scalar { .. } => node.as_str().unwrap_or("null").to_string(),
        Value::Seq(items) => format!("a list of {}", items.len()),
        Value::Map(entries) => {
            let keys: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
            format!("a section with {}", keys.join(", "))
        }
    }
}

/// The query of the dashboard dataset named `display_name`, from the `.lvdash.json` file a
/// dashboard resource points at.
pub(crate) fn dataset_query(
    project: &Project,
    resolved: &Node,
    display_name: &str,
) -> Result<(String, String), String> {
    let dashboards = resolved
        .get("resources")
        .and_then(|r| r.get("dashboards"))
        .and_then(Node::as_map)
        .ok_or("the bundle declares no dashboard (resources.dashboards)")?;
    let mut names = Vec::new();
    for (_, dashboard) in dashboards {
        let Some(file_path) = dashboard.get("file_path").and_then(Node::as_str) else {
            continue;
        };
        // The path is relative to the resource file; the project holds it under its own path.
        let file_name = file_path.rsplit('/').next().unwrap_or(file_path);
        let Some((path, text)) = project
            .files()
            .find(|(p, _)| p.rsplit('/').next() == Some(file_name))
        else {
            return Err(format!(
                "the dashboard's file `{file_path}` is not in the project"
            ));
        };
        let json: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| format!("{path}:{}:{}: {e}", e.line(), e.column()))?;
        for dataset in json["datasets"].as_array().into_iter().flatten() {
            let name = dataset["displayName"].as_str().unwrap_or_default();
            if name == display_name {
                let lines: Vec<&str> = dataset["queryLines"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|l| l.as_str())
                    .collect();
                return Ok((path.to_string(), lines.concat()));
            }
            names.push(name.to_string());
        }
    }
    Err(format!(
        "the dashboard has no dataset “{display_name}” (it has: {})",
        names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_lookup_walks_maps_lists_and_dotted_keys() {
        let root = pipeline::bundle::yaml::parse(
            "b.yml",
            "a:\n  pipelines.useV2: \"true\"\n  list:\n    - x: 1\n",
        )
        .unwrap();
        assert_eq!(text(lookup(&root, "a.pipelines.useV2").unwrap()), "true");
        assert_eq!(text(lookup(&root, "a.list.0.x").unwrap()), "1");
        assert!(
            lookup(&root, "a.nope")
                .unwrap_err()
                .contains("has: pipelines.useV2, list")
        );
        assert!(lookup(&root, "a.list.x").unwrap_err().contains("index"));
    }
}
