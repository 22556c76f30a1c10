//! `iotwb export` end to end: the files of both formats, each lowering commented where it is,
//! and a Databricks-only function listed with its file:line:col while the export succeeds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn iotwb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iotwb"))
        .args(args)
        .output()
        .expect("iotwb runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iotwb-export-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(project: &pipeline::Project, dir: &Path) {
    for (path, text) in project.files() {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn export(project: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "export",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = iotwb(&args);
    let stdout = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    stdout
}

#[test]
fn test_python_project_exports_a_spark_project_with_every_lowering_commented() {
    let dir = temp("python");
    write(&pipeline::projects::iot_python(), &dir.join("project"));
    let out = dir.join("spark");
    let stdout = export(
        &dir.join("project"),
        &out,
        &["--format", "spark", "--volume", "s3://bucket/landing"],
    );

    let spec = read(&out, "spark-pipeline.yml");
    assert!(
        spec.contains("iotwb.volume: \"s3://bucket/landing\""),
        "{spec}"
    );
    assert!(
        !spec.contains("\ndatabase:"),
        "OSS pipelines cannot create the bundle's schema: {spec}"
    );
    let libraries: Vec<&str> = spec
        .lines()
        .filter_map(|l| l.trim().strip_prefix("include: "))
        .collect();
    assert_eq!(libraries.len(), 5, "{spec}");
    assert!(libraries[0].contains("src/bronze/sensor_bronze.py"));

    // Auto Loader: a file stream with the hinted schema, in the hints' order, and rescued data.
    let sensor = read(&out, "src/bronze/sensor_bronze.py");
    assert!(
        sensor.contains("# iotwb export: Auto Loader (cloudFiles) -> a Spark file stream"),
        "{sensor}"
    );
    assert!(
        sensor.contains(".schema(\"`device_id` int, `trip_id` int, `factory_id` string"),
        "{sensor}"
    );
    assert!(
        sensor.contains("`density` float, `_rescued_data` string\")"),
        "{sensor}"
    );
    assert!(sensor.contains(
        ".load(iotwb_spark.landing(spark, \"/Volumes/default/iot_anomaly_detection/sensor_bronze\"))"
    ));
    assert!(!sensor.contains("cloudFiles.format"), "{sensor}");
    // The warn expectation: commented out and counted by a companion materialized view.
    assert!(
        sensor.contains("# iotwb export: @dp.expect(\"valid pressure\", \"air_pressure > 0\")"),
        "{sensor}"
    );
    assert!(
        sensor.contains("name=\"sensor_bronze_expectations\""),
        "{sensor}"
    );
    assert!(
        sensor.contains("(\"valid pressure\", \"warn\", \"air_pressure > 0\")"),
        "{sensor}"
    );

    // Drop expectations become filters, in the decorators' place.
    let inspection = read(&out, "src/bronze/inspection_bronze.py");
    assert!(
        inspection.contains(
            "@iotwb_spark.drop_rows_failing(\"valid timestamp\", \"`timestamp` is not null\")"
        ),
        "{inspection}"
    );
    assert!(inspection.contains(
        "@iotwb_spark.drop_rows_failing(\"valid device id\", \"device_id is not null\")"
    ));
    assert!(
        !inspection.contains("_expectations"),
        "drop expectations need no companion"
    );

    // Tempo: the learner's calls kept, the import pointing at the Spark window code.
    let silver = read(&out, "src/silver/inspection_silver.py");
    assert!(
        silver.contains("# iotwb export: from tempo import TSDF"),
        "{silver}"
    );
    assert!(silver.contains("\nfrom iotwb_spark import TSDF\n"));
    assert!(silver.contains(".EMA(\"rotation_speed\", window=5)"));
    assert!(read(&out, "lib/iotwb_spark.py").contains("def asofJoin("));

    // Every lowering is reported with its place in the learner's files.
    assert!(
        stdout.contains("lowered src/bronze/inspection_bronze.py:"),
        "{stdout}"
    );
    assert!(!stdout.contains("NOT LOWERED"), "{stdout}");
    let readme = read(&out, "README.md");
    assert!(
        readme.contains("iotwb.volume") && readme.contains("Nothing: every feature"),
        "{readme}"
    );
}

#[test]
fn test_sql_project_exports_oss_statements_and_file_views() {
    let dir = temp("sql");
    write(&pipeline::projects::iot_sql(), &dir.join("project"));
    let out = dir.join("spark");
    export(&dir.join("project"), &out, &[]);
    let bronze = read(&out, "src/bronze/inspection_bronze.sql");
    let code: String = bronze.lines().filter(|l| !l.starts_with("--")).collect();
    assert!(
        !code.contains("OR REFRESH") && !code.contains("CONSTRAINT"),
        "{bronze}"
    );
    assert!(
        bronze.contains("CREATE STREAMING TABLE inspection_bronze"),
        "{bronze}"
    );
    assert!(
        bronze.contains("FROM STREAM(inspection_bronze_files)"),
        "{bronze}"
    );
    assert!(bronze.contains(") WHERE coalesce((`timestamp` IS NOT NULL), false)\n  AND coalesce((device_id IS NOT NULL), false)"), "{bronze}");
    let sensor = read(&out, "src/bronze/sensor_bronze.sql");
    assert!(
        sensor.contains("CREATE MATERIALIZED VIEW sensor_bronze_expectations"),
        "{sensor}"
    );
    let views = read(&out, "src/iotwb_file_sources.py");
    assert!(
        views.contains("@dp.temporary_view(name=\"sensor_bronze_files\")"),
        "{views}"
    );
    assert!(
        views.contains("spark.readStream.format(\"csv\")"),
        "{views}"
    );
    assert!(read(&out, "spark-pipeline.yml").contains("include: \"src/iotwb_file_sources.py\""));
}

#[test]
fn test_a_databricks_only_function_is_listed_with_its_place_and_the_export_succeeds() {
    let dir = temp("unlowered");
    let mut project = pipeline::projects::iot_sql();
    let gold = project
        .get("src/gold/inspection_gold.sql")
        .unwrap()
        .replace(
            "          count(*) AS `count`,\n",
            "          count(*) AS `count`,\n          ai_summarize(model_id) AS model_summary,\n",
        );
    let line = gold
        .lines()
        .position(|l| l.contains("ai_summarize"))
        .unwrap()
        + 1;
    project.insert("src/gold/inspection_gold.sql", gold);
    write(&project, &dir.join("project"));
    let out = dir.join("spark");
    let stdout = export(&dir.join("project"), &out, &[]);
    let place = format!("src/gold/inspection_gold.sql:{line}:11");
    assert!(
        stdout.contains(&format!(
            "NOT LOWERED {place}: `ai_summarize` is a Databricks AI function"
        )),
        "{stdout}"
    );
    assert!(
        read(&out, "src/gold/inspection_gold.sql")
            .contains(&format!("-- iotwb export: NOT LOWERED at {place}"))
    );
    assert!(read(&out, "README.md").contains(&place));
}

#[test]
fn test_databricks_format_keeps_the_learners_bundle() {
    let dir = temp("databricks");
    let mut project = pipeline::projects::iot_python();
    let edited = project
        .get("src/silver/anomaly_detected.py")
        .unwrap()
        .replace("> 101", "> 95");
    project.insert("src/silver/anomaly_detected.py", edited.clone());
    write(&project, &dir.join("project"));
    let out = dir.join("bundle");
    export(&dir.join("project"), &out, &["--format", "databricks"]);
    for (path, text) in project.files() {
        if path.ends_with(".lvdash.json") {
            assert!(!read(&out, path).contains("<gold_table>"));
        } else {
            assert_eq!(read(&out, path), text, "{path}");
        }
    }
    assert!(read(&out, "src/silver/anomaly_detected.py").contains("> 95"));
    assert!(read(&out, "README.md").contains("databricks bundle deploy -t dev"));
}
