//! `status`: what the Slurm runs below a data root that no coordinator finished with (detached,
//! or whose coordinator was killed) are doing, from their run directories and one `squeue`
//! per run.

use std::path::{Path, PathBuf};

use super::detach::{is_detached, job_ids};
use super::manifest::{MANIFEST, Manifest, read_from, results_file};
use super::{FINISHED, JOBS, scheduler};

/// The state of one run directory.
#[derive(Debug)]
pub(crate) struct RunStatus {
    /// The run directory.
    pub(crate) dir: PathBuf,
    /// Whether it was submitted with `--detach` (else its coordinator was stopped or killed).
    pub(crate) detached: bool,
    /// The experiments its units belong to.
    pub(crate) experiments: Vec<String>,
    /// Its array job ids.
    pub(crate) jobs: Vec<String>,
    /// Tasks waiting to start.
    pub(crate) queued: usize,
    /// Tasks running.
    pub(crate) running: usize,
    /// Tasks that ended with every unit's result.
    pub(crate) done: usize,
    /// Tasks that ended without some unit's result.
    pub(crate) failed: usize,
    /// Units with a result (collected by the next run), failed ones included.
    pub(crate) units_done: usize,
    /// Of those, the units that failed (their code's error, or no result from their process).
    pub(crate) units_failed: usize,
    /// Units without one yet.
    pub(crate) units_pending: usize,
}

/// The runs below `data_dir` that no coordinator finished with, oldest first.
pub(crate) fn open_statuses(data_dir: &Path) -> Vec<RunStatus> {
    let dirs = super::run_dirs(data_dir, |dir| {
        !dir.join(FINISHED).exists() && dir.join(JOBS).is_file()
    });
    dirs.iter().filter_map(|dir| status_of(dir)).collect()
}

/// The state of the run directory `dir`; `None` when it has no readable manifest.
fn status_of(dir: &Path) -> Option<RunStatus> {
    let manifest = Manifest::read(&dir.join(MANIFEST)).ok()?;
    let jobs = job_ids(dir);
    let states = scheduler::poll(&jobs).unwrap_or_default();
    let mut experiments: Vec<String> = manifest
        .units
        .iter()
        .filter_map(|args| args.get(1).cloned())
        .collect();
    experiments.sort();
    experiments.dedup();
    let mut finished = vec![false; manifest.units.len()];
    let mut failed = vec![false; manifest.units.len()];
    for task in 0..manifest.tasks.len() {
        for line in read_from(&results_file(dir, task), 0).0 {
            // The first result of a unit counts, as for the coordinator.
            if let Some(slot) = finished.get_mut(line.unit)
                && !std::mem::replace(slot, true)
            {
                failed[line.unit] = line
                    .result
                    .as_ref()
                    .is_none_or(|result| result.record.error.is_some());
            }
        }
    }
    let mut status = RunStatus {
        dir: dir.to_path_buf(),
        detached: is_detached(dir),
        experiments,
        jobs,
        queued: 0,
        running: 0,
        done: 0,
        failed: 0,
        units_done: finished.iter().filter(|&&done| done).count(),
        units_failed: failed.iter().filter(|&&failed| failed).count(),
        units_pending: finished.iter().filter(|&&done| !done).count(),
    };
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
            let complete = manifest
                .tasks
                .get(offset + local)
                .is_some_and(|units| units.iter().all(|&unit| finished[unit]));
            match states
                .get(&(id.to_string(), local))
                .map(|s| s.state.as_str())
            {
                Some("PENDING") => status.queued += 1,
                Some(state) if !scheduler::is_final(state) => status.running += 1,
                _ if complete => status.done += 1,
                _ => status.failed += 1,
            }
        }
    }
    Some(status)
}
