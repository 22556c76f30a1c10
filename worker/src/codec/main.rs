//! The Parquet codec worker: decodes Parquet files into Arrow IPC files and encodes Arrow IPC
//! files as Parquet, for the page ([`protocol::ToCodec`]). The page starts it the first time
//! it meets Parquet and keeps it; the engine worker, which reads and writes only Arrow IPC,
//! links no Parquet code. Each message is converted as it arrives (nothing here waits).

mod archive;
mod convert;
#[path = "../../../src/engine/wire.rs"]
mod wire;

use protocol::{CodecReply, CodecRequest, FromCodec, PROTOCOL_VERSION, Problem, ToCodec};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some((json, bytes)) = wire::unpack(&event.data()) {
            let (id, reply, bytes) = handle(&json, bytes.unwrap_or_default());
            post(&replies, id, reply, bytes.as_deref());
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its global scope; so does its listener.
    on_message.forget();
    // Messages posted before the module ran are lost: the page waits for this.
    let ready = CodecReply::Ready {
        protocol: PROTOCOL_VERSION,
    };
    post(&scope, 0, ready, None);
}

/// The answer to one message: its id, the reply and the converted bytes.
fn handle(json: &str, bytes: Vec<u8>) -> (u64, CodecReply, Option<Vec<u8>>) {
    let message: ToCodec = match protocol::decode(json) {
        Ok(message) => message,
        Err(e) => return (0, CodecReply::Error(Problem::error(e)), None),
    };
    let converted = match message.request {
        CodecRequest::Decode { name } => convert::decode(&name, bytes),
        CodecRequest::Encode { name } => convert::encode(&name, bytes),
        CodecRequest::Zip { entries } => archive::write(&entries, &bytes),
        CodecRequest::Unzip { name } => match archive::read(&name, bytes) {
            Ok((entries, bytes)) => {
                return (message.id, CodecReply::Unzipped { entries }, Some(bytes));
            }
            Err(problem) => Err(problem),
        },
    };
    match converted {
        Ok(bytes) => (message.id, CodecReply::Converted, Some(bytes)),
        Err(problem) => (message.id, CodecReply::Error(problem), None),
    }
}

fn post(scope: &DedicatedWorkerGlobalScope, id: u64, reply: CodecReply, bytes: Option<&[u8]>) {
    let json = protocol::encode(&FromCodec { id, reply });
    let (message, transfer) = wire::pack(&json, bytes);
    // Posting to the page only fails for values that cannot be cloned; ours are a string and
    // an ArrayBuffer.
    let _ = scope.post_message_with_transfer(&message, &transfer);
}
