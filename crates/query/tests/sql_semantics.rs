//! Spark behaviours beyond the golden cases, on small inline tables: each test states the
//! rule and checks the engine's rows against values worked out by hand.

use query::{Catalog, ExecOptions, Session};
use serde_json::{Value, json};

fn session() -> Session {
    Session::new(Catalog::new()).with_options(ExecOptions::at(1_680_307_200_000_000))
}

/// Rows of a query as fixture-encoded JSON values.
fn rows(sql: &str) -> Vec<Value> {
    let result = session().sql(sql).unwrap_or_else(|e| panic!("{sql}\n{e}"));
    let json = query::json::result_json(&result).unwrap();
    json["rows"].as_array().unwrap().clone()
}

fn schema(sql: &str) -> Vec<(String, String)> {
    let result = session().sql(sql).unwrap_or_else(|e| panic!("{sql}\n{e}"));
    result
        .schema
        .iter()
        .map(|(n, t)| (n.clone(), t.simple_string()))
        .collect()
}

fn error_class(sql: &str) -> String {
    match session().sql(sql) {
        Ok(r) => panic!("{sql} returned {} rows instead of failing", r.num_rows()),
        Err(e) => e.class().to_string(),
    }
}

const READINGS: &str = "VALUES (1, 'a', 10.0D, TIMESTAMP'2023-01-01 00:02:00'), \
     (1, 'a', 20.0D, TIMESTAMP'2023-01-01 00:07:00'), (2, 'b', NULL, TIMESTAMP'2023-01-01 00:12:00'), \
     (2, 'b', 40.0D, NULL), (3, NULL, 50.0D, TIMESTAMP'2023-01-01 00:04:00') AS r(id, name, v, ts)";

#[test]
fn test_sliding_window_gives_a_row_per_overlapping_window() {
    // 00:02 is in [23:55, 00:05) and [00:00, 00:10); NULL timestamps are dropped.
    let sql = format!(
        "SELECT window.start AS s, count(*) AS n FROM {READINGS} \
         GROUP BY window(ts, '10 minutes', '5 minutes') ORDER BY s"
    );
    assert_eq!(
        rows(&sql),
        vec![
            json!(["2022-12-31T23:55:00.000000Z", 2]),
            json!(["2023-01-01T00:00:00.000000Z", 3]),
            json!(["2023-01-01T00:05:00.000000Z", 2]),
            json!(["2023-01-01T00:10:00.000000Z", 1]),
        ]
    );
}

#[test]
fn test_order_by_all_sorts_every_column_left_to_right() {
    let sql = "SELECT * FROM VALUES (2, 'b'), (1, 'z'), (2, 'a') AS t(x, y) ORDER BY ALL DESC";
    assert_eq!(
        rows(sql),
        vec![json!([2, "b"]), json!([2, "a"]), json!([1, "z"])]
    );
}

#[test]
fn test_tablesample_rows_keeps_that_many_rows() {
    assert_eq!(
        rows("SELECT count(*) FROM range(100) TABLESAMPLE (7 ROWS)"),
        vec![json!([7])]
    );
    assert_eq!(
        error_class("SELECT * FROM range(10) TABLESAMPLE (10 PERCENT)"),
        "UNSUPPORTED_FEATURE"
    );
}

#[test]
fn test_mode_picks_the_most_frequent_value() {
    let sql = "SELECT mode(x) FROM VALUES (1), (2), (2), (NULL), (NULL), (NULL) AS t(x)";
    assert_eq!(rows(sql), vec![json!([2])]);
}

#[test]
fn test_struct_fields_are_named_after_columns() {
    let sql = "SELECT struct(x, y AS label, x + 1) AS s FROM VALUES (1, 'a') AS t(x, y)";
    assert_eq!(
        schema(sql),
        vec![("s".into(), "struct<x:int,label:string,col3:int>".into())]
    );
    assert_eq!(rows(sql), vec![json!([{"x": 1, "label": "a", "col3": 2}])]);
}

#[test]
fn test_ranking_needs_order_by_and_windows_stay_out_of_where() {
    assert_eq!(
        error_class("SELECT rank() OVER () FROM range(3)"),
        "WINDOW_FUNCTION_FRAME_NOT_ORDERED"
    );
    assert_eq!(
        error_class("SELECT id FROM range(3) WHERE row_number() OVER (ORDER BY id) = 1"),
        "WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE"
    );
    assert_eq!(
        error_class("SELECT id FROM range(3) WHERE sum(id) > 1"),
        "INVALID_WHERE_CONDITION"
    );
}

#[test]
fn test_rollup_adds_subtotals_and_a_grand_total() {
    let sql = "SELECT k, sum(v) AS s FROM VALUES ('a', 1), ('a', 2), ('b', 5) AS t(k, v) \
               GROUP BY ROLLUP(k) ORDER BY k NULLS LAST";
    assert_eq!(
        rows(sql),
        vec![json!(["a", 3]), json!(["b", 5]), json!([null, 8])]
    );
}

#[test]
fn test_cube_and_grouping_sets_null_the_unused_keys() {
    let sql = "SELECT a, b, count(*) AS n FROM VALUES (1, 'x'), (1, 'y'), (2, 'x') AS t(a, b) \
               GROUP BY CUBE(a, b) ORDER BY a NULLS FIRST, b NULLS FIRST";
    let got = rows(sql);
    assert_eq!(got.len(), 1 + 2 + 2 + 3);
    assert_eq!(got[0], json!([null, null, 3]));
    assert!(got.contains(&json!([null, "x", 2])));
    assert!(got.contains(&json!([1, null, 2])));
}

#[test]
fn test_join_kinds_and_null_keys() {
    let l = "VALUES (1, 'l1'), (2, 'l2'), (NULL, 'l3') AS l(k, lv)";
    let r = "VALUES (2, 'r2'), (3, 'r3'), (NULL, 'r4') AS r(k, rv)";
    let count = |join: &str| {
        rows(&format!("SELECT count(*) FROM {l} {join} {r} ON l.k = r.k"))[0][0].clone()
    };
    assert_eq!(count("JOIN"), json!(1));
    assert_eq!(count("LEFT JOIN"), json!(3));
    assert_eq!(count("RIGHT JOIN"), json!(3));
    assert_eq!(count("FULL JOIN"), json!(5));
    assert_eq!(count("LEFT SEMI JOIN"), json!(1));
    assert_eq!(count("LEFT ANTI JOIN"), json!(2));
    let null_safe = rows(&format!("SELECT count(*) FROM {l} JOIN {r} ON l.k <=> r.k"));
    assert_eq!(null_safe, vec![json!([2])]);
    let using = format!("SELECT * FROM {l} FULL JOIN {r} USING (k) ORDER BY k NULLS LAST, lv");
    assert_eq!(
        schema(&using)
            .iter()
            .map(|c| c.0.as_str())
            .collect::<Vec<_>>(),
        vec!["k", "lv", "rv"]
    );
    assert_eq!(rows(&using)[1], json!([2, "l2", "r2"]));
}

#[test]
fn test_non_equi_and_cross_joins() {
    let sql = "SELECT a.x, b.y FROM VALUES (1), (5) AS a(x) JOIN VALUES (2), (6) AS b(y) ON b.y > a.x \
               ORDER BY a.x, b.y";
    assert_eq!(rows(sql), vec![json!([1, 2]), json!([1, 6]), json!([5, 6])]);
    let comma = "SELECT count(*) FROM range(3) a, range(4) b WHERE a.id = b.id";
    assert_eq!(rows(comma), vec![json!([3])]);
}

#[test]
fn test_correlated_scalar_and_exists_subqueries() {
    let sql = "SELECT id, (SELECT max(v) FROM VALUES (0, 10), (0, 11), (1, 20) AS s(k, v) WHERE s.k = t.id) AS m, \
               EXISTS (SELECT 1 FROM VALUES (1) AS e(k) WHERE e.k = t.id) AS e FROM range(3) t ORDER BY id";
    assert_eq!(
        rows(sql),
        vec![
            json!([0, 11, false]),
            json!([1, 20, true]),
            json!([2, null, false])
        ]
    );
}

#[test]
fn test_not_in_subquery_with_null_selects_nothing() {
    let sql =
        "SELECT count(*) FROM range(5) WHERE id NOT IN (SELECT x FROM VALUES (1), (NULL) AS t(x))";
    assert_eq!(rows(sql), vec![json!([0])]);
    let sql =
        "SELECT count(*) FROM range(5) WHERE id NOT IN (SELECT x FROM VALUES (1), (2) AS t(x))";
    assert_eq!(rows(sql), vec![json!([3])]);
}

#[test]
fn test_scalar_subquery_with_two_rows_fails() {
    assert_eq!(
        error_class("SELECT (SELECT id FROM range(2)) AS x"),
        "SCALAR_SUBQUERY_TOO_MANY_ROWS"
    );
}

#[test]
fn test_window_frames_rows_and_range() {
    let data = "VALUES (1, 1), (1, 2), (1, 2), (1, 5), (2, 7) AS t(g, x)";
    let sql = format!(
        "SELECT g, x, sum(x) OVER (PARTITION BY g ORDER BY x) AS running, \
         sum(x) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair, \
         count(*) OVER (PARTITION BY g ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS near, \
         rank() OVER (PARTITION BY g ORDER BY x) AS rk, dense_rank() OVER (PARTITION BY g ORDER BY x) AS drk, \
         ntile(2) OVER (PARTITION BY g ORDER BY x) AS half, lead(x, 1, -1) OVER (PARTITION BY g ORDER BY x) AS nx \
         FROM {data} ORDER BY g, x"
    );
    let got = rows(&sql);
    // RANGE ... CURRENT ROW includes peers: both 2s see 1 + 2 + 2.
    assert_eq!(got[1][2], json!(5));
    assert_eq!(got[2][2], json!(5));
    assert_eq!(got[3][2], json!(10));
    assert_eq!(got[3][3], json!(7));
    assert_eq!(got[0][4], json!(3), "x=1 sees 1, 2, 2 within 1");
    assert_eq!(got[3][4], json!(1), "x=5 sees only itself");
    assert_eq!((got[3][5].clone(), got[3][6].clone()), (json!(4), json!(3)));
    assert_eq!(
        got.iter().map(|r| r[7].clone()).collect::<Vec<_>>(),
        vec![json!(1), json!(1), json!(2), json!(2), json!(1)]
    );
    assert_eq!(got[3][8], json!(-1));
    assert_eq!(got[4][8], json!(-1));
}

#[test]
fn test_window_range_frame_with_interval() {
    let sql = format!(
        "SELECT id, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL 5 MINUTES PRECEDING AND CURRENT ROW) AS n \
         FROM {READINGS} WHERE ts IS NOT NULL ORDER BY ts"
    );
    // 00:02 -> 1; 00:04 -> 2; 00:07 -> 00:02..00:07 = 3; 00:12 -> 00:07..00:12 = 2.
    let n: Vec<Value> = rows(&sql).iter().map(|r| r[1].clone()).collect();
    assert_eq!(n, vec![json!(1), json!(2), json!(3), json!(2)]);
}

#[test]
fn test_set_operations_all_and_distinct() {
    let a = "SELECT * FROM VALUES (1), (1), (2), (NULL) AS a(x)";
    let b = "SELECT * FROM VALUES (1), (NULL), (3) AS b(x)";
    let count = |op: &str| rows(&format!("SELECT count(*) FROM ({a} {op} {b})"))[0][0].clone();
    assert_eq!(count("UNION"), json!(4));
    assert_eq!(count("UNION ALL"), json!(7));
    assert_eq!(
        count("INTERSECT"),
        json!(2),
        "NULLs are equal in set operations"
    );
    assert_eq!(count("INTERSECT ALL"), json!(2));
    assert_eq!(count("EXCEPT"), json!(1));
    assert_eq!(count("EXCEPT ALL"), json!(2));
    assert_eq!(
        error_class(&format!("{a} UNION SELECT 1, 2")),
        "NUM_COLUMNS_MISMATCH"
    );
}

#[test]
fn test_lateral_view_and_explode() {
    let sql =
        "SELECT id, x FROM range(2) LATERAL VIEW explode(array(10, 20)) t AS x ORDER BY id, x";
    assert_eq!(rows(sql).len(), 4);
    let outer = "SELECT k, p, x FROM VALUES (1, array(7)), (2, CAST(NULL AS ARRAY<INT>)) AS t(k, a) \
                 LATERAL VIEW OUTER posexplode(a) e AS p, x ORDER BY k";
    assert_eq!(rows(outer), vec![json!([1, 0, 7]), json!([2, null, null])]);
}

#[test]
fn test_count_of_null_literals_counts_nothing() {
    let sql = "SELECT count(NULL) AS a, count(CAST(NULL AS INT)) AS b, count(1) AS c FROM range(3)";
    assert_eq!(rows(sql), vec![json!([0, 0, 3])]);
    assert_eq!(
        schema("SELECT CAST(NULL AS INT) + 1")[0].0,
        "(CAST(NULL AS INT) + 1)"
    );
}

#[test]
fn test_aggregates_over_empty_input_and_filter_clause() {
    let sql = "SELECT count(*) AS n, sum(id) AS s, collect_list(id) AS l, count(*) FILTER (WHERE id > 0) AS f \
               FROM range(0)";
    assert_eq!(rows(sql), vec![json!([0, null, [], 0])]);
    let grouped = "SELECT count(*) FROM range(0) GROUP BY id";
    assert!(rows(grouped).is_empty());
}

#[test]
fn test_distinct_aggregates_and_group_by_alias_and_ordinal() {
    let sql = "SELECT x % 2 AS parity, count(DISTINCT x) AS d, sum(DISTINCT x) AS s \
               FROM VALUES (1), (1), (2), (3), (NULL) AS t(x) GROUP BY parity ORDER BY 1 NULLS FIRST";
    assert_eq!(
        rows(sql),
        vec![json!([null, 0, null]), json!([0, 1, 2]), json!([1, 2, 4])]
    );
}

#[test]
fn test_having_and_qualify() {
    let sql =
        "SELECT k, count(*) AS n FROM VALUES ('a'), ('a'), ('b') AS t(k) GROUP BY k HAVING n > 1";
    assert_eq!(rows(sql), vec![json!(["a", 2])]);
    let sql = "SELECT k, v FROM VALUES ('a', 1), ('a', 3), ('b', 2) AS t(k, v) \
               QUALIFY row_number() OVER (PARTITION BY k ORDER BY v DESC) = 1 ORDER BY k";
    assert_eq!(rows(sql), vec![json!(["a", 3]), json!(["b", 2])]);
}

#[test]
fn test_case_branches_are_evaluated_only_where_chosen() {
    let sql = "SELECT CASE WHEN x = 0 THEN 0 ELSE 10 / x END AS q, coalesce(x, 1 / 0) AS c, \
               x <> 0 AND 10 / x > 1 AS a FROM VALUES (0), (5) AS t(x) ORDER BY x";
    // coalesce(int, double) is a double.
    assert_eq!(
        rows(sql),
        vec![json!([0.0, 0.0, false]), json!([2.0, 5.0, true])]
    );
    assert_eq!(
        error_class("SELECT CASE WHEN x = 1 THEN 1 / 0 END FROM VALUES (1) AS t(x)"),
        "DIVIDE_BY_ZERO"
    );
}

#[test]
fn test_nulls_and_nan_ordering() {
    let sql = "SELECT x FROM VALUES (1.0D), (CAST('NaN' AS DOUBLE)), (NULL), (-1.0D) AS t(x) ORDER BY x DESC";
    assert_eq!(
        rows(sql),
        vec![json!(["NaN"]), json!([1.0]), json!([-1.0]), json!([null])]
    );
    let sql = "SELECT x FROM VALUES ('b'), ('B'), ('a') AS t(x) ORDER BY x";
    assert_eq!(rows(sql), vec![json!(["B"]), json!(["a"]), json!(["b"])]);
}

#[test]
fn test_unknown_names_suggest_the_closest() {
    let err = session().sql("SELECT idd FROM range(3)").unwrap_err();
    assert_eq!(err.class(), "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    assert!(err.to_string().contains("`id`"), "{err}");
    let err = session().sql("SELECT * FROM rnage(3)").unwrap_err();
    assert_eq!(err.class(), "UNRESOLVABLE_TABLE_VALUED_FUNCTION");
    let err = session().sql("SELECT * FROM missing_table").unwrap_err();
    assert_eq!(err.class(), "TABLE_OR_VIEW_NOT_FOUND");
    assert_eq!(err.span().unwrap().start.column, 15);
}

#[test]
fn test_a_negative_limit_or_offset_is_one_spark_condition() {
    // Spark has one condition for both clauses and names the clause in its message.
    for clause in ["LIMIT", "OFFSET"] {
        let err = session()
            .sql(&format!("SELECT id FROM range(3) {clause} -1"))
            .unwrap_err();
        assert_eq!(
            err.class(),
            "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
            "{clause}"
        );
        assert!(err.to_string().contains(clause), "{err}");
    }
}

#[test]
fn test_ctes_shadow_and_chain() {
    let sql = "WITH a AS (SELECT id FROM range(4)), b AS (SELECT id * 2 AS d FROM a WHERE id > 1) \
               SELECT sum(d) FROM b";
    assert_eq!(rows(sql), vec![json!([10])]);
}

#[test]
fn test_a_subquery_in_an_aggregate_select_may_read_only_group_keys() {
    // EXISTS and IN run on the aggregated rows: they may read group keys only.
    let ok = "SELECT r.id, EXISTS (SELECT 1 FROM VALUES (1), (3) AS d(id) WHERE d.id = r.id) AS known \
         FROM VALUES (1, 10), (1, 30), (2, 5), (1, 20) AS r(id, v) GROUP BY r.id ORDER BY r.id";
    assert_eq!(rows(ok), vec![json!([1, true]), json!([2, false])]);
    let ungrouped = ok.replace("d.id = r.id", "d.id = r.v");
    assert_eq!(error_class(&ungrouped), "MISSING_AGGREGATION");
    // Spark refuses a correlated scalar subquery in the SELECT list outright, whatever it
    // reads, unless it sits inside an aggregate.
    let scalar = "SELECT count(*), (SELECT count(*) WHERE v > 10) FROM VALUES (1, 10), (1, 30), (2, 5), (1, 20) AS r(id, v)";
    assert_eq!(
        error_class(scalar),
        "SCALAR_SUBQUERY_IS_IN_GROUP_BY_OR_AGGREGATE_FUNCTION"
    );
    let inside = "SELECT sum((SELECT count(*) WHERE v > 10)) FROM VALUES (1, 10), (1, 30), (2, 5), (1, 20) AS r(id, v)";
    assert_eq!(rows(inside), vec![json!([2])]);
}

#[test]
fn test_a_subquery_reads_a_group_key_listed_out_of_its_column_order() {
    // `r.id` is the input's first column but the second group key: the subqueries run over
    // the aggregated row, where `r.id` is the second column.
    let sql = "SELECT r.v, r.id, EXISTS (SELECT 1 FROM VALUES (2), (3) AS d(id) WHERE d.id = r.id) AS e \
         FROM VALUES (1, 10), (2, 10), (3, 5) AS r(id, v) GROUP BY r.v, r.id \
         HAVING (SELECT count(*) FROM VALUES (1), (2), (3) AS d(id) WHERE d.id <= r.id) < 3 ORDER BY r.id";
    let expected = vec![json!([10, 1, false]), json!([10, 2, true])];
    assert_eq!(rows(sql), expected);
    let in_order = sql.replace("GROUP BY r.v, r.id", "GROUP BY r.id, r.v");
    assert_eq!(rows(&in_order), expected);
}

#[test]
fn test_nested_exists_and_in_subqueries_read_remapped_group_keys() {
    // A key behind a computed group key, read two subqueries deep, from EXISTS and from IN, in
    // the SELECT list and in HAVING.
    let sql = "SELECT r.v + 0 AS w, r.id, \
           EXISTS (SELECT 1 FROM VALUES (1), (2), (3) AS d(x) WHERE x IN (SELECT y FROM VALUES (2), (3) AS e(y) WHERE y = r.id)) AS deep, \
           EXISTS (SELECT 1 FROM VALUES (2) AS f(z) WHERE z = r.id) AS two \
         FROM VALUES (1, 10), (2, 10), (3, 5) AS r(id, v) \
         GROUP BY r.v + 0, r.id HAVING r.id IN (SELECT g FROM VALUES (1), (2), (3) AS h(g) WHERE g >= r.id) ORDER BY r.id";
    assert_eq!(
        rows(sql),
        vec![
            json!([10, 1, false, false]),
            json!([10, 2, true, true]),
            json!([5, 3, true, false])
        ]
    );
}
