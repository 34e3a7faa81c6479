//! The JSON records of a version directory: `metadata.json`, `_manifest.json`, each condition's
//! `results.json` and `.crystallize_complete`.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::journal::ArtifactEntry;
#[cfg(test)]
use super::journal::UnitRecord;
use crate::key::signature::{CodeHash, ConditionRecord, StageRecord, UpstreamRead};
use crate::store::provenance::Provenance;

/// Version of the record format written below.
pub(crate) const FORMAT: u32 = 1;

/// `metadata.json` status while the run's units execute.
pub(crate) const STATUS_RUNNING: &str = "running";
/// `metadata.json` status once results and markers are written.
pub(crate) const STATUS_COMPLETE: &str = "complete";

/// `metadata.json`: what ran, with which signature, where and when.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Metadata {
    /// Replicates per condition (crystallize-ml reads this for replicate cycling).
    pub replicates: u32,
    /// Hash of the experiment's code (source and steps with their helpers).
    pub id: String,
    /// Experiment name.
    pub name: String,
    /// This version number.
    pub version: u32,
    /// Record format version.
    pub format: u32,
    /// `running` while units execute (an interrupted run keeps it), `complete` at the end.
    pub status: String,
    /// `rerun` or `resume`.
    pub strategy: String,
    /// Master seed.
    pub seed: u64,
    /// Version of the seed derivation.
    pub seed_scheme: u32,
    /// Version of the condition-key scheme.
    pub key_scheme: u32,
    /// Code signature: source then steps, with their tracked helpers.
    pub stages: Vec<StageRecord>,
    /// The params and key of every condition of this run, by name.
    pub conditions: BTreeMap<String, StoredCondition>,
    /// The version of each upstream experiment this run read (its lineage; not keyed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reads: BTreeMap<String, u32>,
    /// Where and when it ran (recorded, not part of any key).
    pub provenance: Provenance,
    /// The toolchain and build settings (part of the keys only in strict mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toolchain: Option<crate::key::toolchain::Toolchain>,
}

/// A condition's entry in `metadata.json`; with the shared fields it forms a [`ConditionRecord`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredCondition {
    /// Effective params (canonical JSON).
    pub params: serde_json::Value,
    /// The treatment's own payload (for explaining what changed; not part of the key).
    #[serde(default)]
    pub payload: serde_json::Value,
    /// The condition key.
    pub key: CodeHash,
    /// Replicates of this condition when they differ from the run's (a condition kept from an
    /// earlier run that `--treatment` left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicates: Option<u32>,
    /// Upstream artifacts read: which ones (part of the condition key) and their content (part
    /// of the unit keys).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<UpstreamRead>,
    /// The shared components this condition ran with, when they differ from the run's: a
    /// condition an earlier run ran, kept by a run that `--treatment` limited to others (its key
    /// is compared with the record it was computed from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ran_with: Option<SharedComponents>,
    /// The toolchain in its key (strict mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<crate::key::toolchain::Toolchain>,
}

/// The components of a condition's record that every condition of a run shares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct SharedComponents {
    /// Code signature: source then steps, with their tracked helpers.
    pub stages: Vec<StageRecord>,
    /// Master seed.
    pub seed: u64,
    /// Version of the seed derivation.
    pub seed_scheme: u32,
    /// Version of the key scheme.
    pub key_scheme: u32,
}

impl Metadata {
    /// Replicates stored for condition `name`.
    pub(crate) fn replicates_of(&self, name: &str) -> u32 {
        self.conditions
            .get(name)
            .and_then(|condition| condition.replicates)
            .unwrap_or(self.replicates)
    }

    /// The shared components of this run's records.
    pub(crate) fn shared(&self) -> SharedComponents {
        SharedComponents {
            stages: self.stages.clone(),
            seed: self.seed,
            seed_scheme: self.seed_scheme,
            key_scheme: self.key_scheme,
        }
    }

    /// The shared components condition `name` ran with: its own when it was kept from an
    /// earlier run, else this run's.
    pub(crate) fn shared_of(&self, name: &str) -> Option<SharedComponents> {
        let stored = self.conditions.get(name)?;
        Some(stored.ran_with.clone().unwrap_or_else(|| self.shared()))
    }

    /// Whether condition `name`'s signature record, as [`Metadata::condition_record`] would
    /// build it, equals `record` (key included): compared in place, nothing copied.
    pub(crate) fn holds_record(&self, name: &str, record: &ConditionRecord) -> bool {
        let Some(stored) = self.conditions.get(name) else {
            return false;
        };
        let (stages, seed, seed_scheme, key_scheme) = match &stored.ran_with {
            Some(shared) => (
                &shared.stages,
                shared.seed,
                shared.seed_scheme,
                shared.key_scheme,
            ),
            None => (&self.stages, self.seed, self.seed_scheme, self.key_scheme),
        };
        // Every field, named: a field added to the record must be compared here too.
        let ConditionRecord {
            stages: record_stages,
            params,
            seed: record_seed,
            seed_scheme: record_seed_scheme,
            key_scheme: record_key_scheme,
            upstream,
            environment,
            key,
        } = record;
        stored.key == *key
            && key_scheme == *record_key_scheme
            && seed == *record_seed
            && seed_scheme == *record_seed_scheme
            && stages == record_stages
            && stored.params == *params
            && stored.upstream == *upstream
            && stored.environment == *environment
    }

    /// The full signature record of condition `name`, if this run had it.
    pub(crate) fn condition_record(&self, name: &str) -> Option<ConditionRecord> {
        let stored = self.conditions.get(name)?;
        let shared = self.shared_of(name)?;
        Some(ConditionRecord {
            stages: shared.stages,
            params: stored.params.clone(),
            seed: shared.seed,
            seed_scheme: shared.seed_scheme,
            key_scheme: shared.key_scheme,
            upstream: stored.upstream.clone(),
            environment: stored.environment.clone(),
            key: stored.key,
        })
    }
}

/// `<condition>/results.json`: `{"metrics": {"<metric>": [value per replicate]}}`. A replicate
/// that failed or did not record the metric, and non-finite values, are `null`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ResultsFile {
    /// Values per metric, in replicate order.
    pub metrics: BTreeMap<String, Vec<Option<f64>>>,
}

impl ResultsFile {
    /// The results of one condition from its units' records in replicate order: `None` where a
    /// unit is missing, failed, or did not record the metric (what a run's slots give, see
    /// `run::slots`).
    #[cfg(test)]
    pub(crate) fn from_records<'a>(
        slots: impl IntoIterator<Item = Option<&'a UnitRecord>> + Clone,
    ) -> ResultsFile {
        let mut names: Vec<&super::metrics::MetricName> = slots
            .clone()
            .into_iter()
            .flatten()
            .flat_map(|record| record.metrics.keys())
            .collect();
        names.sort();
        names.dedup();
        let metrics = names
            .into_iter()
            .map(|name| {
                let values = slots
                    .clone()
                    .into_iter()
                    .map(|slot| match slot {
                        Some(record) if record.error.is_none() => {
                            record.metrics.get(name).copied().flatten()
                        }
                        _ => None,
                    })
                    .collect();
                (name.to_string(), values)
            })
            .collect();
        ResultsFile { metrics }
    }
}

/// `_manifest.json`: artifact file name → stage that writes it.
pub(crate) type Manifest = BTreeMap<String, String>;

/// The manifest of a version holding `artifacts` (those of its units' records): each artifact
/// file with the stage that writes it (the earliest in `stage_order` when several do).
pub(crate) fn manifest_of<'a>(
    stage_order: &[&str],
    artifacts: impl IntoIterator<Item = &'a ArtifactEntry>,
) -> Manifest {
    let position = |stage: &str| stage_order.iter().position(|s| *s == stage);
    let mut manifest = Manifest::new();
    for artifact in artifacts {
        let known = manifest.get(&*artifact.file).map(String::as_str);
        if known.is_none_or(|known| position(&artifact.stage) < position(known)) {
            manifest.insert(artifact.file.to_string(), artifact.stage.to_string());
        }
    }
    manifest
}

/// Why a record could not be read.
#[derive(Debug)]
pub(crate) enum RecordError {
    /// The file does not exist.
    Missing,
    /// The file exists but is not a valid record (message says why).
    Corrupt(String),
}

/// Reads a JSON record, telling a missing file from a corrupt or foreign one (a symbolic link is
/// foreign: never followed).
pub(crate) fn read_record<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, RecordError> {
    let bytes = match super::files::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Err(RecordError::Missing),
        Err(error) if super::files::is_symlink_error(&error) => {
            return Err(RecordError::Corrupt(
                "is a symbolic link (never followed inside the data directory)".to_string(),
            ));
        }
        Err(error) => return Err(RecordError::Corrupt(error.to_string())),
    };
    serde_json::from_slice(&bytes).map_err(|error| RecordError::Corrupt(error.to_string()))
}

/// Converts a metric value for storage: JSON has no NaN or infinity.
pub(crate) fn stored_value(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}
