//! SVG markup written as text: the charts are drawn as one string each and placed with
//! `inner_html`, which keeps the page's wasm small (a `view!` per mark type cost ~100 KB gzip).
//! Every text that comes from the learner's data or files goes through [`esc`].

use std::fmt::Write;

/// Text safe inside SVG markup and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A growing piece of SVG.
#[derive(Default)]
pub struct Svg(pub String);

impl Svg {
    /// A `<text>` with an anchor (`start`, `middle`, `end`) and an optional class.
    pub fn text(&mut self, x: f64, y: f64, anchor: &str, class: &str, content: &str) {
        let _ = write!(
            self.0,
            r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" class="{class}" fill="currentColor">{}</text>"#,
            esc(content)
        );
    }

    /// A `<text>` turned to read upwards, centred on `(x, y)`.
    pub fn vertical_text(&mut self, x: f64, y: f64, class: &str, content: &str) {
        let _ = write!(
            self.0,
            r#"<text transform="translate({x:.1} {y:.1}) rotate(-90)" text-anchor="middle" class="{class}" fill="currentColor">{}</text>"#,
            esc(content)
        );
    }

    /// A `<line>`.
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), class: &str) {
        let _ = write!(
            self.0,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" class="{class}" stroke="currentColor"/>"#
        );
    }

    /// A `<line>` in a colour, with a tooltip.
    pub fn colored_line(
        &mut self,
        from: (f64, f64),
        to: (f64, f64),
        class: &str,
        color: &str,
        tip: &str,
    ) {
        let _ = write!(
            self.0,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" class="{class}" stroke="{}"><title>{}</title></line>"#,
            from.0,
            from.1,
            to.0,
            to.1,
            esc(color),
            esc(tip)
        );
    }

    /// A filled `<rect>` with a tooltip.
    pub fn rect(&mut self, (x, y, w, h): (f64, f64, f64, f64), class: &str, fill: &str, tip: &str) {
        let _ = write!(
            self.0,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" class="{class}" fill="{}">"#,
            esc(fill)
        );
        self.title_and_close(tip, "rect");
    }

    /// A filled `<circle>` with a tooltip.
    pub fn circle(&mut self, (x, y): (f64, f64), r: f64, class: &str, fill: &str, tip: &str) {
        let _ = write!(
            self.0,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" class="{class}" fill="{}">"#,
            esc(fill)
        );
        self.title_and_close(tip, "circle");
    }

    /// A `<polyline>` through `points` (already in pixels).
    pub fn polyline(
        &mut self,
        points: impl Iterator<Item = (f64, f64)>,
        class: &str,
        stroke: &str,
    ) {
        let _ = write!(
            self.0,
            r#"<polyline class="{class}" fill="none" stroke="{}" points=""#,
            esc(stroke)
        );
        for (x, y) in points {
            let _ = write!(self.0, "{x:.1},{y:.1} ");
        }
        self.0.push_str(r#""/>"#);
    }

    /// A `<path>` with a tooltip.
    pub fn path(&mut self, d: &str, class: &str, tip: &str) {
        let _ = write!(self.0, r#"<path d="{d}" class="{class}">"#);
        self.title_and_close(tip, "path");
    }

    fn title_and_close(&mut self, tip: &str, element: &str) {
        if !tip.is_empty() {
            let _ = write!(self.0, "<title>{}</title>", esc(tip));
        }
        let _ = write!(self.0, "</{element}>");
    }

    /// The whole `<svg>` element around what was drawn.
    pub fn finish(self, width: f64, height: f64, class: &str, label: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" role="img" aria-label="{}" viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet">{}</svg>"#,
            esc(label),
            self.0
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_become_markup() {
        let mut svg = Svg::default();
        svg.text(
            1.0,
            2.0,
            "start",
            "t",
            "<script>alert('x')</script> & \"q\"",
        );
        assert_eq!(
            svg.0,
            "<text x=\"1.0\" y=\"2.0\" text-anchor=\"start\" class=\"t\" fill=\"currentColor\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</text>"
        );
        let whole = svg.finish(10.0, 5.0, "c", "a \"label\"");
        assert!(whole.contains("aria-label=\"a &quot;label&quot;\""));
    }
}
