//! What `#[experiment]` submits to the registry (the options and a builder), and a registered
//! experiment with its definition built.

use crate::define::experiment::Experiment;
use crate::define::resources::{ExecutorKind, Resources};
use crate::key::signature::CodeHash;

/// The most replicates per condition (`--replicates`, `#[experiment(replicates = ..)]`).
///
/// A run holds about a kilobyte per unit in memory while it runs and writes one metric value
/// per replicate into each condition's `results.json`, so a million replicates of one condition
/// already take over a gigabyte; past that, more replicates buy nothing statistically (the
/// standard error of a mean is then a thousandth of the spread). The limit keeps a typo such as
/// `--replicates 4294967295` from exhausting memory.
pub const MAX_REPLICATES: u32 = 1_000_000;

/// `rerun` always executes; `resume` loads what did not change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// Always execute.
    Rerun,
    /// Load units whose signature matches the latest completed run.
    Resume,
}

impl Strategy {
    /// `rerun` or `resume`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Rerun => "rerun",
            Strategy::Resume => "resume",
        }
    }
}

/// The options of `#[experiment(..)]`.
#[derive(Clone, Copy, Debug)]
pub struct ExperimentOptions {
    /// Replicates per condition.
    pub replicates: u32,
    /// Default strategy.
    pub strategy: Strategy,
    /// Master seed, if set.
    pub seed: Option<u64>,
    /// Whether each run claims a new version directory.
    pub versioned: bool,
    /// How many versions to keep whole.
    pub retention: Option<u32>,
    /// One-line description.
    pub description: Option<&'static str>,
    /// The toolchain and build settings are part of the keys (`strict_env`).
    pub strict_env: bool,
    /// The executor its units run on when neither `--executor` nor `crystallize.toml` chooses
    /// one (`executor = ".."`).
    pub executor: Option<ExecutorKind>,
    /// What one cluster task of it needs (`resources(..)`); part of no key.
    pub resources: Resources,
}

/// What `#[experiment]` submits to the registry.
pub struct Registration {
    /// Experiment name (the function name).
    pub name: &'static str,
    /// Builds the definition.
    pub build: fn() -> Experiment,
    /// Its options.
    pub options: ExperimentOptions,
    /// Hash of the experiment function's own tokens.
    pub code: CodeHash,
    /// Source file of the definition.
    pub file: &'static str,
    /// Line of the definition.
    pub line: u32,
    /// Module of the definition.
    pub module: &'static str,
}

inventory::collect!(Registration);

impl Registration {
    /// `file:line`, for messages.
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// A registered experiment with its definition built.
pub struct Registered {
    /// The registration.
    pub registration: &'static Registration,
    /// The definition.
    pub experiment: Experiment,
}

impl Registered {
    /// The experiment's name.
    pub fn name(&self) -> &'static str {
        self.registration.name
    }
}

/// The hint printed when no experiment is registered.
pub(crate) const EMPTY_REGISTRY_HINT: &str = "no experiments are registered in this binary.\n\
Define one with #[experiment] on a function returning `Experiment`. If your experiments live in a \
library crate, name that crate in the binary, e.g. `use my_experiments as _;`: a crate the binary \
never names is not linked, and its experiments are not registered.";
