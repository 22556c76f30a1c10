//! `PARTITION_OVERWRITE`: when a materialized view's rows each depend only on the input rows
//! of one key value (window partitions, group keys, unions, Tempo series), an update recomputes
//! only the keys that received rows, with the same tables as a full refresh; any other shape
//! falls back to `COMPLETE_RECOMPUTE` and says why.

mod common;

use common::{full_refresh, land, load, project, rows, update};
use pipeline::engine::{Strategy, UpdateReport};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;

const BRONZE: &str = "
CREATE STREAMING TABLE orders AS SELECT * FROM STREAM read_files('${landing}', format => 'csv',
  schemaHints => 'id int, customer string, amount double, ts timestamp');
CREATE STREAMING TABLE big AS SELECT * FROM STREAM(orders) WHERE amount >= 100;
";

const FIRST: &str = "id,customer,amount,ts\n1,ann,50,2024-01-01T10:00:00Z\n2,bob,150,2024-01-01T11:00:00Z\n3,ann,120,2024-01-01T12:00:00Z\n4,cat,20,2024-01-01T13:00:00Z\n5,,70,2024-01-01T14:00:00Z\n";
const SECOND: &str = "id,customer,amount,ts\n6,bob,30,2024-01-02T10:00:00Z\n7,dan,200,2024-01-02T11:00:00Z\n8,,10,2024-01-02T12:00:00Z\n";

/// Run two updates (the second after more files land) and a full refresh over the same files;
/// returns the second update's report of `view` after checking it equals the full refresh.
fn second_update(files: &[(&str, &str)], view: &str) -> (UpdateReport, Vec<String>) {
    let p = load(&project(files));
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    land(&mut volume, "/Volumes/main/s/landing/a.csv", FIRST);
    update(&p, &mut state, &volume);
    land(&mut volume, "/Volumes/main/s/landing/b.csv", SECOND);
    let report = update(&p, &mut state, &volume);
    let mut fresh = State::new();
    full_refresh(&p, &mut fresh, &volume);
    let qualified = format!("main.s.{view}");
    assert_eq!(rows(&state, &qualified), rows(&fresh, &qualified));
    (report, rows(&state, &qualified))
}

fn flow<'a>(report: &'a UpdateReport, name: &str) -> &'a pipeline::engine::FlowReport {
    report.flows.iter().find(|f| f.dataset == name).unwrap()
}

#[test]
fn test_window_partitioned_by_an_output_column_overwrites_its_partitions() {
    let sql = format!(
        "{BRONZE}
CREATE MATERIALIZED VIEW running AS SELECT customer, id,
  sum(amount) OVER (PARTITION BY customer ORDER BY ts) AS total,
  row_number() OVER (PARTITION BY customer ORDER BY ts) AS n
FROM orders;"
    );
    let (report, table) = second_update(&[("p.sql", &sql)], "running");
    let running = flow(&report, "running");
    assert_eq!(
        running.strategy,
        Some(Strategy::PartitionOverwrite),
        "{}",
        running.reason
    );
    // bob (2 rows), dan (1) and the NULL customer (2) were recomputed; ann and cat were kept.
    assert_eq!(running.rows_written, 5);
    assert!(
        running.reason.contains("3 `customer` value(s)"),
        "{}",
        running.reason
    );
    assert!(table.contains(&"bob|6|180.0|2".to_string()), "{table:?}");
    assert!(table.contains(&"NULL|8|80.0|2".to_string()), "{table:?}");
}

#[test]
fn test_group_by_over_a_union_of_two_inputs_overwrites_its_groups() {
    let sql = format!(
        "{BRONZE}
CREATE MATERIALIZED VIEW both AS SELECT customer, count(*) AS n, sum(amount) AS total
FROM (SELECT customer, amount FROM orders UNION ALL SELECT customer, amount FROM big)
GROUP BY customer;"
    );
    let (report, table) = second_update(&[("p.sql", &sql)], "both");
    let both = flow(&report, "both");
    assert_eq!(
        both.strategy,
        Some(Strategy::PartitionOverwrite),
        "{}",
        both.reason
    );
    assert_eq!(both.rows_written, 3);
    assert!(table.contains(&"dan|2|400.0".to_string()), "{table:?}");
}

#[test]
fn test_tempo_series_operations_overwrite_the_series_that_received_rows() {
    let python = r#"
from pyspark import pipelines as dp
from tempo import TSDF

@dp.materialized_view
def smoothed():
    orders = spark.read.table("orders").where("customer IS NOT NULL")
    return TSDF(orders, ts_col="ts", partition_cols=["customer"]).EMA("amount", window=2).df
"#;
    let (report, table) = second_update(&[("p.sql", BRONZE), ("p.py", python)], "smoothed");
    let smoothed = flow(&report, "smoothed");
    assert_eq!(
        smoothed.strategy,
        Some(Strategy::PartitionOverwrite),
        "{}",
        smoothed.reason
    );
    // bob's two rows and dan's one; the NULL customer is filtered out.
    assert_eq!(smoothed.rows_written, 3);
    assert_eq!(table.len(), 6);
}

#[test]
fn test_views_whose_rows_mix_key_values_recompute_completely() {
    for (query, why) in [
        (
            "SELECT customer, sum(amount) OVER (ORDER BY ts) AS total FROM orders",
            "no output column",
        ),
        (
            "SELECT upper(customer) AS customer, sum(amount) OVER (PARTITION BY upper(customer)) AS total FROM orders",
            "no output column",
        ),
        (
            "SELECT o.customer, b.id FROM orders o JOIN big b ON o.customer = b.customer",
            "reads 2 datasets",
        ),
        (
            "SELECT customer, amount FROM orders ORDER BY amount LIMIT 3",
            "no output column",
        ),
    ] {
        let sql = format!("{BRONZE}\nCREATE MATERIALIZED VIEW v AS {query};");
        let (report, _) = second_update(&[("p.sql", &sql)], "v");
        let v = flow(&report, "v");
        assert_eq!(v.strategy, Some(Strategy::CompleteRecompute), "{query}");
        assert!(v.reason.contains(why), "{query}: {}", v.reason);
    }
}
