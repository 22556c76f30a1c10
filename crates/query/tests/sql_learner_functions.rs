//! Functions learners reach for after `collect_list`, digests and time zones, through SQL:
//! each test states the Spark rule and checks rows worked out by hand (digests from Python's
//! `hashlib`, zone offsets from Python's `zoneinfo`).

use query::{Catalog, ExecOptions, Session};
use serde_json::{Value, json};

fn rows(sql: &str) -> Vec<Value> {
    let session = Session::new(Catalog::new()).with_options(ExecOptions::at(0));
    let result = session.sql(sql).unwrap_or_else(|e| panic!("{sql}\n{e}"));
    let json = query::json::result_json(&result).unwrap();
    json["rows"].as_array().unwrap().clone()
}

const EVENTS: &str = "VALUES (1, 'jam'), (1, 'heat'), (1, 'jam'), (2, 'heat'), (2, NULL), \
                      (3, NULL) AS e(device, code)";

#[test]
fn test_array_functions_over_collect_list() {
    // collect_list skips NULLs; array_distinct keeps first occurrences; sort_array ascends;
    // element_at past the end is an ANSI error, so the empty list uses try_element_at.
    let sql = format!(
        "SELECT device, size(codes) AS n, array_contains(codes, 'jam') AS jammed, \
         sort_array(array_distinct(codes)) AS kinds, try_element_at(codes, 1) AS first, \
         array_join(array_distinct(codes), '+') AS joined, concat_ws(';', codes) AS ws \
         FROM (SELECT device, collect_list(code) AS codes FROM {EVENTS} GROUP BY device) \
         ORDER BY device"
    );
    assert_eq!(
        rows(&sql),
        vec![
            json!([
                1,
                3,
                true,
                ["heat", "jam"],
                "jam",
                "jam+heat",
                "jam;heat;jam"
            ]),
            json!([2, 1, false, ["heat"], "heat", "heat", "heat"]),
            json!([3, 0, false, [], null, "", ""]),
        ]
    );
}

#[test]
fn test_explode_of_an_aggregate_in_the_select_list() {
    // A generator in the SELECT list of a grouped query runs after the aggregation.
    let sql = format!(
        "SELECT device, explode(array_distinct(collect_list(code))) AS code FROM {EVENTS} \
         GROUP BY device ORDER BY device, code"
    );
    assert_eq!(
        rows(&sql),
        vec![json!([1, "heat"]), json!([1, "jam"]), json!([2, "heat"])]
    );
    // The generated column keeps its place and Spark's default name; HAVING filters groups
    // before the expansion; ORDER BY can name the generated column.
    let sql = format!(
        "SELECT posexplode(sort_array(collect_list(code))), device FROM {EVENTS} \
         GROUP BY device HAVING count(code) > 1 ORDER BY pos DESC"
    );
    let session = Session::new(Catalog::new());
    let result = session.sql(&sql).unwrap();
    let names: Vec<&str> = result.schema.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["pos", "col", "device"]);
    assert_eq!(
        rows(&sql),
        vec![
            json!([2, "jam", 1]),
            json!([1, "jam", 1]),
            json!([0, "heat", 1])
        ]
    );
}

#[test]
fn test_digests_in_sql() {
    let sql = "SELECT md5('Spark'), sha1('Spark'), sha2('Spark', 256), crc32('Spark'), \
               base64('Spark SQL'), CAST(unbase64('U3BhcmsgU1FM') AS STRING), \
               hex(unhex('537061726B')), sha2(NULL, 256), sha2('Spark', 1)";
    assert_eq!(
        rows(sql),
        vec![json!([
            "8cde774d6f7333752ed72cacddb05126",
            "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c",
            "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b",
            1_557_323_817_i64,
            "U3BhcmsgU1FM",
            "Spark SQL",
            "537061726B",
            null,
            null
        ])]
    );
}

#[test]
fn test_time_zone_conversions_in_sql() {
    let sql = "SELECT from_utc_timestamp(TIMESTAMP'2024-07-01 12:00:00', 'Europe/Paris'), \
               to_utc_timestamp('2024-01-15 09:00:00', 'America/Los_Angeles'), \
               date_format(from_utc_timestamp(TIMESTAMP'2024-07-01 12:00:00', '+05:30'), \
               'yyyy-MM-dd HH:mm XXX')";
    assert_eq!(
        rows(sql),
        vec![json!([
            "2024-07-01T14:00:00.000000Z",
            "2024-01-15T17:00:00.000000Z",
            "2024-07-01 17:30 Z"
        ])]
    );
    let session = Session::new(Catalog::new());
    let e = session
        .sql("SELECT from_utc_timestamp(TIMESTAMP'2024-07-01 12:00:00', 'Paris')")
        .unwrap_err();
    assert_eq!(e.class(), "INVALID_TIMEZONE");
    assert!(e.to_string().contains("'Paris'"), "{e}");
}

#[test]
fn test_event_log_details_read_with_json_paths() {
    // The pipeline event log keeps `details` as JSON text, as Databricks does; learners read
    // its fields with get_json_object and cast them. A path that matches nothing is NULL.
    let sql = r#"
        WITH event_log AS (SELECT * FROM VALUES
          ('flow_progress', '{"flow_progress":{"status":"COMPLETED","metrics":{"num_output_rows":120},
             "data_quality":{"dropped_records":3,"expectations":[{"name":"valid pressure",
             "dataset":"sensor_bronze","passed_records":117,"failed_records":3}]}}}'),
          ('flow_progress', '{"flow_progress":{"status":"COMPLETED","metrics":{"num_output_rows":80}}}'),
          ('update_progress', '{"update_progress":{"state":"COMPLETED"}}')
          AS t(event_type, details))
        SELECT event_type,
               CAST(get_json_object(details, '$.flow_progress.metrics.num_output_rows') AS BIGINT) AS rows_out,
               get_json_object(details, '$.flow_progress.data_quality.expectations[*].name') AS names,
               CAST(get_json_object(details, '$.flow_progress.data_quality.expectations[0].failed_records') AS INT) AS failed,
               json_object_keys(details) AS kinds
        FROM event_log ORDER BY event_type, rows_out DESC"#;
    assert_eq!(
        rows(sql),
        vec![
            json!([
                "flow_progress",
                120,
                // One wildcard match loses the brackets but keeps its JSON quotes (Hive's rule).
                "\"valid pressure\"",
                3,
                ["flow_progress"]
            ]),
            json!(["flow_progress", 80, null, null, ["flow_progress"]]),
            json!(["update_progress", null, null, null, ["update_progress"]]),
        ]
    );
}

fn columns(sql: &str) -> Vec<String> {
    let session = Session::new(Catalog::new()).with_options(ExecOptions::at(0));
    let result = session.sql(sql).unwrap_or_else(|e| panic!("{sql}\n{e}"));
    let json = query::json::result_json(&result).unwrap();
    json["schema"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_str().unwrap().to_string())
        .collect()
}

const STORE: &str = r#"SELECT '{"store":{"basket":[[1,2,{"b":"y","a":"x"}],[3,4],[5,6]],
  "bicycle":{"price":19.95,"color":"red"}},"owner":"amy","zip code":"94025",
  "fb:testid":"1234","gone":null}' AS raw"#;

#[test]
fn test_colon_path_operator_reads_json_like_databricks() {
    // Databricks' JSON path operator: dotted and back-quoted names ignore case, bracketed
    // names match exactly; a JSON null is SQL NULL; the column is named after the last key.
    let sql = format!(
        "SELECT raw:owner, raw:OWNER AS upper, raw:['owner'] AS exact, raw:['OWNER'] AS wrong, \
         raw:`zip code`, raw:`Zip Code` AS zip2, raw:['fb:testid'] AS fb, raw:gone, \
         raw:store.bicycle, raw:store.basket[*][0] AS firsts, raw:store.basket[0][2].b AS b, \
         raw:store.bicycle.price::double * 2 AS twice FROM ({STORE})"
    );
    assert_eq!(
        columns(&sql),
        vec![
            "owner", "upper", "exact", "wrong", "zip code", "zip2", "fb", "gone", "bicycle",
            "firsts", "b", "twice"
        ]
    );
    assert_eq!(
        rows(&sql),
        vec![json!([
            "amy",
            "amy",
            "amy",
            null,
            "94025",
            "94025",
            "1234",
            null,
            r#"{"price":19.95,"color":"red"}"#,
            "[1,3,5]",
            "y",
            39.9
        ])]
    );
}

#[test]
fn test_colon_path_operator_in_filters_and_aggregates_of_an_event_log() {
    // The monitoring lesson's query shape: the last state of each update, and rows written
    // per flow, read from `details` with the `:` operator.
    let sql = r#"
        WITH event_log AS (SELECT * FROM VALUES
          ('u1', 1, 'update_progress', '{"update_progress":{"state":"RUNNING"}}'),
          ('u1', 2, 'flow_progress', '{"flow_progress":{"status":"COMPLETED","metrics":{"num_output_rows":120}}}'),
          ('u1', 3, 'update_progress', '{"update_progress":{"state":"COMPLETED"}}'),
          ('u2', 4, 'flow_progress', '{"flow_progress":{"status":"FAILED"}}'),
          ('u2', 5, 'update_progress', '{"update_progress":{"state":"FAILED"}}')
          AS t(update_id, ts, event_type, details))
        SELECT update_id,
               max_by(details:update_progress.state, ts) AS final_state,
               sum(CAST(details:flow_progress.metrics.num_output_rows AS BIGINT))
                 FILTER (WHERE details:flow_progress.status = 'COMPLETED') AS rows_written
        FROM event_log GROUP BY update_id ORDER BY update_id"#;
    assert_eq!(
        rows(sql),
        vec![
            json!(["u1", "COMPLETED", 120]),
            json!(["u2", "FAILED", null])
        ]
    );
}

#[test]
fn test_colon_path_with_an_unsupported_step_names_the_path() {
    let session = Session::new(Catalog::new()).with_options(ExecOptions::at(0));
    let err = session
        .sql("SELECT raw:a[1 + 1] FROM (SELECT '{}' AS raw)")
        .unwrap_err()
        .to_string();
    assert!(err.contains("JSON path"), "{err}");
    assert!(err.contains("[0]"), "{err}");
}
