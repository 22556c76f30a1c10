//! Where the pipeline graph's nodes go: layered left to right as the Lakeflow editor draws
//! them. A node's layer is the longest path to it from a source; within a layer, nodes are
//! ordered by a barycenter pass to reduce edge crossings. Pure: no web crates, tested natively.

use std::collections::HashMap;

use protocol::{Graph, NodeKind};

/// A dataset card's size, in SVG units: room for a name, its kind, its state and a badge.
pub const DATASET_SIZE: (f64, f64) = (210.0, 88.0);
/// A landing folder is smaller: it only names the folder.
pub const FILES_SIZE: (f64, f64) = (160.0, 44.0);
/// Horizontal room between layers, where the curved edges run.
const LAYER_GAP: f64 = 64.0;
/// Vertical room between nodes of one layer.
const NODE_GAP: f64 = 22.0;
/// Margin around the drawing, so focus rings and arrowheads are not clipped.
const MARGIN: f64 = 12.0;
/// Barycenter sweeps (down and up); the graphs of a course pipeline settle in two or three.
const SWEEPS: usize = 6;

/// A placed node.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedNode {
    /// Index into `Graph::nodes`.
    pub index: usize,
    /// Layer, 0 for sources.
    pub layer: usize,
    /// Top-left corner and size.
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A placed edge: an SVG path from the right side of `from` to the left side of `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedEdge {
    /// Indexes into `Graph::nodes`.
    pub from: usize,
    pub to: usize,
    /// Read as a stream.
    pub streaming: bool,
    /// The path's `d` attribute: a cubic curve.
    pub path: String,
}

/// The whole drawing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// One per graph node, in graph order.
    pub nodes: Vec<PlacedNode>,
    /// Edges whose both ends exist, in graph order.
    pub edges: Vec<PlacedEdge>,
    /// The drawing's size (the SVG's viewBox is `0 0 width height`).
    pub width: f64,
    pub height: f64,
}

/// Lay out `graph`. Edges naming unknown nodes or a node itself are left out; a cycle (which
/// validation reports as a problem) still gets a drawing.
pub fn layout(graph: &Graph) -> Layout {
    let n = graph.nodes.len();
    let index: HashMap<&str, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| (node.name.as_str(), i))
        .collect();
    let links: Vec<(usize, usize, bool)> = graph
        .edges
        .iter()
        .filter_map(|e| {
            let from = *index.get(e.from.as_str())?;
            let to = *index.get(e.to.as_str())?;
            (from != to).then_some((from, to, e.streaming))
        })
        .collect();
    let pairs: Vec<(usize, usize)> = links.iter().map(|&(f, t, _)| (f, t)).collect();
    let layers = layers(n, &pairs);
    let order = order_layers(&layers, &pairs);
    place(graph, &layers, &order, &links)
}

/// Each node's layer: the longest path from a source. Nodes on a cycle are placed after
/// their acyclic inputs.
pub fn layers(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(from, to) in edges {
        indegree[to] += 1;
        out[from].push(to);
    }
    let mut layer = vec![0usize; n];
    let mut done = vec![false; n];
    let mut ready: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut remaining = indegree;
    loop {
        while let Some(node) = ready.pop() {
            done[node] = true;
            for &next in &out[node] {
                // An edge back into a placed node closes a cycle: it cannot move that node.
                if done[next] {
                    continue;
                }
                layer[next] = layer[next].max(layer[node] + 1);
                // A node released from a cycle is already queued.
                if remaining[next] > 0 {
                    remaining[next] -= 1;
                    if remaining[next] == 0 {
                        ready.push(next);
                    }
                }
            }
        }
        // A cycle: release its first node as if its cyclic inputs were absent.
        match (0..n).find(|&i| !done[i]) {
            Some(stuck) => {
                remaining[stuck] = 0;
                ready.push(stuck);
            }
            None => break,
        }
    }
    layer
}

/// Node indexes per layer, ordered top to bottom.
pub fn order_layers(layers: &[usize], edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let count = layers.iter().max().map_or(0, |m| m + 1);
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (node, &layer) in layers.iter().enumerate() {
        order[layer].push(node);
    }
    let mut best = order.clone();
    let mut best_crossings = crossings(&order, layers, edges);
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let sequence: Vec<usize> = if downward {
            (1..count).collect()
        } else {
            (0..count.saturating_sub(1)).rev().collect()
        };
        for layer in sequence {
            let position = positions(&order, layers.len());
            let mut keyed: Vec<(f64, usize, usize)> = order[layer]
                .iter()
                .enumerate()
                .map(|(slot, &node)| {
                    let neighbours: Vec<f64> = edges
                        .iter()
                        .filter_map(|&(from, to)| match downward {
                            true if to == node && layers[from] < layer => Some(position[from]),
                            false if from == node && layers[to] > layer => Some(position[to]),
                            _ => None,
                        })
                        .collect();
                    let key = if neighbours.is_empty() {
                        position[node]
                    } else {
                        neighbours.iter().sum::<f64>() / neighbours.len() as f64
                    };
                    (key, slot, node)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            order[layer] = keyed.into_iter().map(|(_, _, node)| node).collect();
        }
        let now = crossings(&order, layers, edges);
        if now < best_crossings {
            best_crossings = now;
            best = order.clone();
        }
    }
    best
}

/// Each node's position within its layer, scaled to 0..1 so layers of different sizes compare.
fn positions(order: &[Vec<usize>], n: usize) -> Vec<f64> {
    let mut position = vec![0.0; n];
    for layer in order {
        for (slot, &node) in layer.iter().enumerate() {
            position[node] = (slot as f64 + 0.5) / layer.len() as f64;
        }
    }
    position
}

/// Pairs of edges that cross, counting edges between the same two layers.
pub fn crossings(order: &[Vec<usize>], layers: &[usize], edges: &[(usize, usize)]) -> usize {
    let position = positions(order, layers.len());
    let mut count = 0;
    for (i, &(a_from, a_to)) in edges.iter().enumerate() {
        for &(b_from, b_to) in &edges[i + 1..] {
            let same_span = layers[a_from] == layers[b_from] && layers[a_to] == layers[b_to];
            if !same_span || a_from == b_from || a_to == b_to {
                continue;
            }
            let starts = position[a_from] - position[b_from];
            let ends = position[a_to] - position[b_to];
            if starts * ends < 0.0 {
                count += 1;
            }
        }
    }
    count
}

fn size(kind: NodeKind) -> (f64, f64) {
    match kind {
        NodeKind::Files => FILES_SIZE,
        _ => DATASET_SIZE,
    }
}

fn place(
    graph: &Graph,
    layers: &[usize],
    order: &[Vec<usize>],
    links: &[(usize, usize, bool)],
) -> Layout {
    let column_width = DATASET_SIZE.0 + LAYER_GAP;
    let column_heights: Vec<f64> = order
        .iter()
        .map(|column| {
            let nodes: f64 = column.iter().map(|&i| size(graph.nodes[i].kind).1).sum();
            nodes + NODE_GAP * column.len().saturating_sub(1) as f64
        })
        .collect();
    let tallest = column_heights.iter().copied().fold(0.0, f64::max);
    let mut nodes: Vec<Option<PlacedNode>> = vec![None; graph.nodes.len()];
    for (layer, column) in order.iter().enumerate() {
        // Columns are centred vertically, and narrow nodes right-aligned towards their readers.
        let mut y = MARGIN + (tallest - column_heights[layer]) / 2.0;
        for &index in column {
            let (width, height) = size(graph.nodes[index].kind);
            let x = MARGIN + layer as f64 * column_width + (DATASET_SIZE.0 - width);
            nodes[index] = Some(PlacedNode {
                index,
                layer: layers[index],
                x,
                y,
                width,
                height,
            });
            y += height + NODE_GAP;
        }
    }
    let nodes: Vec<PlacedNode> = nodes.into_iter().flatten().collect();
    let edges = links
        .iter()
        .map(|&(from, to, streaming)| PlacedEdge {
            from,
            to,
            streaming,
            path: curve(&nodes[from], &nodes[to]),
        })
        .collect();
    let layers_drawn = order.len().max(1) as f64;
    Layout {
        width: 2.0 * MARGIN + layers_drawn * column_width - LAYER_GAP,
        height: 2.0 * MARGIN + tallest,
        nodes,
        edges,
    }
}

/// A horizontal S-curve from the middle of `from`'s right side to the middle of `to`'s left
/// side (a few units short, so the arrowhead's tip touches the card).
fn curve(from: &PlacedNode, to: &PlacedNode) -> String {
    let (x1, y1) = (from.x + from.width, from.y + from.height / 2.0);
    let (x2, y2) = (to.x - 2.0, to.y + to.height / 2.0);
    let bend = ((x2 - x1) / 2.0).max(24.0);
    format!(
        "M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}",
        x1 + bend,
        x2 - bend
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{GraphEdge, GraphNode};

    fn graph(nodes: &[(&str, NodeKind)], edges: &[(&str, &str)]) -> Graph {
        Graph {
            pipeline: "p".into(),
            schema: "c.s".into(),
            nodes: nodes
                .iter()
                .map(|&(name, kind)| GraphNode {
                    name: name.into(),
                    kind,
                    place: None,
                    expectations: Vec::new(),
                    columns: Vec::new(),
                })
                .collect(),
            edges: edges
                .iter()
                .map(|&(from, to)| GraphEdge {
                    from: from.into(),
                    to: to.into(),
                    streaming: true,
                })
                .collect(),
        }
    }

    #[test]
    fn layer_is_the_longest_path_from_a_source() {
        // a → b → c, and a → c directly: c sits after b, not next to a.
        assert_eq!(layers(3, &[(0, 1), (1, 2), (0, 2)]), vec![0, 1, 2]);
        // Two sources feeding one join.
        assert_eq!(layers(3, &[(0, 2), (1, 2)]), vec![0, 0, 1]);
    }

    #[test]
    fn a_cycle_still_gets_layers() {
        let l = layers(3, &[(0, 1), (1, 2), (2, 1)]);
        assert_eq!(l, vec![0, 1, 2]);
        // A cycle with no way in, and a node reading from it.
        let l = layers(3, &[(0, 1), (1, 0), (1, 2)]);
        assert_eq!(l, vec![0, 1, 2]);
    }

    #[test]
    fn barycenter_uncrosses_edges() {
        // Sources 0, 1; readers declared in the crossing order 2 (reads 1), 3 (reads 0).
        let edges = [(0, 3), (1, 2)];
        let l = layers(4, &edges);
        let naive = vec![vec![0, 1], vec![2, 3]];
        assert_eq!(crossings(&naive, &l, &edges), 1);
        let ordered = order_layers(&l, &edges);
        assert_eq!(crossings(&ordered, &l, &edges), 0);
        assert_eq!(ordered[1], vec![3, 2]);
    }

    #[test]
    fn the_course_pipeline_lays_out_left_to_right_without_overlaps() {
        use NodeKind::*;
        let g = graph(
            &[
                ("/Volumes/c/s/sensor_bronze", Files),
                ("/Volumes/c/s/inspection_bronze", Files),
                ("sensor_bronze", StreamingTable),
                ("inspection_bronze", StreamingTable),
                ("inspection_silver", MaterializedView),
                ("anomaly_detected", MaterializedView),
                ("gold", MaterializedView),
            ],
            &[
                ("/Volumes/c/s/sensor_bronze", "sensor_bronze"),
                ("/Volumes/c/s/inspection_bronze", "inspection_bronze"),
                ("inspection_bronze", "inspection_silver"),
                ("sensor_bronze", "anomaly_detected"),
                ("anomaly_detected", "gold"),
                ("inspection_silver", "gold"),
                ("missing", "gold"),
            ],
        );
        let out = layout(&g);
        assert_eq!(out.nodes.len(), 7);
        assert_eq!(
            out.edges.len(),
            6,
            "the edge from an unknown node is left out"
        );
        let layer_of = |name: &str| {
            let i = g.nodes.iter().position(|n| n.name == name).unwrap();
            out.nodes[i].layer
        };
        assert_eq!(layer_of("sensor_bronze"), 1);
        assert_eq!(layer_of("gold"), 3);
        for edge in &out.edges {
            assert!(out.nodes[edge.from].x + out.nodes[edge.from].width < out.nodes[edge.to].x);
            assert!(edge.path.starts_with('M') && edge.path.contains(" C"));
        }
        for (i, a) in out.nodes.iter().enumerate() {
            assert!(a.x >= 0.0 && a.y >= 0.0);
            assert!(a.x + a.width <= out.width && a.y + a.height <= out.height);
            for b in &out.nodes[i + 1..] {
                let apart = a.x + a.width <= b.x
                    || b.x + b.width <= a.x
                    || a.y + a.height <= b.y
                    || b.y + b.height <= a.y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn an_empty_graph_has_an_empty_drawing() {
        let out = layout(&Graph::default());
        assert!(out.nodes.is_empty() && out.edges.is_empty());
        assert!(out.width > 0.0 && out.height > 0.0);
    }
}
