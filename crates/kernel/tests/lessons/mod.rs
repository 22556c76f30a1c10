//! The lessons' fenced code blocks and what their info strings promise, shared by the
//! `lesson_*` tests (each test file checks one kind of promise).
//!
//! An info string is a language followed by words that say what the block is:
//!
//! | word | the block | checked by |
//! |---|---|---|
//! | `file=<path>` | is that course project file, whole | `lesson_files` |
//! | `excerpt=<path>` | is lines of that file, in order (`...` elides lines) | `lesson_files` |
//! | `replaces=<path>` | is a whole new version of that file, which must validate | `lesson_files` |
//! | `fragment` | is a piece of code to paste into a file (tokenized only) | `lesson_files` |
//! | `databricks-only "<reason>"` | is SQL the workbook's engine cannot run, and why | `lesson_sql` |
//!
//! Paths are project paths: a `.sql` file is the SQL project's, any other the Python
//! project's (the two share `resources/` and `config/`). A `sql` block with none of these words
//! is a query and runs against the course data; `cell …` blocks are the page's live cells
//! (`src/cells.rs`) and take none of these words.
#![allow(dead_code)] // each test binary uses the part it checks

use std::path::{Path, PathBuf};

/// One fenced block of a lesson.
#[derive(Debug, Clone)]
pub struct Block {
    /// The lesson's file name (`01-pipeline-basics.md`).
    pub lesson: String,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The first word of the info string (`python`, `sql`, `cell`, …).
    pub lang: String,
    /// The info string's other words, as written.
    pub words: Vec<String>,
    /// What the words say, when the block is not a cell.
    pub promise: Promise,
    /// The block's text, without the fence's indentation, ending without a newline.
    pub body: String,
}

/// What a block's info string says about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Promise {
    pub file: Option<String>,
    pub excerpt: Option<String>,
    pub replaces: Option<String>,
    pub fragment: bool,
    pub databricks_only: Option<String>,
}

impl Block {
    /// `01-pipeline-basics.md:216`, how every failure names the block.
    pub fn at(&self) -> String {
        format!("lessons/{}:{}", self.lesson, self.line)
    }

    /// The 1-based lesson line of the block's `index`th body line (0-based).
    pub fn body_line(&self, index: usize) -> usize {
        self.line + 1 + index
    }

    /// Whether this is a query to run: a `sql` block that promises nothing else.
    pub fn is_query(&self) -> bool {
        self.lang == "sql" && self.promise == Promise::default()
    }
}

/// The words an info string may carry after its language (for the error message).
pub const WORDS: &[&str] = &[
    "file=<path>",
    "excerpt=<path>",
    "replaces=<path>",
    "fragment",
    "databricks-only \"<reason>\"",
];

/// Splits an info string into words; a double-quoted string is one word (quotes removed).
pub fn info_words(info: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = info.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            words.push(quoted[..end].to_string());
            rest = quoted.get(end + 1..).unwrap_or("").trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            words.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
    }
    words
}

/// What the words after the language promise; an error sentence for a word nobody checks.
pub fn promise(words: &[String]) -> Result<Promise, String> {
    let mut promise = Promise::default();
    let mut words = words.iter();
    while let Some(word) = words.next() {
        if let Some(path) = word.strip_prefix("file=") {
            promise.file = Some(path.to_string());
        } else if let Some(path) = word.strip_prefix("excerpt=") {
            promise.excerpt = Some(path.to_string());
        } else if let Some(path) = word.strip_prefix("replaces=") {
            promise.replaces = Some(path.to_string());
        } else if word == "fragment" {
            promise.fragment = true;
        } else if word == "databricks-only" {
            let reason = words.next().filter(|r| r.contains(' ')).ok_or(
                "`databricks-only` is followed by the reason in double quotes".to_string(),
            )?;
            promise.databricks_only = Some(reason.clone());
        } else {
            return Err(format!(
                "unknown info-string word `{word}`; the words are: {}",
                WORDS.join(", ")
            ));
        }
    }
    Ok(promise)
}

/// Every fenced block of one Markdown text. A fence is a run of three or more backticks at
/// the start of a line (after indentation, as inside a list item); it closes at a line of
/// at least as many backticks and nothing else.
pub fn blocks(lesson: &str, text: &str) -> Result<Vec<Block>, String> {
    let mut found = Vec::new();
    let mut open: Option<(Block, usize, usize, Vec<String>)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        match open.take() {
            None if ticks >= 3 => {
                let words = info_words(&trimmed[ticks..]);
                let lang = words.first().cloned().unwrap_or_default();
                let rest = words.get(1..).unwrap_or_default().to_vec();
                let promise = if lang == "cell" {
                    Promise::default()
                } else {
                    promise(&rest).map_err(|e| format!("lessons/{lesson}:{}: {e}", index + 1))?
                };
                let block = Block {
                    lesson: lesson.to_string(),
                    line: index + 1,
                    lang,
                    words: rest,
                    promise,
                    body: String::new(),
                };
                open = Some((block, ticks, indent, Vec::new()));
            }
            None => {}
            Some((mut block, fence, _, body))
                if ticks >= fence && trimmed[ticks..].trim().is_empty() =>
            {
                block.body = body.join("\n");
                found.push(block);
            }
            Some((block, fence, indent, mut body)) => {
                // Markdown strips up to the fence's indentation from each line of the block.
                let strip = line.len() - line.trim_start().len();
                body.push(line[strip.min(indent)..].to_string());
                open = Some((block, fence, indent, body));
            }
        }
    }
    if let Some((block, ..)) = open {
        return Err(format!("{}: the fenced block is never closed", block.at()));
    }
    Ok(found)
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The five lessons and the glossary: `(file name, text)`, sorted by name.
pub fn documents() -> Vec<(String, String)> {
    let dir = repo_root().join("lessons");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 5,
        "the five lessons are in {}",
        dir.display()
    );
    paths
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            (name, std::fs::read_to_string(path).unwrap())
        })
        .collect()
}

/// Every fenced block of every lesson, in order.
pub fn all_blocks() -> Vec<Block> {
    documents()
        .iter()
        .flat_map(|(name, text)| blocks(name, text).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The project folder a path belongs to: `.sql` files are the SQL project's.
pub fn project_dir(path: &str) -> PathBuf {
    let project = if path.ends_with(".sql") {
        "iot_sql"
    } else {
        "iot_python"
    };
    repo_root().join("crates/pipeline/projects").join(project)
}

/// The text of a course project file, or a sentence naming the files there are.
pub fn project_file(path: &str) -> Result<String, String> {
    let dir = project_dir(path);
    std::fs::read_to_string(dir.join(path)).map_err(|_| {
        let mut files = Vec::new();
        list(&dir, &dir, &mut files);
        files.sort();
        format!(
            "no file `{path}` in {}; its files are: {}",
            dir.display(),
            files.join(", ")
        )
    })
}

fn list(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            list(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().display().to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_blocks_read_info_words_indentation_and_lines() {
        let text = "# t\n```sql\nSELECT 0\n```\n1. step\n\n   ```python excerpt=src/a.py\n   x = 1\n     y\n   ```\n```sql databricks-only \"no from_json here\"\nSELECT 1\n```\n";
        let found = blocks("t.md", text).unwrap();
        assert_eq!(found.len(), 3);
        assert!(found[0].is_query());
        assert_eq!(found[1].line, 7);
        assert_eq!(found[1].promise.excerpt.as_deref(), Some("src/a.py"));
        assert_eq!(found[1].body, "x = 1\n  y");
        assert_eq!(
            found[2].promise.databricks_only.as_deref(),
            Some("no from_json here")
        );
        assert!(!found[2].is_query());
    }

    #[test]
    fn test_unknown_words_and_unclosed_fences_are_errors() {
        let err = blocks("t.md", "\n```sql excrept=a.sql\n```\n").unwrap_err();
        assert!(
            err.starts_with("lessons/t.md:2: unknown info-string word `excrept=a.sql`"),
            "{err}"
        );
        assert!(blocks("t.md", "```sql databricks-only\n```\n").is_err());
        let err = blocks("t.md", "```yaml\na: 1\n").unwrap_err();
        assert!(err.contains("never closed"), "{err}");
    }
}
