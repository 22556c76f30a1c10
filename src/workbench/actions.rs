//! What the learner can do in the workbench, each as a method that talks to the engine and
//! updates the signals (files in `file_actions.rs`, data in `data_actions.rs`). Every failure
//! ends as a [`Notice`] sentence; nothing panics.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{FullRefresh, Reply, Request, RunKind, RunRecord};

use super::files::Workspace;
use super::{LiveRun, Notice, Workbench, storage};
use crate::engine::{Engine, EngineStatus, tab_lock};

pub(super) fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Workbench {
    pub(super) fn engine(&self) -> Engine {
        self.engine.get_value()
    }

    /// Start the engine after the first paint, and read the saved files.
    pub(super) fn start(self) {
        let engine = self.engine();
        engine.on_ready(move |data| {
            self.data.set(data);
            self.tables_changed.update(|n| *n += 1);
            self.volume_changed.update(|n| *n += 1);
        });
        spawn_local(async move {
            // The engine and the saved files belong to one tab at a time.
            let status = engine.status;
            tab_lock::hold(|| status.set(EngineStatus::OtherTab)).await;
            if status.get_untracked() == EngineStatus::OtherTab {
                status.set(EngineStatus::Starting);
            }
            // Once the lesson is shown (its text fetched), after the next paint: the engine's
            // download never delays the lesson.
            crate::interactive::then(move || request_animation_frame(move || engine.start()));
            match storage::load().await {
                Ok(Some(text)) => match Workspace::from_saved(&text) {
                    Ok(ws) => self.workspace.set(ws),
                    // Kept aside and offered as a download before anything is saved over it.
                    Err(sentence) => crate::offline::unreadable_saved_files(text, sentence).await,
                },
                Ok(None) => {}
                Err(e) => self.say_error(format!(
                    "Your files cannot be saved in this browser ({e}); they last only as long as this page."
                )),
            }
            self.loaded.set(true);
            self.validate_now();
        });
    }

    pub(super) fn say_error(&self, text: String) {
        self.notice.set(Some(Notice { error: true, text }));
    }

    pub(super) fn say(&self, text: String) {
        self.notice.set(Some(Notice { error: false, text }));
    }

    /// Validate the files now.
    pub fn validate_now(&self) {
        let me = *self;
        let project = self.workspace.with_untracked(Workspace::project);
        let target = self.target.get_untracked();
        spawn_local(async move {
            match me
                .engine()
                .call(Request::Validate { project, target }, None, None)
                .await
            {
                Ok((Reply::Validation(v), _)) => me.validation.set(Some(v)),
                Ok(_) => {}
                // A cancelled or restarted engine answers later validations; stay quiet.
                Err(_) => {}
            }
        });
    }

    /// Whether the last validation found errors (Run refuses then).
    pub fn has_errors(&self) -> bool {
        self.validation.with(|v| {
            v.as_ref().is_some_and(|v| {
                v.problems
                    .iter()
                    .any(|p| p.severity == protocol::Severity::Error)
            })
        })
    }

    /// Run an update (or a full refresh). Refuses while the project has errors.
    pub fn run(&self, full_refresh: FullRefresh) {
        if self.is_busy() {
            return;
        }
        if self.has_errors() {
            self.say_error(
                "The project has problems (see Problems): fix them, then run again.".into(),
            );
            return;
        }
        let kind = match &full_refresh {
            FullRefresh::None => RunKind::Update,
            FullRefresh::All => RunKind::FullRefreshAll,
            FullRefresh::Tables(t) => RunKind::FullRefresh(t.clone()),
        };
        let started_at_ms = now_ms();
        self.live.set(Some(LiveRun {
            kind,
            started_at_ms,
            flows: Default::default(),
        }));
        self.notice.set(None);
        let me = *self;
        let progress: crate::engine::Progress = Rc::new(move |p: protocol::FlowProgress| {
            me.live.update(|live| {
                if let Some(live) = live {
                    live.flows.insert(p.dataset.clone(), p);
                }
            });
        });
        let request = Request::Update {
            project: self.workspace.with_untracked(Workspace::project),
            target: self.target.get_untracked(),
            full_refresh,
            started_at_ms,
        };
        spawn_local(async move {
            let answer = me.engine().call(request, None, Some(progress)).await;
            // A cancelled run was already closed by `cancel`.
            if me
                .live
                .with_untracked(|l| l.as_ref().map(|l| l.started_at_ms))
                != Some(started_at_ms)
            {
                return;
            }
            me.live.set(None);
            match answer {
                Ok((Reply::Updated { run, data }, _)) => {
                    me.announce(&run);
                    me.data.set(data);
                    me.tables_changed.update(|n| *n += 1);
                    // Once the dashboard or the alert was shown, both follow every update (the
                    // alert is evaluated as a scheduled alert would be).
                    if run.outcome == protocol::Outcome::Completed
                        && me.serving.view.with_untracked(Option::is_some)
                    {
                        me.refresh_dashboard(&format!("Update {}", run.number));
                    }
                }
                Ok(_) => {}
                Err(problem) => me.say_error(problem.sentence()),
            }
        });
    }

    fn announce(&self, run: &RunRecord) {
        match &run.outcome {
            protocol::Outcome::Completed => self.say(format!(
                "Update {} completed in {:.0} ms.",
                run.number, run.duration_ms
            )),
            protocol::Outcome::Failed { problem, .. } => self.say_error(format!(
                "Update {} failed; every table is as it was. {}",
                run.number,
                problem.sentence()
            )),
            protocol::Outcome::Cancelled => {}
        }
    }

    /// Stop the running update at once: every table stays at its previous version.
    pub fn cancel(&self) {
        let Some(live) = self.live.get_untracked() else {
            return;
        };
        self.live.set(None);
        self.busy.set(None);
        let engine = self.engine();
        engine.cancel();
        self.say("Cancelled: every table is as it was before the update.".into());
        let me = *self;
        let request = Request::RecordCancelled {
            kind: live.kind,
            target: self.target.get_untracked(),
            started_at_ms: live.started_at_ms,
            duration_ms: now_ms() - live.started_at_ms,
        };
        spawn_local(async move {
            if let Ok((Reply::Data(data), _)) = engine.call(request, None, None).await {
                me.data.set(data);
                me.tables_changed.update(|n| *n += 1);
            }
            me.validate_now();
        });
    }
}
