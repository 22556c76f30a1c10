//! Row pages, sorting, SQL, downloads.

mod common;

use common::*;
use protocol::{DownloadFormat, MAX_PAGE_ROWS, Reply, Request, RowSource, SortBy};

fn ready() -> Workbench {
    let mut bench = Workbench::new();
    bench.generate();
    let (run, _) = bench.update(&python_project());
    assert_eq!(run.outcome, protocol::Outcome::Completed, "{run:?}");
    bench
}

/// Every row of `source`, page by page.
fn all_rows(
    bench: &mut Workbench,
    source: &RowSource,
    sort: Option<SortBy>,
) -> Vec<Vec<Option<String>>> {
    let mut rows = Vec::new();
    loop {
        let page = bench.rows(source.clone(), rows.len(), 10_000, sort.clone());
        assert!(page.rows.len() <= MAX_PAGE_ROWS);
        assert_eq!(page.offset, rows.len());
        if page.rows.is_empty() {
            assert_eq!(rows.len(), page.total_rows);
            return rows;
        }
        rows.extend(page.rows);
    }
}

/// The naive reference: a stable sort of the unsorted rows by one column's numeric value,
/// NULLs first ascending, last descending.
fn naive_sort(
    mut rows: Vec<Vec<Option<String>>>,
    column: usize,
    ascending: bool,
) -> Vec<Vec<Option<String>>> {
    let key = |r: &Vec<Option<String>>| r[column].as_deref().map(|v| v.parse::<f64>().unwrap());
    rows.sort_by(|a, b| {
        let (a, b) = (key(a), key(b));
        match (a, b) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => {
                if ascending {
                    std::cmp::Ordering::Less
                } else {
                    std::cmp::Ordering::Greater
                }
            }
            (Some(_), None) => {
                if ascending {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Less
                }
            }
            (Some(x), Some(y)) => {
                let o = x.total_cmp(&y);
                if ascending { o } else { o.reverse() }
            }
        }
    });
    rows
}

#[test]
fn test_table_pages_sorted_match_a_naive_sort() {
    let mut bench = ready();
    let source = RowSource::Table {
        name: "sensor_bronze".into(),
    };
    let first = bench.rows(source.clone(), 0, 10_000, None);
    assert_eq!(first.rows.len(), MAX_PAGE_ROWS);
    let temperature = first
        .columns
        .iter()
        .position(|c| c.name == "temperature")
        .unwrap();
    assert!(first.columns[temperature].numeric);
    assert_eq!(first.columns[temperature].data_type, "float");
    let ts = first
        .columns
        .iter()
        .position(|c| c.name == "timestamp")
        .unwrap();
    assert_eq!(first.columns[ts].data_type, "timestamp");
    assert!(!first.columns[ts].numeric);
    let stamp = first.rows[0][ts].clone().unwrap();
    // As Spark shows it: `2023-01-02 14:08:27.737` (no `T`, no zone, fraction when present).
    assert!(stamp.len() >= "2023-01-01 00:00:00".len(), "{stamp}");
    assert_eq!(
        (&stamp[4..5], &stamp[10..11], &stamp[13..14]),
        ("-", " ", ":"),
        "{stamp}"
    );

    let unsorted = all_rows(&mut bench, &source, None);
    assert_eq!(unsorted.len(), first.total_rows);
    assert!(
        unsorted.iter().any(|r| r[temperature].is_none()),
        "the data has NULL temperatures"
    );
    for ascending in [true, false] {
        let sort = SortBy {
            column: "temperature".into(),
            ascending,
        };
        let sorted = all_rows(&mut bench, &source, Some(sort));
        assert_eq!(sorted, naive_sort(unsorted.clone(), temperature, ascending));
    }
}

#[test]
fn test_query_pages_sorted_match_a_naive_sort_and_short_names_resolve() {
    let mut bench = ready();
    let source = RowSource::Query {
        sql: "SELECT device_id, trip_id, rotation_speed FROM sensor_bronze WHERE device_id IS NOT NULL".into(),
    };
    let unsorted = all_rows(&mut bench, &source, None);
    let total: u64 = {
        let page = bench.rows(
            RowSource::Query {
                sql: "SELECT count(*) AS n FROM sensor_bronze WHERE device_id IS NOT NULL".into(),
            },
            0,
            1,
            None,
        );
        page.rows[0][0].as_deref().unwrap().parse().unwrap()
    };
    assert_eq!(unsorted.len() as u64, total);
    let sorted = all_rows(
        &mut bench,
        &source,
        Some(SortBy {
            column: "rotation_speed".into(),
            ascending: false,
        }),
    );
    assert_eq!(sorted, naive_sort(unsorted, 2, false));

    let log = bench.rows(
        RowSource::Query {
            sql: "SELECT event_type FROM event_log WHERE event_type = 'flow_progress'".into(),
        },
        0,
        10,
        None,
    );
    assert!(log.total_rows > 0);
    let events = bench.rows(
        RowSource::EventLog {
            event_type: Some("flow_progress".into()),
        },
        0,
        10,
        None,
    );
    assert_eq!(events.total_rows, log.total_rows);
    let name = bench.kernel.summary().history[0].update_id.clone();
    assert!(!name.is_empty());
}

#[test]
fn test_event_log_table_function_by_pipeline_name() {
    let mut bench = ready();
    let names = bench.rows(
        RowSource::Query {
            sql: "SELECT DISTINCT origin.pipeline_name AS name FROM event_log".into(),
        },
        0,
        10,
        None,
    );
    let name = names.rows[0][0].clone().unwrap();
    let all = bench.rows(
        RowSource::Query {
            sql: "SELECT count(*) FROM event_log".into(),
        },
        0,
        1,
        None,
    );
    let by_name = bench.rows(
        RowSource::Query {
            sql: format!("SELECT count(*) FROM event_log('{name}')"),
        },
        0,
        1,
        None,
    );
    assert_eq!(by_name.rows, all.rows);
    let Err(problem) = bench.try_rows(
        RowSource::Query {
            sql: "SELECT * FROM event_log('nope')".into(),
        },
        0,
        1,
        None,
    ) else {
        panic!("unknown pipeline must fail");
    };
    assert!(problem.message.contains(&name), "{problem:?}");
}

#[test]
fn test_sql_errors_carry_their_place_in_the_query() {
    let mut bench = ready();
    let Err(problem) = bench.try_rows(
        RowSource::Query {
            sql: "SELECT device_id,\n       temprature\nFROM sensor_bronze".into(),
        },
        0,
        10,
        None,
    ) else {
        panic!("a misspelt column must fail");
    };
    let place = problem.place.clone().expect("a place");
    assert_eq!(place.file, None);
    assert_eq!((place.line, place.column), (2, 8), "{problem:?}");
    assert!(
        problem
            .suggestions
            .iter()
            .any(|s| s.contains("temperature")),
        "{problem:?}"
    );

    let Err(problem) = bench.try_rows(
        RowSource::Table {
            name: "sensor_bronz".into(),
        },
        0,
        10,
        None,
    ) else {
        panic!("a misspelt table must fail");
    };
    assert!(
        problem
            .suggestions
            .iter()
            .any(|s| s.contains("sensor_bronze")),
        "{problem:?}"
    );
}

#[test]
fn test_downloads_csv_rows_and_arrow_round_trip() {
    let mut bench = ready();
    let source = RowSource::Table {
        name: "inspection_bronze".into(),
    };
    let total = bench.rows(source.clone(), 0, 1, None).total_rows;
    let out = bench.send(Request::Download {
        source: source.clone(),
        format: DownloadFormat::Csv,
    });
    let Reply::File { name, mime } = &out.reply else {
        panic!("{:?}", out.reply);
    };
    assert_eq!(
        (name.as_str(), mime.as_str()),
        ("inspection_bronze.csv", "text/csv")
    );
    let bytes = out.bytes.unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert!(reader.headers().unwrap().iter().any(|h| h == "defect"));
    assert_eq!(reader.records().count(), total);

    // What the page's codec encodes as Parquet.
    let out = bench.send(Request::Download {
        source: source.clone(),
        format: DownloadFormat::Arrow,
    });
    let Reply::File { name, mime } = &out.reply else {
        panic!("{:?}", out.reply);
    };
    assert_eq!(
        (name.as_str(), mime.as_str()),
        (
            "inspection_bronze.arrow",
            "application/vnd.apache.arrow.file"
        )
    );
    let (_, batches) = pipeline::ipc::read(&out.bytes.unwrap()).unwrap();
    assert_same_table(&mut bench, batches, total);

    let out = bench.send(Request::Download {
        source,
        format: DownloadFormat::Parquet,
    });
    #[cfg(feature = "parquet")]
    {
        let Reply::File { name, .. } = &out.reply else {
            panic!("{:?}", out.reply);
        };
        assert_eq!(name, "inspection_bronze.parquet");
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
            bytes::Bytes::from(out.bytes.unwrap()),
        )
        .unwrap()
        .build()
        .unwrap();
        let batches: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
        assert_same_table(&mut bench, batches, total);
    }
    #[cfg(not(feature = "parquet"))]
    {
        let Reply::Error(problem) = &out.reply else {
            panic!("{:?}", out.reply);
        };
        assert!(problem.message.contains("writes no Parquet"), "{problem:?}");
    }
}

/// `batches` hold `total` rows with the columns and types of `inspection_bronze`.
fn assert_same_table(bench: &mut Workbench, batches: Vec<arrow::array::RecordBatch>, total: usize) {
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, total);
    let table = query::Table::from_batches(batches[0].schema(), batches).unwrap();
    let summary = bench.kernel.summary();
    let expected = &summary
        .tables
        .iter()
        .find(|t| t.qualified.ends_with(".inspection_bronze"))
        .unwrap()
        .columns;
    let got: Vec<(String, String)> = table
        .schema()
        .iter()
        .map(|(n, t)| (n.clone(), t.simple_string()))
        .collect();
    assert_eq!(&got, expected);
}

#[test]
fn test_volume_files_show_their_first_rows() {
    let mut bench = ready();
    let Reply::Volume(listing) = bench.send(Request::ListVolume).reply else {
        panic!("listing");
    };
    let part = listing
        .files
        .iter()
        .find(|f| f.path.contains("/sensor_bronze/part-"))
        .unwrap();
    let page = bench.rows(
        RowSource::File {
            path: part.path.clone(),
        },
        0,
        5,
        None,
    );
    assert_eq!(page.columns[0].name, "device_id");
    assert_eq!(page.rows.len(), 5);

    let out = bench.send_bytes(
        Request::Upload {
            folder: format!("/Volumes/{CATALOG}/{SCHEMA}/uploads"),
            name: "notes.jsonl".into(),
            decoded: None,
        },
        Some(b"{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"c\": null}\n".to_vec()),
    );
    assert!(matches!(out.reply, Reply::Volume(_)), "{:?}", out.reply);
    let page = bench.rows(
        RowSource::File {
            path: format!("/Volumes/{CATALOG}/{SCHEMA}/uploads/notes.jsonl"),
        },
        0,
        5,
        None,
    );
    let names: Vec<&str> = page.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(page.rows[1], [Some("2".to_string()), None, None]);
}

#[test]
fn test_paging_a_query_reuses_its_result_until_the_data_changes() {
    let mut bench = Workbench::new();
    // current_timestamp() is fixed per run of a query: equal stamps mean one run.
    let source = RowSource::Query {
        sql: "SELECT current_timestamp() AS t, id FROM range(1200)".into(),
    };
    let first = bench.rows(source.clone(), 0, 500, None);
    let second = bench.rows(source.clone(), 500, 500, None);
    assert_eq!(second.rows[0][1].as_deref(), Some("500"));
    assert_eq!(first.rows[0][0], second.rows[0][0]);
    let sorted = bench.rows(
        source.clone(),
        0,
        1,
        Some(SortBy {
            column: "id".into(),
            ascending: false,
        }),
    );
    assert_eq!(sorted.rows[0][1].as_deref(), Some("1199"));
    assert_eq!(sorted.rows[0][0], first.rows[0][0]);
    bench.generate();
    let rerun = bench.rows(source, 0, 1, None);
    assert_ne!(rerun.rows[0][0], first.rows[0][0]);
}
