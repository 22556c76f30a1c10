//! The project's dashboard and SQL alert, computed from the learner's own files: the bundle's
//! dashboard resource names the `.lvdash.json` file and the schema its datasets read; each
//! widget's fields run as Spark SQL over its dataset, filtered as Lakeview filters.

mod alert;
mod lvdash;
pub(crate) mod widgets;

use std::collections::BTreeSet;

use pipeline::bundle::Bundle;
use pipeline::bundle::yaml::Node;
use protocol::{
    DashboardView, FilterChoice, GridPosition, Place, Problem, ProjectFiles, WidgetKind, WidgetView,
};

use crate::Kernel;
use crate::project::{options, problem, to_project};
use crate::rows::{cells, columns};
use crate::sources::run_sql;

/// Grid columns of a Lakeview page.
const GRID_COLUMNS: u32 = 6;

/// The course's placeholders (V1 substitutes them when it creates the dashboard; the bundle
/// only describes the substitution) and the tables they stand for.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("<inspection_table>", "inspection_bronze"),
    ("<sensor_table>", "sensor_bronze"),
    ("<silver_table>", "inspection_silver"),
    ("<gold_table>", "inspection_gold"),
];

/// The dashboard of `files` for `target`, with `choices` applied and the alert evaluated at
/// `now_ms`.
pub(crate) fn dashboard(
    kernel: &Kernel,
    files: &ProjectFiles,
    target: Option<String>,
    choices: &[FilterChoice],
    now_ms: f64,
) -> Result<DashboardView, Problem> {
    let project = to_project(files);
    let bundle = pipeline::bundle::load(&project, &options(target)).map_err(|diagnostics| {
        let first = diagnostics.errors().next().map(problem);
        let mut p = first.unwrap_or_else(|| Problem::error("the bundle does not load"));
        p.message = format!("the bundle does not load: {}", p.message);
        p
    })?;
    let resource = dashboard_resource(&bundle)?;
    let schema = resource.schema.clone();
    let Some(text) = project.get(&resource.file) else {
        return Err(Problem {
            place: Some(resource.place.clone()),
            ..Problem::error(format!(
                "the dashboard's file_path names `{}`, which is not in the project",
                resource.file
            ))
        });
    };
    let parsed = lvdash::parse(text).map_err(|(message, line, column)| Problem {
        place: Some(Place {
            file: Some(resource.file.clone()),
            line,
            column,
            end: None,
        }),
        ..Problem::error(format!("the dashboard file is not valid: {message}"))
    })?;
    let mut problems = Vec::new();
    let Some(page) = parsed.pages.first() else {
        return Err(Problem::error(format!(
            "`{}` has no page to show",
            resource.file
        )));
    };
    if parsed.pages.len() > 1 {
        problems.push(Problem {
            severity: protocol::Severity::Warning,
            ..Problem::error(format!(
                "`{}` has {} pages; the workbook shows the first, `{}`",
                resource.file,
                parsed.pages.len(),
                page.name
            ))
        });
    }
    let dataset_sql = |name: &str| -> Option<(String, String)> {
        let d = parsed.datasets.iter().find(|d| d.name == name)?;
        Some((d.label(), substitute(&d.sql(), &schema)))
    };
    let filters: Vec<&lvdash::Placed> = page
        .layout
        .iter()
        .filter(|p| matches!(widgets::kind(p), WidgetKind::Filter { .. }))
        .collect();
    let mut views = Vec::new();
    for placed in &page.layout {
        let mut kind = widgets::kind(placed);
        let position = GridPosition {
            x: placed.position.x,
            y: placed.position.y,
            width: placed.position.width,
            height: placed.position.height,
        };
        let title = placed
            .widget
            .spec
            .as_ref()
            .and_then(|s| s.frame.as_ref())
            .filter(|f| f.show_title)
            .and_then(|f| f.title.clone());
        let mut view = WidgetView {
            name: placed.widget.name.clone(),
            title,
            kind: kind.clone(),
            position,
            dataset: String::new(),
            sql: String::new(),
            columns: Vec::new(),
            rows: Vec::new(),
            filtered: false,
            error: None,
        };
        if let WidgetKind::Filter {
            options,
            chosen,
            datasets,
            ..
        } = &mut kind
        {
            let mut values = BTreeSet::new();
            let mut texts = Vec::new();
            for q in &placed.widget.queries {
                let Some((label, sql)) = dataset_sql(&q.query.dataset_name) else {
                    view.error = Some(unknown_dataset(&q.query.dataset_name, &resource.file));
                    continue;
                };
                let conds = widgets::conditions(
                    &filters,
                    choices,
                    &q.query.dataset_name,
                    Some(&placed.widget.name),
                );
                view.filtered |= !conds.is_empty();
                let text = widgets::sql(&sql, &q.query, &conds);
                match run_sql(kernel, &text, Some(&schema), now_ms) {
                    Ok(m) => {
                        for row in cells(&m.batch, &m.schema) {
                            if let Some(Some(v)) = row.into_iter().next() {
                                values.insert(v);
                            }
                        }
                    }
                    Err(p) => view.error = Some(in_dataset(&label, p)),
                }
                datasets.push(label);
                texts.push(text);
            }
            *options = values.into_iter().collect();
            *chosen = choices
                .iter()
                .find(|c| c.widget == placed.widget.name)
                .map(|c| c.values.clone())
                .unwrap_or_default();
            view.dataset = datasets.first().cloned().unwrap_or_default();
            view.sql = texts.join("\nUNION\n");
            view.kind = kind;
            views.push(view);
            continue;
        }
        let Some(q) = placed
            .widget
            .queries
            .iter()
            .find(|q| q.name == "main_query")
            .or(placed.widget.queries.first())
        else {
            views.push(view);
            continue;
        };
        match dataset_sql(&q.query.dataset_name) {
            None => view.error = Some(unknown_dataset(&q.query.dataset_name, &resource.file)),
            Some((label, sql)) => {
                let conds = widgets::conditions(&filters, choices, &q.query.dataset_name, None);
                view.filtered = !conds.is_empty();
                view.sql = widgets::sql(&sql, &q.query, &conds);
                match run_sql(kernel, &view.sql, Some(&schema), now_ms) {
                    Ok(m) => {
                        view.columns = columns(&m.schema);
                        view.rows = cells(&m.batch, &m.schema);
                    }
                    Err(p) => view.error = Some(in_dataset(&label, p)),
                }
                view.dataset = label;
            }
        }
        views.push(view);
    }
    let alert = alert::evaluate(kernel, &bundle, &schema, now_ms);
    Ok(DashboardView {
        title: resource.title,
        file: resource.file,
        page: page
            .display_name
            .clone()
            .unwrap_or_else(|| page.name.clone()),
        columns: GRID_COLUMNS,
        schema,
        widgets: views,
        alert,
        problems,
    })
}

fn unknown_dataset(name: &str, file: &str) -> Problem {
    Problem::error(format!(
        "the widget reads dataset `{name}`, which `{file}` does not define"
    ))
}

fn in_dataset(label: &str, p: Problem) -> Problem {
    Problem {
        message: format!("dataset `{label}`: {}", p.message),
        ..p
    }
}

/// The course's placeholders replaced by the target's tables.
fn substitute(sql: &str, (catalog, schema): &(String, String)) -> String {
    PLACEHOLDERS
        .iter()
        .fold(sql.to_string(), |sql, (placeholder, table)| {
            sql.replace(placeholder, &format!("{catalog}.{schema}.{table}"))
        })
}

/// The bundle's dashboard resource, resolved.
struct Resource {
    title: String,
    file: String,
    place: Place,
    schema: (String, String),
}

fn scalar(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).map(str::to_string)
}

/// `path` as written in `from` (relative to that file's folder), as a project path.
pub(crate) fn relative_to(from: &str, path: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in path.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn dashboard_resource(bundle: &Bundle) -> Result<Resource, Problem> {
    let node = bundle
        .resolved
        .get("resources")
        .and_then(|r| r.get("dashboards"))
        .and_then(Node::as_map)
        .and_then(|m| m.first())
        .map(|(_, n)| n)
        .ok_or_else(|| {
            Problem::error(
                "the bundle defines no dashboard: add one under `resources.dashboards` \
                 (see resources/dashboard.yml of the course project)",
            )
        })?;
    let location = node.location();
    let place = Place {
        file: Some(location.file.clone()),
        line: location.line,
        column: location.column,
        end: None,
    };
    let Some(path) = scalar(node, "file_path") else {
        return Err(Problem {
            place: Some(place),
            ..Problem::error("the dashboard resource has no `file_path`")
        });
    };
    let pipeline = bundle.pipelines.first();
    let catalog = scalar(node, "dataset_catalog")
        .or_else(|| pipeline.map(|p| p.catalog.clone()))
        .unwrap_or_else(|| "default".into());
    let schema = scalar(node, "dataset_schema")
        .or_else(|| pipeline.map(|p| p.schema.clone()))
        .unwrap_or_else(|| "default".into());
    Ok(Resource {
        title: scalar(node, "display_name").unwrap_or_else(|| "Dashboard".into()),
        file: relative_to(&location.file, &path),
        place,
        schema: (catalog, schema),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_file_that_names_them() {
        assert_eq!(
            relative_to("resources/dashboard.yml", "../config/d.lvdash.json"),
            "config/d.lvdash.json"
        );
        assert_eq!(
            relative_to("databricks.yml", "./config/d.json"),
            "config/d.json"
        );
    }

    #[test]
    fn placeholders_become_the_targets_tables() {
        let schema = ("main".to_string(), "iot".to_string());
        assert_eq!(
            substitute("SELECT * FROM <gold_table> JOIN <sensor_table>", &schema),
            "SELECT * FROM main.iot.inspection_gold JOIN main.iot.sensor_bronze"
        );
    }
}
