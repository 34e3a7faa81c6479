//! The plugins fixture binary: the fixture experiments, plus
//!
//! - `recorder`, registered with `#[crystallize::plugin]`: with `--record FILE`, every event it
//!   receives as one JSON line in FILE, and the calls of each hook in `FILE.counts.json`;
//! - `panicker`, added with `main_with`: panics in the hook `--panic-in HOOK` names;
//! - `unborn`, registered with a function that panics with `--panic-creating`;
//! - the example plugin `CsvRows`, registered here, behind `--units-csv FILE`;
//! - `user_scaled`, an experiment whose param `scale` comes from `--scale`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use crystallize::clap;
use crystallize::events::{
    ArtifactWritten, Event, FromCache, RunFinished, RunStarted, StepFinished, UnitFinished,
};
use crystallize::prelude::*;
use crystallize_examples::csv_rows::CsvRows;
use crystallize_tests as _;

/// This binary's own arguments.
#[derive(clap::Args, Clone, Debug)]
struct PluginArgs {
    /// Record every event the recorder receives to FILE (and its hook counts to
    /// FILE.counts.json)
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// Make the panicking plugin panic in this hook
    #[arg(long, value_name = "HOOK")]
    panic_in: Option<String>,
    /// Append one CSV row per finished unit to FILE
    #[arg(long, value_name = "FILE")]
    units_csv: Option<PathBuf>,
    /// Make the function of the registered plugin `unborn` panic
    #[arg(long)]
    panic_creating: bool,
    /// The factor of `user_scaled`
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
}

fn args() -> Option<PluginArgs> {
    crystallize::user_args::<PluginArgs>()
}

/// The replicate as a number.
#[source]
fn replicate_value(ctx: &Ctx) -> f64 {
    f64::from(ctx.replicate())
}

/// Multiplies by `scale` and records the product.
#[step]
fn times(data: f64, scale: f64, ctx: &mut Ctx) -> f64 {
    ctx.record("value", data * scale);
    data * scale
}

#[experiment(replicates = 2, strategy = "resume")]
fn user_scaled() -> Experiment {
    Experiment::from(replicate_value)
        .param("scale", args().map_or(1.0, |args| args.scale))
        .step(times)
}

/// Records every event and counts each hook's calls.
struct Recorder {
    path: PathBuf,
    lines: Mutex<File>,
    counts: Mutex<BTreeMap<&'static str, u32>>,
}

impl Recorder {
    fn count(&self, hook: &'static str) {
        *self.counts.lock().unwrap().entry(hook).or_default() += 1;
    }
}

impl Plugin for Recorder {
    fn name(&self) -> &str {
        "recorder"
    }
    fn event(&self, event: &Event) {
        let mut line = serde_json::to_vec(event).unwrap();
        line.push(b'\n');
        self.lines.lock().unwrap().write_all(&line).unwrap();
        self.count("event");
    }
    fn run_started(&self, _: &RunStarted<'_>) {
        self.count("run_started");
    }
    fn unit_finished(&self, _: &UnitFinished<'_>) {
        self.count("unit_finished");
    }
    fn step_finished(&self, _: &StepFinished<'_>) {
        self.count("step_finished");
    }
    fn artifact_written(&self, _: &ArtifactWritten<'_>) {
        self.count("artifact_written");
    }
    fn loaded_from_cache(&self, cached: &FromCache<'_>) {
        self.count(match cached {
            FromCache::Unit(_) => "loaded_unit",
            FromCache::Step(_) => "cached_step",
            _ => "cached_other",
        });
    }
    fn run_finished(&self, _: &RunFinished<'_>) {
        self.count("run_finished");
        let counts = serde_json::to_string(&*self.counts.lock().unwrap()).unwrap();
        let mut path = self.path.clone().into_os_string();
        path.push(".counts.json");
        std::fs::write(path, counts).unwrap();
    }
}

#[crystallize::plugin]
fn recorder() -> Option<Recorder> {
    let path = args()?.record?;
    Some(Recorder {
        lines: Mutex::new(File::create(&path).unwrap()),
        path,
        counts: Mutex::default(),
    })
}

#[crystallize::plugin]
fn units_csv() -> Option<CsvRows> {
    args()?.units_csv.map(CsvRows::new)
}

/// Observes nothing; its function panics on request.
struct Unborn;

impl Plugin for Unborn {}

#[crystallize::plugin]
fn unborn() -> Unborn {
    if args().is_some_and(|args| args.panic_creating) {
        panic!("unborn cannot be created");
    }
    Unborn
}

/// Panics in the hook `--panic-in` names.
struct Panicker;

impl Panicker {
    fn maybe_panic(&self, hook: &str) {
        static HOOK: OnceLock<Option<String>> = OnceLock::new();
        let chosen = HOOK.get_or_init(|| args().and_then(|args| args.panic_in));
        if chosen.as_deref() == Some(hook) {
            panic!("the panicker fails in {hook}");
        }
    }
}

impl Plugin for Panicker {
    fn name(&self) -> &str {
        "panicker"
    }
    fn run_started(&self, _: &RunStarted<'_>) {
        self.maybe_panic("run_started");
    }
    fn unit_finished(&self, _: &UnitFinished<'_>) {
        self.maybe_panic("unit_finished");
    }
    fn event(&self, event: &Event) {
        if matches!(event, Event::UnitStarted { .. }) {
            self.maybe_panic("unit_started");
        }
    }
}

fn main() {
    crystallize::main_with(|app| app.plugin(Panicker).args::<PluginArgs>())
}
