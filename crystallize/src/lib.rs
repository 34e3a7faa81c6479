//! # crystallize
//!
//! Reproducible computational experiments as plain Rust functions. Annotate a source and steps,
//! compose them into an experiment with baseline params and treatments, and let
//! [`main`] run every registered experiment: each (condition, replicate) unit in parallel, with
//! seeds derived deterministically, results and artifacts written to `data/<experiment>/v<N>/`.
//!
//! ```no_run
//! use crystallize::prelude::*;
//!
//! #[source]
//! fn numbers(ctx: &Ctx) -> Vec<f64> {
//!     let mut rng = ctx.rng();
//!     (0..16).map(|_| rng.random()).collect()
//! }
//!
//! #[step]
//! fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
//!     data.into_iter().map(|x| x * factor).collect()
//! }
//!
//! #[step]
//! fn summarize(data: Vec<f64>, ctx: &mut Ctx) -> Result<f64, StepError> {
//!     let mean = data.iter().sum::<f64>() / data.len() as f64;
//!     ctx.record("mean", mean);
//!     ctx.write_json("summary.json", &mean)?;
//!     Ok(mean)
//! }
//!
//! #[experiment(replicates = 10)]
//! fn quickstart() -> Experiment {
//!     Experiment::from(numbers)
//!         .param("factor", 1.0)
//!         .step(scale)
//!         .step(summarize)
//!         .treatment("double", params! { "factor": 2.0 })
//!         .output("summary.json")
//! }
//!
//! fn main() {
//!     crystallize::main()
//! }
//! ```
//!
//! Annotated functions stay callable as written, so they are unit-testable on their own:
//! `scale(vec![1.0], 2.0)`, or `numbers(&Ctx::standalone())` for functions taking a context.
//!
//! # Hypotheses
//!
//! `.hypothesis("double increases mean", metric("mean").greater_than_baseline().test(Test::PairedT))`
//! compares every treatment with the baseline after each run and resume (replicates share their
//! seeds across conditions, so they pair); [`stats`] computes the tests, and custom tests are
//! `#[verifier]` functions. The verdicts are in the summary, the `--json` report
//! ([`report::HypothesisReport`]) and `v<N>/hypotheses.json`. Hypotheses are part of no unit's
//! key: editing one reruns nothing.
//!
//! # Plugins and the binary's own arguments
//!
//! A [`Plugin`] observes runs through their events ([`events`]): register one with
//! `#[crystallize::plugin]` on a function returning it, or add it with [`main_with`], which also
//! adds the binary's own command-line arguments ([`App::args`], read with [`user_args`]).
//!
//! # Layers
//!
//! The runtime is split into layers; a module imports only from its own layer or lower ones,
//! and no two modules import each other (`tests/layers.rs` checks both):
//!
//! 0. `stats`: hypothesis tests, effect sizes, intervals and corrections (pure, imports
//!    nothing from the crate);
//! 1. `key`: code hashes, canonical JSON, signature records and keys, seeds, the toolchain;
//! 2. `store`: the on-disk format (records, journal, versions, locks, files never followed
//!    through links, provenance);
//! 3. `unit`: what a running unit sees and what the macros name — params, `Ctx`, stages, the
//!    step cache, upstream views, panic capture;
//! 4. `define`: the experiment builder, the registry, the experiment graph;
//! 5. `decide`: plans, resume decisions and their reasons, the report, code diffs;
//! 6. `output`: summary tables, statistics, the progress bar, the run events and their plugins;
//! 7. `exec`: the worker pool and the executors (threads, or child processes of this binary);
//! 8. `run`: orchestration of a run;
//! 9. `tui`: the run screen;
//! 10. `cli`: the commands.

#![deny(unsafe_code)]

mod cli;
mod decide;
mod define;
mod exec;
mod key;
mod output;
mod run;
pub mod stats;
mod store;
mod tui;
mod unit;

/// The command-line parser (clap 4), so a binary's own arguments ([`App::args`]) derive
/// `clap::Args` without depending on a matching version: `use crystallize::clap;` then
/// `#[derive(clap::Args)]` (the derive names `clap::..`, which the `use` provides).
pub use clap;
pub use cli::app::App;
pub use cli::user_args::user_args;
pub use cli::{run_app, run_cli};
pub use define::registration::MAX_REPLICATES;
/// The random-number crate behind [`Ctx::rng`] (rand 0.10), so its traits can be named without
/// depending on a matching version.
pub use rand;
pub use unit::names::{MAX_ARTIFACT_NAME_BYTES, MAX_NAME_BYTES};

/// The `--json` report of `run` and `plan`: what a script deserialises (see the README's
/// "Command line" section).
pub mod report {
    pub use crate::decide::report::{
        Action, CodeDiff, ConditionReport, ExperimentReport, IndexMap, InputReport, Reason,
        ReasonKind, Report, UnitErrorReport, UnitExplanation, UnitRead,
    };
    pub use crate::decide::verdicts::{
        HypothesesReport, HypothesisReport, TreatmentResult, Verdict, VerifierReport,
    };
}

pub use crystallize_macros::{code, experiment, plugin, source, step, verifier};
pub use output::events::Plugin;

/// The run events a [`Plugin`] observes: [`Event`](events::Event) (every event, as `--events`
/// writes it) and the views its typed hooks receive.
pub mod events {
    pub use crate::output::events::{Event, PlannedCondition, Plugin, UnitGroup, UnitOutcome};
    pub use crate::output::hooks::{
        ArtifactWritten, FromCache, RunFinished, RunStarted, StepFinished, UnitFinished,
    };
}
pub use define::experiment::{
    BASELINE, Condition, Experiment, ExperimentBuilder, ExperimentRef, IntoExperiment, Stage,
    Treatment,
};
pub use define::hypothesis::{
    DEFAULT_ALPHA, DEFAULT_TEST, HypothesisSpec, RankedTreatment, Ranker, Verifier, VerifierInfo,
    VerifierOutcome, metric,
};
pub use define::registration::Strategy;
pub use key::seed::DEFAULT_MASTER_SEED;
pub use unit::ctx::{Ctx, WrittenArtifact};
pub use unit::error::StepError;
pub use unit::input::{ArtifactInput, LoadedInput};
pub use unit::params::Params;
pub use unit::stage::{CacheCodec, InputRef, Source, SourcePart, StageInfo, StageKind, Step};
pub use unit::writer::ArtifactWriter;

/// Everything an experiment file needs: `use crystallize::prelude::*;`.
pub mod prelude {
    pub use crate::params;
    pub use crate::stats::{Correction, Test};
    pub use crate::{
        Ctx, Experiment, ExperimentRef, Params, Plugin, StepError, VerifierOutcome, code,
        experiment, metric, source, step, verifier,
    };
    pub use rand::{Rng, RngExt};
}

/// Parses the command line, runs the requested command over every experiment registered in this
/// binary, and exits with its code (0 ok, 1 a unit failed, 2 bad usage).
///
/// Call it from your binary's `main`: `fn main() { crystallize::main() }`.
pub fn main() -> ! {
    let code = run_cli(std::env::args_os());
    std::process::exit(code)
}

/// [`main`], with what `configure` adds to the command line: plugins and the binary's own
/// arguments (see [`App`]).
///
/// `fn main() { crystallize::main_with(|app| app.plugin(MyPlugin::new())) }`
pub fn main_with(configure: impl FnOnce(App) -> App) -> ! {
    let code = run_app(configure(App::new()), std::env::args_os());
    std::process::exit(code)
}

/// What the microbenchmarks of `bench/benches/` measure inside a run. Not public API.
#[doc(hidden)]
pub mod __bench {
    pub use crate::run::bench::{Journal, NoFollow, UnitResult, UnitRunner, hash_bytes, hash_file};
}

/// Items the macros expand to. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::cli::app::{PluginRegistration, boxed_plugin};
    pub use crate::cli::version::Package;
    pub use crate::define::experiment::{Experiment, ExperimentRef, IntoExperiment};
    pub use crate::define::hypothesis::{
        __verifier_outcome, Verifier, VerifierInfo, VerifierOutcome,
    };
    pub use crate::define::registration::{ExperimentOptions, Registration, Strategy};
    pub use crate::define::registry::collect;
    pub use crate::define::resources::{ExecutorKind, Resources};
    pub use crate::key::signature::{CodeHash, DependencyInfo, Reach, ReachedCode, TrackedCode};
    pub use crate::output::events::Plugin;
    pub use crate::unit::inject::{InjectEach, InjectShared, ParamSlot};
    pub use crate::unit::stage::{CacheCodec, Source, SourcePart, StageInfo, StageKind, Step};
    pub use crate::{Ctx, StepError};
    pub use inventory;
}
