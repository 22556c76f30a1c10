//! The dashboard and the alert, computed from the course project over a real run: widget
//! places as the seed spec gives them, each widget's rows equal to an independent query,
//! filters bound only where the file binds them, and the alert's simulated clock.

mod common;

use common::*;
use protocol::{
    AlertState, DashboardView, FilterChoice, ProjectFiles, Reply, Request, RowSource, WidgetKind,
    WidgetView,
};

/// Real "now": 2026, long after the synthetic 2023 readings.
const REAL_NOW_MS: f64 = 1_796_000_000_000.0;

/// `(x, y, width, height)` on the grid.
type Place = (u32, u32, u32, u32);

fn dashboard(
    wb: &mut Workbench,
    project: &ProjectFiles,
    filters: Vec<FilterChoice>,
    now_ms: f64,
) -> DashboardView {
    match wb
        .send(Request::Dashboard {
            project: project.clone(),
            target: None,
            filters,
            now_ms,
        })
        .reply
    {
        Reply::Dashboard(view) => view,
        other => panic!("dashboard answered {other:?}"),
    }
}

fn widget<'a>(view: &'a DashboardView, name: &str) -> &'a WidgetView {
    view.widgets
        .iter()
        .find(|w| w.name == name)
        .unwrap_or_else(|| panic!("no widget {name}"))
}

fn number(w: &WidgetView) -> f64 {
    assert!(w.error.is_none(), "{:?}", w.error);
    w.rows[0][0].as_deref().unwrap().parse().unwrap()
}

fn query(wb: &mut Workbench, sql: &str) -> Vec<Vec<Option<String>>> {
    wb.rows(RowSource::Query { sql: sql.into() }, 0, 500, None)
        .rows
}

fn course() -> (Workbench, ProjectFiles) {
    let mut wb = Workbench::new();
    let project = python_project();
    wb.generate();
    wb.update(&project);
    (wb, project)
}

#[test]
fn widgets_sit_where_the_spec_puts_them_and_show_what_independent_queries_give() {
    let (mut wb, project) = course();
    let view = dashboard(&mut wb, &project, Vec::new(), REAL_NOW_MS);
    assert!(view.problems.is_empty(), "{:?}", view.problems);
    assert_eq!(view.columns, 6);
    let places: Vec<(&str, Place)> = view
        .widgets
        .iter()
        .map(|w| {
            let p = w.position;
            (w.name.as_str(), (p.x, p.y, p.width, p.height))
        })
        .collect();
    assert_eq!(
        places,
        [
            ("filter_device", (0, 0, 1, 3)),
            ("filter_model", (0, 3, 1, 3)),
            ("defects_flagged", (0, 6, 1, 3)),
            ("non_defects", (0, 9, 1, 3)),
            ("weekly_inspections", (1, 0, 3, 6)),
            ("defect_rate_by_factory", (4, 0, 2, 6)),
            ("density_by_day", (1, 6, 5, 6)),
            ("temperature_by_day", (0, 12, 6, 7)),
        ]
    );
    for w in &view.widgets {
        assert!(w.error.is_none(), "{}: {:?}", w.name, w.error);
    }
    let defects = query(
        &mut wb,
        "SELECT count(*) FROM inspection_bronze WHERE device_id IS NOT NULL AND defect = 1",
    );
    assert_eq!(
        number(widget(&view, "defects_flagged")),
        defects[0][0].as_deref().unwrap().parse::<f64>().unwrap()
    );
    let weekly = query(
        &mut wb,
        "SELECT date_trunc('WEEK', date_trunc('day', `timestamp`)) AS w, \
         sum(CASE WHEN defect > 0 THEN 1 ELSE 0 END), sum(CASE WHEN defect = 0 THEN 1 ELSE 0 END) \
         FROM inspection_bronze WHERE device_id IS NOT NULL AND `timestamp` IS NOT NULL \
         GROUP BY w ORDER BY w",
    );
    let bars = &widget(&view, "weekly_inspections").rows;
    let bars_without_null: Vec<_> = bars.iter().filter(|r| r[0].is_some()).cloned().collect();
    assert_eq!(bars_without_null, weekly);
    // Weeks start on Monday.
    assert!(bars_without_null.iter().all(|r| {
        let day = r[0].as_deref().unwrap();
        matches!(day, "2022-12-26 00:00:00") || day > "2022-12-26"
    }));
    let rates = &widget(&view, "defect_rate_by_factory");
    let by_factory = query(
        &mut wb,
        "SELECT factory_id, avg(rate) FROM (SELECT factory_id, device_id, model_id, \
         100 * (sum(CASE WHEN defect = 1 THEN `count` ELSE 0 END) / sum(`count`)) AS rate \
         FROM inspection_gold WHERE device_id IS NOT NULL GROUP BY factory_id, device_id, model_id) \
         GROUP BY factory_id ORDER BY factory_id",
    );
    assert_eq!(rates.rows, by_factory);
    match &rates.kind {
        WidgetKind::Bar { x, y, .. } => {
            assert_eq!(x.title, "% Defect Rate");
            assert_eq!(y.title, "Factory");
            assert!(y.sort_by_value_descending);
        }
        other => panic!("{other:?}"),
    }
    match &widget(&view, "temperature_by_day").kind {
        WidgetKind::Scatter { color: Some(c), .. } => {
            let colours: Vec<&str> = c.mappings.iter().map(|m| m.color.as_str()).collect();
            assert_eq!(colours, ["#FF3621", "#00A972", "#077A9D"]);
            assert_eq!(c.mappings[2].value, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn filters_reach_only_the_widgets_bound_to_them_and_narrow_each_other() {
    let (mut wb, project) = course();
    let all = dashboard(&mut wb, &project, Vec::new(), REAL_NOW_MS);
    let WidgetKind::Filter {
        options: devices, ..
    } = &widget(&all, "filter_device").kind
    else {
        panic!("not a filter")
    };
    let WidgetKind::Filter {
        options: models, ..
    } = &widget(&all, "filter_model").kind
    else {
        panic!("not a filter")
    };
    assert!(devices.len() > 1 && models.len() > 1);
    let device = devices[0].clone();
    let one = dashboard(
        &mut wb,
        &project,
        vec![FilterChoice {
            widget: "filter_device".into(),
            values: vec![device.clone()],
        }],
        REAL_NOW_MS,
    );
    // Counters are not bound to filters.
    for counter in ["defects_flagged", "non_defects"] {
        assert_eq!(widget(&one, counter).rows, widget(&all, counter).rows);
        assert!(!widget(&one, counter).filtered);
    }
    // The weekly bars (Bronze Inspection) are bound: they count only the device's inspections.
    let weekly = widget(&one, "weekly_inspections");
    assert!(weekly.filtered && weekly.sql.contains(&device));
    let expected = query(
        &mut wb,
        &format!(
            "SELECT sum(CASE WHEN defect = 0 THEN 1 ELSE 0 END) FROM inspection_bronze \
             WHERE device_id = '{device}'"
        ),
    );
    let non_defects: f64 = weekly
        .rows
        .iter()
        .map(|r| r[2].as_deref().unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(
        non_defects,
        expected[0][0].as_deref().unwrap().parse::<f64>().unwrap()
    );
    // Associative: the model filter offers only the device's model.
    let WidgetKind::Filter {
        options: narrowed, ..
    } = &widget(&one, "filter_model").kind
    else {
        panic!("not a filter")
    };
    let model = query(
        &mut wb,
        &format!("SELECT DISTINCT model_id FROM sensor_bronze WHERE device_id = '{device}'"),
    );
    assert_eq!(narrowed.len(), model.len());
    // Model does not filter Bronze Inspection: with a model chosen, the weekly bars stay whole.
    let by_model = dashboard(
        &mut wb,
        &project,
        vec![FilterChoice {
            widget: "filter_model".into(),
            values: vec![models[0].clone()],
        }],
        REAL_NOW_MS,
    );
    assert_eq!(
        widget(&by_model, "weekly_inspections").rows,
        widget(&all, "weekly_inspections").rows
    );
    assert!(widget(&by_model, "density_by_day").filtered);
    assert_ne!(
        widget(&by_model, "density_by_day").rows,
        widget(&all, "density_by_day").rows
    );
}

#[test]
fn the_alert_stays_ok_at_real_time_and_triggers_just_after_the_last_anomaly() {
    let (mut wb, project) = course();
    let real = dashboard(&mut wb, &project, Vec::new(), REAL_NOW_MS);
    let alert = real.alert.expect("the course bundle has an alert");
    assert_eq!(alert.column, "defects_count");
    assert_eq!(alert.operator, "GREATER_THAN");
    assert!(alert.muted);
    assert_eq!(alert.value.as_deref(), Some("0"));
    assert_eq!(alert.state, AlertState::Ok);
    let last = alert
        .latest_anomaly_ms
        .expect("the course run has anomalies");
    let simulated = dashboard(&mut wb, &project, Vec::new(), last + 1000.0);
    let alert = simulated.alert.unwrap();
    assert_eq!(alert.state, AlertState::Triggered);
    let seen: u64 = alert.value.as_deref().unwrap().parse().unwrap();
    let expected = query(
        &mut wb,
        &format!(
            "SELECT count(*) FROM anomaly_detected WHERE `timestamp` > \
             timestamp_millis({}) - INTERVAL 10 MINUTES",
            (last + 1000.0) as i64
        ),
    );
    assert_eq!(seen.to_string(), expected[0][0].clone().unwrap());
    assert!(seen >= 1);
    // A threshold above the count: OK again.
    let raised = edited(&project, "resources/alert.yml", |t| {
        t.replace("double_value: 0", &format!("double_value: {seen}"))
    });
    let alert = dashboard(&mut wb, &raised, Vec::new(), last + 1000.0)
        .alert
        .unwrap();
    assert_eq!(alert.state, AlertState::Ok);
}

#[test]
fn an_edited_dataset_is_what_the_dashboard_shows_and_a_broken_file_says_where() {
    let (mut wb, project) = course();
    let file = "config/iot_anomaly_detection.lvdash.json";
    let edited_sql = edited(&project, file, |t| {
        t.replace(
            "AND defect = 1 GROUP BY device_id",
            "AND defect = 0 GROUP BY device_id",
        )
    });
    let view = dashboard(&mut wb, &edited_sql, Vec::new(), REAL_NOW_MS);
    assert_eq!(
        number(widget(&view, "defects_flagged")),
        number(widget(&view, "non_defects"))
    );
    let broken = edited(&project, file, |t| {
        t.replacen("\"datasets\"", "\"datasets\" ,", 1)
    });
    match wb
        .send(Request::Dashboard {
            project: broken,
            target: None,
            filters: Vec::new(),
            now_ms: REAL_NOW_MS,
        })
        .reply
    {
        Reply::Error(p) => {
            let place = p.place.expect("a place");
            assert_eq!(place.file.as_deref(), Some(file));
            assert_eq!(place.line, 2);
        }
        other => panic!("{other:?}"),
    }
    let misspelt = edited(&project, file, |t| {
        t.replace("SUM(`count(1)`)", "SUM(`count(2)`)")
    });
    let view = dashboard(&mut wb, &misspelt, Vec::new(), REAL_NOW_MS);
    let error = widget(&view, "defects_flagged")
        .error
        .clone()
        .expect("an error");
    assert!(error.message.contains("Defect Count"), "{}", error.message);
    assert!(
        error.suggestions.iter().any(|s| s.contains("count(1)")),
        "{error:?}"
    );
}

#[test]
fn landing_more_data_raises_the_counters() {
    let (mut wb, project) = course();
    let before = dashboard(&mut wb, &project, Vec::new(), REAL_NOW_MS);
    wb.send(Request::LandMore);
    wb.update(&project);
    let after = dashboard(&mut wb, &project, Vec::new(), REAL_NOW_MS);
    assert!(number(widget(&after, "non_defects")) > number(widget(&before, "non_defects")));
    let weeks = |v: &DashboardView| {
        widget(v, "weekly_inspections")
            .rows
            .iter()
            .filter(|r| r[0].as_deref().is_some_and(|d| d >= "2024-01-01"))
            .count()
    };
    assert_eq!(weeks(&before), 0);
    assert!(weeks(&after) > 0);
}
