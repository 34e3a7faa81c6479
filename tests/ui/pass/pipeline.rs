//! A full pipeline: a source and steps using helpers marked `#[crystallize::code]` (a fn, a
//! struct, its impl block and an inline module), every supported argument and return shape, and
//! the annotated functions called directly as plain functions.

use crystallize::prelude::*;

/// Arithmetic mean.
#[crystallize::code]
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

#[crystallize::code]
pub struct Model {
    pub slope: f64,
}

#[crystallize::code]
impl Model {
    pub fn predict(&self, x: f64) -> f64 {
        self.slope * x
    }
}

#[crystallize::code(uses(mean))]
pub mod summary {
    pub fn spread(values: &[f64]) -> f64 {
        let m = super::mean(values);
        values.iter().map(|x| (x - m).abs()).sum::<f64>() / values.len() as f64
    }
}

/// Eight uniform numbers from the replicate's generator (`&Ctx`).
#[source]
pub fn numbers(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..8).map(|_| rng.random()).collect()
}

/// A plain step with a param.
#[step]
pub fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

/// An `Option` param, a struct and its impl block as helpers, a stage name.
#[step(name = "renamed", uses(Model, impl Model))]
pub fn predict(data: Vec<f64>, slope: Option<f64>) -> Vec<f64> {
    let model = Model {
        slope: slope.unwrap_or(1.0),
    };
    data.into_iter().map(|x| model.predict(x)).collect()
}

/// Reads the context by shared reference.
#[step]
pub fn label(data: Vec<f64>, ctx: &Ctx) -> (u32, Vec<f64>) {
    (ctx.replicate(), data)
}

/// Fails with a `String` error.
#[step]
pub fn nonempty(data: (u32, Vec<f64>)) -> Result<Vec<f64>, String> {
    if data.1.is_empty() {
        Err(format!("replicate {} has no data", data.0))
    } else {
        Ok(data.1)
    }
}

/// Records metrics and writes an artifact (`&mut Ctx`, `Result<_, StepError>`), cached.
#[step(cache, uses(mean, summary))]
pub fn summarize(data: Vec<f64>, ctx: &mut Ctx) -> Result<f64, StepError> {
    let m = mean(&data);
    ctx.record("mean", m);
    ctx.record("spread", summary::spread(&data));
    ctx.write_json("summary.json", &m)?;
    Ok(m)
}

#[experiment(
    replicates = 3,
    strategy = "resume",
    seed = 7,
    versioned,
    retention = 2,
    description = "every option at once"
)]
pub fn quickstart() -> Experiment {
    Experiment::from(numbers)
        .param("factor", 1.0)
        .step(scale)
        .step(predict)
        .step(label)
        .step(nonempty)
        .step(summarize)
        .treatment("double", params! { "factor": 2.0 })
        .treatment("steep", params! { "slope": 3.0 })
        .output("summary.json")
}

fn main() {
    assert_eq!(scale(vec![1.0], 2.0), vec![2.0]);
    assert_eq!(predict(vec![1.0, 2.0], Some(3.0)), vec![3.0, 6.0]);
    assert_eq!(predict(vec![1.0, 2.0], None), vec![1.0, 2.0]);

    let data = numbers(&Ctx::standalone());
    assert_eq!(data.len(), 8);
    assert!(data.iter().all(|x| (0.0..1.0).contains(x)));

    let ctx = Ctx::standalone().with_replicate(2);
    assert_eq!(label(vec![1.0], &ctx), (2, vec![1.0]));
    assert_eq!(nonempty((1, vec![1.0])), Ok(vec![1.0]));
    assert_eq!(
        nonempty((1, Vec::new())),
        Err("replicate 1 has no data".to_string())
    );

    let mut ctx = Ctx::standalone();
    assert_eq!(summarize(vec![1.0, 3.0], &mut ctx), Ok(2.0));
    assert_eq!(ctx.metrics()["mean"], 2.0);
    assert_eq!(ctx.metrics()["spread"], 1.0);
    assert_eq!(ctx.artifact("summary.json"), Some(&b"2.0"[..]));

    assert_eq!(mean(&[1.0, 2.0, 3.0]), 2.0);
    assert_eq!(summary::spread(&[1.0, 3.0]), 1.0);

    let experiment = quickstart();
    let names: Vec<_> = experiment
        .conditions()
        .into_iter()
        .map(|condition| condition.name)
        .collect();
    assert_eq!(names, ["baseline", "double", "steep"]);
    let stages: Vec<_> = experiment
        .stages()
        .iter()
        .map(|stage| stage.name.to_string())
        .collect();
    assert_eq!(
        stages,
        ["numbers", "scale", "renamed", "label", "nonempty", "summarize"]
    );
    assert_eq!(experiment.outputs(), ["summary.json"]);
    assert!(experiment.problems().is_empty(), "{:?}", experiment.problems());
}
