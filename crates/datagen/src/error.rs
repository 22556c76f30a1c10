//! Errors of the generator: every one is the caller's fault (a bad name, knob or config value).

use thiserror::Error;

/// What went wrong, with the offending name or config field and what would have been valid.
///
/// The generator itself cannot fail once its config validates; every variant therefore
/// points at user input: a preset, batch or knob name typed on the command line or in a
/// lesson, or a field of a `GeneratorConfig`.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DatagenError {
    /// A size preset name that does not exist.
    #[error("unknown preset `{name}`; valid presets: {valid}")]
    UnknownPreset {
        /// The name as given.
        name: String,
        /// The valid names, comma-separated.
        valid: String,
    },
    /// A batch name that is neither `initial` nor `increment` / `increment-<n>`.
    #[error("unknown batch `{name}`; valid batches: initial, increment, increment-<n> (n >= 1)")]
    UnknownBatch {
        /// The name as given.
        name: String,
    },
    /// A dirty-data knob name that does not exist.
    #[error("unknown dirty-data knob `{name}` (item {position} of the list); valid knobs: {valid}")]
    UnknownDirtyKnob {
        /// The name as given.
        name: String,
        /// 1-based position in the comma-separated list.
        position: usize,
        /// The valid names, comma-separated.
        valid: String,
    },
    /// A knob given a rate it does not take, or a rate that is not a number in (0, 1].
    #[error("dirty-data knob `{knob}` (item {position} of the list): {reason}")]
    InvalidKnobRate {
        /// The knob name.
        knob: String,
        /// 1-based position in the comma-separated list.
        position: usize,
        /// Why the rate was rejected.
        reason: String,
    },
    /// A config field whose value cannot work (e.g. `min > max`, a rate outside [0, 1]).
    #[error("invalid config field `{field}`: {reason}")]
    InvalidConfig {
        /// Dotted path of the field, e.g. `sizes.num_rows.min`.
        field: String,
        /// What is wrong and what would be valid.
        reason: String,
    },
    /// A catalog or schema name that cannot be a path segment of `/Volumes/<catalog>/<schema>`.
    #[error("invalid {what} name `{name}`: {reason}")]
    InvalidVolumeName {
        /// `catalog` or `schema`.
        what: &'static str,
        /// The name as given.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// A timestamp in the config that is not `YYYY-MM-DDTHH:MM:SS`.
    #[error(
        "invalid timestamp `{value}`: {reason} (expected YYYY-MM-DDTHH:MM:SS, years 1000-9998)"
    )]
    InvalidTimestamp {
        /// The text as given.
        value: String,
        /// What is wrong.
        reason: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = DatagenError> = std::result::Result<T, E>;
