//! An invalid experiment graph: consumers read artifacts their producers do not publish.
//!
//! - `graph_und_reader` reads `c.json` from `graph_und_producer`, which declares `a.json` and
//!   `b.json`;
//! - `graph_und_bytes` reads `x.bin` from `graph_und_silent`, which declares nothing;
//! - `graph_und_ghost_reader` reads `g.json` from `ghost`, which is not registered at all (a
//!   hand-written `ExperimentRef`: with `#[experiment]` functions a missing producer does not
//!   compile).
//!
//! Every command must refuse to start (exit 2) and name every culprit.

use crystallize::prelude::*;

#[source]
pub fn one(_ctx: &Ctx) -> f64 {
    1.0
}

/// Publishes `a.json` and `b.json`.
#[step]
pub fn publish_two(value: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    ctx.write_json("a.json", &value)?;
    ctx.write_json("b.json", &value)?;
    Ok(value)
}

/// Does nothing.
#[step]
pub fn keep(value: f64) -> f64 {
    value
}

#[experiment]
pub fn graph_und_producer() -> Experiment {
    Experiment::from(one)
        .step(publish_two)
        .output("a.json")
        .output("b.json")
}

#[experiment]
pub fn graph_und_reader() -> Experiment {
    Experiment::from(graph_und_producer.artifact::<f64>("c.json")).step(keep)
}

#[experiment]
pub fn graph_und_silent() -> Experiment {
    Experiment::from(one).step(keep)
}

/// Reads bytes from an experiment that declares no output.
#[step]
pub fn count(bytes: Vec<u8>) -> f64 {
    bytes.len() as f64
}

#[experiment]
pub fn graph_und_bytes() -> Experiment {
    Experiment::from(graph_und_silent.artifact_bytes("x.bin")).step(count)
}

/// Names an experiment no `#[experiment]` defines.
pub struct Ghost;

impl ExperimentRef for Ghost {
    const NAME: &'static str = "ghost";
}

#[experiment]
pub fn graph_und_ghost_reader() -> Experiment {
    Experiment::from(Ghost.artifact::<f64>("g.json")).step(keep)
}

fn main() {
    crystallize::main()
}
