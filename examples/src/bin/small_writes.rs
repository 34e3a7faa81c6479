//! Small writes through `ctx.artifact_writer` against a `std::io::BufWriter` over a file: what a
//! step pays per `write` call when it writes a few bytes at a time.
//!
//!     cargo run --release -p crystallize-examples --bin small_writes -- [COUNT] [BYTES]
//!
//! writes COUNT pieces of BYTES bytes (default 16,777,216 of 8) three times each way, in a
//! temporary directory, and prints the wall time of each. The writer's time includes hashing
//! the file; the `BufWriter`'s does not.

use std::io::Write;
use std::time::{Duration, Instant};

use crystallize::Ctx;

/// The command-line number at `index`, or `default`.
fn arg(index: usize, default: usize) -> usize {
    std::env::args()
        .nth(index)
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

/// Writes `count` times `piece` through `out`, and how long it took.
fn time_writes(out: &mut impl Write, piece: &[u8], count: usize) -> std::io::Result<Duration> {
    let start = Instant::now();
    for _ in 0..count {
        out.write_all(piece)?;
    }
    out.flush()?;
    Ok(start.elapsed())
}

fn main() -> std::io::Result<()> {
    let count = arg(1, 1 << 24);
    let bytes = arg(2, 8);
    let piece = vec![7u8; bytes];
    let dir = std::env::temp_dir().join(format!("small-writes-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for round in 0..3 {
        let path = dir.join(format!("buffered-{round}"));
        let mut buffered = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let buffered_time = time_writes(&mut buffered, &piece, count)?;
        drop(buffered);
        std::fs::remove_file(&path)?;

        // A standalone context: the artifact goes to a temporary directory deleted with it.
        let mut ctx = Ctx::standalone();
        let mut writer = ctx
            .artifact_writer("small.bin")
            .map_err(std::io::Error::other)?;
        let writer_time = time_writes(&mut writer, &piece, count)?;
        writer.finish()?;
        writeln!(
            std::io::stdout(),
            "{count} writes of {bytes} B: BufWriter {:.1} ms, artifact_writer {:.1} ms",
            buffered_time.as_secs_f64() * 1000.0,
            writer_time.as_secs_f64() * 1000.0
        )?;
    }
    std::fs::remove_dir_all(&dir)
}
