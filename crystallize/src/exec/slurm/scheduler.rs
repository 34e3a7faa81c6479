//! Talking to Slurm: the batch script and `sbatch` command line of an array, submitting it,
//! one `squeue` per poll for every task of a run, `scontrol` when `squeue` forgot a job,
//! `sacct` (where the cluster keeps accounting) when both forgot it, and `scancel`.
//!
//! The hidden environment variable `CRYSTALLIZE_SLURM_SACCT_ONLY=1` makes `squeue` and
//! `scontrol` report nothing, so that only `sacct` answers, as it does once a cluster forgot
//! the jobs (after its `MinJobAge`, or a controller restart without saved state); the tests
//! use it to exercise that path on a cluster that still knows the jobs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use super::SlurmSettings;

/// Slurm's default `MaxArraySize`, used when `scontrol show config` cannot be read.
pub(crate) const DEFAULT_MAX_ARRAY_SIZE: usize = 1001;

/// The states a task ends in.
const FINAL_STATES: &[&str] = &[
    "COMPLETED",
    "FAILED",
    "CANCELLED",
    "TIMEOUT",
    "OUT_OF_MEMORY",
    "NODE_FAIL",
    "PREEMPTED",
    "BOOT_FAIL",
    "DEADLINE",
    "SPECIAL_EXIT",
];

/// Whether a task in `state` has ended.
pub(crate) fn is_final(state: &str) -> bool {
    FINAL_STATES
        .iter()
        .any(|known| state.split_whitespace().next() == Some(known))
}

/// The batch script every array task of a run runs: its chunk of units, by the task's index
/// (the array's offset, the script's first argument, plus `SLURM_ARRAY_TASK_ID`).
pub(crate) fn script(exe: &Path, manifest: &Path) -> String {
    format!(
        "#!/bin/sh\n\
         # Written by crystallize: runs one chunk of units of a planned version.\n\
         exec {} __units --manifest {} --task $(( $1 + SLURM_ARRAY_TASK_ID ))\n",
        quote(&exe.display().to_string()),
        quote(&manifest.display().to_string()),
    )
}

/// `text` quoted for the shell.
pub(super) fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// The `sbatch` arguments of an array of `tasks` tasks starting at task `offset` (the script
/// and the offset come last).
pub(crate) fn sbatch_args(
    settings: &SlurmSettings,
    job_name: &str,
    run_dir: &Path,
    script: &Path,
    offset: usize,
    tasks: usize,
) -> Vec<String> {
    let mut args = vec![
        "--parsable".to_string(),
        format!("--job-name={job_name}"),
        format!("--array=0-{}", tasks.saturating_sub(1)),
        format!("--output={}/task-%A_%a.log", run_dir.display()),
        // A task the scheduler requeues (after a node failure) keeps the log of its first run.
        "--open-mode=append".to_string(),
    ];
    if let Ok(dir) = std::env::current_dir() {
        args.push(format!("--chdir={}", dir.display()));
    }
    if let Some(partition) = &settings.partition {
        args.push(format!("--partition={partition}"));
    }
    let resources = &settings.resources;
    if let Some(cpus) = resources.cpus {
        args.push(format!("--cpus-per-task={cpus}"));
    }
    if let Some(mem) = &resources.mem {
        args.push(format!("--mem={mem}"));
    }
    if let Some(time) = &resources.time {
        args.push(format!("--time={time}"));
    }
    if let Some(gpus) = resources.gpus {
        args.push(format!("--gpus={gpus}"));
    }
    args.extend(settings.sbatch_args.iter().cloned());
    args.push(script.display().to_string());
    args.push(offset.to_string());
    args
}

/// Runs `program` with `args`, returning its stdout, or a message with its stderr.
fn output(program: &str, args: &[String]) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|error| format!("cannot run `{program}`: {error} (is Slurm installed?)"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "`{program} {}` failed ({}): {}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Submits an array with `sbatch` and returns its job id.
pub(crate) fn submit(args: &[String]) -> Result<String, String> {
    let out = output("sbatch", args)?;
    // `--parsable` prints `jobid` or `jobid;cluster`.
    let id = out.trim().split(';').next().unwrap_or_default().to_string();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("sbatch printed no job id: {out:?}"));
    }
    Ok(id)
}

/// The cluster's `MaxArraySize` (`scontrol show config`), or Slurm's default.
pub(crate) fn max_array_size() -> usize {
    output("scontrol", &["show".to_string(), "config".to_string()])
        .ok()
        .and_then(|text| {
            text.lines().find_map(|line| {
                let (key, value) = line.split_once('=')?;
                (key.trim() == "MaxArraySize")
                    .then(|| value.trim().parse().ok())
                    .flatten()
            })
        })
        .filter(|&size: &usize| size > 0)
        .unwrap_or(DEFAULT_MAX_ARRAY_SIZE)
}

/// Whether `CRYSTALLIZE_SLURM_SACCT_ONLY` asks that only `sacct` answers (see the module).
fn sacct_only() -> bool {
    std::env::var_os("CRYSTALLIZE_SLURM_SACCT_ONLY").is_some_and(|value| value == "1")
}

/// A task's state as the scheduler reports it.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct TaskState {
    /// `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, ...
    pub state: String,
    /// The scheduler's reason (`NonZeroExitCode`, `None`, ...).
    pub reason: String,
    /// How many times the scheduler started the task again (requeued it after a node failure
    /// or a preemption); 0 when it does not say.
    pub restarts: u32,
}

/// The reasons a pending task gives when it cannot start until someone acts (a dependency that
/// failed, a hold, a partition or account that refuses it).
const BLOCKED_REASONS: &[&str] = &[
    "DependencyNeverSatisfied",
    "JobHeldUser",
    "JobHeldAdmin",
    "PartitionDown",
    "PartitionInactive",
    "PartitionNodeLimit",
    "PartitionTimeLimit",
    "PartitionConfig",
    "InvalidAccount",
    "InvalidQOS",
    "AccountNotAllowed",
    "QOSNotAllowed",
    "BadConstraints",
    "launch failed requeued held",
];

/// Whether a pending task with `reason` cannot start until someone acts.
pub(crate) fn is_blocked(reason: &str) -> bool {
    BLOCKED_REASONS.contains(&reason)
}

/// Whether a pending task with `reason` can never start: Slurm keeps it queued forever.
pub(crate) fn never_starts(reason: &str) -> bool {
    reason == "DependencyNeverSatisfied"
}

/// Per (array job id, task id), the state of every task of `jobs` that `squeue` still lists:
/// one call for all of them. `None` when `squeue` could not be run.
pub(crate) fn poll(jobs: &[String]) -> Option<BTreeMap<(String, usize), TaskState>> {
    let args = vec![
        "-h".to_string(),
        "-r".to_string(),
        "-t".to_string(),
        "all".to_string(),
        format!("--jobs={}", jobs.join(",")),
        "-O".to_string(),
        "ArrayJobID:|,ArrayTaskID:|,State:|,RestartCnt:|,Reason:".to_string(),
    ];
    if sacct_only() {
        return Some(BTreeMap::new());
    }
    // squeue fails when none of the jobs is known any more: then it lists nothing.
    let text = match Command::new("squeue").args(&args).output() {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        Ok(_) => String::new(),
        Err(_) => return None,
    };
    Some(parse_squeue(&text))
}

/// Parses `squeue -O 'ArrayJobID:|,ArrayTaskID:|,State:|,RestartCnt:|,Reason:'` lines (the
/// reason last: it may hold spaces).
fn parse_squeue(text: &str) -> BTreeMap<(String, usize), TaskState> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.splitn(5, '|').map(str::trim);
            let job = fields.next()?.to_string();
            let task = fields.next()?.parse().ok()?;
            let state = fields.next()?.to_string();
            let restarts = fields.next()?.parse().unwrap_or(0);
            let reason = fields.next().unwrap_or_default().to_string();
            Some((
                (job, task),
                TaskState {
                    state,
                    reason,
                    restarts,
                },
            ))
        })
        .collect()
}

/// Per task id, the states `scontrol -o show job JOB` still reports for array job `job`.
pub(crate) fn scontrol(job: &str) -> BTreeMap<usize, TaskState> {
    if sacct_only() {
        return BTreeMap::new();
    }
    let args = ["-o", "show", "job", job].map(str::to_string);
    output("scontrol", &args)
        .map(|text| parse_scontrol(&text))
        .unwrap_or_default()
}

/// Parses `scontrol -o show job` records (one line per task).
fn parse_scontrol(text: &str) -> BTreeMap<usize, TaskState> {
    text.lines()
        .filter_map(|line| {
            let field = |name: &str| {
                line.split_whitespace()
                    .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
                    .map(str::to_string)
            };
            let task = field("ArrayTaskId")?.parse().ok()?;
            Some((
                task,
                TaskState {
                    state: field("JobState")?,
                    reason: field("Reason").unwrap_or_default(),
                    restarts: field("Restarts").and_then(|n| n.parse().ok()).unwrap_or(0),
                },
            ))
        })
        .collect()
}

/// Per (array job id, task id), the states `sacct` records for the tasks of `jobs`: one call
/// for all of them. `Err` when `sacct` cannot be run or fails (a cluster without accounting:
/// "Slurm accounting storage is disabled").
pub(crate) fn sacct(jobs: &[String]) -> Result<BTreeMap<(String, usize), TaskState>, String> {
    // A cluster without accounting says so at once; it is asked once per process.
    if SACCT_FAILED.load(Ordering::Relaxed) {
        return Err("sacct failed before".to_string());
    }
    let args = [
        "-n",
        "-P",
        "-X",
        "-j",
        &jobs.join(","),
        "-o",
        "JobID,State,ExitCode,Reason",
    ]
    .map(str::to_string);
    output("sacct", &args)
        .map(|text| parse_sacct(&text))
        .inspect_err(|_| SACCT_FAILED.store(true, Ordering::Relaxed))
}

/// Set once `sacct` failed: it is not asked again.
static SACCT_FAILED: AtomicBool = AtomicBool::new(false);

/// The last end `sacct` records for task `local` of array job `job` before its current run
/// (`-D`: every run of a requeued task): the state and reason of the run the scheduler ended,
/// such as `NODE_FAIL`. `None` without accounting or such a record.
pub(crate) fn previous_end(job: &str, local: usize) -> Option<TaskState> {
    if SACCT_FAILED.load(Ordering::Relaxed) {
        return None;
    }
    let args = [
        "-n",
        "-P",
        "-X",
        "-D",
        "-j",
        &format!("{job}_{local}"),
        "-o",
        "JobID,State,ExitCode,Reason",
    ]
    .map(str::to_string);
    let text = output("sacct", &args)
        .inspect_err(|_| SACCT_FAILED.store(true, Ordering::Relaxed))
        .ok()?;
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split('|');
            let _id = fields.next()?;
            let state = fields.next()?.trim().to_string();
            is_final(&state).then(|| TaskState {
                state,
                reason: fields.nth(1).unwrap_or_default().to_string(),
                restarts: 0,
            })
        })
        .rfind(|record| !record.state.starts_with("COMPLETED"))
}

/// Where a task's state came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// `squeue` or `scontrol`: the controller's own view.
    Controller,
    /// `sacct`: the accounting database, which may lag behind.
    Accounting,
}

/// What the scheduler says about a run's tasks in one poll: one `squeue` for all of them, then
/// per job `squeue` no longer lists, one `scontrol`, then for what neither knows, one `sacct`
/// for all the run's jobs.
pub(crate) struct Answers {
    jobs: Vec<String>,
    squeue: BTreeMap<(String, usize), TaskState>,
    scontrol: BTreeMap<String, BTreeMap<usize, TaskState>>,
    sacct: Option<BTreeMap<(String, usize), TaskState>>,
}

impl Answers {
    /// Asks `squeue` about `jobs`; `None` when it cannot be run.
    pub(crate) fn poll(jobs: &[String]) -> Option<Answers> {
        Some(Answers {
            jobs: jobs.to_vec(),
            squeue: poll(jobs)?,
            scontrol: BTreeMap::new(),
            sacct: None,
        })
    }

    /// The state of task `local` of array job `job`, and who told it; `None` when no one knows
    /// it.
    pub(crate) fn of(&mut self, job: &str, local: usize) -> Option<(TaskState, Source)> {
        let key = (job.to_string(), local);
        if let Some(state) = self.squeue.get(&key) {
            return Some((state.clone(), Source::Controller));
        }
        if let Some(state) = self
            .scontrol
            .entry(job.to_string())
            .or_insert_with(|| scontrol(job))
            .get(&local)
        {
            return Some((state.clone(), Source::Controller));
        }
        let jobs = &self.jobs;
        let accounting = self
            .sacct
            .get_or_insert_with(|| sacct(jobs).unwrap_or_default());
        accounting
            .get(&key)
            .map(|state| (state.clone(), Source::Accounting))
    }
}

/// Parses `sacct -n -P -X -o JobID,State,ExitCode,Reason` records: `25_3` is task 3 of array
/// job 25; `25_[2-9]` or `25_[2,4-9%2]` folds tasks that never started into one record; a task
/// with a record of its own keeps it over a folded one; states carry suffixes (`CANCELLED by
/// 0`), kept in the state; records of plain jobs (`25`) are left out.
fn parse_sacct(text: &str) -> BTreeMap<(String, usize), TaskState> {
    let mut own = BTreeMap::new();
    let mut folded = BTreeMap::new();
    for line in text.lines() {
        let mut fields = line.split('|');
        let (Some(id), Some(state)) = (fields.next(), fields.next()) else {
            continue;
        };
        let exit = fields.next().unwrap_or_default();
        let reason = fields.next().unwrap_or_default();
        let Some((job, tasks)) = id.trim().split_once('_') else {
            continue;
        };
        if job.is_empty() || !job.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let reason = match reason {
            "" | "None" if exit != "0:0" && !exit.is_empty() => format!("ExitCode {exit}"),
            "" => "None".to_string(),
            reason => reason.to_string(),
        };
        let record = TaskState {
            state: state.trim().to_string(),
            reason,
            restarts: 0,
        };
        if let Ok(task) = tasks.parse::<usize>() {
            own.insert((job.to_string(), task), record);
        } else if let Some(list) = tasks.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            // A `%N` throttle suffix says how many may run at once, not which tasks.
            let list = list.split('%').next().unwrap_or_default();
            for part in list.split(',') {
                let (first, last) = part.split_once('-').unwrap_or((part, part));
                let (Ok(first), Ok(last)) = (first.parse::<usize>(), last.parse::<usize>()) else {
                    continue;
                };
                // A folded range is the scheduler's own: never more than an array holds.
                for task in first..=last.min(first + 1_000_000) {
                    folded.insert((job.to_string(), task), record.clone());
                }
            }
        }
    }
    folded.extend(own);
    folded
}

/// Cancels `jobs` (every task of each).
pub(crate) fn cancel(jobs: &[String]) -> Result<(), String> {
    if jobs.is_empty() {
        return Ok(());
    }
    output("scancel", jobs).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeue_and_scontrol_lines_parse() {
        let states = parse_squeue(
            "17|0|COMPLETED|0|None\n17|2|FAILED|0|NonZeroExitCode\n\
             17|3|PENDING|1|launch failed requeued held\nbad\n",
        );
        assert_eq!(states.len(), 3);
        assert_eq!(states[&("17".to_string(), 2)].reason, "NonZeroExitCode");
        let held = &states[&("17".to_string(), 3)];
        assert_eq!(held.restarts, 1);
        assert!(is_blocked(&held.reason) && !never_starts(&held.reason));
        let states = parse_scontrol(
            "JobId=18 ArrayJobId=17 ArrayTaskId=1 JobState=CANCELLED Reason=None Dependency=(null) \
             Requeue=1 Restarts=2 BatchFlag=1\n",
        );
        assert_eq!(states[&1].state, "CANCELLED");
        assert_eq!(states[&1].restarts, 2);
        assert!(is_final("CANCELLED by 0") && !is_final("RUNNING") && !is_final("PENDING"));
    }

    /// What `sacct -n -P -X -o JobID,State,ExitCode,Reason` printed on the local cluster with
    /// accounting (Slurm 22.05): an array of 10 (`%2`) whose task 1 exited 3, task 3 was
    /// cancelled while it waited and the array was cancelled while tasks 4 and 5 ran (so task 4
    /// has a record of its own and one in the folded range); a plain job; an array that waited
    /// on the first with `afterok`; and an array whose task 0 a node failure requeued. The last
    /// line, written by hand, folds a list with a gap, as sacct does for such tasks.
    const SACCT: &str = "1233_0|COMPLETED|0:0|None
1233_1|FAILED|3:0|None
1233_2|COMPLETED|0:0|JobArrayTaskLimit
1233_3|CANCELLED by 0|0:0|JobArrayTaskLimit
1233_4|CANCELLED by 0|0:0|JobArrayTaskLimit
1233_5|CANCELLED by 0|0:0|JobArrayTaskLimit
1233_[4-9%2]|CANCELLED by 0|0:0|JobArrayTaskLimit
1248|COMPLETED|0:0|None
1249_[0-4]|PENDING|0:0|DependencyNeverSatisfied
1227_2|COMPLETED|0:0|None
1227_0|PENDING|0:0|BeginTime
1227_[7,9-10]|CANCELLED by 0|0:0|None
";

    #[test]
    fn sacct_records_parse_with_folded_ranges_and_state_suffixes() {
        let states = parse_sacct(SACCT);
        let get = |job: &str, task: usize| states.get(&(job.to_string(), task));
        assert_eq!(get("1233", 0).unwrap().state, "COMPLETED");
        let failed = get("1233", 1).unwrap();
        assert_eq!(
            (failed.state.as_str(), failed.reason.as_str()),
            ("FAILED", "ExitCode 3:0")
        );
        for task in 3..=9 {
            let record = get("1233", task).unwrap();
            assert!(is_final(&record.state), "{record:?}");
            assert!(record.state.starts_with("CANCELLED"), "{task}: {record:?}");
        }
        assert!(get("1233", 10).is_none());
        // A plain job's record is no array task.
        assert!(states.keys().all(|(job, _)| job != "1248"));
        for task in 0..=4 {
            let record = get("1249", task).unwrap();
            assert!(!is_final(&record.state) && never_starts(&record.reason));
        }
        assert_eq!(get("1227", 0).unwrap().reason, "BeginTime");
        for task in [7, 9, 10] {
            assert!(get("1227", task).is_some(), "{task}");
        }
        assert!(get("1227", 8).is_none());
        assert!(parse_sacct("garbage\n_3|FAILED\nx_1|FAILED|1:0|None\n").is_empty());
    }

    #[test]
    fn the_script_runs_its_task_of_the_manifest() {
        let script = script(
            Path::new("/opt/my exp/bin"),
            Path::new("/d/.slurm/r/manifest.json"),
        );
        assert!(script.contains(
            "exec '/opt/my exp/bin' __units --manifest '/d/.slurm/r/manifest.json' --task $(( $1 + SLURM_ARRAY_TASK_ID ))"
        ));
    }
}
