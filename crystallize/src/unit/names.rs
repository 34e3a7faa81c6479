//! Names every layer agrees on: the baseline condition, and how long a name that becomes a file
//! or directory name may be.

/// The name of the condition without treatment.
pub const BASELINE: &str = "baseline";

/// The longest name, in bytes, of anything that becomes one file or directory name: experiment,
/// treatment (condition) and stage names. Most file systems allow 255 bytes per path component.
pub const MAX_NAME_BYTES: usize = 255;

/// The longest artifact file name, in bytes: one file-name component. (An artifact is written to
/// a short temporary name of its own, `.tmp-<pid>-<n>`, then renamed, so the whole component is
/// available to the name.)
pub const MAX_ARTIFACT_NAME_BYTES: usize = MAX_NAME_BYTES;
