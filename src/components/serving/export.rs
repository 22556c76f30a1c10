//! A widget's data as CSV, and its chart as PNG (the SVG drawn on a canvas in the page's
//! current colours).

use protocol::{Cell, ColumnInfo};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::download::save_bytes;

/// RFC 4180 CSV of a widget's rows, with a header.
pub fn csv(columns: &[ColumnInfo], rows: &[Vec<Cell>]) -> String {
    fn field(text: &str) -> String {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    }
    let mut out = columns
        .iter()
        .map(|c| field(&c.name))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .map(|c| c.as_deref().map(field).unwrap_or_default())
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// A file name from a widget's name.
pub fn file_name(widget: &str, extension: &str) -> String {
    let stem: String = widget
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{stem}.{extension}")
}

/// Save the chart `svg` as a PNG file named `name`, at twice its drawn size.
pub fn png(svg: &web_sys::Element, name: &str) -> Result<(), String> {
    let describe = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = leptos::prelude::window();
    let document = leptos::prelude::document();
    let rect = svg.get_bounding_client_rect();
    let (width, height) = (rect.width().max(1.0), rect.height().max(1.0));
    let style = window
        .get_computed_style(svg)
        .map_err(describe)?
        .ok_or("no computed style")?;
    let color = style.get_property_value("color").map_err(describe)?;
    let background = document
        .body()
        .and_then(|b| window.get_computed_style(&b).ok().flatten())
        .and_then(|s| s.get_property_value("background-color").ok())
        .unwrap_or_else(|| "#ffffff".into());
    // A copy that stands alone: its size and its colour fixed, as the page shows it.
    let copy: web_sys::Element = svg
        .clone_node_with_deep(true)
        .map_err(describe)?
        .unchecked_into();
    copy.set_attribute("xmlns", "http://www.w3.org/2000/svg")
        .map_err(describe)?;
    copy.set_attribute("width", &width.to_string())
        .map_err(describe)?;
    copy.set_attribute("height", &height.to_string())
        .map_err(describe)?;
    copy.set_attribute("color", &color).map_err(describe)?;
    let text = web_sys::XmlSerializer::new()
        .map_err(describe)?
        .serialize_to_string(&copy)
        .map_err(describe)?;
    let url = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&text))
    );
    let image = web_sys::HtmlImageElement::new().map_err(describe)?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(describe)?
        .unchecked_into();
    let scale = 2.0;
    canvas.set_width((width * scale) as u32);
    canvas.set_height((height * scale) as u32);
    let name = name.to_string();
    let drawn = image.clone();
    let onload = Closure::once_into_js(move || {
        let draw = || -> Result<(), String> {
            let context: web_sys::CanvasRenderingContext2d = canvas
                .get_context("2d")
                .map_err(describe)?
                .ok_or("no 2d context")?
                .unchecked_into();
            context.set_fill_style_str(&background);
            context.fill_rect(0.0, 0.0, width * scale, height * scale);
            context
                .draw_image_with_html_image_element_and_dw_and_dh(
                    &drawn,
                    0.0,
                    0.0,
                    width * scale,
                    height * scale,
                )
                .map_err(describe)?;
            let data = canvas
                .to_data_url_with_type("image/png")
                .map_err(describe)?;
            let base64 = data.split_once(',').map(|(_, b)| b).unwrap_or_default();
            let bytes = decode_base64(base64);
            save_bytes(&name, "image/png", &bytes)
        };
        if let Err(e) = draw() {
            leptos::logging::warn!("PNG export failed: {e}");
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&url);
    Ok(())
}

/// Standard base64 (the canvas's data URL) to bytes.
fn decode_base64(text: &str) -> Vec<u8> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting_and_leaves_null_empty() {
        let columns = vec![
            ColumnInfo {
                name: "a".into(),
                data_type: "string".into(),
                numeric: false,
            },
            ColumnInfo {
                name: "count(1)".into(),
                data_type: "bigint".into(),
                numeric: true,
            },
        ];
        let rows = vec![vec![Some("x,\"y\"".into()), None]];
        assert_eq!(csv(&columns, &rows), "a,count(1)\n\"x,\"\"y\"\"\",\n");
    }

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("aGVsbG8="), b"hello");
        assert_eq!(decode_base64("iVBORw=="), [0x89, b'P', b'N', b'G']);
    }
}
