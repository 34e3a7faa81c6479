//! The Slurm executor (`--executor slurm`): the units of a wave run as the tasks of job arrays
//! on a cluster, each task a chunk of units run by the same binary (the hidden `__units`
//! command, see [`worker`]), which writes artifacts into the version the run prepared on the
//! shared data root and appends each unit's result to its task's result file. The coordinator
//! (this process) reads those results as they come and hands them to the run, which journals
//! and commits them as for any executor; it follows the tasks with one `squeue` per poll
//! (`scontrol`, then `sacct`, for what `squeue` forgot), and fails the units of a task that ended
//! without their results with the scheduler's state and reason. A task the scheduler requeues
//! (after a node failure) is reported and followed; one that waits for someone to act is
//! reported, and one that can never start is cancelled and fails its units.
//!
//! - `detach`: `--detach`, and the collection of a detached run's results;
//! - `manifest`: the run directory's manifest and result files;
//! - `scheduler`: `sbatch`, `squeue`, `scontrol`, `scancel`;
//! - `status`: what open run directories are doing (the `status` command);
//! - `worker`: the task's side.

mod detach;
mod interrupt;
mod manifest;
mod scheduler;
mod status;
pub(crate) mod worker;

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::exec::executor::{UnitJob, child_args, finish_child};
use crate::exec::pool::Delivery;
use crate::exec::unit::Finished;

pub(crate) use detach::{collect_detached, detached};
pub(crate) use manifest::SLURM_DIR;
use manifest::{MANIFEST, Manifest, chunks, default_per_task, read_from, results_file};
pub(crate) use status::{RunStatus, open_statuses};

/// The file of a run directory listing its array jobs: `job-id first-task tasks` per line.
pub(crate) const JOBS: &str = "jobs.txt";

/// The file a coordinator leaves in its run directory once every result reached the run.
const FINISHED: &str = "finished";

/// The run directories below `data_dir` (real directories, never links) that `keep` accepts,
/// oldest first (their names start with the time they were made).
pub(crate) fn run_dirs(data_dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data_dir.join(SLURM_DIR)) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|dir| std::fs::symlink_metadata(dir).is_ok_and(|meta| meta.is_dir()) && keep(dir))
        .collect();
    dirs.sort();
    dirs
}

/// The run directories below `data_dir` whose coordinator finished with them (`gc` deletes
/// them); those of a coordinator that was killed stay.
pub(crate) fn finished_runs(data_dir: &Path) -> Vec<PathBuf> {
    run_dirs(data_dir, |dir| dir.join(FINISHED).is_file())
}

/// What a task asks of the scheduler (`sbatch` options), when set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Resources {
    /// CPUs per task (`--cpus-per-task`).
    pub(crate) cpus: Option<u32>,
    /// Memory per node (`--mem`, e.g. `8G`).
    pub(crate) mem: Option<String>,
    /// Time limit per task (`--time`, e.g. `01:00:00`).
    pub(crate) time: Option<String>,
    /// GPUs per task (`--gpus`).
    pub(crate) gpus: Option<u32>,
}

/// How units run on Slurm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SlurmSettings {
    /// The binary every task runs (reachable at this path from the nodes).
    pub(crate) exe: PathBuf,
    /// The data root (shared with the nodes at this path).
    pub(crate) data_dir: PathBuf,
    /// The binary's own arguments, repeated on each unit's command line.
    pub(crate) forward: Vec<OsString>,
    /// The partition (`--partition`); the cluster's default when unset.
    pub(crate) partition: Option<String>,
    /// Units per array task; by default enough for at most 100 tasks per wave.
    pub(crate) units_per_task: Option<u32>,
    /// Further `sbatch` arguments, passed as given (`--slurm-arg`).
    pub(crate) sbatch_args: Vec<String>,
    /// What each task asks for.
    pub(crate) resources: Resources,
    /// How many times the units of a task that ended without their results are submitted
    /// again.
    pub(crate) retries: u32,
    /// Ctrl-C on the coordinator cancels the run's jobs (`--cancel-on-exit`).
    pub(crate) cancel_on_exit: bool,
    /// Submit the wave's units and stop without waiting for them (`--detach`): the run ends as
    /// cancelled, and [`detached`] gives its jobs and run directory.
    pub(crate) detach: bool,
    /// This invocation's arguments (without the binary), which the job continuing a detached
    /// run with its next waves runs again (see [`continue_detached`]).
    pub(crate) continuation: Vec<OsString>,
    /// The settings of the experiments whose partition, resources, units per task or `sbatch`
    /// arguments differ from these: their units are submitted as arrays of their own (the
    /// run-wide fields, such as `retries`, are taken from these).
    pub(crate) per_experiment: BTreeMap<String, SlurmSettings>,
}

impl SlurmSettings {
    /// The settings the units of `experiment` are submitted with.
    pub(crate) fn of(&self, experiment: &str) -> &SlurmSettings {
        self.per_experiment.get(experiment).unwrap_or(self)
    }
}

/// The name of a run's jobs: `crystallize-` and the experiments of the wave.
fn job_name(label: &str) -> String {
    let clean: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(200)
        .collect();
    format!("crystallize-{clean}")
}

/// A fresh run directory for `label` below the data root.
fn run_dir(data_dir: &Path, label: &str) -> PathBuf {
    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    data_dir.join(SLURM_DIR).join(format!(
        "{}-{stamp}-{}",
        job_name(label),
        std::process::id()
    ))
}

/// The file of a detached run directory naming the job that continues the run.
const CONTINUATION: &str = "continuation";

/// Submits the job that continues the run this process detached from once the wave's jobs
/// ended (`--dependency=afterany`, so also when some failed): it runs this binary again with
/// this invocation's arguments, `--no-wait`, and `--collect` for each experiment of `collect`
/// (the waves submitted so far), so that it loads what they finished (and stops, saying so,
/// when some unit of theirs did not finish), then runs `waiting`, the later waves, detaching
/// from the next wave in turn. The job needs no resources beyond the cluster's defaults: it
/// plans and submits.
pub(crate) fn continue_detached(
    settings: &SlurmSettings,
    collect: &[String],
    waiting: &[String],
) -> Result<(), String> {
    let (jobs, run_dir) = detach::submitted().ok_or_else(|| "no wave was submitted".to_string())?;
    let mut command = vec![scheduler::quote(&settings.exe.display().to_string())];
    for arg in &settings.continuation {
        let arg = arg
            .to_str()
            .ok_or_else(|| format!("the argument {arg:?} is not UTF-8"))?;
        command.push(scheduler::quote(arg));
    }
    command.push("--no-wait".to_string());
    for name in collect {
        command.push(format!("--collect={}", scheduler::quote(name)));
    }
    let script = run_dir.join("continue.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             # Written by crystallize: continues a detached run with its next waves.\n\
             exec {}\n",
            command.join(" ")
        ),
    )
    .map_err(|error| format!("cannot write {}: {error}", script.display()))?;
    let mut args = vec![
        "--parsable".to_string(),
        format!(
            "--job-name={}",
            job_name(&format!("continue-{}", waiting.join("+")))
        ),
        format!("--dependency=afterany:{}", jobs.join(":")),
        format!("--output={}/continue-%j.log", run_dir.display()),
    ];
    if let Ok(dir) = std::env::current_dir() {
        args.push(format!("--chdir={}", dir.display()));
    }
    if let Some(partition) = &settings.partition {
        args.push(format!("--partition={partition}"));
    }
    args.extend(settings.sbatch_args.iter().cloned());
    args.push(script.display().to_string());
    let id = scheduler::submit(&args)?;
    let marker = run_dir.join(CONTINUATION);
    std::fs::write(&marker, format!("{id}\n"))
        .map_err(|error| format!("cannot write {}: {error}", marker.display()))?;
    detach::continued_by(id, waiting.to_vec());
    Ok(())
}

/// What `plan --executor slurm --show-script` prints for `experiments` (each with the number of
/// units a run would submit): per group of experiments whose units a run submits as one array
/// (those sharing the settings [`SlurmSettings::of`] gives, as the coordinator groups them),
/// the script and the `sbatch` command line of its array (paths of a run directory that does
/// not exist yet), headed by the experiments it covers when there is more than one group.
pub(crate) fn show_scripts(settings: &SlurmSettings, experiments: &[(&str, usize)]) -> String {
    let label = experiments
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join("+");
    let mut groups: Vec<(&SlurmSettings, Vec<&str>, usize)> = Vec::new();
    for &(name, units) in experiments {
        let of = settings.of(name);
        match groups
            .iter_mut()
            .find(|(group, _, _)| std::ptr::eq(*group, of) || **group == *of)
        {
            Some((_, names, count)) => {
                names.push(name);
                *count += units;
            }
            None => groups.push((of, vec![name], units)),
        }
    }
    if groups.len() <= 1 {
        let units = experiments.iter().map(|(_, units)| units).sum();
        let group = groups.first().map_or(settings, |(group, _, _)| *group);
        return show_script(group, &label, units);
    }
    let mut text = format!(
        "# {} groups of Slurm settings: one array each\n",
        groups.len()
    );
    for (group, names, units) in groups {
        text.push_str(&format!("\n# experiments: {}\n", names.join(", ")));
        text.push_str(&show_script(group, &label, units));
    }
    text
}

/// The script and the `sbatch` command line a run of `units` units with `settings` would
/// submit, its jobs named after `label`.
fn show_script(settings: &SlurmSettings, label: &str, units: usize) -> String {
    let run_dir = run_dir(&absolute(&settings.data_dir), label);
    let manifest = run_dir.join(MANIFEST);
    let script_path = run_dir.join("task.sh");
    let per_task = per_task(settings, units);
    let tasks = units.div_ceil(per_task);
    let script = scheduler::script(&settings.exe, &manifest);
    let args = scheduler::sbatch_args(
        settings,
        &job_name(label),
        &run_dir,
        &script_path,
        0,
        tasks.min(scheduler::max_array_size()),
    );
    format!(
        "# {units} unit(s), {per_task} per task: {tasks} task(s)\n# {}\n{script}\nsbatch {}\n",
        script_path.display(),
        args.join(" ")
    )
}

fn per_task(settings: &SlurmSettings, units: usize) -> usize {
    settings
        .units_per_task
        .map_or_else(|| default_per_task(units), |n| n.max(1) as usize)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A task as the coordinator follows it: one it submitted, or one a previous coordinator of
/// the same units submitted and that is still queued or running (adopted on resume).
#[derive(Default)]
struct TaskProgress {
    /// Its result file.
    results: PathBuf,
    /// Its log.
    log: PathBuf,
    /// Its array job id.
    job: String,
    /// Its task id in that array.
    local: usize,
    /// The run's units it runs.
    units: Vec<usize>,
    /// For an adopted task: per unit index of its manifest, the run's unit.
    adopted: Option<std::sync::Arc<HashMap<usize, usize>>>,
    /// Bytes of its result file read.
    read: u64,
    /// Its units' `unit-started` events are sent.
    announced: bool,
    /// It ended and its units are delivered (or submitted again).
    done: bool,
    /// Polls in a row that the scheduler did not know it.
    missing: u32,
    /// How many times the scheduler requeued it, as last reported.
    restarts: u32,
    /// The reason it cannot start, as last reported.
    blocked: Option<String>,
}

/// The coordinator of one wave.
struct Coordinator<'s> {
    run_dir: PathBuf,
    job_name: String,
    manifest: Manifest,
    script: PathBuf,
    tasks: Vec<TaskProgress>,
    /// Per unit, the settings its tasks are submitted with.
    group_of: Vec<&'s SlurmSettings>,
    delivered: Vec<bool>,
    retries_left: Vec<u32>,
}

impl<'s> Coordinator<'s> {
    /// Writes the manifest (atomically: tasks may be reading it).
    fn write_manifest(&self) -> Result<(), String> {
        let path = self.run_dir.join(MANIFEST);
        let text = serde_json::to_vec(&self.manifest).map_err(|e| e.to_string())?;
        let temporary = self.run_dir.join(format!("{MANIFEST}.tmp"));
        std::fs::write(&temporary, text)
            .and_then(|()| std::fs::rename(&temporary, &path))
            .map_err(|error| format!("cannot write {}: {error}", path.display()))
    }

    /// Adds tasks of `units` (chunked) and submits them as arrays, one or more per distinct
    /// settings of their experiments.
    fn submit(&mut self, units: &[usize]) -> Result<(), String> {
        let mut groups: Vec<(&'s SlurmSettings, Vec<usize>)> = Vec::new();
        for &unit in units {
            let settings = self.group_of[unit];
            match groups
                .iter_mut()
                .find(|(group, _)| std::ptr::eq(*group, settings) || **group == *settings)
            {
                Some((_, members)) => members.push(unit),
                None => groups.push((settings, vec![unit])),
            }
        }
        for (settings, members) in groups {
            self.submit_group(settings, &members)?;
        }
        Ok(())
    }

    /// Adds tasks of `units` (chunked) and submits them as arrays with `settings`.
    fn submit_group(&mut self, settings: &SlurmSettings, units: &[usize]) -> Result<(), String> {
        let per_task = per_task(settings, units.len());
        let first = self.manifest.tasks.len();
        let mut added = Vec::new();
        for chunk in chunks(units.len(), per_task) {
            let task: Vec<usize> = chunk.into_iter().map(|i| units[i]).collect();
            added.push(TaskProgress {
                results: results_file(&self.run_dir, self.manifest.tasks.len()),
                units: task.clone(),
                ..TaskProgress::default()
            });
            self.manifest.tasks.push(task);
        }
        self.write_manifest()?;
        let count = self.manifest.tasks.len() - first;
        let max = scheduler::max_array_size();
        let mut offset = first;
        while offset < first + count {
            let len = (first + count - offset).min(max);
            let args = scheduler::sbatch_args(
                settings,
                &self.job_name,
                &self.run_dir,
                &self.script,
                offset,
                len,
            );
            let id = scheduler::submit(&args)?;
            // The run's jobs, for whoever looks into the run directory (`scancel`, `squeue`).
            let jobs = self.run_dir.join(JOBS);
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&jobs)
                .and_then(|mut file| {
                    std::io::Write::write_all(
                        &mut file,
                        format!("{id} {offset} {len}\n").as_bytes(),
                    )
                })
                .map_err(|error| format!("cannot write {}: {error}", jobs.display()))?;
            for (local, task) in added.drain(..len).enumerate() {
                self.tasks.push(TaskProgress {
                    log: self.run_dir.join(format!("task-{id}_{local}.log")),
                    job: id.clone(),
                    local,
                    ..task
                });
            }
            offset += len;
        }
        Ok(())
    }

    /// The array job ids of the run's tasks.
    fn job_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.tasks.iter().map(|task| task.job.clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Runs `jobs` as Slurm array tasks and hands each result to `sink` as it arrives (with a
/// [`Delivery::Drained`] after each batch), calling `started(index)` once a unit's task runs.
/// `label` names the run's jobs and directory. When a flag of `cancel` is set, the run's jobs
/// are cancelled and what finished is delivered. Returns how many units were delivered, or why
/// nothing could be submitted.
pub(crate) fn run_units(
    settings: &SlurmSettings,
    jobs: &[UnitJob<'_>],
    label: &str,
    cancel: &[&AtomicBool],
    started: impl Fn(usize),
    mut sink: impl FnMut(Delivery<Finished>),
) -> Result<usize, String> {
    detach::forget();
    if jobs.is_empty() {
        return Ok(0);
    }
    let data_dir = absolute(&settings.data_dir);
    let run_dir = run_dir(&data_dir, label);
    std::fs::create_dir_all(run_dir.join("results"))
        .map_err(|error| format!("cannot create {}: {error}", run_dir.display()))?;
    let script = run_dir.join("task.sh");
    std::fs::write(
        &script,
        scheduler::script(&settings.exe, &run_dir.join(MANIFEST)),
    )
    .map_err(|error| format!("cannot write {}: {error}", script.display()))?;
    let mut coordinator = Coordinator {
        job_name: job_name(label),
        manifest: Manifest {
            exe: settings.exe.clone(),
            data_dir: data_dir.clone(),
            forward: settings.forward.clone(),
            units: jobs.iter().map(child_args).collect(),
            tasks: Vec::new(),
        },
        run_dir,
        script,
        tasks: Vec::new(),
        group_of: jobs
            .iter()
            .map(|job| settings.of(job.plan.name.as_ref()))
            .collect(),
        delivered: vec![false; jobs.len()],
        retries_left: vec![settings.retries; jobs.len()],
    };
    if !settings.detach {
        interrupt::catch();
    }
    let mut count = 0;
    let covered = adopt(
        &mut coordinator,
        &data_dir,
        jobs,
        &started,
        &mut sink,
        &mut count,
    );
    let to_submit: Vec<usize> = (0..jobs.len())
        .filter(|&unit| !covered[unit] && !coordinator.delivered[unit])
        .collect();
    if !to_submit.is_empty() {
        coordinator.submit(&to_submit)?;
    }
    let ids = coordinator.job_ids();
    if settings.detach && !ids.is_empty() {
        detach::mark(&coordinator.run_dir, !to_submit.is_empty(), &ids, label)?;
        // The run stops here as a cancelled run does, keeping what it prepared for the resume
        // that collects the tasks' results.
        for flag in cancel {
            flag.store(true, Ordering::Relaxed);
        }
        sink(Delivery::Drained);
        return Ok(count);
    }
    let mut wait = Duration::from_millis(250);
    let mut last_poll = Instant::now() - Duration::from_secs(60);
    loop {
        let interrupted = interrupt::interrupted();
        if interrupted && !settings.cancel_on_exit && !interrupt::confirm(&coordinator.job_ids()) {
            // Ctrl-C, and the jobs stay: the run stops, and a resume follows them.
            let ids = coordinator.job_ids().join(",");
            eprintln!(
                "interrupted: the run's jobs {ids} go on; `run --strategy resume` collects \
                 their results, `scancel {ids}` cancels them"
            );
            for flag in cancel {
                flag.store(true, Ordering::Relaxed);
            }
            sink(Delivery::Drained);
            return Ok(count);
        }
        let cancelled = interrupted || cancel.iter().any(|flag| flag.load(Ordering::Relaxed));
        if cancelled {
            let ids = coordinator.job_ids();
            match scheduler::cancel(&ids) {
                Ok(()) if interrupted => {
                    eprintln!("interrupted: cancelled the run's jobs {}", ids.join(", "));
                    // The run stops as a cancelled run does.
                    for flag in cancel {
                        flag.store(true, Ordering::Relaxed);
                    }
                }
                Ok(()) => {}
                Err(message) => eprintln!("warning: {message}"),
            }
        }
        let mut progress = false;
        for task in 0..coordinator.tasks.len() {
            progress |= collect(
                &mut coordinator,
                task,
                jobs,
                &started,
                &mut sink,
                &mut count,
            );
        }
        if cancelled || count == jobs.len() {
            sink(Delivery::Drained);
            // Every result is with the run now: `gc` may delete the directory.
            let marker = coordinator.run_dir.join(FINISHED);
            if let Err(error) = std::fs::write(&marker, b"") {
                eprintln!("warning: cannot write {}: {error}", marker.display());
            }
            return Ok(count);
        }
        // The scheduler is asked at most every `wait`; results are read more often.
        if last_poll.elapsed() >= wait {
            last_poll = Instant::now();
            progress |= follow(&mut coordinator, jobs, &started, &mut sink, &mut count)?;
        }
        if progress {
            sink(Delivery::Drained);
            wait = Duration::from_millis(250);
        } else {
            wait = (wait * 3 / 2).min(Duration::from_secs(2));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Delivers the new results of `task`; whether there were any.
fn collect(
    coordinator: &mut Coordinator<'_>,
    task: usize,
    jobs: &[UnitJob<'_>],
    started: &impl Fn(usize),
    sink: &mut impl FnMut(Delivery<Finished>),
    count: &mut usize,
) -> bool {
    let (lines, read) = read_from(
        &coordinator.tasks[task].results,
        coordinator.tasks[task].read,
    );
    coordinator.tasks[task].read = read;
    let mut any = false;
    for line in lines {
        let unit = match &coordinator.tasks[task].adopted {
            None => Some(line.unit),
            Some(map) => map.get(&line.unit).copied(),
        };
        // The first complete result of a unit counts: a task run twice writes it again.
        let Some((unit, job)) = unit.and_then(|unit| Some((unit, jobs.get(unit)?))) else {
            continue;
        };
        if coordinator.delivered[unit] {
            continue;
        }
        // A result computed for other code (the binary was rebuilt since) is not this unit's.
        if let Some(result) = &line.result
            && result.record.key
                != job.plan.conditions[job.condition]
                    .record
                    .unit_key(job.replicate)
        {
            continue;
        }
        // A unit an earlier coordinator's task finished may have lost artifacts since: the run
        // clears what it does not load before it starts. Such a unit runs again.
        if coordinator.tasks[task].adopted.is_some()
            && let Some(result) = &line.result
            && !artifacts_present(job, &result.record)
        {
            continue;
        }
        announce(coordinator, task, started);
        coordinator.delivered[unit] = true;
        let took = Duration::from_secs_f64(line.took.max(0.0));
        let result = match (line.result, line.error) {
            (Some(result), _) => Ok(result),
            (None, error) => Err(error.unwrap_or_else(|| "no result".to_string())),
        };
        sink(Delivery::Done(unit, finish_child(job, result, took)));
        *count += 1;
        any = true;
    }
    any
}

/// Sends the `unit-started` events of `task`'s undelivered units, once.
fn announce(coordinator: &mut Coordinator<'_>, task: usize, started: &impl Fn(usize)) {
    if !std::mem::replace(&mut coordinator.tasks[task].announced, true) {
        for &unit in &coordinator.tasks[task].units {
            if !coordinator.delivered[unit] {
                started(unit);
            }
        }
    }
}

/// One poll of the scheduler: announces running tasks, and settles the tasks that ended
/// without all their results (failing their units, or submitting them again). Whether anything
/// was delivered.
fn follow(
    coordinator: &mut Coordinator<'_>,
    jobs: &[UnitJob<'_>],
    started: &impl Fn(usize),
    sink: &mut impl FnMut(Delivery<Finished>),
    count: &mut usize,
) -> Result<bool, String> {
    let Some(mut answers) = scheduler::Answers::poll(&coordinator.job_ids()) else {
        return Ok(false);
    };
    let mut retry = Vec::new();
    let mut any = false;
    for task in 0..coordinator.tasks.len() {
        if coordinator.tasks[task].done {
            continue;
        }
        let (job, local) = (
            coordinator.tasks[task].job.clone(),
            coordinator.tasks[task].local,
        );
        let (state, reason) = match answers.of(&job, local) {
            Some((state, source)) => {
                coordinator.tasks[task].missing = 0;
                if state.restarts > coordinator.tasks[task].restarts {
                    coordinator.tasks[task].restarts = state.restarts;
                    report_requeue(&job, local, &state);
                }
                if !scheduler::is_final(&state.state) {
                    if state.state == "PENDING" {
                        if let Some(reason) = blocked(coordinator, task, &state) {
                            (state.state, reason)
                        } else {
                            continue;
                        }
                    } else {
                        announce(coordinator, task, started);
                        continue;
                    }
                } else if source == scheduler::Source::Accounting {
                    (state.state, format!("{}, from sacct", state.reason))
                } else {
                    (state.state, state.reason)
                }
            }
            None => {
                coordinator.tasks[task].missing += 1;
                // Accounting may learn of a job a moment after it was submitted.
                if coordinator.tasks[task].missing < 6 {
                    continue;
                }
                (
                    "UNKNOWN".to_string(),
                    "the scheduler no longer lists it; a task cancelled before it started \
                     leaves no record"
                        .to_string(),
                )
            }
        };
        // Results written just before the task ended.
        any |= collect(coordinator, task, jobs, started, sink, count);
        coordinator.tasks[task].done = true;
        let log = coordinator.tasks[task].log.clone();
        for unit in coordinator.tasks[task].units.clone() {
            if coordinator.delivered[unit] {
                continue;
            }
            if coordinator.tasks[task].adopted.is_some() {
                // An earlier coordinator's task: its units run now as this run's own.
                retry.push(unit);
                continue;
            }
            if coordinator.retries_left[unit] > 0 {
                coordinator.retries_left[unit] -= 1;
                retry.push(unit);
                continue;
            }
            announce(coordinator, task, started);
            coordinator.delivered[unit] = true;
            let message = format!(
                "slurm task {local} of job {job}: {state} ({reason}); its log: {}",
                log.display()
            );
            sink(Delivery::Done(
                unit,
                finish_child(&jobs[unit], Err(message), Duration::ZERO),
            ));
            *count += 1;
            any = true;
        }
    }
    if !retry.is_empty() {
        coordinator.submit(&retry)?;
    }
    Ok(any)
}

/// Says on stderr that the scheduler requeued task `local` of array job `job` (a node failure
/// or a preemption ended its run, and it will run again), with why, when `sacct` tells.
fn report_requeue(job: &str, local: usize, state: &scheduler::TaskState) {
    let why = scheduler::previous_end(job, local).map_or_else(
        || "a node failure or a preemption ended its run".to_string(),
        |end| format!("{} ({})", end.state, end.reason),
    );
    eprintln!(
        "warning: slurm task {local} of job {job} was requeued: {why}; restart {}, now {} \
         ({}); following it (its units run again, except those whose results are in)",
        state.restarts, state.state, state.reason
    );
}

/// For task `task`, pending in `state`: when its reason says it cannot start until someone
/// acts, says so on stderr (once per reason); when it can never start, cancels it and returns
/// the reason its units fail with.
fn blocked(
    coordinator: &mut Coordinator<'_>,
    task: usize,
    state: &scheduler::TaskState,
) -> Option<String> {
    if !scheduler::is_blocked(&state.reason) {
        return None;
    }
    let progress = &mut coordinator.tasks[task];
    let name = format!("{}_{}", progress.job, progress.local);
    if scheduler::never_starts(&state.reason) {
        if let Err(message) = scheduler::cancel(std::slice::from_ref(&name)) {
            eprintln!("warning: {message}");
        }
        return Some(format!(
            "{}: it can never start, so it was cancelled",
            state.reason
        ));
    }
    if progress.blocked.as_deref() != Some(state.reason.as_str()) {
        progress.blocked = Some(state.reason.clone());
        eprintln!(
            "warning: slurm task {} of job {} is pending and cannot start until someone acts: \
             {} (`scontrol show job {name}`)",
            progress.local, progress.job, state.reason
        );
    }
    None
}

/// Takes over what earlier coordinators of the same units left (a coordinator killed before it
/// committed everything): their results are delivered, and their tasks still queued or running
/// are followed instead of being submitted again. Returns, per unit, whether such a task runs
/// it.
fn adopt(
    coordinator: &mut Coordinator<'_>,
    data_dir: &Path,
    jobs: &[UnitJob<'_>],
    started: &impl Fn(usize),
    sink: &mut impl FnMut(Delivery<Finished>),
    count: &mut usize,
) -> Vec<bool> {
    let mut covered = vec![false; jobs.len()];
    let ours: HashMap<&[String], usize> = coordinator
        .manifest
        .units
        .iter()
        .enumerate()
        .map(|(index, args)| (args.as_slice(), index))
        .collect();
    let dirs = run_dirs(data_dir, |dir| {
        dir != coordinator.run_dir && !dir.join(FINISHED).exists()
    });
    let mut adopted = Vec::new();
    for dir in dirs {
        let Ok(manifest) = Manifest::read(&dir.join(MANIFEST)) else {
            continue;
        };
        let map: HashMap<usize, usize> = manifest
            .units
            .iter()
            .enumerate()
            .filter_map(|(old, args)| Some((old, *ours.get(args.as_slice())?)))
            .collect();
        if map.is_empty() {
            continue;
        }
        let map = std::sync::Arc::new(map);
        let arrays = std::fs::read_to_string(dir.join(JOBS)).unwrap_or_default();
        for line in arrays.lines() {
            let mut fields = line.split_whitespace();
            let (Some(id), Some(Ok(offset)), Some(Ok(len))) = (
                fields.next(),
                fields.next().map(str::parse::<usize>),
                fields.next().map(str::parse::<usize>),
            ) else {
                continue;
            };
            for local in 0..len {
                let Some(units) = manifest.tasks.get(offset + local) else {
                    continue;
                };
                let units: Vec<usize> = units.iter().filter_map(|u| map.get(u).copied()).collect();
                if units.is_empty() {
                    continue;
                }
                adopted.push(TaskProgress {
                    results: results_file(&dir, offset + local),
                    log: dir.join(format!("task-{id}_{local}.log")),
                    job: id.to_string(),
                    local,
                    units,
                    adopted: Some(map.clone()),
                    ..TaskProgress::default()
                });
            }
        }
    }
    if adopted.is_empty() {
        return covered;
    }
    let first = coordinator.tasks.len();
    coordinator.tasks.extend(adopted);
    let mut ids: Vec<String> = coordinator.tasks[first..]
        .iter()
        .map(|task| task.job.clone())
        .collect();
    ids.sort();
    ids.dedup();
    let states = scheduler::poll(&ids).unwrap_or_default();
    let mut fallback: BTreeMap<String, BTreeMap<usize, scheduler::TaskState>> = BTreeMap::new();
    let mut any = false;
    for task in first..coordinator.tasks.len() {
        any |= collect(coordinator, task, jobs, started, sink, count);
        let (job, local) = (
            coordinator.tasks[task].job.clone(),
            coordinator.tasks[task].local,
        );
        let state = match states.get(&(job.clone(), local)) {
            Some(state) => Some(state.clone()),
            None => fallback
                .entry(job.clone())
                .or_insert_with(|| scheduler::scontrol(&job))
                .get(&local)
                .cloned(),
        };
        if state.is_some_and(|state| !scheduler::is_final(&state.state)) {
            for &unit in &coordinator.tasks[task].units {
                covered[unit] = true;
            }
        } else {
            // Ended: what it left is delivered; the rest is submitted again.
            coordinator.tasks[task].done = true;
        }
    }
    if any {
        sink(Delivery::Drained);
    }
    covered
}

/// Whether every artifact `record` lists is in `job`'s work directory, with its size.
fn artifacts_present(job: &UnitJob<'_>, record: &crate::store::journal::UnitRecord) -> bool {
    let dir = crate::store::layout::unit_dir(job.work_dir, job.replicate, &record.condition);
    record.artifacts.iter().all(|artifact| {
        std::fs::metadata(dir.join(&*artifact.stage).join(&*artifact.file))
            .is_ok_and(|meta| meta.is_file() && meta.len() == artifact.size)
    })
}
