//! Microbenchmarks of a run's inner loop (`cargo bench -p crystallize-bench`):
//!
//! - `step_call`: a unit of a source and ten trivial steps run as a run runs it, against the same
//!   eleven functions called by hand: the difference over eleven stages is the framework's cost
//!   per step call (target: at most 1 µs); `with_params` gives each step a param, and
//!   `with_a_list_param` a 256-number list, deserialised once per condition and cloned per unit;
//! - `journal_commit`: the journal's commit of one unit's record (appended and written, not
//!   synced);
//! - `hash`: the content hash of an artifact, in bytes per second.

use crystallize::__bench::{Journal, UnitRunner, hash_bytes};
use crystallize::prelude::*;
use divan::Bencher;
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

/// The replicate: where every chain of steps starts.
#[source]
fn start(ctx: &Ctx) -> u64 {
    u64::from(ctx.replicate())
}

#[step]
fn s1(x: u64) -> u64 {
    x.wrapping_mul(3).wrapping_add(1)
}
#[step]
fn s2(x: u64) -> u64 {
    x.wrapping_mul(3).wrapping_add(2)
}
#[step]
fn s3(x: u64) -> u64 {
    x.wrapping_mul(3).wrapping_add(3)
}
#[step]
fn s4(x: u64) -> u64 {
    x.wrapping_mul(3).wrapping_add(4)
}
#[step]
fn s5(x: u64) -> u64 {
    x.wrapping_mul(3).wrapping_add(5)
}
#[step]
fn s6(x: u64) -> u64 {
    x.wrapping_mul(3).wrapping_add(6)
}
#[step]
fn s7(x: u64) -> u64 {
    x.wrapping_mul(3).wrapping_add(7)
}
#[step]
fn s8(x: u64) -> u64 {
    x.wrapping_mul(3).wrapping_add(8)
}
#[step]
fn s9(x: u64) -> u64 {
    x.wrapping_mul(3).wrapping_add(9)
}
/// The last step records the result, so that the unit's record carries it.
#[step]
fn s10(x: u64, ctx: &mut Ctx) -> u64 {
    let x = x.wrapping_mul(3).wrapping_add(10);
    ctx.record("x", (x % 1024) as f64);
    x
}

#[experiment(replicates = 1)]
fn ten_steps() -> Experiment {
    Experiment::from(start)
        .step(s1)
        .step(s2)
        .step(s3)
        .step(s4)
        .step(s5)
        .step(s6)
        .step(s7)
        .step(s8)
        .step(s9)
        .step(s10)
}

#[step]
fn p1(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k).wrapping_add(1)
}
#[step]
fn p2(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k).wrapping_add(2)
}
#[step]
fn p3(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k).wrapping_add(3)
}
#[step]
fn p4(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k).wrapping_add(4)
}
#[step]
fn p5(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k).wrapping_add(5)
}
#[step]
fn p6(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k).wrapping_add(6)
}
#[step]
fn p7(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k).wrapping_add(7)
}
#[step]
fn p8(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k).wrapping_add(8)
}
#[step]
fn p9(x: u64, k: u64) -> u64 {
    x.wrapping_mul(k).wrapping_add(9)
}
#[step]
fn p10(x: u64, k: u64, ctx: &mut Ctx) -> u64 {
    let x = x.wrapping_mul(k).wrapping_add(10);
    ctx.record("x", (x % 1024) as f64);
    x
}

#[experiment(replicates = 1)]
fn with_params() -> Experiment {
    Experiment::from(start)
        .param("k", 3)
        .step(p1)
        .step(p2)
        .step(p3)
        .step(p4)
        .step(p5)
        .step(p6)
        .step(p7)
        .step(p8)
        .step(p9)
        .step(p10)
}

/// Sums a list param into the value.
#[step]
fn weigh(x: u64, weights: Vec<f64>, ctx: &mut Ctx) -> u64 {
    let total: f64 = weights.iter().sum();
    ctx.record("total", total);
    x.wrapping_add(total as u64)
}

#[experiment(replicates = 1)]
fn with_a_list_param() -> Experiment {
    Experiment::from(start)
        .param("weights", (0..256).map(f64::from).collect::<Vec<f64>>())
        .step(weigh)
}

/// The eleven functions of `ten_steps`, called by hand.
fn by_hand(replicate: u32) -> u64 {
    let x = u64::from(replicate);
    let x = s1(x);
    let x = s2(x);
    let x = s3(x);
    let x = s4(x);
    let x = s5(x);
    let x = s6(x);
    let x = s7(x);
    let x = s8(x);
    s9(x).wrapping_mul(3).wrapping_add(10)
}

mod step_call {
    use super::*;

    #[divan::bench]
    fn hand_written_loop(bencher: Bencher<'_, '_>) {
        let mut replicate = 0u32;
        bencher.bench_local(|| {
            replicate = replicate.wrapping_add(1);
            by_hand(divan::black_box(replicate))
        });
    }

    /// Runs replicate after replicate of `experiment` in a fresh directory.
    fn units(bencher: Bencher<'_, '_>, experiment: &str) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let runner = UnitRunner::new(experiment, dir.path()).expect("the experiment plans");
        let mut replicate = 0u32;
        bencher.bench_local(|| {
            replicate = replicate.wrapping_add(1);
            runner.run(replicate).expect("the unit runs")
        });
    }

    #[divan::bench]
    fn ten_steps(bencher: Bencher<'_, '_>) {
        units(bencher, "ten_steps");
    }

    #[divan::bench]
    fn ten_steps_with_params(bencher: Bencher<'_, '_>) {
        units(bencher, "with_params");
    }

    #[divan::bench]
    fn one_step_with_a_list_param(bencher: Bencher<'_, '_>) {
        units(bencher, "with_a_list_param");
    }
}

#[divan::bench]
fn journal_commit(bencher: Bencher<'_, '_>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let runner = UnitRunner::new("ten_steps", dir.path()).expect("the experiment plans");
    let unit = runner.run(0).expect("the unit runs");
    let mut journal = Journal::create(dir.path()).expect("a journal");
    bencher.bench_local(|| journal.commit(&unit).expect("committed"));
    journal.sync().expect("synced");
}

#[divan::bench(args = [4 * 1024, 1024 * 1024, 64 * 1024 * 1024])]
fn hash(bencher: Bencher<'_, '_>, size: usize) {
    let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    bencher
        .counter(BytesCount::new(size))
        .bench_local(|| hash_bytes(divan::black_box(&bytes)));
}
