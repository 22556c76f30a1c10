//! `iotwb validate` and `iotwb run` end to end on the default project and generated data.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn iotwb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iotwb"))
        .args(args)
        .output()
        .expect("iotwb runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

fn temp(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("iotwb-pipeline-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_project(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn default_project(dir: &Path) -> PathBuf {
    let project = dir.join("project");
    for (path, text) in pipeline::projects::iot_python().files() {
        write_project(&project, &[(path, text)]);
    }
    project
}

fn generate(volume: &Path, batch: &str, schema: &str) {
    let out = iotwb(&[
        "generate",
        "--seed",
        "11",
        "--preset",
        "tiny",
        "--batch",
        batch,
        "--schema",
        schema,
        "--out",
        volume.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{:?}", text(&out));
}

/// The summary line of `table`: `[kind, added, rows, strategy]`.
fn summary(stdout: &str, table: &str) -> Vec<String> {
    let line = stdout
        .lines()
        .find(|l| l.starts_with(&format!("{table} ")))
        .unwrap_or_else(|| panic!("no line for {table} in\n{stdout}"));
    line.split_whitespace()
        .skip(1)
        .take(4)
        .map(str::to_string)
        .collect()
}

#[test]
fn test_validate_prints_the_resolved_config_and_datasets() {
    let dir = temp("validate");
    let project = default_project(&dir);
    let out = iotwb(&["validate", project.to_str().unwrap(), "--target", "prod"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("target: prod"), "{stdout}");
    assert!(
        stdout.contains("name: iot_anomaly_detection_prod"),
        "{stdout}"
    );
    assert!(
        stdout.contains("default.iot_anomaly_detection_prod.inspection_gold (MATERIALIZED_VIEW)"),
        "{stdout}"
    );
    assert!(stdout.contains("reads: STREAM(sensor_bronze)"), "{stdout}");
}

#[test]
fn test_validate_reports_every_error_and_exits_1() {
    let dir = temp("invalid");
    write_project(
        &dir,
        &[
            (
                "databricks.yml",
                "bundle:\n  name: x\nresources:\n  pipelines:\n    p:\n      schema: ${var.nope}\n      chanel: PREVIEW\n      libraries:\n        - file: {path: a.sql}\n",
            ),
            (
                "a.sql",
                "CREATE MATERIALIZED VIEW a AS SELECT 1 AS x;\nCREATE MATERIALIZED VIEW b AS SELECT x FROM aa;\n",
            ),
        ],
    );
    let out = iotwb(&["validate", dir.to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("databricks.yml:6:15: error: unknown variable `nope`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "databricks.yml:7:7: error: unknown key `chanel` in `p` (did you mean `channel`?)"
        ),
        "{stderr}"
    );
    // The source file's problem is reported in the same run as the bundle's.
    assert!(
        stderr.contains(
            "a.sql:2:45: error: [TABLE_OR_VIEW_NOT_FOUND] `aa` is not a dataset of this pipeline (did you mean one of: `a`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("3 error(s)"), "{stderr}");
}

#[test]
fn test_run_is_incremental_writes_outputs_and_isolates_targets() {
    let dir = temp("run");
    let project = default_project(&dir);
    let (volume, state, out_dir) = (dir.join("volume"), dir.join("state"), dir.join("out"));
    generate(&volume, "initial", "iot_anomaly_detection");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "run",
            project.to_str().unwrap(),
            "--volume",
            volume.to_str().unwrap(),
            "--state",
            state.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        iotwb(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let first = run(&[]);
    let (stdout, stderr) = text(&first);
    assert!(first.status.success(), "{stderr}");
    let bronze = summary(&stdout, "sensor_bronze");
    assert_eq!(bronze[1], bronze[2], "first run adds every row: {bronze:?}");
    for table in [
        "sensor_bronze",
        "inspection_bronze",
        "anomaly_detected",
        "inspection_silver",
        "inspection_gold",
    ] {
        assert!(
            out_dir.join(format!("{table}.parquet")).is_file(),
            "{table}.parquet"
        );
    }
    let log = std::fs::read_to_string(out_dir.join("event_log.jsonl")).unwrap();
    assert!(
        log.lines()
            .any(|l| l.contains("\"event_type\":\"create_update\""))
    );

    // Same state, no new files: nothing is added.
    let again = run(&[]);
    let (stdout, _) = text(&again);
    assert_eq!(summary(&stdout, "sensor_bronze")[1], "0");
    assert_eq!(summary(&stdout, "inspection_gold")[3], "NO_OP");

    // The increment: only its rows are added; gold re-aggregates the affected groups.
    generate(&volume, "increment", "iot_anomaly_detection");
    let inc = run(&[]);
    let (stdout, _) = text(&inc);
    let after = summary(&stdout, "sensor_bronze");
    let total_before: usize = bronze[2].parse().unwrap();
    assert_eq!(
        after[2].parse::<usize>().unwrap(),
        total_before + after[1].parse::<usize>().unwrap()
    );
    assert_eq!(summary(&stdout, "inspection_gold")[3], "GROUP_AGGREGATE");

    // A full refresh of everything re-reads every file.
    let full = run(&["--full-refresh"]);
    let (stdout, _) = text(&full);
    let refreshed = summary(&stdout, "sensor_bronze");
    assert_eq!(refreshed[1], refreshed[2]);
    assert_eq!(refreshed[2], after[2]);

    // prod reads its own volume and writes its own tables; dev's stay as they are.
    generate(&volume, "initial", "iot_anomaly_detection_prod");
    let prod = run(&["--target", "prod"]);
    let (stdout, stderr) = text(&prod);
    assert!(prod.status.success(), "{stderr}");
    assert_eq!(summary(&stdout, "sensor_bronze")[2], bronze[2]);
    let again = run(&[]);
    assert_eq!(summary(&text(&again).0, "sensor_bronze")[2], after[2]);
}

#[test]
fn test_failed_update_exits_non_zero_and_changes_nothing() {
    let dir = temp("fail");
    write_project(
        &dir.join("p"),
        &[
            (
                "databricks.yml",
                "bundle:\n  name: x\nresources:\n  pipelines:\n    p:\n      catalog: c\n      schema: s\n      libraries:\n        - file: {path: a.sql}\n",
            ),
            (
                "a.sql",
                "CREATE STREAMING TABLE t (CONSTRAINT pos EXPECT (v > 0) ON VIOLATION FAIL UPDATE)\nAS SELECT * FROM STREAM read_files('/Volumes/c/s/in', format => 'csv', schemaHints => 'v int')",
            ),
        ],
    );
    write_project(&dir.join("vol/Volumes/c/s/in"), &[("1.csv", "v\n1\n")]);
    let args = |d: &Path| {
        vec![
            "run".to_string(),
            d.join("p").display().to_string(),
            "--volume".into(),
            d.join("vol").display().to_string(),
            "--state".into(),
            d.join("st").display().to_string(),
        ]
    };
    let ok = iotwb(&args(&dir).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(ok.status.success(), "{:?}", text(&ok));
    write_project(&dir.join("vol/Volumes/c/s/in"), &[("2.csv", "v\n-1\n")]);
    let failed = iotwb(&args(&dir).iter().map(String::as_str).collect::<Vec<_>>());
    let (_, stderr) = text(&failed);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr.contains(
            "a.sql:1:50: [EXPECTATION_VIOLATION] expectation `pos` of `t` failed for 1 row(s)"
        ),
        "{stderr}"
    );
    let saved = std::fs::read_to_string(dir.join("st/state.json")).unwrap();
    assert!(saved.contains("\"/Volumes/c/s/in/1.csv\""));
    assert!(
        !saved.contains("\"/Volumes/c/s/in/2.csv\""),
        "the failed update must not mark 2.csv as read"
    );
}
