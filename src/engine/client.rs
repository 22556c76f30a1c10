//! Starting the worker, matching replies to requests, and cancelling by restart.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use leptos::prelude::*;
use protocol::{FlowProgress, FromWorker, PROTOCOL_VERSION, Problem, Reply, Request, ToWorker};
use wasm_bindgen::JsCast;
use web_sys::Worker;

use super::listen::{Listeners, listen};
use super::wire;

/// The loader Trunk writes for the worker binary (`data-loader-shim`): it imports the
/// wasm-bindgen glue and starts the module. Relative, so it resolves against the page's
/// `<base>` on every route and under any folder of a static host.
const WORKER_URL: &str = "engine_worker_loader.js";

/// Where the engine is.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineStatus {
    /// Another tab holds the workbook; this one starts when that one closes.
    OtherTab,
    /// The worker's module is being fetched and started.
    Starting,
    /// Ready for requests.
    Ready,
    /// An update was cancelled: a fresh worker is restoring the last committed state.
    Restarting,
    /// The engine could not start; the sentence says why.
    Failed(String),
}

/// Called with each flow's progress while an update runs.
pub type Progress = Rc<dyn Fn(FlowProgress)>;

type Answer = Result<(Reply, Option<Vec<u8>>), Problem>;

/// Told the restored data each time a worker becomes ready.
type ReadyHandler = Rc<RefCell<Option<Rc<dyn Fn(protocol::DataSummary)>>>>;

struct Pending {
    answer: oneshot::Sender<Answer>,
    progress: Option<Progress>,
}

struct Inner {
    worker: Option<Worker>,
    /// Kept alive as long as the worker it listens to.
    listeners: Listeners,
    next_id: u64,
    pending: HashMap<u64, Pending>,
    /// Requests sent before the worker said it is ready, posted once it is.
    queued: Vec<(u64, String, Option<Vec<u8>>)>,
    ready: bool,
}

/// The page's handle on the engine worker. Cheap to clone; every clone talks to the same worker.
#[derive(Clone)]
pub struct Engine {
    inner: Rc<RefCell<Inner>>,
    /// Where the engine is, for the page to show.
    pub status: RwSignal<EngineStatus>,
    /// Milliseconds from navigation to the first `Ready` (for the budget test and the footer).
    pub ready_ms: RwSignal<Option<f64>>,
    /// Called with the data summary every time a worker becomes ready (first start and after
    /// each restart), so the page shows what was restored.
    on_ready: ReadyHandler,
}

impl Engine {
    /// A handle with no worker yet; [`Engine::start`] fetches and starts it.
    pub fn new() -> Engine {
        Engine {
            inner: Rc::new(RefCell::new(Inner {
                worker: None,
                listeners: Vec::new(),
                next_id: 1,
                pending: HashMap::new(),
                queued: Vec::new(),
                ready: false,
            })),
            status: RwSignal::new(EngineStatus::Starting),
            ready_ms: RwSignal::new(None),
            on_ready: Rc::new(RefCell::new(None)),
        }
    }

    /// Call `f` with the restored data whenever a worker becomes ready.
    pub fn on_ready(&self, f: impl Fn(protocol::DataSummary) + 'static) {
        *self.on_ready.borrow_mut() = Some(Rc::new(f));
    }

    /// Fetch and start the worker (idempotent).
    pub fn start(&self) {
        if self.inner.borrow().worker.is_some() {
            return;
        }
        match Worker::new(WORKER_URL) {
            Ok(worker) => self.attach(worker),
            Err(e) => self.status.set(EngineStatus::Failed(format!(
                "The engine could not start: {}",
                js_message(&e)
            ))),
        }
    }

    fn attach(&self, worker: Worker) {
        let (me, failed) = (self.clone(), self.clone());
        let listeners = listen(
            &worker,
            move |data| me.receive(data),
            "the engine's module failed to load",
            move |detail| {
                failed.fail(format!(
                    "The engine stopped: {detail}. Reload the page to start it again."
                ))
            },
        );
        let mut inner = self.inner.borrow_mut();
        inner.worker = Some(worker);
        inner.listeners = listeners;
        inner.ready = false;
    }

    fn fail(&self, sentence: String) {
        let pending: Vec<Pending> = {
            let mut inner = self.inner.borrow_mut();
            inner.queued.clear();
            inner.pending.drain().map(|(_, p)| p).collect()
        };
        for p in pending {
            let _ = p.answer.send(Err(Problem::error(sentence.clone())));
        }
        self.status.set(EngineStatus::Failed(sentence));
    }

    fn receive(&self, data: &wasm_bindgen::JsValue) {
        let Some((json, bytes)) = wire::unpack(data) else {
            return;
        };
        let message: FromWorker = match protocol::decode(&json) {
            Ok(m) => m,
            Err(e) => {
                return self.fail(format!(
                    "The engine sent a message the page cannot read ({e}). Reload the page."
                ));
            }
        };
        match message.reply {
            Reply::Ready { protocol, data } => self.ready(protocol, data),
            Reply::Progress(progress) => {
                let handler = self
                    .inner
                    .borrow()
                    .pending
                    .get(&message.id)
                    .and_then(|p| p.progress.clone());
                if let Some(handler) = handler {
                    handler(progress);
                }
            }
            reply => {
                let pending = self.inner.borrow_mut().pending.remove(&message.id);
                if let Some(pending) = pending {
                    let answer = match reply {
                        Reply::Error(problem) => Err(problem),
                        reply => Ok((reply, bytes)),
                    };
                    let _ = pending.answer.send(answer);
                }
            }
        }
    }

    fn ready(&self, version: u32, data: protocol::DataSummary) {
        if version != PROTOCOL_VERSION {
            return self.fail(format!(
                "The engine speaks protocol {version}, the page {PROTOCOL_VERSION}: the site holds files of two versions. Reload the page."
            ));
        }
        let queued = {
            let mut inner = self.inner.borrow_mut();
            inner.ready = true;
            std::mem::take(&mut inner.queued)
        };
        for (_, json, bytes) in queued {
            self.post(&json, bytes.as_deref());
        }
        if self.ready_ms.get_untracked().is_none() {
            let now = window().performance().map(|p| p.now()).unwrap_or_default();
            self.ready_ms.set(Some(now));
            // For the page-budget test: when the engine first answered, from navigation.
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-engine-ready-ms", &format!("{now:.0}"));
            }
        }
        self.status.set(EngineStatus::Ready);
        let callback = self.on_ready.borrow().clone();
        if let Some(callback) = callback {
            callback(data);
        }
    }

    fn post(&self, json: &str, bytes: Option<&[u8]>) {
        let (message, transfer) = wire::pack(json, bytes);
        let worker = self.inner.borrow().worker.clone();
        if let Some(worker) = worker
            && let Err(e) = worker.post_message_with_transfer(&message, &transfer)
        {
            self.fail(format!(
                "The page could not reach the engine: {}",
                js_message(&e)
            ));
        }
    }

    /// Send `request` (with file `bytes` beside it) and wait for its answer; `progress` hears
    /// each flow of an update. A [`Reply::Error`] comes back as `Err`.
    pub async fn call(
        &self,
        request: Request,
        bytes: Option<Vec<u8>>,
        progress: Option<Progress>,
    ) -> Result<(Reply, Option<Vec<u8>>), Problem> {
        if let EngineStatus::Failed(sentence) = self.status.get_untracked() {
            return Err(Problem::error(sentence));
        }
        self.start();
        let (sender, receiver) = oneshot::channel();
        let (id, json, ready) = {
            let mut inner = self.inner.borrow_mut();
            let id = inner.next_id;
            inner.next_id += 1;
            inner.pending.insert(
                id,
                Pending {
                    answer: sender,
                    progress,
                },
            );
            (id, protocol::encode(&ToWorker { id, request }), inner.ready)
        };
        if ready {
            self.post(&json, bytes.as_deref());
        } else {
            self.inner.borrow_mut().queued.push((id, json, bytes));
        }
        receiver.await.unwrap_or_else(|_| {
            Err(Problem::error(
                "The engine was restarted before it answered; nothing changed.",
            ))
        })
    }

    /// Stop whatever the engine is doing now: terminate the worker (instantly: nothing it did
    /// since its last committed save survives) and start a fresh one, which restores the last
    /// committed state. Every waiting request is answered with "cancelled".
    pub fn cancel(&self) {
        let (worker, pending) = {
            let mut inner = self.inner.borrow_mut();
            inner.queued.clear();
            inner.ready = false;
            inner.listeners.clear();
            (
                inner.worker.take(),
                inner.pending.drain().map(|(_, p)| p).collect::<Vec<_>>(),
            )
        };
        if let Some(worker) = worker {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
        for p in pending {
            let _ = p.answer.send(Err(Problem::error(
                "Cancelled: every table is as it was before.",
            )));
        }
        self.status.set(EngineStatus::Restarting);
        self.start();
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// The sentence of a JS exception.
pub(super) fn js_message(value: &wasm_bindgen::JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}
