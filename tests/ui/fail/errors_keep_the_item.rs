//! An attribute with errors still emits the item it annotates, with the interface the item was
//! meant to have: the only errors are those the macros report, none where the items are used.

use crystallize::prelude::*;

// A wrong option: the rest expands as if it were absent.
#[source(cahce)]
fn numbers(ctx: &Ctx) -> Vec<f64> {
    vec![ctx.replicate() as f64, 1.0]
}

// Wrong functions stand in with the interface they declare.
#[step]
fn scale(data: Vec<f64>, ctx: &Ctx, factor: &f64) -> Vec<f64> {
    let _ = ctx.replicate();
    data.into_iter().map(|x| x * factor).collect()
}

#[step]
async fn shift(data: Vec<f64>, by: f64) -> Vec<f64> {
    data.into_iter().map(|x| x + by).collect()
}

#[step]
fn summarize(ctx: &mut Ctx, data: Vec<f64>) -> Result<f64, StepError> {
    let mean = data.iter().sum::<f64>() / data.len() as f64;
    ctx.write_json("mean.json", &mean)?;
    Ok(mean)
}

#[source]
fn constant(_ctx: Ctx) -> Vec<f64> {
    vec![1.0]
}

#[experiment(replicates = 0)]
fn calibration() -> Experiment {
    Experiment::from(numbers)
        .param("factor", 2.0)
        .param("by", 1.0)
        .step(scale)
        .step(shift)
        .step(summarize)
        .output("mean.json")
}

#[step]
fn half(data: f64) -> f64 {
    data / 2.0
}

#[experiment]
fn evaluation(noise: f64) -> Experiment {
    Experiment::from(calibration.artifact::<f64>("mean.json"))
        .param("noise", noise)
        .step(half)
}

#[experiment]
fn fixed() -> Vec<f64> {
    let _ = Experiment::from(constant);
    vec![]
}

#[step]
struct Scale {
    factor: f64,
}

fn main() {
    let ctx = Ctx::standalone();
    assert_eq!(numbers(&ctx), vec![0.0, 1.0]);
    assert_eq!(scale(vec![1.0], &ctx, &2.0), vec![2.0]);
    assert_eq!(shift(vec![1.0], 1.0), vec![2.0]);
    assert_eq!(summarize(&mut Ctx::standalone(), vec![1.0]), Ok(1.0));
    assert_eq!(constant(Ctx::standalone()), vec![1.0]);
    assert_eq!(calibration().stages().len(), 4);
    assert_eq!(evaluation().stages().len(), 2);
    assert_eq!(fixed.name(), "fixed");
    assert_eq!(Scale { factor: 2.0 }.factor, 2.0);
}
