//! Golden tests: every case of the Spark SQL fixtures (fixtures/sql, or $IOTWB_SQL_FIXTURES)
//! runs through the engine and is compared with Spark's result under the fixtures' README
//! rules: error cases by class; schemas by name (except generated names) and type; rows in
//! order when `ordered`, else as multisets; doubles to 1e-9 relative, floats at f32
//! precision, everything else exactly.
//!
//! A case that fails and is not listed in `KNOWN_FAILURES` fails the test; so does a listed
//! case that passes (shrink the list).

mod golden_support;

use std::collections::BTreeMap;

use golden_support::{Case, compare_case, load_cases, load_session};

/// Cases that do not pass yet, with the reason. Keep it short and honest.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

#[test]
fn golden_cases_match_spark() {
    let (session, dir) = load_session();
    let cases: Vec<Case> = load_cases(&dir);
    assert!(
        cases.len() >= 100,
        "expected the fixture cases in {}, found {}",
        dir.display(),
        cases.len()
    );
    let mut per_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut regressions = Vec::new();
    let mut fixed = Vec::new();
    for case in &cases {
        let outcome = compare_case(&session, case);
        let entry = per_category.entry(case.category.clone()).or_default();
        entry.1 += 1;
        let known = KNOWN_FAILURES.iter().find(|(id, _)| *id == case.id);
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
    println!("\n{:<12} {:>6} {:>6}", "category", "pass", "total");
    let (mut pass, mut total) = (0, 0);
    for (cat, (p, t)) in &per_category {
        println!("{cat:<12} {p:>6} {t:>6}");
        pass += p;
        total += t;
    }
    println!("{:<12} {pass:>6} {total:>6}\n", "all");
    for (id, reason) in KNOWN_FAILURES {
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
        "these known failures pass now; remove them from KNOWN_FAILURES: {fixed:?}"
    );
}
