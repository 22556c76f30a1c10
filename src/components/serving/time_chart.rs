//! A time-series chart for module 3: lines already reduced by the engine, resample buckets with
//! their edges, inspections linked to the bucket the as-of join gave them, anomaly marks.
//! Wheel or +/− zooms, drag or ←/→ pans, 0 or "Reset zoom" shows the whole trip.

use leptos::prelude::*;
use protocol::{Bucket, JoinedInspection};

use super::chart::PALETTE;
use super::scale::{Linear, format_number, format_time, nice_domain, time_ticks};

/// Drawing size in SVG units; the engine is asked for this many pixel columns.
pub const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 34.0;
/// The shortest range a zoom reaches: one minute.
const MIN_SPAN_MS: f64 = 60_000.0;

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotLine {
    pub label: String,
    pub color: &'static str,
    pub points: Vec<(f64, f64)>,
}

/// What one chart draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plot {
    pub label: String,
    pub y_label: String,
    pub lines: Vec<PlotLine>,
    pub buckets: Vec<Bucket>,
    pub inspections: Vec<JoinedInspection>,
    pub anomalies: Vec<(f64, f64)>,
}

fn polyline(points: &[(f64, f64)], xs: &Linear, ys: &Linear) -> String {
    let mut out = String::with_capacity(points.len() * 14);
    for (t, v) in points {
        out.push_str(&format!("{:.1},{:.1} ", xs.at(*t), ys.at(*v)));
    }
    out
}

/// A range zoomed by `factor` around `at`, kept inside `extent`.
pub fn zoom(range: (f64, f64), at: f64, factor: f64, extent: (f64, f64)) -> (f64, f64) {
    let span =
        ((range.1 - range.0) * factor).clamp(MIN_SPAN_MS, (extent.1 - extent.0).max(MIN_SPAN_MS));
    let share = ((at - range.0) / (range.1 - range.0)).clamp(0.0, 1.0);
    pan((at - span * share, at - span * share + span), 0.0, extent)
}

/// A range moved by `delta` ms, kept inside `extent`.
pub fn pan(range: (f64, f64), delta: f64, extent: (f64, f64)) -> (f64, f64) {
    let span = range.1 - range.0;
    let start = (range.0 + delta).clamp(extent.0, (extent.1 - span).max(extent.0));
    (start, start + span)
}

/// The chart.
#[component]
pub fn TimeChart(
    /// What to draw.
    plot: Plot,
    /// The visible range, ms.
    range: (f64, f64),
    /// The whole trip, ms.
    extent: (f64, f64),
    /// Asked when the learner zooms or pans (`None`: the whole trip).
    on_range: Callback<Option<(f64, f64)>>,
) -> impl IntoView {
    let mut values: Vec<f64> = plot
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .collect();
    values.extend(plot.buckets.iter().filter_map(|b| b.value));
    let lo = values.iter().copied().fold(f64::MAX, f64::min);
    let hi = values.iter().copied().fold(f64::MIN, f64::max);
    let (domain, ticks) = if values.is_empty() {
        ((0.0, 1.0), vec![0.0, 1.0])
    } else {
        nice_domain(lo, hi, 4)
    };
    let xs = Linear {
        domain: range,
        range: (LEFT, WIDTH - RIGHT),
    };
    let ys = Linear {
        domain,
        range: (HEIGHT - BOTTOM, TOP),
    };
    let y_axis: Vec<_> = ticks
        .iter()
        .map(|t| {
            view! {
                <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=ys.at(*t) y2=ys.at(*t)/>
                <text x=LEFT - 6.0 y=ys.at(*t) + 4.0 text-anchor="end">{format_number(*t)}</text>
            }
        })
        .collect();
    let x_axis: Vec<_> = time_ticks(range.0, range.1, 7)
        .into_iter()
        .map(|(t, label)| view! {
            <line class="tick" x1=xs.at(t) x2=xs.at(t) y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM + 4.0/>
            <text x=xs.at(t) y=HEIGHT - BOTTOM + 16.0 text-anchor="middle">{label}</text>
        })
        .collect();
    let buckets: Vec<_> = plot
        .buckets
        .iter()
        .map(|b| {
            let (x0, x1) = (xs.at(b.start_ms.max(range.0)), xs.at(b.end_ms.min(range.1)));
            let edge = (b.start_ms >= range.0).then(|| view! {
                <line class="bucket-edge" x1=xs.at(b.start_ms) x2=xs.at(b.start_ms) y1=TOP y2=HEIGHT - BOTTOM/>
            });
            let step = b.value.map(|v| {
                let tip = format!(
                    "Bucket {} – {}: {}",
                    format_time(b.start_ms, true),
                    &format_time(b.end_ms, true)[11..],
                    format_number(v)
                );
                view! { <line class="bucket" x1=x0 x2=x1 y1=ys.at(v) y2=ys.at(v)><title>{tip}</title></line> }
            });
            view! { {edge}{step} }
        })
        .collect();
    let lines: Vec<_> = plot
        .lines
        .iter()
        .map(|l| view! { <polyline class="series" points=polyline(&l.points, &xs, &ys) stroke=l.color/> })
        .collect();
    let inspections: Vec<_> = plot
        .inspections
        .iter()
        .map(|i| {
            let color = match i.defect {
                Some(0) => PALETTE[1],
                Some(_) => PALETTE[0],
                None => "#077A9D",
            };
            let x = xs.at(i.at_ms);
            let link = match (i.bucket_start_ms, i.value) {
                (Some(start), Some(v)) => Some(view! {
                    <line class="asof-link" x1=xs.at(start.max(range.0)) x2=x y1=ys.at(v) y2=ys.at(v) stroke=color/>
                    <circle cx=x cy=ys.at(v) r=4.0 fill=color/>
                }),
                _ => None,
            };
            let tip = match i.bucket_start_ms {
                Some(start) => format!(
                    "Inspection at {} (defect {}): joined to the bucket starting {}{}",
                    format_time(i.at_ms, true),
                    i.defect.map_or("null".into(), |d| d.to_string()),
                    format_time(start, true),
                    i.value.map_or(String::new(), |v| format!(", value {}", format_number(v)))
                ),
                None => format!("Inspection at {}: no bucket before it", format_time(i.at_ms, true)),
            };
            view! {
                <g class="inspection">
                    <line class="inspection-line" x1=x x2=x y1=TOP y2=HEIGHT - BOTTOM stroke=color/>
                    {link}
                    <title>{tip}</title>
                </g>
            }
        })
        .collect();
    let anomalies: Vec<_> = plot
        .anomalies
        .iter()
        .map(|(t, v)| {
            let (x, y) = (xs.at(*t), ys.at(*v));
            let tip = format!("Anomaly at {}: {}", format_time(*t, true), format_number(*v));
            view! {
                <path class="anomaly" d=format!("M{x:.1},{:.1} l5,9 h-10 z", y - 6.0)><title>{tip}</title></path>
            }
        })
        .collect();
    let legend: Vec<_> = plot
        .lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            view! {
                <rect x=LEFT + 170.0 * k as f64 y=8.0 width=14.0 height=4.0 fill=l.color/>
                <text x=LEFT + 170.0 * k as f64 + 20.0 y=14.0>{l.label.clone()}</text>
            }
        })
        .collect();
    let dragging = StoredValue::new(None::<(f64, (f64, f64))>);
    let to_time = move |ev: &web_sys::MouseEvent| -> Option<f64> {
        let target: web_sys::Element = wasm_bindgen::JsCast::dyn_into(ev.current_target()?).ok()?;
        let rect = target.get_bounding_client_rect();
        let px = (f64::from(ev.client_x()) - rect.left()) / rect.width() * WIDTH;
        Some(xs.invert(px))
    };
    let label = plot.label.clone();
    let y_label = plot.y_label.clone();
    view! {
        <svg class="dash-chart time-chart" role="img" tabindex="0"
            aria-label=format!("{label}: {} to {}. Wheel or + and − zoom, drag or arrow keys pan, 0 resets.", format_time(range.0, true), format_time(range.1, true))
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            on:wheel=move |ev: web_sys::WheelEvent| {
                ev.prevent_default();
                if let Some(at) = to_time(&ev) {
                    let factor = if ev.delta_y() < 0.0 { 0.8 } else { 1.25 };
                    on_range.run(Some(zoom(range, at, factor, extent)));
                }
            }
            on:pointerdown=move |ev: web_sys::PointerEvent| {
                dragging.set_value(Some((f64::from(ev.client_x()), range)));
            }
            on:pointerup=move |ev: web_sys::PointerEvent| {
                if let Some((x0, start)) = dragging.get_value() {
                    dragging.set_value(None);
                    let target: Option<web_sys::Element> = ev.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into(t).ok());
                    let width = target.map_or(WIDTH, |t| t.get_bounding_client_rect().width());
                    let dx = (f64::from(ev.client_x()) - x0) / width * WIDTH;
                    if dx.abs() > 3.0 {
                        let ms = -dx / (WIDTH - LEFT - RIGHT) * (start.1 - start.0);
                        on_range.run(Some(pan(start, ms, extent)));
                    }
                }
            }
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                let span = range.1 - range.0;
                let mid = (range.0 + range.1) / 2.0;
                let next = match ev.key().as_str() {
                    "ArrowLeft" => Some(Some(pan(range, -span * 0.2, extent))),
                    "ArrowRight" => Some(Some(pan(range, span * 0.2, extent))),
                    "+" | "=" => Some(Some(zoom(range, mid, 0.8, extent))),
                    "-" | "_" => Some(Some(zoom(range, mid, 1.25, extent))),
                    "0" => Some(None),
                    _ => None,
                };
                if let Some(next) = next {
                    ev.prevent_default();
                    on_range.run(next);
                }
            }>
            <g class="axis">{y_axis}{x_axis}
                <line class="baseline" x1=LEFT x2=WIDTH - RIGHT y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM/>
            </g>
            <g class="legend">{legend}</g>
            <g class="buckets">{buckets}</g>
            <g class="marks">{lines}</g>
            <g class="inspections">{inspections}</g>
            <g class="anomalies">{anomalies}</g>
            <text class="axis-title" transform=format!("translate(12 {}) rotate(-90)", (TOP + HEIGHT - BOTTOM) / 2.0) text-anchor="middle">{y_label}</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_point_under_the_cursor_and_stays_inside_the_trip() {
        let extent = (0.0, 1_000_000.0);
        let zoomed = zoom(extent, 250_000.0, 0.5, extent);
        assert_eq!(zoomed, (125_000.0, 625_000.0));
        assert_eq!(zoom(zoomed, 0.0, 10.0, extent), extent);
        let tiny = zoom((0.0, 70_000.0), 0.0, 0.1, extent);
        assert_eq!(tiny.1 - tiny.0, MIN_SPAN_MS);
    }

    #[test]
    fn pan_stops_at_the_ends() {
        let extent = (0.0, 100.0);
        assert_eq!(pan((10.0, 30.0), -50.0, extent), (0.0, 20.0));
        assert_eq!(pan((10.0, 30.0), 500.0, extent), (80.0, 100.0));
    }
}
