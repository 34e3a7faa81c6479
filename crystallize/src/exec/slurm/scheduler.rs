//! Talking to Slurm: the batch script and `sbatch` command line of an array, submitting it,
//! one `squeue` per poll for every task of a run, `scontrol` when `squeue` forgot a job, and
//! `scancel`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

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

/// A task's state as the scheduler reports it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TaskState {
    /// `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, ...
    pub state: String,
    /// The scheduler's reason (`NonZeroExitCode`, `None`, ...).
    pub reason: String,
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
        "-o".to_string(),
        "%F %K %T %r".to_string(),
    ];
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

/// Parses `squeue -o '%F %K %T %r'` lines.
fn parse_squeue(text: &str) -> BTreeMap<(String, usize), TaskState> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let job = fields.next()?.to_string();
            let task = fields.next()?.parse().ok()?;
            let state = fields.next()?.to_string();
            let reason = fields.collect::<Vec<_>>().join(" ");
            Some(((job, task), TaskState { state, reason }))
        })
        .collect()
}

/// Per task id, the states `scontrol -o show job JOB` still reports for array job `job`.
pub(crate) fn scontrol(job: &str) -> BTreeMap<usize, TaskState> {
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
                },
            ))
        })
        .collect()
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
        let states = parse_squeue("17 0 COMPLETED None\n17 2 FAILED NonZeroExitCode\nbad\n");
        assert_eq!(states.len(), 2);
        assert_eq!(states[&("17".to_string(), 2)].reason, "NonZeroExitCode");
        let states = parse_scontrol(
            "JobId=18 ArrayJobId=17 ArrayTaskId=1 JobState=CANCELLED Reason=None Dependency=(null)\n",
        );
        assert_eq!(states[&1].state, "CANCELLED");
        assert!(is_final("CANCELLED by 0") && !is_final("RUNNING") && !is_final("PENDING"));
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
