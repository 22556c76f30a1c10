//! Bundle and source validation: every problem reported at once, each at file:line:col with a
//! suggestion.

use pipeline::engine;
use pipeline::state::State;
use pipeline::{BundleOptions, Project};

fn problems(files: &[(&str, &str)], options: &BundleOptions) -> Vec<String> {
    let project = Project::from_files(files.iter().copied());
    match pipeline::load(&project, options) {
        Ok((_, pipelines)) => pipelines
            .iter()
            .flat_map(|p| {
                engine::validate(p, &State::new())
                    .err()
                    .map(|d| d.0)
                    .unwrap_or_default()
            })
            .map(|d| d.to_string())
            .collect(),
        Err(d) => d.0.iter().map(ToString::to_string).collect(),
    }
}

const BUNDLE: &str = "bundle:
  name: demo
include:
  - resources/*.yml
variables:
  catalog:
    default: main
  schema:
    default: ${var.catalog}_s
  warehouse_id:
    description: needed
targets:
  dev:
    default: true
    mode: development
";

const PIPELINE: &str = "resources:
  pipelines:
    p:
      catalgo: main
      catalog: ${var.catalog}
      schema: ${var.shcema}
      channel: PREVIEW
      libraries:
        - file:
            path: ../src/a.sql
        - file:
            path: ../src/missing.sql
";

#[test]
fn test_every_bundle_problem_at_once_with_locations_and_suggestions() {
    let found = problems(
        &[
            ("databricks.yml", BUNDLE),
            ("resources/p.yml", PIPELINE),
            ("src/a.sql", "CREATE MATERIALIZED VIEW a AS SELECT 1 AS x"),
        ],
        &BundleOptions::default(),
    );
    assert_eq!(
        found,
        [
            "databricks.yml:10:3: error: variable `warehouse_id` has no value (did you mean one of: `--var warehouse_id=<value>`, a `default:`, a value under `targets.dev.variables`?)",
            "resources/p.yml:4:7: error: unknown key `catalgo` in `p` (did you mean `catalog`?)",
            "resources/p.yml:6:15: error: unknown variable `shcema` in `${var.shcema}`; declare it under `variables:` (did you mean `${var.schema}`?)",
            "resources/p.yml:12:19: error: library file `../src/missing.sql` does not exist (looked for `src/missing.sql`) (did you mean `src/a.sql`?)",
        ]
    );
}

#[test]
fn test_var_override_unknown_target_and_cycle() {
    let bundle = "bundle: {name: demo}\nvariables:\n  a:\n    default: ${var.b}\n  b:\n    default: x${var.a}\nresources:\n  pipelines:\n    p:\n      schema: ${var.a}\n      libraries:\n        - file: {path: a.sql}\n";
    let files = [
        ("databricks.yml", bundle),
        ("a.sql", "CREATE MATERIALIZED VIEW a AS SELECT 1 AS x"),
    ];
    let found = problems(&files, &BundleOptions::default());
    assert!(
        found
            .iter()
            .any(|p| p.contains("reference cycle: ${var.a} → ${var.b} → ${var.a}")),
        "{found:?}"
    );
    // Overriding one side of the cycle breaks it.
    let options = BundleOptions::with_vars(None, &["b=fixed"]).unwrap();
    assert!(problems(&files, &options).is_empty());
    let options = BundleOptions::with_vars(Some("prd"), &["b=fixed"]).unwrap();
    let found = problems(&files, &options);
    assert_eq!(found, ["error: unknown target `prd` (defined: none)"]);
    let options = BundleOptions::with_vars(None, &["bb=1"]).unwrap();
    assert!(
        problems(&files, &options)[0].contains("`--var bb=…` sets a variable that is not declared")
    );
}

#[test]
fn test_source_errors_point_into_the_files() {
    let bundle = "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      catalog: main\n      schema: s\n      libraries:\n        - glob: {include: src/**}\n";
    let sql = "CREATE MATERIALIZED VIEW gold AS\nSELECT device, count(*) AS n\nFROM silvr GROUP BY device";
    let python = "from pyspark import pipelines as dp\n\n@dp.materialized_view\ndef silver():\n    return spark.read.table(\"bronze\").selectExpr(\"devce\")\n\n@dp.materialized_view\ndef bronze():\n    return spark.sql(\"SELECT 1 AS device\")\n";
    let found = problems(
        &[
            ("databricks.yml", bundle),
            ("src/gold.sql", sql),
            ("src/silver.py", python),
        ],
        &BundleOptions::default(),
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("src/gold.sql:3:6: error: [TABLE_OR_VIEW_NOT_FOUND] `silvr` is not a dataset of this pipeline"), "{found:?}");
    assert!(found[0].contains("`silver`"), "{found:?}");
    assert!(
        found[1].starts_with("src/silver.py:5:51: error: [UNRESOLVED_COLUMN"),
        "{found:?}"
    );
}

#[test]
fn test_cycle_between_datasets_is_reported_at_the_reference_closing_it() {
    let bundle = "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      libraries:\n        - file: {path: a.sql}\n";
    let sql = "CREATE MATERIALIZED VIEW a AS SELECT * FROM b;\nCREATE MATERIALIZED VIEW b AS\n  SELECT x\n  FROM c JOIN a USING (x);\nCREATE MATERIALIZED VIEW c AS SELECT 1 AS x;\n";
    let found = problems(
        &[("databricks.yml", bundle), ("a.sql", sql)],
        &BundleOptions::default(),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    // `a` reads `b`, and b's `JOIN a` (line 4, column 10) closes the cycle.
    assert!(
        found[0]
            .starts_with("a.sql:4:10: error: datasets read each other in a cycle: `a` → `b` → `a`"),
        "{found:?}"
    );
}

#[test]
fn test_stream_cycle_in_sql_points_at_stream() {
    let bundle = "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      libraries:\n        - file: {path: s.sql}\n";
    let sql = "CREATE STREAMING TABLE s1 AS SELECT * FROM STREAM(s2);\nCREATE STREAMING TABLE s2 AS SELECT * FROM STREAM(`s1`);\n";
    let found = problems(
        &[("databricks.yml", bundle), ("s.sql", sql)],
        &BundleOptions::default(),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "s.sql:2:44: error: datasets read each other in a cycle: `s1` → `s2` → `s1`"
        ),
        "{found:?}"
    );
}

#[test]
fn test_cycle_in_python_is_reported_at_the_read_closing_it() {
    let bundle = "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      libraries:\n        - file: {path: p.py}\n";
    let python = "from pyspark import pipelines as dp\n\n@dp.materialized_view\ndef a():\n    return spark.read.table(\"b\")\n\n@dp.materialized_view\ndef b():\n    return spark.read.table(\"c\").union(spark.read.table(\"a\"))\n\n@dp.materialized_view\ndef c():\n    return spark.sql(\"SELECT 1 AS x\")\n";
    let found = problems(
        &[("databricks.yml", bundle), ("p.py", python)],
        &BundleOptions::default(),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("p.py:9:58: error: datasets read each other in a cycle"),
        "{found:?}"
    );
    assert!(
        found[0].contains("datasets read each other in a cycle: `a` → `b` → `a`"),
        "{found:?}"
    );
}

#[test]
fn test_unsupported_python_is_an_error_at_its_line() {
    let bundle = "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      libraries:\n        - file: {path: a.py}\n";
    let python = "from pyspark import pipelines as dp\nimport pandas as pd\n";
    let found = problems(
        &[("databricks.yml", bundle), ("a.py", python)],
        &BundleOptions::default(),
    );
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("a.py:2:1: error: module `pandas` is not available in pipeline files"),
        "{found:?}"
    );
}

#[test]
fn test_default_projects_validate_for_both_targets() {
    for project in [
        pipeline::projects::iot_python(),
        pipeline::projects::iot_sql(),
    ] {
        for target in ["dev", "prod"] {
            let options = BundleOptions::with_vars(Some(target), &[] as &[&str]).unwrap();
            let (bundle, pipelines) =
                pipeline::load(&project, &options).unwrap_or_else(|e| panic!("{target}: {e}"));
            assert_eq!(pipelines.len(), 1);
            let p = &pipelines[0];
            assert_eq!(p.settings.catalog, "default");
            let expected_schema = if target == "dev" {
                "iot_anomaly_detection"
            } else {
                "iot_anomaly_detection_prod"
            };
            assert_eq!(p.settings.schema, expected_schema);
            assert_eq!(p.settings.development, target == "dev");
            assert_eq!(bundle.target, target);
            let summaries =
                engine::validate(p, &State::new()).unwrap_or_else(|e| panic!("{target}: {e}"));
            let names: Vec<_> = summaries
                .iter()
                .map(|s| (s.name.as_str(), s.kind.as_str()))
                .collect();
            assert_eq!(
                names,
                [
                    ("sensor_bronze", "STREAMING_TABLE"),
                    ("inspection_bronze", "STREAMING_TABLE"),
                    ("anomaly_detected", "STREAMING_TABLE"),
                    ("inspection_silver", "MATERIALIZED_VIEW"),
                    ("inspection_gold", "MATERIALIZED_VIEW"),
                ]
            );
        }
    }
}

#[test]
fn test_validate_project_reports_bundle_and_source_problems_together() {
    let bundle = "bundle: {name: demo}\nresources:\n  pipelines:\n    p:\n      catalog: main\n      schema: ${var.shema}\n      chanel: PREVIEW\n      libraries:\n        - glob: {include: src/**}\n";
    let sql = "CREATE MATERIALIZED VIEW a AS SELECT * FROM b;\nCREATE MATERIALIZED VIEW b AS SELECT * FROM a;\nCREATE MATERIALIZED VIEW gold AS SELECT count(*) AS n FROM silvr;\n";
    let python = "from pyspark import pipelines as dp\n\n@dp.materialized_view\ndef silver():\n    while True:\n        pass\n";
    let project = Project::from_files([
        ("databricks.yml", bundle),
        ("src/a.sql", sql),
        ("src/b.py", python),
    ]);
    let found = pipeline::validate_project(&project, &BundleOptions::default(), &State::new());
    assert!(!found.is_ok());
    let lines: Vec<String> = found
        .diagnostics
        .0
        .iter()
        .map(ToString::to_string)
        .collect();
    let expected_starts = [
        "databricks.yml:6:15: error: unknown variable `shema`",
        "databricks.yml:7:7: error: unknown key `chanel` in `p` (did you mean `channel`?)",
        "src/a.sql:2:40: error: datasets read each other in a cycle: `a` → `b` → `a`; make one of them read",
        "src/a.sql:3:60: error: [TABLE_OR_VIEW_NOT_FOUND] `silvr` is not a dataset of this pipeline",
        "src/b.py:5:5: error: `while` is not supported in pipeline files; supported:",
    ];
    assert_eq!(lines.len(), expected_starts.len(), "{lines:#?}");
    for (line, start) in lines.iter().zip(expected_starts) {
        assert!(
            line.starts_with(start),
            "{line}\n  should start with\n{start}"
        );
    }
    // Every error says what to do: a close name, the valid names, or what is supported.
    assert!(
        lines.iter().all(|l| [
            "did you mean",
            "datasets:",
            "supported",
            "instead",
            "declare it"
        ]
        .iter()
        .any(|s| l.contains(s))),
        "{lines:#?}"
    );
    // The missing table may be the one the broken Python file declares: the error says so.
    assert!(
        lines[3].contains("`src/b.py` did not load and may declare it"),
        "{}",
        lines[3]
    );
    // The SQL file's datasets were planned even though the Python file failed.
    assert_eq!(found.pipelines.len(), 1);
    assert_eq!(found.pipelines[0].pipeline.names(), ["a", "b", "gold"]);
    assert_eq!(found.bundle.unwrap().pipelines[0].key, "p");
}
