//! `tui`: the run screen, with the same flags as `run`.

use std::sync::Arc;

use crate::define::graph::Graph;
use crate::define::registration::Registered;
use crate::store::layout::DataRoot;
use crate::tui::{Launch, ScreenError, run_screen};

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, GlobalArgs, executor, jobs, overrides};

/// Runs the run screen over `names` (all when empty) and returns the exit code.
pub(super) fn tui(
    registered: &[Registered],
    graph: &Graph,
    names: &[String],
    global: &GlobalArgs,
) -> i32 {
    if global.json || global.events.is_some() {
        eprintln!(
            "error: `tui` draws on the terminal: --json and --events are for `run` and `plan`"
        );
        return EXIT_USAGE;
    }
    // A bad name or flag is refused before the terminal is taken over.
    let selected = match crate::decide::plan::select(registered, names) {
        Ok(selected) => selected,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return EXIT_USAGE;
        }
    };
    // The executors of what the screen may run: the named experiments and what they read.
    let selected: Vec<&str> = selected.iter().map(|r| r.name()).collect();
    let needed = graph.with_ancestors(&selected);
    let executor = match executor(
        global,
        registered.iter().filter(|r| needed.contains(r.name())),
    ) {
        Ok(executor) => executor,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let launch = Launch {
        registered,
        graph,
        names: names.to_vec(),
        overrides: overrides(global),
        jobs: jobs(global, false),
        root: DataRoot::new(&global.data_dir),
        executor,
        // The binary's plugins observe every run started from the screen.
        plugins: global.plugins.take().into_iter().map(Arc::from).collect(),
        sync: !global.no_sync,
    };
    // The `-v` log goes to the screen's log pane.
    crate::output::log::init(global.verbose);
    match run_screen(&launch) {
        Ok(()) => EXIT_OK,
        Err(ScreenError::Usage(message)) => {
            eprintln!("error: {message}");
            EXIT_USAGE
        }
        Err(ScreenError::Failed(message)) => {
            eprintln!("error: {message}");
            EXIT_FAILED
        }
    }
}
