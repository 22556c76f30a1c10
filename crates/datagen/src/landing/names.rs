//! Volume paths and Spark-style part-file names.

use crate::error::{DatagenError, Result};
use crate::rng::Stream;

/// The landing volumes of one project: `/Volumes/<catalog>/<schema>/...`.
///
/// # Examples
/// ```
/// use datagen::Volume;
/// let volume = Volume::new("default", "iot_anomaly_detection").unwrap();
/// assert_eq!(volume.sensor_dir(), "/Volumes/default/iot_anomaly_detection/sensor_bronze");
/// assert!(Volume::new("default", "../etc").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    catalog: String,
    schema: String,
}

impl Volume {
    /// Checks that both names are safe single path segments (letters, digits, `_`, `-`).
    ///
    /// # Errors
    /// [`DatagenError::InvalidVolumeName`] naming the bad part.
    pub fn new(catalog: &str, schema: &str) -> Result<Self> {
        check_name("catalog", catalog)?;
        check_name("schema", schema)?;
        Ok(Volume {
            catalog: catalog.to_string(),
            schema: schema.to_string(),
        })
    }

    /// `/Volumes/<catalog>/<schema>`.
    #[must_use]
    pub fn root(&self) -> String {
        format!("/Volumes/{}/{}", self.catalog, self.schema)
    }

    /// The sensor landing folder, `<root>/sensor_bronze`.
    #[must_use]
    pub fn sensor_dir(&self) -> String {
        format!("{}/sensor_bronze", self.root())
    }

    /// The inspection landing folder, `<root>/inspection_bronze`.
    #[must_use]
    pub fn inspection_dir(&self) -> String {
        format!("{}/inspection_bronze", self.root())
    }
}

fn check_name(what: &'static str, name: &str) -> Result<()> {
    let bad = |reason: &str| DatagenError::InvalidVolumeName {
        what,
        name: name.to_string(),
        reason: reason.to_string(),
    };
    if name.is_empty() {
        return Err(bad("must not be empty"));
    }
    if name.len() > 255 {
        return Err(bad("longer than 255 characters"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(bad(&format!(
            "character `{c}` is not allowed (use letters, digits, `_`, `-`)"
        )));
    }
    Ok(())
}

/// A write job's id: a random (version 4 layout) UUID, like the one in Spark's part names.
pub(crate) fn write_id(rng: &mut Stream) -> String {
    let high = rng.next_u64();
    let low = rng.next_u64();
    // Version 4 in bits 76..80, RFC 4122 variant in bits 62..64.
    let high = (high & !0xf000) | 0x4000;
    let low = (low & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}

/// `part-00003-<id>-c000.csv`.
pub(crate) fn part_name(part: usize, id: &str) -> String {
    format!("part-{part:05}-{id}-c000.csv")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Phase;

    #[test]
    fn test_write_id_shape() {
        let mut rng = Stream::new(1, 0, Phase::FileIds);
        let id = write_id(&mut rng);
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            vec![8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'));
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(id, write_id(&mut rng));
        assert_eq!(part_name(3, &id), format!("part-00003-{id}-c000.csv"));
    }

    #[test]
    fn test_volume_rejects_unsafe_names() {
        for (catalog, schema) in [("", "s"), ("c", "a/b"), ("c", "a b"), ("c.d", "s")] {
            assert!(Volume::new(catalog, schema).is_err(), "{catalog} {schema}");
        }
    }
}
