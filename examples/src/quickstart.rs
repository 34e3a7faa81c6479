//! `quickstart`: random numbers, scaled by `factor`, summarised by their mean. The treatment
//! `double` sets `factor` to 2; ten replicates each. The hypothesis "double increases mean" is
//! verified with the paired t-test after every run (replicates share their seeds across
//! conditions, so they pair).

use crystallize::prelude::*;

use crate::stats;

/// Sixteen uniform numbers from the replicate's generator.
#[source]
pub fn numbers(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..16).map(|_| rng.random()).collect()
}

/// Multiplies every value by the `factor` param.
#[step]
pub fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

/// Records the mean as metric `mean` and writes it as the artifact `summary.json`. Cached: the
/// same input (and code) replays the output, the metric and the artifact.
#[step(cache, uses(stats::mean))]
pub fn summarize(data: Vec<f64>, ctx: &mut Ctx) -> Result<f64, StepError> {
    let m = stats::mean(&data);
    ctx.record("mean", m);
    ctx.write_json("summary.json", &m)?;
    Ok(m)
}

#[experiment(
    replicates = 10,
    description = "mean of 16 uniform numbers, scaled by factor"
)]
pub fn quickstart() -> Experiment {
    Experiment::from(numbers)
        .param("factor", 1.0)
        .step(scale)
        .step(summarize)
        .treatment("double", params! { "factor": 2.0 })
        .hypothesis(
            "double increases mean",
            metric("mean").greater_than_baseline().test(Test::PairedT),
        )
        .output("summary.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_plain_functions() {
        assert_eq!(scale(vec![1.0, 2.5], 2.0), vec![2.0, 5.0]);
        let data = numbers(&Ctx::standalone());
        assert_eq!(data.len(), 16);
        assert!(data.iter().all(|x| (0.0..1.0).contains(x)));
        let mut ctx = Ctx::standalone();
        assert_eq!(summarize(vec![1.0, 3.0], &mut ctx), Ok(2.0));
        assert_eq!(ctx.metrics()["mean"], 2.0);
        assert_eq!(ctx.artifact("summary.json"), Some(&b"2.0"[..]));
    }
}
