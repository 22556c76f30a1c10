//! The bundle's SQL alert, evaluated at a simulated "now": its query runs with
//! `current_timestamp()` = now, and its condition compares the first row's value with the
//! threshold.

use pipeline::bundle::Bundle;
use pipeline::bundle::yaml::Node;
use protocol::{AlertState, AlertView, Problem};

use crate::Kernel;
use crate::rows::cells;
use crate::sources::run_sql;

/// Operators of a Databricks SQL alert's condition.
const OPERATORS: &[&str] = &[
    "GREATER_THAN",
    "GREATER_THAN_OR_EQUAL",
    "LESS_THAN",
    "LESS_THAN_OR_EQUAL",
    "EQUAL",
    "NOT_EQUAL",
    "IS_NULL",
];

fn text(node: &Node, path: &[&str]) -> Option<String> {
    let mut at = node;
    for key in path {
        at = at.get(key)?;
    }
    at.as_str().map(str::to_string)
}

/// Whether `value` meets `operator` `threshold`; `None` when the operator is unknown.
pub(crate) fn holds(value: Option<f64>, operator: &str, threshold: f64) -> Option<bool> {
    if operator == "IS_NULL" {
        return Some(value.is_none());
    }
    let Some(v) = value else {
        return Some(false);
    };
    Some(match operator {
        "GREATER_THAN" => v > threshold,
        "GREATER_THAN_OR_EQUAL" => v >= threshold,
        "LESS_THAN" => v < threshold,
        "LESS_THAN_OR_EQUAL" => v <= threshold,
        "EQUAL" => v == threshold,
        "NOT_EQUAL" => v != threshold,
        _ => return None,
    })
}

/// The first alert of the bundle, evaluated; `None` when the bundle has none.
pub(crate) fn evaluate(
    kernel: &Kernel,
    bundle: &Bundle,
    schema: &(String, String),
    now_ms: f64,
) -> Option<AlertView> {
    let (key, node) = bundle
        .resolved
        .get("resources")?
        .get("alerts")?
        .as_map()?
        .first()?;
    let location = node.location();
    let query = text(node, &["query_text"]).unwrap_or_default();
    let column = text(node, &["evaluation", "source", "name"]).unwrap_or_default();
    let operator = text(node, &["evaluation", "comparison_operator"]).unwrap_or_default();
    let threshold = ["double_value", "string_value", "bool_value"]
        .iter()
        .find_map(|k| text(node, &["evaluation", "threshold", "value", k]))
        .unwrap_or_default();
    let muted = text(node, &["schedule", "pause_status"]).as_deref() == Some("PAUSED");
    let mut view = AlertView {
        name: key.name.clone(),
        display_name: text(node, &["display_name"]).unwrap_or_else(|| key.name.clone()),
        file: location.file.clone(),
        query: query.clone(),
        column: column.clone(),
        operator: operator.clone(),
        threshold: threshold.clone(),
        muted,
        subject: text(node, &["custom_summary"]).unwrap_or_default(),
        body: text(node, &["custom_description"]).unwrap_or_default(),
        now_ms,
        value: None,
        state: AlertState::Error,
        error: None,
        latest_anomaly_ms: latest_anomaly(kernel, schema, now_ms),
    };
    let fail = |mut view: AlertView, message: String| {
        view.error = Some(Problem::error(message));
        Some(view)
    };
    if !OPERATORS.contains(&operator.as_str()) {
        return fail(
            view,
            format!(
                "`{operator}` is not an alert operator ({}), in {}",
                OPERATORS.join(", "),
                location.file
            ),
        );
    }
    let Ok(limit) = threshold.trim().parse::<f64>() else {
        return fail(view, format!("the threshold `{threshold}` is not a number"));
    };
    let result = match run_sql(kernel, &query, Some(schema), now_ms) {
        Ok(result) => result,
        Err(p) => {
            view.error = Some(Problem {
                message: format!("the alert's query failed: {}", p.message),
                ..p
            });
            return Some(view);
        }
    };
    let Some(index) = result
        .schema
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case(&column))
    else {
        let names: Vec<&str> = result.schema.iter().map(|(n, _)| n.as_str()).collect();
        return fail(
            view,
            format!(
                "the query has no column `{column}` (its columns: {})",
                names.join(", ")
            ),
        );
    };
    let Some(row) = cells(&result.batch, &result.schema).into_iter().next() else {
        return fail(view, "the query returned no rows".into());
    };
    view.value = row[index].clone();
    let number = view.value.as_deref().and_then(|v| v.parse::<f64>().ok());
    view.state = match holds(number, &operator, limit) {
        Some(true) => AlertState::Triggered,
        _ => AlertState::Ok,
    };
    Some(view)
}

/// The newest reading of `anomaly_detected` in the schema, ms since the epoch.
fn latest_anomaly(kernel: &Kernel, schema: &(String, String), now_ms: f64) -> Option<f64> {
    let result = run_sql(
        kernel,
        "SELECT unix_millis(max(`timestamp`)) FROM anomaly_detected",
        Some(schema),
        now_ms,
    )
    .ok()?;
    let row = cells(&result.batch, &result.schema).into_iter().next()?;
    row.first()?.as_deref()?.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_compare_as_databricks_does() {
        assert_eq!(holds(Some(1.0), "GREATER_THAN", 0.0), Some(true));
        assert_eq!(holds(Some(0.0), "GREATER_THAN", 0.0), Some(false));
        assert_eq!(holds(Some(0.0), "GREATER_THAN_OR_EQUAL", 0.0), Some(true));
        assert_eq!(holds(None, "GREATER_THAN", 0.0), Some(false));
        assert_eq!(holds(None, "IS_NULL", 0.0), Some(true));
        assert_eq!(holds(Some(2.0), "NOT_EQUAL", 2.0), Some(false));
        assert_eq!(holds(Some(2.0), "BIGGER", 2.0), None);
    }
}
