//! Running planned experiments. For each experiment, under its lock: decide which units load and
//! which run (`resume`), prepare the version directory (loaded units' records and artifacts come
//! along, so every version is self-contained), execute the units to run in parallel while
//! journaling each as it finishes, then write results, manifest, metadata and, last, the
//! completion markers.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use std::sync::Arc;

use crate::ctx::{CacheSettings, Ctx, UnitParts};
use crate::exec::{Delivery, catch_panic, run_parallel};
use crate::graph::Graph;
use crate::plan::{ConditionPlan, ExperimentPlan};
use crate::progress::Progress;
use crate::provenance::Environment;
use crate::report::{
    Action, ConditionReport, ExperimentReport, InputReport, ReasonKind, Report, UnitErrorReport,
};
use crate::resume::{Decision, UnitDecision, decide};
use crate::store::atomic::{remove_dir_in_background, write_atomic, write_json_pretty};
use crate::store::journal::{ArtifactEntry, JOURNAL, JournalWriter, UnitRecord, read_journal};
use crate::store::layout::{self, DataRoot, MANIFEST, MARKER, METADATA, RESULTS};
use crate::store::lock::{ExperimentLock, LockError, WaitPolicy};
use crate::store::records::{
    FORMAT, Manifest, Metadata, ResultsFile, STATUS_COMPLETE, STATUS_RUNNING, StoredCondition,
    read_record, stored_value,
};
use crate::store::retention::{apply_retention, read_by_consumers};
use crate::store::version::claim_new_version;
use crate::upstream::{ProducerView, Views};

/// How to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Worker threads.
    pub jobs: usize,
    /// Where data lives.
    pub root: DataRoot,
    /// Log decisions to stderr.
    pub verbose: bool,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// Whether to wait for another run's lock.
    pub wait: WaitPolicy,
    /// Stages whose step cache this run bypasses (`--no-cache`).
    pub no_cache: Vec<String>,
}

/// A run that could not happen or could not be stored.
#[derive(Debug)]
pub enum RunError {
    /// Another run holds an experiment's lock and `--no-wait` was given (exit 2).
    Busy(String),
    /// The data directory could not be read or written (exit 1).
    Io(String),
}

fn io_error(context: &str, path: &Path, error: io::Error) -> RunError {
    RunError::Io(format!("{context} {}: {error}", path.display()))
}

/// An experiment with its lock held and its decisions made.
struct Decided<'p, 'r> {
    plan: &'p ExperimentPlan<'r>,
    decision: Decision,
    _lock: Option<ExperimentLock>,
}

/// An experiment whose version directory is ready for its units.
struct Prepared<'p, 'r> {
    plan: &'p ExperimentPlan<'r>,
    decision: Decision,
    version: u32,
    version_dir: PathBuf,
    journal: Option<JournalWriter>,
    slots: Vec<Vec<Option<UnitRecord>>>,
    carried: Carried,
    /// The deletion of the previous v0, running meanwhile.
    clearing: Option<std::thread::JoinHandle<io::Result<()>>>,
    started: SystemTime,
    writes: bool,
    pruned: Vec<u32>,
    _lock: Option<ExperimentLock>,
}

fn lock_and_decide<'p, 'r>(
    plan: &'p ExperimentPlan<'r>,
    options: &RunOptions,
    exclusive: bool,
) -> Result<Decided<'p, 'r>, RunError> {
    let experiment_dir = options.root.experiment_dir(&plan.name);
    let lock_path = experiment_dir.join(layout::LOCK);
    let notice = || {
        eprintln!(
            "waiting for another run of `{}` to finish (it holds {})",
            plan.name,
            lock_path.display()
        );
    };
    let lock = if exclusive {
        ExperimentLock::acquire(&experiment_dir, options.wait, notice).map(Some)
    } else {
        ExperimentLock::acquire_shared(&experiment_dir, options.wait, notice)
    }
    .map_err(|error| match error {
        LockError::Busy => RunError::Busy(format!(
            "another run of `{}` holds {}; retry later, or drop --no-wait to wait for it",
            plan.name,
            lock_path.display()
        )),
        LockError::Io(error) => io_error("cannot lock", &lock_path, error),
    })?;
    let decision = decide(plan, &experiment_dir);
    Ok(Decided {
        plan,
        decision,
        _lock: lock,
    })
}

fn log_decision(decided: &Decided<'_, '_>) {
    let plan = decided.plan;
    for warning in &decided.decision.warnings {
        eprintln!("[crystallize] {}: warning: {warning}", plan.name);
    }
    for (condition, decisions) in plan.conditions.iter().zip(&decided.decision.conditions) {
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        for (replicate, unit) in decisions.units.iter().enumerate() {
            let label = match unit {
                UnitDecision::Load(loaded) => format!(
                    "load from v{} (signature unchanged; computed in v{})",
                    loaded.version, loaded.record.computed_in
                ),
                UnitDecision::Run(reason) => {
                    format!("run ({}: {})", kind_name(reason.kind), reason.detail)
                }
            };
            match groups.iter_mut().find(|(existing, _)| *existing == label) {
                Some((_, replicates)) => replicates.push(replicate as u32),
                None => groups.push((label, vec![replicate as u32])),
            }
        }
        for (label, replicates) in groups {
            eprintln!(
                "[crystallize] {}/{}: replicates {}: {label}",
                plan.name,
                condition.name,
                ranges(&replicates)
            );
        }
        for change in decisions.changes.iter().skip(1) {
            eprintln!(
                "[crystallize] {}/{}: also {}: {}",
                plan.name,
                condition.name,
                kind_name(change.kind),
                change.detail
            );
        }
    }
}

/// The kebab-case name of a reason kind, as in the JSON report.
pub(crate) fn kind_name(kind: ReasonKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `0-9, 12, 14-15`.
pub(crate) fn ranges(values: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut index = 0;
    while index < values.len() {
        let start = values[index];
        let mut end = start;
        while index + 1 < values.len() && values[index + 1] == end + 1 {
            index += 1;
            end = values[index];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        index += 1;
    }
    parts.join(", ")
}

/// The records of loaded units, in their slots; units to run are empty slots.
fn loaded_slots(plan: &ExperimentPlan<'_>, decision: &Decision) -> Vec<Vec<Option<UnitRecord>>> {
    decision
        .conditions
        .iter()
        .map(|condition| {
            condition
                .units
                .iter()
                .map(|unit| match unit {
                    UnitDecision::Load(loaded) => Some(loaded.record.clone()),
                    UnitDecision::Run(_) => None,
                })
                .collect::<Vec<_>>()
        })
        .take(plan.conditions.len())
        .collect()
}

/// Links (or copies) a loaded unit's artifacts from its source version into `version_dir`.
fn bring_artifacts(
    source_dir: &Path,
    version_dir: &Path,
    record: &UnitRecord,
) -> Result<(), RunError> {
    let from = layout::unit_dir(source_dir, record.replicate, &record.condition);
    let to = layout::unit_dir(version_dir, record.replicate, &record.condition);
    for artifact in &record.artifacts {
        let source = from.join(&artifact.stage).join(&artifact.file);
        let target = to.join(&artifact.stage).join(&artifact.file);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|error| io_error("cannot create", parent, error))?;
        }
        if fs::hard_link(&source, &target).is_err() {
            fs::copy(&source, &target).map_err(|error| io_error("cannot copy", &source, error))?;
        }
    }
    Ok(())
}

/// Empties `version_dir` in place except the unit directories of loaded units (a non-versioned
/// resume keeps what it loads and rewrites the rest).
fn clean_in_place(
    version_dir: &Path,
    keep: &BTreeSet<(u32, String)>,
    keep_dirs: &BTreeSet<String>,
) -> Result<(), RunError> {
    let entries =
        fs::read_dir(version_dir).map_err(|error| io_error("cannot read", version_dir, error))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if name == JOURNAL || name == METADATA || (is_dir && keep_dirs.contains(&name)) {
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
                    if keep.contains(&(replicate, condition)) {
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
    let result = if path.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    };
    result.map_err(|error| io_error("cannot remove", path, error))
}

fn metadata_of(
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
        seed_scheme: crate::seed::SEED_SCHEME,
        key_scheme: crate::signature::KEY_SCHEME,
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
        provenance: environment.provenance(started, SystemTime::now()),
    }
}

/// Chooses and prepares the version directory of an experiment that writes.
fn prepare<'p, 'r>(
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
        return Ok(Prepared {
            plan,
            version,
            version_dir: layout::version_dir(&options.root.experiment_dir(&plan.name), version),
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
    let loaded: Vec<(&Path, &UnitRecord)> = decision
        .conditions
        .iter()
        .flat_map(|condition| &condition.units)
        .filter_map(|unit| match unit {
            UnitDecision::Load(loaded) => Some((loaded.version_dir.as_path(), &loaded.record)),
            UnitDecision::Run(_) => None,
        })
        .collect();
    let mut clearing = None;
    let (version, carried) = if versioned {
        let version = claim_new_version(&experiment_dir)
            .map_err(|error| io_error("cannot claim a version in", &experiment_dir, error))?;
        (version, Carried::default())
    } else {
        let dir = layout::version_dir(&experiment_dir, 0);
        let carried = Carried::from_previous(&dir, plan);
        let reused_in_place = !carried.conditions.is_empty()
            || loaded
                .iter()
                .any(|(source_dir, _)| *source_dir == dir.as_path());
        if !reused_in_place && dir.exists() {
            // Nothing of the old v0 stays: move it aside at once, delete it meanwhile.
            clearing = Some(
                remove_dir_in_background(&dir)
                    .map_err(|error| io_error("cannot clear", &dir, error))?,
            );
        }
        fs::create_dir_all(&dir).map_err(|error| io_error("cannot create", &dir, error))?;
        (0, carried)
    };
    let version_dir = layout::version_dir(&experiment_dir, version);
    let mut records: Vec<UnitRecord> = loaded.iter().map(|(_, record)| (*record).clone()).collect();
    records.extend(carried.records.iter().cloned());
    // The journal first (it alone says which units are done), then the metadata, then the
    // clean-up: an interruption at any point leaves a state the next resume reads correctly.
    let journal = JournalWriter::create_with(&version_dir, &records)
        .map_err(|error| io_error("cannot write", &version_dir.join(JOURNAL), error))?;
    let metadata_path = version_dir.join(METADATA);
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
    if !versioned && clearing.is_none() {
        // Keep what is reused in place: loaded units of this version and the conditions this
        // run leaves out; everything else in v0 is stale.
        let keep: BTreeSet<(u32, String)> = loaded
            .iter()
            .filter(|(source_dir, _)| *source_dir == version_dir.as_path())
            .map(|(_, record)| *record)
            .chain(&carried.records)
            .map(|record| (record.replicate, record.condition.clone()))
            .collect();
        let keep_dirs: BTreeSet<String> = carried.conditions.keys().cloned().collect();
        clean_in_place(&version_dir, &keep, &keep_dirs)?;
    }
    for (source_dir, record) in &loaded {
        if *source_dir != version_dir.as_path() {
            bring_artifacts(source_dir, &version_dir, record)?;
        }
    }
    Ok(Prepared {
        plan,
        decision,
        version,
        version_dir,
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
struct Carried {
    conditions: BTreeMap<String, StoredCondition>,
    records: Vec<UnitRecord>,
}

impl Carried {
    fn from_previous(version_dir: &Path, plan: &ExperimentPlan<'_>) -> Carried {
        let Ok(metadata) = read_record::<Metadata>(&version_dir.join(METADATA)) else {
            return Carried::default();
        };
        let defined: Vec<String> = plan
            .registered
            .experiment
            .conditions()
            .into_iter()
            .map(|condition| condition.name)
            .collect();
        let conditions: BTreeMap<String, StoredCondition> = metadata
            .conditions
            .iter()
            .filter(|(name, _)| {
                defined.contains(name) && !plan.conditions.iter().any(|c| &*c.name == name.as_str())
            })
            .map(|(name, stored)| {
                let mut stored = stored.clone();
                stored.replicates = Some(stored.replicates.unwrap_or(metadata.replicates));
                (name.clone(), stored)
            })
            .collect();
        let records = match read_journal(version_dir) {
            Ok(Some(journal)) => journal
                .records
                .into_values()
                .filter(|record| conditions.contains_key(&record.condition))
                .collect(),
            _ => Vec::new(),
        };
        Carried {
            conditions,
            records,
        }
    }
}

fn run_unit(
    plan: &ExperimentPlan<'_>,
    version: u32,
    version_dir: &Path,
    cache: &Arc<CacheSettings>,
    condition: &ConditionPlan,
    replicate: u32,
) -> UnitRecord {
    let mut ctx = Ctx::for_unit(
        plan.name.clone(),
        condition.name.clone(),
        replicate,
        plan.seed,
        condition.params.clone(),
        Some(layout::unit_dir(version_dir, replicate, &condition.name)),
    )
    .with_cache(Some(cache.clone()))
    .with_upstream(plan.upstream.clone());
    let pipeline = plan.registered.experiment.pipeline.clone();
    let result = catch_panic(|| pipeline(&mut ctx));
    let stage = ctx.stage().to_string();
    let UnitParts {
        metrics,
        artifacts,
        deferred,
        cache_hits,
    } = ctx.finish();
    let failure = |message: String, panicked: bool| UnitErrorReport {
        replicate,
        stage: stage.clone(),
        message,
        panicked,
    };
    let mut error = match result {
        Ok(Ok(())) => deferred.map(|error| failure(error.to_string(), false)),
        Ok(Err(error)) => Some(failure(error.to_string(), false)),
        Err(message) => Some(failure(message, true)),
    };
    if error.is_none() {
        let missing: Vec<&str> = plan
            .registered
            .experiment
            .outputs()
            .iter()
            .filter(|file| !artifacts.iter().any(|artifact| &artifact.file == *file))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            error = Some(UnitErrorReport {
                replicate,
                stage: "outputs".to_string(),
                message: format!(
                    "declared output(s) {} not written by any stage of this unit",
                    missing.join(", ")
                ),
                panicked: false,
            });
        }
    }
    UnitRecord {
        condition: condition.name.to_string(),
        replicate,
        key: condition.record.unit_key(replicate),
        metrics: metrics
            .into_iter()
            .map(|(name, value)| (name, stored_value(value)))
            .collect(),
        artifacts: artifacts
            .iter()
            .map(|artifact| ArtifactEntry {
                stage: artifact.stage.to_string(),
                file: artifact.file.clone(),
                hash: artifact.hash,
                size: artifact.size,
            })
            .collect(),
        error,
        computed_in: version,
        cache_hits,
    }
}

/// The plans' indices in waves: each wave's producers are in earlier waves; experiments of one
/// wave are independent and run together.
fn waves(plans: &[ExperimentPlan<'_>], graph: &Graph) -> Vec<Vec<usize>> {
    let mut waves: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (index, plan) in plans.iter().enumerate() {
        waves
            .entry(graph.depth(&plan.name))
            .or_default()
            .push(index);
    }
    waves.into_values().collect()
}

/// Decides for every plan under shared locks and reports what a run would do, writing nothing.
/// A consumer whose producer would run is reported as deciding after it (by content).
pub fn plan_only(
    plans: &mut [ExperimentPlan<'_>],
    graph: &Graph,
    options: &RunOptions,
) -> Result<Report, RunError> {
    let mut report = Report::default();
    let mut views = Views::new();
    let mut locks = Vec::new();
    for wave in waves(plans, graph) {
        for &index in &wave {
            plans[index].bind_upstream(&views);
        }
        for &index in &wave {
            let plan = &plans[index];
            let decided = lock_and_decide(plan, options, false)?;
            if options.verbose {
                log_decision(&decided);
            }
            let version = decided.decision.source.unwrap_or(0);
            let slots = loaded_slots(plan, &decided.decision);
            let version_dir =
                layout::version_dir(&options.root.experiment_dir(&plan.name), version);
            let pending = decided
                .decision
                .conditions
                .iter()
                .flat_map(|condition| &condition.units)
                .any(|unit| matches!(unit, UnitDecision::Run(_)));
            views.insert(
                plan.name.to_string(),
                Arc::new(ProducerView::new(
                    version,
                    version_dir.clone(),
                    plan.replicates,
                    plan.conditions.iter().map(|c| c.name.to_string()).collect(),
                    slots.iter().flatten().flatten().cloned(),
                    pending,
                )),
            );
            report.experiments.push(build_report(
                plan,
                &decided.decision,
                &slots,
                version,
                &version_dir,
            ));
            locks.push(decided._lock);
        }
    }
    Ok(report)
}

/// Runs `plans` and persists their results, producers before consumers: each wave of
/// independent experiments runs its units together, and consumers read what their producers
/// published in this invocation. Every experiment stays locked until the whole run ends.
pub fn execute(
    plans: &mut [ExperimentPlan<'_>],
    graph: &Graph,
    options: &RunOptions,
) -> Result<Report, RunError> {
    let mut report = Report::default();
    let mut views = Views::new();
    let mut environment: Option<Environment> = None;
    let mut locks = Vec::new();
    for plan in plans.iter_mut() {
        plan.consumers = graph
            .consumers_of(&plan.name)
            .into_iter()
            .map(str::to_string)
            .collect();
    }
    for wave in waves(plans, graph) {
        for &index in &wave {
            plans[index].bind_upstream(&views);
        }
        let wave_plans: Vec<&ExperimentPlan<'_>> =
            wave.iter().map(|&index| &plans[index]).collect();
        for (entry, view, lock) in execute_wave(&wave_plans, options, &mut environment)? {
            views.insert(entry.name.clone(), Arc::new(view));
            report.experiments.push(entry);
            locks.push(lock);
        }
    }
    Ok(report)
}

/// Runs one wave of independent experiments.
fn execute_wave(
    plans: &[&ExperimentPlan<'_>],
    options: &RunOptions,
    environment: &mut Option<Environment>,
) -> Result<Vec<(ExperimentReport, ProducerView, Option<ExperimentLock>)>, RunError> {
    let mut decided = Vec::with_capacity(plans.len());
    for plan in plans {
        let entry = lock_and_decide(plan, options, true)?;
        if options.verbose {
            log_decision(&entry);
        }
        decided.push(entry);
    }
    if environment.is_none() && !decided.iter().all(|entry| entry.decision.source_complete) {
        *environment = Some(Environment::detect());
    }
    let environment = environment.as_ref();
    let mut prepared = Vec::with_capacity(decided.len());
    for entry in decided {
        prepared.push(prepare(entry, options, environment)?);
    }
    let mut units = Vec::new();
    for (experiment_index, entry) in prepared.iter().enumerate() {
        for (condition_index, condition) in entry.decision.conditions.iter().enumerate() {
            for (replicate, unit) in condition.units.iter().enumerate() {
                if matches!(unit, UnitDecision::Run(_)) {
                    units.push((experiment_index, condition_index, replicate as u32));
                }
            }
        }
    }
    let cache = Arc::new(CacheSettings {
        dir: options.root.path().join(crate::cache::CACHE_DIR),
        disabled: options.no_cache.iter().cloned().collect(),
    });
    let progress = Progress::new(units.len() as u64, options.progress);
    let verbose = options.verbose;
    let mut journal_error: Option<RunError> = None;
    {
        let (shared, mut rest): (Vec<_>, Vec<_>) = prepared
            .iter_mut()
            .map(|entry| {
                (
                    (entry.plan, entry.version, entry.version_dir.clone()),
                    (&mut entry.journal, &mut entry.slots),
                )
            })
            .unzip();
        let mut touched: BTreeSet<usize> = BTreeSet::new();
        run_parallel(
            units.len(),
            options.jobs,
            |index| {
                let (experiment_index, condition_index, replicate) = units[index];
                let (plan, version, version_dir) = &shared[experiment_index];
                run_unit(
                    plan,
                    *version,
                    version_dir,
                    &cache,
                    &plan.conditions[condition_index],
                    replicate,
                )
            },
            |delivery| match delivery {
                Delivery::Done(index, record) => {
                    let (experiment_index, condition_index, replicate) = units[index];
                    let plan = shared[experiment_index].0;
                    if let Some(error) = &record.error {
                        progress.note(&format!(
                            "{} / {} / replicate {}: {} `{}` failed: {}",
                            plan.name,
                            plan.conditions[condition_index].name,
                            replicate,
                            if error.panicked {
                                "panic in"
                            } else {
                                "error in"
                            },
                            error.stage,
                            error.message
                        ));
                    }
                    if verbose {
                        for stage in &record.cache_hits {
                            progress.note(&format!(
                                "[crystallize] {}/{}/replicate {}: step `{stage}` served from the step cache",
                                plan.name, plan.conditions[condition_index].name, replicate
                            ));
                        }
                    }
                    let (journal, slots) = &mut rest[experiment_index];
                    if let Some(journal) = journal.as_mut()
                        && let Err(error) = journal.push(&record)
                        && journal_error.is_none()
                    {
                        journal_error = Some(io_error("cannot journal to", journal.path(), error));
                    }
                    slots[condition_index][replicate as usize] = Some(record);
                    touched.insert(experiment_index);
                    progress.advance();
                }
                Delivery::Drained => {
                    for experiment_index in std::mem::take(&mut touched) {
                        if let Some(journal) = rest[experiment_index].0.as_mut()
                            && let Err(error) = journal.flush()
                            && journal_error.is_none()
                        {
                            journal_error =
                                Some(io_error("cannot journal to", journal.path(), error));
                        }
                    }
                }
            },
        );
    }
    progress.finish();
    if let Some(error) = journal_error {
        return Err(error);
    }
    let mut outcomes = Vec::with_capacity(prepared.len());
    for entry in prepared {
        outcomes.push(persist(entry, environment)?);
    }
    Ok(outcomes)
}

/// Writes results, manifest, metadata and the markers of fully successful conditions (for an
/// experiment that wrote), and returns its report entry.
fn persist(
    mut entry: Prepared<'_, '_>,
    environment: Option<&Environment>,
) -> Result<(ExperimentReport, ProducerView, Option<ExperimentLock>), RunError> {
    let plan = entry.plan;
    if let Some(clearing) = entry.clearing.take() {
        match clearing.join() {
            Ok(Ok(())) => {}
            Ok(Err(error)) => entry.decision.warnings.push(format!(
                "the previous v0 could not be fully deleted: {error}"
            )),
            Err(_) => entry
                .decision
                .warnings
                .push("the previous v0 could not be fully deleted".to_string()),
        }
    }
    if entry.writes
        && let Some(environment) = environment
    {
        let version_dir = &entry.version_dir;
        if let Some(journal) = entry.journal.as_mut() {
            journal
                .sync()
                .map_err(|error| io_error("cannot sync", &version_dir.join(JOURNAL), error))?;
        }
        let stage_order: Vec<&str> = plan
            .registered
            .experiment
            .stages()
            .iter()
            .map(|stage| &*stage.name)
            .collect();
        let position = |stage: &str| stage_order.iter().position(|s| *s == stage);
        let mut manifest = Manifest::new();
        let mut complete = Vec::new();
        let mut results = Vec::new();
        let run_records = entry.slots.iter().flatten().flatten();
        for record in entry.carried.records.iter().chain(run_records) {
            for artifact in &record.artifacts {
                let known = manifest.get(&artifact.file).map(String::as_str);
                if known.is_none_or(|known| position(&artifact.stage) < position(known)) {
                    manifest.insert(artifact.file.clone(), artifact.stage.clone());
                }
            }
        }
        for (condition, slots) in plan.conditions.iter().zip(&entry.slots) {
            let ok = slots
                .iter()
                .all(|slot| slot.as_ref().is_some_and(|slot| slot.error.is_none()));
            if ok {
                complete.push(condition);
            }
            results.push((
                condition,
                ResultsFile {
                    metrics: metrics_of(slots),
                },
            ));
        }
        let write = |path: PathBuf, result: io::Result<()>| {
            result.map_err(|error| io_error("cannot write", &path, error))
        };
        let path = version_dir.join(MANIFEST);
        write(path.clone(), write_json_pretty(&path, &manifest))?;
        for (condition, results) in &results {
            let path = layout::condition_dir(version_dir, &condition.name).join(RESULTS);
            write(path.clone(), write_json_pretty(&path, results))?;
        }
        let path = version_dir.join(METADATA);
        let metadata = metadata_of(
            plan,
            entry.version,
            STATUS_COMPLETE,
            entry.started,
            environment,
            &entry.carried,
        );
        write(path.clone(), write_json_pretty(&path, &metadata))?;
        for condition in complete {
            let path = layout::condition_dir(version_dir, &condition.name).join(MARKER);
            let content = format!("{}\n", condition.record.key.hex());
            write(path.clone(), write_atomic(&path, content.as_bytes()))?;
        }
        let options = &plan.registered.registration.options;
        if options.versioned
            && let Some(keep) = options.retention
        {
            let experiment_dir = version_dir.parent().unwrap_or(version_dir);
            let root = DataRoot::new(experiment_dir.parent().unwrap_or(experiment_dir));
            let protected =
                read_by_consumers(&root, &plan.name, plan.consumers.iter().map(String::as_str));
            match apply_retention(experiment_dir, keep, &protected) {
                Ok(pruned) => entry.pruned = pruned.iter().map(|p| p.version).collect(),
                Err(error) => entry.decision.warnings.push(format!(
                    "retention could not prune {}: {error}",
                    experiment_dir.display()
                )),
            }
        }
    }
    let mut report = build_report(
        plan,
        &entry.decision,
        &entry.slots,
        entry.version,
        &entry.version_dir,
    );
    report.pruned = entry.pruned;
    let view = ProducerView::new(
        entry.version,
        entry.version_dir.clone(),
        plan.replicates,
        plan.conditions.iter().map(|c| c.name.to_string()).collect(),
        entry.slots.into_iter().flatten().flatten(),
        false,
    );
    Ok((report, view, entry._lock))
}

/// Metric → value per replicate (`None` where the unit is missing, failed or has no value).
fn metrics_of(slots: &[Option<UnitRecord>]) -> BTreeMap<String, Vec<Option<f64>>> {
    let mut names: Vec<&String> = slots
        .iter()
        .flatten()
        .flat_map(|slot| slot.metrics.keys())
        .collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let values = slots
                .iter()
                .map(|slot| match slot {
                    Some(slot) if slot.error.is_none() => slot.metrics.get(name).copied().flatten(),
                    _ => None,
                })
                .collect();
            (name.clone(), values)
        })
        .collect()
}

fn build_report(
    plan: &ExperimentPlan<'_>,
    decision: &Decision,
    slots: &[Vec<Option<UnitRecord>>],
    version: u32,
    version_dir: &Path,
) -> ExperimentReport {
    let mut conditions = BTreeMap::new();
    let mut artifacts: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let (mut any_run, mut any_loaded) = (false, false);
    for (index, condition) in plan.conditions.iter().enumerate() {
        let units = &decision.conditions[index].units;
        let units_run = units
            .iter()
            .filter(|unit| matches!(unit, UnitDecision::Run(_)))
            .count() as u32;
        let units_loaded = units.len() as u32 - units_run;
        any_run |= units_run > 0;
        any_loaded |= units_loaded > 0;
        let condition_slots = &slots[index];
        for slot in condition_slots.iter().flatten() {
            if slot.error.is_some() {
                continue;
            }
            let unit_dir = layout::unit_dir(version_dir, slot.replicate, &condition.name);
            for artifact in &slot.artifacts {
                artifacts
                    .entry(artifact.file.clone())
                    .or_default()
                    .entry(condition.name.to_string())
                    .or_default()
                    .push(
                        unit_dir
                            .join(&artifact.stage)
                            .join(&artifact.file)
                            .display()
                            .to_string(),
                    );
            }
        }
        conditions.insert(
            condition.name.to_string(),
            ConditionReport {
                action: if units_run > 0 {
                    Action::Ran
                } else {
                    Action::Loaded
                },
                units_run,
                units_loaded,
                units_pending: if crate::resume::pending_upstream(plan, condition).is_some() {
                    units_run
                } else {
                    0
                },
                metrics: metrics_of(condition_slots),
                errors: condition_slots
                    .iter()
                    .flatten()
                    .filter_map(|slot| slot.error.clone())
                    .collect(),
                reasons: decision.condition_reasons(index),
                cache_hits: condition_slots
                    .iter()
                    .flatten()
                    .map(|record| record.cache_hits.len() as u32)
                    .sum(),
                inputs: condition
                    .record
                    .upstream
                    .iter()
                    .map(|read| InputReport {
                        input: read.input.clone(),
                        producer: read.producer.clone(),
                        file: read.file.clone(),
                        condition: read.condition.clone(),
                        version: plan
                            .upstream
                            .get(&read.producer)
                            .map_or(0, |view| view.version),
                        replicates: read.replicates,
                    })
                    .collect(),
            },
        );
    }
    ExperimentReport {
        name: plan.name.to_string(),
        action: match (any_run, any_loaded) {
            (true, true) => Action::Partial,
            (false, true) => Action::Loaded,
            _ => Action::Ran,
        },
        version,
        replicates: plan.replicates,
        reasons: decision.reasons(),
        conditions,
        artifacts,
        warnings: decision.warnings.clone(),
        pruned: Vec::new(),
    }
}
