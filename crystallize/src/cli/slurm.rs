//! The flags of `--executor slurm`, and the hidden `__units` command its array tasks run.

use std::path::PathBuf;

use clap::Args;

use crate::exec::slurm::{Resources, SlurmSettings};

/// Flags of `--executor slurm` (ignored by the other executors).
#[derive(Args, Debug, Default)]
pub(crate) struct SlurmArgs {
    /// Slurm: the partition to submit to (default: the cluster's default partition)
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) partition: Option<String>,
    /// Slurm: units per array task (default: enough for at most 100 tasks per wave)
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) units_per_task: Option<u32>,
    /// Slurm: one more `sbatch` argument, passed as given (repeatable), e.g.
    /// `--slurm-arg=--account=proj`
    #[arg(
        long = "slurm-arg",
        global = true,
        value_name = "ARG",
        allow_hyphen_values = true
    )]
    pub(crate) slurm_args: Vec<String>,
    /// Slurm: CPUs per task (`sbatch --cpus-per-task`)
    #[arg(long, global = true, value_name = "N")]
    pub(crate) cpus: Option<u32>,
    /// Slurm: memory per task's node (`sbatch --mem`, e.g. 8G)
    #[arg(long, global = true, value_name = "SIZE")]
    pub(crate) mem: Option<String>,
    /// Slurm: time limit per task (`sbatch --time`, e.g. 01:00:00)
    #[arg(long, global = true, value_name = "TIME")]
    pub(crate) time: Option<String>,
    /// Slurm: GPUs per task (`sbatch --gpus`)
    #[arg(long, global = true, value_name = "N")]
    pub(crate) gpus: Option<u32>,
    /// Slurm: submit the units of a task that ended without their results again, up to N times
    #[arg(long, global = true, value_name = "N", default_value_t = 0)]
    pub(crate) retries: u32,
    /// Slurm: on Ctrl-C, cancel the run's jobs (`scancel`) and stop; without it they go on,
    /// and the next `run --strategy resume` follows them
    #[arg(long, global = true)]
    pub(crate) cancel_on_exit: bool,
    /// Slurm: submit the units of the first wave that must run, and a job that goes on with
    /// the next waves once they ended; print the job ids and exit without waiting
    #[arg(long, global = true)]
    pub(crate) detach: bool,
    /// With `plan --executor slurm`: print the batch script and the `sbatch` command line a run
    /// would submit
    #[arg(long, global = true)]
    pub(crate) show_script: bool,
}

impl SlurmArgs {
    /// The settings of a Slurm run of `exe` over `data_dir`.
    pub(crate) fn settings(
        &self,
        exe: PathBuf,
        data_dir: PathBuf,
        forward: Vec<std::ffi::OsString>,
    ) -> SlurmSettings {
        SlurmSettings {
            exe,
            data_dir,
            forward,
            partition: self.partition.clone(),
            units_per_task: self.units_per_task,
            sbatch_args: self.slurm_args.clone(),
            resources: Resources {
                cpus: self.cpus,
                mem: self.mem.clone(),
                time: self.time.clone(),
                gpus: self.gpus,
            },
            retries: self.retries,
            cancel_on_exit: self.cancel_on_exit,
            detach: self.detach,
            continuation: Vec::new(),
            per_experiment: std::collections::BTreeMap::new(),
        }
    }
}

/// The arguments the job continuing a detached run runs this binary with: `invocation`
/// without `--collect` and `--no-wait`, which the job adds itself, and without `--events` (the
/// job's output goes to its log, and the events file stays the run's that wrote it).
pub(crate) fn continuation(invocation: &[std::ffi::OsString]) -> Vec<std::ffi::OsString> {
    const WITH_VALUE: [&str; 2] = ["--collect", "--events"];
    let mut args = Vec::with_capacity(invocation.len());
    let mut skip_value = false;
    for arg in invocation {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        let text = arg.to_str().unwrap_or_default();
        if WITH_VALUE.contains(&text) {
            skip_value = true;
            continue;
        }
        let dropped = text == "--no-wait"
            || WITH_VALUE
                .iter()
                .any(|flag| text.starts_with(&format!("{flag}=")));
        if !dropped {
            args.push(arg.clone());
        }
    }
    args
}

/// Runs task `task` of the manifest at `manifest` (the hidden `__units` command); the exit
/// code.
pub(crate) fn units(manifest: &std::path::Path, task: usize) -> i32 {
    match crate::exec::slurm::worker::serve(manifest, task) {
        Ok(()) => super::EXIT_OK,
        Err(message) => {
            eprintln!("error: {message}");
            super::EXIT_FAILED
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_continuation_drops_what_the_job_sets_itself() {
        let args: Vec<std::ffi::OsString> = [
            "run",
            "b",
            "--collect",
            "a",
            "--events=e.jsonl",
            "--no-wait",
            "--events",
            "f",
            "--collect=c",
            "--detach",
        ]
        .iter()
        .map(Into::into)
        .collect();
        assert_eq!(continuation(&args), ["run", "b", "--detach"]);
    }
}
