//! Serving the tables: the project's Lakeview dashboard and SQL alert, computed by the engine
//! from the learner's own files ([`crate::Request::Dashboard`]), and the time-series pictures
//! of module 3 ([`crate::Request::Series`]).

use serde::{Deserialize, Serialize};

use crate::{Cell, ColumnInfo, Problem};

/// The values a learner picked in one filter widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoice {
    /// The filter widget's name in the dashboard file (`filter_device`).
    pub widget: String,
    /// The chosen values, as shown (empty: no filtering).
    pub values: Vec<String>,
}

/// A widget's place on the dashboard's grid (6 columns wide; units of grid cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridPosition {
    /// Column of the left edge, from 0.
    pub x: u32,
    /// Row of the top edge, from 0.
    pub y: u32,
    /// Columns it spans.
    pub width: u32,
    /// Rows it spans.
    pub height: u32,
}

/// How a chart encodes one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldEncoding {
    /// The widget query's column that holds it (`sum(defect_count)`).
    pub field: String,
    /// Its label (`Defect Flagged`).
    pub label: String,
}

/// How an axis is scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Dates and times.
    Temporal,
    /// Numbers.
    Quantitative,
    /// Names.
    Categorical,
}

/// One axis of a chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AxisEncoding {
    /// The fields it shows (several measures: stacked bars).
    pub fields: Vec<FieldEncoding>,
    /// Its scale.
    pub scale: Scale,
    /// Its title.
    pub title: String,
    /// Categories ordered by the other axis's value, largest first (`x-reversed`).
    pub sort_by_value_descending: bool,
}

/// A colour for one value of the colour field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColorMapping {
    /// The value as shown (`None`: NULL).
    pub value: Option<String>,
    /// CSS colour (`#FF3621`).
    pub color: String,
}

/// A chart's colour encoding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColorEncoding {
    /// The field whose values pick the colour.
    pub field: String,
    /// Its label.
    pub label: String,
    /// Explicit colours; other values take the palette in order.
    pub mappings: Vec<ColorMapping>,
}

/// What a widget is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WidgetKind {
    /// A filter on one field of the datasets it is bound to.
    Filter {
        /// Several values may be chosen.
        multiple: bool,
        /// The field (`device_id`).
        field: String,
        /// The values the learner can choose, given the other filters (associative).
        options: Vec<String>,
        /// The values chosen now.
        chosen: Vec<String>,
        /// Display names of the datasets it filters.
        datasets: Vec<String>,
    },
    /// One number.
    Counter {
        /// The field that holds it, and its label.
        value: FieldEncoding,
    },
    /// A bar chart (horizontal when `y` is the categorical axis).
    Bar {
        /// Horizontal axis.
        x: AxisEncoding,
        /// Vertical axis.
        y: AxisEncoding,
        /// Colour by a field, if any.
        color: Option<ColorEncoding>,
    },
    /// A scatter plot.
    Scatter {
        /// Horizontal axis.
        x: AxisEncoding,
        /// Vertical axis.
        y: AxisEncoding,
        /// Colour by a field, if any.
        color: Option<ColorEncoding>,
    },
    /// A widget type the workbook does not draw (its data is still shown).
    Other {
        /// Its `widgetType`.
        widget_type: String,
    },
}

/// One widget with its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidgetView {
    /// Its name in the dashboard file.
    pub name: String,
    /// Its title, when the file shows one.
    pub title: Option<String>,
    /// What it is and how it encodes its fields.
    pub kind: WidgetKind,
    /// Where it sits.
    pub position: GridPosition,
    /// Display name of its dataset (filters: of their first dataset).
    pub dataset: String,
    /// The SQL the engine ran for it (the dataset's query wrapped by the widget's fields and
    /// the active filters), so a learner can see and reuse it.
    pub sql: String,
    /// Its rows (a filter's: its options).
    pub columns: Vec<ColumnInfo>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// Whether an active filter applies to it.
    pub filtered: bool,
    /// Why it has no data, when it failed.
    pub error: Option<Problem>,
}

/// The dashboard, computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    /// Its display name, as the bundle resolves it for the target.
    pub title: String,
    /// The dashboard file it was read from.
    pub file: String,
    /// Its page's name.
    pub page: String,
    /// Grid columns (Lakeview: 6).
    pub columns: u32,
    /// `(catalog, schema)` its datasets read from.
    pub schema: (String, String),
    /// Every widget, in the file's order.
    pub widgets: Vec<WidgetView>,
    /// The alert, evaluated at the simulated `now`.
    pub alert: Option<AlertView>,
    /// Problems reading the files (a widget's own failure is in the widget).
    pub problems: Vec<Problem>,
}

/// What the alert's condition gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AlertState {
    /// The condition does not hold.
    Ok,
    /// The condition holds.
    Triggered,
    /// The query failed or gave no value.
    Error,
}

/// The SQL alert of the bundle, evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertView {
    /// Its resource name (`iot_anomaly_alert`).
    pub name: String,
    /// Its display name for the target.
    pub display_name: String,
    /// The file that defines it.
    pub file: String,
    /// Its query, variables substituted.
    pub query: String,
    /// The column the condition reads.
    pub column: String,
    /// The comparison (`GREATER_THAN`).
    pub operator: String,
    /// The threshold, as written.
    pub threshold: String,
    /// Whether it is muted (no notification; the course ships it paused).
    pub muted: bool,
    /// Notification subject.
    pub subject: String,
    /// Notification body.
    pub body: String,
    /// The simulated time it was evaluated at, ms since the epoch.
    pub now_ms: f64,
    /// The value the query gave (first row), as shown.
    pub value: Option<String>,
    /// The outcome.
    pub state: AlertState,
    /// Why it is in [`AlertState::Error`].
    pub error: Option<Problem>,
    /// The newest `timestamp` of `anomaly_detected`, ms since the epoch: "just after the last
    /// reading" is a second later.
    pub latest_anomaly_ms: Option<f64>,
}
