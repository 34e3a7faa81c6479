//! Experiments that exercise the step cache, retention and gc.
//!
//! Cached steps append their name to the file named by `CRYSTALLIZE_TEST_BODY_LOG` (when set)
//! each time their body runs, so a test can count how often a body ran. Logging reads nothing
//! from the context, so it does not change what the cache is keyed by.

use std::io::Write;

use crystallize::prelude::*;

/// Environment variable naming the file cached step bodies append a line to.
pub const BODY_LOG_ENV: &str = "CRYSTALLIZE_TEST_BODY_LOG";

/// Appends `step` as one line to the body log, if one is configured.
fn log_body(step: &str) {
    let Some(path) = std::env::var_os(BODY_LOG_ENV) else {
        return;
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("body log opens");
    file.write_all(format!("{step}\n").as_bytes())
        .expect("body log is writable");
}

// ---------------------------------------------------------------------------------------------
// cache_basic: computed once, then replayed (output, metrics, artifacts).

/// `count` uniform numbers from the replicate's generator.
#[source]
pub fn cache_draws(count: usize, ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..count).map(|_| rng.random::<f64>()).collect()
}

/// Reads nothing from the context: keyed by its input alone. Records `mean` and `max`, writes
/// `summary.json` and `data.bin`, returns the mean.
#[step(cache)]
pub fn cached_summary(data: Vec<f64>, ctx: &mut Ctx) -> Result<f64, StepError> {
    log_body("cached_summary");
    let mean = data.iter().sum::<f64>() / data.len() as f64;
    let max = data.iter().copied().fold(f64::MIN, f64::max);
    ctx.record("mean", mean);
    ctx.record("max", max);
    ctx.write_json(
        "summary.json",
        &serde_json::json!({ "mean": mean, "max": max }),
    )?;
    let bytes: Vec<u8> = data.iter().flat_map(|x| x.to_le_bytes()).collect();
    ctx.write_bytes("data.bin", bytes)?;
    Ok(mean)
}

/// Not cached: uses the cached step's output, so a replayed output must reach it.
#[step]
pub fn after_summary(mean: f64, ctx: &mut Ctx) -> f64 {
    ctx.record("after", mean * 2.0);
    mean * 2.0
}

#[experiment(replicates = 3, versioned)]
pub fn cache_basic() -> Experiment {
    Experiment::from(cache_draws)
        .param("count", 4)
        .step(cached_summary)
        .step(after_summary)
        .treatment("longer", params! { "count": 6 })
        .output("summary.json")
}

// ---------------------------------------------------------------------------------------------
// cache_by_param: params, injected or read through `ctx.param`, are part of the key.

/// `[r, r + 1, r + 2]` for replicate `r`: the same in every condition of a replicate.
#[source]
pub fn replicate_numbers(ctx: &Ctx) -> Vec<f64> {
    let r = f64::from(ctx.replicate());
    vec![r, r + 1.0, r + 2.0]
}

/// Records `scaled` = sum × `factor` (an injected param); passes the data through.
#[step(cache)]
pub fn cached_scale(data: Vec<f64>, factor: f64, ctx: &mut Ctx) -> Vec<f64> {
    log_body("cached_scale");
    ctx.record("scaled", data.iter().sum::<f64>() * factor);
    data
}

/// Records `offset_sum` = sum + `offset` (read through `ctx.param`); passes the data through.
#[step(cache)]
pub fn cached_offset(data: Vec<f64>, ctx: &mut Ctx) -> Result<Vec<f64>, StepError> {
    log_body("cached_offset");
    let offset: f64 = ctx.param("offset")?;
    ctx.record("offset_sum", data.iter().sum::<f64>() + offset);
    Ok(data)
}

#[experiment(replicates = 2)]
pub fn cache_by_param() -> Experiment {
    Experiment::from(replicate_numbers)
        .param("factor", 1.0)
        .param("offset", 0.0)
        .step(cached_scale)
        .step(cached_offset)
        .treatment("tripled", params! { "factor": 3.0 })
        .treatment("shifted", params! { "offset": 10.0 })
}

// ---------------------------------------------------------------------------------------------
// cache_by_condition: a step that reads the condition is computed per condition.

/// The same input in every unit.
#[source]
pub fn constant_numbers() -> Vec<f64> {
    vec![1.0, 2.0, 3.0]
}

/// Records `label_len` = length of the condition name and writes it as `label.txt`.
#[step(cache)]
pub fn cached_label(data: Vec<f64>, ctx: &mut Ctx) -> Result<usize, StepError> {
    log_body("cached_label");
    let label = ctx.condition().to_string();
    ctx.record("label_len", label.len() as f64);
    ctx.write_bytes("label.txt", label.as_bytes())?;
    Ok(data.len() + label.len())
}

#[experiment(replicates = 2)]
pub fn cache_by_condition() -> Experiment {
    Experiment::from(constant_numbers)
        .step(cached_label)
        .treatment("alpha", params! {})
        .treatment("gamma_ray", params! {})
}

// ---------------------------------------------------------------------------------------------
// cache_by_seed: a step that draws random numbers is computed per replicate (and seed).

/// Records `noise`: the first draw of the step's generator plus the sum of the data.
#[step(cache)]
pub fn cached_noise(data: Vec<f64>, ctx: &mut Ctx) -> f64 {
    log_body("cached_noise");
    let mut rng = ctx.rng();
    let noise = rng.random::<f64>() + data.iter().sum::<f64>();
    ctx.record("noise", noise);
    noise
}

#[experiment(replicates = 3)]
pub fn cache_by_seed() -> Experiment {
    Experiment::from(constant_numbers)
        .step(cached_noise)
        .treatment("other", params! {})
}

// ---------------------------------------------------------------------------------------------
// cache_shared: a step that reads nothing from the context is shared across conditions.

/// Records `total` = sum of the data; reads nothing from the context.
#[step(cache)]
pub fn cached_total(data: Vec<f64>, ctx: &mut Ctx) -> f64 {
    log_body("cached_total");
    let total = data.iter().sum::<f64>();
    ctx.record("total", total);
    total
}

/// Not cached: records the `later` param (which the cached step before it does not read).
#[step]
pub fn take_later(total: f64, later: i64, ctx: &mut Ctx) -> f64 {
    ctx.record("later", later as f64);
    total
}

#[experiment(replicates = 3)]
pub fn cache_shared() -> Experiment {
    Experiment::from(replicate_numbers)
        .param("later", 0)
        .step(cached_total)
        .step(take_later)
        .treatment("same_input", params! { "later": 1 })
}

// ---------------------------------------------------------------------------------------------
// Retention and gc.

/// Records `value` = replicate + `bump` and writes `value.json` (not cached).
#[step]
pub fn retained_value(data: Vec<f64>, bump: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    let value = data[0] + bump;
    ctx.record("value", value);
    ctx.write_json("value.json", &value)?;
    ctx.write_bytes("padding.txt", "x".repeat(64 + data.len()))?;
    Ok(value)
}

#[experiment(replicates = 2, versioned, retention = 2)]
pub fn retained() -> Experiment {
    Experiment::from(replicate_numbers)
        .param("bump", 0.0)
        .step(retained_value)
        .treatment("bumped", params! { "bump": 1.0 })
}

#[experiment(replicates = 2, versioned)]
pub fn gc_plain() -> Experiment {
    Experiment::from(replicate_numbers)
        .param("bump", 0.0)
        .step(retained_value)
}
