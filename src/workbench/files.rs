//! The learner's copy of the course project: which variant it started from, every file's
//! text, and which published original each file was copied from (to notice when the host
//! publishes a changed original).

use std::collections::BTreeMap;

use protocol::{ProjectFiles, Variant};
use serde::{Deserialize, Serialize};

use crate::progress::ExerciseStatus;

mod published {
    include!(concat!(env!("OUT_DIR"), "/projects.rs"));
}

/// Version of the saved shape below; a saved workspace of another version is not loaded
/// silently (the page says so and offers the files as a download).
pub const FILES_FORMAT: u32 = 1;

/// The published files of a variant: `(path, text)`, sorted by path.
pub fn originals(variant: Variant) -> &'static [(&'static str, &'static str)] {
    match variant {
        Variant::Python => published::PYTHON,
        Variant::Sql => published::SQL,
    }
}

/// The published text of one file, if the variant has it.
pub fn original(variant: Variant, path: &str) -> Option<&'static str> {
    originals(variant)
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| *text)
}

/// A short fingerprint of a text (FNV-1a, 64 bit): equal texts, equal fingerprints.
///
/// # Examples
/// ```
/// use iot_workbook::workbench::files::fingerprint;
/// assert_eq!(fingerprint("a"), fingerprint("a"));
/// assert_ne!(fingerprint("a"), fingerprint("b"));
/// ```
pub fn fingerprint(text: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    text.bytes()
        .fold(OFFSET, |hash, b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

/// The learner's project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// [`FILES_FORMAT`].
    pub format: u32,
    /// The variant it started from.
    pub variant: Variant,
    /// Path → text.
    pub files: BTreeMap<String, String>,
    /// Path → fingerprint of the published original the learner's copy started from.
    pub based_on: BTreeMap<String, u64>,
    /// Exercise id → where the learner is with it (saved with the files).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exercises: BTreeMap<String, ExerciseStatus>,
}

impl Workspace {
    /// A fresh copy of the published project.
    pub fn published(variant: Variant) -> Workspace {
        let files: BTreeMap<String, String> = originals(variant)
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let based_on = files
            .iter()
            .map(|(p, t)| (p.clone(), fingerprint(t)))
            .collect();
        Workspace {
            format: FILES_FORMAT,
            variant,
            files,
            based_on,
            exercises: BTreeMap::new(),
        }
    }

    /// A saved workspace from its text; the sentence says why it cannot be used (unknown
    /// format version, or damaged), and the caller keeps the text for the learner.
    pub fn from_saved(text: &str) -> Result<Workspace, String> {
        #[derive(Deserialize)]
        struct Header {
            format: u32,
        }
        let damaged = |e: serde_json::Error| {
            format!(
                "Your saved files could not be read (the saved copy is damaged: {e}); the published project is shown instead"
            )
        };
        let header: Header = serde_json::from_str(text).map_err(damaged)?;
        if header.format != FILES_FORMAT {
            return Err(format!(
                "Your saved files are in format {} and this workbook reads format {FILES_FORMAT}; the published project is shown instead",
                header.format
            ));
        }
        serde_json::from_str(text).map_err(damaged)
    }

    /// The files as the engine takes them.
    pub fn project(&self) -> ProjectFiles {
        ProjectFiles {
            files: self
                .files
                .iter()
                .map(|(p, t)| (p.clone(), t.clone()))
                .collect(),
        }
    }

    /// Files whose published original changed since the learner's copy was made.
    pub fn outdated(&self) -> Vec<String> {
        self.based_on
            .iter()
            .filter(|(path, hash)| {
                original(self.variant, path).is_some_and(|text| fingerprint(text) != **hash)
            })
            .map(|(path, _)| path.clone())
            .collect()
    }

    /// Whether the learner changed `path` from the original it started from.
    pub fn is_modified(&self, path: &str) -> bool {
        match (self.files.get(path), original(self.variant, path)) {
            (Some(mine), Some(published)) => mine != published,
            (Some(_), None) => true,
            (None, Some(_)) => true,
            (None, None) => false,
        }
    }

    /// Restore one file to its published text (also after the learner deleted it).
    pub fn reset_file(&mut self, path: &str) -> bool {
        let Some(text) = original(self.variant, path) else {
            return false;
        };
        self.files.insert(path.to_string(), text.to_string());
        self.based_on.insert(path.to_string(), fingerprint(text));
        true
    }

    /// Check a project path a learner typed: relative, `/`-separated, no `..`, a file name.
    pub fn check_path(&self, path: &str) -> Result<String, String> {
        let path = path.trim().trim_start_matches("./").to_string();
        if path.is_empty() {
            return Err("A file needs a name, for example src/silver/my_table.py.".into());
        }
        if path.starts_with('/') || path.contains('\\') {
            return Err(format!(
                "“{path}”: use a path relative to the project, with / between folders, for example src/gold/{}.",
                path.rsplit(['/', '\\']).next().unwrap_or("t.sql")
            ));
        }
        if path
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(format!("“{path}”: folders cannot be empty, “.” or “..”."));
        }
        if self.files.contains_key(&path) {
            return Err(format!("“{path}” already exists."));
        }
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_published_projects_hold_the_course_files() {
        for variant in [Variant::Python, Variant::Sql] {
            let ws = Workspace::published(variant);
            assert!(ws.files.contains_key("databricks.yml"));
            assert!(ws.files.keys().filter(|p| p.starts_with("src/")).count() >= 5);
            assert!(ws.outdated().is_empty());
            assert!(!ws.is_modified("databricks.yml"));
        }
    }

    #[test]
    fn test_outdated_when_the_original_changed() {
        let mut ws = Workspace::published(Variant::Python);
        ws.based_on.insert("databricks.yml".into(), 1);
        assert_eq!(ws.outdated(), vec!["databricks.yml".to_string()]);
        ws.reset_file("databricks.yml");
        assert!(ws.outdated().is_empty());
    }

    #[test]
    fn test_from_saved_tells_damaged_from_unknown_versions() {
        let ws = Workspace::published(Variant::Sql);
        let text = serde_json::to_string(&ws).unwrap();
        assert_eq!(Workspace::from_saved(&text), Ok(ws));
        let newer = text.replacen("\"format\":1", "\"format\":7", 1);
        assert!(
            Workspace::from_saved(&newer)
                .unwrap_err()
                .contains("format 7")
        );
        for damaged in ["{\"format\":1,\"files\":", "\u{0}garbage", "[]"] {
            let err = Workspace::from_saved(damaged).unwrap_err();
            assert!(err.contains("damaged"), "{damaged:?}: {err}");
        }
    }

    #[test]
    fn test_check_path() {
        let ws = Workspace::published(Variant::Python);
        assert_eq!(ws.check_path("src/gold/x.sql"), Ok("src/gold/x.sql".into()));
        assert!(ws.check_path("../x.py").is_err());
        assert!(ws.check_path("/abs.py").is_err());
        assert!(
            ws.check_path("databricks.yml")
                .unwrap_err()
                .contains("already exists")
        );
        assert!(ws.check_path("  ").is_err());
    }
}
