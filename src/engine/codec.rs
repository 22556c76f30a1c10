//! The page's side of the Parquet codec worker: started the first time the page meets Parquet
//! (an upload, a Parquet download), then kept. It turns Parquet files into Arrow IPC files and
//! back, so that the engine worker needs no Parquet code (see `protocol::ToCodec`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use protocol::workspace_file::ZipEntry;
use protocol::{CodecReply, CodecRequest, FromCodec, PROTOCOL_VERSION, Problem, ToCodec};
use web_sys::Worker;

use super::client::js_message;
use super::listen::{Listeners, listen};
use super::wire;

/// The loader Trunk writes for the codec binary (`data-loader-shim`), relative like the
/// engine's so that it resolves under any folder of a static host.
const CODEC_URL: &str = "parquet_codec_loader.js";

type Answer = Result<Vec<u8>, Problem>;
/// A reply's entries (an unzipped file's) and the bytes beside it.
type Reply = Result<(Vec<ZipEntry>, Vec<u8>), Problem>;

#[derive(Default)]
struct Inner {
    worker: Option<Worker>,
    /// Kept alive as long as the worker they listen to.
    listeners: Listeners,
    next_id: u64,
    pending: HashMap<u64, oneshot::Sender<Reply>>,
    /// Requests made before the codec said it is ready (messages posted earlier are lost).
    queued: Vec<(String, Vec<u8>)>,
    ready: bool,
}

/// The page's handle on the codec worker. Cheap to clone; every clone talks to the same worker.
#[derive(Clone, Default)]
pub struct Codec {
    inner: Rc<RefCell<Inner>>,
}

impl Codec {
    /// A handle with no worker yet: the first conversion starts it.
    pub fn new() -> Codec {
        Codec::default()
    }

    /// Parquet file `name` as an Arrow IPC file; the problem says "`name` is not a Parquet
    /// file: …" when it is not one.
    pub async fn decode(&self, name: &str, parquet: Vec<u8>) -> Answer {
        let name = name.to_string();
        self.call(CodecRequest::Decode { name }, parquet).await
    }

    /// The Arrow IPC file `name` as Parquet.
    pub async fn encode(&self, name: &str, ipc: Vec<u8>) -> Answer {
        let name = name.to_string();
        self.call(CodecRequest::Encode { name }, ipc).await
    }

    /// One zip of `entries`, whose bytes are `bytes` concatenated (see
    /// `protocol::workspace_file`).
    pub async fn zip(&self, entries: Vec<ZipEntry>, bytes: Vec<u8>) -> Answer {
        self.call(CodecRequest::Zip { entries }, bytes).await
    }

    /// The files of zip `name` and their bytes, concatenated.
    pub async fn unzip(&self, name: &str, zip: Vec<u8>) -> Reply {
        let name = name.to_string();
        self.request(CodecRequest::Unzip { name }, zip).await
    }

    async fn call(&self, request: CodecRequest, bytes: Vec<u8>) -> Answer {
        self.request(request, bytes).await.map(|(_, bytes)| bytes)
    }

    async fn request(&self, request: CodecRequest, bytes: Vec<u8>) -> Reply {
        self.start()?;
        let (sender, receiver) = oneshot::channel();
        let (json, ready) = {
            let mut inner = self.inner.borrow_mut();
            inner.next_id += 1;
            let id = inner.next_id;
            inner.pending.insert(id, sender);
            (protocol::encode(&ToCodec { id, request }), inner.ready)
        };
        if ready {
            self.post(&json, &bytes);
        } else {
            self.inner.borrow_mut().queued.push((json, bytes));
        }
        receiver.await.unwrap_or_else(|_| {
            Err(Problem::error(
                "The Parquet codec stopped before it answered; try again.",
            ))
        })
    }

    /// Fetch and start the worker unless it runs.
    fn start(&self) -> Result<(), Problem> {
        if self.inner.borrow().worker.is_some() {
            return Ok(());
        }
        let worker = Worker::new(CODEC_URL).map_err(|e| {
            Problem::error(format!(
                "The Parquet codec could not start: {}",
                js_message(&e)
            ))
        })?;
        let (me, failed) = (self.clone(), self.clone());
        let listeners = listen(
            &worker,
            move |data| me.receive(data),
            "its module failed to load",
            move |detail| failed.stop(format!("The Parquet codec stopped: {detail}.")),
        );
        let mut inner = self.inner.borrow_mut();
        inner.worker = Some(worker);
        inner.listeners = listeners;
        inner.ready = false;
        Ok(())
    }

    /// Answer every waiting request with `sentence` and drop the worker: the next conversion
    /// starts a fresh one.
    fn stop(&self, sentence: String) {
        let (worker, pending) = {
            let mut inner = self.inner.borrow_mut();
            inner.queued.clear();
            inner.ready = false;
            inner.listeners.clear();
            let pending: Vec<_> = inner.pending.drain().map(|(_, p)| p).collect();
            (inner.worker.take(), pending)
        };
        if let Some(worker) = worker {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
        for answer in pending {
            let _ = answer.send(Err(Problem::error(sentence.clone())));
        }
    }

    fn receive(&self, data: &wasm_bindgen::JsValue) {
        let Some((json, bytes)) = wire::unpack(data) else {
            return;
        };
        let message: FromCodec = match protocol::decode(&json) {
            Ok(message) => message,
            Err(e) => return self.stop(format!("The Parquet codec sent {e}. Reload the page.")),
        };
        let answer = match message.reply {
            CodecReply::Ready { protocol } if protocol != PROTOCOL_VERSION => {
                return self.stop(format!(
                    "The Parquet codec speaks protocol {protocol}, the page {PROTOCOL_VERSION}: the site holds files of two versions. Reload the page."
                ));
            }
            CodecReply::Ready { .. } => return self.ready(),
            CodecReply::Converted => bytes.map(|b| (Vec::new(), b)).ok_or_else(|| {
                Problem::error("The Parquet codec answered without the converted file.")
            }),
            CodecReply::Unzipped { entries } => Ok((entries, bytes.unwrap_or_default())),
            CodecReply::Error(problem) => Err(problem),
        };
        let pending = self.inner.borrow_mut().pending.remove(&message.id);
        if let Some(pending) = pending {
            let _ = pending.send(answer);
        }
    }

    fn ready(&self) {
        let queued = {
            let mut inner = self.inner.borrow_mut();
            inner.ready = true;
            std::mem::take(&mut inner.queued)
        };
        for (json, bytes) in queued {
            self.post(&json, &bytes);
        }
    }

    fn post(&self, json: &str, bytes: &[u8]) {
        let (message, transfer) = wire::pack(json, Some(bytes));
        let worker = self.inner.borrow().worker.clone();
        if let Some(worker) = worker
            && let Err(e) = worker.post_message_with_transfer(&message, &transfer)
        {
            self.stop(format!(
                "The page could not reach the Parquet codec: {}",
                js_message(&e)
            ));
        }
    }
}
