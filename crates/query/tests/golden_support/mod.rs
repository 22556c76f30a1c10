//! Loading the SQL fixtures and comparing engine results with them (README rules).

use std::path::{Path, PathBuf};

use query::{Catalog, ExecOptions, Session};
use serde_json::Value;

/// The fixed clock for golden runs (2023-04-01T00:00:00Z), so `current_timestamp()` is stable.
const NOW_MICROS: i64 = 1_680_307_200_000_000;

/// One fixture case.
pub struct Case {
    pub id: String,
    pub category: String,
    pub sql: String,
    pub json: Value,
}

/// The fixtures folder.
pub fn fixtures_dir() -> PathBuf {
    match std::env::var_os("IOTWB_SQL_FIXTURES") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sql"),
    }
}

/// The corner-case fixtures (issue 15: runtime error classes, grouping sets, set operations
/// and subqueries), over the main set's tables.
pub fn corners_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sql-corners")
}

/// A session over the fixture tables.
pub fn load_session() -> (Session, PathBuf) {
    let dir = fixtures_dir();
    let manifest = std::fs::read_to_string(dir.join("tables.json")).expect("tables.json");
    let mut catalog = Catalog::new();
    for spec in query::csv::parse_manifest(&manifest).expect("manifest") {
        let text = std::fs::read_to_string(dir.join(&spec.file)).expect("table csv");
        let table = query::csv::read_csv(&text, &spec.schema)
            .unwrap_or_else(|e| panic!("{}: {e}", spec.file));
        catalog.register_table(&spec.name, table);
    }
    (
        Session::new(catalog).with_options(ExecOptions::at(NOW_MICROS)),
        dir,
    )
}

/// Every case of `dir/cases`, sorted by id.
pub fn load_cases(dir: &Path) -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("cases"))
        .expect("cases folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let json: Value = serde_json::from_str(&std::fs::read_to_string(&p).expect("case"))
                .expect("case json");
            Case {
                id: json["id"].as_str().unwrap_or_default().to_string(),
                category: json["category"].as_str().unwrap_or_default().to_string(),
                sql: json["sql"].as_str().unwrap_or_default().to_string(),
                json,
            }
        })
        .collect()
}

/// Run one case and compare; `Err` says what differs.
pub fn compare_case(session: &Session, case: &Case) -> Result<(), String> {
    let result = session.sql(&case.sql);
    // A deliberate deviation (listed in the README) replaces Spark's error with the
    // workbook's error (`class`), or with an answer (`accepts`: syntax Spark rejects).
    let deviation = case.json.get("workbook_deviation");
    if deviation.and_then(|d| d["accepts"].as_bool()) == Some(true) {
        return result
            .map(|_| ())
            .map_err(|e| format!("the workbook accepts this query (a deviation), got {e}"));
    }
    let expected_error = deviation.or_else(|| case.json.get("error"));
    if let Some(expected) = expected_error {
        let class = expected["class"].as_str().unwrap_or_default();
        return match result {
            Ok(r) => Err(format!("expected error {class}, got {} rows", r.num_rows())),
            Err(e) if e.class() == class => Ok(()),
            Err(e) => Err(format!("expected error {class}, got {e}")),
        };
    }
    let result = result.map_err(|e| format!("unexpected error: {e}"))?;
    let expected_schema = case.json["expected_schema"]
        .as_array()
        .ok_or("no expected_schema")?;
    let generated: Vec<usize> = case.json["generated_name_columns"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_u64().map(|v| v as usize))
                .collect()
        })
        .unwrap_or_default();
    if expected_schema.len() != result.schema.len() {
        return Err(format!(
            "{} columns, expected {}: {:?}",
            result.schema.len(),
            expected_schema.len(),
            result.schema
        ));
    }
    let mut types = Vec::new();
    for (i, (exp, (name, t))) in expected_schema.iter().zip(&result.schema).enumerate() {
        let (en, et) = (
            exp[0].as_str().unwrap_or_default(),
            exp[1].as_str().unwrap_or_default(),
        );
        if et != t.simple_string() {
            return Err(format!("column {i} `{name}` has type {t}, expected {et}"));
        }
        if !generated.contains(&i) && en != name {
            return Err(format!("column {i} is named `{name}`, expected `{en}`"));
        }
        types.push(et.to_string());
    }
    let json = query::json::result_json(&result).map_err(|e| e.to_string())?;
    let got: Vec<Value> = json["rows"].as_array().cloned().unwrap_or_default();
    let want: Vec<Value> = case.json["rows"].as_array().cloned().unwrap_or_default();
    if got.len() != want.len() {
        return Err(format!("{} rows, expected {}", got.len(), want.len()));
    }
    let ordered = case.json["ordered"].as_bool().unwrap_or(false);
    compare_rows(got, want, &types, ordered)
}

fn compare_rows(
    mut got: Vec<Value>,
    mut want: Vec<Value>,
    types: &[String],
    ordered: bool,
) -> Result<(), String> {
    if !ordered {
        got.sort_by_key(sort_key);
        want.sort_by_key(sort_key);
    }
    let mismatch = got
        .iter()
        .zip(&want)
        .position(|(g, w)| !row_eq(g, w, types));
    let Some(first) = mismatch else { return Ok(()) };
    if ordered {
        return Err(format!(
            "row {first}: got {}, expected {}",
            got[first], want[first]
        ));
    }
    // Rounding can split near-equal values across the sort; match greedily instead.
    let mut used = vec![false; got.len()];
    for w in &want {
        match got
            .iter()
            .enumerate()
            .position(|(i, g)| !used[i] && row_eq(g, w, types))
        {
            Some(i) => used[i] = true,
            None => {
                return Err(format!(
                    "expected row {w} is missing (e.g. got {})",
                    got[first]
                ));
            }
        }
    }
    Ok(())
}

/// A sort key that ignores float noise: numbers rounded to 8 significant digits.
fn sort_key(v: &Value) -> String {
    match v {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            format!("n{:+.7e}", f)
        }
        Value::Array(a) => format!("[{}]", a.iter().map(sort_key).collect::<Vec<_>>().join(",")),
        Value::Object(m) => format!(
            "{{{}}}",
            m.values().map(sort_key).collect::<Vec<_>>().join(",")
        ),
        Value::Null => "0null".to_string(),
        other => format!("s{other}"),
    }
}

fn row_eq(got: &Value, want: &Value, types: &[String]) -> bool {
    match (got.as_array(), want.as_array()) {
        (Some(g), Some(w)) => {
            g.len() == w.len()
                && g.iter()
                    .zip(w)
                    .zip(types)
                    .all(|((a, b), t)| value_eq(a, b, t))
        }
        _ => false,
    }
}

/// The README's value rules for a column of Spark type `t`.
fn value_eq(got: &Value, want: &Value, t: &str) -> bool {
    match (got, want) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::Number(a), Value::Number(b)) if t == "double" || t == "float" => {
            let (a, b) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            if t == "float" {
                return a as f32 == b as f32 || (a - b).abs() <= 1e-6 * a.abs().max(b.abs());
            }
            (a - b).abs() <= (1e-9 * a.abs().max(b.abs())).max(1e-12)
        }
        (Value::Array(a), Value::Array(b)) => {
            let inner = t
                .strip_prefix("array<")
                .and_then(|s| s.strip_suffix('>'))
                .unwrap_or(t);
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| value_eq(x, y, inner))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && value_eq(va, vb, field_type(t, ka)))
        }
        (a, b) => a == b,
    }
}

/// The type of field `name` in `struct<a:T,b:U>` (plain types only, which the fixtures use).
fn field_type<'t>(t: &'t str, name: &str) -> &'t str {
    t.strip_prefix("struct<")
        .and_then(|s| s.strip_suffix('>'))
        .and_then(|s| {
            s.split(',')
                .find_map(|f| f.strip_prefix(name).and_then(|r| r.strip_prefix(':')))
        })
        .unwrap_or("")
}
