//! Experiments for the resume-key tests (`tests/it/resume_keys.rs`). Environment variables, read
//! while definitions are built or steps run, change what the keys cannot see:
//!
//! - `CRYSTALLIZE_TEST_WRITE_TWO=1`: `keys_outputs` also writes `two.json` (standing in for an
//!   edit no key sees, such as one of a helper the step does not track);
//! - `CRYSTALLIZE_TEST_DECLARE_TWO=1`: `keys_outputs` declares `two.json` with `.output(..)`,
//!   and `keys_outputs_reader` reads it (else it reads `one.json`);
//! - `CRYSTALLIZE_TEST_UNKEYED=<text>`: `keys_producer` writes the text into its `value.json`
//!   (a producer whose bytes depend on something outside its key, like the time it ran);
//! - `CRYSTALLIZE_TEST_FAIL_REPLICATE=<r>`: `keys_producer`'s replicate `r` fails.
//!
//! `keys_producer` (2 replicates) → `keys_consumer` (5 replicates): consumer replicate `i` reads
//! producer replicate `i % 2`. `tests/fixtures/key_scheme_1/` holds their data as written by
//! key scheme 1.

use crystallize::prelude::*;
use serde::{Deserialize, Serialize};

fn env_is(name: &str, value: &str) -> bool {
    std::env::var(name).is_ok_and(|found| found == value)
}

/// The replicate index as data.
#[source]
fn keys_replicate(ctx: &Ctx) -> u32 {
    ctx.replicate()
}

/// Writes `one.json` and, when `CRYSTALLIZE_TEST_WRITE_TWO=1`, `two.json`.
#[step]
fn keys_write(replicate: u32, ctx: &mut Ctx) -> Result<u32, StepError> {
    ctx.write_json("one.json", &replicate)?;
    if env_is("CRYSTALLIZE_TEST_WRITE_TWO", "1") {
        ctx.write_json("two.json", &(replicate * 2))?;
    }
    ctx.record("replicate", f64::from(replicate));
    Ok(replicate)
}

#[experiment(replicates = 2)]
fn keys_outputs() -> Experiment {
    let experiment = Experiment::from(keys_replicate)
        .step(keys_write)
        .output("one.json");
    if env_is("CRYSTALLIZE_TEST_DECLARE_TWO", "1") {
        experiment.output("two.json")
    } else {
        experiment
    }
}

/// Records `read` = the value read.
#[step]
fn keys_read_number(value: u32, ctx: &mut Ctx) -> u32 {
    ctx.record("read", f64::from(value));
    value
}

#[experiment(replicates = 2)]
fn keys_outputs_reader() -> Experiment {
    let file = if env_is("CRYSTALLIZE_TEST_DECLARE_TWO", "1") {
        "two.json"
    } else {
        "one.json"
    };
    Experiment::from(keys_outputs.artifact::<u32>(file)).step(keys_read_number)
}

/// What `keys_producer` publishes as `value.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Published {
    /// The producer replicate that wrote it.
    pub replicate: u32,
    /// `CRYSTALLIZE_TEST_UNKEYED` when it ran.
    pub unkeyed: String,
}

/// Publishes `value.json`; fails on replicate `CRYSTALLIZE_TEST_FAIL_REPLICATE`.
#[step]
fn keys_publish(replicate: u32, ctx: &mut Ctx) -> Result<u32, StepError> {
    if env_is("CRYSTALLIZE_TEST_FAIL_REPLICATE", &replicate.to_string()) {
        return Err(StepError::new(format!("replicate {replicate} fails")));
    }
    let published = Published {
        replicate,
        unkeyed: std::env::var("CRYSTALLIZE_TEST_UNKEYED").unwrap_or_default(),
    };
    ctx.write_json("value.json", &published)?;
    ctx.record("replicate", f64::from(replicate));
    Ok(replicate)
}

#[experiment(replicates = 2)]
fn keys_producer() -> Experiment {
    Experiment::from(keys_replicate)
        .step(keys_publish)
        .output("value.json")
}

/// Records the producer replicate read (`read_replicate`), the length of its unkeyed text
/// (`unkeyed_len`) and the `level` param.
#[step]
fn keys_read_published(published: Published, level: f64, ctx: &mut Ctx) -> u32 {
    ctx.record("read_replicate", f64::from(published.replicate));
    ctx.record("unkeyed_len", published.unkeyed.len() as f64);
    ctx.record("level", level);
    published.replicate
}

/// Its treatments read the producer's baseline (the producer has none).
#[experiment(replicates = 5)]
fn keys_consumer() -> Experiment {
    Experiment::from(keys_producer.artifact::<Published>("value.json"))
        .param("level", 0.0)
        .step(keys_read_published)
        .treatment("first", params! { "level": 1.0 })
        .treatment("second", params! { "level": 2.0 })
}

fn main() {
    crystallize::main()
}
