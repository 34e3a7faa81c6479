//! Running planned experiments. For each experiment, under its lock: decide which units load and
//! which run (`resume`), prepare the version directory (loaded units' records and artifacts come
//! along, so every version is self-contained), execute the units to run in parallel while
//! journaling each as it finishes, then write results, manifest, metadata and, last, the
//! completion markers. Experiments run in waves, producers before consumers.
//!
//! - `prepare`: the version directory of an experiment that writes;
//! - `unit`: executing one unit;
//! - `persist`: results, manifest, metadata, markers, retention;
//! - `slots`: the units' records of each condition as a run holds them;
//! - `outcome`: the report entry of an experiment;
//! - `log`: the `-v` log of decisions;
//! - `explain`: one unit's decision in full (`plan --explain`).

pub(crate) mod bench;
mod explain;
mod log;
mod mixed;
mod outcome;
mod persist;
mod prepare;
mod slots;

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use crate::decide::plan::ExperimentPlan;
use crate::decide::report::{ExperimentReport, Report, UnitRef};
use crate::decide::resume::{Current, Decision, DiskObserver, Target, UnitView, decide};
use crate::define::graph::Graph;
use crate::exec::executor::{Executor, UnitJob};
use crate::exec::pool::{Delivery, WorkerPool, run_parallel_in};
use crate::exec::unit::Finished;
use crate::output::events::{Event, Events, UnitOutcome};
use crate::store::files;
use crate::store::journal::JournalWriter;
use crate::store::layout::{self, DataRoot};
use crate::store::lock::{ExperimentLock, LockError, WaitPolicy};
use crate::store::provenance::Environment;
use crate::store::version;
use crate::unit::ctx::CacheSettings;
use crate::unit::upstream::{ProducerView, Views};

use outcome::build_report;
use persist::persist;
use prepare::{Carried, prepare};
use slots::ConditionSlots;

/// How to run.
#[derive(Clone, Debug)]
pub(crate) struct RunOptions {
    /// Worker threads.
    pub jobs: crate::exec::pool::Jobs,
    /// Where data lives.
    pub root: DataRoot,
    /// The consumers of the run's events (progress, log, `--events`, ...).
    pub events: Arc<Events>,
    /// Where units run.
    pub executor: Executor,
    /// Whether to wait for another run's lock.
    pub wait: WaitPolicy,
    /// Stages whose step cache this run bypasses (`--no-cache`).
    pub no_cache: Vec<String>,
    /// `plan --diff`: add the code diff of every changed item to the report.
    pub diff: bool,
    /// Set to cancel the run between units (the run screen's `r` while running): no unit
    /// starts after it, those running finish and stay journaled, and the run ends with
    /// [`RunError::Cancelled`].
    pub cancel: Arc<AtomicBool>,
    /// Whether a run that wrote ends with one durable sync of the data directory's file system
    /// (`--no-sync` clears it).
    pub sync: bool,
}

/// A run that could not happen or could not be stored.
#[derive(Debug)]
pub(crate) enum RunError {
    /// Another run holds an experiment's lock and `--no-wait` was given (exit 2).
    Busy(String),
    /// Something under the data directory is not what crystallize wrote and cannot be used
    /// safely, such as a symbolic link in place of an experiment directory (exit 2).
    Unsafe(String),
    /// The data directory could not be read or written (exit 1).
    Io(String),
    /// The run was cancelled through [`RunOptions::cancel`] before every unit ran; the units
    /// that finished are journaled for the next resume.
    Cancelled(String),
    /// The run submitted a wave's units to Slurm and stopped without waiting for them
    /// (`--detach`): what the cluster's tasks finish is collected by a later run. The note
    /// gives the jobs and how to follow them.
    Detached(String),
}

pub(super) fn io_error(context: &str, path: &Path, error: io::Error) -> RunError {
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
    /// Where the version is read once the run is committed.
    version_dir: PathBuf,
    /// Where the run writes: `version_dir`, or its staging directory when `staged`.
    work_dir: PathBuf,
    /// The version is rewritten beside the previous one and swapped in at the end.
    staged: bool,
    journal: Option<JournalWriter>,
    slots: Vec<ConditionSlots>,
    carried: Carried,
    /// The deletion of what the work directory held before, running meanwhile.
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
    match files::kind(&experiment_dir) {
        files::Kind::Link => {
            return Err(RunError::Unsafe(format!(
                "{} is a symbolic link: crystallize never follows links inside the data directory; \
                 move the directory it points to in its place, or remove the link",
                experiment_dir.display()
            )));
        }
        // The first run of the experiment: its directory, before its lock (which otherwise
        // makes it on finding it missing).
        files::Kind::Missing if exclusive => {
            let _ = std::fs::create_dir_all(&experiment_dir);
        }
        _ => {}
    }
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
        LockError::Link => RunError::Unsafe(format!(
            "{} is a symbolic link: crystallize never follows links inside the data directory; \
             remove it",
            lock_path.display()
        )),
        LockError::Io(error) => io_error("cannot lock", &lock_path, error),
    })?;
    let mut observer = None;
    if exclusive {
        // A swap a crash interrupted is finished (or undone) before anything is decided.
        let scan = version::scan(&experiment_dir)
            .map_err(|error| io_error("cannot read", &experiment_dir, error))?;
        if scan.repairs.is_empty() {
            observer = Some(DiskObserver::of_scan(&experiment_dir, scan));
        } else {
            version::recover(&experiment_dir, &scan).map_err(|error| {
                io_error(
                    "cannot finish an interrupted rewrite in",
                    &experiment_dir,
                    error,
                )
            })?;
        }
    }
    let mut observer = observer.unwrap_or_else(|| DiskObserver::new(&experiment_dir));
    let decision = decide(&mut observer, &Current::of(plan));
    Ok(Decided {
        plan,
        decision,
        _lock: lock,
    })
}

/// The records of loaded units, in their slots; units to run are empty slots.
fn loaded_slots(plan: &ExperimentPlan<'_>, decision: &Decision) -> Vec<ConditionSlots> {
    decision
        .conditions
        .iter()
        .zip(&plan.conditions)
        .map(|(condition, planned)| {
            ConditionSlots::of(&condition.units, &planned.name, &planned.record)
        })
        .collect()
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
pub(crate) fn plan_only(
    plans: &mut [ExperimentPlan<'_>],
    graph: &Graph,
    options: &RunOptions,
) -> Result<Report, RunError> {
    plan_explaining(plans, graph, options, None)
}

/// [`plan_only`], with `unit` (`plan --explain UNIT`) explained in full on its experiment's
/// report entry.
pub(crate) fn plan_explaining(
    plans: &mut [ExperimentPlan<'_>],
    graph: &Graph,
    options: &RunOptions,
    unit: Option<&UnitRef>,
) -> Result<Report, RunError> {
    started(plans, options, true);
    let result = plan_waves(plans, graph, options, unit);
    finish_run(options, &result);
    result
}

fn plan_waves(
    plans: &mut [ExperimentPlan<'_>],
    graph: &Graph,
    options: &RunOptions,
    explained: Option<&UnitRef>,
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
            options.events.emit(log::planned(&decided));
            // The version a run would leave: the one it loads everything from, or the one it
            // would write (a versioned experiment claims the next number).
            let experiment_dir = options.root.experiment_dir(&plan.name);
            let versioned = plan.registered.registration.options.versioned;
            let version = if decided.decision.source_complete {
                decided.decision.source.unwrap_or(0)
            } else {
                match decided.decision.stored.target(versioned) {
                    Target::Claim => version::list_versions(&experiment_dir)
                        .ok()
                        .and_then(|versions| versions.last().map(|latest| latest + 1))
                        .unwrap_or(0),
                    Target::Rewrite { version, .. } => version,
                }
            };
            let slots = loaded_slots(plan, &decided.decision);
            let version_dir = match (
                &decided.decision.source_dir,
                decided.decision.source_complete,
            ) {
                (Some(dir), true) => dir.clone(),
                _ => layout::version_dir(&options.root.experiment_dir(&plan.name), version),
            };
            let pending = decided
                .decision
                .conditions
                .iter()
                .any(|condition| condition.units.runs() > 0);
            views.insert(
                plan.name.to_string(),
                Arc::new(ProducerView::new(
                    version,
                    version_dir.clone(),
                    plan.replicates,
                    plan.conditions.iter().map(|c| c.name.to_string()).collect(),
                    slots.iter().flat_map(ConditionSlots::view_units),
                    pending,
                )),
            );
            let mut entry = build_report(plan, &decided.decision, &slots, version, &version_dir);
            if options.diff {
                entry.diffs =
                    crate::decide::codediff::diffs(plan, &decided.decision, options.root.path());
            }
            if let Some(unit) = explained.filter(|unit| *unit.experiment == *plan.name) {
                entry.explain = explain::explain_unit(plan, &decided.decision, unit);
            }
            options.events.emit(finished(&entry));
            report.experiments.push(entry);
            locks.push(decided._lock);
        }
    }
    Ok(report)
}

/// Runs `plans` and persists their results, producers before consumers: each wave of
/// independent experiments runs its units together, and consumers read what their producers
/// published in this invocation. Every experiment stays locked until the whole run ends.
pub(crate) fn execute(
    plans: &mut [ExperimentPlan<'_>],
    graph: &Graph,
    options: &RunOptions,
) -> Result<Report, RunError> {
    started(plans, options, false);
    let result = execute_waves(plans, graph, options);
    finish_run(options, &result);
    result
}

/// Sends the `run-started` event every run begins with.
fn started(plans: &[ExperimentPlan<'_>], options: &RunOptions, dry_run: bool) {
    options.events.emit(Event::RunStarted {
        experiments: plans.iter().map(|plan| plan.name.to_string()).collect(),
        dry_run,
    });
}

/// The `experiment-finished` event of a report entry.
fn finished(entry: &ExperimentReport) -> Event {
    Event::ExperimentFinished {
        experiment: entry.name.clone(),
        action: entry.action,
        version: entry.version,
        units_run: entry.conditions.values().map(|c| c.units_run).sum(),
        units_loaded: entry.conditions.values().map(|c| c.units_loaded).sum(),
        units_failed: entry
            .conditions
            .values()
            .map(|c| c.errors.len() as u32)
            .sum(),
    }
}

/// Sends the `run-finished` event every run ends with.
fn finish_run(options: &RunOptions, result: &Result<Report, RunError>) {
    let (failed_units, error) = match result {
        Ok(report) => (report.failed_units() as u32, None),
        Err(RunError::Detached(_)) => (0, None),
        Err(
            RunError::Busy(message)
            | RunError::Unsafe(message)
            | RunError::Io(message)
            | RunError::Cancelled(message),
        ) => (0, Some(message.clone())),
    };
    options.events.emit(Event::RunFinished {
        ok: failed_units == 0 && error.is_none(),
        failed_units,
        error,
        detached: matches!(result, Err(RunError::Detached(_))),
    });
}

fn execute_waves(
    plans: &mut [ExperimentPlan<'_>],
    graph: &Graph,
    options: &RunOptions,
) -> Result<Report, RunError> {
    let mut report = Report::default();
    let mut views = Views::new();
    let mut environment: Option<Environment> = None;
    let mut locks = Vec::new();
    let mut deletions: Vec<Deletion> = Vec::new();
    // One pool of worker threads for every wave.
    let mut pool = WorkerPool::new(options.jobs);
    for plan in plans.iter_mut() {
        plan.consumers = graph
            .consumers_of(&plan.name)
            .into_iter()
            .map(str::to_string)
            .collect();
    }
    let waves = waves(plans, graph);
    for (at, wave) in waves.iter().enumerate() {
        for &index in wave {
            plans[index].bind_upstream(&views);
        }
        let wave_plans: Vec<&ExperimentPlan<'_>> =
            wave.iter().map(|&index| &plans[index]).collect();
        let outcomes = execute_wave(
            &wave_plans,
            options,
            &mut pool,
            &mut environment,
            &mut deletions,
        );
        let outcomes = match outcomes {
            Ok(outcomes) => outcomes,
            Err(RunError::Detached(note)) if at + 1 < waves.len() => {
                finish_deletions(deletions, &mut report);
                return Err(RunError::Detached(continue_detached(
                    plans, &waves, at, options, note,
                )));
            }
            Err(error) => {
                finish_deletions(deletions, &mut report);
                return Err(error);
            }
        };
        for (entry, view, lock) in outcomes {
            options.events.emit(finished(&entry));
            views.insert(entry.name.clone(), Arc::new(view));
            report.experiments.push(entry);
            locks.push(lock);
        }
    }
    finish_deletions(deletions, &mut report);
    // One durable sync for the whole run, once everything is written (a group commit): what a
    // crash before it leaves torn is never trusted, as each marker's summary names the results,
    // journal and artifacts it vouches for, and the journal's lines carry checksums.
    // `--no-sync` skips it: then a power loss may lose the run's last results, and the same
    // checks find what it left torn.
    if environment.is_some() {
        if options.sync {
            let started = std::time::Instant::now();
            files::sync_file_system(options.root.path())
                .map_err(|error| io_error("cannot sync", options.root.path(), error))?;
            tracing::info!(
                "[crystallize] synced the file system of {} in {:.1} ms",
                options.root.path().display(),
                started.elapsed().as_secs_f64() * 1000.0
            );
        } else {
            tracing::info!(
                "[crystallize] not synced (--no-sync): {} is written but not yet durable",
                options.root.path().display()
            );
        }
    }
    Ok(report)
}

/// After the wave `at` of `waves` detached: submits the job that runs the later waves once its
/// jobs ended, and returns the note to print (`note`, when that job could not be submitted,
/// with why and what to do).
fn continue_detached(
    plans: &[ExperimentPlan<'_>],
    waves: &[Vec<usize>],
    at: usize,
    options: &RunOptions,
    note: String,
) -> String {
    let names = |waves: &[Vec<usize>]| -> Vec<String> {
        waves
            .iter()
            .flatten()
            .map(|&index| plans[index].name.to_string())
            .collect()
    };
    let Some(settings) = options.executor.slurm() else {
        return note;
    };
    let (collect, waiting) = (names(&waves[..=at]), names(&waves[at + 1..]));
    match crate::exec::slurm::continue_detached(settings, &collect, &waiting) {
        Ok(()) => crate::exec::slurm::detached().unwrap_or(note),
        Err(message) => format!(
            "{note}\nwarning: cannot submit the job that runs {} after them: {message}; \
             run `run --strategy resume` once they ended",
            waiting.join(", ")
        ),
    }
}

/// A replaced version being deleted in the background, with its experiment.
type Deletion = (String, PathBuf, std::thread::JoinHandle<io::Result<()>>);

/// Waits for the deletion of replaced versions, reporting any that could not finish (`gc`
/// removes what is left).
fn finish_deletions(deletions: Vec<Deletion>, report: &mut Report) {
    for (experiment, dir, handle) in deletions {
        let failed = !matches!(handle.join(), Ok(Ok(())));
        if failed
            && let Some(entry) = report
                .experiments
                .iter_mut()
                .find(|entry| entry.name == experiment)
        {
            entry.warnings.push(format!(
                "the replaced version {} could not be fully deleted (`gc` removes it)",
                dir.display()
            ));
        }
    }
}

/// Runs one wave of independent experiments.
fn execute_wave(
    plans: &[&ExperimentPlan<'_>],
    options: &RunOptions,
    pool: &mut WorkerPool,
    environment: &mut Option<Environment>,
    deletions: &mut Vec<Deletion>,
) -> Result<Vec<(ExperimentReport, ProducerView, Option<ExperimentLock>)>, RunError> {
    let mut decided = Vec::with_capacity(plans.len());
    for plan in plans {
        let entry = lock_and_decide(plan, options, true)?;
        options.events.emit(log::planned(&entry));
        decided.push(entry);
    }
    if environment.is_none() && !decided.iter().all(|entry| entry.decision.source_complete) {
        *environment = Some(Environment::detect());
    }
    let environment = environment.as_ref();
    let mut prepared = Vec::with_capacity(decided.len());
    for entry in decided {
        let entry = prepare(entry, options, environment)?;
        // Built only when a plugin observes them: one per loaded unit.
        if options.events.wants_loaded_units() {
            for event in log::loaded_units(entry.plan, &entry.decision) {
                options.events.emit(event);
            }
        }
        prepared.push(entry);
    }
    let mut units = Vec::new();
    for (experiment_index, entry) in prepared.iter().enumerate() {
        for (condition_index, condition) in entry.decision.conditions.iter().enumerate() {
            for (replicate, unit) in condition.units.iter().enumerate() {
                if matches!(unit, UnitView::Run(_)) {
                    units.push((experiment_index, condition_index, replicate as u32));
                }
            }
        }
    }
    let cache = Arc::new(CacheSettings {
        dir: options.root.path().join(crate::unit::cache::CACHE_DIR),
        disabled: options.no_cache.iter().cloned().collect(),
    });
    let events = &options.events;
    events.emit(Event::WaveStarted {
        experiments: prepared
            .iter()
            .map(|entry| entry.plan.name.to_string())
            .collect(),
        units: units.len() as u64,
    });
    // The first failure of the storage (a unit's write, or the journal): no unit starts after it.
    let mut fatal: Option<String> = None;
    let cancel = AtomicBool::new(false);
    let mut finished = 0usize;
    let started_units;
    {
        let (shared, mut rest): (Vec<_>, Vec<_>) = prepared
            .iter_mut()
            .map(|entry| {
                (
                    (entry.plan, entry.version, entry.work_dir.clone()),
                    (&mut entry.journal, &mut entry.slots),
                )
            })
            .unzip();
        let mut touched: BTreeSet<usize> = BTreeSet::new();
        let stop = |message: String, fatal: &mut Option<String>| {
            if fatal.is_none() {
                events.emit(Event::StorageFailed {
                    message: message.clone(),
                });
                *fatal = Some(message);
            }
            cancel.store(true, Ordering::Relaxed);
        };
        let job = |index: usize| {
            let (experiment_index, condition_index, replicate) = units[index];
            let (plan, version, work_dir) = &shared[experiment_index];
            UnitJob {
                plan,
                version: *version,
                work_dir,
                cache: &cache,
                condition: condition_index,
                replicate,
            }
        };
        let unit_started = |index: usize| {
            let (experiment_index, condition_index, replicate) = units[index];
            let plan = shared[experiment_index].0;
            events.emit(Event::UnitStarted {
                experiment: plan.name.to_string(),
                condition: plan.conditions[condition_index].name.to_string(),
                replicate,
            });
        };
        let sink = |delivery: Delivery<Finished>| match delivery {
            Delivery::Done(index, unit) => {
                let (experiment_index, condition_index, replicate) = units[index];
                let plan = shared[experiment_index].0;
                finished += 1;
                if let Some(failure) = &unit.storage_failure {
                    stop(
                        format!("cannot write {}: {}", failure.path.display(), failure.error),
                        &mut fatal,
                    );
                }
                let record = unit.record;
                let experiment = plan.name.to_string();
                let condition = plan.conditions[condition_index].name.to_string();
                for (stage, took) in &unit.stage_times {
                    events.emit(Event::StepFinished {
                        experiment: experiment.clone(),
                        condition: condition.clone(),
                        replicate,
                        step: stage.to_string(),
                        duration_ms: took.as_secs_f64() * 1000.0,
                        cached: record.cache_hits.iter().any(|hit| **hit == **stage),
                    });
                }
                for artifact in &record.artifacts {
                    events.emit(Event::ArtifactWritten {
                        experiment: experiment.clone(),
                        condition: condition.clone(),
                        replicate,
                        step: artifact.stage.to_string(),
                        file: artifact.file.to_string(),
                        size: artifact.size,
                    });
                }
                events.emit(Event::UnitFinished {
                    experiment,
                    condition,
                    replicate,
                    outcome: if record.error.is_some() {
                        UnitOutcome::Failed
                    } else {
                        UnitOutcome::Ran
                    },
                    duration_ms: unit.duration.as_secs_f64() * 1000.0,
                    error: record.error.as_ref().map(|error| error.message.clone()),
                    failed_in: record.error.as_ref().map(|error| {
                        format!(
                            "{} `{}`",
                            if error.panicked {
                                "panic in"
                            } else {
                                "error in"
                            },
                            error.stage
                        )
                    }),
                    metrics: record.metrics.to_map(),
                });
                let (journal, slots) = &mut rest[experiment_index];
                if let Some(journal) = journal.as_mut()
                    && let Err(error) = journal.push(&record)
                {
                    let message =
                        format!("cannot journal to {}: {error}", journal.path().display());
                    stop(message, &mut fatal);
                }
                slots[condition_index].set(replicate as usize, Arc::new(record));
                touched.insert(experiment_index);
            }
            Delivery::Drained => {
                for experiment_index in std::mem::take(&mut touched) {
                    if let Some(journal) = rest[experiment_index].0.as_mut()
                        && let Err(error) = journal.flush()
                    {
                        let message =
                            format!("cannot journal to {}: {error}", journal.path().display());
                        stop(message, &mut fatal);
                    }
                }
            }
        };
        let executor = &options.executor;
        let cancel_flags = [&cancel, &*options.cancel];
        let on_slurm: Vec<usize> = match executor.slurm() {
            Some(_) => (0..units.len())
                .filter(|&index| executor.on_slurm(&shared[units[index].0].0.name))
                .collect(),
            None => Vec::new(),
        };
        let label = || {
            let mut names: Vec<String> = on_slurm
                .iter()
                .map(|&index| shared[units[index].0].0.name.to_string())
                .collect();
            names.dedup();
            names.join("+")
        };
        started_units = match executor.slurm() {
            Some(settings) if on_slurm.len() == units.len() => {
                let jobs: Vec<UnitJob<'_>> = (0..units.len()).map(job).collect();
                crate::exec::slurm::run_units(
                    settings,
                    &jobs,
                    &label(),
                    &cancel_flags,
                    unit_started,
                    sink,
                )
                .map_err(|message| RunError::Io(format!("--executor slurm: {message}")))?
            }
            Some(settings) if !on_slurm.is_empty() => mixed::run(
                settings,
                &on_slurm,
                &label(),
                mixed::Wave {
                    executor,
                    job: &job,
                    count: units.len(),
                    threads: options.jobs.count(),
                },
                &cancel_flags,
                &unit_started,
                sink,
            )
            .map_err(|message| RunError::Io(format!("--executor slurm: {message}")))?,
            _ => run_parallel_in(
                pool,
                units.len(),
                &cancel_flags,
                |index| {
                    unit_started(index);
                    executor.run(&job(index))
                },
                sink,
            ),
        };
    }
    events.emit(Event::WaveFinished);
    if fatal.is_none()
        && started_units < units.len()
        && options
            .executor
            .slurm()
            .is_some_and(|settings| settings.detach)
        && let Some(note) = crate::exec::slurm::detached()
    {
        return Err(RunError::Detached(note));
    }
    let cancelled =
        fatal.is_none() && started_units < units.len() && options.cancel.load(Ordering::Relaxed);
    if fatal.is_some() || cancelled {
        let kept: Vec<String> = prepared
            .iter()
            .map(|entry| {
                if entry.staged || entry.work_dir != entry.version_dir {
                    format!(
                        "{} is untouched; the units that finished are kept in {} for the next resume",
                        entry.version_dir.display(),
                        entry.work_dir.display()
                    )
                } else {
                    format!(
                        "the units that finished are journaled in {} for the next resume",
                        entry.work_dir.display()
                    )
                }
            })
            .collect();
        let not_started = units.len().saturating_sub(started_units);
        return Err(match fatal {
            Some(message) => RunError::Io(format!(
                "{message}\nstopped at the first write error: {finished} of {} units finished, {not_started} not started; {}",
                units.len(),
                kept.join("; ")
            )),
            None => RunError::Cancelled(format!(
                "cancelled: {finished} of {} units finished, {not_started} not started; {}",
                units.len(),
                kept.join("; ")
            )),
        });
    }
    let mut outcomes = Vec::with_capacity(prepared.len());
    for entry in prepared {
        let (report, view, lock, deletion) = persist(entry, environment)?;
        deletions.extend(deletion);
        outcomes.push((report, view, lock));
    }
    Ok(outcomes)
}
