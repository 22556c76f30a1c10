//! Inputs that once crashed or hung, kept as files and replayed by ordinary tests.

use std::path::Path;

/// Every file under `dir` (sorted by name) as `(file name, contents)`. The contents are read as
/// bytes and decoded lossily, so a regression may hold invalid UTF-8 as found.
///
/// # Panics
/// When `dir` cannot be read or holds no file: a replay test that replays nothing proves nothing.
pub fn cases(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no regression case in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}
