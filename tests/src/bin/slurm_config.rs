//! Experiments for the executor and resource declaration tests (`tests/it/slurm_config.rs`):
//! each unit records `pid`, the id of the process it ran in, so a test sees which executor ran
//! it (threads: the binary's own process; process: a child per unit).
//!
//! - `placed_pid`: declares nothing;
//! - `in_process`: `executor = "process"`;
//! - `in_threads`: `executor = "threads"`;
//! - `sized`: `executor = "slurm"` and every resource;
//! - `resumable`: resources and an executor; `slurm_config_plain` has the same experiment
//!   without them (the same data resumes across the two binaries).

use crystallize::prelude::*;

/// The process the unit runs in, and its replicate.
#[source]
fn pid_source(ctx: &Ctx) -> (u32, u32) {
    (std::process::id(), ctx.replicate())
}

/// Records `pid`.
#[step]
fn record_pid(data: (u32, u32), ctx: &mut Ctx) -> u32 {
    ctx.record("pid", f64::from(data.0));
    data.1
}

#[experiment(replicates = 2)]
fn placed_pid() -> Experiment {
    Experiment::from(pid_source).step(record_pid)
}

#[experiment(replicates = 2, executor = "process")]
fn in_process() -> Experiment {
    Experiment::from(pid_source).step(record_pid)
}

#[experiment(replicates = 2, executor = "threads")]
fn in_threads() -> Experiment {
    Experiment::from(pid_source).step(record_pid)
}

#[experiment(
    executor = "slurm",
    resources(cpus = 4, mem = "8G", time = "01:00:00", gpus = 1),
    description = "needs a GPU node"
)]
fn sized() -> Experiment {
    Experiment::from(pid_source).step(record_pid)
}

/// The replicate, squared: what `resumable` computes.
#[source]
fn square_source(ctx: &Ctx) -> u64 {
    u64::from(ctx.replicate()).pow(2)
}

/// Records `square` and writes it.
#[step]
fn square_record(value: u64, ctx: &mut Ctx) -> Result<u64, StepError> {
    ctx.record("square", value as f64);
    ctx.write_json("square.json", &value)?;
    Ok(value)
}

#[experiment(
    replicates = 3,
    executor = "threads",
    resources(cpus = 2, mem = "1G", time = "10", gpus = 1)
)]
fn resumable() -> Experiment {
    Experiment::from(square_source).step(square_record)
}

fn main() {
    crystallize::main()
}
