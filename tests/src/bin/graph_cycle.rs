//! An invalid experiment graph: `graph_cyc_a` → `graph_cyc_b` → `graph_cyc_c` → `graph_cyc_a`
//! (each reads the previous one's artifact), with `graph_cyc_tail` downstream of the cycle and
//! `graph_cyc_free` outside it. Every command must refuse to start (exit 2) and print the cycle.

use crystallize::prelude::*;

#[source]
pub fn seed_value(_ctx: &Ctx) -> f64 {
    1.0
}

/// Passes the value on and publishes it as `out.json`.
#[step]
pub fn pass_on(value: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    ctx.write_json("out.json", &value)?;
    Ok(value)
}

#[experiment]
pub fn graph_cyc_a() -> Experiment {
    Experiment::from(graph_cyc_c.artifact::<f64>("out.json"))
        .step(pass_on)
        .output("out.json")
}

#[experiment]
pub fn graph_cyc_b() -> Experiment {
    Experiment::from(graph_cyc_a.artifact::<f64>("out.json"))
        .step(pass_on)
        .output("out.json")
}

#[experiment]
pub fn graph_cyc_c() -> Experiment {
    Experiment::from(graph_cyc_b.artifact::<f64>("out.json"))
        .step(pass_on)
        .output("out.json")
}

/// Downstream of the cycle, not part of it.
#[experiment]
pub fn graph_cyc_tail() -> Experiment {
    Experiment::from(graph_cyc_c.artifact::<f64>("out.json")).step(pass_on)
}

/// Valid on its own: still nothing may run.
#[experiment]
pub fn graph_cyc_free() -> Experiment {
    Experiment::from(seed_value).step(pass_on)
}

fn main() {
    crystallize::main()
}
