//! The public API as the pipeline crate and the browser use it: catalog and views, the
//! DataFrame builder, expressions from Rust and SQL, predicates over a batch, relation
//! resolvers (STREAM, read_files, LIVE.t), extension nodes, cancellation, error locations.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use arrow::array::{Array, Float64Array, Int32Array, RecordBatch, StringArray};
use query::{
    Catalog, DataFrame, ExecOptions, ExtensionNode, JoinKind, JoinOn, QueryError, RelationResolver,
    Session, SourceOrigin, SparkType, Table, TableArg, call, cast, col, lit, parse_expr, when,
};
use serde_json::{Value, json};

fn readings() -> Table {
    let schema = vec![
        ("device_id".to_string(), SparkType::Int),
        ("factory_id".to_string(), SparkType::String),
        ("air_pressure".to_string(), SparkType::Double),
    ];
    let arrow = Arc::new(arrow::datatypes::Schema::new(
        schema
            .iter()
            .map(|(n, t)| arrow::datatypes::Field::new(n, t.to_arrow(), true))
            .collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(
        arrow,
        vec![
            Arc::new(Int32Array::from(vec![
                Some(1),
                Some(1),
                Some(2),
                Some(3),
                None,
            ])),
            Arc::new(StringArray::from(vec![
                Some("A06"),
                Some("A06"),
                Some("C04"),
                None,
                Some("C04"),
            ])),
            Arc::new(Float64Array::from(vec![
                Some(850.0),
                Some(-3.0),
                Some(870.5),
                Some(0.0),
                None,
            ])),
        ],
    )
    .unwrap();
    Table::new(schema, vec![batch]).unwrap()
}

fn session() -> Session {
    let mut catalog = Catalog::new();
    catalog.register_table("main.iot.readings", readings());
    Session::new(catalog)
}

fn rows(session: &Session, df: &DataFrame) -> Vec<Value> {
    let result = session.collect(df).unwrap();
    query::json::result_json(&result).unwrap()["rows"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn test_dataframe_chain_like_pyspark() {
    let s = session();
    let df = s
        .table("readings")
        .unwrap()
        .filter(parse_expr("air_pressure > 0").unwrap())
        .unwrap()
        .with_column("kpa", call("/", vec![col("air_pressure"), lit(10)]))
        .unwrap()
        .with_column_renamed("factory_id", "factory")
        .unwrap()
        .drop(&["air_pressure", "no_such_column"])
        .unwrap();
    assert_eq!(
        df.schema(),
        vec![
            ("device_id".into(), SparkType::Int),
            ("factory".into(), SparkType::String),
            ("kpa".into(), SparkType::Double)
        ]
    );
    let grouped = df
        .aggregate(
            vec![col("factory")],
            vec![
                call("count", vec![lit(1)]).alias("n"),
                call("avg", vec![col("kpa")]).alias("avg_kpa"),
            ],
        )
        .unwrap()
        .sort(vec![col("factory").asc()])
        .unwrap();
    assert_eq!(
        rows(&s, &grouped),
        vec![json!(["A06", 1, 85.0]), json!(["C04", 1, 87.05])]
    );
}

#[test]
fn test_dataframe_case_cast_distinct_limit_union() {
    let s = session();
    let df = s.table("readings").unwrap();
    let banded = df
        .select(vec![
            col("device_id"),
            when(col("air_pressure").is_null(), lit("missing"))
                .when(call("<=", vec![col("air_pressure"), lit(0)]), lit("bad"))
                .otherwise(lit("ok"))
                .alias("band"),
            cast(col("device_id"), SparkType::String).alias("id_text"),
        ])
        .unwrap();
    assert_eq!(banded.schema()[1], ("band".into(), SparkType::String));
    let distinct_bands = banded.select(vec![col("band")]).unwrap().distinct();
    assert_eq!(s.collect(&distinct_bands).unwrap().num_rows(), 3);
    let both = banded.limit(2).union(&banded.limit(1)).unwrap();
    assert_eq!(s.collect(&both).unwrap().num_rows(), 3);
    let by_name = banded
        .select(vec![col("band"), col("device_id")])
        .unwrap()
        .union_by_name(&banded.drop(&["id_text"]).unwrap(), false)
        .unwrap();
    assert_eq!(by_name.schema()[0].0, "band");
    assert_eq!(s.collect(&by_name).unwrap().num_rows(), 10);
}

#[test]
fn test_dataframe_joins_on_columns_and_conditions() {
    let s = session();
    let left = s.table("readings").unwrap();
    let right = s
        .sql_df("SELECT * FROM VALUES ('A06', 'Austin'), ('C04', 'Cork') AS f(factory_id, city)")
        .unwrap();
    let joined = left
        .join(
            &right,
            JoinOn::Columns(vec!["factory_id".into()]),
            JoinKind::Inner,
        )
        .unwrap();
    assert_eq!(
        joined
            .schema()
            .iter()
            .map(|c| c.0.as_str())
            .collect::<Vec<_>>(),
        vec!["factory_id", "device_id", "air_pressure", "city"]
    );
    assert_eq!(s.collect(&joined).unwrap().num_rows(), 4);
    let on = left
        .alias("r")
        .join(
            &right.alias("f"),
            JoinOn::Condition(
                parse_expr("r.factory_id = f.factory_id AND r.air_pressure > 0").unwrap(),
            ),
            JoinKind::Left,
        )
        .unwrap();
    assert_eq!(s.collect(&on).unwrap().num_rows(), 5);
    let deduped = left.drop_duplicates(Some(&["device_id"])).unwrap();
    assert_eq!(deduped.schema().len(), 3);
    assert_eq!(s.collect(&deduped).unwrap().num_rows(), 4);
}

#[test]
fn test_views_are_named_plans() {
    let mut s = session();
    let view = s
        .sql_df("SELECT device_id FROM readings WHERE air_pressure > 0")
        .unwrap();
    s.catalog_mut().register_view("good_readings", view);
    let result = s.sql("SELECT count(*) FROM good_readings").unwrap();
    let n = result.batches[0]
        .column(0)
        .as_any()
        .downcast_ref::<arrow::array::Int64Array>()
        .unwrap()
        .value(0);
    assert_eq!(n, 2);
    assert!(s.catalog_mut().deregister("GOOD_READINGS"));
    assert_eq!(
        s.sql("SELECT * FROM good_readings").unwrap_err().class(),
        "TABLE_OR_VIEW_NOT_FOUND"
    );
}

#[test]
fn test_evaluate_predicate_counts_pass_and_fail_per_row() {
    let t = readings();
    let expect = parse_expr("air_pressure > 0 AND factory_id IS NOT NULL").unwrap();
    let mask = query::evaluate_predicate(
        &expect,
        t.schema(),
        &t.batches()[0],
        &ExecOptions::default(),
    )
    .unwrap();
    let outcome: Vec<Option<bool>> = mask.iter().collect();
    assert_eq!(
        outcome,
        vec![Some(true), Some(false), Some(true), Some(false), None]
    );
    let not_boolean = parse_expr("air_pressure + 1").unwrap();
    let err = query::evaluate_predicate(
        &not_boolean,
        t.schema(),
        &t.batches()[0],
        &ExecOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.class(), "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

/// Resolves `STREAM(t)` to t's rows with `device_id = 1`, and `LIVE.t` to the catalog table.
struct Pipelines {
    source: DataFrame,
}

impl RelationResolver for Pipelines {
    fn table(&self, name: &[String]) -> query::error::Result<Option<DataFrame>> {
        Ok((name.len() == 2 && name[0].eq_ignore_ascii_case("live")).then(|| self.source.clone()))
    }

    fn table_function(
        &self,
        name: &str,
        args: &[TableArg],
    ) -> query::error::Result<Option<DataFrame>> {
        match (name, args) {
            ("stream", [TableArg::Table(parts)])
                if parts.last().is_some_and(|p| p == "readings") =>
            {
                Ok(Some(
                    self.source.filter(parse_expr("device_id = 1").unwrap())?,
                ))
            }
            ("read_files", [TableArg::Value(path), ..]) => {
                let path = path
                    .value
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .unwrap()
                    .value(0)
                    .to_string();
                Err(QueryError::analysis(
                    query::ErrorClass::PathNotFound,
                    format!("no files at {path}"),
                ))
            }
            _ => Ok(None),
        }
    }
}

#[test]
fn test_relation_resolver_handles_stream_and_live() {
    let s = session();
    let source = s.table("readings").unwrap();
    let s = s.with_relation_resolver(Arc::new(Pipelines { source }));
    let count = |sql: &str| s.sql(sql).unwrap().num_rows();
    assert_eq!(count("SELECT * FROM STREAM(LIVE.readings)"), 2);
    assert_eq!(
        count("SELECT * FROM STREAM LIVE.readings WHERE air_pressure > 0"),
        1
    );
    assert_eq!(count("SELECT r.device_id FROM STREAM readings AS r"), 2);
    assert_eq!(count("SELECT * FROM LIVE.readings"), 5);
    let err = s
        .sql("SELECT * FROM read_files('/Volumes/x', format => 'json')")
        .unwrap_err();
    assert_eq!(err.class(), "PATH_NOT_FOUND");
    assert!(err.span().is_some());
}

/// Keeps every `n`-th row of its single input.
#[derive(Debug)]
struct EveryNth(usize);

impl ExtensionNode for EveryNth {
    fn name(&self) -> &str {
        "every_nth"
    }
    fn schema(
        &self,
        inputs: &[Vec<(String, SparkType)>],
    ) -> query::error::Result<Vec<(String, SparkType)>> {
        Ok(inputs[0].clone())
    }
    fn execute(
        &self,
        inputs: Vec<Vec<RecordBatch>>,
        _: &ExecOptions,
    ) -> query::error::Result<Vec<RecordBatch>> {
        let all = arrow::compute::concat_batches(&inputs[0][0].schema(), &inputs[0])?;
        let keep: arrow::array::UInt32Array = (0..all.num_rows() as u32).step_by(self.0).collect();
        Ok(vec![arrow::compute::take_record_batch(&all, &keep)?])
    }
}

#[test]
fn test_extension_node_takes_part_in_plans() {
    let s = session();
    let input = s.table("readings").unwrap();
    let thinned = DataFrame::extension(Arc::new(EveryNth(2)), vec![input]).unwrap();
    let counted = thinned
        .aggregate(vec![], vec![call("count", vec![lit(1)]).alias("n")])
        .unwrap();
    assert_eq!(rows(&s, &counted), vec![json!([3])]);
    assert!(s.explain(&counted).contains("Extension every_nth"));
}

#[test]
fn test_cancellation_stops_between_batches() {
    let flag = Arc::new(AtomicBool::new(true));
    let s = session().with_options(ExecOptions {
        now_micros: 0,
        cancel: Some(flag.clone()),
    });
    assert_eq!(
        s.sql("SELECT count(*) FROM readings").unwrap_err(),
        QueryError::Cancelled
    );
    flag.store(false, Ordering::Relaxed);
    assert!(s.sql("SELECT count(*) FROM readings").is_ok());
}

#[test]
fn test_errors_point_into_the_embedding_file() {
    let s = session();
    let origin = SourceOrigin::new(7, 12);
    let err = s
        .sql_at("SELECT devise_id FROM readings", origin)
        .unwrap_err();
    let span = err.span().unwrap();
    assert_eq!((span.start.line, span.start.column), (7, 19));
    if let QueryError::Analysis { suggestions, .. } = &err {
        assert_eq!(suggestions[0], "`readings`.`device_id`");
    } else {
        panic!("{err:?}");
    }
    let err = s
        .sql_at(
            "SELECT device_id\n  FROM readings\n  WHERE air_pressure >",
            origin,
        )
        .unwrap_err();
    assert_eq!(err.class(), "PARSE_SYNTAX_ERROR");
    assert_eq!(err.span().unwrap().start.line, 9);
    let err = query::parse_expr_at("air_pressure >> 0", SourceOrigin::new(3, 20)).unwrap_err();
    assert_eq!(err.span().unwrap().start.line, 3);
}

#[test]
fn test_current_timestamp_comes_from_the_injected_clock() {
    let s = session().with_options(ExecOptions::at(1_700_000_000_000_000));
    let json =
        query::json::result_json(&s.sql("SELECT current_timestamp() AS now").unwrap()).unwrap();
    assert_eq!(json["rows"][0][0], json!("2023-11-14T22:13:20.000000Z"));
}

#[test]
fn test_result_pages_slice_across_batches() {
    let s = session();
    let result = s
        .sql("SELECT * FROM range(10) UNION ALL SELECT * FROM range(5)")
        .unwrap();
    assert_eq!(result.num_rows(), 15);
    let page: usize = result.page(8, 4).iter().map(RecordBatch::num_rows).sum();
    assert_eq!(page, 4);
    let tail: usize = result.page(13, 10).iter().map(RecordBatch::num_rows).sum();
    assert_eq!(tail, 2);
    assert_eq!(result.concat().unwrap().num_rows(), 15);
}
