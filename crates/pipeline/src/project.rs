//! A pipeline project as text files in memory: the browser edits them, the CLI loads a folder.

use std::collections::BTreeMap;
use std::path::Path;

/// The bundle's root configuration file.
pub const BUNDLE_FILE: &str = "databricks.yml";

/// A project: relative path → file text. Paths use `/`, never start with `./` or `/`.
///
/// # Examples
/// ```
/// let mut project = pipeline::Project::new();
/// project.insert("./src\\a.sql", "CREATE MATERIALIZED VIEW a AS SELECT 1 AS x");
/// assert!(project.get("src/a.sql").is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Project {
    files: BTreeMap<String, String>,
}

impl Project {
    /// An empty project.
    pub fn new() -> Self {
        Project::default()
    }

    /// A project from `(path, text)` pairs.
    pub fn from_files<P: AsRef<str>, T: Into<String>>(
        files: impl IntoIterator<Item = (P, T)>,
    ) -> Self {
        let mut project = Project::new();
        for (path, text) in files {
            project.insert(path.as_ref(), text);
        }
        project
    }

    /// Add or replace a file.
    pub fn insert(&mut self, path: &str, text: impl Into<String>) {
        self.files.insert(normalize(path), text.into());
    }

    /// Remove a file, returning its text.
    pub fn remove(&mut self, path: &str) -> Option<String> {
        self.files.remove(&normalize(path))
    }

    /// The text of a file.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(&normalize(path)).map(String::as_str)
    }

    /// Every file path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Every `(path, text)` pair, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, t)| (p.as_str(), t.as_str()))
    }

    /// Load every text file under `dir` (skipping hidden files and folders, and files that are
    /// not UTF-8, such as images).
    pub fn from_dir(dir: &Path) -> std::io::Result<Project> {
        let mut project = Project::new();
        load_dir(dir, dir, &mut project)?;
        Ok(project)
    }
}

fn load_dir(root: &Path, dir: &Path, project: &mut Project) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            load_dir(root, &path, project)?;
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            project.insert(&relative.to_string_lossy(), text);
        }
    }
    Ok(())
}

/// Normalise a relative path: `/` separators, no `.` segments, `..` resolved where possible.
///
/// # Examples
/// ```
/// assert_eq!(pipeline::project::normalize("./resources/../src//a.py"), "src/a.py");
/// ```
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The folder part of a project path (`""` for files at the root).
pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Join a path written in a file of folder `base` onto it, normalised.
pub fn join(base: &str, relative: &str) -> String {
    if base.is_empty() {
        normalize(relative)
    } else {
        normalize(&format!("{base}/{relative}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_join_resolves_parent_segments() {
        assert_eq!(join("resources", "../src/a.py"), "src/a.py");
        assert_eq!(join("", "src/a.py"), "src/a.py");
    }

    #[test]
    fn test_parent_of_root_file_is_empty() {
        assert_eq!(parent("databricks.yml"), "");
        assert_eq!(parent("resources/x.yml"), "resources");
    }
}
