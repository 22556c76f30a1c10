//! The learner's project, the problems found in it and the pipeline graph.

use serde::{Deserialize, Serialize};

/// Which variant of the course project the workspace started from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// The course's own sources, in `pyspark.pipelines` Python.
    #[default]
    Python,
    /// The same pipeline in SDP SQL.
    Sql,
}

impl Variant {
    /// `python` or `sql`.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Python => "python",
            Variant::Sql => "sql",
        }
    }
}

/// The learner's files: paths relative to the project root (`databricks.yml`,
/// `src/silver/inspection_silver.py`) and their text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProjectFiles {
    /// `(path, text)`, sorted by path.
    pub files: Vec<(String, String)>,
}

/// How serious a problem is: errors stop a run, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Must be fixed before the pipeline runs.
    Error,
    /// Worth a look; the pipeline still runs.
    Warning,
}

/// Where a problem is: a file of the project (or, for a SQL console query, no file) and a
/// 1-based line and column in characters, as the editor shows them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    /// Project-relative path; `None` for the SQL console's query.
    pub file: Option<String>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Where the offending text ends (exclusive), when known: `(line, column)`.
    pub end: Option<(u32, u32)>,
}

/// One problem, stated as a sentence with its place and the nearby valid names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// Where; `None` for problems of the whole project or the engine.
    pub place: Option<Place>,
    /// What is wrong, naming the offending text.
    pub message: String,
    /// Closest valid names or a concrete fix, best first.
    pub suggestions: Vec<String>,
}

impl Problem {
    /// An error with no place.
    pub fn error(message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            place: None,
            message: message.into(),
            suggestions: Vec::new(),
        }
    }

    /// `file:line:col: message (did you mean …)`, for logs and screen readers.
    pub fn sentence(&self) -> String {
        let mut out = String::new();
        if let Some(place) = &self.place {
            if let Some(file) = &place.file {
                out.push_str(file);
                out.push(':');
            } else {
                out.push_str("line ");
            }
            out.push_str(&format!("{}:{}: ", place.line, place.column));
        }
        out.push_str(&self.message);
        // Spark's own messages already end with their suggestions ("Did you mean one of the
        // following? [...]"); saying them twice reads like a stutter.
        let already_suggested = self.message.contains("Did you mean");
        if !self.suggestions.is_empty() && !already_suggested {
            out.push_str(&format!(" (did you mean {}?)", self.suggestions.join(", ")));
        }
        out
    }
}

/// What validation found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// Every problem, sorted by file, line and column.
    pub problems: Vec<Problem>,
    /// The bundle's targets, in file order (empty when the bundle did not resolve).
    pub targets: Vec<String>,
    /// The target validated.
    pub target: Option<String>,
    /// The pipeline's graph (empty when its sources did not load).
    pub graph: Graph,
}

/// The pipeline as a graph: landing folders and datasets, edges from each input to its reader.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Graph {
    /// The pipeline's display name.
    pub pipeline: String,
    /// Catalog and schema its tables are published to (`default.iot_anomaly_detection`).
    pub schema: String,
    /// Nodes in the order the pipeline declares them (landing folders first).
    pub nodes: Vec<GraphNode>,
    /// Edges between nodes, by name.
    pub edges: Vec<GraphEdge>,
}

/// A node of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphNode {
    /// Short name (`sensor_bronze`) or, for a landing folder, its `/Volumes/...` path.
    pub name: String,
    /// What it is.
    pub kind: NodeKind,
    /// Where it is declared.
    pub place: Option<Place>,
    /// Expectations: `(name, action)` with action `warn`, `drop` or `fail`.
    pub expectations: Vec<(String, String)>,
    /// Output columns: `(name, Spark type)`.
    pub columns: Vec<(String, String)>,
}

/// What a graph node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// Files Auto Loader reads.
    Files,
    /// A streaming table.
    StreamingTable,
    /// A materialized view.
    MaterializedView,
    /// A temporary view.
    View,
}

impl NodeKind {
    /// How the Lakeflow editor labels it.
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Files => "Files",
            NodeKind::StreamingTable => "Streaming table",
            NodeKind::MaterializedView => "Materialized view",
            NodeKind::View => "View",
        }
    }
}

/// An edge: `from` is read by `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphEdge {
    /// The input's node name.
    pub from: String,
    /// The reader's node name.
    pub to: String,
    /// Whether it is read as a stream (`STREAM(...)`, `readStream`).
    pub streaming: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(message: &str, suggestions: &[&str]) -> Problem {
        Problem {
            severity: Severity::Error,
            place: Some(Place {
                file: None,
                line: 4,
                column: 10,
                end: None,
            }),
            message: message.to_string(),
            suggestions: suggestions.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn test_sentence_names_the_place_and_suggests_once() {
        let plain = problem("`devise_id` cannot be resolved", &["`device_id`"]);
        assert_eq!(
            plain.sentence(),
            "line 4:10: `devise_id` cannot be resolved (did you mean `device_id`?)"
        );
        let spark = problem(
            "`devise_id` cannot be resolved. Did you mean one of the following? [`device_id`]",
            &["`device_id`"],
        );
        assert_eq!(spark.sentence().matches("device_id").count(), 1);
    }
}
