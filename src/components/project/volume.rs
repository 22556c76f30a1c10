//! The volume, like JupyterLab's file browser: landing folders with their files, sizes and
//! origins, a preview of a file's first rows, uploads by picker or drag and drop.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{FileOrigin, NodeKind, Problem, RowSource, VolumeFile, VolumeListing};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::components::inspect::TableViewer;
use crate::workbench::{Workbench, use_workbench};

/// `/Volumes/<catalog>/<schema>/<volume>` of a volume path (the path itself when shorter).
pub fn landing_folder(path: &str) -> &str {
    let end = path
        .match_indices('/')
        .nth(4)
        .map_or(path.len(), |(i, _)| i);
    &path[..end]
}

/// `812 B`, `14.2 KB`, `3.4 MB`.
pub fn size_label(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{:.1} KB", b as f64 / 1e3),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}

/// Files grouped by landing folder; `extra` folders appear even when empty.
pub fn group_files(files: &[VolumeFile], extra: &[String]) -> BTreeMap<String, Vec<VolumeFile>> {
    let mut groups: BTreeMap<String, Vec<VolumeFile>> =
        extra.iter().map(|f| (f.clone(), Vec::new())).collect();
    for file in files {
        groups
            .entry(landing_folder(&file.path).to_string())
            .or_default()
            .push(file.clone());
    }
    groups
}

/// The files of a `FileList`, taken out of it now: the browser empties the list itself when
/// the input is cleared for the next pick, which happens before the upload reads them.
fn take_files(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Read the chosen files and land each in `folder`; each failure as a sentence.
async fn upload_all(wb: Workbench, folder: String, files: Vec<web_sys::File>) -> Vec<String> {
    let mut errors = Vec::new();
    for file in files {
        let name = file.name();
        let bytes = match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
            Err(_) => {
                errors.push(format!("{name} could not be read from your disk."));
                continue;
            }
        };
        if let Err(problem) = wb.upload(folder.clone(), name.clone(), bytes).await {
            errors.push(format!("{name} was not uploaded: {}", problem.sentence()));
        }
    }
    errors
}

/// The volume browser.
#[component]
pub fn VolumeBrowser() -> impl IntoView {
    let wb = use_workbench();
    // The listing, read again whenever the volume changed. An effect with a request count, not
    // a `LocalResource`: the resource did not fetch again when `volume_changed` moved (seen after
    // Generate and after uploads), so the browser kept showing the empty volume.
    let listing: RwSignal<Option<Result<VolumeListing, Problem>>> = RwSignal::new(None);
    let requests = StoredValue::new(0u64);
    Effect::new(move |_| {
        wb.volume_changed.track();
        requests.update_value(|n| *n += 1);
        let this_request = requests.get_value();
        spawn_local(async move {
            let answer = wb.list_volume().await;
            // A later request supersedes this one; the browser may be gone (tab switched).
            if requests.try_get_value() == Some(this_request) {
                listing.try_set(Some(answer));
            }
        });
    });
    // The pipeline's landing folders, known before anything landed.
    let expected_folders = move || {
        let mut folders: Vec<String> = wb.validation.with(|v| {
            v.as_ref().map_or_else(Vec::new, |v| {
                v.graph
                    .nodes
                    .iter()
                    .filter(|n| n.kind == NodeKind::Files)
                    .map(|n| landing_folder(&n.name).to_string())
                    .collect()
            })
        });
        if let Some(landing) = wb.data.with(|d| d.landing.clone()) {
            folders.push(format!("{landing}/sensor_bronze"));
            folders.push(format!("{landing}/inspection_bronze"));
        }
        folders
    };
    let groups = Memo::new(move |_| {
        let files = listing
            .get()
            .and_then(Result::ok)
            .map(|l| l.files)
            .unwrap_or_default();
        group_files(&files, &expected_folders())
    });
    let (chosen_folder, set_chosen_folder) = signal(None::<String>);
    let upload_folder = move || {
        chosen_folder.get().or_else(|| {
            groups.with(|g| {
                g.keys()
                    .find(|f| f.ends_with("/sensor_bronze"))
                    .or_else(|| g.keys().next())
                    .cloned()
            })
        })
    };
    let (errors, set_errors) = signal(Vec::<String>::new());
    let (uploading, set_uploading) = signal(false);
    let (drag_over, set_drag_over) = signal(None::<String>);
    let (preview, set_preview) = signal(None::<String>);

    let start_upload = move |folder: String, list: web_sys::FileList| {
        let files = take_files(&list);
        set_errors.set(Vec::new());
        set_uploading.set(true);
        spawn_local(async move {
            let failed = upload_all(wb, folder, files).await;
            // The browser may have been closed meanwhile (tab switched).
            set_errors.try_set(failed);
            set_uploading.try_set(false);
        });
    };
    let delete = move |path: String| {
        spawn_local(async move {
            match wb.delete_volume_file(path.clone()).await {
                Ok(_) => {
                    if preview.try_get_untracked().flatten().as_deref() == Some(path.as_str()) {
                        set_preview.try_set(None);
                    }
                }
                Err(p) => {
                    set_errors.try_set(vec![p.sentence()]);
                }
            }
        });
    };

    let file_row = move |file: VolumeFile| {
        let name = file
            .path
            .rsplit('/')
            .next()
            .unwrap_or(&file.path)
            .to_string();
        let relative = file.path[landing_folder(&file.path).len()..]
            .trim_start_matches('/')
            .to_string();
        let path = file.path.clone();
        let shown = path.clone();
        let uploaded = file.origin == FileOrigin::Uploaded;
        view! {
            <li class="volume-file" data-testid="volume-file"
                class:volume-file-shown=move || preview.get().as_deref() == Some(shown.as_str())>
                <button type="button" class="volume-file-name" title=format!("Preview {}", file.path)
                    on:click={ let path = path.clone(); move |_| set_preview.set(Some(path.clone())) }>
                    {relative}
                </button>
                <span class="volume-file-size">{size_label(file.size)}</span>
                <span class="volume-file-origin" class:origin-uploaded=uploaded>
                    {if uploaded { "uploaded" } else { "generated" }}
                </span>
                {uploaded.then(|| view! {
                    <button type="button" class="danger small" aria-label=format!("Delete {name}")
                        on:click=move |_| delete(path.clone())>"Delete"</button>
                })}
            </li>
        }
    };
    let folder_section = move |(folder, files): (String, Vec<VolumeFile>)| {
        let over = {
            let folder = folder.clone();
            move || drag_over.get().as_deref() == Some(folder.as_str())
        };
        let enter = folder.clone();
        let dropped = folder.clone();
        let count = files.len();
        view! {
            <section class="volume-folder" data-testid="drop-zone" class:drag-over=over
                aria-label=format!("{folder}, {count} file{}", if count == 1 { "" } else { "s" })
                on:dragover=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    set_drag_over.set(Some(enter.clone()));
                }
                on:dragleave=move |ev: web_sys::DragEvent| {
                    // Leaving for a child of the folder is not leaving the folder.
                    let node = |t: Option<web_sys::EventTarget>| t.and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                    let inside = match (node(ev.current_target()), node(ev.related_target())) {
                        (Some(zone), Some(to)) => zone.contains(Some(&to)),
                        _ => false,
                    };
                    if !inside {
                        set_drag_over.set(None);
                    }
                }
                on:drop=move |ev: web_sys::DragEvent| {
                    ev.prevent_default();
                    set_drag_over.set(None);
                    if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
                        start_upload(dropped.clone(), files);
                    }
                }
            >
                <h3 class="volume-folder-name"><code>{folder.clone()}</code></h3>
                {if files.is_empty() {
                    view! { <p class="volume-empty">"No files yet. Drop files here to upload them."</p> }.into_any()
                } else {
                    view! { <ul class="volume-files">{files.into_iter().map(file_row).collect_view()}</ul> }.into_any()
                }}
            </section>
        }
    };

    view! {
        <section class="volume-browser" data-testid="volume-browser" aria-label="Volume">
            <h2>"Volume"</h2>
            <div class="volume-upload">
                <label>
                    "Upload to "
                    <select data-testid="upload-folder" on:change=move |ev| set_chosen_folder.set(Some(event_target_value(&ev)))>
                        {move || {
                            let chosen = upload_folder();
                            groups.with(|g| g.keys().map(|f| {
                                let selected = chosen.as_deref() == Some(f.as_str());
                                view! { <option value=f.clone() selected=selected>{f.clone()}</option> }
                            }).collect_view())
                        }}
                    </select>
                </label>
                <label class="upload-button">
                    "Choose files…"
                    <input type="file" multiple accept=".csv,.json,.parquet" data-testid="upload-input"
                        disabled=move || uploading.get() || upload_folder().is_none()
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            if let (Some(files), Some(folder)) = (input.files(), upload_folder()) {
                                start_upload(folder, files);
                            }
                            input.set_value("");
                        }
                    />
                </label>
                <span class="field-hint">"CSV, JSON lines or Parquet; or drop files onto a folder below."</span>
            </div>
            <Show when=move || uploading.get()>
                <p role="status">"Uploading…"</p>
            </Show>
            {move || {
                let list = errors.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="form-error" role="alert">{list.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                })
            }}
            {move || match listing.get() {
                None => view! { <p role="status">"Reading the volume…"</p> }.into_any(),
                Some(Err(p)) => view! { <p class="form-error" role="alert">{p.sentence()}</p> }.into_any(),
                Some(Ok(_)) if groups.with(BTreeMap::is_empty) => view! {
                    <p class="volume-empty">"The volume is empty: generate data, or upload files once the project is validated."</p>
                }.into_any(),
                Some(Ok(_)) => groups.get().into_iter().map(folder_section).collect_view().into_any(),
            }}
            {move || preview.get().map(|path| view! {
                <div class="volume-preview">
                    <button type="button" class="small" on:click=move |_| set_preview.set(None)>"Close preview"</button>
                    <TableViewer
                        source=Signal::derive(move || Some(RowSource::File { path: path.clone() }))
                        title=format!("First rows of {}", preview.get_untracked().unwrap_or_default())
                    />
                </div>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: u64) -> VolumeFile {
        VolumeFile {
            path: path.into(),
            size,
            origin: FileOrigin::Generated,
        }
    }

    #[test]
    fn test_landing_folder() {
        assert_eq!(
            landing_folder("/Volumes/c/s/sensor_bronze/part-0001.csv"),
            "/Volumes/c/s/sensor_bronze"
        );
        assert_eq!(
            landing_folder("/Volumes/c/s/v/2024/01/a.csv"),
            "/Volumes/c/s/v"
        );
        assert_eq!(landing_folder("/Volumes/c/s/v"), "/Volumes/c/s/v");
    }

    #[test]
    fn test_size_label() {
        assert_eq!(size_label(812), "812 B");
        assert_eq!(size_label(14_200), "14.2 KB");
        assert_eq!(size_label(3_400_000), "3.4 MB");
    }

    #[test]
    fn test_group_files_keeps_empty_expected_folders() {
        let files = [
            file("/Volumes/c/s/a/1.csv", 1),
            file("/Volumes/c/s/a/2.csv", 2),
        ];
        let groups = group_files(&files, &["/Volumes/c/s/b".to_string()]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups["/Volumes/c/s/a"].len(), 2);
        assert!(groups["/Volumes/c/s/b"].is_empty());
    }
}
