//! Property: any sequence of landing files, updates and full refreshes ends with the same
//! tables as one full refresh over all the files.

mod common;

use common::{load, project, rows};
use pipeline::engine::{self, FullRefresh, UpdateOptions};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use proptest::prelude::*;

const SQL: &str = "
CREATE STREAMING TABLE raw (CONSTRAINT known EXPECT (k IS NOT NULL) ON VIOLATION DROP ROW)
AS SELECT * FROM STREAM read_files('${landing}', format => 'csv', schemaHints => 'id int, k string, v int');
CREATE STREAMING TABLE big AS SELECT id, k, v FROM STREAM(raw) WHERE v >= 50;
CREATE MATERIALIZED VIEW per_key AS SELECT k, count(*) AS n, sum(v) AS total, max(v) AS top FROM raw GROUP BY k;
CREATE MATERIALIZED VIEW doubled AS SELECT id, v * 2 AS v2 FROM raw WHERE v % 2 = 0;
CREATE MATERIALIZED VIEW per_count AS SELECT n, count(*) AS keys FROM per_key GROUP BY n;
CREATE MATERIALIZED VIEW joined AS SELECT b.id, p.total FROM big b JOIN per_key p ON b.k = p.k;
CREATE MATERIALIZED VIEW ranked AS SELECT k, id, row_number() OVER (PARTITION BY k ORDER BY v, id) AS rn, sum(v) OVER (PARTITION BY k ORDER BY id) AS running FROM raw;
CREATE MATERIALIZED VIEW both_keys AS SELECT k, count(*) AS n, max(v) AS top FROM (SELECT k, v FROM raw UNION ALL SELECT k, v FROM big) GROUP BY k;
";

#[derive(Debug, Clone)]
enum Op {
    Land(Vec<(Option<u8>, u8)>),
    Update,
    Refresh(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => prop::collection::vec((prop::option::weighted(0.9, 0u8..4), 0u8..100), 0..6).prop_map(Op::Land),
        3 => Just(Op::Update),
        1 => (0u8..3).prop_map(Op::Refresh),
    ]
}

fn file(rows: &[(Option<u8>, u8)], next_id: &mut u32) -> String {
    let mut text = String::from("id,k,v\n");
    for (k, v) in rows {
        *next_id += 1;
        let key = k.map(|k| format!("k{k}")).unwrap_or_default();
        text.push_str(&format!("{next_id},{key},{v}\n"));
    }
    text
}

fn tables(state: &State) -> Vec<Vec<String>> {
    [
        "raw",
        "big",
        "per_key",
        "doubled",
        "per_count",
        "joined",
        "ranked",
        "both_keys",
    ]
    .iter()
    .map(|t| rows(state, &format!("main.s.{t}")))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn test_any_history_equals_one_full_refresh(ops in prop::collection::vec(op(), 1..12)) {
        let p = load(&project(&[("p.sql", SQL)]));
        let mut volume = MemoryVolume::new();
        let mut state = State::new();
        let (mut files, mut next_id) = (0, 0);
        for op in &ops {
            match op {
                Op::Land(rows) => {
                    files += 1;
                    volume.insert(&format!("/Volumes/main/s/landing/part-{files:04}.csv"), file(rows, &mut next_id).into_bytes());
                }
                Op::Update | Op::Refresh(_) if files == 0 => {}
                Op::Update => {
                    engine::update(&p, &mut state, &volume, UpdateOptions::default()).unwrap();
                }
                Op::Refresh(which) => {
                    let selection = match which {
                        0 => FullRefresh::All,
                        1 => FullRefresh::Tables(vec!["per_key".into(), "per_count".into()]),
                        _ => FullRefresh::Tables(vec!["raw".into(), "big".into()]),
                    };
                    engine::update(&p, &mut state, &volume, UpdateOptions { full_refresh: selection, ..Default::default() }).unwrap();
                }
            }
        }
        prop_assume!(files > 0);
        engine::update(&p, &mut state, &volume, UpdateOptions::default()).unwrap();
        let mut fresh = State::new();
        engine::update(&p, &mut fresh, &volume, UpdateOptions { full_refresh: FullRefresh::All, ..Default::default() }).unwrap();
        prop_assert_eq!(tables(&state), tables(&fresh));
    }
}
