//! Raw deflate through the browser's `CompressionStream` / `DecompressionStream`, so that the
//! page's wasm carries no compression code. Inflating stops at a limit: a link is untrusted,
//! and a few kilobytes of deflate can unpack to gigabytes.

use js_sys::{Array, Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why inflating stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum InflateError {
    /// More than the limit.
    TooLarge,
    /// The browser could not inflate it (cut or damaged data), or has no decompressor.
    Failed(String),
}

fn message(e: &JsValue) -> String {
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "the browser refused".into())
}

fn method(target: &JsValue, name: &str) -> Result<Function, JsValue> {
    Reflect::get(target, &name.into())?.dyn_into::<Function>()
}

/// `bytes` through a new `CompressionStream` or `DecompressionStream` (`kind`), as a stream.
fn transform(kind: &str, bytes: &[u8]) -> Result<JsValue, JsValue> {
    let constructor: Function = Reflect::get(&js_sys::global(), &kind.into())?.dyn_into()?;
    let stream = Reflect::construct(&constructor, &Array::of1(&"deflate-raw".into()))?;
    let blob = web_sys::Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes)))?;
    let source = method(&blob, "stream")?.call0(&blob)?;
    method(&source, "pipeThrough")?.call1(&source, &stream)
}

/// Everything a stream yields, stopping (and cancelling it) past `limit` bytes.
async fn read_all(stream: JsValue, limit: usize) -> Result<Vec<u8>, InflateError> {
    let failed = |e: JsValue| InflateError::Failed(message(&e));
    let reader = method(&stream, "getReader")
        .and_then(|f| f.call0(&stream))
        .map_err(failed)?;
    let read = method(&reader, "read").map_err(failed)?;
    let mut out = Vec::new();
    loop {
        let promise: js_sys::Promise = read.call0(&reader).map_err(failed)?.unchecked_into();
        let step = JsFuture::from(promise).await.map_err(failed)?;
        if Reflect::get(&step, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            == Some(true)
        {
            return Ok(out);
        }
        let chunk: Uint8Array = Reflect::get(&step, &"value".into())
            .map_err(failed)?
            .unchecked_into();
        if out.len() + chunk.length() as usize > limit {
            if let Ok(cancel) = method(&reader, "cancel")
                && let Ok(promise) = cancel.call0(&reader)
            {
                // Cancelling settles at once; nothing waits for it.
                let _ = JsFuture::from(js_sys::Promise::resolve(&promise)).await;
            }
            return Err(InflateError::TooLarge);
        }
        out.extend(chunk.to_vec());
    }
}

/// `bytes` compressed with raw deflate.
pub async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let stream = transform("CompressionStream", bytes).map_err(|e| message(&e))?;
    read_all(stream, usize::MAX).await.map_err(|e| match e {
        InflateError::Failed(m) => m,
        InflateError::TooLarge => "too large".into(),
    })
}

/// Raw-deflate `bytes` inflated, at most `limit` bytes of them.
pub async fn inflate(bytes: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let stream =
        transform("DecompressionStream", bytes).map_err(|e| InflateError::Failed(message(&e)))?;
    read_all(stream, limit).await
}
