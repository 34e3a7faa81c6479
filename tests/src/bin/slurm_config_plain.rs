//! `resumable` of `slurm_config` without its executor and resources: the same experiment for
//! the keys, declared without where it runs (`tests/it/slurm_config.rs`).

use crystallize::prelude::*;

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

#[experiment(replicates = 3)]
fn resumable() -> Experiment {
    Experiment::from(square_source).step(square_record)
}

fn main() {
    crystallize::main()
}
