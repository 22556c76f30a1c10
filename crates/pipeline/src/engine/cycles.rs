//! Datasets that never became ready: a cycle among them, reported at the reference that
//! closes it with the path of the cycle.

use std::collections::BTreeSet;

use super::{Run, Slot};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::planner::Need;

/// Datasets still waiting: a cycle among them, or waiting on a failed one.
pub(super) fn cycle_diagnostics(run: &Run<'_>) -> Diagnostics {
    let mut out = Diagnostics::new();
    let waiting: Vec<usize> = (0..run.slots.len())
        .filter(|&d| matches!(run.slots[d], Slot::Waiting))
        .collect();
    let mut reported = BTreeSet::new();
    for &d in &waiting {
        if reported.contains(&d) {
            continue;
        }
        // Follow "waits on" edges to find the cycle through d.
        let mut path = vec![d];
        let mut current = d;
        loop {
            let next = run.envs[current].needs.iter().find_map(|n| match n {
                Need::Dataset { index, .. } if matches!(run.slots[*index], Slot::Waiting) => {
                    Some(*index)
                }
                _ => None,
            });
            let Some(next) = next else { break };
            if let Some(pos) = path.iter().position(|&p| p == next) {
                let cycle: Vec<usize> = path[pos..].to_vec();
                let names: Vec<String> = cycle
                    .iter()
                    .chain(std::iter::once(&next))
                    .map(|&i| format!("`{}`", run.pipeline.datasets[i].short_name()))
                    .collect();
                for &i in &cycle {
                    reported.insert(i);
                }
                let first = cycle[0];
                let location =
                    run.envs[cycle[cycle.len() - 1]]
                        .needs
                        .iter()
                        .find_map(|n| match n {
                            Need::Dataset {
                                index, location, ..
                            } if *index == first => location.clone(),
                            _ => None,
                        });
                let location =
                    location.or_else(|| Some(run.pipeline.datasets[first].info.location.clone()));
                out.push(Diagnostic::error(
                    location,
                    format!(
                        "datasets read each other in a cycle: {}; make one of them read a source or another dataset instead",
                        names.join(" → ")
                    ),
                ));
                break;
            }
            path.push(next);
            current = next;
        }
    }
    out
}
