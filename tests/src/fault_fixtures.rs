//! Experiments for the fault-injection tests: names at the file-name limit.

use crystallize::prelude::*;

use crate::fixtures::replicate_index;

/// Writes an artifact whose name is 255 bytes long, the most a file name can hold.
#[step]
pub fn long_named_artifact(data: u32, ctx: &mut Ctx) -> Result<u32, StepError> {
    let name = format!("{}.json", "a".repeat(250));
    ctx.write_json(&name, &data)?;
    ctx.record("value", f64::from(data));
    Ok(data)
}

#[experiment(replicates = 2)]
pub fn long_artifact() -> Experiment {
    Experiment::from(replicate_index).step(long_named_artifact)
}

/// Aborts the whole process on replicate 1 when `CRYSTALLIZE_TEST_ABORT=1` (what a segfault in
/// native code would do): only a unit running in its own process survives that as a failure.
#[step]
pub fn abort_on_one(data: u32, ctx: &mut Ctx) -> u32 {
    if data == 1 && std::env::var("CRYSTALLIZE_TEST_ABORT").as_deref() == Ok("1") {
        std::process::abort();
    }
    ctx.record("value", f64::from(data));
    data
}

#[experiment(replicates = 3)]
pub fn aborting() -> Experiment {
    Experiment::from(replicate_index).step(abort_on_one)
}
