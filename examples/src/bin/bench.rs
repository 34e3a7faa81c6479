//! Benchmark workloads, mirroring crystallize-ml's anchor scripts (see `bench/run.py`):
//!
//! - `single`: one experiment, a source of 16 random numbers, steps `scale(factor)` then
//!   `summarize` (metric `mean`), baseline plus treatments `double` and `triple`, versioned.
//!   Run with `--replicates 1000` and `--strategy rerun` or `resume`.
//!
//! - `chain`: 20 experiments `e0` -> ... -> `e19` passing a JSON artifact, 2 conditions x 10
//!   replicates each, versioned.
//!
//! The example experiments (`quickstart`, ...) are linked in too.

use crystallize::IntoExperiment;
use crystallize::prelude::*;
use crystallize_examples as _;

#[source]
fn numbers(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..16).map(|_| rng.random()).collect()
}

#[step]
fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

#[step]
fn summarize(data: Vec<f64>, ctx: &mut Ctx) -> f64 {
    let mean = data.iter().sum::<f64>() / data.len() as f64;
    ctx.record("mean", mean);
    mean
}

#[experiment(replicates = 1000, versioned, seed = 7)]
fn single() -> Experiment {
    Experiment::from(numbers)
        .param("factor", 1.0)
        .step(scale)
        .step(summarize)
        .treatment("double", params! { "factor": 2.0 })
        .treatment("triple", params! { "factor": 3.0 })
}

// `chain`: e0 -> e1 -> ... -> e19; each reads the previous one's JSON artifact (e0 reads 16
// random numbers), scales it by `factor`, writes its own artifact `a<i>.json` and records metric
// `mean`; baseline plus treatment `double` (factor 2), 10 replicates, versioned. Run with
// `run e0 ... e19` (or `run e19`, which runs its ancestors first).

/// Scales by `factor`, writes the result as the artifact named by `out`, records its mean.
#[step]
fn link(data: Vec<f64>, factor: f64, out: String, ctx: &mut Ctx) -> Result<Vec<f64>, StepError> {
    let scaled: Vec<f64> = data.into_iter().map(|x| x * factor).collect();
    ctx.write_json(&out, &scaled)?;
    ctx.record("mean", scaled.iter().sum::<f64>() / scaled.len() as f64);
    Ok(scaled)
}

fn chain_link(source: impl crystallize::Source<Output = Vec<f64>>, out: &str) -> Experiment {
    Experiment::from(source)
        .param("factor", 1.0)
        .param("out", out)
        .step(link)
        .treatment("double", params! { "factor": 2.0 })
        .output(out)
        .into_experiment()
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e0() -> Experiment {
    chain_link(numbers, "a0.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e1() -> Experiment {
    chain_link(e0.artifact::<Vec<f64>>("a0.json"), "a1.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e2() -> Experiment {
    chain_link(e1.artifact::<Vec<f64>>("a1.json"), "a2.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e3() -> Experiment {
    chain_link(e2.artifact::<Vec<f64>>("a2.json"), "a3.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e4() -> Experiment {
    chain_link(e3.artifact::<Vec<f64>>("a3.json"), "a4.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e5() -> Experiment {
    chain_link(e4.artifact::<Vec<f64>>("a4.json"), "a5.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e6() -> Experiment {
    chain_link(e5.artifact::<Vec<f64>>("a5.json"), "a6.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e7() -> Experiment {
    chain_link(e6.artifact::<Vec<f64>>("a6.json"), "a7.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e8() -> Experiment {
    chain_link(e7.artifact::<Vec<f64>>("a7.json"), "a8.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e9() -> Experiment {
    chain_link(e8.artifact::<Vec<f64>>("a8.json"), "a9.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e10() -> Experiment {
    chain_link(e9.artifact::<Vec<f64>>("a9.json"), "a10.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e11() -> Experiment {
    chain_link(e10.artifact::<Vec<f64>>("a10.json"), "a11.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e12() -> Experiment {
    chain_link(e11.artifact::<Vec<f64>>("a11.json"), "a12.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e13() -> Experiment {
    chain_link(e12.artifact::<Vec<f64>>("a12.json"), "a13.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e14() -> Experiment {
    chain_link(e13.artifact::<Vec<f64>>("a13.json"), "a14.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e15() -> Experiment {
    chain_link(e14.artifact::<Vec<f64>>("a14.json"), "a15.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e16() -> Experiment {
    chain_link(e15.artifact::<Vec<f64>>("a15.json"), "a16.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e17() -> Experiment {
    chain_link(e16.artifact::<Vec<f64>>("a16.json"), "a17.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e18() -> Experiment {
    chain_link(e17.artifact::<Vec<f64>>("a17.json"), "a18.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn e19() -> Experiment {
    chain_link(e18.artifact::<Vec<f64>>("a18.json"), "a19.json")
}

fn main() {
    crystallize::main()
}
