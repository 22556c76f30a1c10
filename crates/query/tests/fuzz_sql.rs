//! Spark SQL queries are untrusted input: mutated fixture queries and random text must come
//! back as a result or an error (a rejection of the text with its line:col), never a panic, a stack
//! overflow or a hang; inputs that once failed are replayed from `tests/fuzz_regressions/sql`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use fuzzkit::mutate::{mutated, random_text};
use proptest::prelude::*;
use query::{Catalog, ExecOptions, QueryError, Session};

/// Rows kept of each fixture table: enough for joins and windows to do work, few enough that
/// a mutation into a three-way cross join stays fast.
const ROWS_PER_TABLE: usize = 40;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sql")
}

/// The fixture tables, cut to their first rows, shared by every input.
fn session() -> Arc<Session> {
    static SESSION: OnceLock<Arc<Session>> = OnceLock::new();
    SESSION
        .get_or_init(|| {
            let dir = fixtures();
            let manifest = std::fs::read_to_string(dir.join("tables.json")).expect("tables.json");
            let mut catalog = Catalog::new();
            for spec in query::csv::parse_manifest(&manifest).expect("manifest") {
                let text = std::fs::read_to_string(dir.join(&spec.file)).expect("table csv");
                let cut: String = text
                    .lines()
                    .take(ROWS_PER_TABLE + 1)
                    .map(|l| format!("{l}\n"))
                    .collect();
                let table = query::csv::read_csv(&cut, &spec.schema).expect("fixture table");
                catalog.register_table(&spec.name, table);
            }
            Arc::new(Session::new(catalog).with_options(ExecOptions::at(1_700_000_000_000_000)))
        })
        .clone()
}

/// The fixture queries: the seeds of the mutations.
pub fn fixture_queries() -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("cases"))
        .expect("cases")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| {
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()?;
            Some(json["sql"].as_str()?.to_string())
        })
        .collect()
}

/// Run one query: any result or error is fine except an internal error (an engine bug), and
/// a rejection of the text (syntax, unsupported) must point inside it.
pub fn check(sql: String) -> Result<(), String> {
    match session().sql(&sql) {
        Ok(_) => Ok(()),
        Err(e @ QueryError::Internal(_)) => Err(format!("internal error: {e}")),
        Err(e @ (QueryError::Syntax { .. } | QueryError::Unsupported { .. })) => {
            let Some(span) = e.span() else {
                return Err(format!("a rejection without a location: {e}"));
            };
            let lines = sql.split('\n').count() as u32;
            if span.start.line == 0 || span.start.line > lines + 1 {
                return Err(format!("{e} points at line {} of {lines}", span.start.line));
            }
            Ok(())
        }
        Err(_) => Ok(()),
    }
}

#[test]
fn mutated_fixture_queries_never_crash() {
    fuzzkit::fuzz("sql mutated", 300, mutated(fixture_queries()), check);
}

#[test]
fn random_text_as_a_query_never_crashes() {
    fuzzkit::fuzz("sql random", 200, random_text(200), check);
}

#[test]
fn queries_that_once_failed_still_answer() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions/sql");
    for (name, sql) in fuzzkit::regressions::cases(&dir) {
        fuzzkit::guarded(&format!("sql regression {name}"), sql, check);
    }
}

proptest! {
    // Keeps proptest's own runner honest too: tiny queries of the grammar's pieces.
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn expression_soup_never_crashes(parts in prop::collection::vec(prop::sample::select(vec![
        "1", "-", "+", "*", "/", "%", "(", ")", "'a'", "NULL", "CAST(", " AS INT)", "device_id",
        "CASE WHEN ", " THEN ", " ELSE ", " END", ",", "abs(", "sum(", "OVER ()", " AND ", " IN (",
        "x'0f'", "DATE '2024-01-01'", "INTERVAL 1 DAY", "array(", "map(", "[0]", ".a",
    ]), 0..30)) {
        let sql = format!("SELECT {} FROM sensor_bronze", parts.concat());
        let outcome = fuzzkit_check(sql);
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}

fn fuzzkit_check(sql: String) -> Result<(), String> {
    let (done, answer) = std::sync::mpsc::channel();
    let worker = std::thread::Builder::new()
        .stack_size(fuzzkit::WASM_STACK_BYTES)
        .spawn(move || {
            let _ = done.send(check(sql));
        })
        .expect("spawn");
    match answer.recv_timeout(fuzzkit::INPUT_DEADLINE) {
        Ok(outcome) => outcome,
        Err(_) => Err(format!(
            "panicked or hung: {:?}",
            worker.join().err().map(|_| "panic")
        )),
    }
}
