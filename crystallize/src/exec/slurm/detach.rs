//! `--detach`: a coordinator that submits its wave and exits, and the collection of what such a
//! run's tasks finished. A detached run directory carries a `detached` file; the next run over
//! the data root journals the results its tasks wrote into the versions they ran in (so a
//! resume loads them, and prepares nothing away), and marks the directory finished once the
//! scheduler lists none of its tasks as queued or running.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::manifest::{MANIFEST, Manifest, read_from, results_file};
use super::{FINISHED, JOBS, scheduler};
use crate::store::journal::JournalWriter;
use crate::store::lock::{ExperimentLock, LockError, WaitPolicy};

/// The file that marks a run directory as detached.
const DETACHED: &str = "detached";

/// The file of a detached run directory recording, per task, the bytes of its result file
/// already journaled.
const COLLECTED: &str = "collected.json";

/// What the detached coordinator of this process submitted.
struct Submitted {
    /// The experiments of the wave.
    label: String,
    /// Its array jobs.
    jobs: Vec<String>,
    /// Its run directory.
    run_dir: PathBuf,
    /// The job that runs the next waves once these jobs ended, with the experiments it waits
    /// for.
    continuation: Option<(String, Vec<String>)>,
}

/// The wave this process detached from, if it did.
static SUBMITTED: Mutex<Option<Submitted>> = Mutex::new(None);

/// Forgets a wave an earlier run of this process detached from.
pub(super) fn forget() {
    if let Ok(mut slot) = SUBMITTED.lock() {
        *slot = None;
    }
}

/// The note of a run that detached in this process: its jobs, its run directory, and the job
/// that continues with the next waves.
pub(crate) fn detached() -> Option<String> {
    let slot = SUBMITTED.lock().ok()?;
    let submitted = slot.as_ref()?;
    let ids = submitted.jobs.join(",");
    let mut note = format!(
        "detached: submitted the units of {label} as job(s) {ids}\n\
         run directory: {dir}\n",
        label = submitted.label,
        dir = submitted.run_dir.display(),
    );
    match &submitted.continuation {
        None => note.push_str(&format!(
            "follow them with `squeue -j {ids}`; once they ended, `run --strategy resume` \
             collects their results; `scancel {ids}` cancels them"
        )),
        Some((job, waiting)) => note.push_str(&format!(
            "job {job} runs {waiting} once they ended (on the cluster, detached in turn; its log \
             is in the run directory)\n\
             follow them with `squeue -j {ids},{job}` or `status`; `run --strategy resume` \
             collects what finished; `scancel {ids},{job}` cancels them",
            waiting = waiting.join(", ")
        )),
    }
    Some(note)
}

/// The array jobs and run directory of the wave this process detached from.
pub(super) fn submitted() -> Option<(Vec<String>, PathBuf)> {
    let slot = SUBMITTED.lock().ok()?;
    let submitted = slot.as_ref()?;
    Some((submitted.jobs.clone(), submitted.run_dir.clone()))
}

/// Records `job` as the continuation of the detached wave, running `waiting`.
pub(super) fn continued_by(job: String, waiting: Vec<String>) {
    if let Ok(mut slot) = SUBMITTED.lock()
        && let Some(submitted) = slot.as_mut()
    {
        submitted.continuation = Some((job, waiting));
    }
}

/// Marks `run_dir` as detached (when it `submitted` anything; else only earlier runs' tasks
/// run its units) with its array jobs `ids`, and keeps the note the command line prints.
pub(super) fn mark(
    run_dir: &Path,
    submitted: bool,
    ids: &[String],
    label: &str,
) -> Result<(), String> {
    if submitted {
        let marker = run_dir.join(DETACHED);
        std::fs::write(&marker, b"")
            .map_err(|error| format!("cannot write {}: {error}", marker.display()))?;
    }
    if let Ok(mut slot) = SUBMITTED.lock() {
        *slot = Some(Submitted {
            label: label.to_string(),
            jobs: ids.to_vec(),
            run_dir: run_dir.to_path_buf(),
            continuation: None,
        });
    }
    Ok(())
}

/// Whether `run_dir` was submitted with `--detach`.
pub(crate) fn is_detached(run_dir: &Path) -> bool {
    run_dir.join(DETACHED).is_file()
}

/// The run directories below `data_dir` no coordinator finished with: detached ones, and
/// those of a coordinator that was killed or stopped while its tasks ran (or of one running
/// now, which holds its experiments' locks).
fn open_runs(data_dir: &Path) -> Vec<PathBuf> {
    super::run_dirs(data_dir, |dir| {
        dir.join(MANIFEST).is_file() && !dir.join(FINISHED).exists()
    })
}

/// The array job ids listed in `run_dir`'s jobs file.
pub(crate) fn job_ids(run_dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(run_dir.join(JOBS)).unwrap_or_default();
    let mut ids: Vec<String> = text
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Journals the results the tasks of every run below `data_dir` that no coordinator finished
/// with (detached, or its coordinator killed or stopped) wrote since the last collection into
/// the versions their units ran in, and marks a run finished once none of its tasks is queued
/// or running. So a resume loads what such tasks finished, before it prepares the versions
/// (which clears what it does not load). Returns how many units were journaled, and a warning
/// per problem (nothing here stops a run: an uncollected unit runs again). A run directory
/// whose experiments another run holds is left alone (silently, unless it is detached: a
/// running coordinator holds its own).
pub(crate) fn collect_detached(data_dir: &Path) -> (usize, Vec<String>) {
    let mut journaled = 0;
    let mut warnings = Vec::new();
    for dir in open_runs(&std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.into())) {
        match collect_run(&dir) {
            Ok(count) => journaled += count,
            Err(Uncollected::Busy(_)) if !is_detached(&dir) => {}
            Err(Uncollected::Busy(message) | Uncollected::Failed(message)) => {
                warnings.push(message);
            }
        }
    }
    (journaled, warnings)
}

/// Why a run directory's results were not collected.
enum Uncollected {
    /// Another run holds one of its experiments.
    Busy(String),
    /// Something could not be read or written.
    Failed(String),
}

impl From<String> for Uncollected {
    fn from(message: String) -> Uncollected {
        Uncollected::Failed(message)
    }
}

/// [`collect_detached`] for one run directory.
fn collect_run(dir: &Path) -> Result<usize, Uncollected> {
    let manifest = Manifest::read(&dir.join(MANIFEST))?;
    // The scheduler is asked first: a task it lists as ended wrote its results before.
    let ids = job_ids(dir);
    let ended = !ids.is_empty()
        && scheduler::poll(&ids).is_some_and(|states| {
            states
                .values()
                .all(|state| scheduler::is_final(&state.state))
        });
    // The journals are written under their experiments' locks, as a run writes them: a run
    // that holds one now is left alone, and its results are collected by a later run.
    let experiment_dirs: std::collections::BTreeSet<PathBuf> = manifest
        .units
        .iter()
        .filter_map(|args| value_of(args, "--work-dir"))
        .filter_map(|work_dir| Path::new(work_dir).parent().map(Path::to_path_buf))
        .collect();
    let mut _locks = Vec::with_capacity(experiment_dirs.len());
    for experiment_dir in &experiment_dirs {
        match ExperimentLock::acquire(experiment_dir, WaitPolicy::NoWait, || {}) {
            Ok(lock) => _locks.push(lock),
            Err(LockError::Busy) => {
                return Err(Uncollected::Busy(format!(
                    "{}: another run holds {}; its results are collected later",
                    dir.display(),
                    experiment_dir.display()
                )));
            }
            Err(error) => {
                return Err(Uncollected::Failed(format!(
                    "{}: cannot lock {}: {error:?}",
                    dir.display(),
                    experiment_dir.display()
                )));
            }
        }
    }
    let collected_path = dir.join(COLLECTED);
    let mut offsets: Vec<u64> = std::fs::read(&collected_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    offsets.resize(manifest.tasks.len().max(offsets.len()), 0);
    let mut journals: std::collections::BTreeMap<PathBuf, JournalWriter> = Default::default();
    let mut count = 0;
    for (task, offset) in offsets.iter_mut().enumerate() {
        let (lines, read) = read_from(&results_file(dir, task), *offset);
        for line in lines {
            let Some(result) = line.result else { continue };
            // A unit whose writes failed runs again.
            if result.storage_failure.is_some() {
                continue;
            }
            let Some(args) = manifest.units.get(line.unit) else {
                continue;
            };
            let (Some(work_dir), Some(version)) = (
                value_of(args, "--work-dir"),
                value_of(args, "--version").and_then(|v| v.parse::<u32>().ok()),
            ) else {
                continue;
            };
            let mut record = result.record;
            record.computed_in = version;
            let work_dir = PathBuf::from(work_dir);
            if !journals.contains_key(&work_dir) {
                let writer = JournalWriter::append_to(&work_dir).map_err(|error| {
                    format!("cannot journal to {}: {error}", work_dir.display())
                })?;
                journals.insert(work_dir.clone(), writer);
            }
            if let Some(journal) = journals.get_mut(&work_dir) {
                journal
                    .push(&record)
                    .map_err(|error| format!("cannot journal {}: {error}", dir.display()))?;
            }
            count += 1;
        }
        *offset = read;
    }
    for (work_dir, mut journal) in journals {
        journal
            .sync()
            .map_err(|error| format!("cannot journal to {}: {error}", work_dir.display()))?;
    }
    let text = serde_json::to_vec(&offsets).map_err(|error| error.to_string())?;
    let temporary = dir.join(format!("{COLLECTED}.tmp"));
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, &collected_path))
        .map_err(|error| format!("cannot write {}: {error}", collected_path.display()))?;
    if ended {
        std::fs::write(dir.join(FINISHED), b"")
            .map_err(|error| format!("cannot write {}: {error}", dir.display()))?;
    }
    Ok(count)
}

/// The value after `flag` in `args`.
fn value_of<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|arg| arg == flag)
        .and_then(|at| args.get(at + 1))
        .map(String::as_str)
}
