//! `tui`: the run screen, with the same flags as `run`.

use std::num::NonZeroUsize;

use crate::define::graph::Graph;
use crate::define::registration::Registered;
use crate::exec::executor::Executor;
use crate::store::layout::DataRoot;
use crate::tui::{Launch, ScreenError, run_screen};

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, ExecutorArg, GlobalArgs, overrides};

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
    let jobs = global
        .jobs
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get)
        .min(crate::exec::pool::max_jobs());
    let executor = match global.executor {
        ExecutorArg::Threads => Executor::Threads,
        ExecutorArg::Process => match std::env::current_exe() {
            Ok(exe) => Executor::Processes {
                exe,
                data_dir: global.data_dir.clone(),
            },
            Err(error) => {
                eprintln!("error: --executor process: cannot find this binary: {error}");
                return EXIT_USAGE;
            }
        },
    };
    // A bad name or flag is refused before the terminal is taken over.
    if let Err(error) = crate::decide::plan::select(registered, names) {
        eprintln!("error: {}", error.0);
        return EXIT_USAGE;
    }
    let launch = Launch {
        registered,
        graph,
        names: names.to_vec(),
        overrides: overrides(global),
        jobs,
        root: DataRoot::new(&global.data_dir),
        executor,
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
