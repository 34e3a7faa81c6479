//! Experiments that exercise failure handling, param injection, artifacts, seeds and versions.

use crystallize::prelude::*;

/// The replicate index as data.
#[source]
pub fn replicate_index(ctx: &Ctx) -> u32 {
    ctx.replicate()
}

/// Fails according to the `mode` param: `panic` panics on replicate 1, `error` returns an error
/// on replicate 2, anything else passes. Records `value` = replicate index.
#[step]
pub fn maybe_fail(data: u32, mode: String, ctx: &mut Ctx) -> Result<u32, StepError> {
    match (mode.as_str(), data) {
        ("panic", 1) => panic!("boom on replicate {data}"),
        ("error", 2) => return Err(StepError::new(format!("refused replicate {data}"))),
        _ => {}
    }
    ctx.record("value", f64::from(data));
    Ok(data)
}

#[experiment(replicates = 4)]
pub fn flaky() -> Experiment {
    Experiment::from(replicate_index)
        .param("mode", "ok")
        .step(maybe_fail)
        .treatment("boom", params! { "mode": "panic" })
        .treatment("fail", params! { "mode": "error" })
}

/// Needs a `threshold` param; writes an artifact proving the body ran.
#[step]
pub fn gate(data: u32, threshold: f64, ctx: &mut Ctx) -> Result<u32, StepError> {
    ctx.write_bytes("ran.txt", b"body ran")?;
    ctx.record("threshold", threshold);
    Ok(data)
}

/// A param missing in a condition is a definition error (see `tests/it/definitions.rs`); one of
/// the wrong type fails the units of its condition.
#[experiment(replicates = 2)]
pub fn needs_param() -> Experiment {
    Experiment::from(replicate_index)
        .param("threshold", 0.25)
        .step(gate)
        .treatment("given", params! { "threshold": 0.5 })
        .treatment("wrong_type", params! { "threshold": "high" })
}

/// Uniform numbers from the replicate's generator, plus the replicate seed.
#[source]
pub fn draws(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..8).map(|_| rng.random::<f64>()).collect()
}

/// Records the first draw and the sum.
#[step]
pub fn first_and_sum(data: Vec<f64>, offset: f64, ctx: &mut Ctx) -> Vec<f64> {
    ctx.record("first", data[0]);
    ctx.record("sum", data.iter().sum::<f64>() + offset);
    ctx.record("seed_low_bits", (ctx.seed() & 0xffff) as f64);
    data
}

/// Writes a JSON and a raw artifact.
#[step]
pub fn save(data: Vec<f64>, ctx: &mut Ctx) -> Result<usize, StepError> {
    ctx.write_json("draws.json", &data)?;
    ctx.write_bytes("count.txt", data.len().to_string())?;
    Ok(data.len())
}

#[experiment(replicates = 3, seed = 42)]
pub fn seeded() -> Experiment {
    Experiment::from(draws)
        .param("offset", 0.0)
        .step(first_and_sum)
        .step(save)
        .treatment("shifted", params! { "offset": 100.0 })
        .output("draws.json")
}

/// Declares an output it never writes.
#[step]
pub fn forgetful(data: u32) -> u32 {
    data
}

#[experiment(replicates = 2)]
pub fn missing_output() -> Experiment {
    Experiment::from(replicate_index)
        .step(forgetful)
        .output("never.json")
}

/// Records the same metric twice.
#[step]
pub fn double_record(data: u32, ctx: &mut Ctx) -> u32 {
    ctx.record("x", 1.0);
    ctx.record("x", 2.0);
    data
}

#[experiment(replicates = 1)]
pub fn twice() -> Experiment {
    Experiment::from(replicate_index).step(double_record)
}

/// Records the replicate index.
#[step]
pub fn note(data: u32, ctx: &mut Ctx) -> Result<u32, StepError> {
    ctx.record("replicate", f64::from(data));
    ctx.write_json("note.json", &data)?;
    Ok(data)
}

#[experiment(replicates = 2, versioned)]
pub fn history() -> Experiment {
    Experiment::from(replicate_index).step(note)
}

/// Sleeps `CRYSTALLIZE_TEST_SLEEP_MS` milliseconds (default 0), then records and writes a value
/// derived from the replicate's random numbers: slow enough to be killed mid-run in tests.
#[step]
pub fn slow_work(data: Vec<f64>, factor: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    let millis = std::env::var("CRYSTALLIZE_TEST_SLEEP_MS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(0);
    std::thread::sleep(std::time::Duration::from_millis(millis));
    let value = data.iter().sum::<f64>() * factor;
    ctx.record("value", value);
    ctx.write_json("value.json", &value)?;
    Ok(value)
}

#[experiment(replicates = 40)]
pub fn slow() -> Experiment {
    Experiment::from(draws)
        .param("factor", 1.0)
        .step(slow_work)
        .treatment("double", params! { "factor": 2.0 })
        .output("value.json")
}

#[experiment(replicates = 3, strategy = "resume")]
pub fn resumable() -> Experiment {
    Experiment::from(draws)
        .param("offset", 0.0)
        .step(first_and_sum)
        .step(save)
        .treatment("shifted", params! { "offset": 1.0 })
}

/// Records the replicate index and the `side` param's length, and writes a marker artifact.
#[step]
pub fn mark(data: u32, side: String, ctx: &mut Ctx) -> Result<u32, StepError> {
    ctx.record("replicate", f64::from(data));
    ctx.record("side", side.len() as f64);
    ctx.write_json("mark.json", &side)?;
    Ok(data)
}

#[experiment(replicates = 2, versioned)]
pub fn pair() -> Experiment {
    Experiment::from(replicate_index)
        .param("side", "none")
        .step(mark)
        .treatment("left", params! { "side": "left" })
        .treatment("right", params! { "side": "right" })
}

#[experiment(replicates = 2)]
pub fn flat_pair() -> Experiment {
    Experiment::from(replicate_index)
        .param("side", "none")
        .step(mark)
        .treatment("left", params! { "side": "left" })
        .treatment("right", params! { "side": "right" })
}

#[experiment(replicates = 1)]
pub fn amended() -> Experiment {
    Experiment::from(replicate_index)
        .param("side", "declared")
        .step(mark)
        .treatment("baseline", params! { "side": "amended" })
        .treatment("other", params! { "side": "x" })
}

/// Layer widths: a param type that deserialises but cannot be cloned (deserialised per unit).
#[derive(serde::Deserialize)]
pub struct Widths(pub Vec<u32>);

/// Takes a list param (`Clone`: deserialised once per condition) and a struct param (not
/// `Clone`: deserialised per unit); records what each unit received.
#[step]
pub fn weigh(data: u32, weights: Vec<f64>, widths: Widths, ctx: &mut Ctx) -> u32 {
    ctx.record("weights", weights.iter().sum::<f64>());
    ctx.record(
        "widths",
        widths.0.iter().map(|&w| f64::from(w)).sum::<f64>(),
    );
    data
}

#[experiment(replicates = 12)]
pub fn list_params() -> Experiment {
    Experiment::from(replicate_index)
        .param("weights", vec![1.0, 2.0])
        .param("widths", vec![4, 4])
        .step(weigh)
        .treatment("heavy", params! { "weights": vec![10.0, 20.0, 30.0] })
        .treatment("wide", params! { "widths": vec![64, 64, 64] })
}
