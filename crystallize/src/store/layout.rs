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
/// Per-condition metrics of `results.json` in binary columns, written beside it when they are
/// large (see `store::results_columns`): what a resume reads instead of parsing the text.
pub(crate) const RESULTS_COLUMNS: &str = ".results.columns";
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

/// `<version dir>/replicate_<r>/<condition>/<stage>/<file>` as text (lossy where a component is
/// not UTF-8), made in one allocation: an artifact's path as reports show it. `version_dir`
/// is the version directory as text.
pub(crate) fn artifact_path_text(
    version_dir: &str,
    replicate: u32,
    condition: &str,
    stage: &str,
    file: &str,
) -> String {
    let mut path =
        String::with_capacity(version_dir.len() + condition.len() + stage.len() + file.len() + 24);
    path.push_str(version_dir);
    path.push(std::path::MAIN_SEPARATOR);
    push_artifact_relative(&mut path, replicate, condition, stage, file);
    path
}

/// Appends `replicate_<r>/<condition>/<stage>/<file>` to `path`: an artifact's path below its
/// version directory (checks reuse one buffer for every artifact).
pub(crate) fn push_artifact_relative(
    path: &mut String,
    replicate: u32,
    condition: &str,
    stage: &str,
    file: &str,
) {
    use std::fmt::Write;
    const SEPARATOR: char = std::path::MAIN_SEPARATOR;
    let _ = write!(
        path,
        "replicate_{replicate}{SEPARATOR}{condition}{SEPARATOR}"
    );
    path.push_str(stage);
    path.push(SEPARATOR);
    path.push_str(file);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_artifact_path_as_text_is_its_unit_directory_stage_and_file() {
        let version = Path::new("data").join("exp").join("v3");
        let expected = unit_dir(&version, 12, "double")
            .join("link")
            .join("a1.json");
        let text = artifact_path_text(&version.to_string_lossy(), 12, "double", "link", "a1.json");
        assert_eq!(Path::new(&text), expected);
        assert_eq!(text, expected.to_string_lossy());
    }
}
