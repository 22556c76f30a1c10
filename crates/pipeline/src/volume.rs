//! Where Auto Loader finds files: `/Volumes/<catalog>/<schema>/<volume>/...` paths served from
//! memory (the browser) or from a local folder (the CLI's `--volume`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file found in a volume.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEntry {
    /// Absolute path as the pipeline names it (`/Volumes/default/iot/sensor_bronze/part-0.csv`).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
}

/// Errors reading a volume.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VolumeError {
    /// No file at this path.
    #[error("file not found: {0}")]
    NotFound(String),
    /// The underlying storage failed.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The storage's message.
        message: String,
    },
}

/// A read-only file tree addressed by absolute `/Volumes/...` paths.
pub trait Volume {
    /// Every file under folder `dir` (recursively), sorted by path. A missing folder is empty.
    fn list(&self, dir: &str) -> Result<Vec<FileEntry>, VolumeError>;
    /// A file's bytes.
    fn read(&self, path: &str) -> Result<Arc<[u8]>, VolumeError>;
    /// The decoded Arrow IPC copy kept beside a Parquet file, if the volume keeps one (the
    /// browser's engine has no Parquet decoder: the page decodes uploads and sends both).
    fn decoded(&self, path: &str) -> Option<Arc<[u8]>> {
        let _ = path;
        None
    }
}

/// Normalise a volume path: leading `/`, no trailing `/`, no `dbfs:` scheme, no `//`.
///
/// # Examples
/// ```
/// assert_eq!(pipeline::volume::normalize("dbfs:/Volumes/a/b/c/"), "/Volumes/a/b/c");
/// ```
pub fn normalize(path: &str) -> String {
    let path = path.strip_prefix("dbfs:").unwrap_or(path);
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

fn is_under(path: &str, dir: &str) -> bool {
    dir == "/"
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A volume held in memory (the browser's), shared cheaply between clones. Beside a Parquet
/// file's original bytes it may keep the file's decoded Arrow IPC copy ([`Volume::decoded`]).
///
/// # Examples
/// ```
/// use pipeline::volume::{MemoryVolume, Volume};
/// let mut volume = MemoryVolume::new();
/// volume.insert("/Volumes/default/iot/sensor_bronze/part-0.csv", b"a,b\n1,2\n".to_vec());
/// let files = volume.list("/Volumes/default/iot/sensor_bronze").unwrap();
/// assert_eq!(files[0].size, 8);
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryVolume {
    files: BTreeMap<String, Arc<[u8]>>,
    /// Path of a Parquet file → its rows as an Arrow IPC file.
    decoded: BTreeMap<String, Arc<[u8]>>,
}

impl MemoryVolume {
    /// An empty volume.
    pub fn new() -> Self {
        MemoryVolume::default()
    }

    /// Add or replace a file (a replaced file's decoded copy goes with it).
    pub fn insert(&mut self, path: &str, bytes: impl Into<Arc<[u8]>>) {
        let path = normalize(path);
        self.decoded.remove(&path);
        self.files.insert(path, bytes.into());
    }

    /// Add or replace a file together with its decoded Arrow IPC copy.
    pub fn insert_with_decoded(
        &mut self,
        path: &str,
        bytes: impl Into<Arc<[u8]>>,
        decoded: impl Into<Arc<[u8]>>,
    ) {
        self.insert(path, bytes);
        self.decoded.insert(normalize(path), decoded.into());
    }

    /// Remove a file and its decoded copy.
    pub fn remove(&mut self, path: &str) -> bool {
        let path = normalize(path);
        self.decoded.remove(&path);
        self.files.remove(&path).is_some()
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the volume holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl Volume for MemoryVolume {
    fn list(&self, dir: &str) -> Result<Vec<FileEntry>, VolumeError> {
        let dir = normalize(dir);
        Ok(self
            .files
            .range(dir.clone()..)
            .take_while(|(p, _)| p.starts_with(&dir))
            .filter(|(p, _)| is_under(p, &dir))
            .map(|(p, b)| FileEntry {
                path: p.clone(),
                size: b.len() as u64,
            })
            .collect())
    }

    fn read(&self, path: &str) -> Result<Arc<[u8]>, VolumeError> {
        let path = normalize(path);
        self.files
            .get(&path)
            .cloned()
            .ok_or(VolumeError::NotFound(path))
    }

    fn decoded(&self, path: &str) -> Option<Arc<[u8]>> {
        self.decoded.get(&normalize(path)).cloned()
    }
}

/// A local folder under which `/Volumes/...` paths resolve (`iotwb run --volume <dir>`, the
/// layout `iotwb generate --out <dir>` writes).
#[derive(Debug, Clone)]
pub struct FolderVolume {
    root: PathBuf,
}

impl FolderVolume {
    /// A volume rooted at `root`: `/Volumes/a/b` is `<root>/Volumes/a/b`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FolderVolume { root: root.into() }
    }

    fn local(&self, path: &str) -> PathBuf {
        let mut local = self.root.clone();
        local.extend(normalize(path).split('/').filter(|p| !p.is_empty()));
        local
    }
}

fn io_error(path: &str, e: &std::io::Error) -> VolumeError {
    VolumeError::Io {
        path: path.to_string(),
        message: e.to_string(),
    }
}

fn walk(dir: &Path, virtual_dir: &str, out: &mut Vec<FileEntry>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        let virtual_path = format!("{virtual_dir}/{name}");
        let meta = entry.metadata()?;
        if meta.is_dir() {
            walk(&entry.path(), &virtual_path, out)?;
        } else {
            out.push(FileEntry {
                path: virtual_path,
                size: meta.len(),
            });
        }
    }
    Ok(())
}

impl Volume for FolderVolume {
    fn list(&self, dir: &str) -> Result<Vec<FileEntry>, VolumeError> {
        let dir = normalize(dir);
        let local = self.local(&dir);
        let mut out = Vec::new();
        match walk(&local, dir.trim_end_matches('/'), &mut out) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&dir, &e)),
        }
        out.sort();
        Ok(out)
    }

    fn read(&self, path: &str) -> Result<Arc<[u8]>, VolumeError> {
        let path = normalize(path);
        match std::fs::read(self.local(&path)) {
            Ok(bytes) => Ok(bytes.into()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(VolumeError::NotFound(path)),
            Err(e) => Err(io_error(&path, &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_list_is_recursive_sorted_and_prefix_safe() {
        let mut v = MemoryVolume::new();
        v.insert("/Volumes/a/s/x/2.csv", b"".to_vec());
        v.insert("/Volumes/a/s/x/sub/1.csv", b"".to_vec());
        v.insert("/Volumes/a/s/x/1.csv", b"".to_vec());
        v.insert("/Volumes/a/s/xy/1.csv", b"".to_vec());
        let paths: Vec<_> = v
            .list("/Volumes/a/s/x/")
            .unwrap()
            .into_iter()
            .map(|f| f.path)
            .collect();
        assert_eq!(
            paths,
            [
                "/Volumes/a/s/x/1.csv",
                "/Volumes/a/s/x/2.csv",
                "/Volumes/a/s/x/sub/1.csv"
            ]
        );
    }

    #[test]
    fn test_folder_volume_reads_local_files() {
        let root =
            std::env::temp_dir().join(format!("pipeline-volume-test-{}", std::process::id()));
        let dir = root.join("Volumes/c/s/v");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("f.csv"), b"x\n1\n").unwrap();
        let volume = FolderVolume::new(&root);
        let files = volume.list("/Volumes/c/s/v").unwrap();
        assert_eq!(
            files,
            vec![FileEntry {
                path: "/Volumes/c/s/v/f.csv".into(),
                size: 4
            }]
        );
        assert_eq!(&*volume.read("/Volumes/c/s/v/f.csv").unwrap(), b"x\n1\n");
        assert!(volume.list("/Volumes/c/s/missing").unwrap().is_empty());
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn test_decoded_copy_lives_and_dies_with_its_file() {
        let mut v = MemoryVolume::new();
        v.insert_with_decoded(
            "/Volumes/a/s/x/p.parquet",
            b"PAR1".to_vec(),
            b"ARROW1".to_vec(),
        );
        assert_eq!(
            v.decoded("/Volumes/a/s/x//p.parquet").as_deref(),
            Some(&b"ARROW1"[..])
        );
        // The listing shows the file as uploaded, not its copy.
        assert_eq!(v.list("/").unwrap()[0].size, 4);
        v.insert("/Volumes/a/s/x/p.parquet", b"PAR1 replaced".to_vec());
        assert!(v.decoded("/Volumes/a/s/x/p.parquet").is_none());
        v.insert_with_decoded(
            "/Volumes/a/s/x/p.parquet",
            b"PAR1".to_vec(),
            b"ARROW1".to_vec(),
        );
        assert!(v.remove("/Volumes/a/s/x/p.parquet"));
        assert!(v.decoded("/Volumes/a/s/x/p.parquet").is_none());
    }
}
