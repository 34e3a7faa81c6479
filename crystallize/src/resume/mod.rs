//! Resume decisions: for every (condition, replicate) unit, load it from the latest run or run it,
//! and why, by comparing the stored signature record with the current one:
//!
//! 1. code (source, a step, a tracked helper) or a param changed → the condition re-runs;
//! 2. a treatment is new or its payload changed → only that condition runs;
//! 3. a completion marker or the metadata is missing or unreadable, or an artifact is gone →
//!    those units run;
//! 4. replicates were added → only the new replicates run (fewer reuse the first ones);
//! 5. a unit failed before → it runs again.
//!
//! Everything else is loaded. A corrupt or foreign file is reported by path and treated as
//! missing; nothing here panics on bad data.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::plan::{ConditionPlan, ExperimentPlan};
use crate::registry::Strategy;
use crate::report::{Reason, ReasonKind};
use crate::store::journal::{JOURNAL, UnitRecord, read_journal};
use crate::store::layout::{self, MARKER, METADATA, RESULTS};
use crate::store::records::{Metadata, RecordError, ResultsFile, STATUS_COMPLETE, read_record};
use crate::store::version::list_versions;

mod explain;
mod scan;

pub use explain::explain_change;
use scan::foreign_files;

/// A unit loaded from a previous run.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The version directory it is loaded from.
    pub version: u32,
    /// Path of that directory.
    pub version_dir: PathBuf,
    /// Its journal record (metrics, artifacts).
    pub record: Arc<UnitRecord>,
}

/// What happens to one unit.
#[derive(Clone, Debug)]
pub enum UnitDecision {
    /// Execute it, for this reason.
    Run(Reason),
    /// Load it.
    Load(Box<Loaded>),
}

/// Decisions for one condition.
#[derive(Clone, Debug, Default)]
pub struct ConditionDecision {
    /// One per replicate.
    pub units: Vec<UnitDecision>,
    /// Every change of the condition's signature, when it changed (units carry the first).
    pub changes: Vec<Reason>,
}

/// Decisions for every unit of an experiment, aligned with the plan's conditions and replicates.
#[derive(Clone, Debug)]
pub struct Decision {
    /// One per planned condition.
    pub conditions: Vec<ConditionDecision>,
    /// The latest version, if any unit is loaded.
    pub source: Option<u32>,
    /// Every unit loads from the latest version, which finished (results and markers written)
    /// with the same replicates and no condition the definition dropped: nothing to write.
    pub source_complete: bool,
    /// Corrupt or foreign files found, by path.
    pub warnings: Vec<String>,
    /// When everything loads from a finished run: the upstream versions that run read.
    pub source_reads: BTreeMap<String, u32>,
}

impl Decision {
    /// Every unit runs for `reason`.
    fn run_all(plan: &ExperimentPlan<'_>, reason: &Reason, warnings: Vec<String>) -> Decision {
        Decision {
            conditions: plan
                .conditions
                .iter()
                .map(|_| ConditionDecision {
                    units: (0..plan.replicates)
                        .map(|_| UnitDecision::Run(reason.clone()))
                        .collect(),
                    changes: Vec::new(),
                })
                .collect(),
            source: None,
            source_complete: false,
            warnings,
            source_reads: BTreeMap::new(),
        }
    }

    fn all_units(&self) -> impl Iterator<Item = &UnitDecision> {
        self.conditions
            .iter()
            .flat_map(|condition| &condition.units)
    }

    /// The distinct reasons of one condition: why units run first, then what loads.
    pub fn condition_reasons(&self, condition: usize) -> Vec<Reason> {
        let mut reasons: Vec<Reason> = self.conditions[condition].changes.clone();
        let mut loaded_from: Vec<u32> = Vec::new();
        for unit in &self.conditions[condition].units {
            match unit {
                UnitDecision::Run(reason) => {
                    if !reasons.contains(reason) {
                        reasons.push(reason.clone());
                    }
                }
                UnitDecision::Load(loaded) => {
                    if !loaded_from.contains(&loaded.version) {
                        loaded_from.push(loaded.version);
                    }
                }
            }
        }
        reasons.extend(loaded_from.into_iter().map(|version| Reason {
            kind: ReasonKind::SignatureUnchanged,
            detail: format!("loaded from v{version}"),
        }));
        reasons
    }

    /// The distinct reasons of all conditions.
    pub fn reasons(&self) -> Vec<Reason> {
        let mut reasons: Vec<Reason> = Vec::new();
        for condition in 0..self.conditions.len() {
            for reason in self.condition_reasons(condition) {
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
        }
        reasons
    }
}

fn reason(kind: ReasonKind, detail: impl Into<String>) -> Reason {
    Reason {
        kind,
        detail: detail.into(),
    }
}

/// A previous version as the decisions see it.
struct VersionState {
    version: u32,
    dir: PathBuf,
    metadata: Metadata,
    journal: BTreeMap<String, BTreeMap<u32, Arc<UnitRecord>>>,
    complete: bool,
}

/// Reads a version's metadata and journal; a missing or unreadable metadata is the reason why
/// nothing of it can be loaded.
fn read_version(
    experiment_dir: &Path,
    version: u32,
    warnings: &mut Vec<String>,
) -> Result<VersionState, Reason> {
    let dir = layout::version_dir(experiment_dir, version);
    let metadata_path = dir.join(METADATA);
    let metadata: Metadata = match read_record(&metadata_path) {
        Ok(metadata) => metadata,
        Err(RecordError::Missing) => {
            return Err(reason(
                ReasonKind::MetadataMissing,
                format!("{} is missing", metadata_path.display()),
            ));
        }
        Err(RecordError::Corrupt(message)) => {
            let detail = format!("{} is unreadable: {message}", metadata_path.display());
            warnings.push(detail.clone());
            return Err(reason(ReasonKind::CorruptFile, detail));
        }
    };
    let journal = match read_journal(&dir) {
        Ok(Some(journal)) => {
            if !journal.bad_lines.is_empty() {
                warnings.push(format!(
                    "{}: unreadable line(s) {:?} ignored",
                    dir.join(JOURNAL).display(),
                    journal.bad_lines
                ));
            }
            journal.records
        }
        Ok(None) => BTreeMap::new(),
        Err(error) => {
            warnings.push(format!("{}: {error}", dir.join(JOURNAL).display()));
            BTreeMap::new()
        }
    };
    Ok(VersionState {
        version,
        complete: metadata.status == STATUS_COMPLETE,
        dir,
        metadata,
        journal,
    })
}

/// Decides, for `plan`, which units to load from `experiment_dir` and which to run.
///
/// Each condition is compared with the latest version that ran it (the latest version overall,
/// unless a run limited by `--treatment` left it out), so a partial run never makes the other
/// conditions look new.
pub fn decide(plan: &ExperimentPlan<'_>, experiment_dir: &Path) -> Decision {
    let mut warnings = Vec::new();
    let versions = match list_versions(experiment_dir) {
        Ok(versions) => versions,
        Err(error) => {
            warnings.push(format!("cannot list {}: {error}", experiment_dir.display()));
            Vec::new()
        }
    };
    let Some(&latest) = versions.last() else {
        return Decision::run_all(
            plan,
            &reason(
                ReasonKind::FirstRun,
                format!("no previous run in {}", experiment_dir.display()),
            ),
            warnings,
        );
    };
    if plan.strategy == Strategy::Rerun {
        return Decision::run_all(
            plan,
            &reason(
                ReasonKind::StrategyRerun,
                "strategy `rerun` executes every unit",
            ),
            warnings,
        );
    }
    let latest_state = match read_version(experiment_dir, latest, &mut warnings) {
        Ok(state) => state,
        Err(why) => return Decision::run_all(plan, &why, warnings),
    };
    warnings.extend(foreign_files(&latest_state.dir, &latest_state.metadata));
    let mut older: Vec<VersionState> = Vec::new();
    let mut older_read = false;
    let conditions = plan
        .conditions
        .iter()
        .map(|condition| {
            let name = &*condition.name;
            let state = if latest_state.metadata.conditions.contains_key(name) {
                Some(&latest_state)
            } else {
                if !older_read {
                    older_read = true;
                    let mut ignored = Vec::new();
                    older = versions
                        .iter()
                        .rev()
                        .skip(1)
                        .filter_map(|&version| {
                            read_version(experiment_dir, version, &mut ignored).ok()
                        })
                        .collect();
                }
                older
                    .iter()
                    .find(|state| state.metadata.conditions.contains_key(name))
            };
            match state {
                Some(state) => decide_condition(plan, condition, state, &mut warnings),
                None => ConditionDecision {
                    units: (0..plan.replicates)
                        .map(|_| {
                            UnitDecision::Run(if name == crate::experiment::BASELINE {
                                reason(
                                    ReasonKind::CorruptFile,
                                    format!(
                                        "{} has no baseline",
                                        latest_state.dir.join(METADATA).display()
                                    ),
                                )
                            } else {
                                reason(
                                    ReasonKind::TreatmentAdded,
                                    format!("treatment `{name}` is new"),
                                )
                            })
                        })
                        .collect(),
                    changes: Vec::new(),
                },
            }
        })
        .collect();
    let mut decision = Decision {
        conditions,
        source: None,
        source_complete: false,
        warnings,
        source_reads: BTreeMap::new(),
    };
    let all_from_latest = decision.all_units().all(|unit| match unit {
        UnitDecision::Load(loaded) => loaded.version == latest,
        UnitDecision::Run(_) => false,
    });
    if decision
        .all_units()
        .any(|unit| matches!(unit, UnitDecision::Load(_)))
    {
        decision.source = Some(latest);
    }
    let defined = plan.registered.experiment.condition_names();
    decision.source_reads = latest_state.metadata.reads.clone();
    decision.source_complete = all_from_latest
        && latest_state.complete
        && plan.conditions.iter().all(|condition| {
            latest_state.metadata.replicates_of(&condition.name) == plan.replicates
        })
        && latest_state
            .metadata
            .conditions
            .keys()
            .all(|name| defined.contains(name));
    decision
}

fn decide_condition(
    plan: &ExperimentPlan<'_>,
    condition: &ConditionPlan,
    state: &VersionState,
    warnings: &mut Vec<String>,
) -> ConditionDecision {
    let VersionState {
        version,
        dir: version_dir,
        metadata,
        journal,
        complete,
    } = state;
    let (version, complete) = (*version, *complete);
    let name = &*condition.name;
    if let Some(pending) = pending_upstream(plan, condition) {
        return ConditionDecision {
            units: (0..plan.replicates)
                .map(|_| UnitDecision::Run(pending.clone()))
                .collect(),
            changes: Vec::new(),
        };
    }
    let all = |reason: Reason| ConditionDecision {
        units: (0..plan.replicates)
            .map(|_| UnitDecision::Run(reason.clone()))
            .collect(),
        changes: Vec::new(),
    };
    let Some(stored) = metadata.condition_record(name) else {
        return all(if name == crate::experiment::BASELINE {
            reason(
                ReasonKind::CorruptFile,
                format!("{} has no baseline", version_dir.join(METADATA).display()),
            )
        } else {
            reason(
                ReasonKind::TreatmentAdded,
                format!("treatment `{name}` is new"),
            )
        });
    };
    if stored.compute_key() != stored.key {
        let detail = format!(
            "{}: the key of condition `{name}` does not match its record",
            version_dir.join(METADATA).display()
        );
        warnings.push(detail.clone());
        return all(reason(ReasonKind::CorruptFile, detail));
    }
    if stored.key != condition.record.key {
        let stored_payload = metadata.conditions.get(name).map(|c| &c.payload);
        let changes = explain_change(
            name,
            &stored,
            &condition.record,
            stored_payload,
            &condition.payload,
        );
        let first = changes.first().cloned().unwrap_or_else(|| {
            reason(
                ReasonKind::CorruptFile,
                format!("condition `{name}`: key changed"),
            )
        });
        let mut decision = all(first);
        decision.changes = changes;
        return decision;
    }
    let condition_dir = layout::condition_dir(version_dir, name);
    let mut marker_problem = None;
    if complete {
        let marker_path = condition_dir.join(MARKER);
        match fs::read_to_string(&marker_path) {
            Ok(text) if text.trim() == stored.key.hex() => {}
            Ok(_) => {
                let detail = format!(
                    "{} does not hold the key of condition `{name}`",
                    marker_path.display()
                );
                warnings.push(detail.clone());
                marker_problem = Some(reason(ReasonKind::CorruptFile, detail));
            }
            Err(_) => {
                marker_problem = Some(reason(
                    ReasonKind::MarkerMissing,
                    format!("{} is missing", marker_path.display()),
                ));
            }
        }
        let results_path = condition_dir.join(RESULTS);
        if marker_problem.is_none()
            && let Err(problem) = read_record::<ResultsFile>(&results_path)
        {
            let detail = match problem {
                RecordError::Missing => format!("{} is missing", results_path.display()),
                RecordError::Corrupt(message) => {
                    format!("{} is unreadable: {message}", results_path.display())
                }
            };
            warnings.push(detail.clone());
            marker_problem = Some(reason(ReasonKind::CorruptFile, detail));
        }
    }
    let stored_replicates = metadata.replicates_of(name);
    let records = journal.get(name);
    let failed_before = records.is_some_and(|records| {
        records
            .range(..stored_replicates)
            .any(|(_, record)| record.error.is_some())
    });
    if let Some(problem) = marker_problem
        && !(problem.kind == ReasonKind::MarkerMissing && failed_before)
    {
        return all(problem);
    }
    let units = (0..plan.replicates)
        .map(|replicate| {
            if replicate >= stored_replicates {
                return UnitDecision::Run(reason(
                    ReasonKind::ReplicatesAdded,
                    format!("replicates {stored_replicates} -> {}", plan.replicates),
                ));
            }
            let Some(record) = records.and_then(|records| records.get(&replicate)) else {
                return UnitDecision::Run(reason(
                    ReasonKind::MarkerMissing,
                    format!("replicate {replicate} of `{name}` did not complete in v{version}"),
                ));
            };
            if record.key != stored.unit_key(replicate) {
                let detail = format!(
                    "{}: the record of `{name}` replicate {replicate} has a foreign key",
                    version_dir.join(JOURNAL).display()
                );
                warnings.push(detail.clone());
                return UnitDecision::Run(reason(ReasonKind::CorruptFile, detail));
            }
            if let Some(error) = &record.error {
                return UnitDecision::Run(reason(
                    ReasonKind::FailedBefore,
                    format!(
                        "replicate {replicate} of `{name}` failed in v{version}: {}",
                        error.message
                    ),
                ));
            }
            let unit_dir = if record.artifacts.is_empty() {
                PathBuf::new()
            } else {
                layout::unit_dir(version_dir, replicate, name)
            };
            for artifact in &record.artifacts {
                let path = unit_dir.join(&artifact.stage).join(&artifact.file);
                let present = fs::metadata(&path)
                    .is_ok_and(|meta| meta.is_file() && meta.len() == artifact.size);
                if !present {
                    return UnitDecision::Run(reason(
                        ReasonKind::ArtifactMissing,
                        format!("{} is gone", path.display()),
                    ));
                }
            }
            UnitDecision::Load(Box::new(Loaded {
                version,
                version_dir: version_dir.to_path_buf(),
                record: record.clone(),
            }))
        })
        .collect();
    ConditionDecision {
        units,
        changes: Vec::new(),
    }
}

/// For `plan`: a condition reading artifacts its producer would first produce cannot be decided
/// yet; it is decided by content once the producer has run.
pub(crate) fn pending_upstream(
    plan: &ExperimentPlan<'_>,
    condition: &ConditionPlan,
) -> Option<Reason> {
    condition.record.upstream.iter().find_map(|read| {
        let view = plan.upstream.get(&read.producer)?;
        (view.pending && read.hashes.iter().any(Option::is_none)).then(|| {
            reason(
                ReasonKind::UpstreamChanged,
                format!(
                    "upstream `{}` runs first; `{}` then decides by the content of `{}` (identical bytes load)",
                    read.producer, condition.name, read.file
                ),
            )
        })
    })
}
