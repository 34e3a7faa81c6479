//! Experiments connected by artifacts, for the experiment-graph tests
//! (`tests/it/experiment_graph.rs`, `tests/it/experiment_graph_resume.rs`). Every one runs in
//! milliseconds and needs no environment: `fixture` with no subcommand runs them all.
//!
//! - `graph_numbers` (2 replicates) publishes `numbers.json`, `raw.bin` and `table.csv`;
//!   `graph_other` also publishes a `numbers.json` (with another tag). Their consumers read them
//!   as JSON (`graph_json_reader`, 5 replicates: replicate cycling), raw bytes
//!   (`graph_bytes_reader`), bytes decoded by a loader step (`graph_loader_reader`), and
//!   several inputs plus an ordinary source in a tuple (`graph_combined`).
//! - `graph_root` → `graph_left`, `graph_right` → `graph_join` is a diamond; `graph_lone` is
//!   unrelated to everything; `graph_twin_a` and `graph_twin_b` read `graph_root` and wait for
//!   each other, recording whether they ran at the same time.
//! - `graph_cond_producer` (treatments `shared`, `solo`) → `graph_cond_consumer` (treatments
//!   `shared`, `own`): conditions across an edge.
//! - `graph_kept` (versioned, `retention = 1`) → `graph_keeper`, and `graph_gc_src` (versioned)
//!   → `graph_gc_reader`: retention and `gc` with lineage.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crystallize::prelude::*;
use serde::{Deserialize, Serialize};

/// The replicate index as data.
#[source]
pub fn graph_replicate(ctx: &Ctx) -> u32 {
    ctx.replicate()
}

// ---------------------------------------------------------------------------------------------
// Edges from code: JSON, raw bytes, a loader step, a tuple of inputs.

/// What `graph_numbers` and `graph_other` publish as `numbers.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Which producer wrote it: 1 for `graph_numbers`, 2 for `graph_other`.
    pub tag: f64,
    /// The producer replicate that wrote it.
    pub replicate: u32,
    /// Some values.
    pub values: Vec<f64>,
}

/// Publishes `numbers.json` (a [`Sample`] with tag 1), `raw.bin` (`[0xAB, replicate, 7, 7]`) and
/// `table.csv` (`replicate,value` with value = 3 * replicate + 5).
#[step]
pub fn graph_publish(replicate: u32, ctx: &mut Ctx) -> Result<u32, StepError> {
    let base = f64::from(replicate) * 10.0;
    let sample = Sample {
        tag: 1.0,
        replicate,
        values: vec![base + 1.0, base + 2.0, base + 3.0],
    };
    ctx.write_json("numbers.json", &sample)?;
    ctx.write_bytes("raw.bin", [0xAB, replicate as u8, 7, 7])?;
    ctx.write_bytes(
        "table.csv",
        format!("replicate,value\n{replicate},{}\n", 3 * replicate + 5),
    )?;
    ctx.record("replicate", f64::from(replicate));
    Ok(replicate)
}

#[experiment(replicates = 2)]
pub fn graph_numbers() -> Experiment {
    Experiment::from(graph_replicate)
        .step(graph_publish)
        .output("numbers.json")
        .output("raw.bin")
        .output("table.csv")
}

/// Publishes its own `numbers.json` (tag 2, values `[100]`) and `extra.json`.
#[step]
pub fn graph_publish_other(replicate: u32, ctx: &mut Ctx) -> Result<u32, StepError> {
    let sample = Sample {
        tag: 2.0,
        replicate,
        values: vec![100.0],
    };
    ctx.write_json("numbers.json", &sample)?;
    ctx.write_json("extra.json", &"extra")?;
    Ok(replicate)
}

#[experiment(replicates = 1)]
pub fn graph_other() -> Experiment {
    Experiment::from(graph_replicate)
        .step(graph_publish_other)
        .output("numbers.json")
        .output("extra.json")
}

/// Records what the [`Sample`] read says: `read_replicate`, `tag` and `total`.
#[step]
pub fn graph_read_sample(sample: Sample, ctx: &mut Ctx) -> f64 {
    let total = sample.values.iter().sum::<f64>();
    ctx.record("read_replicate", f64::from(sample.replicate));
    ctx.record("tag", sample.tag);
    ctx.record("total", total);
    total
}

/// Reads `numbers.json` as JSON, with 5 replicates over the producer's 2.
#[experiment(replicates = 5)]
pub fn graph_json_reader() -> Experiment {
    Experiment::from(graph_numbers.artifact::<Sample>("numbers.json")).step(graph_read_sample)
}

/// Records the raw bytes read: `len`, `first` and `second` (the producer replicate).
#[step]
pub fn graph_read_raw(bytes: Vec<u8>, ctx: &mut Ctx) -> usize {
    ctx.record("len", bytes.len() as f64);
    ctx.record("first", f64::from(bytes[0]));
    ctx.record("second", f64::from(bytes[1]));
    bytes.len()
}

#[experiment(replicates = 2)]
pub fn graph_bytes_reader() -> Experiment {
    Experiment::from(graph_numbers.artifact_bytes("raw.bin")).step(graph_read_raw)
}

/// A user loader: parses the one data row of `table.csv`.
#[step]
pub fn graph_parse_table(bytes: Vec<u8>) -> Result<(u32, f64), StepError> {
    let text = String::from_utf8(bytes).map_err(|error| StepError::new(error.to_string()))?;
    let mut lines = text.lines();
    if lines.next() != Some("replicate,value") {
        return Err(StepError::new(format!("bad header in {text:?}")));
    }
    let row = lines.next().ok_or_else(|| StepError::new("no data row"))?;
    let (replicate, value) = row
        .split_once(',')
        .ok_or_else(|| StepError::new(format!("bad row {row:?}")))?;
    let replicate = replicate
        .parse::<u32>()
        .map_err(|error| StepError::new(error.to_string()))?;
    let value = value
        .parse::<f64>()
        .map_err(|error| StepError::new(error.to_string()))?;
    Ok((replicate, value))
}

/// Records the parsed row: `row_replicate`, `row_value`.
#[step]
pub fn graph_read_table(row: (u32, f64), ctx: &mut Ctx) -> f64 {
    ctx.record("row_replicate", f64::from(row.0));
    ctx.record("row_value", row.1);
    row.1
}

#[experiment(replicates = 2)]
pub fn graph_loader_reader() -> Experiment {
    Experiment::from(
        graph_numbers
            .artifact_bytes("table.csv")
            .load(graph_parse_table),
    )
    .step(graph_read_table)
}

/// Records what each part of the tuple source says.
#[step]
pub fn graph_combine(data: (Sample, Sample, Vec<u8>, u32), ctx: &mut Ctx) -> f64 {
    let (mine, theirs, raw, own) = data;
    ctx.record("mine_tag", mine.tag);
    ctx.record("mine_replicate", f64::from(mine.replicate));
    ctx.record("theirs_tag", theirs.tag);
    ctx.record("theirs_total", theirs.values.iter().sum::<f64>());
    ctx.record("raw_second", f64::from(raw[1]));
    ctx.record("own_replicate", f64::from(own));
    mine.tag + theirs.tag
}

/// Two inputs from `graph_numbers`, one from `graph_other` (both publish a `numbers.json`), and
/// an ordinary source.
#[experiment(replicates = 2)]
pub fn graph_combined() -> Experiment {
    Experiment::from((
        graph_numbers
            .artifact::<Sample>("numbers.json")
            .named("mine"),
        graph_other
            .artifact::<Sample>("numbers.json")
            .named("theirs"),
        graph_numbers.artifact_bytes("raw.bin").named("raw"),
        graph_replicate,
    ))
    .step(graph_combine)
}

// ---------------------------------------------------------------------------------------------
// Running: a diamond, an unrelated experiment, and two independent consumers that meet.

/// Publishes `root.json` = 1; fails instead when `CRYSTALLIZE_TEST_FAIL_ROOT` is set (a producer
/// whose consumers must wait).
#[step]
pub fn graph_publish_root(_replicate: u32, ctx: &mut Ctx) -> Result<f64, StepError> {
    if std::env::var_os("CRYSTALLIZE_TEST_FAIL_ROOT").is_some() {
        return Err(StepError::new("CRYSTALLIZE_TEST_FAIL_ROOT is set"));
    }
    ctx.write_json("root.json", &1.0)?;
    Ok(1.0)
}

#[experiment(replicates = 1)]
pub fn graph_root() -> Experiment {
    Experiment::from(graph_replicate)
        .step(graph_publish_root)
        .output("root.json")
}

/// Publishes `side.json` = root + `add`.
#[step]
pub fn graph_publish_side(root: f64, add: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    let value = root + add;
    ctx.record("value", value);
    ctx.write_json("side.json", &value)?;
    Ok(value)
}

#[experiment(replicates = 1)]
pub fn graph_left() -> Experiment {
    Experiment::from(graph_root.artifact::<f64>("root.json"))
        .param("add", 1.0)
        .step(graph_publish_side)
        .output("side.json")
}

#[experiment(replicates = 1)]
pub fn graph_right() -> Experiment {
    Experiment::from(graph_root.artifact::<f64>("root.json"))
        .param("add", 2.0)
        .step(graph_publish_side)
        .output("side.json")
}

/// Records `sum` = left + right.
#[step]
pub fn graph_sum(sides: (f64, f64), ctx: &mut Ctx) -> f64 {
    ctx.record("sum", sides.0 + sides.1);
    sides.0 + sides.1
}

#[experiment(replicates = 1)]
pub fn graph_join() -> Experiment {
    Experiment::from((
        graph_left.artifact::<f64>("side.json").named("left"),
        graph_right.artifact::<f64>("side.json").named("right"),
    ))
    .step(graph_sum)
}

/// Records `value` = replicate.
#[step]
pub fn graph_lone_value(replicate: u32, ctx: &mut Ctx) -> u32 {
    ctx.record("value", f64::from(replicate));
    replicate
}

/// Reads nothing, is read by nothing, defines no treatment.
#[experiment(replicates = 1)]
pub fn graph_lone() -> Experiment {
    Experiment::from(graph_replicate).step(graph_lone_value)
}

static TWIN_A_STARTED: AtomicBool = AtomicBool::new(false);
static TWIN_B_STARTED: AtomicBool = AtomicBool::new(false);

/// Marks this twin (`me` = "a" or "b") as started, waits up to two seconds for the other one to
/// start, and records `together` = 1 if it did (both were running at the same time), else 0.
#[step]
pub fn graph_meet(root: f64, me: String, ctx: &mut Ctx) -> f64 {
    let (mine, other) = if me == "a" {
        (&TWIN_A_STARTED, &TWIN_B_STARTED)
    } else {
        (&TWIN_B_STARTED, &TWIN_A_STARTED)
    };
    mine.store(true, Ordering::SeqCst);
    let started = Instant::now();
    while !other.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let together = if other.load(Ordering::SeqCst) {
        1.0
    } else {
        0.0
    };
    ctx.record("together", together);
    root
}

#[experiment(replicates = 1)]
pub fn graph_twin_a() -> Experiment {
    Experiment::from(graph_root.artifact::<f64>("root.json"))
        .param("me", "a")
        .step(graph_meet)
}

#[experiment(replicates = 1)]
pub fn graph_twin_b() -> Experiment {
    Experiment::from(graph_root.artifact::<f64>("root.json"))
        .param("me", "b")
        .step(graph_meet)
}

// ---------------------------------------------------------------------------------------------
// Conditions across an edge.

/// What `graph_cond_producer` publishes as `level.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Level {
    /// The producer condition that wrote it.
    pub condition: String,
    /// Its `level` param: 0 baseline, 1 `shared`, 2 `solo`.
    pub level: f64,
    /// The producer replicate that wrote it.
    pub replicate: u32,
}

/// Publishes `level.json` and records `level`.
#[step]
pub fn graph_publish_level(replicate: u32, level: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
    let published = Level {
        condition: ctx.condition().to_string(),
        level,
        replicate,
    };
    ctx.write_json("level.json", &published)?;
    ctx.record("level", level);
    Ok(level)
}

#[experiment(replicates = 2)]
pub fn graph_cond_producer() -> Experiment {
    Experiment::from(graph_replicate)
        .param("level", 0.0)
        .step(graph_publish_level)
        .treatment("shared", params! { "level": 1.0 })
        .treatment("solo", params! { "level": 2.0 })
        .output("level.json")
}

/// Records the level read (`read_level`), its replicate (`read_replicate`) and the consumer's
/// own `bonus` param.
#[step]
pub fn graph_read_level(level: Level, bonus: f64, ctx: &mut Ctx) -> f64 {
    ctx.record("read_level", level.level);
    ctx.record("read_replicate", f64::from(level.replicate));
    ctx.record("bonus", bonus);
    level.level + bonus
}

/// `shared` is also a producer treatment; `own` is not (it reads the producer's baseline).
#[experiment(replicates = 2)]
pub fn graph_cond_consumer() -> Experiment {
    Experiment::from(graph_cond_producer.artifact::<Level>("level.json"))
        .param("bonus", 0.0)
        .step(graph_read_level)
        .treatment("shared", params! { "bonus": 10.0 })
        .treatment("own", params! { "bonus": 20.0 })
}

// ---------------------------------------------------------------------------------------------
// Retention and gc with lineage.

/// Publishes `kept.json` (deterministic: the replicate index).
#[step]
pub fn graph_publish_kept(replicate: u32, ctx: &mut Ctx) -> Result<u32, StepError> {
    ctx.write_json("kept.json", &replicate)?;
    ctx.write_bytes("bulk.txt", "k".repeat(256))?;
    Ok(replicate)
}

/// Records `read` = the value read.
#[step]
pub fn graph_read_kept(value: u32, ctx: &mut Ctx) -> u32 {
    ctx.record("read", f64::from(value));
    value
}

#[experiment(replicates = 1, versioned, retention = 1, strategy = "resume")]
pub fn graph_kept() -> Experiment {
    Experiment::from(graph_replicate)
        .step(graph_publish_kept)
        .output("kept.json")
}

#[experiment(replicates = 1)]
pub fn graph_keeper() -> Experiment {
    Experiment::from(graph_kept.artifact::<u32>("kept.json")).step(graph_read_kept)
}

#[experiment(replicates = 1, versioned, strategy = "resume")]
pub fn graph_gc_src() -> Experiment {
    Experiment::from(graph_replicate)
        .step(graph_publish_kept)
        .output("kept.json")
}

#[experiment(replicates = 1)]
pub fn graph_gc_reader() -> Experiment {
    Experiment::from(graph_gc_src.artifact::<u32>("kept.json")).step(graph_read_kept)
}
