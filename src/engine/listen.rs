//! Wiring a worker's `message` and `error` events to the page, shared by the engine's and the
//! Parquet codec's clients.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};

/// The listeners of one worker; they must live as long as the worker they listen to.
pub type Listeners = Vec<Closure<dyn FnMut(web_sys::Event)>>;

/// Call `on_data` with each message's data, and `on_error` with the reason the worker failed
/// (`unloaded` when the event names none, as when its module did not load).
pub fn listen(
    worker: &Worker,
    on_data: impl Fn(&JsValue) + 'static,
    unloaded: &'static str,
    on_error: impl Fn(String) + 'static,
) -> Listeners {
    let on_message = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        if let Some(message) = event.dyn_ref::<MessageEvent>() {
            on_data(&message.data());
        }
    });
    let on_failure = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let detail = event
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| e.message())
            .unwrap_or_else(|| unloaded.to_string());
        on_error(detail);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_failure.as_ref().unchecked_ref()));
    vec![on_message, on_failure]
}
