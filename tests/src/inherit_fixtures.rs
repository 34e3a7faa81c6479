//! Treatment inheritance along a chain of experiments, for `tests/it/definitions.rs`:
//!
//! ```text
//! inherit_up ──> inherit_mid ──> inherit_down <── inherit_side
//!                                inherit_twin <── (same inputs)
//! ```
//!
//! - `inherit_up` (param `level` 0.5) defines `robust` (level 1) and `wide` (level 2).
//! - `inherit_side` (param `tag` 0) defines `robust` (tag 100) and `side_only` (tag 200).
//! - `inherit_mid` reads `inherit_up` (param `gain` 1): it defines `wide` itself (gain 5, which
//!   overrides the inherited one) and `mid` (gain 3), and inherits `robust`. It publishes
//!   `level × gain` of what it read.
//! - `inherit_down` reads `inherit_mid` and `inherit_side` (param `bonus` 0) and defines only
//!   `extra` (bonus 1): it inherits `robust` (from both sides), `side_only`, `wide` and `mid`.
//! - `inherit_twin` is `inherit_down` with every inherited treatment written out as
//!   `params! {}`: its conditions must have the same keys.

use crystallize::prelude::*;

/// The replicate index as data.
#[source]
pub fn inherit_replicate(ctx: &Ctx) -> u32 {
    ctx.replicate()
}

/// Publishes `up.json` = `level` and records it.
#[step]
pub fn inherit_publish_up(_replicate: u32, level: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    ctx.write_json("up.json", &level)?;
    ctx.record("level", level);
    Ok(level)
}

#[experiment(replicates = 2)]
pub fn inherit_up() -> Experiment {
    Experiment::from(inherit_replicate)
        .param("level", 0.5)
        .step(inherit_publish_up)
        .treatment("robust", params! { "level": 1.0 })
        .treatment("wide", params! { "level": 2.0 })
        .output("up.json")
}

/// Publishes `side.json` = `tag` and records it.
#[step]
pub fn inherit_publish_side(_replicate: u32, tag: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    ctx.write_json("side.json", &tag)?;
    ctx.record("tag", tag);
    Ok(tag)
}

#[experiment(replicates = 1)]
pub fn inherit_side() -> Experiment {
    Experiment::from(inherit_replicate)
        .param("tag", 0.0)
        .step(inherit_publish_side)
        .treatment("robust", params! { "tag": 100.0 })
        .treatment("side_only", params! { "tag": 200.0 })
        .output("side.json")
}

/// Publishes `mid.json` = level read × `gain` and records both.
#[step]
pub fn inherit_publish_mid(level: f64, gain: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    let value = level * gain;
    ctx.write_json("mid.json", &value)?;
    ctx.record("read_level", level);
    ctx.record("value", value);
    Ok(value)
}

#[experiment(replicates = 2)]
pub fn inherit_mid() -> Experiment {
    Experiment::from(inherit_up.artifact::<f64>("up.json"))
        .param("gain", 1.0)
        .step(inherit_publish_mid)
        .treatment("wide", params! { "gain": 5.0 })
        .treatment("mid", params! { "gain": 3.0 })
        .output("mid.json")
}

/// Records what it read from both sides and its own `bonus`.
#[step]
pub fn inherit_read_both(read: (f64, f64), bonus: f64, ctx: &mut Ctx) -> f64 {
    ctx.record("from_mid", read.0);
    ctx.record("from_side", read.1);
    ctx.record("bonus", bonus);
    read.0 + read.1 + bonus
}

#[experiment(replicates = 2)]
pub fn inherit_down() -> Experiment {
    Experiment::from((
        inherit_mid.artifact::<f64>("mid.json"),
        inherit_side.artifact::<f64>("side.json"),
    ))
    .param("bonus", 0.0)
    .step(inherit_read_both)
    .treatment("extra", params! { "bonus": 1.0 })
}

/// `inherit_down` with the treatments it inherits written out, as they had to be before
/// treatments were inherited.
#[experiment(replicates = 2)]
pub fn inherit_twin() -> Experiment {
    Experiment::from((
        inherit_mid.artifact::<f64>("mid.json"),
        inherit_side.artifact::<f64>("side.json"),
    ))
    .param("bonus", 0.0)
    .step(inherit_read_both)
    .treatment("extra", params! { "bonus": 1.0 })
    .treatment("robust", params! {})
    .treatment("side_only", params! {})
    .treatment("wide", params! {})
    .treatment("mid", params! {})
}
