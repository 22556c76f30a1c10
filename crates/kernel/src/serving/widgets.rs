//! A widget's SQL (its fields over its dataset, filtered and grouped as Lakeview does) and its
//! encodings in the protocol's terms.

use protocol::{
    AxisEncoding, ColorEncoding, ColorMapping, FieldEncoding, FilterChoice, Scale, WidgetKind,
};
use serde_json::Value;

use super::lvdash::{Placed, WidgetQuery};

/// Whether a field expression is a call of an aggregate function (the query engine's own
/// list): such a field is a measure, every other field is a group key (Lakeview's
/// `disaggregated: false`).
fn is_aggregate(expression: &str) -> bool {
    let head = expression.trim_start();
    let name_end = head.find('(').unwrap_or(head.len());
    let name = head[..name_end].trim();
    name_end < head.len() && query::is_aggregate(name)
}

/// A string as a Spark SQL literal.
pub(crate) fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A name as a Spark SQL identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// One active filter on one dataset: `field` must be one of `values`.
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    pub field: String,
    pub values: Vec<String>,
}

/// The filter conditions that apply to `dataset`, leaving out the filter widget `except`.
pub(crate) fn conditions(
    filters: &[&Placed],
    choices: &[FilterChoice],
    dataset: &str,
    except: Option<&str>,
) -> Vec<Condition> {
    let mut out = Vec::new();
    for filter in filters {
        if Some(filter.widget.name.as_str()) == except {
            continue;
        }
        let Some(choice) = choices.iter().find(|c| c.widget == filter.widget.name) else {
            continue;
        };
        if choice.values.is_empty() {
            continue;
        }
        for q in &filter.widget.queries {
            if q.query.dataset_name == dataset
                && let Some(field) = q.query.fields.first()
            {
                out.push(Condition {
                    field: field.name.clone(),
                    values: choice.values.clone(),
                });
            }
        }
    }
    out
}

/// `query`'s fields over the dataset's SQL, with `conditions` applied to the dataset's rows.
pub(crate) fn sql(dataset_sql: &str, query: &WidgetQuery, conditions: &[Condition]) -> String {
    let select: Vec<String> = query
        .fields
        .iter()
        .map(|f| format!("{} AS {}", f.expression, ident(&f.name)))
        .collect();
    let keys: Vec<&str> = query
        .fields
        .iter()
        .filter(|f| query.disaggregated || !is_aggregate(&f.expression))
        .map(|f| f.expression.as_str())
        .collect();
    let measures = query.fields.len() - keys.len();
    let mut text = format!(
        "SELECT {}\nFROM ({}) AS dataset",
        select.join(", "),
        dataset_sql.trim().trim_end_matches(';')
    );
    if !conditions.is_empty() {
        let clauses: Vec<String> = conditions
            .iter()
            .map(|c| {
                let values: Vec<String> = c.values.iter().map(|v| literal(v)).collect();
                format!(
                    "CAST({} AS STRING) IN ({})",
                    ident(&c.field),
                    values.join(", ")
                )
            })
            .collect();
        text.push_str(&format!("\nWHERE {}", clauses.join(" AND ")));
    }
    if !query.disaggregated && !keys.is_empty() {
        if measures > 0 {
            text.push_str(&format!("\nGROUP BY {}", keys.join(", ")));
        } else {
            // Only keys: one row per distinct combination, as Lakeview's grouping gives.
            text = text.replacen("SELECT ", "SELECT DISTINCT ", 1);
        }
    }
    if !keys.is_empty() {
        text.push_str(&format!("\nORDER BY {}", keys.join(", ")));
    }
    text
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

fn field(value: &Value) -> Option<FieldEncoding> {
    let field = text(value, "fieldName")?;
    let label = text(value, "displayName").unwrap_or_else(|| field.clone());
    Some(FieldEncoding { field, label })
}

fn scale(value: &Value) -> Scale {
    match value
        .pointer("/scale/type")
        .and_then(Value::as_str)
        .unwrap_or("")
    {
        "temporal" => Scale::Temporal,
        "quantitative" => Scale::Quantitative,
        _ => Scale::Categorical,
    }
}

fn axis(value: &Value) -> AxisEncoding {
    let fields: Vec<FieldEncoding> = match value.get("fields").and_then(Value::as_array) {
        Some(list) => list.iter().filter_map(field).collect(),
        None => field(value).into_iter().collect(),
    };
    let title = value
        .pointer("/axis/title")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| (fields.len() == 1).then(|| fields[0].label.clone()))
        .unwrap_or_default();
    AxisEncoding {
        scale: scale(value),
        title,
        sort_by_value_descending: value.pointer("/scale/sort/by").and_then(Value::as_str)
            == Some("x-reversed")
            || value.pointer("/scale/sort/by").and_then(Value::as_str) == Some("y-reversed"),
        fields,
    }
}

fn color(value: Option<&Value>) -> Option<ColorEncoding> {
    let value = value?;
    let encoding = field(value)?;
    let mappings = value
        .pointer("/scale/mappings")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|m| {
                    let color = text(m, "color")?;
                    let value = match m.get("value")? {
                        Value::Null => None,
                        Value::String(s) => Some(s.clone()),
                        other => Some(other.to_string()),
                    };
                    Some(ColorMapping { value, color })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(ColorEncoding {
        field: encoding.field,
        label: encoding.label,
        mappings,
    })
}

/// The widget's kind and encodings (a filter's options are filled in by the caller).
pub(crate) fn kind(placed: &Placed) -> WidgetKind {
    let Some(spec) = &placed.widget.spec else {
        return WidgetKind::Other {
            widget_type: "none".into(),
        };
    };
    let enc = &spec.encodings;
    match spec.widget_type.as_str() {
        t @ ("filter-multi-select" | "filter-single-select") => {
            let field = enc
                .pointer("/fields/0/fieldName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            WidgetKind::Filter {
                multiple: t == "filter-multi-select",
                field,
                options: Vec::new(),
                chosen: Vec::new(),
                datasets: Vec::new(),
            }
        }
        "counter" => match enc.get("value").and_then(field) {
            Some(value) => WidgetKind::Counter { value },
            None => WidgetKind::Other {
                widget_type: "counter".into(),
            },
        },
        t @ ("bar" | "scatter") => {
            let x = enc.get("x").map(axis);
            let y = enc.get("y").map(axis);
            let (Some(x), Some(y)) = (x, y) else {
                return WidgetKind::Other {
                    widget_type: t.into(),
                };
            };
            let color = color(enc.get("color")).filter(|_| !enc["color"]["fieldName"].is_null());
            if t == "bar" {
                WidgetKind::Bar { x, y, color }
            } else {
                WidgetKind::Scatter { x, y, color }
            }
        }
        other => WidgetKind::Other {
            widget_type: other.into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serving::lvdash::Field;

    fn query(fields: &[(&str, &str)]) -> WidgetQuery {
        WidgetQuery {
            dataset_name: "d".into(),
            fields: fields
                .iter()
                .map(|(n, e)| Field {
                    name: n.to_string(),
                    expression: e.to_string(),
                })
                .collect(),
            disaggregated: false,
        }
    }

    #[test]
    fn measures_are_aggregated_by_the_other_fields() {
        let q = query(&[
            ("factory_id", "`factory_id`"),
            ("avg(defect_rate)", "AVG(`defect_rate`)"),
        ]);
        let text = sql("SELECT * FROM t;", &q, &[]);
        assert_eq!(
            text,
            "SELECT `factory_id` AS `factory_id`, AVG(`defect_rate`) AS `avg(defect_rate)`\n\
             FROM (SELECT * FROM t) AS dataset\nGROUP BY `factory_id`\nORDER BY `factory_id`"
        );
    }

    #[test]
    fn keys_alone_are_distinct_and_filters_compare_as_text() {
        let q = query(&[("device_id", "`device_id`")]);
        let c = Condition {
            field: "model_id".into(),
            values: vec!["it's".into()],
        };
        let text = sql("SELECT * FROM t", &q, &[c]);
        assert!(text.starts_with("SELECT DISTINCT `device_id`"), "{text}");
        assert!(
            text.contains("WHERE CAST(`model_id` AS STRING) IN ('it\\'s')"),
            "{text}"
        );
    }

    #[test]
    fn a_counter_has_no_group() {
        let q = query(&[("sum(count(1))", "SUM(`count(1)`)")]);
        let text = sql("SELECT 1", &q, &[]);
        assert!(
            !text.contains("GROUP BY") && !text.contains("ORDER BY"),
            "{text}"
        );
    }

    #[test]
    fn aggregates_are_recognised_by_their_function() {
        assert!(is_aggregate("SUM(`x`)"));
        assert!(is_aggregate(" count (*)"));
        assert!(!is_aggregate("DATE_TRUNC(\"DAY\", `timestamp`)"));
        assert!(!is_aggregate("`sum`"));
        // Whatever the engine aggregates, not a list of its own.
        assert!(is_aggregate("collect_set(`model_id`)"));
        assert!(!is_aggregate("upper(`model_id`)"));
    }
}
