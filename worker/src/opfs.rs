//! The kernel's storage in the origin-private file system: one folder, `iotwb-data`, whose
//! relative paths (`volume/Volumes/...`, `tables/...`, `workspace.json`) are nested folders.
//! OPFS commits each written file as a whole on close, so a file is never half written.

use std::collections::BTreeMap;

use js_sys::{Reflect, Uint8Array};
use kernel::StoreOp;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    File, FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetDirectoryOptions,
    FileSystemGetFileOptions, FileSystemWritableFileStream, WorkerGlobalScope,
};

/// The kernel's folder (the page keeps the learner's files beside it, in its own file).
const ROOT: &str = "iotwb-data";

async fn root() -> Result<FileSystemDirectoryHandle, String> {
    let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
    let top: FileSystemDirectoryHandle =
        JsFuture::from(scope.navigator().storage().get_directory())
            .await
            .map_err(describe)?
            .unchecked_into();
    subfolder(&top, ROOT, true).await
}

async fn subfolder(
    dir: &FileSystemDirectoryHandle,
    name: &str,
    create: bool,
) -> Result<FileSystemDirectoryHandle, String> {
    let options = FileSystemGetDirectoryOptions::new();
    options.set_create(create);
    Ok(
        JsFuture::from(dir.get_directory_handle_with_options(name, &options))
            .await
            .map_err(describe)?
            .unchecked_into(),
    )
}

/// The folder holding `path`'s file, and the file's name.
async fn parent_of<'a>(
    root: &FileSystemDirectoryHandle,
    path: &'a str,
    create: bool,
) -> Result<(FileSystemDirectoryHandle, &'a str), String> {
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let name = parts
        .pop()
        .ok_or_else(|| format!("empty storage path `{path}`"))?;
    let mut dir = root.clone();
    for part in parts {
        dir = subfolder(&dir, part, create).await?;
    }
    Ok((dir, name))
}

/// Every file under the kernel's folder: relative path → bytes.
pub async fn read_all() -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut out = BTreeMap::new();
    let mut folders = vec![(root().await?, String::new())];
    while let Some((dir, prefix)) = folders.pop() {
        let entries = dir.values();
        loop {
            let step = JsFuture::from(entries.next().map_err(describe)?)
                .await
                .map_err(describe)?;
            if Reflect::get(&step, &"done".into())
                .ok()
                .and_then(|d| d.as_bool())
                == Some(true)
            {
                break;
            }
            let handle = Reflect::get(&step, &"value".into()).map_err(describe)?;
            let name = Reflect::get(&handle, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .unwrap_or_default();
            let kind = Reflect::get(&handle, &"kind".into())
                .ok()
                .and_then(|k| k.as_string())
                .unwrap_or_default();
            let path = format!("{prefix}{name}");
            if kind == "directory" {
                folders.push((handle.unchecked_into(), format!("{path}/")));
            } else {
                let file: FileSystemFileHandle = handle.unchecked_into();
                let file: File = JsFuture::from(file.get_file())
                    .await
                    .map_err(describe)?
                    .unchecked_into();
                let buffer = JsFuture::from(file.array_buffer())
                    .await
                    .map_err(describe)?;
                out.insert(path, Uint8Array::new(&buffer).to_vec());
            }
        }
    }
    Ok(out)
}

/// Apply the kernel's storage operations in order.
pub async fn apply(ops: Vec<StoreOp>) -> Result<(), String> {
    if ops.is_empty() {
        return Ok(());
    }
    let root = root().await?;
    for op in ops {
        match op {
            StoreOp::Put { path, bytes } => {
                let (dir, name) = parent_of(&root, &path, true).await?;
                let options = FileSystemGetFileOptions::new();
                options.set_create(true);
                let file: FileSystemFileHandle =
                    JsFuture::from(dir.get_file_handle_with_options(name, &options))
                        .await
                        .map_err(describe)?
                        .unchecked_into();
                let stream: FileSystemWritableFileStream = JsFuture::from(file.create_writable())
                    .await
                    .map_err(describe)?
                    .unchecked_into();
                JsFuture::from(stream.write_with_u8_array(&bytes).map_err(describe)?)
                    .await
                    .map_err(describe)?;
                JsFuture::from(stream.close()).await.map_err(describe)?;
            }
            StoreOp::Delete { path } => {
                // A file that is already gone is what we wanted.
                if let Ok((dir, name)) = parent_of(&root, &path, false).await {
                    let _ = JsFuture::from(dir.remove_entry(name)).await;
                }
            }
        }
    }
    Ok(())
}

fn describe(e: JsValue) -> String {
    Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".to_string())
}
