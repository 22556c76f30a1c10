//! A materialized view that calls a function which is not immutable (`rand`, `uuid`, or
//! `current_timestamp`, which changes between updates) cannot keep old rows: every update
//! recomputes it whole, wherever the call sits (a projection, a filter, a subquery).

mod common;

use common::{land, load, project, rows, update};
use pipeline::engine::{Strategy, UpdateReport};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;

const BRONZE: &str = "
CREATE STREAMING TABLE orders AS SELECT * FROM STREAM read_files('${landing}', format => 'csv',
  schemaHints => 'id int, customer string, amount double');
";
const FIRST: &str = "id,customer,amount\n1,ann,50\n2,bob,150\n3,ann,120\n";
const SECOND: &str = "id,customer,amount\n4,bob,30\n5,dan,200\n";

/// The second update's report of `view` and the view's rows after each update.
fn two_updates(view_sql: &str, view: &str) -> (UpdateReport, Vec<String>, Vec<String>) {
    let sql = format!("{BRONZE}\n{view_sql}");
    let p = load(&project(&[("p.sql", &sql)]));
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    land(&mut volume, "/Volumes/main/s/landing/a.csv", FIRST);
    update(&p, &mut state, &volume);
    let qualified = format!("main.s.{view}");
    let before = rows(&state, &qualified);
    land(&mut volume, "/Volumes/main/s/landing/b.csv", SECOND);
    let report = update(&p, &mut state, &volume);
    (report, before, rows(&state, &qualified))
}

fn strategy_of(report: &UpdateReport, name: &str) -> (Option<Strategy>, String, usize) {
    let flow = report.flows.iter().find(|f| f.dataset == name).unwrap();
    (flow.strategy, flow.reason.clone(), flow.rows_written)
}

#[test]
fn test_a_row_by_row_view_calling_rand_is_recomputed_not_appended() {
    let (report, before, after) = two_updates(
        "CREATE MATERIALIZED VIEW sampled AS SELECT id, rand() AS r FROM orders;",
        "sampled",
    );
    let (strategy, reason, written) = strategy_of(&report, "sampled");
    assert_eq!(strategy, Some(Strategy::CompleteRecompute), "{reason}");
    assert!(reason.contains("non-deterministic"), "{reason}");
    assert_eq!(written, 5);
    // Recomputed: the first rows drew new numbers (an append would have kept them).
    let first_ids = |rows: &[String]| -> Vec<String> {
        rows.iter()
            .filter(|r| r.starts_with(['1', '2', '3']))
            .cloned()
            .collect()
    };
    assert_eq!(first_ids(&after).len(), 3);
    assert_ne!(first_ids(&before), first_ids(&after));
}

#[test]
fn test_a_grouped_view_with_uuid_is_recomputed() {
    let (report, _, after) = two_updates(
        "CREATE MATERIALIZED VIEW tagged AS SELECT customer, max(uuid()) AS tag, count(*) AS n \
         FROM orders GROUP BY customer;",
        "tagged",
    );
    let (strategy, reason, written) = strategy_of(&report, "tagged");
    assert_eq!(strategy, Some(Strategy::CompleteRecompute), "{reason}");
    assert_eq!(written, 3);
    assert_eq!(after.len(), 3);
}

#[test]
fn test_current_timestamp_inside_a_subquery_forces_a_complete_recompute() {
    // The clock hides in a subquery, which the plan's text did not show.
    let (report, _, after) = two_updates(
        "CREATE MATERIALIZED VIEW recent AS SELECT customer, count(*) AS n FROM orders \
         WHERE id IN (SELECT id FROM orders WHERE current_timestamp() IS NOT NULL) \
         GROUP BY customer;",
        "recent",
    );
    let (strategy, reason, _) = strategy_of(&report, "recent");
    assert_eq!(strategy, Some(Strategy::CompleteRecompute), "{reason}");
    assert!(reason.contains("non-deterministic"), "{reason}");
    assert_eq!(after.len(), 3);
}

#[test]
fn test_an_immutable_row_by_row_view_is_still_appended() {
    let (report, _, after) = two_updates(
        "CREATE MATERIALIZED VIEW doubled AS SELECT id, amount * 2 AS twice FROM orders;",
        "doubled",
    );
    let (strategy, reason, written) = strategy_of(&report, "doubled");
    assert_eq!(strategy, Some(Strategy::AppendOnly), "{reason}");
    assert_eq!((written, after.len()), (2, 5));
}
