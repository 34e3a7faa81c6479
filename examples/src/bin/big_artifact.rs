//! The big-artifact benchmark workload (see `bench/big_artifact.py`): experiment `big_artifact`
//! writes one artifact of `BIG_ARTIFACT_BYTES` bytes (default 256 MiB) at the path
//! `ctx.artifact_path("model.bin")` gives, 8 MiB at a time, and records its size. Run it with
//! `--strategy rerun` to measure writing, then `--strategy resume` to measure a fully cached
//! resume.

use std::io::Write;

use crystallize::prelude::*;

/// The size to write, from `BIG_ARTIFACT_BYTES`.
fn size() -> u64 {
    std::env::var("BIG_ARTIFACT_BYTES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(256 << 20)
}

#[source]
fn replicate_seed(ctx: &Ctx) -> u64 {
    ctx.seed()
}

/// Writes `model.bin`: a pattern from the seed, in 8 MiB writes.
#[step]
fn write_model(seed: u64, ctx: &mut Ctx) -> Result<u64, StepError> {
    let len = size();
    let path = ctx.artifact_path("model.bin")?;
    let fail = |error: std::io::Error| StepError::new(format!("{}: {error}", path.display()));
    let mut file = std::fs::File::create(&path).map_err(fail)?;
    let chunk: Vec<u8> = (0..8u64 << 20)
        .map(|i| (i.wrapping_mul(2654435761) ^ seed) as u8)
        .collect();
    let mut written = 0u64;
    while written < len {
        let take = usize::try_from((len - written).min(chunk.len() as u64)).unwrap_or(chunk.len());
        file.write_all(&chunk[..take]).map_err(fail)?;
        written += take as u64;
    }
    ctx.record("bytes", len as f64);
    Ok(len)
}

#[experiment(replicates = 1)]
fn big_artifact() -> Experiment {
    Experiment::from(replicate_seed)
        .step(write_model)
        .output("model.bin")
}

fn main() {
    crystallize::main()
}
