//! The engine crates in the browser: each runs its real work in headless Chromium
//! (`scripts/test.sh wasm`), so wasm-only breakage (floating point, allocation, time) shows up.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use arrow::array::{
    Array, Float64Array, Int32Array, Int64Array, RecordBatch, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The digests `crates/datagen/tests/determinism.rs` pins natively for preset tiny, seed 42:
/// the browser must land byte-identical files.
const TINY_42_INITIAL: u64 = 0xedd1_92cd_9f99_e468;
const TINY_42_INCREMENT: u64 = 0xf1c5_d50a_aac9_2442;

#[wasm_bindgen_test]
fn datagen_lands_the_same_bytes_as_native() {
    let config = datagen::Preset::Tiny.config();
    let volume = datagen::Volume::new("default", "iot_anomaly_detection").expect("volume");
    for (batch, expected) in [
        (datagen::Batch::Initial, TINY_42_INITIAL),
        (datagen::Batch::Increment(1), TINY_42_INCREMENT),
    ] {
        let data = datagen::generate(&config, 42, batch).expect("generate");
        let landing = datagen::land(&data, &config, &volume).expect("land");
        assert_eq!(datagen::digest(&landing.files), expected, "{batch:?}");
    }
}

#[wasm_bindgen_test]
fn query_runs_spark_sql_over_a_registered_table() {
    let ids: Vec<i32> = (1..=100).collect();
    let schema = Arc::new(Schema::new(vec![Field::new("id", DataType::Int32, false)]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![Arc::new(Int32Array::from(ids.clone()))],
    )
    .unwrap();
    let mut catalog = query::Catalog::new();
    catalog.register_table(
        "t",
        query::Table::from_batches(schema, vec![batch]).unwrap(),
    );
    let session = query::Session::new(catalog);
    let result = session
        .sql("SELECT id % 3 AS k, sum(id) AS s, count(*) AS n FROM t GROUP BY 1 ORDER BY k")
        .expect("query");
    let out = result.concat().unwrap();
    let sums = out.column(1).as_any().downcast_ref::<Int64Array>().unwrap();
    for k in 0..3 {
        let expected: i64 = ids
            .iter()
            .filter(|&&i| i % 3 == k)
            .map(|&i| i64::from(i))
            .sum();
        assert_eq!(sums.value(k as usize), expected);
    }
    let error = session.sql("SELECT idd FROM t").unwrap_err();
    assert_eq!(error.class(), "UNRESOLVED_COLUMN.WITH_SUGGESTION");
}

#[wasm_bindgen_test]
fn tsdf_ema_matches_the_direct_sum() {
    let values: Vec<f64> = (0..50).map(|i| f64::from(i % 7) * 10.0).collect();
    let ts: Vec<i64> = (0..50).map(|i| i * 60_000_000).collect();
    let schema = Arc::new(Schema::new(vec![
        Field::new(
            "timestamp",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
        Field::new("v", DataType::Float64, true),
    ]));
    let batch = RecordBatch::try_new(
        schema,
        vec![
            Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC")),
            Arc::new(Float64Array::from(values.clone())),
        ],
    )
    .unwrap();
    let series = tsdf::Tsdf::new(batch, "timestamp", &[], None).expect("tsdf");
    let options = tsdf::EmaOptions {
        window: 5,
        exp_factor: 0.2,
    };
    let out = series.ema("v", &options).expect("ema");
    let ema = out.df().column_by_name("EMA_v").unwrap();
    let ema = ema.as_any().downcast_ref::<Float64Array>().unwrap();
    for t in 0..values.len() {
        let direct: f64 = (0..5.min(t + 1))
            .map(|i| 0.2 * 0.8f64.powi(i as i32) * values[t - i])
            .sum();
        assert!(
            (ema.value(t) - direct).abs() <= 1e-12 * direct.abs().max(1.0),
            "row {t}"
        );
    }
    assert_eq!(ema.null_count(), 0);
}

/// The course's pipeline runs in the browser on an in-memory volume: the Python and SQL default
/// projects agree, the second update reads only the newly landed files, and cancellation
/// before the first batch leaves the state untouched.
#[wasm_bindgen_test]
fn pipeline_runs_the_course_project_incrementally() {
    use pipeline::engine::{self, UpdateOptions};
    use pipeline::state::State;
    use pipeline::volume::MemoryVolume;

    let config = datagen::Preset::Tiny.config();
    let target = datagen::Volume::new("default", "iot_anomaly_detection").expect("volume");
    let land = |volume: &mut MemoryVolume, batch| {
        let (_, landing) = datagen::generate_and_land(&config, 42, batch, &target).expect("land");
        let sensor_files = landing
            .files
            .iter()
            .filter(|f| f.path.contains("/sensor_bronze/") && !f.path.contains("/_"))
            .count();
        for file in landing.files {
            volume.insert(&file.path, file.bytes);
        }
        (landing.summary.sensor_rows, sensor_files)
    };
    let mut volume = MemoryVolume::new();
    let (first_rows, _) = land(&mut volume, datagen::Batch::Initial);
    let volume_initial = volume.clone();
    let (more_rows, more_files) = land(&mut volume, datagen::Batch::Increment(1));

    let rows_of = |state: &State, table: &str| {
        state
            .table(&format!("default.iot_anomaly_detection.{table}"))
            .map(|t| t.table.num_rows())
            .expect("table exists")
    };
    let mut results = Vec::new();
    for project in [
        pipeline::projects::iot_python(),
        pipeline::projects::iot_sql(),
    ] {
        let (_, pipelines) =
            pipeline::load(&project, &pipeline::BundleOptions::default()).expect("loads");
        let mut state = State::new();

        let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let cancelled = UpdateOptions {
            cancel: Some(cancel),
            ..UpdateOptions::default()
        };
        assert!(engine::update(&pipelines[0], &mut state, &volume_initial, cancelled).is_err());
        assert!(
            state
                .table("default.iot_anomaly_detection.sensor_bronze")
                .is_none()
        );

        engine::update(
            &pipelines[0],
            &mut state,
            &volume_initial,
            UpdateOptions::default(),
        )
        .expect("first update");
        assert_eq!(rows_of(&state, "sensor_bronze"), first_rows);
        let second = engine::update(&pipelines[0], &mut state, &volume, UpdateOptions::default())
            .expect("incremental update");
        let bronze = second
            .flows
            .iter()
            .find(|f| f.dataset == "sensor_bronze")
            .expect("bronze flow");
        assert_eq!(
            (bronze.files_read, bronze.rows_written),
            (more_files, more_rows)
        );
        assert_eq!(rows_of(&state, "sensor_bronze"), first_rows + more_rows);
        let mut tables: Vec<(String, usize)> = state
            .tables_in("default", "iot_anomaly_detection")
            .into_iter()
            .map(|(name, t)| (name, t.table.num_rows()))
            .collect();
        tables.sort();
        results.push(tables);
    }
    assert_eq!(results[0], results[1], "Python and SQL projects agree");
}
