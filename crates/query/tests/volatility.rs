//! Volatile functions (`rand`, `randn`, `uuid`) are evaluated per row, at run time: constant
//! folding never replaces them with one value and filter push-down never moves a condition
//! that calls them (which would draw again below a projection or a join). `current_timestamp`
//! is one value for the whole query.

use arrow::array::{Array, AsArray};
use arrow::datatypes::{Float64Type, Int64Type};
use query::{Catalog, ExecOptions, Session};

fn session() -> Session {
    Session::new(Catalog::new()).with_options(ExecOptions::at(1_700_000_000_000_000))
}

fn doubles(sql: &str, column: usize) -> Vec<f64> {
    let batch = session().sql(sql).unwrap().concat().unwrap();
    let a = batch.column(column).as_primitive::<Float64Type>();
    (0..a.len()).map(|i| a.value(i)).collect()
}

#[test]
fn test_rand_is_not_folded_into_one_value() {
    let values = doubles("SELECT rand() AS r FROM range(100)", 0);
    let mut distinct = values.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    assert_eq!(distinct.len(), 100);
    assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
    // Nor an argument of an immutable function, nor a constant-looking expression.
    let shifted = doubles("SELECT rand(5) + 1 AS r FROM range(10)", 0);
    assert!(shifted.windows(2).all(|w| w[0] != w[1]), "{shifted:?}");
}

#[test]
fn test_seeded_rand_repeats_per_query() {
    let a = doubles("SELECT rand(42) AS r FROM range(20)", 0);
    let b = doubles("SELECT rand(42) AS r FROM range(20)", 0);
    assert_eq!(a, b);
    assert_ne!(a, doubles("SELECT rand(43) AS r FROM range(20)", 0));
}

#[test]
fn test_a_filter_on_a_random_column_is_not_pushed_below_its_projection() {
    // Pushed down, `r < 0.5` would become `rand(7) < 0.5` evaluated apart from the projected
    // `r`, and rows with r >= 0.5 would come out.
    let values = doubles(
        "SELECT id, r FROM (SELECT id, rand(7) AS r FROM range(2000)) WHERE r < 0.5",
        1,
    );
    assert!(!values.is_empty() && values.len() < 2000);
    assert!(values.iter().all(|r| *r < 0.5), "{values:?}");
}

#[test]
fn test_a_random_condition_over_a_join_stays_above_it() {
    // Each joined row draws once: about half of 1000 pairs stay. Pushed into one side, the
    // draw would select ids instead, and every kept id would keep all its pairs.
    let sql = "SELECT a.id, b.k FROM range(100) a JOIN (SELECT id % 10 AS k FROM range(100)) b \
               ON a.id % 10 = b.k WHERE rand(3) < 0.5";
    let batch = session().sql(sql).unwrap().concat().unwrap();
    let n = batch.num_rows();
    assert!((300..700).contains(&n), "{n} of 1000 joined rows kept");
    let ids = batch.column(0).as_primitive::<Int64Type>();
    let mut per_id = std::collections::BTreeMap::new();
    for i in 0..ids.len() {
        *per_id.entry(ids.value(i)).or_insert(0) += 1;
    }
    assert!(per_id.values().any(|&c| c != 10), "{per_id:?}");
}

#[test]
fn test_randn_and_uuid_differ_per_row() {
    let values = doubles("SELECT randn(1) AS z FROM range(50)", 0);
    assert!(values.windows(2).all(|w| w[0] != w[1]));
    let batch = session()
        .sql("SELECT uuid() AS u FROM range(50)")
        .unwrap()
        .concat()
        .unwrap();
    let u = batch.column(0).as_string::<i32>();
    let mut all: Vec<&str> = (0..u.len()).map(|i| u.value(i)).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 50);
}

#[test]
fn test_current_timestamp_is_one_value_for_the_query() {
    let batch = session()
        .sql("SELECT current_timestamp() AS t FROM range(1000) WHERE current_timestamp() IS NOT NULL")
        .unwrap()
        .concat()
        .unwrap();
    assert_eq!(batch.num_rows(), 1000);
    let t = batch.column(0);
    let first = tsdf::convert::cast(t, &arrow::datatypes::DataType::Int64).unwrap();
    let first = first.as_primitive::<Int64Type>();
    assert!((0..first.len()).all(|i| first.value(i) == 1_700_000_000_000_000));
}

#[test]
fn test_rand_seed_must_be_a_constant_integer() {
    let err = session().sql("SELECT rand(id) FROM range(3)").unwrap_err();
    assert_eq!(err.class(), "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT");
}
