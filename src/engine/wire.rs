//! One message on the wire: a JSON text plus, for file contents, a transferable buffer beside
//! it (`{ json: string, bytes?: Uint8Array }`), never file bytes inside the JSON.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

const JSON_KEY: &str = "json";
const BYTES_KEY: &str = "bytes";

/// The JS object to post for `json` and optional `bytes`, and the transfer list that moves the
/// bytes' buffer instead of copying it.
pub fn pack(json: &str, bytes: Option<&[u8]>) -> (JsValue, Array) {
    let object = Object::new();
    let transfer = Array::new();
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(&object, &JSON_KEY.into(), &json.into());
    if let Some(bytes) = bytes {
        let array = Uint8Array::from(bytes);
        transfer.push(&array.buffer());
        let _ = Reflect::set(&object, &BYTES_KEY.into(), &array);
    }
    (object.into(), transfer)
}

/// The JSON text and bytes of a posted message; `None` when it is not one of ours.
pub fn unpack(data: &JsValue) -> Option<(String, Option<Vec<u8>>)> {
    let json = Reflect::get(data, &JSON_KEY.into()).ok()?.as_string()?;
    let bytes = Reflect::get(data, &BYTES_KEY.into())
        .ok()
        .and_then(|b| b.dyn_into::<Uint8Array>().ok())
        .map(|b| b.to_vec());
    Some((json, bytes))
}
