//! The dashboard, the alert and the module-3 pictures: what the page asked the engine last,
//! the filters and the simulated clock the learner set, and the alert's evaluations.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{
    AlertState, DashboardView, FilterChoice, Problem, Reply, Request, SeriesQuery, SeriesView,
};

use super::{Workbench, Workspace, now_ms};

/// One evaluation of the alert, as its history lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertEvaluation {
    /// When it was evaluated (the real clock), ms since the epoch.
    pub at_ms: f64,
    /// The simulated "now" it was evaluated at.
    pub now_ms: f64,
    /// What the query gave.
    pub value: Option<String>,
    /// The outcome.
    pub state: AlertState,
    /// Whether it was muted (a triggered, muted alert notifies nobody).
    pub muted: bool,
    /// What started it ("Refresh", "Update 3").
    pub cause: String,
}

/// The serving side of the workbench.
#[derive(Clone, Copy)]
pub struct Serving {
    /// The last dashboard the engine computed, or why it could not.
    pub view: RwSignal<Option<Result<DashboardView, Problem>>>,
    /// Whether a refresh is running.
    pub refreshing: RwSignal<bool>,
    /// The filters' chosen values.
    pub filters: RwSignal<Vec<FilterChoice>>,
    /// The simulated clock, ms since the epoch (`None`: the real time, as on Databricks).
    pub clock: RwSignal<Option<f64>>,
    /// Every evaluation of the alert in this page, oldest first.
    pub history: RwSignal<Vec<AlertEvaluation>>,
    /// Bumped by each refresh, so an older answer never replaces a newer one.
    generation: StoredValue<u64>,
}

impl Serving {
    pub(super) fn new() -> Serving {
        Serving {
            view: RwSignal::new(None),
            refreshing: RwSignal::new(false),
            filters: RwSignal::new(Vec::new()),
            clock: RwSignal::new(None),
            history: RwSignal::new(Vec::new()),
            generation: StoredValue::new(0),
        }
    }
}

impl Workbench {
    /// Recompute the dashboard and evaluate the alert (the learner's files, target, filters
    /// and simulated clock as they are now); `cause` names it in the alert's history.
    pub fn refresh_dashboard(&self, cause: &str) {
        let serving = self.serving;
        serving.generation.update_value(|g| *g += 1);
        let generation = serving.generation.get_value();
        let now = serving.clock.get_untracked().unwrap_or_else(now_ms);
        let request = Request::Dashboard {
            project: self.workspace.with_untracked(Workspace::project),
            target: self.target.get_untracked(),
            filters: serving.filters.get_untracked(),
            now_ms: now,
        };
        serving.refreshing.set(true);
        let me = *self;
        let cause = cause.to_string();
        spawn_local(async move {
            let answer = me.engine().call(request, None, None).await;
            if serving.generation.try_get_value() != Some(generation) {
                return;
            }
            serving.refreshing.set(false);
            let view = match answer {
                Ok((Reply::Dashboard(view), _)) => Ok(view),
                Ok(_) => Err(Problem::error("The engine answered something unexpected.")),
                Err(p) => Err(p),
            };
            if let Ok(Some(alert)) = view.as_ref().map(|v| v.alert.as_ref()) {
                serving.history.update(|h| {
                    h.push(AlertEvaluation {
                        at_ms: now_ms(),
                        now_ms: alert.now_ms,
                        value: alert.value.clone(),
                        state: alert.state,
                        muted: alert.muted,
                        cause,
                    })
                });
            }
            serving.view.set(Some(view));
        });
    }

    /// Choose `values` in the filter widget `widget`, and refresh.
    pub fn choose_filter(&self, widget: &str, values: Vec<String>) {
        self.serving.filters.update(|filters| {
            filters.retain(|f| f.widget != widget);
            if !values.is_empty() {
                filters.push(FilterChoice {
                    widget: widget.to_string(),
                    values,
                });
            }
        });
        self.refresh_dashboard("Filter");
    }

    /// The module-3 pictures' data.
    pub async fn series(&self, query: SeriesQuery) -> Result<SeriesView, Problem> {
        let request = Request::Series {
            project: self.workspace.with_untracked(Workspace::project),
            target: self.target.get_untracked(),
            query,
        };
        match self.engine().call(request, None, None).await? {
            (Reply::Series(view), _) => Ok(view),
            _ => Err(Problem::error("The engine answered something unexpected.")),
        }
    }
}
