//! One tab at a time works on the saved workbook. The engine's data and the learner's files
//! live in one origin-private folder, and two tabs would overwrite each other's saves in turn.
//! The tab holding the Web Lock [`LOCK_NAME`] starts the engine and saves; another tab waits,
//! read-only, and takes over when the first one closes (the browser frees a closed tab's locks).

use std::cell::RefCell;

use futures::channel::oneshot;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The lock's name, shared by every tab of this origin.
const LOCK_NAME: &str = "iotwb-workspace";

/// Resolves once this tab holds the workbook, calling `waiting` first when another tab holds
/// it. Without the Web Locks API (an old browser, an insecure origin) it resolves at once:
/// such a browser is left to last-save-wins, as before.
pub async fn hold(waiting: impl FnOnce()) {
    let Some((locks, request)) = lock_manager() else {
        return;
    };
    if ask(&locks, &request, true).await {
        return;
    }
    waiting();
    ask(&locks, &request, false).await;
}

fn lock_manager() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() {
        return None;
    }
    let request = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    Some((locks, request))
}

/// Ask for the lock; `true` once it is held (kept until the tab closes), `false` when
/// `if_available` and another tab has it.
async fn ask(locks: &JsValue, request: &Function, if_available: bool) -> bool {
    let (told, answer) = oneshot::channel::<bool>();
    let told = RefCell::new(Some(told));
    let granted = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let held = !lock.is_null();
        if let Some(told) = told.take() {
            let _ = told.send(held);
        }
        if held {
            // A promise that never settles keeps the lock for the page's lifetime.
            Promise::new(&mut |_, _| {}).into()
        } else {
            JsValue::UNDEFINED
        }
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &if_available.into());
    if request
        .call3(locks, &LOCK_NAME.into(), &options, &granted)
        .is_err()
    {
        // A browser that refuses the request cannot coordinate tabs at all: go on.
        return true;
    }
    answer.await.unwrap_or(true)
}
