//! `iotwb tempo <case-dir>` on real fixture case folders: CSV on stdout and exit 0, or one
//! line on stderr and exit 1.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    std::env::var_os("IOTWB_TEMPO_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/tempo"))
}

fn iotwb_tempo(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iotwb"))
        .arg("tempo")
        .arg(dir)
        .output()
        .expect("runs iotwb")
}

/// Rows of a simple CSV (no quoted fields), sorted, with the header first.
fn table(text: &str) -> (String, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().to_string();
    let mut rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    rows.sort();
    (header, rows)
}

fn same_cell(a: &str, b: &str) -> bool {
    a == b
        || match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
            _ => false,
        }
}

fn assert_matches_expected(case: &str) {
    let dir = fixtures().join(case);
    let out = iotwb_tempo(&dir);
    assert!(
        out.status.success(),
        "{case}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (got_header, got) = table(&String::from_utf8(out.stdout).unwrap());
    let (want_header, want) = table(&std::fs::read_to_string(dir.join("expected.csv")).unwrap());
    assert_eq!(got_header, want_header, "{case}: header");
    assert_eq!(got.len(), want.len(), "{case}: rows");
    for (g, w) in got.iter().zip(&want) {
        assert!(
            g.len() == w.len() && g.iter().zip(w).all(|(a, b)| same_cell(a, b)),
            "{case}:\n got  {g:?}\n want {w:?}"
        );
    }
}

#[test]
fn tempo_runs_case_dirs_and_prints_their_result() {
    for case in [
        "asof_edge_default",
        "asof_edge_skipnulls_false",
        "ema_window0",
        "resample_max_hr",
        "slice_latest_3",
        "state_intervals_status_eq",
    ] {
        assert_matches_expected(case);
    }
}

#[test]
fn tempo_reports_invalid_input_on_one_line_and_exits_1() {
    let out = iotwb_tempo(&fixtures().join("range_stats_with_seq_raises"));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("sequence column `seq`"), "{err}");

    let missing = iotwb_tempo(&fixtures().join("no_such_case"));
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8(missing.stderr)
            .unwrap()
            .contains("params.json")
    );
}

#[test]
fn tempo_runs_a_new_case_dir_with_other_kwargs() {
    let dir = std::env::temp_dir().join(format!("iotwb_tempo_case_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("params.json"),
        r#"{"inputs": {"input.csv": {"file": "input.csv", "ts_col": "ts", "partition_cols": ["id"],
             "sequence_col": null, "schema": {"id": "string", "ts": "timestamp", "x": "int"}}},
            "call": {"method": "resample", "kwargs": {"freq": "2 sec", "func": "ceil", "prefix": "last", "fill": true}}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("input.csv"),
        "id,ts,x\na,2024-01-01T00:00:00.500000Z,1\na,2024-01-01T00:00:01.000000Z,2\na,2024-01-01T00:00:05.000000Z,\n",
    )
    .unwrap();
    let out = iotwb_tempo(&dir);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "id,ts,last_x\na,2024-01-01T00:00:00.000000Z,2\na,2024-01-01T00:00:02.000000Z,0\na,2024-01-01T00:00:04.000000Z,0\n"
    );
}
