use super::*;
use crate::sources::decl::OnViolation;

fn parse(text: &str) -> Result<Vec<SqlStatement>, Diagnostics> {
    let conf = BTreeMap::from([("schema".to_string(), "iot".to_string())]);
    parse_file("t.sql", text, &conf)
}

fn first_error(text: &str) -> String {
    parse(text).unwrap_err().0[0].to_string()
}

#[test]
fn test_streaming_table_with_expectations_and_actions() {
    let text = "CREATE OR REFRESH STREAMING TABLE inspection_bronze (\n  CONSTRAINT `valid timestamp` EXPECT (`timestamp` is not null) ON VIOLATION DROP ROW,\n  CONSTRAINT ok EXPECT (x > 0) ON VIOLATION FAIL UPDATE,\n  CONSTRAINT w EXPECT (y > 0)\n) COMMENT 'Loads raw inspection files' TBLPROPERTIES ('quality' = 'bronze')\nAS SELECT * FROM STREAM read_files('/Volumes/default/${schema}/inspection_bronze')";
    let statements = parse(text).unwrap();
    let SqlStatement::Dataset { info, query } = &statements[0] else {
        panic!("dataset")
    };
    assert_eq!(info.kind, DatasetKind::StreamingTable);
    let actions: Vec<_> = info
        .expectations
        .iter()
        .map(|e| (e.name.as_str(), e.action))
        .collect();
    assert_eq!(
        actions,
        [
            ("valid timestamp", OnViolation::Drop),
            ("ok", OnViolation::Fail),
            ("w", OnViolation::Warn)
        ]
    );
    assert_eq!(info.expectations[0].location, Location::new("t.sql", 2, 40));
    assert_eq!(info.comment.as_deref(), Some("Loads raw inspection files"));
    assert_eq!(
        info.table_properties.get("quality").map(String::as_str),
        Some("bronze")
    );
    assert!(
        query
            .text
            .ends_with("read_files('/Volumes/default/iot/inspection_bronze')")
    );
    assert_eq!(query.start, Location::new("t.sql", 6, 4));
}

#[test]
fn test_kinds_and_live_prefix() {
    let text = "CREATE TEMPORARY VIEW v AS SELECT 1; CREATE MATERIALIZED VIEW LIVE.m AS SELECT 2; CREATE LIVE TABLE l AS SELECT 3";
    let kinds: Vec<_> = parse(text)
        .unwrap()
        .into_iter()
        .map(|s| match s {
            SqlStatement::Dataset { info, .. } => (info.name.clone(), info.kind),
            SqlStatement::Set { .. } => panic!("no SET here"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("v".to_string(), DatasetKind::View),
            ("m".to_string(), DatasetKind::MaterializedView),
            ("l".to_string(), DatasetKind::MaterializedView),
        ]
    );
}

#[test]
fn test_columns_and_partitioning() {
    let text = "CREATE MATERIALIZED VIEW g (device_id INT NOT NULL COMMENT 'id', amount DECIMAL(10, 2)) PARTITIONED BY (device_id) AS SELECT 1";
    let SqlStatement::Dataset { info, .. } = &parse(text).unwrap()[0] else {
        panic!()
    };
    let cols: Vec<_> = info
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.type_name.as_str()))
        .collect();
    assert_eq!(cols, [("device_id", "INT"), ("amount", "DECIMAL(10, 2)")]);
    assert_eq!(info.partition_cols, ["device_id"]);
}

#[test]
fn test_errors_point_at_offending_token() {
    assert_eq!(
        first_error("CREATE STREAMING VIEW x AS SELECT 1"),
        "t.sql:1:18: error: expected TABLE after STREAMING, found `VIEW`"
    );
    assert_eq!(
        first_error("CREATE MATERIALIZED VIEW x\n  SELECT 1"),
        "t.sql:2:3: error: expected AS followed by the dataset's query (or COMMENT, TBLPROPERTIES, PARTITIONED BY), found `SELECT`"
    );
    assert!(first_error("SELECT 1").starts_with("t.sql:1:1: error: unsupported statement"));
    assert_eq!(
        first_error(
            "CREATE MATERIALIZED VIEW x (CONSTRAINT c EXPECT (a) ON VIOLATION DROP) AS SELECT 1"
        ),
        "t.sql:1:70: error: expected DROP ROW or FAIL UPDATE, found `)`"
    );
}

#[test]
fn test_every_statement_error_is_reported() {
    let errors = parse(
        "CREATE VIEW a SELECT 1; CREATE TABLE AS SELECT 2; CREATE MATERIALIZED VIEW ok AS SELECT 3",
    )
    .unwrap_err();
    assert_eq!(errors.len(), 2);
}

#[test]
fn test_set_feeds_later_substitution() {
    let statements =
        parse("SET my.path = '/x';\nCREATE MATERIALIZED VIEW a AS SELECT '${my.path}' AS p")
            .unwrap();
    let SqlStatement::Dataset { query, .. } = &statements[1] else {
        panic!()
    };
    assert_eq!(query.text, "SELECT '/x' AS p");
}
