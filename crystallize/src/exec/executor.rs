//! Executors: where a unit runs. The run schedules units on its worker pool and commits each
//! result through the store and the journal itself; an executor only computes a unit, writing
//! its artifacts into the version the run prepared:
//!
//! - [`Executor::Threads`]: in this process (the default);
//! - [`Executor::Processes`]: in a child process of the same binary, started with the hidden
//!   `__unit` command (see [`super::child`]), which prints the unit's record back. Results are
//!   byte-identical to the threads'. This is the seam a cluster executor plugs into;
//! - [`Executor::Slurm`]: array tasks of a Slurm cluster (see [`super::slurm`]);
//! - [`Executor::PerExperiment`]: each experiment on its own executor, when experiments of one
//!   run chose different ones (`#[experiment(executor = "..")]`, `crystallize.toml`); the run
//!   hands the units of its experiments on Slurm to the cluster while the others run here.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::decide::plan::ExperimentPlan;
use crate::store::journal::{UnitErrorReport, UnitRecord};
use crate::unit::ctx::{CacheSettings, StorageFailure};

use super::unit::{Finished, run_unit};

/// The line a child process prints its result on, before the JSON.
pub(crate) const RESULT_MARK: &str = "CRYSTALLIZE-UNIT-RESULT ";

/// One unit to execute.
pub(crate) struct UnitJob<'a> {
    /// Its experiment's plan.
    pub plan: &'a ExperimentPlan<'a>,
    /// The version the run writes.
    pub version: u32,
    /// Where the run writes it (the version, or its staging directory).
    pub work_dir: &'a Path,
    /// The step cache.
    pub cache: &'a Arc<CacheSettings>,
    /// Index of its condition in the plan.
    pub condition: usize,
    /// Its replicate.
    pub replicate: u32,
}

/// Where units run.
#[derive(Clone, Debug)]
pub(crate) enum Executor {
    /// Threads of this process.
    Threads,
    /// Array tasks of a Slurm cluster (`--executor slurm`), each running chunks of units in
    /// processes of this binary (see [`super::slurm`]). The run hands whole waves to
    /// [`super::slurm::run_units`]; [`Executor::run`] of a single unit runs it in this process.
    Slurm(Box<super::slurm::SlurmSettings>),
    /// Child processes of this binary (`--executor process`).
    Processes {
        /// The binary.
        exe: PathBuf,
        /// The data root.
        data_dir: PathBuf,
        /// The binary's own arguments, repeated on each child's command line.
        forward: Vec<std::ffi::OsString>,
    },
    /// Each experiment's units on the executor given for it by name, the others on `default`.
    PerExperiment {
        /// By experiment name.
        by_name: std::collections::BTreeMap<String, Executor>,
        /// For experiments not named.
        default: Box<Executor>,
    },
}

/// What a child process sends back.
#[derive(Serialize, Deserialize)]
pub(crate) struct ChildResult {
    /// The unit's record.
    pub record: UnitRecord,
    /// The first write that failed because the storage failed: path, message, OS error code.
    pub storage_failure: Option<(PathBuf, String, Option<i32>)>,
    /// Seconds it ran.
    pub duration: f64,
    /// Seconds each stage took, in order.
    pub stage_times: Vec<(String, f64)>,
}

impl ChildResult {
    /// The result of a unit finished in this (child) process.
    pub(crate) fn of(finished: Finished) -> ChildResult {
        ChildResult {
            storage_failure: finished.storage_failure.map(|failure| {
                (
                    failure.path,
                    failure.error.to_string(),
                    failure.error.raw_os_error(),
                )
            }),
            record: finished.record,
            duration: finished.duration.as_secs_f64(),
            stage_times: finished
                .stage_times
                .into_iter()
                .map(|(stage, took)| (stage.to_string(), took.as_secs_f64()))
                .collect(),
        }
    }

    fn into_finished(self) -> Finished {
        Finished {
            record: self.record,
            storage_failure: self
                .storage_failure
                .map(|(path, message, code)| StorageFailure {
                    path,
                    error: match code {
                        Some(code) => std::io::Error::from_raw_os_error(code),
                        None => std::io::Error::other(message),
                    },
                }),
            duration: Duration::from_secs_f64(self.duration.max(0.0)),
            stage_times: self
                .stage_times
                .into_iter()
                .map(|(stage, took)| {
                    (
                        Arc::from(stage.as_str()),
                        Duration::from_secs_f64(took.max(0.0)),
                    )
                })
                .collect(),
        }
    }
}

impl Executor {
    /// The Slurm settings of the run when units of some experiment run on Slurm (every
    /// experiment on Slurm shares them; see [`super::slurm::SlurmSettings::of`]).
    pub(crate) fn slurm(&self) -> Option<&super::slurm::SlurmSettings> {
        match self {
            Executor::Slurm(settings) => Some(settings),
            Executor::PerExperiment { by_name, default } => default
                .slurm()
                .or_else(|| by_name.values().find_map(Executor::slurm)),
            Executor::Threads | Executor::Processes { .. } => None,
        }
    }

    /// Whether the units of `experiment` run on Slurm.
    pub(crate) fn on_slurm(&self, experiment: &str) -> bool {
        match self {
            Executor::Slurm(_) => true,
            Executor::PerExperiment { by_name, default } => by_name
                .get(experiment)
                .unwrap_or(default)
                .on_slurm(experiment),
            Executor::Threads | Executor::Processes { .. } => false,
        }
    }

    /// Runs `job` and returns its result.
    pub(crate) fn run(&self, job: &UnitJob<'_>) -> Finished {
        let condition = &job.plan.conditions[job.condition];
        match self {
            Executor::PerExperiment { by_name, default } => {
                by_name.get(&*job.plan.name).unwrap_or(default).run(job)
            }
            Executor::Threads | Executor::Slurm(_) => run_unit(
                job.plan,
                job.version,
                job.work_dir,
                job.cache,
                condition,
                job.replicate,
            ),
            Executor::Processes {
                exe,
                data_dir,
                forward,
            } => {
                let started = Instant::now();
                let result = run_child(exe, &child_args(job), data_dir, forward);
                finish_child(job, result, started.elapsed())
            }
        }
    }
}

/// What the run commits for `job` from the result a process of this binary gave (or the
/// reason it gave none, failing the unit after `took`).
pub(crate) fn finish_child(
    job: &UnitJob<'_>,
    result: Result<ChildResult, String>,
    took: Duration,
) -> Finished {
    match result {
        Ok(result) => {
            let condition = &job.plan.conditions[job.condition];
            let mut finished = result.into_finished();
            // The run's own key and version: what it journals.
            finished.record.key = condition.record.unit_key(job.replicate);
            finished.record.computed_in = job.version;
            finished
        }
        Err(message) => failed(job, message, took),
    }
}

/// A unit whose process could not give a result.
fn failed(job: &UnitJob<'_>, message: String, took: Duration) -> Finished {
    let condition = &job.plan.conditions[job.condition];
    Finished {
        record: UnitRecord {
            condition: condition.name.to_string(),
            replicate: job.replicate,
            key: condition.record.unit_key(job.replicate),
            metrics: Default::default(),
            artifacts: Vec::new(),
            error: Some(UnitErrorReport {
                replicate: job.replicate,
                stage: "process".to_string(),
                message,
                panicked: false,
            }),
            computed_in: job.version,
            cache_hits: Vec::new(),
            cache_entries: Vec::new(),
        },
        storage_failure: None,
        duration: took,
        stage_times: Vec::new(),
    }
}

/// The arguments of `__unit` for `job`: everything the child needs to rebuild the same plan of
/// the same condition (overrides, the upstream versions this run reads) and where to write.
pub(crate) fn child_args(job: &UnitJob<'_>) -> Vec<String> {
    let plan = job.plan;
    let condition = &plan.conditions[job.condition];
    let mut args = vec![
        "__unit".to_string(),
        plan.name.to_string(),
        "--version".to_string(),
        job.version.to_string(),
        "--work-dir".to_string(),
        job.work_dir.display().to_string(),
        "--replicates".to_string(),
        plan.replicates.to_string(),
        "--seed".to_string(),
        plan.seed.to_string(),
    ];
    if condition.record.environment.is_some() {
        args.push("--strict-env".to_string());
    }
    for step in &job.cache.disabled {
        args.push("--no-cache".to_string());
        args.push(step.clone());
    }
    for (producer, view) in plan.upstream.iter() {
        args.push("--read".to_string());
        args.push(format!(
            "{producer}={}:{}:{}",
            view.version,
            view.conditions.join(","),
            view.version_dir.display()
        ));
    }
    args.push(condition.name.to_string());
    args.push(job.replicate.to_string());
    args
}

/// Runs `exe` with the `__unit` arguments `args` (see [`child_args`]) and reads the result it
/// prints; what the unit itself printed is printed here.
pub(crate) fn run_child(
    exe: &Path,
    args: &[String],
    data_dir: &Path,
    forward: &[std::ffi::OsString],
) -> Result<ChildResult, String> {
    let mut child = Command::new(exe)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .args(forward)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| format!("cannot start a process for the unit: {error}"))?;
    let mut output = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut output);
    }
    let status = child
        .wait()
        .map_err(|error| format!("cannot wait for the unit's process: {error}"))?;
    let mut result = None;
    for line in output.lines() {
        match line.strip_prefix(RESULT_MARK) {
            Some(json) => result = Some(json),
            // What the unit's code printed, as it would print in this process.
            None => println!("{line}"),
        }
    }
    let Some(json) = result else {
        return Err(format!(
            "the unit's process ended without a result ({status})"
        ));
    };
    serde_json::from_str(json)
        .map_err(|error| format!("the unit's process sent an unreadable result: {error}"))
}
