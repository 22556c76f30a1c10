//! The part of a Lakeview dashboard file (`.lvdash.json`) the workbook reads: datasets, one
//! page's widgets with their queries, encodings and grid positions.
//!
//! Unknown keys are ignored (Lakeview files carry many the workbook does not draw); a file that
//! is not JSON, or whose known keys have the wrong shape, is an error at its line and column.

use serde::Deserialize;
use serde_json::Value;

/// A dashboard file.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Dashboard {
    #[serde(default)]
    pub datasets: Vec<Dataset>,
    #[serde(default)]
    pub pages: Vec<Page>,
}

/// A named query.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Dataset {
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// The query, in pieces Lakeview concatenates as they are.
    #[serde(default)]
    pub query_lines: Vec<String>,
    /// Older files keep the query in one string.
    #[serde(default)]
    pub query: Option<String>,
}

impl Dataset {
    /// The query text.
    pub fn sql(&self) -> String {
        match &self.query {
            Some(q) if self.query_lines.is_empty() => q.clone(),
            _ => self.query_lines.concat(),
        }
    }

    /// The name a learner sees.
    pub fn label(&self) -> String {
        self.display_name
            .clone()
            .unwrap_or_else(|| self.name.clone())
    }
}

/// One page of widgets.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Page {
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub layout: Vec<Placed>,
}

/// A widget at its place.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Placed {
    pub widget: Widget,
    pub position: Position,
}

/// Grid place.
#[derive(Debug, Clone, Copy, Deserialize)]
pub(crate) struct Position {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// A widget: its queries and its spec.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Widget {
    pub name: String,
    #[serde(default)]
    pub queries: Vec<NamedQuery>,
    #[serde(default)]
    pub spec: Option<Spec>,
}

/// One of a widget's queries over a dataset.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct NamedQuery {
    pub name: String,
    pub query: WidgetQuery,
}

/// Fields computed over a dataset's rows.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WidgetQuery {
    pub dataset_name: String,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub disaggregated: bool,
}

/// `name` = `expression` (a Spark SQL expression over the dataset's columns).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Field {
    pub name: String,
    pub expression: String,
}

/// How the widget draws its query's fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Spec {
    pub widget_type: String,
    #[serde(default)]
    pub encodings: Value,
    #[serde(default)]
    pub frame: Option<Frame>,
}

/// Title settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Frame {
    #[serde(default)]
    pub show_title: bool,
    #[serde(default)]
    pub title: Option<String>,
}

/// The file parsed; the error names its line and column.
pub(crate) fn parse(text: &str) -> Result<Dashboard, (String, u32, u32)> {
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; the place is reported apart.
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m)
            .to_string();
        // serde_json says column 0 for an empty text; places are 1-based.
        (message, e.line().max(1) as u32, e.column().max(1) as u32)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_course_dashboard() {
        let text = include_str!(
            "../../../pipeline/projects/iot_python/config/iot_anomaly_detection.lvdash.json"
        );
        let d = parse(text).unwrap();
        assert_eq!(d.datasets.len(), 7);
        assert_eq!(d.pages.len(), 1);
        assert_eq!(d.pages[0].layout.len(), 8);
        let weekly = d.pages[0]
            .layout
            .iter()
            .find(|p| p.widget.name == "weekly_inspections")
            .unwrap();
        assert_eq!(
            (weekly.position.x, weekly.position.y, weekly.position.width),
            (1, 0, 3)
        );
        assert!(d.datasets[0].sql().starts_with("SELECT factory_id"));
    }

    #[test]
    fn a_wrong_shape_is_reported_at_its_place() {
        let (message, line, column) =
            parse("{\n  \"datasets\": [\n    {\"name\": 7}\n  ]\n}").unwrap_err();
        assert!(message.contains("invalid type"), "{message}");
        assert_eq!((line, column), (3, 14));
    }
}
