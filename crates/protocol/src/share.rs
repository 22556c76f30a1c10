//! Share links: a learner's changed files in a URL fragment (`#share=<data>`), so that nothing
//! goes to a server. `<data>` is base64url (no padding) of the raw-deflate compression of a
//! [`SharedWork`] JSON document; the page compresses with the browser's `CompressionStream`,
//! this module does everything else, so that it is tested natively.
//!
//! A link is untrusted input. Every step has a limit checked before the next one runs: the
//! fragment's length before decoding, the decompressed size (the page stops inflating at
//! [`MAX_PAYLOAD_BYTES`]), the format version before the document is read, then every path
//! ([`check_path`]) and the number of files. Texts are only ever shown as text.
//!
//! # Examples
//! ```
//! use std::collections::BTreeMap;
//! use protocol::Variant;
//! use protocol::share::{SharedWork, base64url_decode, base64url_encode, read_payload};
//! let published = BTreeMap::from([("a.py".to_string(), "x = 1\n".to_string())]);
//! let mine = BTreeMap::from([("a.py".to_string(), "x = 2\n".to_string())]);
//! let work = SharedWork::changes(Variant::Python, &published, &mine);
//! let data = base64url_encode(&work.payload()); // the page deflates the payload first
//! let back = read_payload(&base64url_decode(&data).unwrap()).unwrap();
//! assert_eq!(back.apply(&published), mine);
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Variant;

/// Version of [`SharedWork`]; a link of another version is refused with a sentence saying so.
pub const SHARE_FORMAT: u32 = 1;
/// The fragment's key: `#share=<data>`.
pub const FRAGMENT_KEY: &str = "share=";
/// The longest `<data>` read, in characters: a course project's changed files take a few
/// kilobytes; browsers keep URLs of 2 MB, chat tools cut far shorter ones.
pub const MAX_LINK_CHARS: usize = 128 * 1024;
/// The most bytes a link may inflate to (a deflate "bomb" stops here).
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;
/// The most files a link may hold.
pub const MAX_FILES: usize = 200;
/// The longest project path accepted.
pub const MAX_PATH_CHARS: usize = 160;
/// The kinds of file a pipeline project holds.
const PROJECT_EXTENSIONS: [&str; 10] = [
    "py", "sql", "yml", "yaml", "json", "md", "txt", "csv", "toml", "cfg",
];

/// What a link carries: the learner's files that differ from the published project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedWork {
    /// [`SHARE_FORMAT`].
    pub format: u32,
    /// The published project the changes apply to.
    pub variant: Variant,
    /// Changed and added files: path → text.
    pub files: BTreeMap<String, String>,
    /// Published files the learner deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deleted: Vec<String>,
}

/// Why a link cannot be opened. Nothing was changed in any case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// `<data>` is longer than [`MAX_LINK_CHARS`].
    TooLong {
        /// Its length.
        chars: usize,
    },
    /// A character that is not base64url, at this 1-based column of `<data>`.
    NotBase64 {
        /// Where.
        column: usize,
    },
    /// The data ends in the middle (the link was cut when it was copied).
    Truncated,
    /// It inflates to more than [`MAX_PAYLOAD_BYTES`].
    TooLarge,
    /// The inflated document is not text, or not a share document.
    Malformed(String),
    /// A share document of another format version.
    Version {
        /// The link's version.
        found: u32,
    },
    /// A path that is not a project file's.
    BadPath {
        /// The path as the link has it (shown as text).
        path: String,
        /// Why.
        reason: String,
    },
    /// More than [`MAX_FILES`] files.
    TooManyFiles {
        /// How many.
        count: usize,
    },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::TooLong { chars } => write!(
                f,
                "the link holds {chars} characters of data, more than the {MAX_LINK_CHARS} a share link may have"
            ),
            ShareError::NotBase64 { column } => write!(
                f,
                "the link's data has a character that does not belong there at column {column}"
            ),
            ShareError::Truncated => write!(
                f,
                "the link is incomplete: it was probably cut off when it was copied"
            ),
            ShareError::TooLarge => write!(
                f,
                "the link unpacks to more than {} MB, more than a project's files",
                MAX_PAYLOAD_BYTES / (1024 * 1024)
            ),
            ShareError::Malformed(why) => {
                write!(f, "the link's contents are not a project ({why})")
            }
            ShareError::Version { found } => write!(
                f,
                "the link is in share format {found}, and this workbook reads format {SHARE_FORMAT}"
            ),
            ShareError::BadPath { path, reason } => {
                write!(
                    f,
                    "the link names a file “{path}” that cannot be a project file: {reason}"
                )
            }
            ShareError::TooManyFiles { count } => write!(
                f,
                "the link holds {count} files, more than the {MAX_FILES} a project may have"
            ),
        }
    }
}

impl std::error::Error for ShareError {}

impl SharedWork {
    /// What differs between the `published` files and the learner's (`mine`).
    pub fn changes(
        variant: Variant,
        published: &BTreeMap<String, String>,
        mine: &BTreeMap<String, String>,
    ) -> SharedWork {
        SharedWork {
            format: SHARE_FORMAT,
            variant,
            files: mine
                .iter()
                .filter(|(path, text)| published.get(*path) != Some(*text))
                .map(|(path, text)| (path.clone(), text.clone()))
                .collect(),
            deleted: published
                .keys()
                .filter(|path| !mine.contains_key(*path))
                .cloned()
                .collect(),
        }
    }

    /// The learner's files again: the `published` ones with these changes.
    pub fn apply(&self, published: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut files = published.clone();
        for path in &self.deleted {
            files.remove(path);
        }
        files.extend(self.files.iter().map(|(p, t)| (p.clone(), t.clone())));
        files
    }

    /// The document to compress into a link.
    pub fn payload(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a share document always serializes")
    }
}

/// The `<data>` of a `#share=<data>` fragment (with or without the `#`); `None` for any other
/// fragment (a glossary anchor), so that only share links are read.
pub fn fragment_data(fragment: &str) -> Option<&str> {
    fragment
        .strip_prefix('#')
        .unwrap_or(fragment)
        .strip_prefix(FRAGMENT_KEY)
}

/// A link's data as the compressed bytes, after the length check.
pub fn link_bytes(data: &str) -> Result<Vec<u8>, ShareError> {
    let chars = data.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(ShareError::TooLong { chars });
    }
    base64url_decode(data)
}

/// The inflated document as a [`SharedWork`], every limit and path checked.
pub fn read_payload(bytes: &[u8]) -> Result<SharedWork, ShareError> {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return Err(ShareError::TooLarge);
    }
    let text =
        std::str::from_utf8(bytes).map_err(|_| ShareError::Malformed("it is not text".into()))?;
    // The version first, so a newer document is refused for what it is, not for its shape.
    #[derive(Deserialize)]
    struct Header {
        format: u32,
    }
    let header: Header =
        serde_json::from_str(text).map_err(|e| ShareError::Malformed(format!("{e}")))?;
    if header.format != SHARE_FORMAT {
        return Err(ShareError::Version {
            found: header.format,
        });
    }
    let work: SharedWork =
        serde_json::from_str(text).map_err(|e| ShareError::Malformed(format!("{e}")))?;
    let count = work.files.len() + work.deleted.len();
    if count > MAX_FILES {
        return Err(ShareError::TooManyFiles { count });
    }
    for path in work.files.keys().chain(&work.deleted) {
        check_path(path).map_err(|reason| ShareError::BadPath {
            path: path.chars().take(MAX_PATH_CHARS).collect(),
            reason,
        })?;
    }
    Ok(work)
}

/// Whether `path` can be a project file: relative, `/` between folders, letters, digits,
/// `_`, `-` and `.` only, no empty, `.` or `..` folder, and the extension of a project file.
pub fn check_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("it is empty".into());
    }
    if path.chars().count() > MAX_PATH_CHARS {
        return Err(format!("it is longer than {MAX_PATH_CHARS} characters"));
    }
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')))
    {
        return Err(format!("it contains {c:?}"));
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err("its folders cannot be empty, “.” or “..”".into());
    }
    let extension = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if extension.contains('/') || !PROJECT_EXTENSIONS.contains(&extension) {
        return Err(format!(
            "a project file ends in .{}",
            PROJECT_EXTENSIONS.join(", .")
        ));
    }
    Ok(())
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Bytes as base64url without padding (RFC 4648 §5): safe in a URL fragment as it is.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The bytes of base64url text (padding `=` at the end is accepted, not required).
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut bits, mut count) = (0u32, 0u32);
    for (i, c) in text.bytes().enumerate() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return Err(ShareError::NotBase64 { column: i + 1 }),
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    // One character left over holds 6 bits, never a whole byte: the text was cut.
    if count >= 6 {
        return Err(ShareError::Truncated);
    }
    Ok(out)
}
