//! The registry: every `#[experiment]` linked into the binary, collected through `inventory`.
//!
//! `inventory` only sees crates the binary links. A binary that never names a library crate does
//! not link it, so the library's experiments are missing; `use my_experiments as _;` in the
//! binary is enough to keep them. An empty registry prints that hint.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::experiment::Experiment;
use crate::signature::CodeHash;

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
pub const EMPTY_REGISTRY_HINT: &str = "no experiments are registered in this binary.\n\
Define one with #[experiment] on a function returning `Experiment`. If your experiments live in a \
library crate, name that crate in the binary, e.g. `use my_experiments as _;`: a crate the binary \
never names is not linked, and its experiments are not registered.";

/// Collects and builds every registered experiment, sorted by name. Fails (with every problem
/// listed) on duplicate names, definitions that panic, and invalid definitions.
pub fn collect() -> Result<Vec<Registered>, Vec<String>> {
    let mut registrations: Vec<&'static Registration> =
        inventory::iter::<Registration>.into_iter().collect();
    registrations.sort_by(|a, b| {
        a.name
            .cmp(b.name)
            .then(a.file.cmp(b.file))
            .then(a.line.cmp(&b.line))
    });
    let mut problems = Vec::new();
    for pair in registrations.windows(2) {
        if pair[0].name == pair[1].name {
            problems.push(format!(
                "two experiments are named `{}`: one at {} ({}), one at {} ({}); rename one of the functions",
                pair[0].name,
                pair[0].location(),
                pair[0].module,
                pair[1].location(),
                pair[1].module
            ));
        }
    }
    let mut registered = Vec::new();
    for registration in registrations {
        match catch_unwind(AssertUnwindSafe(registration.build)) {
            Ok(experiment) => {
                for problem in experiment.problems() {
                    problems.push(format!(
                        "experiment `{}` ({}): {problem}",
                        registration.name,
                        registration.location()
                    ));
                }
                registered.push(Registered {
                    registration,
                    experiment,
                });
            }
            Err(panic) => problems.push(format!(
                "experiment `{}` ({}) panicked while being defined: {}",
                registration.name,
                registration.location(),
                crate::exec::panic_message(&*panic)
            )),
        }
    }
    if problems.is_empty() {
        Ok(registered)
    } else {
        Err(problems)
    }
}
