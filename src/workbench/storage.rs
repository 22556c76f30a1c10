//! Saving the learner's files in the browser's origin-private file system (OPFS): one JSON
//! document with a format version, written atomically (OPFS commits a writable stream's
//! contents on close, never half of them).

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    File, FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetFileOptions,
    FileSystemWritableFileStream,
};

/// The document holding the learner's files (the engine keeps its data in its own folder).
const FILE_NAME: &str = "iotwb-workspace.json";

async fn root() -> Result<FileSystemDirectoryHandle, JsValue> {
    let storage = web_sys::window().ok_or("no window")?.navigator().storage();
    let handle = JsFuture::from(storage.get_directory()).await?;
    Ok(handle.unchecked_into())
}

async fn file(create: bool) -> Result<FileSystemFileHandle, JsValue> {
    let options = FileSystemGetFileOptions::new();
    options.set_create(create);
    let handle = JsFuture::from(
        root()
            .await?
            .get_file_handle_with_options(FILE_NAME, &options),
    )
    .await?;
    Ok(handle.unchecked_into())
}

/// The saved document, `Ok(None)` when there is none yet.
pub async fn load() -> Result<Option<String>, String> {
    let handle = match file(false).await {
        Ok(h) => h,
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => return Err(describe(&e)),
    };
    let file: File = JsFuture::from(handle.get_file())
        .await
        .map_err(|e| describe(&e))?
        .unchecked_into();
    let text = JsFuture::from(file.text())
        .await
        .map_err(|e| describe(&e))?;
    Ok(text.as_string())
}

/// Why the document could not be saved.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveError {
    /// The browser's storage for the site is full (`QuotaExceededError`).
    pub quota_exceeded: bool,
    /// The browser's sentence.
    pub message: String,
}

impl SaveError {
    /// A failure that is not about space.
    pub fn other(message: String) -> SaveError {
        SaveError {
            quota_exceeded: false,
            message,
        }
    }

    fn from_js(e: &JsValue) -> SaveError {
        SaveError {
            quota_exceeded: error_name(e).is_some_and(|n| n == "QuotaExceededError"),
            message: describe(e),
        }
    }
}

/// Replace the saved document.
pub async fn save(text: &str) -> Result<(), SaveError> {
    save_as(FILE_NAME, text).await
}

/// Write `text` as the document `name` beside the saved one (a copy kept aside).
pub async fn save_as(name: &str, text: &str) -> Result<(), SaveError> {
    let fail = |e: JsValue| SaveError::from_js(&e);
    let options = FileSystemGetFileOptions::new();
    options.set_create(true);
    let handle: FileSystemFileHandle = JsFuture::from(
        root()
            .await
            .map_err(fail)?
            .get_file_handle_with_options(name, &options),
    )
    .await
    .map_err(fail)?
    .unchecked_into();
    let stream: FileSystemWritableFileStream = JsFuture::from(handle.create_writable())
        .await
        .map_err(fail)?
        .unchecked_into();
    JsFuture::from(stream.write_with_str(text).map_err(fail)?)
        .await
        .map_err(fail)?;
    JsFuture::from(stream.close()).await.map_err(fail)?;
    Ok(())
}

fn error_name(e: &JsValue) -> Option<String> {
    Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
}

fn is_not_found(e: &JsValue) -> bool {
    error_name(e).is_some_and(|n| n == "NotFoundError")
}

/// A browser error's message, for the learner.
pub(crate) fn describe(e: &JsValue) -> String {
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".to_string())
}
