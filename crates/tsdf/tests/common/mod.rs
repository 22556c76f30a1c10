//! Shared helpers of the integration tests: locating and comparing Tempo fixture cases.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tsdf::fixture::{CaseError, CaseOutput, Csv, batch_to_csv, parse_csv, parse_params, run_case};

/// The fixtures folder: `$IOTWB_TEMPO_FIXTURES`, else the repo's `fixtures/tempo`.
pub fn fixtures_dir() -> PathBuf {
    std::env::var_os("IOTWB_TEMPO_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/tempo"))
}

/// Every case directory (a folder with `params.json`), sorted by name.
pub fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("params.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// A loaded case: its params and its input texts.
pub struct Case {
    pub name: String,
    pub dir: PathBuf,
    pub params: Value,
    pub files: HashMap<String, String>,
}

pub fn load_case(dir: &Path) -> Case {
    let params =
        parse_params(&std::fs::read_to_string(dir.join("params.json")).expect("params.json"))
            .expect("valid json");
    let files = tsdf::fixture::input_files(&params)
        .expect("inputs")
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(dir.join(&f))
                .unwrap_or_else(|e| panic!("{}: {f}: {e}", dir.display()));
            (f, text)
        })
        .collect();
    Case {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        dir: dir.to_path_buf(),
        params,
        files,
    }
}

impl Case {
    pub fn run(&self) -> Result<CaseOutput, CaseError> {
        run_case(&self.params, &self.files)
    }

    pub fn expected_error(&self) -> Option<&str> {
        self.params["output"]["expected_error"].as_str()
    }

    pub fn expected(&self) -> Csv {
        let text = std::fs::read_to_string(self.dir.join("expected.csv")).expect("expected.csv");
        parse_csv("expected.csv", &text).expect("expected csv parses")
    }
}

/// Compares two CSV texts' tables under the README's rules; returns a description of the first
/// difference. `float_cols` are compared with relative tolerance `tol` (scaled by the column's
/// largest magnitude, since rounding errors scale with it); `keep_order` compares rows in order,
/// else rows are matched within groups of equal key columns.
pub fn compare(
    expected: &Csv,
    actual_text: &str,
    key_cols: &[String],
    float_cols: &[String],
    tol: f64,
    keep_order: bool,
) -> Result<(), String> {
    let actual = parse_csv("actual", actual_text).map_err(|e| e.to_string())?;
    if actual.header != expected.header {
        return Err(format!(
            "columns differ:\n  expected {:?}\n  actual   {:?}",
            expected.header, actual.header
        ));
    }
    if actual.rows.len() != expected.rows.len() {
        return Err(format!(
            "row count: expected {}, actual {}",
            expected.rows.len(),
            actual.rows.len()
        ));
    }
    let is_float: Vec<bool> = expected
        .header
        .iter()
        .map(|h| float_cols.contains(h))
        .collect();
    let scale: Vec<f64> = (0..expected.header.len())
        .map(|c| {
            expected
                .rows
                .iter()
                .filter_map(|r| r[c].as_deref().and_then(|s| s.parse::<f64>().ok()))
                .filter(|x| x.is_finite())
                .fold(0.0f64, |m, x| m.max(x.abs()))
        })
        .collect();
    let cell_eq = |c: usize, a: &Option<String>, b: &Option<String>| -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(x), Some(y)) if x == y => true,
            (Some(x), Some(y)) if is_float[c] || keep_order => {
                match (x.parse::<f64>(), y.parse::<f64>()) {
                    (Ok(p), Ok(q)) => {
                        (p.is_nan() && q.is_nan())
                            || (p - q).abs() <= tol * p.abs().max(q.abs()).max(scale[c])
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    };
    let row_eq = |a: &Vec<Option<String>>, b: &Vec<Option<String>>| {
        (0..a.len()).all(|c| cell_eq(c, &a[c], &b[c]))
    };
    let describe = |r: &Vec<Option<String>>| format!("{:?}", r);
    if keep_order {
        for (i, (e, a)) in expected.rows.iter().zip(&actual.rows).enumerate() {
            if !row_eq(e, a) {
                return Err(format!(
                    "row {i} differs:\n  expected {}\n  actual   {}",
                    describe(e),
                    describe(a)
                ));
            }
        }
        return Ok(());
    }
    let key_idx: Vec<usize> = key_cols
        .iter()
        .filter_map(|k| expected.header.iter().position(|h| h == k))
        .collect();
    let key = |r: &Vec<Option<String>>| key_idx.iter().map(|&i| r[i].clone()).collect::<Vec<_>>();
    let mut groups: HashMap<Vec<Option<String>>, Vec<&Vec<Option<String>>>> = HashMap::new();
    for r in &actual.rows {
        groups.entry(key(r)).or_default().push(r);
    }
    for e in &expected.rows {
        let Some(candidates) = groups.get_mut(&key(e)) else {
            return Err(format!(
                "no actual row with key {:?} for expected {}",
                key(e),
                describe(e)
            ));
        };
        match candidates.iter().position(|a| row_eq(e, a)) {
            Some(p) => {
                candidates.swap_remove(p);
            }
            None => {
                return Err(format!(
                    "expected row not found:\n  expected {}\n  closest  {}",
                    describe(e),
                    candidates
                        .first()
                        .map(|a| describe(a))
                        .unwrap_or_else(|| "(none left)".into())
                ));
            }
        }
    }
    Ok(())
}

/// Runs a case and compares it with `expected.csv`.
pub fn check_case(case: &Case) -> Result<(), String> {
    let out = case.run().map_err(|e| format!("error: {e}"))?;
    let o = &case.params["output"];
    let schema = o["schema"].as_object().cloned().unwrap_or_default();
    let float_cols: Vec<String> = schema
        .iter()
        .filter(|(_, t)| t.as_str() == Some("double") || t.as_str() == Some("float"))
        .map(|(k, _)| k.clone())
        .collect();
    let mut keys: Vec<String> = o["partition_cols"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if let Some(ts) = o["ts_col"].as_str() {
        keys.push(ts.to_string());
    }
    let method = case.params["call"]["method"].as_str().unwrap_or("");
    let tol = if method == "fourier_transform" {
        1e-9
    } else {
        1e-12
    };
    compare(
        &case.expected(),
        &batch_to_csv(&out.batch),
        &keys,
        &float_cols,
        tol,
        method == "describe",
    )
}
