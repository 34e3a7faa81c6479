//! What a consumer sees of its producers once they have run (or loaded) in this invocation:
//! the version read, its replicates, the conditions it has, and the content hash of every
//! artifact. A consumer unit's key includes the hash of each artifact that unit reads (so a
//! producer that re-ran with byte-identical artifacts does not invalidate its consumers, and a
//! changed producer replicate invalidates only the consumer replicates that read it), and
//! consumer units read their inputs through it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::key::signature::CodeHash;
use crate::store::files::FileStamp;
use crate::store::hashing::BIG_FILE_BYTES;
use crate::store::journal::{ArtifactEntry, UnitRecord};
use crate::store::layout;
use crate::store::marker::UnitExtras;
use crate::unit::names::BASELINE;

/// A producer's published artifacts.
#[derive(Debug, Default)]
pub(crate) struct ProducerView {
    /// The version directory read.
    pub version: u32,
    /// Its path.
    pub version_dir: PathBuf,
    /// Replicates per condition.
    pub replicates: u32,
    /// Conditions it ran (or loaded) in this invocation.
    pub conditions: Vec<String>,
    /// Successful units that wrote artifacts, sorted by (condition, replicate): each artifact's
    /// stage, content hash, and (for large ones, [`BIG_FILE_BYTES`] and more) the size and stamp
    /// journaled, which a consumer handed such a file by path trusts instead of hashing
    /// gigabytes again, as resume does. The records are shared with the run, not copied.
    units: Vec<ViewUnit>,
    /// For `plan`: some units would run, so their content is not known yet.
    pub pending: bool,
}

/// Producer name → its view.
pub(crate) type Views = BTreeMap<String, Arc<ProducerView>>;

/// One unit of a view: its record, or its entry among the records of a condition loaded whole
/// (shared either way, never copied).
#[derive(Clone, Debug)]
pub(crate) enum ViewUnit {
    /// A unit's record.
    Record(Arc<UnitRecord>),
    /// The unit at `index` among the units with extras of a condition loaded whole.
    Whole {
        /// The condition.
        condition: Arc<str>,
        /// Its units with artifacts or step-cache use.
        extras: Arc<Vec<UnitExtras>>,
        /// This unit's place among them.
        index: usize,
    },
}

impl ViewUnit {
    fn condition(&self) -> &str {
        match self {
            ViewUnit::Record(record) => &record.condition,
            ViewUnit::Whole { condition, .. } => condition,
        }
    }

    fn replicate(&self) -> u32 {
        match self {
            ViewUnit::Record(record) => record.replicate,
            ViewUnit::Whole { extras, index, .. } => extras[*index].replicate,
        }
    }

    fn artifacts(&self) -> &[ArtifactEntry] {
        match self {
            ViewUnit::Record(record) => &record.artifacts,
            ViewUnit::Whole { extras, index, .. } => &extras[*index].artifacts,
        }
    }

    /// Whether consumers read it: it succeeded, and wrote artifacts.
    fn is_read(&self) -> bool {
        match self {
            ViewUnit::Record(record) => record.error.is_none() && !record.artifacts.is_empty(),
            // A condition loads whole only when all its units succeeded.
            ViewUnit::Whole { .. } => !self.artifacts().is_empty(),
        }
    }
}

impl From<Arc<UnitRecord>> for ViewUnit {
    fn from(record: Arc<UnitRecord>) -> ViewUnit {
        ViewUnit::Record(record)
    }
}

impl ProducerView {
    /// Builds the view of a producer from its units (records, or shared entries of conditions
    /// loaded whole).
    pub(crate) fn new<U: Into<ViewUnit>>(
        version: u32,
        version_dir: PathBuf,
        replicates: u32,
        conditions: Vec<String>,
        records: impl IntoIterator<Item = U>,
        pending: bool,
    ) -> ProducerView {
        let mut units: Vec<ViewUnit> = records
            .into_iter()
            .map(Into::into)
            .filter(ViewUnit::is_read)
            .collect();
        units.sort_by(|a, b| (a.condition(), a.replicate()).cmp(&(b.condition(), b.replicate())));
        ProducerView {
            version,
            version_dir,
            replicates,
            conditions,
            units,
            pending,
        }
    }

    /// The producer condition a consumer condition reads: the same one if the producer has it,
    /// else its baseline.
    pub(crate) fn read_condition<'a>(&'a self, condition: &'a str) -> &'a str {
        if self.conditions.iter().any(|c| c == condition) {
            condition
        } else {
            BASELINE
        }
    }

    /// The journaled size and stamp of the large artifact `file` consumer (`condition`,
    /// `replicate`) reads, if it is one.
    pub(crate) fn stamp(
        &self,
        condition: &str,
        replicate: u32,
        file: &str,
    ) -> Option<(u64, FileStamp)> {
        let artifact = self.artifact(condition, replicate, file)?;
        (artifact.size >= BIG_FILE_BYTES && artifact.stamp.is_known())
            .then_some((artifact.size, artifact.stamp))
    }

    /// The journaled entry of `file` for consumer (`condition`, `replicate`).
    fn artifact(&self, condition: &str, replicate: u32, file: &str) -> Option<&ArtifactEntry> {
        let read = self.read_condition(condition);
        let source = replicate % self.replicates.max(1);
        let index = self
            .units
            .binary_search_by(|unit| (unit.condition(), unit.replicate()).cmp(&(read, source)))
            .ok()?;
        self.units[index]
            .artifacts()
            .iter()
            .find(|artifact| *artifact.file == *file)
    }

    /// The content hash of `file` for consumer (`condition`, `replicate`), if its unit wrote it.
    pub(crate) fn hash(&self, condition: &str, replicate: u32, file: &str) -> Option<CodeHash> {
        self.artifact(condition, replicate, file)
            .map(|artifact| artifact.hash)
    }

    /// Path and content hash of `file` for consumer (`condition`, `replicate`).
    pub(crate) fn locate(
        &self,
        condition: &str,
        replicate: u32,
        file: &str,
    ) -> Result<(PathBuf, CodeHash), String> {
        let read = self.read_condition(condition);
        let source = replicate % self.replicates.max(1);
        match self.artifact(condition, replicate, file) {
            Some(artifact) => Ok((
                layout::unit_dir(&self.version_dir, source, read)
                    .join(&*artifact.stage)
                    .join(file),
                artifact.hash,
            )),
            None => Err(format!(
                "has no `{file}` for condition `{read}` replicate {source} in v{} (its unit failed or did not write it)",
                self.version
            )),
        }
    }
}
