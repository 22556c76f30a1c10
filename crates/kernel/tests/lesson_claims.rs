//! Claims in lesson prose that quote the project: module 4's validation message points where
//! the workbook's validator points for the same typo, and module 5's table of dashboard datasets
//! quotes the queries of the project's dashboard file.

mod lessons;

use lessons::{documents, project_dir, project_file};
use pipeline::{BundleOptions, Project, state::State, validate_project};

fn lesson(prefix: &str) -> (String, String) {
    documents()
        .into_iter()
        .find(|(name, _)| name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no lesson {prefix}-*.md"))
}

#[test]
fn test_module_4_typo_location_is_where_validation_reports_it() {
    let (name, text) = lesson("04");
    let (line_no, quoted) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| Some((i + 1, l.trim().strip_prefix("in databricks.yml:")?)))
        .unwrap_or_else(|| {
            panic!("lessons/{name} quotes a location `in databricks.yml:<line>:<col>`")
        });
    let (line, col) = quoted.split_once(':').expect("line:col");
    let (line, col): (usize, u32) = (line.parse().unwrap(), col.parse().unwrap());

    let original = project_file("databricks.yml").unwrap();
    let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
    let target = &mut lines[line - 1];
    assert!(
        target.trim_start().starts_with("channel:"),
        "lessons/{name}:{line_no}: line {line} of databricks.yml is `{target}`, not the `channel:` the lesson misspells"
    );
    *target = target.replacen("channel:", "chanel:", 1);
    let mut project = Project::from_dir(&project_dir("databricks.yml")).unwrap();
    project.insert("databricks.yml", lines.join("\n") + "\n");

    let found = validate_project(&project, &BundleOptions::default(), &State::new());
    let at = found
        .diagnostics
        .0
        .iter()
        .find(|d| d.message.contains("chanel"))
        .unwrap_or_else(|| panic!("no problem names `chanel`: {}", found.diagnostics));
    let location = at.location.as_ref().expect("a typo has a location");
    assert_eq!(
        (location.line as usize, location.column),
        (line, col),
        "lessons/{name}:{line_no} says databricks.yml:{line}:{col}; the workbook reports {at}"
    );
}

/// The dataset rows of module 5's table: `| Name | ``SQL`` |`.
fn lesson_datasets(text: &str) -> Vec<(usize, String, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let name = cells.first()?.strip_prefix("| ")?;
            let query = cells
                .get(1)?
                .trim_end_matches(" |")
                .trim()
                .trim_matches('`')
                .trim();
            query
                .starts_with("SELECT")
                .then(|| (i + 1, name.to_string(), query.to_string()))
        })
        .collect()
}

#[test]
fn test_module_5_dataset_table_quotes_the_dashboard_file() {
    let (name, text) = lesson("05");
    let dashboard: serde_json::Value =
        serde_json::from_str(&project_file("config/iot_anomaly_detection.lvdash.json").unwrap())
            .unwrap();
    let datasets = dashboard["datasets"].as_array().expect("datasets");
    let rows = lesson_datasets(&text);
    assert_eq!(
        rows.len(),
        datasets.len(),
        "lessons/{name} lists every dataset of the dashboard: {rows:?}"
    );
    for (line, display, query) in rows {
        let dataset = datasets
            .iter()
            .find(|d| d["displayName"] == display.as_str())
            .unwrap_or_else(|| {
                panic!("lessons/{name}:{line}: the dashboard has no dataset `{display}`")
            });
        let actual: String = dataset["queryLines"]
            .as_array()
            .map(|lines| lines.iter().filter_map(|l| l.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            query.split_whitespace().collect::<Vec<_>>(),
            actual.split_whitespace().collect::<Vec<_>>(),
            "lessons/{name}:{line}: dataset `{display}` differs from the dashboard file's query"
        );
    }
}
