//! LATERAL subqueries in FROM: each left row sees its own subquery rows, a LEFT lateral join
//! keeps left rows without one, and Spark's join-type rule holds. Values are worked out by hand.

use query::{Catalog, ExecOptions, Session};
use serde_json::{Value, json};

fn session() -> Session {
    Session::new(Catalog::new()).with_options(ExecOptions::at(1_680_307_200_000_000))
}

fn rows(sql: &str) -> Vec<Value> {
    let result = session().sql(sql).unwrap_or_else(|e| panic!("{sql}\n{e}"));
    let json = query::json::result_json(&result).unwrap();
    json["rows"].as_array().unwrap().clone()
}

const DEVICES: &str = "VALUES (1), (2), (3) AS d(id)";
const READINGS: &str = "VALUES (1, 10), (1, 30), (2, 5), (1, 20) AS r(id, v)";

#[test]
fn test_lateral_subquery_runs_per_left_row() {
    let sql = format!(
        "SELECT d.id, l.top FROM {DEVICES}, \
         LATERAL (SELECT max(r.v) AS top FROM {READINGS} WHERE r.id = d.id) l ORDER BY d.id"
    );
    // An aggregate without GROUP BY gives one row even for device 3, which has no readings.
    assert_eq!(
        rows(&sql),
        vec![json!([1, 30]), json!([2, 5]), json!([3, null])]
    );
}

#[test]
fn test_inner_lateral_drops_rows_without_subquery_rows() {
    let sql = format!(
        "SELECT d.id, l.v FROM {DEVICES} JOIN LATERAL \
         (SELECT r.v FROM {READINGS} WHERE r.id = d.id ORDER BY r.v DESC LIMIT 2) l \
         ORDER BY d.id, l.v"
    );
    assert_eq!(
        rows(&sql),
        vec![json!([1, 20]), json!([1, 30]), json!([2, 5])]
    );
}

#[test]
fn test_left_lateral_keeps_unmatched_rows_with_nulls_and_applies_on() {
    let sql = format!(
        "SELECT d.id, l.v FROM {DEVICES} LEFT JOIN LATERAL \
         (SELECT r.v FROM {READINGS} WHERE r.id = d.id) l ON l.v > 15 ORDER BY d.id, l.v"
    );
    // Device 2's only reading fails the ON condition; device 3 has none.
    assert_eq!(
        rows(&sql),
        vec![
            json!([1, 20]),
            json!([1, 30]),
            json!([2, null]),
            json!([3, null])
        ]
    );
}

#[test]
fn test_later_lateral_reads_an_earlier_one() {
    let sql = format!(
        "SELECT id, doubled, plus_one FROM {DEVICES}, LATERAL (SELECT id * 2 AS doubled), \
         LATERAL (SELECT doubled + 1 AS plus_one) ORDER BY id"
    );
    assert_eq!(
        rows(&sql),
        vec![json!([1, 2, 3]), json!([2, 4, 5]), json!([3, 6, 7])]
    );
}

#[test]
fn test_lateral_inside_a_correlated_subquery_reads_both_levels() {
    // The lateral's `d.id` is two levels out, its `x.k` one level out.
    let sql = format!(
        "SELECT d.id, (SELECT sum(s) FROM VALUES (10), (20) AS x(k), \
         LATERAL (SELECT x.k + d.id AS s)) AS total FROM {DEVICES} ORDER BY d.id"
    );
    assert_eq!(
        rows(&sql),
        vec![json!([1, 32]), json!([2, 34]), json!([3, 36])]
    );
}

#[test]
fn test_right_and_full_lateral_joins_are_spark_errors() {
    for join in ["RIGHT JOIN", "FULL OUTER JOIN"] {
        let sql = format!("SELECT * FROM {DEVICES} {join} LATERAL (SELECT d.id AS x) l ON true");
        let err = session().sql(&sql).expect_err(&sql);
        assert_eq!(err.class(), "INVALID_LATERAL_JOIN_TYPE", "{sql}");
        assert!(err.to_string().contains("LEFT OUTER JOIN instead"), "{err}");
    }
}
