//! The module-3 pictures' data over a real run: the EMA line is Tempo's truncated EMA of the
//! trip's readings, and each inspection's joined value is the silver table's.

mod common;

use common::*;
use protocol::{ProjectFiles, Reply, Request, RowSource, SeriesQuery, SeriesView};

fn query() -> SeriesQuery {
    SeriesQuery::course(100_000)
}

fn series(
    wb: &mut Workbench,
    project: &ProjectFiles,
    q: SeriesQuery,
) -> Result<SeriesView, protocol::Problem> {
    match wb
        .send(Request::Series {
            project: project.clone(),
            target: None,
            query: q,
        })
        .reply
    {
        Reply::Series(view) => Ok(view),
        Reply::Error(p) => Err(p),
        other => panic!("series answered {other:?}"),
    }
}

fn course() -> (Workbench, ProjectFiles) {
    let mut wb = Workbench::new();
    let project = python_project();
    wb.generate();
    wb.update(&project);
    (wb, project)
}

fn values(wb: &mut Workbench, sql: &str) -> Vec<Vec<Option<String>>> {
    let page = wb.rows(RowSource::Query { sql: sql.into() }, 0, 500, None);
    let mut rows = page.rows;
    let mut offset = rows.len();
    while offset < page.total_rows {
        let more = wb.rows(RowSource::Query { sql: sql.into() }, offset, 500, None);
        offset += more.rows.len();
        rows.extend(more.rows);
    }
    rows
}

/// Tempo's EMA by its definition: Σ_{i<window} e(1-e)^i x[t-i], NULL as 0.
fn naive_ema(x: &[Option<f64>], window: usize, e: f64) -> Vec<f64> {
    (0..x.len())
        .map(|t| {
            (0..window.min(t + 1))
                .map(|i| e * (1.0 - e).powi(i as i32) * x[t - i].unwrap_or(0.0))
                .sum()
        })
        .collect()
}

#[test]
fn the_ema_line_is_tempos_ema_of_the_trips_readings() {
    let (mut wb, project) = course();
    let view = series(&mut wb, &project, query()).unwrap();
    let busiest = values(
        &mut wb,
        "SELECT device_id FROM sensor_bronze WHERE device_id IS NOT NULL GROUP BY device_id \
         ORDER BY count(*) DESC, device_id LIMIT 1",
    );
    assert_eq!(Some(view.device.clone()), busiest[0][0]);
    let readings = values(
        &mut wb,
        &format!(
            "SELECT CAST(rotation_speed AS DOUBLE) FROM sensor_bronze WHERE device_id = '{}' \
             AND trip_id = {} AND `timestamp` IS NOT NULL ORDER BY `timestamp`",
            view.device, view.trip
        ),
    );
    let x: Vec<Option<f64>> = readings
        .iter()
        .map(|r| r[0].as_deref().map(|v| v.parse().unwrap()))
        .collect();
    assert_eq!(view.raw.readings, x.iter().flatten().count());
    let expected = naive_ema(&x, 5, 0.2);
    assert_eq!(view.ema.points.len(), expected.len());
    for (got, want) in view.ema.points.iter().zip(&expected) {
        assert!(
            (got.1 - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{got:?} vs {want}"
        );
    }
    let wider = series(
        &mut wb,
        &project,
        SeriesQuery {
            ema_window: 10,
            ..query()
        },
    )
    .unwrap();
    assert_ne!(wider.ema.points, view.ema.points);
    assert_eq!(wider.raw, view.raw);
}

#[test]
fn each_inspection_is_joined_to_the_bucket_the_silver_table_used() {
    let (mut wb, project) = course();
    let view = series(&mut wb, &project, query()).unwrap();
    let silver = values(
        &mut wb,
        &format!(
            "SELECT unix_millis(`timestamp`), sensor_temperature, unix_millis(sensor_timestamp) \
             FROM inspection_silver WHERE device_id = '{}'",
            view.device
        ),
    );
    let mut checked = 0;
    for inspection in &view.inspections {
        let Some(row) = silver
            .iter()
            .find(|r| r[0].as_deref().unwrap().parse::<f64>().unwrap() == inspection.at_ms)
        else {
            continue;
        };
        let value: Option<f64> = row[1].as_deref().map(|v| v.parse().unwrap());
        match (value, inspection.value) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 1e-4 * a.abs().max(1.0), "{a} vs {b}"),
            (a, b) => assert_eq!(a, b),
        }
        let start = inspection
            .bucket_start_ms
            .expect("a bucket before the inspection");
        assert!(
            start <= inspection.at_ms,
            "no look-ahead past the bucket start"
        );
        checked += 1;
    }
    assert!(
        view.buckets
            .iter()
            .all(|b| b.end_ms - b.start_ms == 3_600_000.0)
    );
    assert!(view.buckets.iter().all(|b| b.start_ms % 3_600_000.0 == 0.0));
    // The busiest device's longest trip saw an inspection in the tiny preset or not; the
    // whole device's inspections are checked by asking for the whole time range.
    let all = series(
        &mut wb,
        &project,
        SeriesQuery {
            range_ms: Some((0.0, 4.0e12)),
            device: Some(view.device.clone()),
            ..query()
        },
    )
    .unwrap();
    for inspection in &all.inspections {
        if let Some(row) = silver
            .iter()
            .find(|r| r[0].as_deref().unwrap().parse::<f64>().unwrap() == inspection.at_ms)
        {
            let bucket: Option<f64> = row[2].as_deref().map(|v| v.parse().unwrap());
            assert_eq!(bucket, inspection.bucket_start_ms);
            checked += 1;
        }
    }
    assert!(checked > 0, "no inspection of the device was checked");
}

#[test]
fn a_chart_gets_at_most_four_points_per_pixel_and_bad_settings_are_explained() {
    let (mut wb, project) = course();
    let narrow = series(
        &mut wb,
        &project,
        SeriesQuery {
            pixels: 20,
            ..query()
        },
    )
    .unwrap();
    assert!(narrow.raw.points.len() <= 80);
    assert!(narrow.raw.readings > 80);
    let wrong = series(
        &mut wb,
        &project,
        SeriesQuery {
            ema_column: "rotation_sped".into(),
            ..query()
        },
    )
    .unwrap_err();
    assert!(
        wrong.suggestions.contains(&"rotation_speed".to_string()),
        "{wrong:?}"
    );
    let freq = series(
        &mut wb,
        &project,
        SeriesQuery {
            resample_freq: "1 fortnight".into(),
            ..query()
        },
    )
    .unwrap_err();
    assert!(freq.message.contains("fortnight"), "{}", freq.message);
}
