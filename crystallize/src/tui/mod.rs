//! The run screen (`tui`): the experiments in run order with their conditions and steps, a lock
//! on everything that is or will be loaded from a previous run, keys to toggle what is
//! recomputed (`l`), which treatments run (`x`), to run and cancel (`r`), and live progress.
//!
//! The locks come from the decisions `plan` makes: every change of a toggle plans again with the
//! toggles as overrides, exactly as `plan` would with the same flags, and reads the locks off
//! that report (see `model`).
//!
//! - `state`: the toggles and the small file under the data root that keeps them;
//! - `planner`: planning and running with the toggles applied;
//! - `model`: the tree, its state icons and locks, the details of a node;
//! - `app`: what each key does (no terminal needed);
//! - `view`: drawing the screen;
//! - `runner`: a run in a background thread, its events handed to the screen;
//! - `editor`: `e`, opening a step's source at its line;
//! - `capture`: the standard output and error into the log pane while the screen is up;
//! - `terminal`: raw mode and the alternate screen, restored on quit and on a panic.

#[cfg(feature = "tui")]
use std::path::PathBuf;
use std::sync::Arc;

use crate::decide::plan::Overrides;
use crate::define::graph::Graph;
use crate::define::registration::Registered;
use crate::exec::executor::Executor;
use crate::output::events::Plugin;
use crate::store::layout::DataRoot;

#[cfg(feature = "tui")]
mod app;
#[cfg(feature = "tui")]
mod capture;
#[cfg(feature = "tui")]
mod editor;
#[cfg(feature = "tui")]
mod model;
#[cfg(feature = "tui")]
mod planner;
#[cfg(feature = "tui")]
mod runner;
#[cfg(feature = "tui")]
mod state;
#[cfg(feature = "tui")]
mod terminal;
#[cfg(all(test, feature = "tui"))]
mod tests;
#[cfg(feature = "tui")]
mod view;

/// The file under the data root that keeps the run screen's toggles across launches.
#[cfg(feature = "tui")]
pub(crate) const STATE_FILE: &str = ".crystallize-tui.json";

/// What the run screen covers and how it runs: the same flags as `run`.
#[cfg_attr(not(feature = "tui"), allow(dead_code))]
pub(crate) struct Launch<'a> {
    /// Every registered experiment.
    pub registered: &'a [Registered],
    /// Their graph.
    pub graph: &'a Graph,
    /// The experiments named on the command line (all when empty).
    pub names: Vec<String>,
    /// The flags' overrides (`--replicates`, `--strategy`, ...); the toggles go on top.
    pub overrides: Overrides,
    /// Worker threads.
    pub jobs: crate::exec::pool::Jobs,
    /// The data root.
    pub root: DataRoot,
    /// Where units run.
    pub executor: Executor,
    /// The binary's plugins (`#[crystallize::plugin]`, `main_with`), given every run's events.
    pub plugins: Vec<Arc<dyn Plugin>>,
    /// Whether runs end with a durable sync (`--no-sync` clears it).
    pub sync: bool,
}

/// Why the run screen could not run.
#[derive(Debug)]
#[cfg_attr(not(feature = "tui"), allow(dead_code))]
pub(crate) enum ScreenError {
    /// Bad usage: no terminal, the feature is off, a bad flag (exit 2).
    Usage(String),
    /// The terminal failed (exit 1).
    Failed(String),
}

/// Runs the run screen until `q`.
pub(crate) fn run_screen(launch: &Launch<'_>) -> Result<(), ScreenError> {
    #[cfg(feature = "tui")]
    {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
            return Err(ScreenError::Usage(
                "`tui` needs a terminal: its standard input and output must be a terminal (use \
                 `run` or `plan` in scripts and pipes)"
                    .to_string(),
            ));
        }
        terminal::run(launch)
    }
    #[cfg(not(feature = "tui"))]
    {
        let _ = launch;
        Err(ScreenError::Usage(
            "`tui` is not available: this binary was built without the `tui` feature of \
             crystallize (it is on by default; enable it in Cargo.toml)"
                .to_string(),
        ))
    }
}

/// The state file of the run screen under `root`.
#[cfg(feature = "tui")]
pub(crate) fn state_path(root: &DataRoot) -> PathBuf {
    root.path().join(STATE_FILE)
}

#[cfg(all(test, not(feature = "tui")))]
mod without_the_feature {
    use super::*;

    #[test]
    fn tui_is_refused_naming_the_feature() {
        let registered = Vec::new();
        let graph = Graph::build(&registered).unwrap();
        let launch = Launch {
            registered: &registered,
            graph: &graph,
            names: Vec::new(),
            overrides: Overrides::default(),
            jobs: crate::exec::pool::Jobs::Exactly(1),
            root: DataRoot::new("data"),
            executor: Executor::Threads,
            plugins: Vec::new(),
            sync: true,
        };
        match run_screen(&launch) {
            Err(ScreenError::Usage(message)) => {
                assert!(message.contains("`tui` feature"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
}
