//! Experiments for the `plan` and summary output tests (`tests/it/plan_output.rs`,
//! `tests/it/report_schema.rs`). Environment variables change what the steps do:
//!
//! - `CRYSTALLIZE_TEST_FAIL=1`: every unit of `po_ordered` fails (with the same message);
//! - `CRYSTALLIZE_TEST_FAIL_REPLICATE=<r>`: `po_producer`'s replicate `r` fails.
//!
//! `po_ordered` defines its treatments `zeta`, `alpha`, `mid`, in an order that is not
//! alphabetical; `po_versioned` is versioned with `retention = 1`. `po_producer` (2 replicates, treatment `robust`) → `po_consumer`
//! (4 replicates, treatment `noisy` of its own, `robust` inherited): consumer replicate `i`
//! reads producer replicate `i % 2`.

use crystallize::prelude::*;
use serde::{Deserialize, Serialize};

fn env_is(name: &str, value: &str) -> bool {
    std::env::var(name).is_ok_and(|found| found == value)
}

/// The replicate index as data.
#[source]
fn po_replicate(ctx: &Ctx) -> u32 {
    ctx.replicate()
}

/// Records `value` = replicate × `factor` and `large` = 1234567.0 × `factor`; fails every unit
/// when `CRYSTALLIZE_TEST_FAIL=1`.
#[step]
fn po_measure(replicate: u32, factor: f64, ctx: &mut Ctx) -> Result<u32, StepError> {
    if env_is("CRYSTALLIZE_TEST_FAIL", "1") {
        return Err(StepError::new("the instrument is unplugged"));
    }
    ctx.record("value", f64::from(replicate) * factor);
    ctx.record("large", 1_234_567.0 * factor);
    Ok(replicate)
}

#[experiment(replicates = 3, strategy = "resume")]
fn po_ordered() -> Experiment {
    Experiment::from(po_replicate)
        .param("factor", 1.0)
        .step(po_measure)
        .treatment("zeta", params! { "factor": 3.0 })
        .treatment("alpha", params! { "factor": 0.5 })
        .treatment("mid", params! { "factor": 2.0 })
}

/// Versioned, keeping one version whole: its second run prunes the first.
#[experiment(replicates = 1, versioned, retention = 1)]
fn po_versioned() -> Experiment {
    Experiment::from(po_replicate)
        .param("factor", 1.0)
        .step(po_measure)
}

/// What `po_producer` publishes as `model.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The producer replicate that wrote it.
    pub replicate: u32,
    /// The `trim` param.
    pub trim: f64,
}

/// Publishes `model.json`; fails on replicate `CRYSTALLIZE_TEST_FAIL_REPLICATE`.
#[step]
fn po_fit(replicate: u32, trim: f64, ctx: &mut Ctx) -> Result<u32, StepError> {
    if env_is("CRYSTALLIZE_TEST_FAIL_REPLICATE", &replicate.to_string()) {
        return Err(StepError::new(format!("replicate {replicate} fails")));
    }
    ctx.write_json("model.json", &Model { replicate, trim })?;
    ctx.record("trim", trim);
    Ok(replicate)
}

#[experiment(replicates = 2, strategy = "resume")]
fn po_producer() -> Experiment {
    Experiment::from(po_replicate)
        .param("trim", 0.0)
        .step(po_fit)
        .treatment("robust", params! { "trim": 0.1 })
        .output("model.json")
}

/// Records the producer replicate read and the `noise` param.
#[step]
fn po_score(model: Model, noise: f64, ctx: &mut Ctx) -> u32 {
    ctx.record("read_replicate", f64::from(model.replicate));
    ctx.record("score", model.trim + noise);
    model.replicate
}

#[experiment(replicates = 4, strategy = "resume")]
fn po_consumer() -> Experiment {
    Experiment::from(po_producer.artifact::<Model>("model.json"))
        .param("noise", 0.0)
        .step(po_score)
        .treatment("noisy", params! { "noise": 0.5 })
}

fn main() {
    crystallize::main()
}
