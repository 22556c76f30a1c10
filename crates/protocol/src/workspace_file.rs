//! The workspace as one file, to move between machines or hand in work: a zip holding
//! [`MANIFEST_PATH`] (a [`WorkspaceManifest`]), the learner's files under [`PROJECT_DIR`], and
//! optionally the published tables as Parquet under [`TABLES_DIR`] (to read elsewhere; an
//! import rebuilds tables by running the pipeline). The codec worker writes and reads the zip
//! ([`crate::CodecRequest::Zip`], [`crate::CodecRequest::Unzip`]); the page checks what it
//! read with [`read_manifest`] and [`check_project_path`].
//!
//! # Examples
//! ```
//! use protocol::workspace_file::{check_project_path, project_path};
//! assert_eq!(project_path("project/src/a.py"), Some("src/a.py"));
//! assert!(check_project_path("src/../../x.py").is_err());
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{GeneratorSettings, Variant};

/// Version of [`WorkspaceManifest`].
pub const WORKSPACE_FILE_FORMAT: u32 = 1;
/// The manifest's path in the zip.
pub const MANIFEST_PATH: &str = "iotwb-workspace.json";
/// The folder of the learner's files in the zip.
pub const PROJECT_DIR: &str = "project/";
/// The folder of the tables in the zip.
pub const TABLES_DIR: &str = "tables/";
/// The most bytes an imported zip may unpack to (files and tables): the codec stops there.
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;
/// The most entries an imported zip may hold.
pub const MAX_ENTRIES: usize = 2000;

/// One file of a zip, on the wire: its path and length; the bytes of all entries travel
/// beside the message, concatenated in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZipEntry {
    /// Path in the zip.
    pub path: String,
    /// Length of its bytes.
    pub len: u64,
    /// The bytes are an Arrow IPC file to store as Parquet (tables, when writing).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub to_parquet: bool,
}

/// What the zip says about the workspace besides its files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceManifest {
    /// [`WORKSPACE_FILE_FORMAT`].
    pub format: u32,
    /// The published project the files started from.
    pub variant: Variant,
    /// Path → fingerprint of the published original each file started from.
    #[serde(default)]
    pub based_on: BTreeMap<String, u64>,
    /// The data generator's settings.
    #[serde(default)]
    pub generator: Option<GeneratorSettings>,
    /// The tables included as Parquet (qualified names).
    #[serde(default)]
    pub tables: Vec<String>,
}

/// The manifest of a zip, checked: its version first.
pub fn read_manifest(bytes: &[u8]) -> Result<WorkspaceManifest, String> {
    #[derive(Deserialize)]
    struct Header {
        format: u32,
    }
    let header: Header = serde_json::from_slice(bytes)
        .map_err(|e| format!("{MANIFEST_PATH}:{}:{}: {e}", e.line(), e.column()))?;
    if header.format != WORKSPACE_FILE_FORMAT {
        return Err(format!(
            "{MANIFEST_PATH}: the file is in workspace format {}, and this workbook reads format {WORKSPACE_FILE_FORMAT}",
            header.format
        ));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| format!("{MANIFEST_PATH}:{}:{}: {e}", e.line(), e.column()))
}

/// A zip path under [`PROJECT_DIR`] as the project path, `None` for other entries.
pub fn project_path(zip_path: &str) -> Option<&str> {
    zip_path
        .strip_prefix(PROJECT_DIR)
        .filter(|p| !p.is_empty() && !p.ends_with('/'))
}

/// Whether a file from a zip can be a project file: relative, `/` between folders, no empty,
/// `.` or `..` folder, no control character (looser than share links: a learner's own file
/// may be called anything the workbench lets them create).
pub fn check_project_path(path: &str) -> Result<(), String> {
    if path.is_empty() || path.len() > 260 {
        return Err(format!("“{path}” is not a usable file name"));
    }
    if path.starts_with('/') || path.contains('\\') || path.chars().any(char::is_control) {
        return Err(format!(
            "“{}” is not a relative path with / between folders",
            path.escape_debug()
        ));
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(format!("“{path}”: folders cannot be empty, “.” or “..”"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_manifest_round_trip_and_version() {
        let manifest = WorkspaceManifest {
            format: WORKSPACE_FILE_FORMAT,
            variant: Variant::Sql,
            based_on: BTreeMap::from([("a.sql".into(), 7)]),
            generator: Some(GeneratorSettings::default()),
            tables: vec!["iot.main.t".into()],
        };
        let bytes = serde_json::to_vec(&manifest).unwrap();
        assert_eq!(read_manifest(&bytes).unwrap(), manifest);
        let newer = br#"{"format": 9, "variant": "cobol"}"#;
        assert!(read_manifest(newer).unwrap_err().contains("format 9"));
        let broken = b"{\n  \"format\": 1,\n  oops";
        assert!(
            read_manifest(broken)
                .unwrap_err()
                .starts_with(MANIFEST_PATH)
        );
    }

    #[test]
    fn test_project_paths() {
        assert_eq!(project_path("project/"), None);
        assert_eq!(project_path("project/src/"), None);
        assert_eq!(project_path("tables/x.parquet"), None);
        assert!(check_project_path("src/notes").is_ok());
        for bad in ["", "/etc/x", "a\\b", "a//b", "./a", "a/../b", "a\u{0}b"] {
            assert!(check_project_path(bad).is_err(), "{bad:?}");
        }
    }
}
