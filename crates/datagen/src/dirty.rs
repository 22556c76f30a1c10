//! Dirty-data knobs for the data-quality module: off by default, named in kebab-case.

use serde::{Deserialize, Serialize};

use crate::error::{DatagenError, Result};

/// Share of rows made malformed when `malformed-rows` is given without a rate: ≈ 800 of a
/// course-size batch, enough to see in `_rescued_data` yet far below the 5 % pressure failures.
pub const DEFAULT_MALFORMED_RATE: f64 = 0.002;

/// Which dirty-data problems to add to the landed files.
///
/// # Examples
/// ```
/// use datagen::DirtyConfig;
/// let dirty = DirtyConfig::parse_knobs(["malformed-rows=0.01", "schema-drift"]).unwrap();
/// assert_eq!(dirty.malformed_rows, 0.01);
/// assert!(dirty.schema_drift && !dirty.empty_files);
/// let err = DirtyConfig::parse_knobs(["typos"]).unwrap_err().to_string();
/// assert!(err.contains("valid knobs: malformed-rows, schema-drift"), "{err}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DirtyConfig {
    /// `malformed-rows[=rate]`: this share of sensor and inspection rows is broken — a wrong
    /// number of fields, an unparsable number, or a bad timestamp (one of the three, at random).
    pub malformed_rows: f64,
    /// `schema-drift`: sensor files gain an unexpected `humidity` column at the end — in an
    /// increment every sensor file, in the initial load every file after the first.
    pub schema_drift: bool,
    /// `duplicate-files`: the first sensor and inspection part files are delivered twice, the
    /// copy under a new part name (Auto Loader ingests both: duplicate rows).
    pub duplicate_files: bool,
    /// `empty-files`: a zero-byte part file in each landing folder.
    pub empty_files: bool,
    /// `header-only-file`: a part file holding only the header row in each landing folder.
    pub header_only_file: bool,
}

/// One dirty-data knob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirtyKnob {
    /// See [`DirtyConfig::malformed_rows`].
    MalformedRows,
    /// See [`DirtyConfig::schema_drift`].
    SchemaDrift,
    /// See [`DirtyConfig::duplicate_files`].
    DuplicateFiles,
    /// See [`DirtyConfig::empty_files`].
    EmptyFiles,
    /// See [`DirtyConfig::header_only_file`].
    HeaderOnlyFile,
}

impl DirtyKnob {
    /// Every knob.
    pub const ALL: [DirtyKnob; 5] = [
        DirtyKnob::MalformedRows,
        DirtyKnob::SchemaDrift,
        DirtyKnob::DuplicateFiles,
        DirtyKnob::EmptyFiles,
        DirtyKnob::HeaderOnlyFile,
    ];

    /// The knob's kebab-case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DirtyKnob::MalformedRows => "malformed-rows",
            DirtyKnob::SchemaDrift => "schema-drift",
            DirtyKnob::DuplicateFiles => "duplicate-files",
            DirtyKnob::EmptyFiles => "empty-files",
            DirtyKnob::HeaderOnlyFile => "header-only-file",
        }
    }

    /// Whether the knob takes a `=rate`.
    #[must_use]
    pub fn takes_rate(self) -> bool {
        self == DirtyKnob::MalformedRows
    }
}

impl DirtyConfig {
    /// Parses knob names as given to `--dirty` (`name` or `name=rate`); blank items are
    /// ignored, so `--dirty ""` means no knobs.
    ///
    /// # Errors
    /// [`DatagenError::UnknownDirtyKnob`] listing the valid names, or
    /// [`DatagenError::InvalidKnobRate`] for a rate that is not in (0, 1] or a knob that
    /// takes none; both give the item's position in the list.
    pub fn parse_knobs<I, S>(items: I) -> Result<DirtyConfig>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut config = DirtyConfig::default();
        for (i, item) in items.into_iter().enumerate() {
            let position = i + 1;
            let item = item.as_ref().trim();
            if item.is_empty() {
                continue;
            }
            let (name, rate) = match item.split_once('=') {
                Some((name, rate)) => (name.trim(), Some(rate.trim())),
                None => (item, None),
            };
            let knob = DirtyKnob::ALL
                .into_iter()
                .find(|k| k.as_str() == name)
                .ok_or_else(|| DatagenError::UnknownDirtyKnob {
                    name: name.to_string(),
                    position,
                    valid: DirtyKnob::ALL.map(DirtyKnob::as_str).join(", "),
                })?;
            let invalid = |reason: String| DatagenError::InvalidKnobRate {
                knob: name.to_string(),
                position,
                reason,
            };
            let rate = match rate {
                None => None,
                Some(_) if !knob.takes_rate() => {
                    return Err(invalid("this knob takes no rate".to_string()));
                }
                Some(text) => match text.parse::<f64>() {
                    Ok(r) if r > 0.0 && r <= 1.0 => Some(r),
                    _ => return Err(invalid(format!("rate `{text}` must be a number in (0, 1]"))),
                },
            };
            match knob {
                DirtyKnob::MalformedRows => {
                    config.malformed_rows = rate.unwrap_or(DEFAULT_MALFORMED_RATE);
                }
                DirtyKnob::SchemaDrift => config.schema_drift = true,
                DirtyKnob::DuplicateFiles => config.duplicate_files = true,
                DirtyKnob::EmptyFiles => config.empty_files = true,
                DirtyKnob::HeaderOnlyFile => config.header_only_file = true,
            }
        }
        Ok(config)
    }

    /// Whether any knob is on.
    #[must_use]
    pub fn any(&self) -> bool {
        self.malformed_rows > 0.0
            || self.schema_drift
            || self.duplicate_files
            || self.empty_files
            || self.header_only_file
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_all_knobs() {
        let names = DirtyKnob::ALL.map(DirtyKnob::as_str);
        let config = DirtyConfig::parse_knobs(names).unwrap();
        assert_eq!(config.malformed_rows, DEFAULT_MALFORMED_RATE);
        assert!(config.schema_drift && config.duplicate_files);
        assert!(config.empty_files && config.header_only_file);
        assert!(!DirtyConfig::parse_knobs([""]).unwrap().any());
    }

    #[test]
    fn test_errors_carry_position() {
        let err = DirtyConfig::parse_knobs(["empty-files", "dupes"]).unwrap_err();
        assert!(matches!(
            err,
            DatagenError::UnknownDirtyKnob { position: 2, .. }
        ));
        for bad in [
            "malformed-rows=2",
            "malformed-rows=x",
            "malformed-rows=0",
            "empty-files=0.1",
        ] {
            let err = DirtyConfig::parse_knobs([bad]).unwrap_err();
            assert!(
                matches!(err, DatagenError::InvalidKnobRate { position: 1, .. }),
                "{bad}"
            );
        }
    }
}
