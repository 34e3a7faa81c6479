//! Preparing the version directory of an experiment that writes: claim a new version, or rewrite
//! the experiment's version (in place when it holds no finished results, else in a staging
//! directory swapped in once the new results are committed), bring loaded units' artifacts
//! along, keep what a `--treatment` run leaves out, and write the journal and `running` metadata
//! before anything runs.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use crate::decide::plan::ExperimentPlan;
use crate::decide::resume::{Target, UnitView};
use crate::store::atomic::{remove_dir_in_background, write_json_pretty};
use crate::store::files;
use crate::store::foreign::is_our_entry;
use crate::store::journal::{JOURNAL, JournalWriter, UnitRecord, read_journal};
use crate::store::layout::{self, MARKER, METADATA, RESULTS, RESULTS_COLUMNS};
use crate::store::provenance::Environment;
use crate::store::records::{
    FORMAT, Metadata, STATUS_RUNNING, SharedComponents, StoredCondition, read_record,
};
use crate::store::version::{claim_new_version, claim_version_from, staging_dir};

use super::{Decided, Prepared, RunError, RunOptions, io_error, loaded_slots};

/// Hard-links `from` to `to`, creating `to`'s directory; an existing `to` is replaced. Copied
/// (by the kernel, with a warning) only where the file system cannot link the two paths; any
/// other failure is an error (see [`crate::store::linking`]).
fn link_or_copy(from: &Path, to: &Path) -> Result<(), RunError> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(|error| io_error("cannot create", parent, error))?;
    }
    if files::kind(to) != files::Kind::Missing {
        fs::remove_file(to).map_err(|error| io_error("cannot replace", to, error))?;
    }
    crate::store::linking::link_or_explain(from, to).map_err(|error| {
        RunError::Io(format!(
            "cannot hard-link {} to {}: {error}",
            from.display(),
            to.display()
        ))
    })?;
    Ok(())
}

/// Links (or copies) a loaded unit's artifacts from its source version into `version_dir`.
pub(super) fn bring_artifacts(
    source_dir: &Path,
    version_dir: &Path,
    record: &UnitRecord,
) -> Result<(), RunError> {
    let from = layout::unit_dir(source_dir, record.replicate, &record.condition);
    let to = layout::unit_dir(version_dir, record.replicate, &record.condition);
    for artifact in &record.artifacts {
        link_or_copy(
            &from.join(&*artifact.stage).join(&*artifact.file),
            &to.join(&*artifact.stage).join(&*artifact.file),
        )?;
    }
    Ok(())
}

/// Empties `version_dir` in place except the unit directories of loaded units (a rewrite in
/// place keeps what it loads and rewrites the rest), the directories of conditions in
/// `keep_dirs`, and entries that are not ours (never deleted; reported by the decisions). A
/// symbolic link is removed as a link, never followed.
fn clean_in_place(
    version_dir: &Path,
    keep: &BTreeSet<(u32, String)>,
    keep_dirs: &BTreeSet<String>,
    known_conditions: &BTreeSet<String>,
) -> Result<(), RunError> {
    let entries =
        fs::read_dir(version_dir).map_err(|error| io_error("cannot read", version_dir, error))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().ok();
        let is_dir = kind.is_some_and(|kind| kind.is_dir());
        let is_link = kind.is_some_and(|kind| kind.is_symlink());
        let ours = is_our_entry(&name, None) || known_conditions.contains(&name);
        if name == JOURNAL || name == METADATA || (is_dir && keep_dirs.contains(&name)) {
            continue;
        }
        if !ours && !is_link {
            continue;
        }
        let replicate = name
            .strip_prefix("replicate_")
            .and_then(|digits| digits.parse::<u32>().ok());
        let removed = match (replicate, is_dir) {
            (Some(replicate), true) => {
                let mut kept_any = false;
                for unit in fs::read_dir(&path)
                    .map_err(|error| io_error("cannot read", &path, error))?
                    .flatten()
                {
                    let condition = unit.file_name().to_string_lossy().into_owned();
                    let unit_is_dir = unit.file_type().is_ok_and(|kind| kind.is_dir());
                    if unit_is_dir && keep.contains(&(replicate, condition)) {
                        kept_any = true;
                    } else {
                        remove_path(&unit.path())?;
                    }
                }
                if kept_any {
                    Ok(())
                } else {
                    fs::remove_dir(&path)
                }
            }
            (_, true) => fs::remove_dir_all(&path),
            (_, false) => fs::remove_file(&path),
        };
        removed.map_err(|error| io_error("cannot remove", &path, error))?;
    }
    Ok(())
}

fn remove_path(path: &Path) -> Result<(), RunError> {
    let is_dir = fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir());
    let result = if is_dir {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    result.map_err(|error| io_error("cannot remove", path, error))
}

pub(super) fn metadata_of(
    plan: &ExperimentPlan<'_>,
    version: u32,
    status: &str,
    started: SystemTime,
    environment: &Environment,
    carried: &Carried,
) -> Metadata {
    Metadata {
        replicates: plan.replicates,
        id: plan.id.hex(),
        name: plan.name.to_string(),
        version,
        format: FORMAT,
        status: status.to_string(),
        strategy: plan.strategy.as_str().to_string(),
        seed: plan.seed,
        seed_scheme: crate::key::seed::SEED_SCHEME,
        key_scheme: crate::key::signature::KEY_SCHEME,
        stages: plan.stages.clone(),
        conditions: plan
            .conditions
            .iter()
            .map(|condition| {
                (
                    condition.name.to_string(),
                    StoredCondition {
                        params: condition.record.params.clone(),
                        payload: condition.payload.clone(),
                        key: condition.record.key,
                        replicates: None,
                        upstream: condition.record.upstream.clone(),
                        ran_with: None,
                        environment: condition.record.environment.clone(),
                    },
                )
            })
            .chain(carried.conditions.clone())
            .collect(),
        reads: plan
            .upstream
            .iter()
            .map(|(producer, view)| (producer.clone(), view.version))
            .collect(),
        // A running version's metadata does not wait for `git status`; the final one does.
        provenance: if status == STATUS_RUNNING {
            environment.provenance_so_far(started, SystemTime::now())
        } else {
            environment.provenance(started, SystemTime::now())
        },
        toolchain: Some(crate::key::toolchain::Toolchain::current()),
    }
}

/// Chooses and prepares the version directory of an experiment that writes.
pub(super) fn prepare<'p, 'r>(
    decided: Decided<'p, 'r>,
    options: &RunOptions,
    environment: Option<&Environment>,
) -> Result<Prepared<'p, 'r>, RunError> {
    let plan = decided.plan;
    let decision = decided.decision;
    let started = SystemTime::now();
    let slots = loaded_slots(plan, &decision);
    if decision.source_complete {
        // Everything loads from a finished run: nothing to write.
        let version = decision.source.unwrap_or(0);
        let version_dir = decision.source_dir.clone().unwrap_or_else(|| {
            layout::version_dir(&options.root.experiment_dir(&plan.name), version)
        });
        return Ok(Prepared {
            plan,
            version,
            work_dir: version_dir.clone(),
            version_dir,
            staged: false,
            decision,
            journal: None,
            slots,
            carried: Carried::default(),
            clearing: None,
            started,
            writes: false,
            pruned: Vec::new(),
            _lock: decided._lock,
        });
    }
    let Some(environment) = environment else {
        return Err(RunError::Io(
            "internal: no environment for a run that writes".to_string(),
        ));
    };
    let experiment_dir = options.root.experiment_dir(&plan.name);
    let versioned = plan.registered.registration.options.versioned;
    // The loaded units' records (made from the columns of conditions loaded whole): they are
    // journaled in the version written, and their artifacts brought along.
    let loaded: Vec<(Arc<Path>, Arc<UnitRecord>)> = decision
        .all_units()
        .filter_map(|unit| match unit {
            UnitView::Load(loaded) => Some((loaded.version_dir().clone(), loaded.record())),
            UnitView::Run(_) => None,
        })
        .collect();
    let mut clearing = None;
    let mut known_conditions: BTreeSet<String> = plan
        .registered
        .experiment
        .condition_names()
        .into_iter()
        .collect();
    let (version, work_dir, staged, carried) = match decision.stored.target(versioned) {
        Target::Claim => {
            // From the listing made under the lock when it could be made (the directory exists:
            // it holds the lock), else listing again.
            let claimed = match decision.stored.next_free {
                Some(first) => claim_version_from(&experiment_dir, first),
                None => claim_new_version(&experiment_dir),
            };
            let version = claimed
                .map_err(|error| io_error("cannot claim a version in", &experiment_dir, error))?;
            let dir = layout::version_dir(&experiment_dir, version);
            (version, dir, false, Carried::default())
        }
        Target::Rewrite { version, staged } => {
            let final_dir = layout::version_dir(&experiment_dir, version);
            let work_dir = if staged {
                staging_dir(&experiment_dir, version)
            } else {
                final_dir.clone()
            };
            let carried = Carried::from_previous(&final_dir, plan);
            if let Ok(previous) = read_record::<Metadata>(&work_dir.join(METADATA)) {
                known_conditions.extend(previous.conditions.into_keys());
            }
            let reused_in_place = (!staged && !carried.conditions.is_empty())
                || loaded
                    .iter()
                    .any(|(source_dir, _)| **source_dir == *work_dir);
            if !reused_in_place && files::kind(&work_dir) != files::Kind::Missing {
                // Nothing of it stays: move it aside at once, delete it meanwhile.
                clearing = Some(
                    remove_dir_in_background(&work_dir)
                        .map_err(|error| io_error("cannot clear", &work_dir, error))?,
                );
            }
            fs::create_dir_all(&work_dir)
                .map_err(|error| io_error("cannot create", &work_dir, error))?;
            (version, work_dir, staged, carried)
        }
    };
    let version_dir = layout::version_dir(&experiment_dir, version);
    let records = loaded
        .iter()
        .map(|(_, record)| &**record)
        .chain(carried.records.iter().map(|record| &**record));
    // The journal first (it alone says which units are done), then the metadata, then the
    // clean-up: an interruption at any point leaves a state the next resume reads correctly.
    let journal = JournalWriter::create_with(&work_dir, records)
        .map_err(|error| io_error("cannot write", &work_dir.join(JOURNAL), error))?;
    let metadata_path = work_dir.join(METADATA);
    write_json_pretty(
        &metadata_path,
        &metadata_of(
            plan,
            version,
            STATUS_RUNNING,
            started,
            environment,
            &carried,
        ),
    )
    .map_err(|error| io_error("cannot write", &metadata_path, error))?;
    if clearing.is_none() && !versioned {
        // Keep what is reused in place: loaded units of this directory and the conditions this
        // run leaves out (unless they come from the version a staged rewrite replaces);
        // everything else of ours in it is stale.
        let keep: BTreeSet<(u32, String)> = loaded
            .iter()
            .filter(|(source_dir, _)| **source_dir == *work_dir)
            .map(|(_, record)| record)
            .chain(
                if staged { None } else { Some(&carried.records) }
                    .into_iter()
                    .flatten(),
            )
            .map(|record| (record.replicate, record.condition.clone()))
            .collect();
        let keep_dirs: BTreeSet<String> = if staged {
            BTreeSet::new()
        } else {
            carried.conditions.keys().cloned().collect()
        };
        clean_in_place(&work_dir, &keep, &keep_dirs, &known_conditions)?;
    }
    for (source_dir, record) in &loaded {
        if **source_dir != *work_dir {
            bring_artifacts(source_dir, &work_dir, record)?;
        }
    }
    if staged {
        // The conditions this run leaves out come along from the version it replaces.
        let final_dir = layout::version_dir(&experiment_dir, version);
        for record in &carried.records {
            bring_artifacts(&final_dir, &work_dir, record)?;
        }
        for condition in carried.conditions.keys() {
            for file in [RESULTS, RESULTS_COLUMNS, MARKER] {
                let from = layout::condition_dir(&final_dir, condition).join(file);
                if from.is_file() {
                    let to = layout::condition_dir(&work_dir, condition).join(file);
                    link_or_copy(&from, &to)?;
                }
            }
        }
    }
    Ok(Prepared {
        plan,
        decision,
        version,
        version_dir,
        work_dir,
        staged,
        journal: Some(journal),
        slots,
        carried,
        clearing,
        started,
        writes: true,
        pruned: Vec::new(),
        _lock: decided._lock,
    })
}

/// Conditions a non-versioned run leaves out (`--treatment`) but the experiment still defines:
/// their results, markers, artifacts and records stay in `v0`, untouched.
#[derive(Default)]
pub(super) struct Carried {
    pub(super) conditions: BTreeMap<String, StoredCondition>,
    pub(super) records: Vec<Arc<UnitRecord>>,
}

impl Carried {
    fn from_previous(version_dir: &Path, plan: &ExperimentPlan<'_>) -> Carried {
        let Ok(metadata) = read_record::<Metadata>(&version_dir.join(METADATA)) else {
            return Carried::default();
        };
        let defined = plan.registered.experiment.condition_names();
        let now = SharedComponents {
            stages: plan.stages.clone(),
            seed: plan.seed,
            seed_scheme: crate::key::seed::SEED_SCHEME,
            key_scheme: crate::key::signature::KEY_SCHEME,
        };
        let conditions: BTreeMap<String, StoredCondition> = metadata
            .conditions
            .iter()
            .filter(|(name, _)| {
                defined.contains(name) && !plan.conditions.iter().any(|c| &*c.name == name.as_str())
            })
            .map(|(name, stored)| {
                let mut stored = stored.clone();
                stored.replicates = Some(stored.replicates.unwrap_or(metadata.replicates));
                // Its key stays comparable: the shared components it ran with come along where
                // they differ from this run's (code, seed or a scheme changed since).
                stored.ran_with = metadata.shared_of(name).filter(|shared| *shared != now);
                (name.clone(), stored)
            })
            .collect();
        let records = match read_journal(version_dir) {
            Ok(Some(journal)) => journal
                .records
                .into_iter()
                .filter(|(condition, _)| conditions.contains_key(condition))
                .flat_map(|(_, records)| records.into_values())
                .collect(),
            _ => Vec::new(),
        };
        Carried {
            conditions,
            records,
        }
    }
}
