//! Property test: filter, project and aggregate agree with a naive row-at-a-time interpreter
//! (written here, independent of the engine) on random tables with NULLs.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{Int32Array, Int64Array, RecordBatch, StringArray};
use proptest::prelude::*;
use query::{Catalog, Session, SparkType, Table};
use serde_json::{Value, json};

#[derive(Debug, Clone)]
struct Row {
    a: Option<i32>,
    b: Option<i64>,
    c: Option<String>,
}

/// Integer expressions over `a` (int) and `b` (bigint).
#[derive(Debug, Clone)]
enum Num {
    A,
    B,
    Lit(i64),
    Add(Box<Num>, Box<Num>),
    Mul(Box<Num>, Box<Num>),
    Case(Box<Pred>, Box<Num>),
    Coalesce(Box<Num>, Box<Num>),
}

/// Conditions with three-valued logic.
#[derive(Debug, Clone)]
enum Pred {
    Gt(Num, i64),
    Eq(Num, i64),
    IsNull(Num),
    CEq(&'static str),
    And(Box<Pred>, Box<Pred>),
    Or(Box<Pred>, Box<Pred>),
    Not(Box<Pred>),
}

const LABELS: [&str; 3] = ["x", "y", "z"];

impl Num {
    fn sql(&self) -> String {
        match self {
            Num::A => "a".into(),
            Num::B => "b".into(),
            Num::Lit(v) => format!("{v}"),
            Num::Add(x, y) => format!("({} + {})", x.sql(), y.sql()),
            Num::Mul(x, y) => format!("({} * {})", x.sql(), y.sql()),
            Num::Case(p, x) => format!("CASE WHEN {} THEN {} END", p.sql(), x.sql()),
            Num::Coalesce(x, y) => format!("coalesce({}, {})", x.sql(), y.sql()),
        }
    }

    fn eval(&self, r: &Row) -> Option<i64> {
        match self {
            Num::A => r.a.map(i64::from),
            Num::B => r.b,
            Num::Lit(v) => Some(*v),
            Num::Add(x, y) => Some(x.eval(r)? + y.eval(r)?),
            Num::Mul(x, y) => Some(x.eval(r)? * y.eval(r)?),
            Num::Case(p, x) => {
                if p.eval(r) == Some(true) {
                    x.eval(r)
                } else {
                    None
                }
            }
            Num::Coalesce(x, y) => x.eval(r).or_else(|| y.eval(r)),
        }
    }
}

impl Pred {
    fn sql(&self) -> String {
        match self {
            Pred::Gt(x, v) => format!("{} > {v}", x.sql()),
            Pred::Eq(x, v) => format!("{} = {v}", x.sql()),
            Pred::IsNull(x) => format!("{} IS NULL", x.sql()),
            Pred::CEq(s) => format!("c = '{s}'"),
            Pred::And(p, q) => format!("({} AND {})", p.sql(), q.sql()),
            Pred::Or(p, q) => format!("({} OR {})", p.sql(), q.sql()),
            Pred::Not(p) => format!("(NOT {})", p.sql()),
        }
    }

    fn eval(&self, r: &Row) -> Option<bool> {
        match self {
            Pred::Gt(x, v) => x.eval(r).map(|x| x > *v),
            Pred::Eq(x, v) => x.eval(r).map(|x| x == *v),
            Pred::IsNull(x) => Some(x.eval(r).is_none()),
            Pred::CEq(s) => r.c.as_ref().map(|c| c == s),
            Pred::And(p, q) => match (p.eval(r), q.eval(r)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            Pred::Or(p, q) => match (p.eval(r), q.eval(r)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            Pred::Not(p) => p.eval(r).map(|b| !b),
        }
    }
}

fn num() -> impl Strategy<Value = Num> {
    let leaf = prop_oneof![Just(Num::A), Just(Num::B), (-3i64..4).prop_map(Num::Lit)];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(x, y)| Num::Add(Box::new(x), Box::new(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| Num::Mul(Box::new(x), Box::new(y))),
            (inner.clone(), inner.clone())
                .prop_map(|(x, y)| Num::Coalesce(Box::new(x), Box::new(y))),
            (inner.clone(), -3i64..4)
                .prop_map(|(x, v)| Num::Case(Box::new(Pred::Gt(x.clone(), v)), Box::new(x))),
        ]
    })
}

fn pred() -> impl Strategy<Value = Pred> {
    let leaf = prop_oneof![
        (num(), -5i64..6).prop_map(|(x, v)| Pred::Gt(x, v)),
        (num(), -5i64..6).prop_map(|(x, v)| Pred::Eq(x, v)),
        num().prop_map(Pred::IsNull),
        prop::sample::select(LABELS.to_vec()).prop_map(Pred::CEq),
    ];
    leaf.prop_recursive(2, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(p, q)| Pred::And(Box::new(p), Box::new(q))),
            (inner.clone(), inner.clone()).prop_map(|(p, q)| Pred::Or(Box::new(p), Box::new(q))),
            inner.prop_map(|p| Pred::Not(Box::new(p))),
        ]
    })
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    let row = (
        prop::option::weighted(0.8, -10i32..10),
        prop::option::weighted(0.8, -10i64..10),
        prop::option::weighted(0.8, prop::sample::select(LABELS.to_vec())),
    )
        .prop_map(|(a, b, c)| Row {
            a,
            b,
            c: c.map(String::from),
        });
    prop::collection::vec(row, 0..40)
}

/// The rows as a table `t`, split into two batches to exercise batch boundaries.
fn session(data: &[Row]) -> Session {
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
        RecordBatch::try_new(
            arrow.clone(),
            vec![
                Arc::new(Int32Array::from(
                    part.iter().map(|r| r.a).collect::<Vec<_>>(),
                )),
                Arc::new(Int64Array::from(
                    part.iter().map(|r| r.b).collect::<Vec<_>>(),
                )),
                Arc::new(StringArray::from(
                    part.iter().map(|r| r.c.clone()).collect::<Vec<_>>(),
                )),
            ],
        )
        .unwrap()
    };
    let mid = data.len() / 2;
    let table = Table::new(schema, vec![batch(&data[..mid]), batch(&data[mid..])]).unwrap();
    let mut catalog = Catalog::new();
    catalog.register_table("t", table);
    Session::new(catalog)
}

fn engine_rows(session: &Session, sql: &str) -> Vec<Value> {
    let result = session.sql(sql).unwrap_or_else(|e| panic!("{sql}\n{e}"));
    let mut rows = query::json::result_json(&result).unwrap()["rows"]
        .as_array()
        .unwrap()
        .clone();
    rows.sort_by_key(Value::to_string);
    rows
}

fn sorted(mut rows: Vec<Value>) -> Vec<Value> {
    rows.sort_by_key(Value::to_string);
    rows
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn filter_and_project_match_the_naive_interpreter(data in rows(), p in pred(), x in num(), y in num()) {
        let sql = format!("SELECT {}, {} FROM t WHERE {}", x.sql(), y.sql(), p.sql());
        let expected: Vec<Value> = data
            .iter()
            .filter(|r| p.eval(r) == Some(true))
            .map(|r| json!([x.eval(r), y.eval(r)]))
            .collect();
        prop_assert_eq!(engine_rows(&session(&data), &sql), sorted(expected), "{}", sql);
    }

    #[test]
    fn aggregate_matches_the_naive_interpreter(data in rows(), p in pred(), x in num()) {
        let sql = format!(
            "SELECT c, count(*), count({x}), sum({x}), min({x}), max({x}) FROM t WHERE {} GROUP BY c",
            p.sql(),
            x = x.sql()
        );
        let mut groups: BTreeMap<Option<String>, Vec<Option<i64>>> = BTreeMap::new();
        for r in data.iter().filter(|r| p.eval(r) == Some(true)) {
            groups.entry(r.c.clone()).or_default().push(x.eval(r));
        }
        let expected: Vec<Value> = groups
            .into_iter()
            .map(|(c, values)| {
                let present: Vec<i64> = values.iter().flatten().copied().collect();
                json!([
                    c,
                    values.len(),
                    present.len(),
                    (!present.is_empty()).then(|| present.iter().sum::<i64>()),
                    present.iter().min(),
                    present.iter().max()
                ])
            })
            .collect();
        prop_assert_eq!(engine_rows(&session(&data), &sql), sorted(expected), "{}", sql);
    }

    #[test]
    fn global_aggregate_over_filtered_rows(data in rows(), p in pred()) {
        let sql = format!("SELECT count(*), count(DISTINCT a), avg(b) FROM t WHERE {}", p.sql());
        let kept: Vec<&Row> = data.iter().filter(|r| p.eval(r) == Some(true)).collect();
        let mut distinct: Vec<i32> = kept.iter().filter_map(|r| r.a).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let bs: Vec<i64> = kept.iter().filter_map(|r| r.b).collect();
        let avg = (!bs.is_empty()).then(|| bs.iter().sum::<i64>() as f64 / bs.len() as f64);
        let got = engine_rows(&session(&data), &sql);
        prop_assert_eq!(got.len(), 1);
        prop_assert_eq!(&got[0][0], &json!(kept.len()));
        prop_assert_eq!(&got[0][1], &json!(distinct.len()));
        match avg {
            None => prop_assert!(got[0][2].is_null()),
            Some(v) => prop_assert!((got[0][2].as_f64().unwrap() - v).abs() < 1e-9),
        }
    }
}
