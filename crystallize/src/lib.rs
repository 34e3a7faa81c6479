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

mod cache;
pub mod cli;
mod codediff;
mod ctx;
mod error;
mod exec;
mod experiment;
pub mod graph;
mod input;
mod params;
mod plan;
mod progress;
pub mod provenance;
pub mod registry;
pub mod report;
mod resume;
mod run;
mod seed;
pub mod signature;
mod stage;
pub mod stats;
pub mod store;
mod summary;
mod upstream;

pub use crystallize_macros::{code, experiment, source, step};
pub use ctx::{Ctx, WrittenArtifact};
pub use error::StepError;
pub use experiment::{
    BASELINE, Condition, Experiment, ExperimentBuilder, ExperimentRef, IntoExperiment, Stage,
    Treatment,
};
pub use input::{ArtifactInput, LoadedInput};
pub use params::Params;
pub use registry::Strategy;
pub use seed::DEFAULT_MASTER_SEED;
pub use stage::{CacheCodec, InputRef, Source, SourcePart, StageInfo, StageKind, Step};

/// Everything an experiment file needs: `use crystallize::prelude::*;`.
pub mod prelude {
    pub use crate::params;
    pub use crate::{
        Ctx, Experiment, ExperimentRef, Params, StepError, code, experiment, source, step,
    };
    pub use rand::{Rng, RngExt};
}

/// Parses the command line, runs the requested command over every experiment registered in this
/// binary, and exits with its code (0 ok, 1 a unit failed, 2 bad usage).
///
/// Call it from your binary's `main`: `fn main() { crystallize::main() }`.
pub fn main() -> ! {
    let code = cli::run_cli(std::env::args_os());
    std::process::exit(code)
}

/// Items the macros expand to. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::experiment::{Experiment, ExperimentRef, IntoExperiment};
    pub use crate::registry::{ExperimentOptions, Registration, Strategy};
    pub use crate::signature::{CodeHash, DependencyInfo, Reach, ReachedCode, TrackedCode};
    pub use crate::stage::{CacheCodec, Source, SourcePart, StageInfo, StageKind, Step};
    pub use crate::{Ctx, StepError};
    pub use inventory;
}
