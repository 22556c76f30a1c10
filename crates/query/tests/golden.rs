//! Golden tests: every case of the Spark SQL fixtures (fixtures/sql, or $IOTWB_SQL_FIXTURES,
//! and the corner cases of fixtures/sql-corners over the same tables) runs through the engine
//! and is compared with Spark's result under the fixtures' README rules: error cases by class;
//! schemas by name (except generated names) and type; rows in order when `ordered`, else as
//! multisets; doubles to 1e-9 relative, floats at f32 precision, everything else exactly.
//!
//! A case that fails and is not listed in its suite's known failures fails the test; so does a
//! listed case that passes (shrink the list).

mod golden_support;

use std::collections::BTreeMap;
use std::path::Path;

use golden_support::{Case, compare_case, corners_dir, load_cases, load_session};

/// Cases that do not pass yet, with the reason. Keep it short and honest.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// Corner cases (issue 15) that do not pass yet, with the reason.
const CORNER_KNOWN_FAILURES: &[(&str, &str)] = &[];

#[test]
fn golden_cases_match_spark() {
    let (session, dir) = load_session();
    run_suite(&session, &dir, 100, KNOWN_FAILURES);
}

#[test]
fn corner_cases_match_spark() {
    let (session, _) = load_session();
    run_suite(&session, &corners_dir(), 60, CORNER_KNOWN_FAILURES);
}

fn run_suite(
    session: &query::Session,
    dir: &Path,
    min_cases: usize,
    known_failures: &[(&str, &str)],
) {
    let cases: Vec<Case> = load_cases(dir);
    assert!(
        cases.len() >= min_cases,
        "expected the fixture cases in {}, found {}",
        dir.display(),
        cases.len()
    );
    let mut per_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut regressions = Vec::new();
    let mut fixed = Vec::new();
    for case in &cases {
        let outcome = compare_case(session, case);
        let entry = per_category.entry(case.category.clone()).or_default();
        entry.1 += 1;
        let known = known_failures.iter().find(|(id, _)| *id == case.id);
        match (&outcome, known) {
            (Ok(()), None) => entry.0 += 1,
            (Ok(()), Some(_)) => {
                entry.0 += 1;
                fixed.push(case.id.clone());
            }
            (Err(why), None) => regressions.push(format!("{}: {why}", case.id)),
            (Err(_), Some(_)) => {}
        }
    }
    println!("\n{}", dir.display());
    println!("{:<12} {:>6} {:>6}", "category", "pass", "total");
    let (mut pass, mut total) = (0, 0);
    for (cat, (p, t)) in &per_category {
        println!("{cat:<12} {p:>6} {t:>6}");
        pass += p;
        total += t;
    }
    println!("{:<12} {pass:>6} {total:>6}\n", "all");
    for (id, reason) in known_failures {
        println!("known failure {id}: {reason}");
    }
    assert!(
        regressions.is_empty(),
        "{} cases fail:\n{}",
        regressions.len(),
        regressions.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "these known failures pass now; remove them from the known failures: {fixed:?}"
    );
}
