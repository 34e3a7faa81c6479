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
use crate::store::journal::UnitRecord;
use crate::store::layout;
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
    /// (condition, replicate) → file → (stage, content hash), for successful units.
    pub artifacts: BTreeMap<(String, u32), BTreeMap<String, (String, CodeHash)>>,
    /// (condition, replicate, file) → size and stamp as journaled, for large artifacts only
    /// ([`BIG_FILE_BYTES`] and more): a consumer handed such a file by path trusts an unchanged
    /// size and stamp instead of hashing gigabytes again, as resume does.
    pub stamps: BTreeMap<(String, u32, String), (u64, FileStamp)>,
    /// For `plan`: some units would run, so their content is not known yet.
    pub pending: bool,
}

/// Producer name → its view.
pub(crate) type Views = BTreeMap<String, Arc<ProducerView>>;

impl ProducerView {
    /// Builds the view of a producer from its unit records.
    pub(crate) fn new(
        version: u32,
        version_dir: PathBuf,
        replicates: u32,
        conditions: Vec<String>,
        records: impl IntoIterator<Item = Arc<UnitRecord>>,
        pending: bool,
    ) -> ProducerView {
        let mut artifacts: BTreeMap<(String, u32), BTreeMap<String, (String, CodeHash)>> =
            BTreeMap::new();
        let mut stamps = BTreeMap::new();
        for record in records {
            if record.error.is_some() || record.artifacts.is_empty() {
                continue;
            }
            let files = artifacts
                .entry((record.condition.clone(), record.replicate))
                .or_default();
            for artifact in &record.artifacts {
                if artifact.size >= BIG_FILE_BYTES && artifact.stamp.is_known() {
                    stamps.insert(
                        (
                            record.condition.clone(),
                            record.replicate,
                            artifact.file.clone(),
                        ),
                        (artifact.size, artifact.stamp),
                    );
                }
                files.insert(
                    artifact.file.clone(),
                    (artifact.stage.clone(), artifact.hash),
                );
            }
        }
        ProducerView {
            version,
            version_dir,
            replicates,
            conditions,
            artifacts,
            stamps,
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
        let read = self.read_condition(condition);
        let source = replicate % self.replicates.max(1);
        self.stamps
            .get(&(read.to_string(), source, file.to_string()))
            .copied()
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
        match self
            .artifacts
            .get(&(read.to_string(), source))
            .and_then(|files| files.get(file))
        {
            Some((stage, hash)) => Ok((
                layout::unit_dir(&self.version_dir, source, read)
                    .join(stage)
                    .join(file),
                *hash,
            )),
            None => Err(format!(
                "has no `{file}` for condition `{read}` replicate {source} in v{} (its unit failed or did not write it)",
                self.version
            )),
        }
    }
}
