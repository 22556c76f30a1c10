//! A dashboard chart drawn as SVG text from a widget's rows: bars (stacked measures, vertical
//! over a time or category axis, or horizontal over categories sorted by value) and scatter
//! plots coloured by a field. Every mark carries its exact value as a tooltip.

use protocol::{AxisEncoding, ColorEncoding, Scale, WidgetView};

use super::scale::{Linear, format_number, format_time, nice_domain, parse_time, time_ticks};
use super::svg::Svg;

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
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

fn index(widget: &WidgetView, field: &str) -> Option<usize> {
    widget.columns.iter().position(|c| c.name == field)
}

fn cell(widget: &WidgetView, row: usize, col: usize) -> Option<&str> {
    widget.rows.get(row)?.get(col)?.as_deref()
}

fn number(widget: &WidgetView, row: usize, col: usize) -> Option<f64> {
    cell(widget, row, col)?.parse().ok()
}

/// A category's label: a time axis shows dates.
fn category_label(raw: Option<&str>, scale: Scale) -> String {
    match (raw, scale) {
        (None, _) => "null".into(),
        (Some(t), Scale::Temporal) => {
            parse_time(t).map_or(t.to_string(), |ms| format_time(ms, false))
        }
        (Some(t), _) => t.to_string(),
    }
}

fn axis_titles(svg: &mut Svg, size: Size, top: f64, x: &str, y: &str) {
    svg.text(
        (LEFT + size.width - RIGHT) / 2.0,
        size.height - 8.0,
        "middle",
        "axis-title",
        x,
    );
    svg.vertical_text(14.0, (top + size.height - BOTTOM) / 2.0, "axis-title", y);
}

fn legend_swatch(svg: &mut Svg, k: usize, spacing: f64, color: &str, label: &str) {
    let x = LEFT + spacing * k as f64;
    svg.rect((x, 8.0, 12.0, 12.0), "swatch", color, "");
    svg.text(x + 18.0, 18.0, "start", "legend", label);
}

/// A bar chart's marks, axes and legend.
pub fn bars(widget: &WidgetView, x: &AxisEncoding, y: &AxisEncoding, size: Size) -> Svg {
    let mut svg = Svg::default();
    let horizontal = y.scale == Scale::Categorical && x.scale == Scale::Quantitative;
    let (cat_axis, val_axis) = if horizontal { (y, x) } else { (x, y) };
    let Some(cat_col) = cat_axis
        .fields
        .first()
        .and_then(|f| index(widget, &f.field))
    else {
        return missing(&cat_axis.title);
    };
    let measures: Vec<(usize, &str)> = val_axis
        .fields
        .iter()
        .filter_map(|f| index(widget, &f.field).map(|i| (i, f.label.as_str())))
        .collect();
    if measures.is_empty() {
        return missing(&val_axis.title);
    }
    // Categories in row order (the engine orders by the key).
    let mut cats: Vec<(String, Vec<f64>)> = (0..widget.rows.len())
        .map(|r| {
            let label = category_label(cell(widget, r, cat_col), cat_axis.scale);
            (
                label,
                measures
                    .iter()
                    .map(|(c, _)| number(widget, r, *c).unwrap_or(0.0))
                    .collect(),
            )
        })
        .collect();
    if cat_axis.sort_by_value_descending {
        cats.sort_by(|a, b| b.1.iter().sum::<f64>().total_cmp(&a.1.iter().sum::<f64>()));
    }
    let max = cats
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>())
        .fold(0.0, f64::max);
    let (domain, ticks) = nice_domain(0.0, max.max(0.0), 5);
    let (w, h) = (size.width, size.height);
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
    let n = cats.len().max(1) as f64;
    let band = (band_end - band_start) / n;
    let thickness = (band * 0.8).max(1.0);
    for t in &ticks {
        let p = value.at(*t);
        if horizontal {
            svg.line((p, top), (p, h - BOTTOM), "grid");
            svg.text(p, h - BOTTOM + 16.0, "middle", "", &format_number(*t));
        } else {
            svg.line((LEFT, p), (w - RIGHT, p), "grid");
            svg.text(LEFT - 6.0, p + 4.0, "end", "", &format_number(*t));
        }
    }
    let label_every = if horizontal {
        1
    } else {
        ((n * 70.0) / (band_end - band_start)).ceil().max(1.0) as usize
    };
    for (i, (label, values)) in cats.iter().enumerate() {
        let mid = band_start + band * (i as f64 + 0.5);
        if i % label_every == 0 {
            if horizontal {
                svg.text(LEFT + 18.0, mid + 4.0, "end", "", label);
            } else {
                svg.text(mid, h - BOTTOM + 16.0, "middle", "", label);
            }
        }
        let mut base = 0.0;
        let offset = mid - thickness / 2.0;
        for (k, v) in values.iter().enumerate() {
            let (from, to) = (value.at(base), value.at(base + v));
            base += v;
            let tip = format!(
                "{}: {label}\n{}: {}",
                cat_axis.title,
                measures[k].1,
                format_number(*v)
            );
            let place = if horizontal {
                (from.min(to), offset, (to - from).abs(), thickness)
            } else {
                (offset, from.min(to), thickness, (to - from).abs())
            };
            svg.rect(place, "mark", PALETTE[k % PALETTE.len()], &tip);
        }
    }
    if legend {
        for (k, (_, label)) in measures.iter().enumerate() {
            legend_swatch(&mut svg, k, 140.0, PALETTE[k % PALETTE.len()], label);
        }
    }
    axis_titles(&mut svg, size, top, &x.title, &y.title);
    svg
}

/// Whether a mapping's value (as the file writes it: `1`) names a cell (as the engine prints
/// it: `1.0` for a double column).
fn same_value(mapped: Option<&str>, cell: Option<&str>) -> bool {
    match (mapped, cell) {
        (Some(a), Some(b)) => {
            a == b || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
        }
        (None, None) => true,
        _ => false,
    }
}

fn color_of(
    encoding: &ColorEncoding,
    value: Option<&str>,
    seen: &mut Vec<Option<String>>,
) -> String {
    if let Some(m) = encoding
        .mappings
        .iter()
        .find(|m| same_value(m.value.as_deref(), value))
    {
        return m.color.clone();
    }
    let value = value.map(str::to_string);
    let k = seen.iter().position(|v| *v == value).unwrap_or_else(|| {
        seen.push(value);
        seen.len() - 1
    });
    PALETTE[(encoding.mappings.len() + k) % PALETTE.len()].to_string()
}

/// A scatter plot's marks (time or number on x, number on y), coloured by a field.
pub fn scatter(
    widget: &WidgetView,
    x: &AxisEncoding,
    y: &AxisEncoding,
    color: Option<&ColorEncoding>,
    size: Size,
) -> Svg {
    let mut svg = Svg::default();
    let (Some(xc), Some(yc)) = (
        x.fields.first().and_then(|f| index(widget, &f.field)),
        y.fields.first().and_then(|f| index(widget, &f.field)),
    ) else {
        return missing(&format!("{} / {}", x.title, y.title));
    };
    let cc = color.and_then(|c| index(widget, &c.field));
    let temporal = x.scale == Scale::Temporal;
    let points: Vec<(f64, f64, Option<&str>, &str)> = (0..widget.rows.len())
        .filter_map(|r| {
            let raw_x = cell(widget, r, xc)?;
            let px = if temporal {
                parse_time(raw_x)?
            } else {
                raw_x.parse().ok()?
            };
            Some((
                px,
                number(widget, r, yc)?,
                cc.and_then(|c| cell(widget, r, c)),
                raw_x,
            ))
        })
        .collect();
    let (w, h) = (size.width, size.height);
    if points.is_empty() {
        svg.text(w / 2.0, h / 2.0, "middle", "", "No rows");
        return svg;
    }
    // Legend entries: the file's mappings that occur, then other values as they occur.
    let mut groups: Vec<Option<&str>> = Vec::new();
    if let Some(c) = color {
        for m in &c.mappings {
            if let Some(p) = points.iter().find(|p| same_value(m.value.as_deref(), p.2)) {
                groups.push(p.2);
            }
        }
        for p in &points {
            if !groups.iter().any(|g| same_value(*g, p.2)) {
                groups.push(p.2);
            }
        }
    }
    let top = if groups.is_empty() {
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
    let (ydomain, yticks) = nice_domain(ylo, yhi, 5);
    let xs = Linear {
        domain: (xlo, xhi),
        range: (LEFT + 6.0, w - RIGHT - 6.0),
    };
    let ys = Linear {
        domain: ydomain,
        range: (h - BOTTOM, top),
    };
    for t in &yticks {
        svg.line((LEFT, ys.at(*t)), (w - RIGHT, ys.at(*t)), "grid");
        svg.text(LEFT - 6.0, ys.at(*t) + 4.0, "end", "", &format_number(*t));
    }
    let xticks: Vec<(f64, String)> = if temporal {
        time_ticks(xlo, xhi, (w / 110.0) as usize)
    } else {
        super::scale::nice_ticks(xlo, xhi, 5)
            .into_iter()
            .filter(|t| *t >= xlo && *t <= xhi)
            .map(|t| (t, format_number(t)))
            .collect()
    };
    for (t, label) in xticks {
        svg.line((xs.at(t), h - BOTTOM), (xs.at(t), h - BOTTOM + 4.0), "tick");
        svg.text(xs.at(t), h - BOTTOM + 16.0, "middle", "", &label);
    }
    svg.line((LEFT, h - BOTTOM), (w - RIGHT, h - BOTTOM), "baseline");
    let mut seen = Vec::new();
    for (px, py, group, raw_x) in &points {
        let fill = color.map_or(PALETTE[0].to_string(), |c| color_of(c, *group, &mut seen));
        let x_text = if temporal {
            parse_time(raw_x).map_or(raw_x.to_string(), |ms| format_time(ms, false))
        } else {
            raw_x.to_string()
        };
        let mut tip = format!("{}: {x_text}\n{}: {}", x.title, y.title, format_number(*py));
        if let Some(c) = color {
            tip.push_str(&format!("\n{}: {}", c.label, group.unwrap_or("null")));
        }
        svg.circle((xs.at(*px), ys.at(*py)), 3.5, "mark", &fill, &tip);
    }
    if let Some(c) = color {
        let mut seen = Vec::new();
        for (k, g) in groups.iter().enumerate() {
            let fill = color_of(c, *g, &mut seen);
            legend_swatch(
                &mut svg,
                k,
                110.0,
                &fill,
                &format!("{} {}", c.label, g.unwrap_or("null")),
            );
        }
    }
    axis_titles(&mut svg, size, top, &x.title, &y.title);
    svg
}

fn missing(what: &str) -> Svg {
    let mut svg = Svg::default();
    svg.text(
        10.0,
        24.0,
        "start",
        "",
        &format!("The widget's field for {what} is not among its query's columns."),
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapped_value_names_the_cell_whatever_its_number_format() {
        assert!(same_value(Some("1"), Some("1.0")));
        assert!(same_value(None, None));
        assert!(!same_value(Some("0"), Some("1.0")));
        assert!(!same_value(Some("0"), None));
        assert!(same_value(Some("A06"), Some("A06")));
    }
}
