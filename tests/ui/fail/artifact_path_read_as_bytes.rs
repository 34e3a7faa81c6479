use crystallize::prelude::*;

#[source]
fn replicate_seed(ctx: &Ctx) -> u64 {
    ctx.seed()
}

#[step]
fn save(seed: u64, ctx: &mut Ctx) -> Result<u64, StepError> {
    std::fs::write(ctx.artifact_path("model.bin")?, seed.to_le_bytes())?;
    Ok(seed)
}

#[experiment]
fn producer() -> Experiment {
    Experiment::from(replicate_seed).step(save).output("model.bin")
}

#[step]
fn size(bytes: Vec<u8>) -> usize {
    bytes.len()
}

#[experiment]
fn consumer() -> Experiment {
    // `artifact_path` hands over a `PathBuf`, not the bytes: the step must take a `PathBuf`.
    Experiment::from(producer.artifact_path("model.bin")).step(size)
}

fn main() {}
