//! A source taking params and `&mut Ctx`, fallible, with helpers; a source without a context; an
//! experiment returning an `ExperimentBuilder` through `Experiment`; raw identifiers.

use crystallize::prelude::*;

mod stats {
    #[crystallize::code]
    pub fn clamp01(x: f64) -> f64 {
        x.clamp(0.0, 1.0)
    }

    #[crystallize::code(uses(clamp01))]
    pub fn clamp_all(values: Vec<f64>) -> Vec<f64> {
        values.into_iter().map(clamp01).collect()
    }
}

#[crystallize::code]
pub enum Shape {
    Flat,
    Ramp,
}

#[source(uses(stats::clamp_all, Shape))]
pub fn generated(count: usize, shape: String, ctx: &mut Ctx) -> Result<Vec<f64>, StepError> {
    let shape = match shape.as_str() {
        "flat" => Shape::Flat,
        "ramp" => Shape::Ramp,
        other => return Err(StepError::new(format!("unknown shape {other}"))),
    };
    ctx.record("count", count as f64);
    let values = (0..count)
        .map(|i| match shape {
            Shape::Flat => 0.5,
            Shape::Ramp => i as f64 / 2.0,
        })
        .collect();
    Ok(stats::clamp_all(values))
}

#[source(name = "constant-source")]
pub fn constant() -> u32 {
    7
}

#[step]
pub fn r#type(data: u32, r#match: u32) -> u32 {
    data + r#match
}

#[experiment]
pub fn ramp() -> Experiment {
    Experiment::from(generated)
        .param("count", 4)
        .param("shape", "ramp")
        .treatment("flat", params! { "shape": "flat" })
}

#[experiment(replicates = 1)]
pub fn constant_plus() -> Experiment {
    Experiment::from(constant).param("match", 1).step(r#type)
}

fn main() {
    let mut ctx = Ctx::standalone();
    assert_eq!(
        generated(4, "ramp".to_string(), &mut ctx),
        Ok(vec![0.0, 0.5, 1.0, 1.0])
    );
    assert_eq!(ctx.metrics()["count"], 4.0);
    assert!(generated(1, "zigzag".to_string(), &mut Ctx::standalone()).is_err());
    assert_eq!(constant(), 7);
    assert_eq!(r#type(1, 2), 3);

    let names: Vec<_> = ramp().conditions().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["baseline", "flat"]);
    let stages: Vec<_> = constant_plus()
        .stages()
        .iter()
        .map(|stage| stage.name.to_string())
        .collect();
    assert_eq!(stages, ["constant-source", "type"]);
}
