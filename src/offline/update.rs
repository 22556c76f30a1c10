//! The service worker (`pwa/sw.js`, written by `scripts/service-worker.sh`): registered once the
//! engine has loaded (so its precaching never competes with the first load), checked for a new
//! version now and then; a new version waits until the learner presses "Reload", so a page
//! never runs on a mix of old and new files.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

use crate::base;
use crate::engine::EngineStatus;
use crate::workbench::use_workbench;

/// How often an open page asks the host for a new version (a page left open for days).
const CHECK_EVERY_MS: i32 = 30 * 60 * 1000;

fn container() -> Option<ServiceWorkerContainer> {
    // No service workers on insecure origins, or when the browser blocks them.
    let container = js_sys::Reflect::get(&window().navigator(), &"serviceWorker".into()).ok()?;
    container.is_object().then(|| container.unchecked_into())
}

/// "A new version is ready" with its Reload button, once a new version has installed.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let wb = use_workbench();
    let waiting: RwSignal<bool> = RwSignal::new(false);
    let registration = StoredValue::new_local(None::<ServiceWorkerRegistration>);
    Effect::new(move |registered: Option<bool>| {
        if registered == Some(true) {
            return true;
        }
        let status = wb.engine.with_value(|e| e.status.get());
        if matches!(status, EngineStatus::Starting | EngineStatus::Restarting) {
            return false;
        }
        register(waiting, registration);
        true
    });
    let reload = move |_| match registration.get_value().and_then(|r| r.waiting()) {
        // It takes over; `controllerchange` then reloads every page of the site.
        Some(worker) => {
            let _ = worker.post_message(&"skip-waiting".into());
        }
        None => {
            let _ = window().location().reload();
        }
    };
    view! {
        <Show when=move || waiting.get()>
            <div class="update-prompt" role="status" data-testid="update-prompt">
                <p>"A new version is ready."</p>
                <button type="button" class="primary" on:click=reload>"Reload"</button>
            </div>
        </Show>
    }
}

fn register(
    waiting: RwSignal<bool>,
    stored: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
) {
    let Some(container) = container() else {
        return;
    };
    // A page that had a version reloads when a new one takes over (the learner pressed
    // Reload here or in another tab); a first visit's page is only claimed, and stays.
    let controlled = Rc::new(Cell::new(container.controller().is_some()));
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if controlled.replace(true) {
            let _ = window().location().reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let url = format!("{}/sw.js", base::app_base());
    spawn_local(async move {
        // Refused when the browser blocks service workers, or on a host without sw.js (a
        // development build): the workbook then works online only.
        let Ok(registration) = JsFuture::from(container.register(&url)).await else {
            return;
        };
        // A browser that blocks service workers may answer with nothing at all.
        if !registration.is_object() {
            return;
        }
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        stored.set_value(Some(registration.clone()));
        let has_page_version = move || container.controller().is_some();
        if registration.waiting().is_some() && has_page_version() {
            waiting.set(true);
        }
        let found = registration.clone();
        let on_found = Closure::<dyn FnMut()>::new(move || {
            let Some(worker) = found.installing() else {
                return;
            };
            let installed = worker.clone();
            let has_page_version = has_page_version.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if installed.state() == ServiceWorkerState::Installed && has_page_version() {
                    waiting.set(true);
                }
            });
            worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
        let check = registration.clone();
        let on_tick = Closure::<dyn FnMut()>::new(move || {
            if let Ok(promise) = check.update() {
                // Offline, the check fails; the next one tries again.
                spawn_local(async move {
                    let _ = JsFuture::from(promise).await;
                });
            }
        });
        let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
            on_tick.as_ref().unchecked_ref(),
            CHECK_EVERY_MS,
        );
        on_tick.forget();
    });
}
