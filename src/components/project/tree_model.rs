//! The file tree's rows: the project's paths laid out as folders and files, in the order the
//! tree shows them, skipping the contents of collapsed folders. Pure, so it is tested natively.

use std::collections::{BTreeMap, BTreeSet};

/// One visible row of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// The file's path, or the folder's path without a trailing `/`.
    pub path: String,
    /// The last part of the path.
    pub name: String,
    /// 1-based depth (`aria-level`).
    pub level: usize,
    /// A folder (else a file).
    pub folder: bool,
    /// The folder of this row (`""` at the top).
    pub parent: String,
}

#[derive(Default)]
struct Folder {
    folders: BTreeMap<String, Folder>,
    files: BTreeSet<String>,
}

/// The visible rows for `paths`: at each level `databricks.yml`-style top files after the
/// folders, as the explorer of VS Code shows them; folders in `collapsed` show no children.
///
/// # Examples
/// ```
/// use iot_workbook::components::project::tree_model::visible_rows;
/// let rows = visible_rows(["databricks.yml", "src/gold/a.sql"], &Default::default());
/// let paths: Vec<&str> = rows.iter().map(|r| r.path.as_str()).collect();
/// assert_eq!(paths, ["src", "src/gold", "src/gold/a.sql", "databricks.yml"]);
/// ```
pub fn visible_rows<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    collapsed: &BTreeSet<String>,
) -> Vec<TreeRow> {
    let mut root = Folder::default();
    for path in paths {
        let mut parts: Vec<&str> = path.split('/').collect();
        let Some(file) = parts.pop() else { continue };
        let mut folder = &mut root;
        for part in parts {
            folder = folder.folders.entry(part.to_string()).or_default();
        }
        folder.files.insert(file.to_string());
    }
    let mut rows = Vec::new();
    walk(&root, "", 1, collapsed, &mut rows);
    rows
}

fn walk(
    folder: &Folder,
    prefix: &str,
    level: usize,
    collapsed: &BTreeSet<String>,
    rows: &mut Vec<TreeRow>,
) {
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        }
    };
    for (name, child) in &folder.folders {
        let path = join(name);
        rows.push(TreeRow {
            path: path.clone(),
            name: name.clone(),
            level,
            folder: true,
            parent: prefix.to_string(),
        });
        if !collapsed.contains(&path) {
            walk(child, &path, level + 1, collapsed, rows);
        }
    }
    for name in &folder.files {
        rows.push(TreeRow {
            path: join(name),
            name: name.clone(),
            level,
            folder: false,
            parent: prefix.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATHS: [&str; 5] = [
        "databricks.yml",
        "resources/pipeline.yml",
        "src/bronze/sensor_bronze.py",
        "src/silver/inspection_silver.py",
        "src/silver/sensor_silver.py",
    ];

    #[test]
    fn test_rows_nest_folders_before_files() {
        let rows = visible_rows(PATHS, &BTreeSet::new());
        let shown: Vec<(usize, &str, bool)> = rows
            .iter()
            .map(|r| (r.level, r.name.as_str(), r.folder))
            .collect();
        assert_eq!(
            shown,
            [
                (1, "resources", true),
                (2, "pipeline.yml", false),
                (1, "src", true),
                (2, "bronze", true),
                (3, "sensor_bronze.py", false),
                (2, "silver", true),
                (3, "inspection_silver.py", false),
                (3, "sensor_silver.py", false),
                (1, "databricks.yml", false),
            ]
        );
        assert_eq!(rows[4].parent, "src/bronze");
        assert_eq!(rows[4].path, "src/bronze/sensor_bronze.py");
    }

    #[test]
    fn test_collapsed_folders_hide_their_children() {
        let collapsed: BTreeSet<String> = ["src/silver".to_string()].into();
        let rows = visible_rows(PATHS, &collapsed);
        assert!(rows.iter().any(|r| r.path == "src/silver"));
        assert!(!rows.iter().any(|r| r.path.starts_with("src/silver/")));
        let collapsed: BTreeSet<String> = ["src".to_string()].into();
        assert_eq!(visible_rows(PATHS, &collapsed).len(), 4);
    }
}
