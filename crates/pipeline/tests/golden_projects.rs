//! Golden mini-projects: the same small pipeline in SQL and in Python, with the tables each
//! update must produce written out below.

mod common;

use common::{land, load, project, rows, update};
use pipeline::engine::Strategy;
use pipeline::state::State;
use pipeline::volume::MemoryVolume;

const SQL: &str = "
CREATE OR REFRESH STREAMING TABLE orders_bronze (
  CONSTRAINT positive_amount EXPECT (amount > 0) ON VIOLATION DROP ROW,
  CONSTRAINT known_customer EXPECT (customer IS NOT NULL)
)
COMMENT 'Raw orders'
AS SELECT * FROM STREAM read_files('${landing}', format => 'csv', header => true,
  schemaHints => 'order_id int, customer string, amount double, ts timestamp');

CREATE OR REFRESH STREAMING TABLE big_orders
AS SELECT order_id, customer, amount FROM STREAM(orders_bronze) WHERE amount >= 100;

CREATE OR REFRESH MATERIALIZED VIEW customer_totals
AS SELECT customer, count(*) AS orders, sum(amount) AS total
FROM orders_bronze GROUP BY customer;
";

const PYTHON: &str = r#"
from pyspark import pipelines as dp
from pyspark.sql import functions as F

landing = spark.conf.get("landing")
hints = "order_id int, customer string, amount double, ts timestamp"

@dp.table(comment="Raw orders")
@dp.expect_or_drop("positive_amount", "amount > 0")
@dp.expect("known_customer", "customer IS NOT NULL")
def orders_bronze():
    return (
        spark.readStream.format("cloudFiles")
        .option("cloudFiles.format", "csv")
        .option("cloudFiles.schemaHints", hints)
        .load(landing)
    )

@dp.table
def big_orders():
    return spark.readStream.table("orders_bronze").select("order_id", "customer", "amount").where(F.col("amount") >= 100)

@dp.materialized_view
def customer_totals():
    return (
        spark.read.table("orders_bronze")
        .groupBy("customer")
        .agg(F.count("*").alias("orders"), F.sum("amount").alias("total"))
    )
"#;

const FIRST: &str = "order_id,customer,amount,ts\n1,ann,50.0,2024-01-01T10:00:00Z\n2,bob,150.0,2024-01-01T11:00:00Z\n3,ann,-5.0,2024-01-01T12:00:00Z\n4,,120.0,2024-01-01T13:00:00Z\n";
const SECOND: &str = "order_id,customer,amount,ts\n5,bob,30.0,2024-01-02T10:00:00Z\n6,cat,200.0,2024-01-02T11:00:00Z\n";

fn check(file: (&str, &str)) {
    let p = load(&project(&[file]));
    let mut volume = MemoryVolume::new();
    let mut state = State::new();
    land(&mut volume, "/Volumes/main/s/landing/part-0.csv", FIRST);
    let first = update(&p, &mut state, &volume);

    assert_eq!(
        rows(&state, "main.s.orders_bronze"),
        [
            "1|ann|50.0|2024-01-01 10:00:00|NULL",
            "2|bob|150.0|2024-01-01 11:00:00|NULL",
            "4|NULL|120.0|2024-01-01 13:00:00|NULL",
        ]
    );
    assert_eq!(
        rows(&state, "main.s.big_orders"),
        ["2|bob|150.0", "4|NULL|120.0"]
    );
    assert_eq!(
        rows(&state, "main.s.customer_totals"),
        ["NULL|1|120.0", "ann|1|50.0", "bob|1|150.0"]
    );
    let bronze = first
        .flows
        .iter()
        .find(|f| f.dataset == "orders_bronze")
        .unwrap();
    let metrics: Vec<_> = bronze
        .expectations
        .iter()
        .map(|e| (e.name.as_str(), e.passed_records, e.failed_records))
        .collect();
    assert_eq!(
        metrics,
        [("positive_amount", 3, 1), ("known_customer", 3, 1)]
    );
    assert_eq!(
        (bronze.rows_written, bronze.dropped, bronze.files_read),
        (3, 1, 1)
    );

    land(&mut volume, "/Volumes/main/s/landing/part-1.csv", SECOND);
    let second = update(&p, &mut state, &volume);
    let by_name = |n: &str| {
        second
            .flows
            .iter()
            .find(|f| f.dataset == n)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            by_name("orders_bronze").rows_written,
            by_name("orders_bronze").files_read
        ),
        (2, 1)
    );
    assert_eq!(by_name("big_orders").rows_written, 1);
    assert_eq!(
        rows(&state, "main.s.big_orders"),
        ["2|bob|150.0", "4|NULL|120.0", "6|cat|200.0"]
    );
    assert_eq!(
        rows(&state, "main.s.customer_totals"),
        ["NULL|1|120.0", "ann|1|50.0", "bob|2|180.0", "cat|1|200.0"]
    );
    let totals = by_name("customer_totals");
    assert_eq!(
        totals.strategy,
        Some(Strategy::GroupAggregate),
        "{}",
        totals.reason
    );
    // Only bob's and cat's groups received rows.
    assert_eq!(totals.rows_written, 2);

    // Nothing new: streaming tables append nothing, the view has nothing to do.
    let third = update(&p, &mut state, &volume);
    assert!(
        third
            .flows
            .iter()
            .filter(|f| f.dataset != "customer_totals")
            .all(|f| f.rows_written == 0)
    );
    assert_eq!(
        third
            .flows
            .iter()
            .find(|f| f.dataset == "customer_totals")
            .unwrap()
            .strategy,
        Some(Strategy::NoOp)
    );
}

#[test]
fn test_sql_mini_project_golden_tables() {
    check(("src/orders.sql", SQL));
}

#[test]
fn test_python_mini_project_golden_tables() {
    check(("src/orders.py", PYTHON));
}
