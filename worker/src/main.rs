//! The engine worker: receives the page's messages, lets the kernel handle them one at a time,
//! saves every committed change to the origin-private file system before it answers, and
//! posts the replies. The page cancels by terminating this worker; the next one restores the
//! last committed state from storage.

mod opfs;
#[path = "../../src/engine/wire.rs"]
mod wire;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use kernel::{Host, Kernel};
use protocol::{FromWorker, PROTOCOL_VERSION, Problem, Reply, ToWorker};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// A message as it arrived: JSON text and the bytes beside it.
type Incoming = (String, Option<Vec<u8>>);

struct Worker {
    scope: DedicatedWorkerGlobalScope,
    queue: RefCell<VecDeque<Incoming>>,
    kernel: RefCell<Option<Kernel>>,
    /// Whether a task is draining the queue (only one handles messages at a time).
    draining: RefCell<bool>,
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let worker = Rc::new(Worker {
        scope: scope.clone(),
        queue: RefCell::new(VecDeque::new()),
        kernel: RefCell::new(None),
        draining: RefCell::new(false),
    });
    // Listen first: requests that arrive while the saved state is read wait in the queue.
    let listener = Rc::clone(&worker);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(message) = wire::unpack(&event.data()) {
            listener.queue.borrow_mut().push_back(message);
            drain(Rc::clone(&listener));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its global scope; so does its listener.
    on_message.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let saved = match opfs::read_all().await {
            Ok(saved) => saved,
            Err(e) => {
                post_message(
                    &worker.scope,
                    0,
                    &Reply::Error(Problem::error(format!(
                        "The saved data could not be read ({e}); starting empty."
                    ))),
                    None,
                );
                Default::default()
            }
        };
        let host = Host {
            now_ms: Box::new(js_sys::Date::now),
        };
        let (kernel, cleanup) = Kernel::restore(host, saved);
        let mut summary = kernel.summary();
        if let Err(e) = opfs::apply(cleanup).await {
            summary.storage.message = Some(format!(
                "Saving is not available in this browser ({e}); your data lasts as long as this page."
            ));
            summary.storage.persistent = false;
        }
        *worker.kernel.borrow_mut() = Some(kernel);
        post_message(
            &worker.scope,
            0,
            &Reply::Ready {
                protocol: PROTOCOL_VERSION,
                data: summary,
            },
            None,
        );
        drain(worker);
    });
}

/// Handle queued messages in order until the queue is empty (unless already doing so).
fn drain(worker: Rc<Worker>) {
    if worker.kernel.borrow().is_none() || *worker.draining.borrow() {
        return;
    }
    *worker.draining.borrow_mut() = true;
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            let next = worker.queue.borrow_mut().pop_front();
            let Some((json, bytes)) = next else { break };
            handle(&worker, &json, bytes).await;
        }
        *worker.draining.borrow_mut() = false;
    });
}

async fn handle(worker: &Worker, json: &str, bytes: Option<Vec<u8>>) {
    let message: ToWorker = match protocol::decode(json) {
        Ok(m) => m,
        Err(e) => {
            return post_message(&worker.scope, 0, &Reply::Error(Problem::error(e)), None);
        }
    };
    let id = message.id;
    let scope = worker.scope.clone();
    let progress = Box::new(move |p: protocol::FlowProgress| {
        post_message(&scope, id, &Reply::Progress(p), None);
    });
    let outgoing = {
        let mut kernel = worker.kernel.borrow_mut();
        let Some(kernel) = kernel.as_mut() else {
            return;
        };
        kernel.handle(message.request, bytes, progress)
    };
    let mut reply = outgoing.reply;
    // Saved before the answer: once the page hears "done", a restart finds it.
    if let Err(e) = opfs::apply(outgoing.store).await {
        let warning = format!(
            "This change could not be saved in the browser ({e}); it lasts as long as this page."
        );
        match &mut reply {
            Reply::Data(data) | Reply::Updated { data, .. } => {
                data.storage.persistent = false;
                data.storage.message = Some(warning);
            }
            _ => {}
        }
    }
    post_message(&worker.scope, id, &reply, outgoing.bytes.as_deref());
}

fn post_message(scope: &DedicatedWorkerGlobalScope, id: u64, reply: &Reply, bytes: Option<&[u8]>) {
    let json = protocol::encode(&FromWorker {
        id,
        reply: reply.clone(),
    });
    let (message, transfer) = wire::pack(&json, bytes);
    // Posting to the page only fails for values that cannot be cloned; ours are a string and
    // an ArrayBuffer.
    let _ = scope.post_message_with_transfer(&message, &transfer);
}
