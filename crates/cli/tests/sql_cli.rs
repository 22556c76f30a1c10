//! `iotwb sql --tables <dir> <case.json>` and `-e "<query>"` over the SQL fixture tables:
//! JSON results and errors exit 0, unusable arguments exit 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    std::env::var_os("IOTWB_SQL_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sql"))
}

fn iotwb_sql(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iotwb"))
        .arg("sql")
        .args(args)
        .output()
        .expect("runs iotwb")
}

fn case(id: &str) -> String {
    fixtures()
        .join("cases")
        .join(format!("{id}.json"))
        .display()
        .to_string()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

#[test]
fn test_case_file_prints_schema_and_rows_like_the_fixture() {
    let tables = fixtures().display().to_string();
    let out = iotwb_sql(&[
        "--tables",
        &tables,
        &case("229_dashboard_ok_inspections_per_device"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let got = json_of(&out);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(case("229_dashboard_ok_inspections_per_device")).unwrap(),
    )
    .unwrap();
    assert_eq!(got["schema"], expected["expected_schema"]);
    let mut got_rows = got["rows"].as_array().unwrap().clone();
    let mut want_rows = expected["rows"].as_array().unwrap().clone();
    let key = |v: &Value| v.to_string();
    got_rows.sort_by_key(key);
    want_rows.sort_by_key(key);
    assert_eq!(got_rows, want_rows);
}

#[test]
fn test_query_error_is_json_with_the_spark_class_and_exit_0() {
    let tables = fixtures().display().to_string();
    let out = iotwb_sql(&["--tables", &tables, &case("237_unknown_column")]);
    assert_eq!(out.status.code(), Some(0));
    let got = json_of(&out);
    assert_eq!(got["error"]["class"], "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    assert!(
        got["error"]["message"]
            .as_str()
            .unwrap()
            .contains("device_id")
    );
}

#[test]
fn test_execute_prints_a_text_table() {
    let tables = fixtures().display().to_string();
    let out = iotwb_sql(&[
        "--tables",
        &tables,
        "-e",
        "SELECT factory_id, count(*) AS n FROM sensor_bronze GROUP BY factory_id ORDER BY factory_id LIMIT 2",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "factory_id | n");
    assert!(lines[2].starts_with("A06"), "{text}");
    assert_eq!(lines.last(), Some(&"(2 rows)"));
}

#[test]
fn test_unusable_arguments_exit_2() {
    let out = iotwb_sql(&["--tables", "/no/such/folder", "-e", "SELECT 1"]);
    assert_eq!(out.status.code(), Some(2));
    let tables = fixtures().display().to_string();
    let out = iotwb_sql(&["--tables", &tables, "/no/such/case.json"]);
    assert_eq!(out.status.code(), Some(2));
    let out = iotwb_sql(&["--tables", &tables]);
    assert_eq!(out.status.code(), Some(2));
}
