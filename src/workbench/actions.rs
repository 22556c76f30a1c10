//! What the learner can do in the workbench, each as a method that talks to the engine and
//! updates the signals. Every failure ends as a [`Notice`] sentence; nothing panics.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{
    DataSummary, DownloadFormat, FullRefresh, GeneratorSettings, Problem, Reply, Request, RowPage,
    RowSource, RunKind, RunRecord, SortBy, Variant, VolumeListing,
};

use super::files::{FILES_FORMAT, Workspace};
use super::{LiveRun, Notice, Workbench, storage};
use crate::engine::Engine;

/// Validation waits this long after the last keystroke: long enough not to run on every
/// key, short enough that problems appear while the learner still looks at the line.
const VALIDATE_AFTER_MS: u32 = 400;
/// Saving the files waits this long after the last edit.
const SAVE_AFTER_MS: u32 = 300;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Workbench {
    fn engine(&self) -> Engine {
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
        // Two animation frames: the first runs before the lesson is painted, the second after.
        let start = move || {
            let engine = engine.clone();
            request_animation_frame(move || engine.start());
        };
        request_animation_frame(start);
        spawn_local(async move {
            match storage::load().await {
                Ok(Some(text)) => match serde_json::from_str::<Workspace>(&text) {
                    Ok(ws) if ws.format == FILES_FORMAT => self.workspace.set(ws),
                    Ok(ws) => self.say_error(format!(
                        "Your saved files are in format {} and this workbook reads format {FILES_FORMAT}; the published project is shown instead, and your saved copy is kept untouched.",
                        ws.format
                    )),
                    Err(e) => self.say_error(format!(
                        "Your saved files could not be read ({e}); the published project is shown instead."
                    )),
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

    fn say(&self, text: String) {
        self.notice.set(Some(Notice { error: false, text }));
    }

    // ----- files -----

    /// Replace a file's text (every keystroke): saved and validated shortly after.
    pub fn edit(&self, path: &str, text: String) {
        self.workspace.update(|ws| {
            ws.files.insert(path.to_string(), text);
        });
        self.after_edit();
    }

    fn after_edit(&self) {
        self.edits.update(|n| *n += 1);
        let generation = self.edits.get_untracked();
        let me = *self;
        set_timeout(
            move || {
                if me.edits.get_untracked() == generation {
                    me.save_now();
                }
            },
            std::time::Duration::from_millis(u64::from(SAVE_AFTER_MS)),
        );
        set_timeout(
            move || {
                if me.edits.get_untracked() == generation {
                    me.validate_now();
                }
            },
            std::time::Duration::from_millis(u64::from(VALIDATE_AFTER_MS)),
        );
    }

    /// Save the files now (Ctrl/Cmd-S).
    pub fn save_now(&self) {
        let text = self.workspace.with_untracked(serde_json::to_string);
        let me = *self;
        spawn_local(async move {
            let result = match text {
                Ok(text) => storage::save(&text).await,
                Err(e) => Err(e.to_string()),
            };
            if let Err(e) = result {
                me.say_error(format!("Your files could not be saved: {e}."));
            }
        });
    }

    /// Add an empty file (or one with `text`); an error sentence when the path is unusable.
    pub fn add_file(&self, path: &str, text: &str) -> Result<String, String> {
        let path = self.workspace.with_untracked(|ws| ws.check_path(path))?;
        self.workspace.update(|ws| {
            ws.files.insert(path.clone(), text.to_string());
        });
        self.open_file.set(Some(path.clone()));
        self.after_edit();
        Ok(path)
    }

    /// Rename a file; an error sentence when the new path is unusable.
    pub fn rename_file(&self, from: &str, to: &str) -> Result<String, String> {
        let to = self.workspace.with_untracked(|ws| ws.check_path(to))?;
        self.workspace.update(|ws| {
            if let Some(text) = ws.files.remove(from) {
                ws.files.insert(to.clone(), text);
            }
        });
        if self.open_file.get_untracked().as_deref() == Some(from) {
            self.open_file.set(Some(to.clone()));
        }
        self.after_edit();
        Ok(to)
    }

    /// Delete a file (a published one comes back with "Reset file").
    pub fn delete_file(&self, path: &str) {
        self.workspace.update(|ws| {
            ws.files.remove(path);
        });
        if self.open_file.get_untracked().as_deref() == Some(path) {
            self.open_file.set(None);
        }
        self.after_edit();
    }

    /// Restore one file to the published text.
    pub fn reset_file(&self, path: &str) {
        self.workspace.update(|ws| {
            ws.reset_file(path);
        });
        self.after_edit();
        self.say(format!("{path} is back to the published version."));
    }

    /// Restore the whole project to the published files of `variant` (data and tables stay).
    pub fn reset_project(&self, variant: Variant) {
        self.workspace.set(Workspace::published(variant));
        self.open_file.set(None);
        self.after_edit();
        self.say(format!(
            "The project is back to the published {} version.",
            match variant {
                Variant::Python => "Python",
                Variant::Sql => "SQL",
            }
        ));
    }

    // ----- validation and runs -----

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

    // ----- data -----

    async fn data_task(&self, label: &str, request: Request) -> Result<DataSummary, Problem> {
        self.busy.set(Some(label.to_string()));
        let answer = self.engine().call(request, None, None).await;
        self.busy.set(None);
        match answer {
            Ok((Reply::Data(data), _)) => {
                self.data.set(data.clone());
                self.volume_changed.update(|n| *n += 1);
                self.tables_changed.update(|n| *n += 1);
                Ok(data)
            }
            Ok(_) => Err(Problem::error("The engine answered something unexpected.")),
            Err(p) => Err(p),
        }
    }

    /// The landing volume of the current target: `(catalog, schema)` from the graph.
    fn landing(&self) -> (String, String) {
        self.validation
            .with_untracked(|v| {
                v.as_ref().and_then(|v| {
                    v.graph
                        .schema
                        .split_once('.')
                        .map(|(c, s)| (c.to_string(), s.to_string()))
                })
            })
            .unwrap_or_else(|| ("default".into(), "iot_anomaly_detection".into()))
    }

    /// Generate the initial load and land it in the volume.
    pub fn generate(&self, settings: GeneratorSettings) {
        if self.is_busy() {
            return;
        }
        let (catalog, schema) = self.landing();
        let me = *self;
        spawn_local(async move {
            let request = Request::Generate {
                settings,
                catalog,
                schema,
            };
            match me.data_task("Generating data…", request).await {
                Ok(data) => me.say(format!(
                    "Generated {} files ({:.1} MB) with seed {}.",
                    data.files,
                    data.bytes as f64 / 1e6,
                    settings.seed
                )),
                Err(p) => me.say_error(p.sentence()),
            }
        });
    }

    /// Land the next increment (January 2024 and on).
    pub fn land_more(&self) {
        if self.is_busy() {
            return;
        }
        let me = *self;
        spawn_local(async move {
            match me.data_task("Landing more data…", Request::LandMore).await {
                Ok(data) => me.say(format!(
                    "Landed increment {}: the volume now holds {} files.",
                    data.increments, data.files
                )),
                Err(p) => me.say_error(p.sentence()),
            }
        });
    }

    /// Forget every table and run (files stay).
    pub fn reset_tables(&self) {
        let me = *self;
        spawn_local(async move {
            match me
                .data_task("Resetting tables…", Request::ResetTables)
                .await
            {
                Ok(_) => me.say("Every table, checkpoint and run is gone; the files stay.".into()),
                Err(p) => me.say_error(p.sentence()),
            }
        });
    }

    /// One page of rows.
    pub async fn rows(
        &self,
        source: RowSource,
        offset: usize,
        limit: usize,
        sort: Option<SortBy>,
    ) -> Result<RowPage, Problem> {
        let request = Request::Rows {
            source,
            offset,
            limit,
            sort,
        };
        match self.engine().call(request, None, None).await? {
            (Reply::Rows(page), _) => Ok(page),
            _ => Err(Problem::error("The engine answered something unexpected.")),
        }
    }

    /// The volume's files.
    pub async fn list_volume(&self) -> Result<VolumeListing, Problem> {
        volume_listing(self.engine().call(Request::ListVolume, None, None).await?)
    }

    /// Add a file to a landing folder.
    pub async fn upload(
        &self,
        folder: String,
        name: String,
        bytes: Vec<u8>,
    ) -> Result<VolumeListing, Problem> {
        let answer = self
            .engine()
            .call(Request::Upload { folder, name }, Some(bytes), None)
            .await?;
        self.volume_changed.update(|n| *n += 1);
        self.refresh_data();
        volume_listing(answer)
    }

    /// Remove a file from the volume.
    pub async fn delete_volume_file(&self, path: String) -> Result<VolumeListing, Problem> {
        let answer = self
            .engine()
            .call(Request::DeleteFile { path }, None, None)
            .await?;
        self.volume_changed.update(|n| *n += 1);
        self.refresh_data();
        volume_listing(answer)
    }

    fn refresh_data(&self) {
        let me = *self;
        spawn_local(async move {
            if let Ok((Reply::Data(data), _)) = me.engine().call(Request::Data, None, None).await {
                me.data.set(data);
            }
        });
    }

    /// Save rows as a CSV or Parquet file through the browser's download.
    pub fn download(&self, source: RowSource, format: DownloadFormat) {
        let me = *self;
        spawn_local(async move {
            match me
                .engine()
                .call(Request::Download { source, format }, None, None)
                .await
            {
                Ok((Reply::File { name, mime }, Some(bytes))) => {
                    if let Err(e) = crate::download::save_bytes(&name, &mime, &bytes) {
                        me.say_error(format!("The download could not start: {e}."));
                    }
                }
                Ok(_) => me.say_error("The engine sent no file.".into()),
                Err(p) => me.say_error(p.sentence()),
            }
        });
    }
}

/// The listing a volume request answers with.
fn volume_listing(answer: (Reply, Option<Vec<u8>>)) -> Result<VolumeListing, Problem> {
    match answer {
        (Reply::Volume(listing), _) => Ok(listing),
        _ => Err(Problem::error("The engine answered something unexpected.")),
    }
}
