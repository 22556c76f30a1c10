//! Data quality of the last (or the running) update: each expectation's passed and failed
//! rows, with the failed rows one click away.

use leptos::prelude::*;
use protocol::{FlowProgress, RowSource};

use super::TableViewer;
use super::format::{failed_percent, grouped, percent};
use crate::workbench::use_workbench;

/// One expectation of one dataset, as the table lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityRow {
    pub dataset: String,
    pub expectation: String,
    pub action: String,
    pub passed: u64,
    pub failed: u64,
}

impl QualityRow {
    /// Failed rows are kept for `warn` and `drop`; a failed `fail` stopped the update.
    pub fn has_failed_rows(&self) -> bool {
        self.failed > 0 && (self.action == "warn" || self.action == "drop")
    }
}

/// Every expectation of `flows`, in flow order.
pub fn quality_rows<'a>(flows: impl IntoIterator<Item = &'a FlowProgress>) -> Vec<QualityRow> {
    flows
        .into_iter()
        .flat_map(|flow| {
            flow.expectations.iter().map(|e| QualityRow {
                dataset: flow.dataset.clone(),
                expectation: e.name.clone(),
                action: e.action.clone(),
                passed: e.passed,
                failed: e.failed,
            })
        })
        .collect()
}

/// The expectations' outcomes, and a viewer of one expectation's failed rows.
#[component]
pub fn DataQuality() -> impl IntoView {
    let wb = use_workbench();
    let rows = Memo::new(move |_| {
        if let Some(live) = wb.live.get() {
            return (true, quality_rows(live.flows.values()));
        }
        wb.data.with(|d| {
            (
                false,
                // The last update that committed: a failed or cancelled one changed no table,
                // so the metrics that describe the tables are those of the last completed run.
                d.history
                    .iter()
                    .rev()
                    .find(|run| run.outcome == protocol::Outcome::Completed)
                    .map(|run| quality_rows(&run.flows))
                    .unwrap_or_default(),
            )
        })
    });
    let shown: RwSignal<Option<(String, String)>> = RwSignal::new(None);
    let source = Signal::derive(move || {
        shown
            .get()
            .map(|(dataset, expectation)| RowSource::FailedRows {
                dataset,
                expectation,
            })
    });
    let lines = move || {
        rows.get()
            .1
            .into_iter()
            .map(|row| {
                let share = failed_percent(row.passed, row.failed);
                let button = row.has_failed_rows().then(|| {
                    let key = (row.dataset.clone(), row.expectation.clone());
                    let label = format!("Show failed rows of {} in {}", row.expectation, row.dataset);
                    let open = key.clone();
                    view! {
                        <button
                            type="button"
                            aria-label=label
                            aria-pressed=move || shown.with(|s| s.as_ref() == Some(&key)).to_string()
                            on:click=move |_| shown.set(Some(open.clone()))
                        >
                            "Show failed rows"
                        </button>
                    }
                });
                view! {
                    <tr data-testid="expectation-row" class:dq-failing={row.failed > 0}>
                        <td>{row.dataset.clone()}</td>
                        <td>{row.expectation.clone()}</td>
                        <td><span class=format!("dq-action dq-{}", row.action)>{row.action.clone()}</span></td>
                        <td class="tv-num">{grouped(row.passed)}</td>
                        <td class="tv-num">{grouped(row.failed)}</td>
                        <td class="tv-num">
                            <span class="dq-share">{percent(share)}</span>
                            <span class="dq-bar" aria-hidden="true">
                                <span class="dq-bar-fill" style=format!("width: {:.1}%", share.max(if row.failed > 0 { 1.0 } else { 0.0 }))></span>
                            </span>
                        </td>
                        <td>{button}</td>
                    </tr>
                }
            })
            .collect::<Vec<_>>()
    };
    let caption = move || {
        if rows.get().0 {
            "Expectations of the running update (so far)"
        } else {
            "Expectations of the last update"
        }
    };
    view! {
        <div class="data-quality" data-testid="data-quality">
            <Show
                when=move || !rows.with(|r| r.1.is_empty())
                fallback=|| view! { <p class="dq-empty">"No expectation results yet: run the pipeline (expectations are declared with @dp.expect or CONSTRAINT … EXPECT)."</p> }
            >
                <div class="tv-scroll">
                    <table class="tv-table dq-table">
                        <caption>{caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Dataset"</th>
                                <th scope="col">"Expectation"</th>
                                <th scope="col">"Action"</th>
                                <th scope="col" class="tv-num">"Passed"</th>
                                <th scope="col" class="tv-num">"Failed"</th>
                                <th scope="col" class="tv-num">"Failed %"</th>
                                <th scope="col"><span class="visually-hidden">"Failed rows"</span></th>
                            </tr>
                        </thead>
                        <tbody>{lines}</tbody>
                    </table>
                </div>
            </Show>
            <Show when=move || shown.with(Option::is_some)>
                <div class="dq-failed">
                    <h3 class="tv-title">
                        {move || shown.get().map(|(d, e)| format!("Rows of {d} that failed “{e}”"))}
                    </h3>
                    <button type="button" class="dq-close" on:click=move |_| shown.set(None)>"Close failed rows"</button>
                    <TableViewer source=source/>
                </div>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{ExpectationResult, FlowState, NodeKind};

    fn flow(dataset: &str, expectations: &[(&str, &str, u64, u64)]) -> FlowProgress {
        FlowProgress {
            dataset: dataset.into(),
            kind: NodeKind::StreamingTable,
            state: FlowState::Completed,
            rows_written: 0,
            rows_total: 0,
            files_read: 0,
            strategy: None,
            reason: String::new(),
            expectations: expectations
                .iter()
                .map(|&(name, action, passed, failed)| ExpectationResult {
                    name: name.into(),
                    action: action.into(),
                    passed,
                    failed,
                })
                .collect(),
            dropped: 0,
            duration_ms: 0.0,
        }
    }

    #[test]
    fn one_row_per_expectation_and_failed_rows_only_where_kept() {
        let flows = [
            flow(
                "sensor_bronze",
                &[
                    ("valid pressure", "warn", 95, 5),
                    ("valid id", "drop", 10, 0),
                ],
            ),
            flow("gold", &[]),
            flow("inspection_silver", &[("has defect", "fail", 3, 1)]),
        ];
        let rows = quality_rows(&flows);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].dataset, "sensor_bronze");
        assert!(rows[0].has_failed_rows());
        assert!(!rows[1].has_failed_rows(), "nothing failed");
        assert!(!rows[2].has_failed_rows(), "a failed `fail` keeps no rows");
    }
}
