//! The pipeline graph: landing folders and datasets laid out left to right (see
//! [`super::graph_layout`]), each dataset a card with its kind, its state in the current or
//! last run, the rows it wrote and its expectations. Clicking a card selects the dataset.

use leptos::prelude::*;
use protocol::{FlowProgress, FlowState, GraphNode, NodeKind};

use super::format::{failed_percent, grouped, percent};
use super::graph_layout::{Layout, PlacedNode, layout};
use crate::workbench::use_workbench;

/// Longest name a card shows in full; longer ones end in "…" (the full name is in the title).
const NAME_CHARS: usize = 24;

/// The pipeline's graph, from the last validation, with live states while an update runs.
#[component]
pub fn PipelineGraph() -> impl IntoView {
    let wb = use_workbench();
    let graph = Memo::new(move |_| wb.validation.with(|v| v.as_ref().map(|v| v.graph.clone())));
    let drawing = Memo::new(move |_| graph.with(|g| g.as_ref().map(layout)));

    move || {
        let (Some(graph), Some(drawing)) = (graph.get(), drawing.get()) else {
            return view! {
                <div class="pipeline-graph" data-testid="pipeline-graph">
                    <p class="pg-empty">"Checking the project… the graph appears once its sources load."</p>
                </div>
            }
            .into_any();
        };
        if graph.nodes.is_empty() {
            return view! {
                <div class="pipeline-graph" data-testid="pipeline-graph">
                    <p class="pg-empty">"No graph yet: the pipeline's sources did not load (see Problems)."</p>
                </div>
            }
            .into_any();
        }
        let Layout {
            nodes,
            edges,
            width,
            height,
        } = drawing;
        let edges = edges
            .into_iter()
            .map(|e| {
                let class = if e.streaming {
                    "pg-edge"
                } else {
                    "pg-edge pg-edge-batch"
                };
                view! { <path class=class d=e.path marker-end="url(#pg-arrow)"/> }
            })
            .collect::<Vec<_>>();
        let cards = nodes
            .into_iter()
            .map(|placed| {
                let node = graph.nodes[placed.index].clone();
                if node.kind == NodeKind::Files {
                    files_card(node, placed).into_any()
                } else {
                    dataset_card(node, placed).into_any()
                }
            })
            .collect::<Vec<_>>();
        let label = format!("Pipeline graph of {}", graph.pipeline);
        view! {
            <div class="pipeline-graph" data-testid="pipeline-graph">
                <svg
                    class="pg-svg"
                    viewBox=format!("0 0 {width:.0} {height:.0}")
                    style=format!("min-width: {:.0}px; max-width: {:.0}px", width * 0.7, width * 1.4)
                    preserveAspectRatio="xMinYMin meet"
                    role="group"
                    aria-label=label
                >
                    <defs>
                        <marker
                            id="pg-arrow"
                            viewBox="0 0 10 10"
                            refX="9"
                            refY="5"
                            markerWidth="7"
                            markerHeight="7"
                            orient="auto-start-reverse"
                        >
                            <path class="pg-arrowhead" d="M0,0 L10,5 L0,10 z"/>
                        </marker>
                    </defs>
                    <g class="pg-edges" aria-hidden="true">{edges}</g>
                    <g class="pg-nodes">{cards}</g>
                </svg>
                <p class="pg-legend">
                    <span class="pg-legend-stream">"── streaming read"</span>
                    <span class="pg-legend-batch">"- - batch read"</span>
                </p>
            </div>
        }
        .into_any()
    }
}

fn short(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(NAME_CHARS - 1).collect();
        s.push('…');
        s
    }
}

fn files_card(node: GraphNode, at: PlacedNode) -> impl IntoView {
    let folder = node
        .name
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(&node.name)
        .to_string();
    view! {
        <g class="pg-node pg-files" transform=format!("translate({:.1},{:.1})", at.x, at.y)>
            <title>{format!("Landing folder {}", node.name)}</title>
            <rect class="pg-card" width=at.width height=at.height rx="6"/>
            <text class="pg-kind" x="10" y="17">"Files"</text>
            <text class="pg-name" x="10" y="34">{short(&folder)}</text>
        </g>
    }
}

/// The state words and rows a card shows, or `None` before the first run.
struct CardState {
    state: FlowState,
    rows: u64,
    rows_total: u64,
    expectations: usize,
    failed_share: Option<f64>,
}

fn card_state(flow: Option<FlowProgress>) -> Option<CardState> {
    let flow = flow?;
    let checked: u64 = flow.expectations.iter().map(|e| e.passed + e.failed).sum();
    let failed: u64 = flow.expectations.iter().map(|e| e.failed).sum();
    Some(CardState {
        state: flow.state,
        rows: flow.rows_written,
        rows_total: flow.rows_total,
        expectations: flow.expectations.len(),
        failed_share: (checked > 0).then(|| failed_percent(checked - failed, failed)),
    })
}

fn state_class(state: FlowState) -> &'static str {
    match state {
        FlowState::Queued => "pg-queued",
        FlowState::Running => "pg-running",
        FlowState::Completed => "pg-completed",
        FlowState::Failed => "pg-failed",
        FlowState::Skipped => "pg-skipped",
    }
}

fn state_mark(state: FlowState) -> &'static str {
    match state {
        FlowState::Queued => "○",
        FlowState::Running => "◌",
        FlowState::Completed => "✓",
        FlowState::Failed => "✕",
        FlowState::Skipped => "–",
    }
}

fn dataset_card(node: GraphNode, at: PlacedNode) -> impl IntoView {
    let wb = use_workbench();
    let name = node.name.clone();
    let declared = node.expectations.len();
    let state = {
        let name = name.clone();
        Memo::new(move |_| {
            card_state(wb.flow_state(&name)).map(|s| {
                (
                    s.state,
                    s.rows,
                    s.rows_total,
                    s.expectations,
                    s.failed_share.map(|f| (f * 10.0).round() as i64),
                )
            })
        })
    };
    let selected = {
        let name = name.clone();
        move || wb.selected.with(|s| s.as_deref() == Some(name.as_str()))
    };
    let select = {
        let name = name.clone();
        move || wb.selected.set(Some(name.clone()))
    };
    let select_key = select.clone();
    let kind = node.kind.label();
    let aria = {
        let name = name.clone();
        move || {
            let mut label = format!("{name}, {}", kind.to_lowercase());
            match state.get() {
                Some((s, rows, ..)) => label.push_str(&format!(
                    ", {}, {} written",
                    s.label().to_lowercase(),
                    super::format::rows(rows)
                )),
                None => label.push_str(", not run yet"),
            }
            label
        }
    };
    let status_line = move || match state.get() {
        Some((s, rows, _, _, _)) => {
            let rows = if matches!(s, FlowState::Queued | FlowState::Skipped)
                || (s == FlowState::Running && rows == 0)
            {
                String::new()
            } else {
                format!(" · +{} rows", grouped(rows))
            };
            format!("{} {}{rows}", state_mark(s), s.label())
        }
        None => "Not run yet".to_string(),
    };
    let status_class = move || match state.get() {
        Some((s, ..)) => format!("pg-state {}", state_class(s)),
        None => "pg-state pg-skipped".to_string(),
    };
    let badge = move || {
        let (count, failed) = match state.get() {
            Some((_, _, _, count, failed)) if count > 0 => (count, failed),
            _ => (declared, None),
        };
        if count == 0 {
            return None;
        }
        let noun = if count == 1 {
            "expectation"
        } else {
            "expectations"
        };
        let text = match failed {
            Some(tenths) => format!("{count} {noun} · {} failed", percent(tenths as f64 / 10.0)),
            None => format!("{count} {noun}"),
        };
        let class = if failed.is_some_and(|f| f > 0) {
            "pg-badge pg-badge-warn"
        } else {
            "pg-badge"
        };
        Some(view! { <text class=class x="12" y="78">{text}</text> })
    };
    let title = move || match state.get() {
        Some((_, _, total, ..)) => format!("{name}: {} in the table", super::format::rows(total)),
        None => name.clone(),
    };
    view! {
        <g
            class="pg-node pg-dataset"
            class:pg-selected=selected
            transform=format!("translate({:.1},{:.1})", at.x, at.y)
            tabindex="0"
            role="button"
            aria-label=aria
            data-testid=format!("graph-node-{}", node.name)
            on:click=move |_| select()
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    select_key();
                }
            }
        >
            <title>{title}</title>
            <rect class="pg-card" width=at.width height=at.height rx="10"/>
            <text class="pg-name" x="12" y="22">{short(&node.name)}</text>
            <text class="pg-kind" x="12" y="40">{kind}</text>
            <text class=status_class x="12" y="59">{status_line}</text>
            {badge}
        </g>
    }
}
