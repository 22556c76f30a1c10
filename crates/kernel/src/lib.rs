//! The engine side of the page↔worker protocol ([`protocol`]): a [`Kernel`] holds a
//! workspace's volume, pipeline state and run history, answers each [`protocol::Request`] with
//! a [`protocol::Reply`], and says which files to write to (and delete from) the browser's
//! storage so that the workspace survives a reload.
//!
//! The crate has no web dependency: a thin Web Worker glue decodes messages, calls
//! [`Kernel::handle`], applies [`Outgoing::store`] to the Origin Private File System in order,
//! then posts [`Outgoing::reply`] (and [`Outgoing::bytes`] beside it).
//!
//! # Examples
//! ```
//! use std::collections::BTreeMap;
//! use kernel::{Host, Kernel};
//! use protocol::{Reply, Request};
//! let host = Host { now_ms: Box::new(|| 1_700_000_000_000.0) };
//! let (mut kernel, cleanup) = Kernel::restore(host, BTreeMap::new());
//! assert!(cleanup.is_empty());
//! let out = kernel.handle(Request::LandMore, None, Box::new(|_| {}));
//! assert!(matches!(out.reply, Reply::Error(_)));
//! ```

mod check;
mod data;
mod download;
mod materialized;
mod preview;
mod project;
mod rows;
mod run;
mod series;
mod serving;
mod sources;
mod store;

use std::collections::BTreeMap;
use std::rc::Rc;

use arrow::array::RecordBatch;
use pipeline::state::State;
use pipeline::volume::MemoryVolume;
use protocol::{
    DataSummary, FileOrigin, FlowProgress, GeneratorSettings, Problem, Reply, Request, RunRecord,
    StorageReport,
};

/// What the kernel needs from its surroundings.
pub struct Host {
    /// Wall clock, milliseconds since the epoch (Date.now() in the browser, SystemTime natively).
    pub now_ms: Box<dyn Fn() -> f64>,
}

/// One change to the storage directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreOp {
    /// Write (or replace) a file.
    Put {
        /// Path relative to the storage directory (`workspace.json`, `tables/...`).
        path: String,
        /// Its content.
        bytes: Vec<u8>,
    },
    /// Remove a file (missing files are fine).
    Delete {
        /// Path relative to the storage directory.
        path: String,
    },
}

/// The answer to one request.
#[derive(Debug)]
pub struct Outgoing {
    /// The reply to post.
    pub reply: protocol::Reply,
    /// File bytes that travel beside the reply (Reply::File).
    pub bytes: Option<Vec<u8>>,
    /// Storage operations to apply IN ORDER before the reply is posted (the last Put of a
    /// commit is the manifest).
    pub store: Vec<StoreOp>,
}

impl Outgoing {
    fn reply(reply: Reply) -> Outgoing {
        Outgoing {
            reply,
            bytes: None,
            store: Vec::new(),
        }
    }

    fn error(problem: Problem) -> Outgoing {
        Outgoing::reply(Reply::Error(problem))
    }
}

/// Where the generator landed its files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Landing {
    pub catalog: String,
    pub schema: String,
}

/// One workspace: its volume, pipeline state, history and what is saved of them.
pub struct Kernel {
    now_ms: Rc<dyn Fn() -> f64>,
    state: State,
    volume: MemoryVolume,
    /// Every volume file and where it came from.
    origins: BTreeMap<String, FileOrigin>,
    generated: Option<GeneratorSettings>,
    landing: Option<Landing>,
    increments: u32,
    history: Vec<RunRecord>,
    /// Failing rows of each dataset's last run: short name → `(expectation, rows)`.
    samples: BTreeMap<String, Vec<(String, RecordBatch)>>,
    /// Bumped whenever `samples` changes (saving rewrites them only then).
    samples_version: u64,
    /// `(catalog, schema)` of the last target run or validated: where short names resolve.
    current_schema: Option<(String, String)>,
    /// Bumped by every change of tables or files (keys the row cache).
    data_version: u64,
    cache: Option<rows::Cached>,
    store: store::Saved,
    storage_message: Option<String>,
}

impl Kernel {
    /// Restore from every file of the storage directory (path -> bytes; empty map = new workspace).
    /// Never fails: unreadable/corrupt/unknown-format data gives an empty workspace plus a message in
    /// DataSummary.storage.message (a sentence for the learner), and the ops to clean up leftovers.
    /// Data saved by an earlier version (an older manifest format) also starts empty: the
    /// learner's project files are kept by the page separately, so only the data is made again.
    pub fn restore(host: Host, saved: BTreeMap<String, Vec<u8>>) -> (Kernel, Vec<StoreOp>) {
        let mut kernel = Kernel {
            now_ms: Rc::from(host.now_ms),
            state: State::new(),
            volume: MemoryVolume::new(),
            origins: BTreeMap::new(),
            generated: None,
            landing: None,
            increments: 0,
            history: Vec::new(),
            samples: BTreeMap::new(),
            samples_version: 0,
            current_schema: None,
            data_version: 0,
            cache: None,
            store: store::Saved::default(),
            storage_message: None,
        };
        let ops = store::restore(&mut kernel, saved);
        (kernel, ops)
    }

    /// The state of the data, for `Reply::Ready` and `Reply::Data`.
    pub fn summary(&self) -> DataSummary {
        let files = self.volume_listing();
        DataSummary {
            generated: self.generated,
            landing: self
                .landing
                .as_ref()
                .map(|l| format!("/Volumes/{}/{}", l.catalog, l.schema)),
            increments: self.increments,
            files: files.files.len() as u64,
            bytes: files.files.iter().map(|f| f.size).sum(),
            tables: data::table_summaries(&self.state),
            history: self.history.clone(),
            storage: StorageReport {
                persistent: true,
                bytes: self.store.total_bytes(),
                message: self.storage_message.clone(),
            },
        }
    }

    /// Handle one request. `bytes` = upload contents. `progress` is called while an update runs
    /// (FlowProgress with state Running when a flow starts, Completed/Failed when it ends).
    pub fn handle(
        &mut self,
        request: Request,
        bytes: Option<Vec<u8>>,
        progress: Box<dyn FnMut(FlowProgress)>,
    ) -> Outgoing {
        match request {
            Request::Validate { project, target } => {
                let validation = project::validate(self, &project, target);
                Outgoing::reply(Reply::Validation(validation))
            }
            Request::Update {
                project,
                target,
                full_refresh,
                started_at_ms,
            } => run::update(
                self,
                &project,
                target,
                full_refresh,
                started_at_ms,
                progress,
            ),
            Request::RecordCancelled {
                kind,
                target,
                started_at_ms,
                duration_ms,
            } => {
                run::record_cancelled(self, kind, target, started_at_ms, duration_ms);
                self.commit_with(|k| Reply::Data(k.summary()))
            }
            Request::Generate {
                settings,
                catalog,
                schema,
            } => match data::generate(self, settings, &catalog, &schema) {
                Ok(()) => self.commit_with(|k| Reply::Data(k.summary())),
                Err(problem) => Outgoing::error(problem),
            },
            Request::LandMore => match data::land_more(self) {
                Ok(()) => self.commit_with(|k| Reply::Data(k.summary())),
                Err(problem) => Outgoing::error(problem),
            },
            Request::Data => Outgoing::reply(Reply::Data(self.summary())),
            Request::ResetTables => {
                self.state = State::new();
                self.history.clear();
                self.samples.clear();
                self.samples_version += 1;
                self.changed();
                self.commit_with(|k| Reply::Data(k.summary()))
            }
            Request::ResetData => {
                self.clear_data();
                self.changed();
                self.commit_with(|k| Reply::Data(k.summary()))
            }
            Request::ListVolume => Outgoing::reply(Reply::Volume(self.volume_listing())),
            Request::Upload {
                folder,
                name,
                decoded,
            } => match data::upload(self, &folder, &name, bytes.unwrap_or_default(), decoded) {
                Ok(()) => self.commit_with(|k| Reply::Volume(k.volume_listing())),
                Err(problem) => Outgoing::error(problem),
            },
            Request::DeleteFile { path } => match data::delete_file(self, &path) {
                Ok(()) => self.commit_with(|k| Reply::Volume(k.volume_listing())),
                Err(problem) => Outgoing::error(problem),
            },
            Request::Rows {
                source,
                offset,
                limit,
                sort,
            } => match rows::page(self, source, offset, limit, sort) {
                Ok(page) => Outgoing::reply(Reply::Rows(page)),
                Err(problem) => Outgoing::error(problem),
            },
            Request::Download { source, format } => match rows::download(self, source, format) {
                Ok((name, mime, bytes)) => Outgoing {
                    reply: Reply::File { name, mime },
                    bytes: Some(bytes),
                    store: Vec::new(),
                },
                Err(problem) => Outgoing::error(problem),
            },
            Request::Dashboard {
                project,
                target,
                filters,
                now_ms,
            } => match serving::dashboard(self, &project, target, &filters, now_ms) {
                Ok(view) => Outgoing::reply(Reply::Dashboard(view)),
                Err(problem) => Outgoing::error(problem),
            },
            Request::Series {
                project,
                target,
                query,
            } => match series::series(self, &project, target, &query) {
                Ok(view) => Outgoing::reply(Reply::Series(view)),
                Err(problem) => Outgoing::error(problem),
            },
            Request::Check {
                project,
                check,
                seed,
            } => Outgoing::reply(Reply::Checked(check::check(self, &project, &check, seed))),
            Request::Export {
                project,
                target,
                format,
            } => match download::export(&project, target, format) {
                Ok((exported, bytes)) => Outgoing {
                    reply: Reply::Exported(exported),
                    bytes: Some(bytes),
                    store: Vec::new(),
                },
                Err(problem) => Outgoing::error(problem),
            },
        }
    }

    /// Forget every file, table and run (what is saved stays until the next commit).
    fn clear_data(&mut self) {
        self.state = State::new();
        self.history.clear();
        self.samples.clear();
        self.samples_version += 1;
        self.volume = MemoryVolume::new();
        self.origins.clear();
        self.generated = None;
        self.landing = None;
        self.increments = 0;
        self.current_schema = None;
    }

    /// Tables or files changed: cached rows are stale.
    fn changed(&mut self) {
        self.data_version += 1;
        self.cache = None;
    }

    /// Save the workspace, then answer with `reply`; a failed save is reported in the
    /// summary's storage message and the reply still goes out (the data is in memory).
    fn commit_with(&mut self, reply: impl FnOnce(&Kernel) -> Reply) -> Outgoing {
        let store = self.commit();
        Outgoing {
            reply: reply(self),
            bytes: None,
            store,
        }
    }

    fn commit(&mut self) -> Vec<StoreOp> {
        match store::commit(self) {
            Ok(ops) => {
                self.storage_message = None;
                ops
            }
            Err(message) => {
                self.storage_message = Some(message);
                Vec::new()
            }
        }
    }

    fn volume_listing(&self) -> protocol::VolumeListing {
        data::listing(self)
    }
}
