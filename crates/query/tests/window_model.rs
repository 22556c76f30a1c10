//! Property test: window functions agree with a naive interpreter (written here) on random
//! tables whose partition keys mix strings, NULLs, `-0.0`/`0.0` and NaN, and whose ORDER BY
//! keys tie. The engine sorts on hashed partition ids and packed or row-encoded order keys;
//! the reference compares values directly. The table is stored as several batches, as a
//! streaming table's files are: a window joins only the columns it reads and slices its results
//! back onto each batch.

use std::cmp::Ordering;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use proptest::prelude::*;
use query::{Catalog, Session, SparkType, Table};
use serde_json::{Value, json};

#[derive(Debug, Clone)]
struct Row {
    p: Option<&'static str>,
    f: Option<f64>,
    o: Option<i64>,
    s: Option<&'static str>,
}

fn row() -> impl Strategy<Value = Row> {
    (
        proptest::option::of(prop_oneof![Just("a"), Just("b")]),
        proptest::option::of(prop_oneof![
            Just(-0.0),
            Just(0.0),
            Just(f64::NAN),
            Just(2.5)
        ]),
        proptest::option::of(0i64..3),
        proptest::option::of(prop_oneof![Just(""), Just("m"), Just("mm")]),
    )
        .prop_map(|(p, f, o, s)| Row { p, f, o, s })
}

fn session(rows: &[Row], cuts: &[usize]) -> Session {
    let schema = vec![
        ("id".to_string(), SparkType::Long),
        ("p".to_string(), SparkType::String),
        ("f".to_string(), SparkType::Double),
        ("o".to_string(), SparkType::Long),
        ("s".to_string(), SparkType::String),
    ];
    let arrow = Arc::new(arrow::datatypes::Schema::new(
        schema
            .iter()
            .map(|(n, t)| arrow::datatypes::Field::new(n, t.to_arrow(), true))
            .collect::<Vec<_>>(),
    ));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(0..rows.len() as i64)),
        Arc::new(StringArray::from(
            rows.iter().map(|r| r.p).collect::<Vec<_>>(),
        )),
        Arc::new(Float64Array::from(
            rows.iter().map(|r| r.f).collect::<Vec<_>>(),
        )),
        Arc::new(Int64Array::from(
            rows.iter().map(|r| r.o).collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            rows.iter().map(|r| r.s).collect::<Vec<_>>(),
        )),
    ];
    let batch = RecordBatch::try_new(arrow, columns).unwrap();
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (rows.len() + 1)).collect();
    bounds.extend([0, rows.len()]);
    bounds.sort_unstable();
    let batches = bounds
        .windows(2)
        .map(|w| batch.slice(w[0], w[1] - w[0]))
        .collect();
    let mut catalog = Catalog::new();
    catalog.register_table("t", Table::new(schema, batches).unwrap());
    Session::new(catalog)
}

/// Spark groups `-0.0` with `0.0` and every NaN together.
fn same_float(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x.is_nan() && y.is_nan()) || x == y,
        _ => false,
    }
}

/// ASC NULLS FIRST (`descending` false) or DESC NULLS LAST (true), Spark's defaults.
fn by<T: PartialOrd>(a: &Option<T>, b: &Option<T>, descending: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => {
            if descending {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Some(_), None) => {
            if descending {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (Some(x), Some(y)) => {
            let o = x.partial_cmp(y).expect("no NaN in order keys");
            if descending { o.reverse() } else { o }
        }
    }
}

fn engine(session: &Session, sql: &str) -> Vec<Value> {
    let result = session.sql(sql).unwrap_or_else(|e| panic!("{sql}\n{e}"));
    let mut rows = query::json::result_json(&result).unwrap()["rows"]
        .as_array()
        .unwrap()
        .clone();
    rows.sort_by_key(|r| r[0].as_i64());
    rows
}

/// row_number and lag over (PARTITION BY p, f ORDER BY o, id), rank over
/// (PARTITION BY p, f ORDER BY o DESC), by hand.
fn naive_numeric(rows: &[Row]) -> Vec<Value> {
    (0..rows.len())
        .map(|i| {
            let mine: Vec<usize> = (0..rows.len())
                .filter(|&j| rows[j].p == rows[i].p && same_float(rows[j].f, rows[i].f))
                .collect();
            let mut ordered = mine.clone();
            ordered.sort_by(|&a, &b| by(&rows[a].o, &rows[b].o, false).then(a.cmp(&b)));
            let at = ordered.iter().position(|&j| j == i).unwrap();
            let prev = (at > 0).then(|| ordered[at - 1] as i64);
            let before = mine
                .iter()
                .filter(|&&j| by(&rows[j].o, &rows[i].o, true) == Ordering::Less)
                .count();
            json!([i, at + 1, prev, before + 1])
        })
        .collect()
}

/// row_number over (PARTITION BY o ORDER BY s DESC, id): a variable-width order key.
fn naive_strings(rows: &[Row]) -> Vec<Value> {
    (0..rows.len())
        .map(|i| {
            let mut ordered: Vec<usize> = (0..rows.len())
                .filter(|&j| rows[j].o == rows[i].o)
                .collect();
            ordered.sort_by(|&a, &b| by(&rows[a].s, &rows[b].s, true).then(a.cmp(&b)));
            json!([i, ordered.iter().position(|&j| j == i).unwrap() + 1])
        })
        .collect()
}

/// The rows of row `i`'s partition by `p`, ordered by `o` then input position (ties in `o` keep
/// input order, the engine's documented rule), and `i`'s place among them.
fn ordered_by_o_within_p(rows: &[Row], i: usize) -> (Vec<usize>, usize) {
    let mut ordered: Vec<usize> = (0..rows.len())
        .filter(|&j| rows[j].p == rows[i].p)
        .collect();
    ordered.sort_by(|&a, &b| by(&rows[a].o, &rows[b].o, false).then(a.cmp(&b)));
    let at = ordered.iter().position(|&j| j == i).unwrap();
    (ordered, at)
}

/// lag with a default, lead and lag IGNORE NULLS over (PARTITION BY p ORDER BY o).
fn naive_offsets(rows: &[Row]) -> Vec<Value> {
    (0..rows.len())
        .map(|i| {
            let (ordered, at) = ordered_by_o_within_p(rows, i);
            let lag_two = if at >= 2 { ordered[at - 2] as i64 } else { -1 };
            let lead_valid = ordered[at + 1..].iter().find_map(|&j| rows[j].o);
            let lag_two_valid = ordered[..at].iter().rev().filter_map(|&j| rows[j].o).nth(1);
            json!([i, lag_two, lead_valid, lag_two_valid])
        })
        .collect()
}

/// `SELECT *` with lag(id) over (PARTITION BY p ORDER BY o, id): every column passes through
/// unchanged, followed by the previous id in the row's partition.
fn naive_passthrough(rows: &[Row], all: &[Value]) -> Vec<Value> {
    all.iter()
        .map(|row| {
            let i = row[0].as_u64().unwrap() as usize;
            let (ordered, at) = ordered_by_o_within_p(rows, i);
            let mut out = row.as_array().unwrap().clone();
            out.push(json!((at > 0).then(|| ordered[at - 1] as i64)));
            Value::Array(out)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn window_functions_match_a_naive_interpreter(
        rows in proptest::collection::vec(row(), 0..40),
        cuts in proptest::collection::vec(0usize..41, 0..4),
    ) {
        let session = session(&rows, &cuts);
        let numeric = "SELECT id, row_number() OVER w, lag(id) OVER w, \
            rank() OVER (PARTITION BY p, f ORDER BY o DESC) FROM t \
            WINDOW w AS (PARTITION BY p, f ORDER BY o, id)";
        prop_assert_eq!(engine(&session, numeric), naive_numeric(&rows));
        let strings = "SELECT id, row_number() OVER (PARTITION BY o ORDER BY s DESC, id) FROM t";
        prop_assert_eq!(engine(&session, strings), naive_strings(&rows));
        let offsets = "SELECT id, lag(id, 2, -1) OVER v, lead(o) IGNORE NULLS OVER v, \
            lag(o, 2) IGNORE NULLS OVER v FROM t WINDOW v AS (PARTITION BY p ORDER BY o)";
        prop_assert_eq!(engine(&session, offsets), naive_offsets(&rows));
        let all = engine(&session, "SELECT * FROM t");
        let passthrough = "SELECT *, lag(id) OVER (PARTITION BY p ORDER BY o, id) FROM t";
        prop_assert_eq!(engine(&session, passthrough), naive_passthrough(&rows, &all));
    }
}
