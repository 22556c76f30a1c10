//! One dashboard widget at its place on the grid: its title, its drawing (chart, counter or
//! filter), "Show data" with its rows, and its downloads.

use leptos::html;
use leptos::prelude::*;
use protocol::{WidgetKind, WidgetView};

use super::chart::{Size, bars, scatter};
use super::data_table::DataTable;
use super::export;
use super::filter_widget::FilterWidget;
use super::scale::format_number;
use super::svg::Svg;
use crate::download::save_bytes;

/// The grid's row height and gap in pixels (style/serving.css), and what a card's padding
/// and header take from its drawing.
pub const ROW_PX: f64 = 56.0;
pub const GAP_PX: f64 = 12.0;
const CARD_PADDING_PX: f64 = 26.0;
const HEADER_PX: f64 = 44.0;

/// A name for a widget without a visible title: what it plots.
fn describe(widget: &WidgetView) -> String {
    if let Some(title) = &widget.title {
        return title.clone();
    }
    let labels = |a: &protocol::AxisEncoding| {
        a.fields
            .iter()
            .map(|f| f.label.clone())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    match &widget.kind {
        WidgetKind::Bar { x, y, .. } | WidgetKind::Scatter { x, y, .. } => {
            if y.scale == protocol::Scale::Categorical {
                format!("{} by {}", labels(x), labels(y))
            } else {
                format!("{} by {}", labels(y), labels(x))
            }
        }
        WidgetKind::Counter { value } => value.label.clone(),
        WidgetKind::Filter { field, .. } => field.clone(),
        WidgetKind::Other { widget_type } => format!("{} ({widget_type})", widget.name),
    }
}

/// One widget.
#[component]
pub fn WidgetCard(
    widget: WidgetView,
    /// Width of one grid column in pixels, as laid out now: the drawing is sized in pixels so
    /// its text reads at the page's size.
    column_px: f64,
) -> impl IntoView {
    let show_data = RwSignal::new(false);
    let svg_ref = NodeRef::<html::Div>::new();
    let label = describe(&widget);
    let p = widget.position;
    let style = format!(
        "grid-column: {} / span {}; grid-row: {} / span {};",
        p.x + 1,
        p.width,
        p.y + 1,
        p.height
    );
    let span = |n: u32, unit: f64| f64::from(n) * unit + f64::from(n.saturating_sub(1)) * GAP_PX;
    let size = Size {
        width: (span(p.width, column_px) - CARD_PADDING_PX).max(120.0),
        height: (span(p.height, ROW_PX) - HEADER_PX - CARD_PADDING_PX).max(80.0),
    };
    let is_chart = matches!(
        widget.kind,
        WidgetKind::Bar { .. } | WidgetKind::Scatter { .. }
    );
    let drawing = match (&widget.error, &widget.kind) {
        (Some(problem), _) => {
            view! { <p class="dash-error" role="alert">{problem.sentence()}</p> }.into_any()
        }
        (None, WidgetKind::Bar { x, y, .. }) => chart_svg(&label, bars(&widget, x, y, size), size),
        (None, WidgetKind::Scatter { x, y, color }) => {
            chart_svg(&label, scatter(&widget, x, y, color.as_ref(), size), size)
        }
        (None, WidgetKind::Counter { .. }) => {
            let value = widget
                .rows
                .first()
                .and_then(|r| r.first().cloned().flatten())
                .map(|v| v.parse::<f64>().map_or(v.clone(), format_number))
                .unwrap_or_else(|| "–".into());
            view! { <p class="dash-counter" data-testid=format!("counter-{}", widget.name)>{value}</p> }.into_any()
        }
        (None, WidgetKind::Filter { multiple, options, chosen, datasets, .. }) => view! {
            <FilterWidget
                name=widget.name.clone()
                title=label.clone()
                multiple=*multiple
                options=options.clone()
                chosen=chosen.clone()
                datasets=datasets.clone()
            />
        }
        .into_any(),
        (None, WidgetKind::Other { widget_type }) => view! {
            <p class="dash-note">{format!("The workbook does not draw `{widget_type}` widgets; Show data has its rows.")}</p>
        }
        .into_any(),
    };
    let is_filter = matches!(widget.kind, WidgetKind::Filter { .. });
    let csv_name = export::file_name(&widget.name, "csv");
    let png_name = export::file_name(&widget.name, "png");
    let csv_text = export::csv(&widget.columns, &widget.rows);
    let caption = format!(
        "{label}: {} rows from dataset {}",
        widget.rows.len(),
        widget.dataset
    );
    let (columns, rows) = (widget.columns.clone(), widget.rows.clone());
    let sql = widget.sql.clone();
    let heading_id = format!("widget-{}", widget.name);
    let labelled_by = heading_id.clone();
    view! {
        <section class="dash-widget" class:dash-filtered=widget.filtered style=style
            aria-labelledby=labelled_by data-testid=format!("widget-{}", widget.name)>
            <header class="dash-widget-head">
                <h3 id=heading_id class:dash-untitled=widget.title.is_none()>{label.clone()}</h3>
                {(!is_filter).then(|| view! {
                    <div class="dash-widget-actions">
                        <button type="button" aria-pressed=move || show_data.get().to_string()
                            on:click=move |_| show_data.update(|s| *s = !*s)>
                            "Show data"
                        </button>
                        <button type="button" title="Download the rows as CSV" aria-label=format!("Download CSV of {label}")
                            on:click={
                                let (name, text) = (csv_name.clone(), csv_text.clone());
                                move |_| { let _ = save_bytes(&name, "text/csv", text.as_bytes()); }
                            }>"CSV"</button>
                        {is_chart.then(|| view! {
                            <button type="button" title="Download the chart as PNG" aria-label=format!("Download PNG of {}", describe_png(&png_name))
                                on:click={
                                    let name = png_name.clone();
                                    move |_| {
                                        let svg = svg_ref.get().and_then(|d| d.query_selector("svg").ok().flatten());
                                        if let Some(svg) = svg && let Err(e) = export::png(&svg, &name) {
                                            leptos::logging::warn!("{e}");
                                        }
                                    }
                                }>"PNG"</button>
                        })}
                    </div>
                })}
            </header>
            <div class="dash-widget-body" node_ref=svg_ref>
                <div class="dash-drawing" hidden=move || show_data.get()>{drawing}</div>
                {move || show_data.get().then(|| view! {
                    <DataTable caption=caption.clone() columns=columns.clone() rows=rows.clone()/>
                    <details class="dash-sql"><summary>"The query"</summary><pre><code>{sql.clone()}</code></pre></details>
                })}
            </div>
        </section>
    }
}

fn describe_png(name: &str) -> String {
    name.trim_end_matches(".png").replace('_', " ")
}

fn chart_svg(label: &str, svg: Svg, size: Size) -> AnyView {
    let markup = svg.finish(
        size.width,
        size.height,
        "dash-chart",
        &format!("{label} (Show data lists the values)"),
    );
    view! { <div class="dash-svg" inner_html=markup></div> }.into_any()
}
