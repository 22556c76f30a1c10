//! `--format databricks`: the learner's bundle in the crash course's shape, as the learner
//! edited it, with the dashboard's table placeholders substituted.

use std::collections::BTreeMap;

use pipeline::{Bundle, Project};

/// The course's dashboard placeholders and the tables they stand for.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("<inspection_table>", "inspection_bronze"),
    ("<sensor_table>", "sensor_bronze"),
    ("<silver_table>", "inspection_silver"),
    ("<gold_table>", "inspection_gold"),
];

/// The bundle's files.
pub fn files(project: &Project, bundle: &Bundle) -> BTreeMap<String, String> {
    let (catalog, schema) = bundle.pipelines.first().map_or_else(
        || {
            let var = |k: &str| bundle.variables.get(k).cloned().unwrap_or_default();
            (var("catalog"), var("schema"))
        },
        |p| (p.catalog.clone(), p.schema.clone()),
    );
    let mut out = BTreeMap::new();
    for (path, text) in project.files() {
        let text = if path.ends_with(".lvdash.json") {
            PLACEHOLDERS
                .iter()
                .fold(text.to_string(), |t, (from, table)| {
                    t.replace(from, &format!("{catalog}.{schema}.{table}"))
                })
        } else {
            text.to_string()
        };
        out.insert(path.to_string(), text);
    }
    out.entry("README.md".to_string())
        .or_insert_with(|| readme(bundle));
    out
}

fn readme(bundle: &Bundle) -> String {
    let pipeline = bundle
        .pipelines
        .first()
        .map_or("the pipeline", |p| p.key.as_str());
    format!(
        "# {name}\n\n\
         Exported by `iotwb export --format databricks` from the IoT Pipelines Workbook: the bundle as\n\
         you edited it (`databricks.yml` with its variables and dev/prod targets, `resources/` for the\n\
         dashboard and the alert, `src/` for the pipeline, `config/` for the dashboard's definition).\n\n\
         ```bash\n\
         databricks bundle validate -t dev\n\
         databricks bundle deploy -t dev --var=\"warehouse_id=<your SQL warehouse id>\"\n\
         databricks bundle run {pipeline} -t dev\n\
         ```\n\n\
         The workbook ran the dashboard and the alert in the page, so `warehouse_id` defaults to\n\
         `workbook`: pass your warehouse's id. A Python pipeline that imports `tempo` needs the\n\
         `dbl-tempo` library on its cluster (add it to the pipeline's environment).\n",
        name = bundle.name
    )
}
