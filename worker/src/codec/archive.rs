//! The workspace file's zip (`protocol::workspace_file`): written from entries whose bytes
//! arrive concatenated, and read back with limits, since an imported file is untrusted (a zip
//! may claim small sizes and inflate to gigabytes; reading stops at the limit).

use std::io::{Cursor, Read, Write};

use protocol::Problem;
use protocol::workspace_file::{MAX_ENTRIES, MAX_UNZIPPED_BYTES, ZipEntry};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::convert;

/// One zip of `entries`, whose bytes are `bytes` in order; `to_parquet` entries are
/// converted from Arrow IPC to Parquet first (Parquet is compressed already: stored as is).
pub fn write(entries: &[ZipEntry], bytes: &[u8]) -> Result<Vec<u8>, Problem> {
    let fail = |e: &dyn std::fmt::Display| {
        Problem::error(format!("The workspace file could not be written: {e}"))
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let mut offset = 0usize;
    for entry in entries {
        let end = usize::try_from(entry.len)
            .ok()
            .and_then(|len| offset.checked_add(len))
            .filter(|end| *end <= bytes.len())
            .ok_or_else(|| fail(&format!("{} is longer than the bytes sent", entry.path)))?;
        let content = &bytes[offset..end];
        offset = end;
        let (content, method) = if entry.to_parquet {
            (
                convert::encode(&entry.path, content.to_vec())?,
                CompressionMethod::Stored,
            )
        } else {
            (content.to_vec(), CompressionMethod::Deflated)
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(content.len() >= u32::MAX as usize);
        zip.start_file(entry.path.as_str(), options)
            .map_err(|e| fail(&e))?;
        zip.write_all(&content).map_err(|e| fail(&e))?;
    }
    let cursor = zip.finish().map_err(|e| fail(&e))?;
    Ok(cursor.into_inner())
}

/// The files of zip `name` (folders left out), their bytes concatenated in order.
pub fn read(name: &str, zip: Vec<u8>) -> Result<(Vec<ZipEntry>, Vec<u8>), Problem> {
    let not_zip = |e: &dyn std::fmt::Display| {
        Problem::error(format!("{name} is not a workspace file (a zip): {e}"))
    };
    let mut archive = ZipArchive::new(Cursor::new(zip)).map_err(|e| not_zip(&e))?;
    if archive.len() > MAX_ENTRIES {
        return Err(Problem::error(format!(
            "{name} holds {} files, more than the {MAX_ENTRIES} a workspace file may have.",
            archive.len()
        )));
    }
    let mut entries = Vec::new();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let file = archive.by_index(i).map_err(|e| not_zip(&e))?;
        if file.is_dir() {
            continue;
        }
        let path = file.name().to_string();
        let room = MAX_UNZIPPED_BYTES - out.len() as u64;
        let before = out.len();
        // One byte past the room tells a file that is too large from one that fits exactly.
        file.take(room + 1)
            .read_to_end(&mut out)
            .map_err(|e| not_zip(&format!("{path}: {e}")))?;
        if out.len() as u64 > MAX_UNZIPPED_BYTES {
            return Err(Problem::error(format!(
                "{name} unpacks to more than {} MB; a workspace file is smaller.",
                MAX_UNZIPPED_BYTES / (1024 * 1024)
            )));
        }
        entries.push(ZipEntry {
            path,
            len: (out.len() - before) as u64,
            to_parquet: false,
        });
    }
    Ok((entries, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, len: usize) -> ZipEntry {
        ZipEntry {
            path: path.into(),
            len: len as u64,
            to_parquet: false,
        }
    }

    #[test]
    fn test_zip_round_trip() {
        let a = b"x = 1\n".repeat(100);
        let b = b"SELECT 1".to_vec();
        let zip = write(
            &[
                entry("project/a.py", a.len()),
                entry("project/s/b.sql", b.len()),
            ],
            &[a.clone(), b.clone()].concat(),
        )
        .unwrap();
        let (entries, bytes) = read("w.zip", zip).unwrap();
        assert_eq!(
            entries,
            vec![
                entry("project/a.py", a.len()),
                entry("project/s/b.sql", b.len())
            ]
        );
        assert_eq!(bytes, [a, b].concat());
    }

    #[test]
    fn test_not_a_zip_and_short_bytes() {
        let err = read("w.zip", b"hello".to_vec()).unwrap_err();
        assert!(
            err.message.contains("w.zip is not a workspace file"),
            "{err:?}"
        );
        assert!(write(&[entry("a", 10)], b"abc").is_err());
    }

    #[test]
    fn test_an_inflating_zip_stops_at_the_limit() {
        // Zeros deflate about 1000:1: a small zip that unpacks past the limit.
        let zeros = vec![0u8; (MAX_UNZIPPED_BYTES / 2 + 1) as usize];
        let zip = write(
            &[entry("a.txt", zeros.len()), entry("b.txt", zeros.len())],
            &[zeros.clone(), zeros].concat(),
        )
        .unwrap();
        assert!(zip.len() < 2_000_000);
        let err = read("bomb.zip", zip).unwrap_err();
        assert!(err.message.contains("unpacks to more than"), "{err:?}");
    }
}
