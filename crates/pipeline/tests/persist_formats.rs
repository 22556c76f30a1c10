//! The saved state's formats: rows as Arrow IPC files (format 2), and format 1 folders (rows
//! as Parquet) that only a build with the `parquet` feature reads.

mod common;

use common::{land, load, project, rows, update};
use pipeline::persist::{self, StateFiles};
use pipeline::state::State;
use pipeline::volume::MemoryVolume;

fn state_with_a_table() -> State {
    let p = load(&project(&[(
        "raw.sql",
        "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('/Volumes/main/s/landing', format => 'csv', header => true)",
    )]));
    let mut volume = MemoryVolume::new();
    land(
        &mut volume,
        "/Volumes/main/s/landing/a.csv",
        "id,x\n1,a\n2,\n",
    );
    let mut state = State::new();
    update(&p, &mut state, &volume);
    state
}

#[test]
fn test_tables_are_saved_as_arrow_ipc_files_and_read_back() {
    let state = state_with_a_table();
    let files = persist::to_files(&state).unwrap();
    let table = &files["tables/main.s.raw.arrow"];
    assert_eq!(&table[..6], b"ARROW1");
    assert!(!files.keys().any(|f| f.ends_with(".parquet")));
    let manifest = std::str::from_utf8(&files[persist::STATE_FILE]).unwrap();
    assert!(manifest.contains("\"format\": 2"), "{manifest}");
    let restored = persist::from_files(&files).unwrap();
    assert_eq!(rows(&restored, "main.s.raw"), rows(&state, "main.s.raw"));
}

/// `files` as a format 1 folder: the same manifest, rows as `tables/<key>.parquet`.
#[cfg(feature = "parquet")]
fn as_format_1(state: &State, files: &StateFiles) -> StateFiles {
    let mut old = StateFiles::new();
    for (key, t) in &state.tables {
        let bytes = persist::table_to_parquet(&t.table).unwrap();
        old.insert(format!("tables/{key}.parquet"), bytes);
    }
    let manifest = String::from_utf8(files[persist::STATE_FILE].clone()).unwrap();
    let manifest = manifest.replace("\"format\": 2", "\"format\": 1");
    old.insert(persist::STATE_FILE.into(), manifest.into_bytes());
    old.insert(
        persist::EVENT_LOG_FILE.into(),
        files[persist::EVENT_LOG_FILE].clone(),
    );
    old
}

#[cfg(feature = "parquet")]
#[test]
fn test_a_format_1_folder_is_read_and_saving_replaces_its_parquet_files() {
    let state = state_with_a_table();
    let old = as_format_1(&state, &persist::to_files(&state).unwrap());
    let restored = persist::from_files(&old).unwrap();
    assert_eq!(rows(&restored, "main.s.raw"), rows(&state, "main.s.raw"));
    let dir = std::env::temp_dir().join(format!("persist-format-1-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tables")).unwrap();
    for (name, bytes) in &old {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let loaded = persist::load(&dir).unwrap();
    persist::save(&loaded, &dir).unwrap();
    let mut tables: Vec<String> = std::fs::read_dir(dir.join("tables"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    tables.sort();
    assert_eq!(tables, ["main.s.raw.arrow"]);
    assert_eq!(
        rows(&persist::load(&dir).unwrap(), "main.s.raw"),
        rows(&state, "main.s.raw")
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(not(feature = "parquet"))]
#[test]
fn test_without_the_parquet_feature_a_format_1_folder_is_a_clear_error() {
    let state = state_with_a_table();
    let mut files = persist::to_files(&state).unwrap();
    let manifest = String::from_utf8(files[persist::STATE_FILE].clone()).unwrap();
    files.insert(
        persist::STATE_FILE.into(),
        manifest
            .replace("\"format\": 2", "\"format\": 1")
            .into_bytes(),
    );
    files.insert("tables/main.s.raw.parquet".into(), b"PAR1".to_vec());
    let err = persist::from_files(&files).unwrap_err().to_string();
    assert!(
        err.contains("format 1") && err.contains("start from an empty --state folder"),
        "{err}"
    );
}

#[test]
fn test_an_unknown_format_is_refused() {
    let state = state_with_a_table();
    let mut files: StateFiles = persist::to_files(&state).unwrap();
    let manifest = String::from_utf8(files[persist::STATE_FILE].clone()).unwrap();
    files.insert(
        persist::STATE_FILE.into(),
        manifest
            .replace("\"format\": 2", "\"format\": 9")
            .into_bytes(),
    );
    let err = persist::from_files(&files).unwrap_err().to_string();
    assert!(err.contains("format 9 is not 2"), "{err}");
}
