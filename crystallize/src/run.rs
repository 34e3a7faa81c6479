//! Running planned experiments: lock each experiment, prepare its version directory, execute every
//! unit in parallel, then persist results, manifest, metadata and completion markers.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::ctx::{Ctx, WrittenArtifact};
use crate::exec::{catch_panic, run_parallel};
use crate::plan::{ConditionPlan, ExperimentPlan};
use crate::progress::Progress;
use crate::provenance::Environment;
use crate::report::{Action, ConditionReport, ExperimentReport, Report, UnitErrorReport};
use crate::store::atomic::{write_atomic_durable, write_json_durable};
use crate::store::layout::{self, DataRoot, MANIFEST, MARKER, METADATA, RESULTS};
use crate::store::lock::{ExperimentLock, LockError, WaitPolicy};
use crate::store::records::{
    FORMAT, Manifest, Metadata, ResultsFile, StoredCondition, stored_value,
};
use crate::store::version::{claim_new_version, reset_version};

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
}

/// A run that could not happen or could not be stored.
#[derive(Debug)]
pub enum RunError {
    /// Another run holds an experiment's lock and `--no-wait` was given (exit 2).
    Busy(String),
    /// The data directory could not be written (exit 1).
    Io(String),
}

/// The outcome of one unit.
struct UnitOutcome {
    metrics: BTreeMap<String, f64>,
    artifacts: Vec<WrittenArtifact>,
    error: Option<UnitErrorReport>,
}

/// An experiment ready to execute: locked, with its version directory prepared.
struct Prepared<'p, 'r> {
    plan: &'p ExperimentPlan<'r>,
    version: u32,
    version_dir: PathBuf,
    _lock: ExperimentLock,
    started: SystemTime,
}

fn io_error(context: &str, path: &Path, error: io::Error) -> RunError {
    RunError::Io(format!("{context} {}: {error}", path.display()))
}

fn prepare<'p, 'r>(
    plan: &'p ExperimentPlan<'r>,
    options: &RunOptions,
) -> Result<Prepared<'p, 'r>, RunError> {
    let experiment_dir = options.root.experiment_dir(&plan.name);
    let lock = ExperimentLock::acquire(&experiment_dir, options.wait, || {
        eprintln!(
            "waiting for another run of `{}` to finish (it holds {})",
            plan.name,
            experiment_dir.join(layout::LOCK).display()
        );
    })
    .map_err(|error| match error {
        LockError::Busy => RunError::Busy(format!(
            "another run of `{}` holds {}; retry later or drop --no-wait to wait for it",
            plan.name,
            experiment_dir.join(layout::LOCK).display()
        )),
        LockError::Io(error) => io_error("cannot lock", &experiment_dir, error),
    })?;
    let versioned = plan.registered.registration.options.versioned;
    let version = if versioned {
        claim_new_version(&experiment_dir)
            .map_err(|error| io_error("cannot claim a version in", &experiment_dir, error))?
    } else {
        reset_version(&experiment_dir, 0).map_err(|error| {
            io_error(
                "cannot clear",
                &layout::version_dir(&experiment_dir, 0),
                error,
            )
        })?;
        0
    };
    Ok(Prepared {
        plan,
        version,
        version_dir: layout::version_dir(&experiment_dir, version),
        _lock: lock,
        started: SystemTime::now(),
    })
}

fn run_unit(prepared: &Prepared<'_, '_>, condition: &ConditionPlan, replicate: u32) -> UnitOutcome {
    let plan = prepared.plan;
    let mut ctx = Ctx::for_unit(
        plan.name.clone(),
        condition.name.clone(),
        replicate,
        plan.seed,
        condition.params.clone(),
        Some(layout::unit_dir(
            &prepared.version_dir,
            replicate,
            &condition.name,
        )),
    );
    let pipeline = plan.registered.experiment.pipeline.clone();
    let result = catch_panic(|| pipeline(&mut ctx));
    let stage = ctx.stage().to_string();
    let (metrics, artifacts, deferred) = ctx.finish();
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
    UnitOutcome {
        metrics,
        artifacts,
        error,
    }
}

/// Runs `plans` and persists their results.
pub fn execute(plans: &[ExperimentPlan<'_>], options: &RunOptions) -> Result<Report, RunError> {
    let mut prepared = Vec::with_capacity(plans.len());
    for plan in plans {
        prepared.push(prepare(plan, options)?);
        if options.verbose {
            let plan = prepared.last().map(|p| p.plan).unwrap_or(plan);
            eprintln!(
                "[crystallize] {}: run {} units ({} conditions x {} replicates) into v{}: {}",
                plan.name,
                plan.unit_count(),
                plan.conditions.len(),
                plan.replicates,
                prepared.last().map_or(0, |p| p.version),
                plan.reasons
                    .iter()
                    .map(|reason| reason.detail.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
    }
    let mut units = Vec::new();
    for (experiment_index, entry) in prepared.iter().enumerate() {
        for (condition_index, _) in entry.plan.conditions.iter().enumerate() {
            for replicate in 0..entry.plan.replicates {
                units.push((experiment_index, condition_index, replicate));
            }
        }
    }
    let mut outcomes: Vec<Vec<Vec<Option<UnitOutcome>>>> = prepared
        .iter()
        .map(|entry| {
            entry
                .plan
                .conditions
                .iter()
                .map(|_| (0..entry.plan.replicates).map(|_| None).collect())
                .collect()
        })
        .collect();
    let progress = Progress::new(units.len() as u64, options.progress);
    run_parallel(
        units.len(),
        options.jobs,
        |index| {
            let (experiment_index, condition_index, replicate) = units[index];
            let entry = &prepared[experiment_index];
            run_unit(entry, &entry.plan.conditions[condition_index], replicate)
        },
        |index, outcome| {
            let (experiment_index, condition_index, replicate) = units[index];
            if let Some(error) = &outcome.error {
                progress.note(&format!(
                    "{} / {} / replicate {}: {} `{}` failed: {}",
                    prepared[experiment_index].plan.name,
                    prepared[experiment_index].plan.conditions[condition_index].name,
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
            outcomes[experiment_index][condition_index][replicate as usize] = Some(outcome);
            progress.advance();
        },
    );
    progress.finish();
    let environment = Environment::detect();
    let mut report = Report::default();
    for (entry, outcomes) in prepared.iter().zip(outcomes) {
        report
            .experiments
            .push(persist(entry, outcomes, &environment)?);
    }
    Ok(report)
}

/// Writes `metadata.json`, `_manifest.json`, each condition's `results.json`, then the markers
/// of fully successful conditions, and returns the experiment's report entry.
fn persist(
    entry: &Prepared<'_, '_>,
    outcomes: Vec<Vec<Option<UnitOutcome>>>,
    environment: &Environment,
) -> Result<ExperimentReport, RunError> {
    let plan = entry.plan;
    let version_dir = &entry.version_dir;
    let stage_order: Vec<&str> = plan
        .registered
        .experiment
        .stages()
        .iter()
        .map(|stage| &*stage.name)
        .collect();
    let mut manifest = Manifest::new();
    let mut conditions = BTreeMap::new();
    let mut artifacts: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut complete = Vec::new();
    let mut results_files = Vec::new();
    for (condition, units) in plan.conditions.iter().zip(outcomes) {
        let mut metric_names: Vec<&String> = units
            .iter()
            .flatten()
            .flat_map(|unit| unit.metrics.keys())
            .collect();
        metric_names.sort();
        metric_names.dedup();
        let mut metrics: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
        for name in metric_names {
            let values = units
                .iter()
                .map(|unit| match unit {
                    Some(unit) if unit.error.is_none() => {
                        unit.metrics.get(name).copied().and_then(stored_value)
                    }
                    _ => None,
                })
                .collect();
            metrics.insert(name.clone(), values);
        }
        for unit in units.iter().flatten() {
            for artifact in &unit.artifacts {
                let known = manifest.get(&artifact.file).map(String::as_str);
                let position = |stage: &str| stage_order.iter().position(|s| *s == stage);
                if known.is_none_or(|known| position(&artifact.stage) < position(known)) {
                    manifest.insert(artifact.file.clone(), artifact.stage.to_string());
                }
                if unit.error.is_none()
                    && let Some(path) = &artifact.path
                {
                    artifacts
                        .entry(artifact.file.clone())
                        .or_default()
                        .entry(condition.name.to_string())
                        .or_default()
                        .push(path.display().to_string());
                }
            }
        }
        let errors: Vec<UnitErrorReport> = units
            .iter()
            .flatten()
            .filter_map(|unit| unit.error.clone())
            .collect();
        let units_run = units.iter().flatten().count() as u32;
        if errors.is_empty() && units_run == plan.replicates {
            complete.push(condition);
        }
        results_files.push((
            condition,
            ResultsFile {
                metrics: metrics.clone(),
            },
        ));
        conditions.insert(
            condition.name.to_string(),
            ConditionReport {
                action: Action::Ran,
                units_run,
                units_loaded: 0,
                metrics,
                errors,
            },
        );
    }
    let metadata = Metadata {
        replicates: plan.replicates,
        id: plan.id.hex(),
        name: plan.name.to_string(),
        version: entry.version,
        format: FORMAT,
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
                        key: condition.record.key,
                    },
                )
            })
            .collect(),
        provenance: environment.provenance(entry.started, SystemTime::now()),
    };
    let write = |path: PathBuf, result: io::Result<()>| {
        result.map_err(|error| io_error("cannot write", &path, error))
    };
    let path = version_dir.join(METADATA);
    write(path.clone(), write_json_durable(&path, &metadata))?;
    let path = version_dir.join(MANIFEST);
    write(path.clone(), write_json_durable(&path, &manifest))?;
    for (condition, results) in &results_files {
        let path = layout::condition_dir(version_dir, &condition.name).join(RESULTS);
        write(path.clone(), write_json_durable(&path, results))?;
    }
    for condition in complete {
        let path = layout::condition_dir(version_dir, &condition.name).join(MARKER);
        let content = format!("{}\n", condition.record.key.hex());
        write(
            path.clone(),
            write_atomic_durable(&path, content.as_bytes()),
        )?;
    }
    Ok(ExperimentReport {
        name: plan.name.to_string(),
        action: Action::Ran,
        version: entry.version,
        replicates: plan.replicates,
        reasons: plan.reasons.clone(),
        conditions,
        artifacts,
    })
}
