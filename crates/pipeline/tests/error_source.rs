//! A failed update keeps the query error it wraps: callers read its class and span through
//! `source()` instead of parsing the message.

mod common;

use std::error::Error;

use common::{land, load, project};
use pipeline::PipelineError;
use pipeline::engine::{self, UpdateOptions};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use query::QueryError;

#[test]
fn test_an_execution_error_keeps_its_query_error_as_source() {
    let sql = "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('${landing}', \
               format => 'csv', schemaHints => 'id int, d int');
CREATE MATERIALIZED VIEW ratio AS SELECT id, 10 / d AS r FROM raw;";
    let p = load(&project(&[("p.sql", sql)]));
    let mut volume = MemoryVolume::new();
    land(
        &mut volume,
        "/Volumes/main/s/landing/a.csv",
        "id,d\n1,2\n2,0\n",
    );
    let err = engine::update(&p, &mut State::new(), &volume, UpdateOptions::default()).unwrap_err();
    assert!(matches!(err, PipelineError::Execution { .. }), "{err:?}");
    let source = err.source().and_then(|s| s.downcast_ref::<QueryError>());
    let source = source.expect("the query error is the source");
    assert_eq!(source.class(), "DIVIDE_BY_ZERO");
    // The message shows the query error's class and text once, at the dataset.
    let text = err.to_string();
    assert_eq!(text.matches("[DIVIDE_BY_ZERO]").count(), 1, "{text}");
    assert!(text.contains("dataset `ratio`"), "{text}");
}
