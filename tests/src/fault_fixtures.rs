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
