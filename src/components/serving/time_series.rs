//! Module 3's pictures for a device and trip: a sensor's readings against their EMA, a column
//! against its resample buckets, and each inspection linked to the bucket the as-of join gave
//! it. Every setting redraws at once from the engine's answer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{Problem, SeriesQuery, SeriesView};
use wasm_bindgen::JsCast;

use super::time_chart::{Plot, PlotLine, TimeChart, WIDTH};
use crate::workbench::use_workbench;

const FREQS: [&str; 6] = [
    "5 minutes",
    "10 minutes",
    "30 minutes",
    "1 hour",
    "4 hours",
    "1 day",
];
const FUNCS: [&str; 5] = ["mean", "min", "max", "floor", "ceil"];

fn target_value(ev: &web_sys::Event) -> String {
    ev.target()
        .and_then(|t| {
            t.clone()
                .dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .ok()
                .or_else(|| {
                    t.dyn_into::<web_sys::HtmlInputElement>()
                        .ok()
                        .map(|i| i.value())
                })
        })
        .unwrap_or_default()
}

fn options(values: Vec<String>, current: String) -> impl IntoView {
    values
        .into_iter()
        .map(|v| {
            let selected = v == current;
            let text = v.clone();
            view! { <option value=v prop:selected=selected>{text}</option> }
        })
        .collect::<Vec<_>>()
}

/// The pictures with their settings.
#[component]
pub fn TimeSeries() -> impl IntoView {
    let wb = use_workbench();
    let query = RwSignal::new(SeriesQuery::course(WIDTH as u32));
    let answer = RwSignal::new(None::<Result<SeriesView, Problem>>);
    let redraw_ms = RwSignal::new(None::<f64>);
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let q = query.get();
        wb.tables_changed.track();
        if !wb.loaded.get() {
            return;
        }
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        let started = js_sys::Date::now();
        spawn_local(async move {
            let result = wb.series(q).await;
            if asked.try_get_value() != Some(this) {
                return;
            }
            answer.set(Some(result));
            // Measured after the new picture is in the DOM.
            request_animation_frame(move || {
                redraw_ms.try_set(Some(js_sys::Date::now() - started));
            });
        });
    });
    let set = move |f: Box<dyn Fn(&mut SeriesQuery)>| query.update(|q| f(q));
    let on_range = Callback::new(move |range: Option<(f64, f64)>| {
        query.update(|q| q.range_ms = range);
    });
    let controls = move || {
        let q = query.get();
        let view = answer.get().and_then(Result::ok);
        let devices = view.as_ref().map(|v| v.devices.clone()).unwrap_or_default();
        let device = view.as_ref().map(|v| v.device.clone()).unwrap_or_default();
        let trips: Vec<String> = view
            .as_ref()
            .map(|v| v.trips.iter().map(i64::to_string).collect())
            .unwrap_or_default();
        let trip = view
            .as_ref()
            .map(|v| v.trip.to_string())
            .unwrap_or_default();
        let columns = view.as_ref().map(|v| v.columns.clone()).unwrap_or_default();
        view! {
            <div class="ts-controls">
                <label>"Device "<select on:change=move |ev| {
                    let d = target_value(&ev);
                    set(Box::new(move |q| { q.device = Some(d.clone()); q.trip = None; q.range_ms = None; }));
                }>{options(devices, device)}</select></label>
                <label>"Trip "<select on:change=move |ev| {
                    let t = target_value(&ev).parse().ok();
                    set(Box::new(move |q| { q.trip = t; q.range_ms = None; }));
                }>{options(trips, trip)}</select></label>
                <label>"EMA of "<select on:change=move |ev| {
                    let c = target_value(&ev);
                    set(Box::new(move |q| q.ema_column = c.clone()));
                }>{options(columns.clone(), q.ema_column.clone())}</select></label>
                <label>{format!("window {} ", q.ema_window)}
                    <input type="range" min="1" max="60" value=q.ema_window.to_string() aria-label="EMA window"
                        on:input=move |ev| {
                            let w: u32 = target_value(&ev).parse().unwrap_or(5);
                            set(Box::new(move |q| q.ema_window = w));
                        }/>
                </label>
                <label>{format!("exp_factor {:.2} ", q.ema_exp_factor)}
                    <input type="range" min="0.05" max="1" step="0.05" value=q.ema_exp_factor.to_string() aria-label="EMA exp_factor"
                        on:input=move |ev| {
                            let e: f64 = target_value(&ev).parse().unwrap_or(0.2);
                            set(Box::new(move |q| q.ema_exp_factor = e));
                        }/>
                </label>
                <label>"Resample "<select on:change=move |ev| {
                    let c = target_value(&ev);
                    set(Box::new(move |q| q.resample_column = c.clone()));
                }>{options(columns, q.resample_column.clone())}</select></label>
                <label>"freq "<select aria-label="Resample frequency" on:change=move |ev| {
                    let f = target_value(&ev);
                    set(Box::new(move |q| q.resample_freq = f.clone()));
                }>{options(FREQS.map(String::from).to_vec(), q.resample_freq.clone())}</select></label>
                <label>"func "<select aria-label="Resample function" on:change=move |ev| {
                    let f = target_value(&ev);
                    set(Box::new(move |q| q.resample_func = f.clone()));
                }>{options(FUNCS.map(String::from).to_vec(), q.resample_func.clone())}</select></label>
                <button type="button" on:click=move |_| on_range.run(None) disabled=q.range_ms.is_none()>"Reset zoom"</button>
            </div>
        }
    };
    let pictures = move || match answer.get() {
        None => view! { <p role="status">"Drawing…"</p> }.into_any(),
        Some(Err(problem)) => {
            view! { <p class="dash-error" role="alert">{problem.sentence()}</p> }.into_any()
        }
        Some(Ok(v)) => {
            let q = query.get_untracked();
            let anomalies: Vec<(f64, f64)> = v
                .anomalies
                .iter()
                .filter_map(|(t, x)| x.map(|x| (*t, x)))
                .collect();
            let ema = Plot {
                label: format!(
                    "{} of device {} trip {} and its EMA",
                    q.ema_column, v.device, v.trip
                ),
                y_label: q.ema_column.clone(),
                lines: vec![
                    PlotLine {
                        label: format!("{} (raw)", q.ema_column),
                        color: "#8BCAE7",
                        points: v.raw.points.clone(),
                    },
                    PlotLine {
                        label: format!(
                            "EMA window {}, factor {:.2}",
                            q.ema_window, q.ema_exp_factor
                        ),
                        color: "#FF3621",
                        points: v.ema.points.clone(),
                    },
                ],
                anomalies,
                ..Plot::default()
            };
            let resample = Plot {
                label: format!(
                    "{} and its {} {} buckets, with the inspections joined to them",
                    q.resample_column, q.resample_freq, q.resample_func
                ),
                y_label: q.resample_column.clone(),
                lines: vec![PlotLine {
                    label: format!("{} (raw)", q.resample_column),
                    color: "#8BCAE7",
                    points: v.resample_raw.points.clone(),
                }],
                buckets: v.buckets.clone(),
                inspections: v.inspections.clone(),
                ..Plot::default()
            };
            let summary = format!(
                "{} readings of trip {} · {} buckets · {} inspections · {} anomalies in view · engine {:.0} ms",
                v.raw.readings,
                v.trip,
                v.buckets.len(),
                v.inspections.len(),
                v.anomalies.len(),
                v.elapsed_ms
            );
            view! {
                <figure class="ts-figure">
                    <TimeChart plot=ema range=v.range_ms extent=v.extent_ms on_range=on_range/>
                    <figcaption>"Raw readings (blue) and Tempo's truncated EMA (red); triangles are rows of anomaly_detected."</figcaption>
                </figure>
                <figure class="ts-figure">
                    <TimeChart plot=resample range=v.range_ms extent=v.extent_ms on_range=on_range/>
                    <figcaption>"Dashed lines are bucket edges; each bucket is stamped with its start. A vertical line is an inspection (red: defect); its horizontal link reaches back to the start of the bucket the as-of join used: never a later bucket, though the bucket itself may hold readings up to its end."</figcaption>
                </figure>
                <p class="dash-hint" data-testid="ts-summary">{summary}</p>
            }
            .into_any()
        }
    };
    view! {
        <section class="time-series" aria-label="Pictures of one trip" data-testid="time-series"
            data-redraw-ms=move || redraw_ms.get().map(|ms| format!("{ms:.0}"))>
            {controls}
            {pictures}
        </section>
    }
}
