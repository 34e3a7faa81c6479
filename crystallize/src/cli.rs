//! The command line of every binary that calls [`crate::main`].
//!
//! Exit codes: 0 ok, 1 some unit failed (or results could not be stored), 2 bad usage.

use std::ffi::OsString;
use std::io::Write;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};
use comfy_table::{Table, presets};

use crate::plan::{self, Overrides};
use crate::registry::{self, EMPTY_REGISTRY_HINT, Registered, Strategy};
use crate::run::{self, RunError, RunOptions};
use crate::store::layout::DataRoot;
use crate::store::lock::WaitPolicy;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: a unit failed, or results could not be stored.
pub const EXIT_FAILED: i32 = 1;
/// Exit code: bad usage (unknown name, bad flag, invalid definition).
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    about = "Run the experiments registered in this binary (all of them when no command is given)",
    version,
    args_conflicts_with_subcommands = false
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    global: GlobalArgs,
}

#[derive(Args, Debug)]
struct GlobalArgs {
    /// Replicates per condition (overrides `#[experiment(replicates = ..)]`)
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    replicates: Option<u32>,
    /// Run the baseline plus this treatment (repeatable); experiments that do not define it run
    /// their baseline only
    #[arg(long = "treatment", global = true, value_name = "NAME")]
    treatments: Vec<String>,
    /// Worker threads (default: one per core)
    #[arg(long, short = 'j', global = true, value_name = "N")]
    jobs: Option<NonZeroUsize>,
    /// Master seed (overrides `#[experiment(seed = ..)]`)
    #[arg(long, global = true, value_name = "N")]
    seed: Option<u64>,
    /// Root of the data directory
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "CRYSTALLIZE_DATA_DIR",
        default_value = "data"
    )]
    data_dir: PathBuf,
    /// Print one machine-readable JSON report on stdout instead of tables
    #[arg(long, global = true)]
    json: bool,
    /// `rerun` executes every unit; `resume` loads what did not change (overrides
    /// `#[experiment(strategy = ..)]`)
    #[arg(long, global = true, value_enum, value_name = "STRATEGY")]
    strategy: Option<StrategyArg>,
    /// Bypass the step cache of this step for the run (repeatable)
    #[arg(long = "no-cache", global = true, value_name = "STEP")]
    no_cache: Vec<String>,
    /// Fail (exit 2) instead of waiting when another run holds an experiment's lock
    #[arg(long, global = true)]
    no_wait: bool,
    /// Log every decision, and every load from a previous run, to stderr
    #[arg(short, long, global = true, action = ArgAction::Count)]
    verbose: u8,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum StrategyArg {
    Rerun,
    Resume,
}

impl StrategyArg {
    fn into_strategy(self) -> Strategy {
        match self {
            StrategyArg::Rerun => Strategy::Rerun,
            StrategyArg::Resume => Strategy::Resume,
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run experiments: the named ones, or all when none is named (the default command)
    Run {
        /// Experiment names
        #[arg(value_name = "EXPERIMENT")]
        experiments: Vec<String>,
    },
    /// Show, without running anything, what `run` would execute or load and why
    Plan {
        /// Experiment names
        #[arg(value_name = "EXPERIMENT")]
        experiments: Vec<String>,
    },
    /// List the registered experiments
    List,
}

/// Parses `args` (program name first), runs the command and returns the exit code.
pub fn run_cli<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
        }
    };
    let registered = match registry::collect() {
        Ok(registered) => registered,
        Err(problems) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            return EXIT_USAGE;
        }
    };
    if registered.is_empty() {
        eprintln!("{EMPTY_REGISTRY_HINT}");
        return match cli.command {
            Some(Command::List) => EXIT_OK,
            _ => EXIT_USAGE,
        };
    }
    match cli.command {
        Some(Command::List) => list(&registered, cli.global.json),
        Some(Command::Run { experiments }) => run(&registered, &experiments, &cli.global, false),
        Some(Command::Plan { experiments }) => run(&registered, &experiments, &cli.global, true),
        None => run(&registered, &[], &cli.global, false),
    }
}

fn overrides(global: &GlobalArgs) -> Overrides {
    Overrides {
        replicates: global.replicates,
        seed: global.seed,
        treatments: global.treatments.clone(),
        strategy: global.strategy.map(StrategyArg::into_strategy),
        no_cache: global.no_cache.clone(),
    }
}

fn run(registered: &[Registered], names: &[String], global: &GlobalArgs, dry_run: bool) -> i32 {
    let root = DataRoot::new(&global.data_dir);
    let plans = match plan::select(registered, names)
        .and_then(|selected| plan::plan(&selected, &overrides(global)))
    {
        Ok(plans) => plans,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return EXIT_USAGE;
        }
    };
    let options = RunOptions {
        jobs: global
            .jobs
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, NonZeroUsize::get),
        root,
        verbose: global.verbose > 0,
        progress: true,
        no_cache: global.no_cache.clone(),
        wait: if global.no_wait {
            WaitPolicy::NoWait
        } else {
            WaitPolicy::Wait
        },
    };
    let outcome = if dry_run {
        run::plan_only(&plans, &options)
    } else {
        run::execute(&plans, &options)
    };
    let report = match outcome {
        Ok(report) => report,
        Err(RunError::Busy(message)) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
        Err(RunError::Io(message)) => {
            eprintln!("error: {message}");
            return EXIT_FAILED;
        }
    };
    let mut stdout = std::io::stdout().lock();
    let printed = if global.json {
        serde_json::to_string_pretty(&report)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(stdout, "{text}"))
    } else if dry_run {
        write!(stdout, "{}", crate::summary::render_plan(&report))
    } else {
        write!(stdout, "{}", crate::summary::render(&report))
    };
    if let Err(error) = printed.and_then(|()| stdout.flush())
        && error.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot print the report: {error}");
    }
    let failed = report.failed_units();
    if failed > 0 {
        eprintln!("{failed} unit(s) failed; their conditions have no completion marker");
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn list(registered: &[Registered], json: bool) -> i32 {
    if json {
        let entries: Vec<serde_json::Value> = registered
            .iter()
            .map(|r| {
                let options = &r.registration.options;
                serde_json::json!({
                    "name": r.name(),
                    "replicates": options.replicates,
                    "strategy": options.strategy.as_str(),
                    "versioned": options.versioned,
                    "description": options.description,
                    "stages": r.experiment.stages().iter().map(|s| &*s.name).collect::<Vec<_>>(),
                    "conditions": r.experiment.conditions().into_iter().map(|c| c.name).collect::<Vec<_>>(),
                    "outputs": r.experiment.outputs(),
                    "defined_at": r.registration.location(),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "experiments": entries }))
                .unwrap_or_default()
        );
        return EXIT_OK;
    }
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "experiment",
        "replicates",
        "conditions",
        "pipeline",
        "description",
    ]);
    for r in registered {
        let options = &r.registration.options;
        table.add_row(vec![
            r.name().to_string(),
            options.replicates.to_string(),
            r.experiment
                .conditions()
                .into_iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
                .join(", "),
            r.experiment
                .stages()
                .iter()
                .map(|s| s.name.to_string())
                .collect::<Vec<_>>()
                .join(" -> "),
            options.description.unwrap_or("").to_string(),
        ]);
    }
    println!("{table}");
    EXIT_OK
}
