//! The learner's files as a pipeline project: validation, problems with places, the graph.

use pipeline::engine::DatasetSummary;
use pipeline::pipeline::Pipeline;
use pipeline::sources::decl::DatasetKind;
use pipeline::validate::PipelineValidation;
use pipeline::{BundleOptions, Diagnostic, Location, Project};
use protocol::{
    Graph, GraphEdge, GraphNode, NodeKind, Place, Problem, ProjectFiles, Severity, Validation,
};

use crate::Kernel;

/// The project of the page's files.
pub(crate) fn to_project(files: &ProjectFiles) -> Project {
    Project::from_files(files.files.iter().map(|(p, t)| (p.as_str(), t.clone())))
}

/// Bundle options selecting `target`.
pub(crate) fn options(target: Option<String>) -> BundleOptions {
    BundleOptions {
        target,
        ..BundleOptions::default()
    }
}

pub(crate) fn place(location: &Location) -> Place {
    Place {
        file: Some(location.file.clone()),
        line: location.line,
        column: location.column,
        end: None,
    }
}

/// A pipeline diagnostic as a protocol problem.
pub(crate) fn problem(d: &Diagnostic) -> Problem {
    Problem {
        severity: match d.severity {
            pipeline::Severity::Error => Severity::Error,
            pipeline::Severity::Warning => Severity::Warning,
        },
        place: d.location.as_ref().map(place),
        message: d.message.clone(),
        suggestions: d.suggestions.clone(),
    }
}

pub(crate) fn node_kind(kind: DatasetKind) -> NodeKind {
    match kind {
        DatasetKind::StreamingTable => NodeKind::StreamingTable,
        DatasetKind::MaterializedView => NodeKind::MaterializedView,
        DatasetKind::View => NodeKind::View,
    }
}

/// The bundle's targets in file order, read from `databricks.yml` (empty when it does not
/// parse).
pub(crate) fn targets(project: &Project) -> Vec<String> {
    let Some(text) = project.get(pipeline::project::BUNDLE_FILE) else {
        return Vec::new();
    };
    let Ok(root) = pipeline::bundle::yaml::parse(pipeline::project::BUNDLE_FILE, text) else {
        return Vec::new();
    };
    root.get("targets")
        .or_else(|| root.get("environments"))
        .and_then(|t| t.as_map())
        .map(|m| m.iter().map(|(k, _)| k.name.clone()).collect())
        .unwrap_or_default()
}

/// Validate the project for `target` against the kernel's state.
pub(crate) fn validate(
    kernel: &mut Kernel,
    files: &ProjectFiles,
    target: Option<String>,
) -> Validation {
    let project = to_project(files);
    let found = pipeline::validate_project(&project, &options(target), &kernel.state);
    let graph = found.pipelines.first().map(graph).unwrap_or_default();
    if let Some(first) = found.pipelines.first() {
        let settings = &first.pipeline.settings;
        kernel.current_schema = Some((settings.catalog.clone(), settings.schema.clone()));
    }
    Validation {
        problems: found.diagnostics.0.iter().map(problem).collect(),
        targets: targets(&project),
        target: found.bundle.map(|b| b.target),
        graph,
    }
}

/// `STREAM(name)` → `(name, true)`.
fn input(text: &str) -> (String, bool) {
    match text
        .strip_prefix("STREAM(")
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(name) => (name.to_string(), true),
        None => (text.to_string(), false),
    }
}

/// `/Volumes/... (Auto Loader)` → `(path, true)`.
fn folder(text: &str) -> (String, bool) {
    match text.strip_suffix(" (Auto Loader)") {
        Some(path) => (path.to_string(), true),
        None => (text.to_string(), false),
    }
}

fn declared_order(pipeline: &Pipeline, summary: &DatasetSummary) -> usize {
    pipeline
        .datasets
        .iter()
        .position(|d| d.qualified.eq_ignore_ascii_case(&summary.qualified))
        .unwrap_or(usize::MAX)
}

/// The pipeline's graph: landing folders, then datasets in declaration order.
pub(crate) fn graph(found: &PipelineValidation) -> Graph {
    let pipeline = &found.pipeline;
    let settings = &pipeline.settings;
    let mut graph = Graph {
        pipeline: settings.name.clone(),
        schema: format!("{}.{}", settings.catalog, settings.schema),
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    if found.datasets.is_empty() {
        // Planning failed: still show what the sources declare.
        graph.nodes = pipeline
            .datasets
            .iter()
            .map(|d| GraphNode {
                name: d.short_name().to_string(),
                kind: node_kind(d.info.kind),
                place: Some(place(&d.info.location)),
                expectations: d
                    .info
                    .expectations
                    .iter()
                    .map(|e| (e.name.clone(), e.action.as_str().to_string()))
                    .collect(),
                columns: Vec::new(),
            })
            .collect();
        return graph;
    }
    let mut datasets: Vec<&DatasetSummary> = found.datasets.iter().collect();
    datasets.sort_by_key(|s| declared_order(pipeline, s));
    for summary in &datasets {
        for text in &summary.files {
            let (path, streaming) = folder(text);
            if !graph.nodes.iter().any(|n| n.name == path) {
                graph.nodes.push(GraphNode {
                    name: path.clone(),
                    kind: NodeKind::Files,
                    place: None,
                    expectations: Vec::new(),
                    columns: Vec::new(),
                });
            }
            graph.edges.push(GraphEdge {
                from: path,
                to: summary.name.clone(),
                streaming,
            });
        }
    }
    for summary in &datasets {
        graph.nodes.push(GraphNode {
            name: summary.name.clone(),
            kind: node_kind(summary.kind),
            place: Some(place(&summary.location)),
            expectations: summary.expectations.clone(),
            columns: summary
                .schema
                .iter()
                .map(|(n, t)| (n.clone(), t.simple_string()))
                .collect(),
        });
        for text in &summary.inputs {
            let (from, streaming) = input(text);
            graph.edges.push(GraphEdge {
                from,
                to: summary.name.clone(),
                streaming,
            });
        }
    }
    graph
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_targets_in_file_order() {
        let project = pipeline::projects::iot_python();
        assert_eq!(targets(&project), ["dev", "prod"]);
    }

    #[test]
    fn test_input_and_folder_markers() {
        assert_eq!(input("STREAM(a)"), ("a".to_string(), true));
        assert_eq!(input("b"), ("b".to_string(), false));
        assert_eq!(folder("/V/x (Auto Loader)"), ("/V/x".to_string(), true));
    }
}
