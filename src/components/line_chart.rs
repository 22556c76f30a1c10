//! Line charts drawn with plotters on a `<canvas>`.

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

use crate::dataplane::Series;

/// The palette of the seed's dashboard (§6.3), in series order.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0xFF, 0x36, 0x21),
    RGBColor(0x00, 0xA9, 0x72),
    RGBColor(0x8B, 0xCA, 0xE7),
    RGBColor(0xAB, 0x40, 0x57),
    RGBColor(0x99, 0xDD, 0xB4),
    RGBColor(0xFC, 0xA4, 0xA1),
    RGBColor(0x91, 0x91, 0x91),
    RGBColor(0xBF, 0x70, 0x80),
];

/// Draws one line per series on `canvas`, labelled axes in the canvas's CSS text colour.
pub fn draw_line_chart(
    canvas: &web_sys::HtmlCanvasElement,
    series: &[Series],
    x_label: &str,
    y_label: &str,
) -> Result<(), String> {
    let text = text_colour(canvas);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("the canvas has no 2D drawing context")?;
    let root = backend.into_drawing_area();
    root.fill(&TRANSPARENT).map_err(|e| e.to_string())?;
    let points = series.iter().flat_map(|s| s.points.iter());
    let (mut x_min, mut x_max, mut y_min, mut y_max) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in points {
        x_min = x_min.min(x);
        x_max = x_max.max(x);
        y_min = y_min.min(y);
        y_max = y_max.max(y);
    }
    if x_min > x_max {
        return Err("nothing to draw: the data has no points".into());
    }
    let pad = ((y_max - y_min) * 0.05).max(1e-9);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(x_min..x_max.max(x_min + 1.0), (y_min - pad)..(y_max + pad))
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_desc(y_label)
        .axis_desc_style(("sans-serif", 14).into_font().color(&text))
        .label_style(("sans-serif", 12).into_font().color(&text))
        .axis_style(text.mix(0.6))
        .light_line_style(text.mix(0.08))
        .bold_line_style(text.mix(0.16))
        .draw()
        .map_err(|e| e.to_string())?;
    for (i, s) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(
                s.points.iter().copied(),
                colour.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label(format!("device {}", s.device_id))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", 12).into_font().color(&text))
        .border_style(text.mix(0.3))
        .background_style(TRANSPARENT)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// The canvas's computed CSS `color` (follows the theme), or dark grey if unreadable.
fn text_colour(canvas: &web_sys::HtmlCanvasElement) -> RGBColor {
    let css = leptos::prelude::window()
        .get_computed_style(canvas.unchecked_ref())
        .ok()
        .flatten()
        .and_then(|style| style.get_property_value("color").ok())
        .unwrap_or_default();
    parse_rgb(&css).unwrap_or(RGBColor(0x33, 0x33, 0x33))
}

/// Parses `rgb(r, g, b)` / `rgba(r, g, b, a)` as browsers report computed colours.
fn parse_rgb(css: &str) -> Option<RGBColor> {
    let inner = css.trim().strip_prefix("rgb")?.trim_start_matches('a');
    let inner = inner.strip_prefix('(')?.strip_suffix(')')?;
    let mut parts = inner.split(',').map(|p| p.trim().parse::<f64>().ok());
    let mut channel = || parts.next().flatten().map(|v| v.clamp(0.0, 255.0) as u8);
    Some(RGBColor(channel()?, channel()?, channel()?))
}

#[cfg(test)]
mod tests {
    use super::parse_rgb;
    use plotters::style::RGBColor;

    #[test]
    fn test_parse_rgb_computed_colours() {
        assert_eq!(parse_rgb("rgb(17, 24, 39)"), Some(RGBColor(17, 24, 39)));
        assert_eq!(
            parse_rgb("rgba(255, 255, 255, 0.9)"),
            Some(RGBColor(255, 255, 255))
        );
        assert_eq!(parse_rgb("red"), None);
    }
}
