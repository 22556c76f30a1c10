//! A time-series chart for module 3: lines already reduced by the engine, resample buckets with
//! their edges, inspections linked to the bucket the as-of join gave them, anomaly marks.
//! Wheel or +/− zooms, drag or ←/→ pans, 0 or "Reset zoom" shows the whole trip.

use leptos::prelude::*;
use protocol::{Bucket, JoinedInspection};

use super::chart::PALETTE;
use super::scale::{Linear, format_number, format_time, nice_domain, time_ticks};
use super::svg::Svg;

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

/// A line cut where the readings stop for a while (between trips, or a device that was
/// off), so no straight segment pretends there were readings in the gap: a gap is ten times
/// the median step between the line's points.
pub fn segments(points: &[(f64, f64)]) -> Vec<&[(f64, f64)]> {
    let mut steps: Vec<f64> = points.windows(2).map(|w| w[1].0 - w[0].0).collect();
    if steps.is_empty() {
        return vec![points];
    }
    let mid = steps.len() / 2;
    let median = *steps.select_nth_unstable_by(mid, f64::total_cmp).1;
    let gap = (median * 10.0).max(f64::MIN_POSITIVE);
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..points.len() {
        if points[i].0 - points[i - 1].0 > gap {
            out.push(&points[start..i]);
            start = i;
        }
    }
    out.push(&points[start..]);
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

fn draw(plot: &Plot, range: (f64, f64)) -> String {
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
    let (bottom, right) = (HEIGHT - BOTTOM, WIDTH - RIGHT);
    let mut svg = Svg::default();
    for t in &ticks {
        svg.line((LEFT, ys.at(*t)), (right, ys.at(*t)), "grid");
        svg.text(LEFT - 6.0, ys.at(*t) + 4.0, "end", "", &format_number(*t));
    }
    for (t, label) in time_ticks(range.0, range.1, 7) {
        svg.line((xs.at(t), bottom), (xs.at(t), bottom + 4.0), "tick");
        svg.text(xs.at(t), bottom + 16.0, "middle", "", &label);
    }
    svg.line((LEFT, bottom), (right, bottom), "baseline");
    for b in &plot.buckets {
        if b.start_ms >= range.0 {
            svg.line(
                (xs.at(b.start_ms), TOP),
                (xs.at(b.start_ms), bottom),
                "bucket-edge",
            );
        }
        if let Some(v) = b.value {
            let tip = format!(
                "Bucket {} – {}: {}",
                format_time(b.start_ms, true),
                &format_time(b.end_ms, true)[11..],
                format_number(v)
            );
            let (x0, x1) = (xs.at(b.start_ms.max(range.0)), xs.at(b.end_ms.min(range.1)));
            svg.colored_line(
                (x0, ys.at(v)),
                (x1, ys.at(v)),
                "bucket",
                "currentColor",
                &tip,
            );
        }
    }
    for l in &plot.lines {
        for piece in segments(&l.points) {
            let pixels = piece.iter().map(|(t, v)| (xs.at(*t), ys.at(*v)));
            svg.polyline(pixels, "series", l.color);
        }
    }
    for i in &plot.inspections {
        let color = match i.defect {
            Some(0) => PALETTE[1],
            Some(_) => PALETTE[0],
            None => "#077A9D",
        };
        let x = xs.at(i.at_ms);
        let tip = match i.bucket_start_ms {
            Some(start) => format!(
                "Inspection at {} (defect {}): joined to the bucket starting {}{}",
                format_time(i.at_ms, true),
                i.defect.map_or("null".into(), |d| d.to_string()),
                format_time(start, true),
                i.value
                    .map_or(String::new(), |v| format!(", value {}", format_number(v)))
            ),
            None => format!(
                "Inspection at {}: no bucket before it",
                format_time(i.at_ms, true)
            ),
        };
        svg.colored_line((x, TOP), (x, bottom), "inspection-line", color, &tip);
        if let (Some(start), Some(v)) = (i.bucket_start_ms, i.value) {
            svg.colored_line(
                (xs.at(start.max(range.0)), ys.at(v)),
                (x, ys.at(v)),
                "asof-link",
                color,
                &tip,
            );
            svg.circle((x, ys.at(v)), 4.0, "asof-end", color, &tip);
        }
    }
    for (t, v) in &plot.anomalies {
        let (x, y) = (xs.at(*t), ys.at(*v));
        let tip = format!(
            "Anomaly at {}: {}",
            format_time(*t, true),
            format_number(*v)
        );
        svg.path(
            &format!("M{x:.1},{:.1} l5,9 h-10 z", y - 6.0),
            "anomaly",
            &tip,
        );
    }
    for (k, l) in plot.lines.iter().enumerate() {
        let x = LEFT + 170.0 * k as f64;
        svg.rect((x, 8.0, 14.0, 4.0), "swatch", l.color, "");
        svg.text(x + 20.0, 14.0, "start", "legend", &l.label);
    }
    svg.vertical_text(12.0, (TOP + bottom) / 2.0, "axis-title", &plot.y_label);
    svg.finish(WIDTH, HEIGHT, "dash-chart time-chart", &plot.label)
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
    let markup = draw(&plot, range);
    let xs = Linear {
        domain: range,
        range: (LEFT, WIDTH - RIGHT),
    };
    let dragging = StoredValue::new(None::<(f64, (f64, f64))>);
    let width_of = |ev: &web_sys::MouseEvent| -> Option<web_sys::DomRect> {
        let target: web_sys::Element = wasm_bindgen::JsCast::dyn_into(ev.current_target()?).ok()?;
        Some(target.get_bounding_client_rect())
    };
    let label = format!(
        "{}: {} to {}. Wheel or plus and minus zoom, drag or arrow keys pan, 0 resets.",
        plot.label,
        format_time(range.0, true),
        format_time(range.1, true)
    );
    view! {
        <div class="time-chart-frame" role="group" tabindex="0" aria-label=label inner_html=markup
            on:wheel=move |ev: web_sys::WheelEvent| {
                ev.prevent_default();
                if let Some(rect) = width_of(&ev) {
                    let at = xs.invert((f64::from(ev.client_x()) - rect.left()) / rect.width() * WIDTH);
                    let factor = if ev.delta_y() < 0.0 { 0.8 } else { 1.25 };
                    on_range.run(Some(zoom(range, at, factor, extent)));
                }
            }
            on:pointerdown=move |ev: web_sys::PointerEvent| {
                dragging.set_value(Some((f64::from(ev.client_x()), range)));
            }
            on:pointerup=move |ev: web_sys::PointerEvent| {
                let Some((x0, start)) = dragging.get_value() else { return };
                dragging.set_value(None);
                let width = width_of(&ev).map_or(WIDTH, |r| r.width());
                let dx = (f64::from(ev.client_x()) - x0) / width * WIDTH;
                if dx.abs() > 3.0 {
                    let ms = -dx / (WIDTH - LEFT - RIGHT) * (start.1 - start.0);
                    on_range.run(Some(pan(start, ms, extent)));
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
        </div>
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
    fn a_long_pause_cuts_the_line() {
        let points = [
            (0.0, 1.0),
            (1.0, 1.0),
            (2.0, 1.0),
            (100.0, 1.0),
            (101.0, 1.0),
        ];
        let pieces = segments(&points);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[1], &points[3..]);
        assert_eq!(segments(&points[..1]).len(), 1);
    }

    #[test]
    fn pan_stops_at_the_ends() {
        let extent = (0.0, 100.0);
        assert_eq!(pan((10.0, 30.0), -50.0, extent), (0.0, 20.0));
        assert_eq!(pan((10.0, 30.0), 500.0, extent), (80.0, 100.0));
    }
}
