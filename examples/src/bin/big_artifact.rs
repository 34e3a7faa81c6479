//! The big-artifact benchmark workload (see `bench/big_artifact.py`): one artifact of
//! `BIG_ARTIFACT_BYTES` bytes (default 256 MiB), written 8 MiB at a time, two ways:
//!
//! - experiment `big_artifact` writes it at the path `ctx.artifact_path("model.bin")` gives
//!   (a file the step creates itself, hashed when the step returns);
//! - experiment `big_artifact_writer` writes it through `ctx.artifact_writer("model.bin")`
//!   (hashed while it is written).
//!
//! Each records the size. Run one with `--strategy rerun` to measure writing, then
//! `--strategy resume` to measure a fully cached resume.

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

/// Writes [`size`] bytes of a pattern from `seed` to `out`, in 8 MiB writes.
fn write_pattern(seed: u64, out: &mut impl Write) -> std::io::Result<u64> {
    let len = size();
    let chunk: Vec<u8> = (0..8u64 << 20)
        .map(|i| (i.wrapping_mul(2654435761) ^ seed) as u8)
        .collect();
    let mut written = 0u64;
    while written < len {
        let take = usize::try_from((len - written).min(chunk.len() as u64)).unwrap_or(chunk.len());
        out.write_all(&chunk[..take])?;
        written += take as u64;
    }
    Ok(len)
}

/// Writes `model.bin` at the path the context gives.
#[step]
fn write_model(seed: u64, ctx: &mut Ctx) -> Result<u64, StepError> {
    let path = ctx.artifact_path("model.bin")?;
    let fail = |error: std::io::Error| StepError::new(format!("{}: {error}", path.display()));
    let mut file = std::fs::File::create(&path).map_err(fail)?;
    let len = write_pattern(seed, &mut file).map_err(fail)?;
    ctx.record("bytes", len as f64);
    Ok(len)
}

#[experiment(replicates = 1)]
fn big_artifact() -> Experiment {
    Experiment::from(replicate_seed)
        .step(write_model)
        .output("model.bin")
}

/// Writes `model.bin` through the context's writer.
#[step]
fn stream_model(seed: u64, ctx: &mut Ctx) -> Result<u64, StepError> {
    let mut writer = ctx.artifact_writer("model.bin")?;
    write_pattern(seed, &mut writer)?;
    let len = writer.finish()?;
    ctx.record("bytes", len as f64);
    Ok(len)
}

#[experiment(replicates = 1)]
fn big_artifact_writer() -> Experiment {
    Experiment::from(replicate_seed)
        .step(stream_model)
        .output("model.bin")
}

fn main() {
    crystallize::main()
}
