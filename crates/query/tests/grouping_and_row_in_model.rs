//! Property tests against naive references written here, independent of the engine:
//! GROUPING SETS with `grouping()` / `grouping_id()` against one GROUP BY per set, and
//! row-valued `(a, b) [NOT] IN (SELECT x, y ...)` against SQL's row comparison, on random
//! tables with NULLs.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int32Array, Int64Array, RecordBatch, StringArray};
use proptest::prelude::*;
use query::{Catalog, Session, SparkType, Table};
use serde_json::{Value, json};

#[derive(Debug, Clone)]
struct Row {
    a: Option<i32>,
    b: Option<i64>,
    c: Option<&'static str>,
}

fn rows(max: usize) -> impl Strategy<Value = Vec<Row>> {
    let row = (
        prop::option::weighted(0.8, -3i32..3),
        prop::option::weighted(0.8, -3i64..3),
        prop::option::weighted(0.8, prop::sample::select(vec!["x", "y"])),
    )
        .prop_map(|(a, b, c)| Row { a, b, c });
    prop::collection::vec(row, 0..max)
}

/// `t` (and `u`, the same columns) as tables, each split into two batches.
fn session(t: &[Row], u: &[Row]) -> Session {
    let schema = vec![
        ("a".to_string(), SparkType::Int),
        ("b".to_string(), SparkType::Long),
        ("c".to_string(), SparkType::String),
    ];
    let arrow = Arc::new(arrow::datatypes::Schema::new(
        schema
            .iter()
            .map(|(n, t)| arrow::datatypes::Field::new(n, t.to_arrow(), true))
            .collect::<Vec<_>>(),
    ));
    let batch = |part: &[Row]| {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Int32Array::from(
                part.iter().map(|r| r.a).collect::<Vec<_>>(),
            )),
            Arc::new(Int64Array::from(
                part.iter().map(|r| r.b).collect::<Vec<_>>(),
            )),
            Arc::new(StringArray::from(
                part.iter().map(|r| r.c).collect::<Vec<_>>(),
            )),
        ];
        RecordBatch::try_new(arrow.clone(), columns).unwrap()
    };
    let table = |data: &[Row]| {
        let mid = data.len() / 2;
        Table::new(
            schema.clone(),
            vec![batch(&data[..mid]), batch(&data[mid..])],
        )
        .unwrap()
    };
    let mut catalog = Catalog::new();
    catalog.register_table("t", table(t));
    catalog.register_table("u", table(u));
    Session::new(catalog)
}

fn engine_rows(session: &Session, sql: &str) -> Vec<Value> {
    let result = session.sql(sql).unwrap_or_else(|e| panic!("{sql}\n{e}"));
    let rows = query::json::result_json(&result).unwrap()["rows"]
        .as_array()
        .unwrap()
        .clone();
    sorted(rows)
}

fn sorted(mut rows: Vec<Value>) -> Vec<Value> {
    rows.sort_by_key(Value::to_string);
    rows
}

/// A group's `(a, c)` values, NULL where its grouping set leaves the key out.
type GroupKey = (Option<i32>, Option<&'static str>);

/// A grouping set over the keys `a` and `c`: which of the two it uses.
fn grouping_sets() -> impl Strategy<Value = Vec<(bool, bool)>> {
    prop::collection::vec((any::<bool>(), any::<bool>()), 1..5)
}

fn set_sql(set: &(bool, bool)) -> String {
    let keys: Vec<&str> = [(set.0, "a"), (set.1, "c")]
        .iter()
        .filter(|(used, _)| *used)
        .map(|(_, k)| *k)
        .collect();
    format!("({})", keys.join(", "))
}

/// SQL's `(a, b) = (x, y)`: TRUE, FALSE or unknown (None).
fn row_eq(l: &Row, r: &Row) -> Option<bool> {
    let a = l.a.zip(r.a).map(|(x, y)| x == y);
    let b = l.b.zip(r.b).map(|(x, y)| x == y);
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn grouping_sets_match_one_group_by_per_set(data in rows(30), sets in grouping_sets()) {
        // (a, c) comes first, so the group keys are (a, c) in that order (grouping_id() has
        // `a` as its high bit) whatever the random sets are.
        let sql = format!(
            "SELECT a, c, count(*), sum(b), grouping(a), grouping(c), grouping_id() FROM t \
             GROUP BY GROUPING SETS ((a, c), {}) HAVING grouping_id() >= 0",
            sets.iter().map(set_sql).collect::<Vec<_>>().join(", ")
        );
        let mut expected = Vec::new();
        for &(use_a, use_c) in std::iter::once(&(true, true)).chain(&sets) {
            let mut groups: BTreeMap<GroupKey, Vec<Option<i64>>> = BTreeMap::new();
            for r in &data {
                let key = (r.a.filter(|_| use_a), r.c.filter(|_| use_c));
                groups.entry(key).or_default().push(r.b);
            }
            // A set without keys is a global aggregate: one row even over no rows.
            if !use_a && !use_c && groups.is_empty() {
                groups.insert((None, None), Vec::new());
            }
            let (ga, gc) = (i64::from(!use_a), i64::from(!use_c));
            for ((a, c), bs) in groups {
                let present: Vec<i64> = bs.iter().flatten().copied().collect();
                expected.push(json!([
                    a,
                    c,
                    bs.len(),
                    (!present.is_empty()).then(|| present.iter().sum::<i64>()),
                    ga,
                    gc,
                    ga * 2 + gc
                ]));
            }
        }
        prop_assert_eq!(engine_rows(&session(&data, &[]), &sql), sorted(expected), "{}", sql);
    }

    #[test]
    fn row_valued_in_follows_row_comparison(t in rows(12), u in rows(8), negated in any::<bool>()) {
        // In WHERE, SQL's three-valued answer: a row is kept only when it is TRUE.
        let not = if negated { "NOT " } else { "" };
        let sql = format!("SELECT a, b FROM t WHERE (a, b) {not}IN (SELECT a, b FROM u)");
        let answer = |l: &Row| {
            let answers: Vec<Option<bool>> = u.iter().map(|r| row_eq(l, r)).collect();
            if answers.contains(&Some(true)) {
                Some(true)
            } else if answers.contains(&None) {
                None
            } else {
                Some(false)
            }
        };
        let expected: Vec<Value> = t
            .iter()
            .filter(|l| answer(l).map(|f| f != negated) == Some(true))
            .map(|l| json!([l.a, l.b]))
            .collect();
        prop_assert_eq!(engine_rows(&session(&t, &u), &sql), sorted(expected), "{}", sql);
        // In the select list, Spark's existence join: TRUE only on an exact match.
        let sql = format!("SELECT a, b, (a, b) {not}IN (SELECT a, b FROM u) FROM t");
        let expected: Vec<Value> = t
            .iter()
            .map(|l| json!([l.a, l.b, (answer(l) == Some(true)) != negated]))
            .collect();
        prop_assert_eq!(engine_rows(&session(&t, &u), &sql), sorted(expected), "{}", sql);
    }
}
