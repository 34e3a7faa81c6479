//! Paths of the on-disk layout (a superset of crystallize-ml 0.27's, which its `load_metrics`
//! reads):
//!
//! ```text
//! <root>/<experiment>/.lock
//! <root>/<experiment>/v<N>/metadata.json
//! <root>/<experiment>/v<N>/_manifest.json
//! <root>/<experiment>/v<N>/hypotheses.json
//! <root>/<experiment>/v<N>/<condition>/results.json
//! <root>/<experiment>/v<N>/<condition>/.crystallize_complete
//! <root>/<experiment>/v<N>/replicate_<r>/<condition>/<stage>/<artifact>
//! ```

use std::path::{Path, PathBuf};

/// File names of the layout.
pub(crate) const METADATA: &str = "metadata.json";
/// Maps each artifact file name to the stage that writes it.
pub(crate) const MANIFEST: &str = "_manifest.json";
/// The verdicts of the experiment's hypotheses, recomputed by every run and resume.
pub(crate) const HYPOTHESES: &str = "hypotheses.json";
/// Per-condition metrics.
pub(crate) const RESULTS: &str = "results.json";
/// Per-condition completion marker, written last; holds the condition key, then the
/// condition's summary (see `store::marker`).
pub(crate) const MARKER: &str = ".crystallize_complete";
/// Held while a run of the experiment writes.
pub(crate) const LOCK: &str = ".lock";

/// The data root (`data/` unless `--data-dir` or `CRYSTALLIZE_DATA_DIR` say otherwise).
#[derive(Clone, Debug)]
pub(crate) struct DataRoot {
    root: PathBuf,
}

impl DataRoot {
    /// A root at `root`.
    pub(crate) fn new(root: impl Into<PathBuf>) -> DataRoot {
        DataRoot { root: root.into() }
    }

    /// The root directory.
    pub(crate) fn path(&self) -> &Path {
        &self.root
    }

    /// `<root>/<experiment>`.
    pub(crate) fn experiment_dir(&self, experiment: &str) -> PathBuf {
        self.root.join(experiment)
    }
}

/// `<experiment dir>/v<version>`.
pub(crate) fn version_dir(experiment_dir: &Path, version: u32) -> PathBuf {
    experiment_dir.join(format!("v{version}"))
}

/// `<version dir>/replicate_<r>/<condition>`: the unit's artifact directory.
pub(crate) fn unit_dir(version_dir: &Path, replicate: u32, condition: &str) -> PathBuf {
    version_dir
        .join(format!("replicate_{replicate}"))
        .join(condition)
}

/// `<version dir>/<condition>`.
pub(crate) fn condition_dir(version_dir: &Path, condition: &str) -> PathBuf {
    version_dir.join(condition)
}

/// The version number of a directory named `v<digits>`.
pub(crate) fn parse_version(name: &str) -> Option<u32> {
    let digits = name.strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}
