//! Experiments writing artifacts at paths (`ctx.artifact_path`) and reading them by path
//! (`producer.artifact_path`), for `tests/it/big_artifacts.rs`. Sizes are a few MiB, above the
//! size from which files are hashed on every core.
//!
//! - `big_producer` (versioned, 2 replicates) writes `model.bin`: `BIG_TEST_BYTES` bytes
//!   (default 2 MiB + 3), byte `i` = `i * 7 + replicate + BIG_TEST_SEED` (mod 256). With
//!   `BIG_TEST_PANIC` set, replicate 0 writes half of it and panics.
//! - `big_consumer` (3 replicates) reads `model.bin` by path and records `len`, `first` (its first
//!   byte) and `in_producer` (1 when the path is the producer's file).
//! - `big_cached` (versioned) has a cached step writing `cached.bin` and returning its path;
//!   the next step records `len` and `own` (1 when the path it got is its unit's artifact).
//! - `big_plain` (not versioned: its file keeps its path from run to run) writes `plain.bin` like
//!   `big_producer`; `big_plain_reader` hands its path to a cached step recording `len`.
//! - `big_bad_name` asks for the path of `../escape.bin`.
//! - `big_streamed` (versioned, 2 replicates) writes `model.bin` like `big_producer`, but through
//!   `ctx.artifact_writer` (replicate 0 finishes the writer, replicate 1 drops it), and the same
//!   bytes with `ctx.write_bytes` as `copy.bin`. With `BIG_TEST_PANIC` (or `BIG_TEST_FAIL`) set,
//!   replicate 0 writes half of `model.bin` and panics (or returns an error); with
//!   `BIG_TEST_APPEND` set, every replicate appends `tail` to `model.bin` through a handle of its
//!   own after finishing the writer.
//! - `big_streamed_consumer` (3 replicates) reads `big_streamed`'s `model.bin` by path and as
//!   bytes, and records `len`, `first` and `same` (1 when the file holds the bytes).
//! - `big_cached_writer` (versioned) has a cached step writing `cached.bin` through the
//!   context's writer.
//! - `big_outlived` returns its writer of `late.bin` from one step (after writing `early` and
//!   flushing it); the next step writes through it and records `late_refused` (1 when the write
//!   failed, saying the artifact was committed).
//!
//! Steps append their name to the file named by `CRYSTALLIZE_TEST_BODY_LOG` (when set) each time
//! their body runs.

use std::io::Write;
use std::path::PathBuf;

use crystallize::ArtifactWriter;
use crystallize::prelude::*;

/// Appends `step` as one line to the body log, if one is configured.
fn log_body(step: &str) {
    if let Some(path) = std::env::var_os("CRYSTALLIZE_TEST_BODY_LOG") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("body log opens");
        file.write_all(format!("{step}\n").as_bytes())
            .expect("body log is writable");
    }
}

/// A number from the environment, or `default`.
fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

/// Writes `len` bytes of the pattern `i * 7 + offset` to `path`, in 64 KiB pieces.
fn write_pattern(path: &std::path::Path, len: u64, offset: u64) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    write_pattern_to(&mut file, len, offset)?;
    file.flush()
}

/// Writes `len` bytes of the pattern `i * 7 + offset` to `out`, in 64 KiB pieces.
fn write_pattern_to(out: &mut impl Write, len: u64, offset: u64) -> std::io::Result<()> {
    let mut written = 0u64;
    let mut chunk = Vec::with_capacity(64 * 1024);
    while written < len {
        chunk.clear();
        let end = (written + 64 * 1024).min(len);
        chunk.extend((written..end).map(|i| (i * 7 + offset) as u8));
        out.write_all(&chunk)?;
        written = end;
    }
    Ok(())
}

/// The replicate index as data.
#[source]
fn big_replicate(ctx: &Ctx) -> u32 {
    ctx.replicate()
}

/// Writes `model.bin` at the path the context gives.
#[step]
fn write_model(replicate: u32, ctx: &mut Ctx) -> Result<u64, StepError> {
    log_body("write_model");
    let len = env_number("BIG_TEST_BYTES", (2 << 20) + 3);
    let offset = u64::from(replicate) + env_number("BIG_TEST_SEED", 0);
    let path = ctx.artifact_path("model.bin")?;
    if std::env::var_os("BIG_TEST_PANIC").is_some() && replicate == 0 {
        write_pattern(&path, len / 2, offset).map_err(|e| StepError::new(e.to_string()))?;
        panic!("failed half-way through model.bin");
    }
    write_pattern(&path, len, offset).map_err(|e| StepError::new(e.to_string()))?;
    ctx.record("bytes", len as f64);
    Ok(len)
}

#[experiment(replicates = 2, versioned)]
fn big_producer() -> Experiment {
    Experiment::from(big_replicate)
        .step(write_model)
        .output("model.bin")
}

/// Reads the producer's file through its path.
#[step]
fn read_model(path: PathBuf, ctx: &mut Ctx) -> Result<u64, StepError> {
    log_body("read_model");
    let meta = std::fs::metadata(&path).map_err(|e| StepError::new(e.to_string()))?;
    let mut first = [0u8; 1];
    std::io::Read::read_exact(
        &mut std::fs::File::open(&path).map_err(|e| StepError::new(e.to_string()))?,
        &mut first,
    )
    .map_err(|e| StepError::new(e.to_string()))?;
    let in_producer = path
        .components()
        .any(|part| part.as_os_str() == "big_producer");
    ctx.record("len", meta.len() as f64);
    ctx.record("first", f64::from(first[0]));
    ctx.record("in_producer", f64::from(u8::from(in_producer)));
    Ok(meta.len())
}

#[experiment(replicates = 3)]
fn big_consumer() -> Experiment {
    Experiment::from(big_producer.artifact_path("model.bin")).step(read_model)
}

/// Cached: writes `cached.bin` (2 MiB + 1 of the pattern) and returns its path.
#[step(cache)]
fn cached_model(_replicate: u32, ctx: &mut Ctx) -> Result<PathBuf, StepError> {
    log_body("cached_model");
    let path = ctx.artifact_path("cached.bin")?;
    write_pattern(&path, (2 << 20) + 1, 5).map_err(|e| StepError::new(e.to_string()))?;
    Ok(path)
}

/// Checks the path the cached step output: `len` of the file, `own` = 1 when it is this unit's
/// artifact.
#[step]
fn check_cached(path: PathBuf, ctx: &mut Ctx) -> Result<u64, StepError> {
    let len = std::fs::metadata(&path)
        .map_err(|e| StepError::new(e.to_string()))?
        .len();
    let own = ctx
        .artifacts()
        .iter()
        .any(|artifact| artifact.path.as_deref() == Some(path.as_path()));
    ctx.record("len", len as f64);
    ctx.record("own", f64::from(u8::from(own)));
    Ok(len)
}

#[experiment(replicates = 1, versioned)]
fn big_cached() -> Experiment {
    Experiment::from(big_replicate)
        .step(cached_model)
        .step(check_cached)
}

/// Writes `plain.bin` like [`write_model`].
#[step]
fn write_plain(replicate: u32, ctx: &mut Ctx) -> Result<u64, StepError> {
    let len = env_number("BIG_TEST_BYTES", (2 << 20) + 3);
    let path = ctx.artifact_path("plain.bin")?;
    write_pattern(&path, len, u64::from(replicate)).map_err(|e| StepError::new(e.to_string()))?;
    Ok(len)
}

#[experiment]
fn big_plain() -> Experiment {
    Experiment::from(big_replicate)
        .step(write_plain)
        .output("plain.bin")
}

/// Cached, taking the producer's path: keyed by the file's content, not its path.
#[step(cache)]
fn cached_len(path: PathBuf, ctx: &mut Ctx) -> Result<u64, StepError> {
    log_body("cached_len");
    let len = std::fs::metadata(&path)
        .map_err(|e| StepError::new(e.to_string()))?
        .len();
    ctx.record("len", len as f64);
    Ok(len)
}

#[experiment]
fn big_plain_reader() -> Experiment {
    Experiment::from(big_plain.artifact_path("plain.bin")).step(cached_len)
}

/// Asks for a path outside its directory.
#[step]
fn escape(_replicate: u32, ctx: &mut Ctx) -> Result<u32, StepError> {
    ctx.artifact_path("../escape.bin")?;
    Ok(0)
}

#[experiment]
fn big_bad_name() -> Experiment {
    Experiment::from(big_replicate).step(escape)
}

/// Writes `model.bin` through the context's writer, and the same bytes as `copy.bin`.
#[step]
fn stream_model(replicate: u32, ctx: &mut Ctx) -> Result<u64, StepError> {
    log_body("stream_model");
    let len = env_number("BIG_TEST_BYTES", (2 << 20) + 3);
    let offset = u64::from(replicate) + env_number("BIG_TEST_SEED", 0);
    let mut writer = ctx.artifact_writer("model.bin")?;
    if replicate == 0 {
        if std::env::var_os("BIG_TEST_PANIC").is_some() {
            write_pattern_to(&mut writer, len / 2, offset)?;
            panic!("failed half-way through model.bin");
        }
        if std::env::var_os("BIG_TEST_FAIL").is_some() {
            write_pattern_to(&mut writer, len / 2, offset)?;
            return Err(StepError::new("failed half-way through model.bin"));
        }
    }
    write_pattern_to(&mut writer, len, offset)?;
    let path = writer.path().to_path_buf();
    if replicate == 0 {
        assert_eq!(writer.finish()?, len);
    } else {
        drop(writer);
    }
    if std::env::var_os("BIG_TEST_APPEND").is_some() {
        let mut other = std::fs::OpenOptions::new().append(true).open(&path)?;
        other.write_all(b"tail")?;
    }
    let mut copy = Vec::new();
    write_pattern_to(&mut copy, len, offset)?;
    ctx.write_bytes("copy.bin", copy)?;
    ctx.record("bytes", len as f64);
    Ok(len)
}

#[experiment(replicates = 2, versioned)]
fn big_streamed() -> Experiment {
    Experiment::from(big_replicate)
        .step(stream_model)
        .output("model.bin")
}

/// Compares the producer's file read by path with its bytes.
#[step]
fn compare_streamed(input: (PathBuf, Vec<u8>), ctx: &mut Ctx) -> Result<u64, StepError> {
    let (path, bytes) = input;
    let on_disk = std::fs::read(&path)?;
    ctx.record("len", on_disk.len() as f64);
    ctx.record("first", f64::from(on_disk.first().copied().unwrap_or(0)));
    ctx.record("same", f64::from(u8::from(on_disk == bytes)));
    Ok(on_disk.len() as u64)
}

#[experiment(replicates = 3)]
fn big_streamed_consumer() -> Experiment {
    Experiment::from((
        big_streamed.artifact_path("model.bin"),
        big_streamed
            .artifact_bytes("model.bin")
            .named("model_bytes"),
    ))
    .step(compare_streamed)
}

/// Writes `early` through a writer, flushes it, and returns the writer, still open.
#[step]
fn open_late(_replicate: u32, ctx: &mut Ctx) -> Result<ArtifactWriter, StepError> {
    let mut writer = ctx.artifact_writer("late.bin")?;
    writer.write_all(b"early")?;
    writer.flush()?;
    Ok(writer)
}

/// Writes through the writer of the previous stage.
#[step]
fn write_late(mut writer: ArtifactWriter, ctx: &mut Ctx) -> Result<u32, StepError> {
    let refused = match writer.write_all(b" and late") {
        Ok(()) => false,
        Err(error) => error.to_string().contains("`late.bin` was committed"),
    };
    ctx.record("late_refused", f64::from(u8::from(refused)));
    Ok(0)
}

#[experiment]
fn big_outlived() -> Experiment {
    Experiment::from(big_replicate)
        .step(open_late)
        .step(write_late)
}

/// Cached: writes `cached.bin` (2 MiB + 1 of the pattern) through the context's writer.
#[step(cache)]
fn cached_stream(_replicate: u32, ctx: &mut Ctx) -> Result<u64, StepError> {
    log_body("cached_stream");
    let mut writer = ctx.artifact_writer("cached.bin")?;
    write_pattern_to(&mut writer, (2 << 20) + 1, 5)?;
    Ok(writer.finish()?)
}

#[experiment(replicates = 1, versioned)]
fn big_cached_writer() -> Experiment {
    Experiment::from(big_replicate).step(cached_stream)
}

fn main() {
    crystallize::main()
}
