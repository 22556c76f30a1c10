//! Character metrics of the editor's font, measured in the page, to map mouse positions to
//! text positions and text positions to tooltip places.

use leptos::html;
use leptos::prelude::*;

/// Columns per tab stop (main.css gives the editor `tab-size: 4`).
pub(super) const TAB_SIZE: u32 = 4;

/// Fallbacks when nothing can be measured (14px monospace, line-height 1.5, main.css padding).
const FALLBACK: Metrics = Metrics {
    char_width: 8.4,
    line_height: 21.0,
    pad_left: 12.0,
    pad_top: 8.0,
};

/// One character's advance, one line's height, and the textarea's padding, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Metrics {
    pub char_width: f64,
    pub line_height: f64,
    pub pad_left: f64,
    pub pad_top: f64,
}

impl Metrics {
    /// Measure the probe (ten characters in an inline block of the editor's font) and the
    /// textarea's computed padding.
    pub(super) fn measure(input: NodeRef<html::Textarea>, probe: NodeRef<html::Span>) -> Metrics {
        let mut m = FALLBACK;
        if let Some(probe) = probe.get_untracked() {
            let rect = probe.get_bounding_client_rect();
            if rect.width() > 0.0 && rect.height() > 0.0 {
                m.char_width = rect.width() / 10.0;
                m.line_height = rect.height();
            }
        }
        let style = input
            .get_untracked()
            .and_then(|el| window().get_computed_style(&el).ok().flatten());
        if let Some(style) = style {
            let px = |name: &str| {
                style
                    .get_property_value(name)
                    .ok()
                    .and_then(|v| v.trim().trim_end_matches("px").parse::<f64>().ok())
            };
            m.pad_left = px("padding-left").unwrap_or(m.pad_left);
            m.pad_top = px("padding-top").unwrap_or(m.pad_top);
        }
        m
    }
}

/// The width in columns of a line's text (tabs to the next multiple of [`TAB_SIZE`]).
pub(super) fn visual_width(line_text: &str) -> u32 {
    line_text.chars().fold(0, |width, c| {
        if c == '\t' {
            (width / TAB_SIZE + 1) * TAB_SIZE
        } else {
            width + 1
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_visual_width_expands_tabs_to_stops() {
        assert_eq!(visual_width("ab"), 2);
        assert_eq!(visual_width("\tx"), 5);
        assert_eq!(visual_width("ab\t"), 4);
        assert_eq!(visual_width("aé"), 2);
    }
}
