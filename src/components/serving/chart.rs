//! A dashboard chart drawn as SVG from a widget's rows: bars (stacked measures, vertical over
//! a time or category axis, or horizontal over categories sorted by value) and scatter plots
//! coloured by a field. Every mark carries its exact value as a tooltip.

use leptos::prelude::*;
use protocol::{AxisEncoding, ColorEncoding, Scale, WidgetView};

use super::scale::{Linear, format_number, format_time, nice_domain, parse_time};

/// Lakeview's palette, in order.
pub const PALETTE: [&str; 8] = [
    "#FF3621", "#00A972", "#8BCAE7", "#AB4057", "#99DDB4", "#FCA4A1", "#919191", "#BF7080",
];

/// Margins around the plot: room for tick labels and axis titles.
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 48.0;

/// The chart's drawing size in SVG units (it scales with its card).
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

fn index(widget: &WidgetView, field: &str) -> Option<usize> {
    widget.columns.iter().position(|c| c.name == field)
}

fn number(widget: &WidgetView, row: usize, col: usize) -> Option<f64> {
    widget.rows.get(row)?.get(col)?.as_deref()?.parse().ok()
}

fn text(widget: &WidgetView, row: usize, col: usize) -> Option<String> {
    widget.rows.get(row)?.get(col)?.clone()
}

/// A category's label: a time axis shows dates.
fn category_label(raw: &Option<String>, scale: Scale) -> String {
    match (raw, scale) {
        (None, _) => "null".into(),
        (Some(t), Scale::Temporal) => parse_time(t).map_or(t.clone(), |ms| format_time(ms, false)),
        (Some(t), _) => t.clone(),
    }
}

fn value_axis_ticks(lo: f64, hi: f64) -> ((f64, f64), Vec<f64>) {
    nice_domain(lo.min(0.0), hi.max(0.0), 5)
}

/// A bar chart.
pub fn bars(widget: &WidgetView, x: &AxisEncoding, y: &AxisEncoding, size: Size) -> AnyView {
    let horizontal = y.scale == Scale::Categorical && x.scale == Scale::Quantitative;
    let (cat_axis, val_axis) = if horizontal { (y, x) } else { (x, y) };
    let Some(cat_col) = cat_axis
        .fields
        .first()
        .and_then(|f| index(widget, &f.field))
    else {
        return missing(&cat_axis.title);
    };
    let measures: Vec<(usize, String)> = val_axis
        .fields
        .iter()
        .filter_map(|f| index(widget, &f.field).map(|i| (i, f.label.clone())))
        .collect();
    if measures.is_empty() {
        return missing(&val_axis.title);
    }
    // Categories in row order (the engine orders by the key), totals per category.
    let mut cats: Vec<(String, Vec<f64>)> = (0..widget.rows.len())
        .map(|r| {
            let label = category_label(&widget.rows[r][cat_col], cat_axis.scale);
            let values = measures
                .iter()
                .map(|(c, _)| number(widget, r, *c).unwrap_or(0.0))
                .collect();
            (label, values)
        })
        .collect();
    if cat_axis.sort_by_value_descending {
        cats.sort_by(|a, b| b.1.iter().sum::<f64>().total_cmp(&a.1.iter().sum::<f64>()));
    }
    let max = cats
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>())
        .fold(0.0, f64::max);
    let (domain, ticks) = value_axis_ticks(0.0, max);
    let (w, h) = (size.width, size.height);
    let n = cats.len().max(1) as f64;
    let legend = measures.len() > 1;
    let top = if legend { TOP + 8.0 } else { TOP - 14.0 };
    let value = if horizontal {
        Linear {
            domain,
            range: (LEFT + 24.0, w - RIGHT),
        }
    } else {
        Linear {
            domain,
            range: (h - BOTTOM, top),
        }
    };
    let (band_start, band_end) = if horizontal {
        (top, h - BOTTOM)
    } else {
        (LEFT, w - RIGHT)
    };
    let band = (band_end - band_start) / n;
    let thickness = (band * 0.8).max(1.0);
    let label_every = if horizontal {
        1
    } else {
        ((n * 70.0) / (band_end - band_start)).ceil().max(1.0) as usize
    };
    let mut marks = Vec::new();
    for (i, (label, values)) in cats.iter().enumerate() {
        let mut base = 0.0;
        for (k, v) in values.iter().enumerate() {
            let (from, to) = (value.at(base), value.at(base + v));
            base += v;
            let color = PALETTE[k % PALETTE.len()];
            let tip = format!(
                "{}: {label}\n{}: {}",
                cat_axis.title,
                measures[k].1,
                format_number(*v)
            );
            let offset = band_start + band * i as f64 + (band - thickness) / 2.0;
            let (rx, ry, rw, rh) = if horizontal {
                (from.min(to), offset, (to - from).abs(), thickness)
            } else {
                (offset, from.min(to), thickness, (to - from).abs())
            };
            marks.push(view! {
                <rect class="mark" x=rx y=ry width=rw height=rh fill=color>
                    <title>{tip}</title>
                </rect>
            });
        }
    }
    let cat_labels: Vec<_> = cats
        .iter()
        .enumerate()
        .filter(|(i, _)| i % label_every == 0)
        .map(|(i, (label, _))| {
            let mid = band_start + band * (i as f64 + 0.5);
            if horizontal {
                view! { <text x=LEFT + 18.0 y=mid + 4.0 text-anchor="end">{label.clone()}</text> }
            } else {
                view! { <text x=mid y=h - BOTTOM + 16.0 text-anchor="middle">{label.clone()}</text> }
            }
        })
        .collect();
    let value_ticks: Vec<_> = ticks
        .iter()
        .map(|t| {
            let p = value.at(*t);
            if horizontal {
                view! {
                    <line class="grid" x1=p x2=p y1=top y2=h - BOTTOM/>
                    <text x=p y=h - BOTTOM + 16.0 text-anchor="middle">{format_number(*t)}</text>
                }
                .into_any()
            } else {
                view! {
                    <line class="grid" x1=LEFT x2=w - RIGHT y1=p y2=p/>
                    <text x=LEFT - 6.0 y=p + 4.0 text-anchor="end">{format_number(*t)}</text>
                }
                .into_any()
            }
        })
        .collect();
    let legend_items = legend.then(|| {
        measures
            .iter()
            .enumerate()
            .map(|(k, (_, label))| {
                let x = LEFT + 140.0 * k as f64;
                view! {
                    <rect x=x y=8.0 width=12.0 height=12.0 fill=PALETTE[k % PALETTE.len()]/>
                    <text x=x + 18.0 y=18.0>{label.clone()}</text>
                }
            })
            .collect::<Vec<_>>()
    });
    let (x_title, y_title) = (x.title.clone(), y.title.clone());
    view! {
        <g class="axis">{value_ticks}{cat_labels}</g>
        <g class="legend">{legend_items}</g>
        <g class="marks">{marks}</g>
        <text class="axis-title" x=(LEFT + w - RIGHT) / 2.0 y=h - 8.0 text-anchor="middle">{x_title}</text>
        <text class="axis-title" transform=format!("translate(14 {}) rotate(-90)", (top + h - BOTTOM) / 2.0) text-anchor="middle">{y_title}</text>
    }
    .into_any()
}

fn color_of(
    encoding: &ColorEncoding,
    value: &Option<String>,
    seen: &mut Vec<Option<String>>,
) -> String {
    if let Some(m) = encoding.mappings.iter().find(|m| &m.value == value) {
        return m.color.clone();
    }
    let k = match seen.iter().position(|v| v == value) {
        Some(k) => k,
        None => {
            seen.push(value.clone());
            seen.len() - 1
        }
    };
    PALETTE[(encoding.mappings.len() + k) % PALETTE.len()].to_string()
}

/// A scatter plot (time or number on x, number on y), coloured by a field.
pub fn scatter(
    widget: &WidgetView,
    x: &AxisEncoding,
    y: &AxisEncoding,
    color: Option<&ColorEncoding>,
    size: Size,
) -> AnyView {
    let (Some(xc), Some(yc)) = (
        x.fields.first().and_then(|f| index(widget, &f.field)),
        y.fields.first().and_then(|f| index(widget, &f.field)),
    ) else {
        return missing(&format!("{} / {}", x.title, y.title));
    };
    let cc = color.and_then(|c| index(widget, &c.field));
    let temporal = x.scale == Scale::Temporal;
    let points: Vec<(f64, f64, Option<String>, String)> = (0..widget.rows.len())
        .filter_map(|r| {
            let raw_x = text(widget, r, xc)?;
            let px = if temporal {
                parse_time(&raw_x)?
            } else {
                raw_x.parse().ok()?
            };
            let py = number(widget, r, yc)?;
            let group = cc.and_then(|c| text(widget, r, c));
            Some((px, py, group, raw_x))
        })
        .collect();
    let (w, h) = (size.width, size.height);
    let legend_values: Vec<Option<String>> = color
        .map(|c| {
            let mut values: Vec<Option<String>> =
                c.mappings.iter().map(|m| m.value.clone()).collect();
            for p in &points {
                if !values.contains(&p.2) {
                    values.push(p.2.clone());
                }
            }
            values.retain(|v| points.iter().any(|p| &p.2 == v));
            values
        })
        .unwrap_or_default();
    let top = if legend_values.is_empty() {
        TOP - 14.0
    } else {
        TOP + 8.0
    };
    let (xlo, xhi) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (ylo, yhi) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    if points.is_empty() {
        return view! { <text x=w / 2.0 y=h / 2.0 text-anchor="middle">"No rows"</text> }
            .into_any();
    }
    let (ydomain, yticks) = nice_domain(ylo, yhi, 5);
    let xs = Linear {
        domain: (xlo, xhi),
        range: (LEFT + 6.0, w - RIGHT - 6.0),
    };
    let ys = Linear {
        domain: ydomain,
        range: (h - BOTTOM, top),
    };
    let xticks: Vec<(f64, String)> = if temporal {
        super::scale::time_ticks(xlo, xhi, (w / 110.0) as usize)
    } else {
        nice_ticks_labelled(xlo, xhi)
    };
    let mut seen = Vec::new();
    let marks: Vec<_> = points
        .iter()
        .map(|(px, py, group, raw_x)| {
            let fill = color.map_or(PALETTE[0].to_string(), |c| color_of(c, group, &mut seen));
            let x_text = if temporal {
                parse_time(raw_x).map_or(raw_x.clone(), |ms| format_time(ms, false))
            } else {
                raw_x.clone()
            };
            let mut tip = format!("{}: {x_text}\n{}: {}", x.title, y.title, format_number(*py));
            if let Some(c) = color {
                tip.push_str(&format!(
                    "\n{}: {}",
                    c.label,
                    group.as_deref().unwrap_or("null")
                ));
            }
            view! {
                <circle class="mark" cx=xs.at(*px) cy=ys.at(*py) r=3.5 fill=fill>
                    <title>{tip}</title>
                </circle>
            }
        })
        .collect();
    let legend = color.map(|c| {
        let mut seen = Vec::new();
        legend_values
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let lx = LEFT + 110.0 * k as f64;
                view! {
                    <circle cx=lx + 6.0 cy=14.0 r=5.0 fill=color_of(c, v, &mut seen)/>
                    <text x=lx + 16.0 y=18.0>{format!("{} {}", c.label, v.as_deref().unwrap_or("null"))}</text>
                }
            })
            .collect::<Vec<_>>()
    });
    let grid_y: Vec<_> = yticks
        .iter()
        .map(|t| {
            view! {
                <line class="grid" x1=LEFT x2=w - RIGHT y1=ys.at(*t) y2=ys.at(*t)/>
                <text x=LEFT - 6.0 y=ys.at(*t) + 4.0 text-anchor="end">{format_number(*t)}</text>
            }
        })
        .collect();
    let grid_x: Vec<_> = xticks
        .into_iter()
        .map(|(t, label)| {
            view! {
                <line class="tick" x1=xs.at(t) x2=xs.at(t) y1=h - BOTTOM y2=h - BOTTOM + 4.0/>
                <text x=xs.at(t) y=h - BOTTOM + 16.0 text-anchor="middle">{label}</text>
            }
        })
        .collect();
    let (x_title, y_title) = (x.title.clone(), y.title.clone());
    view! {
        <g class="axis">{grid_y}{grid_x}
            <line class="baseline" x1=LEFT x2=w - RIGHT y1=h - BOTTOM y2=h - BOTTOM/>
        </g>
        <g class="legend">{legend}</g>
        <g class="marks">{marks}</g>
        <text class="axis-title" x=(LEFT + w - RIGHT) / 2.0 y=h - 8.0 text-anchor="middle">{x_title}</text>
        <text class="axis-title" transform=format!("translate(14 {}) rotate(-90)", (top + h - BOTTOM) / 2.0) text-anchor="middle">{y_title}</text>
    }
    .into_any()
}

fn nice_ticks_labelled(lo: f64, hi: f64) -> Vec<(f64, String)> {
    super::scale::nice_ticks(lo, hi, 5)
        .into_iter()
        .filter(|t| *t >= lo && *t <= hi)
        .map(|t| (t, format_number(t)))
        .collect()
}

fn missing(what: &str) -> AnyView {
    let sentence = format!("The widget's field for {what} is not among its query's columns.");
    view! { <text x=10 y=24>{sentence}</text> }.into_any()
}
