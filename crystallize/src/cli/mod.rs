//! The command line of every binary that calls [`crate::main`].
//!
//! Exit codes: 0 ok, 1 some unit failed (or results could not be stored), 2 bad usage.

use std::ffi::OsString;
use std::io::{ErrorKind, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use clap::{ArgAction, Args, Parser, Subcommand};

use crate::decide::plan::{self, Overrides};
use crate::define::graph::Graph;
use crate::define::registration::{EMPTY_REGISTRY_HINT, Registered, Strategy};
use crate::define::registry::{self};

pub(crate) mod app;
mod completions;
pub(crate) mod config;
mod csv;
mod explain;
mod export;
mod fast_parse;
mod gc;
mod list;
mod replicates;
mod report;
mod show;
mod slurm;
mod status;
pub(crate) mod user_args;
mod verdicts;
pub(crate) mod version;

use crate::define::resources::ExecutorKind;
use crate::exec::executor::Executor;
use crate::exec::pool::Jobs;
use crate::output::events::Events;
use crate::output::json_lines::JsonLines;
use crate::output::log::LogSink;
use crate::output::progress::ProgressSink;
use crate::run::{self, RunError, RunOptions};
use crate::store::layout::DataRoot;
use crate::store::lock::WaitPolicy;
use gc::gc;
use list::list;
use show::show;
use std::sync::Arc;

mod tui;

/// Exit code: success.
pub(crate) const EXIT_OK: i32 = 0;
/// Exit code: a unit failed, or results could not be stored.
pub(crate) const EXIT_FAILED: i32 = 1;
/// Exit code: bad usage (unknown name, bad flag, invalid definition).
pub(crate) const EXIT_USAGE: i32 = 2;

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
    /// Replicates per condition (overrides `#[experiment(replicates = ..)]`); `EXPERIMENT=N`
    /// (repeatable) sets one experiment's, which wins over a bare N
    #[arg(long, global = true, value_name = "[EXPERIMENT=]N", value_parser = replicates::parse)]
    replicates: Vec<replicates::Replicates>,
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
    /// Skip the durable sync that ends a run that wrote (one `syncfs` of the data directory's
    /// file system, which also waits for what other programs left unwritten on it). A power loss
    /// soon after may then lose the run's last results; a resume finds what it left torn and runs
    /// it again, never trusting it
    #[arg(
        long,
        global = true,
        env = "CRYSTALLIZE_NO_SYNC",
        action = ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    no_sync: bool,
    /// Where units run: threads of this process, a child process of this binary per unit, or
    /// Slurm array tasks (default: the experiment's `executor = ..`, else `[executor] kind` of
    /// crystallize.toml, else threads)
    #[arg(long, global = true, value_enum)]
    executor: Option<ExecutorArg>,
    /// Executor defaults: this file instead of `crystallize.toml` in the working directory
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Write every run event (unit started and finished, steps, artifacts, ...) as JSON lines to
    /// FILE, or to stdout with `-`
    #[arg(long, global = true, value_name = "FILE")]
    events: Option<PathBuf>,
    /// Make the toolchain and build settings (rustc, target, opt-level, target features) part
    /// of every key, as `#[experiment(strict_env)]` does
    #[arg(long, global = true)]
    strict_env: bool,
    /// Log every decision, and every load from a previous run, to stderr
    #[arg(short, long, global = true, action = ArgAction::Count)]
    verbose: u8,
    /// Show no progress bars and no elapsed time
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Colour on stderr: `auto` (when stderr is a terminal and NO_COLOR is unset), `always` or
    /// `never`
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    color: crate::output::color::ColorChoice,
    /// The flags of `--executor slurm`.
    #[command(flatten)]
    slurm: slurm::SlurmArgs,
    /// The plugins the binary added (not a flag).
    #[arg(skip)]
    plugins: app::Plugins,
    /// What `--config` or `crystallize.toml` says (not a flag).
    #[arg(skip)]
    settings: config::Config,
    /// The command line's arguments after the binary (not a flag).
    #[arg(skip)]
    invocation: Vec<OsString>,
    /// Experiments a detached Slurm run submitted: they load what their tasks finished (as
    /// `--strategy resume`), and the run stops when some of their units did not finish. The job
    /// that continues a detached run with its next waves passes it.
    #[arg(long, global = true, hide = true, value_name = "EXPERIMENT")]
    collect: Vec<String>,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum GraphFormat {
    Text,
    Dot,
    Mermaid,
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
        /// Show a unified diff of every item whose code changed since the run compared with
        #[arg(long)]
        diff: bool,
        /// Show one unit in full: its decision, every reason with old -> new values, the version
        /// it loads from, its key, the upstream replicate it reads (`quickstart/baseline/3`)
        #[arg(long, value_name = "EXPERIMENT/CONDITION/REPLICATE")]
        explain: Option<String>,
    },
    /// List the registered experiments
    List,
    /// Show one experiment: its pipeline with code hashes, conditions, outputs, inputs, and its
    /// latest run
    Show {
        /// Experiment name
        #[arg(value_name = "EXPERIMENT")]
        experiment: String,
        /// Also show a unified diff of every item whose code changed since the latest run
        #[arg(long)]
        diff: bool,
    },
    /// The run screen: experiments, conditions and steps with a lock on what loads; `l`
    /// toggles caching, `x` a treatment, `r` runs (takes the same flags as `run`)
    Tui {
        /// Experiment names
        #[arg(value_name = "EXPERIMENT")]
        experiments: Vec<String>,
    },
    /// Print the experiment graph: run order and artifact edges
    Graph {
        /// Output format
        #[arg(long, value_enum, default_value = "text")]
        format: GraphFormat,
    },
    /// Prune versions beyond the newest N to their metrics, and delete temporary files left by
    /// killed runs
    Gc {
        /// Experiment names (all when none is named)
        #[arg(value_name = "EXPERIMENT")]
        experiments: Vec<String>,
        /// Versions to keep whole (default: the experiment's `retention`; without one, only
        /// temporary files are deleted)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        keep: Option<u32>,
        /// Print what would be deleted and the bytes reclaimed, without deleting anything
        #[arg(long)]
        dry_run: bool,
    },
    /// Slurm runs no coordinator finished with (detached or stopped): their jobs, tasks queued,
    /// running, done and failed, and units done and pending
    Status {
        /// Experiment names (all when none is named)
        experiments: Vec<String>,
    },
    /// Print the metrics of a stored run: one row per condition x replicate x metric, columns
    /// version, condition, replicate, metric, value, condition_key
    Export {
        /// Experiment name
        #[arg(value_name = "EXPERIMENT")]
        experiment: String,
        /// The version (default: the newest readable one)
        #[arg(long, value_name = "N")]
        version: Option<u32>,
        /// Output format
        #[arg(long, value_enum, default_value = "csv")]
        format: export::Format,
        /// Export the verdicts of the run's hypotheses instead: one row per hypothesis x
        /// treatment
        #[arg(long)]
        hypotheses: bool,
    },
    /// Write the HTML report of a stored run: plots of each metric's replicates, effects with
    /// their intervals, the hypothesis table and the provenance, in one self-contained page
    Report {
        /// Experiment name
        #[arg(value_name = "EXPERIMENT")]
        experiment: String,
        /// The version (default: the newest readable one)
        #[arg(long, value_name = "N")]
        version: Option<u32>,
        /// Where to write the page
        #[arg(short, long, value_name = "FILE", default_value = "report.html")]
        output: PathBuf,
    },
    /// Print the completion script of this binary for a shell
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Runs one unit of a planned version and prints its record (what `--executor process`
    /// starts; the parent run commits the result)
    #[command(name = "__unit", hide = true)]
    Unit {
        /// Experiment name
        experiment: String,
        /// The version the parent run writes
        #[arg(long)]
        version: u32,
        /// Where the parent run writes it
        #[arg(long)]
        work_dir: PathBuf,
        /// An upstream version the run reads: `producer=version:conditions:directory`
        #[arg(long = "read")]
        reads: Vec<String>,
        /// The condition
        condition: String,
        /// The replicate
        replicate: u32,
    },
    /// Runs one array task's chunk of units of a Slurm run (what `--executor slurm` submits)
    #[command(name = "__units", hide = true)]
    Units {
        /// The run's manifest
        #[arg(long)]
        manifest: PathBuf,
        /// The task
        #[arg(long)]
        task: usize,
    },
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum ExecutorArg {
    /// Threads of this process
    Threads,
    /// A child process of this binary per unit
    Process,
    /// Slurm array tasks, each a chunk of units in processes of this binary
    Slurm,
}

/// Parses `args` (program name first), runs the command and returns the exit code.
pub fn run_cli<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_app(app::App::new(), args)
}

/// [`run_cli`] with what a binary added to the command line (plugins, its own arguments).
pub fn run_app<I, T>(app: app::App, args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // The common command line needs no copy of the global options in every subcommand.
    let fast = if app.adds_args() {
        None
    } else {
        fast_parse::parse(&args)
    };
    let parsed = match fast {
        Some(cli) => Ok((cli, app.into_plugins(), None)),
        None => app
            .parse::<Cli>(args.clone())
            .map(|(cli, plugins, command)| (cli, plugins, Some(command))),
    };
    let (mut cli, command) = match parsed {
        Ok((mut cli, plugins, command)) => {
            cli.global.plugins = plugins;
            cli.global.invocation = args.into_iter().skip(1).collect();
            (cli, command)
        }
        Err(app::ParseError::Usage(message)) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
        Err(app::ParseError::Clap(error)) => {
            let _ = error.print();
            return if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
        }
    };
    crate::output::color::set_stderr(cli.global.color);
    if let Some(Command::Completions { shell }) = cli.command {
        // The fast parse leaves completions to the full one, which gives its definition.
        let mut command = command.unwrap_or_else(<Cli as clap::CommandFactory>::command);
        return completions::completions(shell, &mut command);
    }
    // Only completions need the command line's definition: its memory serves the run instead.
    drop(command);
    if !matches!(cli.command, Some(Command::Unit { .. })) {
        match config::load(cli.global.config.as_deref()) {
            Ok(settings) => cli.global.settings = settings,
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
        }
    }
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
    let names: Vec<&str> = registered.iter().map(Registered::name).collect();
    if let Err(message) = config::check_experiments(&cli.global.settings, &names) {
        eprintln!("error: {message}");
        return EXIT_USAGE;
    }
    let graph = match Graph::build(&registered) {
        Ok(graph) => graph,
        Err(problems) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            return EXIT_USAGE;
        }
    };
    let touches_data = !matches!(
        cli.command,
        Some(Command::List) | Some(Command::Graph { .. })
    );
    if touches_data && let Err(problem) = check_data_dir(&cli.global.data_dir) {
        eprintln!("error: {problem}");
        return EXIT_USAGE;
    }
    match cli.command {
        Some(Command::List) => list(&registered, cli.global.json),
        Some(Command::Show { experiment, diff }) => show(
            &registered,
            &graph,
            &experiment,
            &DataRoot::new(&cli.global.data_dir),
            cli.global.json,
            diff,
        ),
        Some(Command::Graph { format }) => print_stdout(&match format {
            GraphFormat::Text => graph.to_text(),
            GraphFormat::Dot => graph.to_dot(),
            GraphFormat::Mermaid => graph.to_mermaid(),
        }),
        Some(Command::Gc {
            experiments,
            keep,
            dry_run,
        }) => gc(
            &registered,
            &graph,
            &experiments,
            keep,
            dry_run,
            &cli.global,
        ),
        Some(Command::Export {
            experiment,
            version,
            format,
            hypotheses,
        }) => export::export(
            &registered,
            &DataRoot::new(&cli.global.data_dir),
            &experiment,
            version,
            format,
            hypotheses,
        ),
        Some(Command::Report {
            experiment,
            version,
            output,
        }) => report::report(
            &registered,
            &DataRoot::new(&cli.global.data_dir),
            &experiment,
            version,
            &output,
        ),
        // Answered before the registry is collected.
        Some(Command::Completions { .. }) => EXIT_OK,
        Some(Command::Unit {
            experiment,
            version,
            work_dir,
            reads,
            condition,
            replicate,
        }) => {
            let args = crate::exec::child::UnitArgs {
                experiment,
                version,
                work_dir,
                replicates: replicates::for_all(&cli.global.replicates).unwrap_or(1),
                seed: cli
                    .global
                    .seed
                    .unwrap_or(crate::key::seed::DEFAULT_MASTER_SEED),
                strict_env: cli.global.strict_env,
                no_cache: cli.global.no_cache.clone(),
                reads,
                condition,
                replicate,
                data_dir: cli.global.data_dir.clone(),
            };
            match crate::exec::child::serve(&registered, &args) {
                Ok(()) => EXIT_OK,
                Err(message) => {
                    eprintln!("error: {message}");
                    EXIT_USAGE
                }
            }
        }
        Some(Command::Units { manifest, task }) => slurm::units(&manifest, task),
        Some(Command::Status { experiments }) => {
            status::status(&registered, &experiments, &cli.global)
        }
        Some(Command::Tui { experiments }) => {
            tui::tui(&registered, &graph, &experiments, &cli.global)
        }
        Some(Command::Run { experiments }) => {
            run(&registered, &graph, &experiments, &cli.global, Mode::Run)
        }
        Some(Command::Plan {
            experiments,
            diff,
            explain,
        }) => run(
            &registered,
            &graph,
            &experiments,
            &cli.global,
            Mode::Plan { diff, explain },
        ),
        None => run(&registered, &graph, &[], &cli.global, Mode::Run),
    }
}

/// The consumers of a run's events: the progress bar, the log, `--events`, and the binary's
/// plugins.
fn events(global: &GlobalArgs) -> Result<Events, String> {
    crate::output::log::init(global.verbose);
    let mut events = Events::new()
        .with(ProgressSink::new(!global.quiet))
        .with(LogSink);
    if let Some(path) = &global.events {
        let out: Box<dyn std::io::Write + Send> = if path.as_os_str() == "-" {
            if global.json {
                return Err(
                    "`--events -` and `--json` both write to stdout; give --events a file"
                        .to_string(),
                );
            }
            Box::new(std::io::stdout())
        } else {
            let file = std::fs::File::create(path)
                .map_err(|error| format!("cannot write events to {}: {error}", path.display()))?;
            Box::new(std::io::LineWriter::new(file))
        };
        events = events.with(JsonLines::new(out));
    }
    for plugin in global.plugins.take() {
        events = events.with_boxed(plugin);
    }
    Ok(events)
}

/// Worker threads: `--jobs` (at most [`crate::exec::pool::max_jobs`], with a note on stderr
/// when `note` is set and it asked for more), or one per core.
fn jobs(global: &GlobalArgs, note: bool) -> Jobs {
    let Some(jobs) = global.jobs.map(NonZeroUsize::get) else {
        return Jobs::PerCore;
    };
    let most = crate::exec::pool::max_jobs();
    if jobs > most && note {
        eprintln!(
            "note: --jobs {jobs} is more than this machine can use (16 per core); running {most} worker threads"
        );
    }
    Jobs::Exactly(jobs.min(most))
}

/// Where the units of `experiments` run: `--executor`, else each experiment's choice in
/// `crystallize.toml` or its attribute, else the file's `[executor] kind`, else threads (see
/// [`config::resolve`]). Experiments of one run may use threads, processes and Slurm side by
/// side: the units of a wave's experiments on Slurm are submitted while the others run here.
fn executor<'a>(
    global: &GlobalArgs,
    experiments: impl IntoIterator<Item = &'a Registered>,
) -> Result<Executor, String> {
    let slurm = &global.slurm;
    let flags = config::Flags {
        executor: global.executor.map(|executor| match executor {
            ExecutorArg::Threads => ExecutorKind::Threads,
            ExecutorArg::Process => ExecutorKind::Process,
            ExecutorArg::Slurm => ExecutorKind::Slurm,
        }),
        partition: slurm.partition.clone(),
        account: None,
        units_per_task: slurm.units_per_task,
        sbatch_args: slurm.slurm_args.clone(),
        cpus: slurm.cpus,
        mem: slurm.mem.clone(),
        time: slurm.time.clone(),
        gpus: slurm.gpus,
    };
    let experiments: Vec<&Registered> = experiments.into_iter().collect();
    let resolved = config::resolve(
        &global.settings,
        experiments
            .iter()
            .map(|r| (r.name(), &r.registration.options)),
        &flags,
    );
    let this_binary = |what: &str| {
        std::env::current_exe()
            .map_err(|error| format!("--executor {what}: cannot find this binary: {error}"))
    };
    let mut by_name = std::collections::BTreeMap::new();
    let mut on_slurm: Vec<(&str, crate::exec::slurm::SlurmSettings)> = Vec::new();
    for (name, settings) in &resolved.experiments {
        let executor = match settings.executor {
            ExecutorKind::Threads => Executor::Threads,
            ExecutorKind::Process => Executor::Processes {
                exe: this_binary("process")?,
                data_dir: global.data_dir.clone(),
                forward: user_args::forwarded(),
            },
            ExecutorKind::Slurm => {
                on_slurm.push((
                    name,
                    slurm_settings(global, settings, this_binary("slurm")?),
                ));
                continue;
            }
        };
        by_name.insert(name.to_string(), executor);
    }
    if let Some((_, first)) = on_slurm.first() {
        // Experiments with settings of their own are submitted as arrays of their own.
        let mut settings = first.clone();
        for (name, theirs) in &on_slurm[1..] {
            if theirs != first {
                settings
                    .per_experiment
                    .insert(name.to_string(), theirs.clone());
            }
        }
        let settings = Box::new(settings);
        if by_name.is_empty() {
            return Ok(Executor::Slurm(settings));
        }
        // The others run here while the cluster runs these.
        for (name, _) in &on_slurm {
            by_name.insert(name.to_string(), Executor::Slurm(settings.clone()));
        }
        return Ok(Executor::PerExperiment {
            by_name,
            default: Box::new(Executor::Threads),
        });
    }
    let mut executors = by_name.values();
    let first = executors.next().cloned().unwrap_or(Executor::Threads);
    Ok(
        if executors.all(|executor| same_executor(executor, &first)) {
            first
        } else {
            Executor::PerExperiment {
                by_name,
                default: Box::new(Executor::Threads),
            }
        },
    )
}

/// The Slurm executor's settings for an experiment resolved to run on it: the resolved
/// partition, units per task, resources and sbatch arguments (an account as `--account`), and
/// the run-wide `--retries` and `--cancel-on-exit`.
fn slurm_settings(
    global: &GlobalArgs,
    resolved: &config::Resolved,
    exe: PathBuf,
) -> crate::exec::slurm::SlurmSettings {
    let mut settings = global
        .slurm
        .settings(exe, global.data_dir.clone(), user_args::forwarded());
    settings.partition = resolved.partition.clone();
    settings.units_per_task = resolved.units_per_task;
    settings.sbatch_args = resolved
        .account
        .iter()
        .map(|account| format!("--account={account}"))
        .chain(resolved.sbatch_args.iter().cloned())
        .collect();
    settings.continuation = slurm::continuation(&global.invocation);
    settings.resources = crate::exec::slurm::Resources {
        cpus: resolved.cpus,
        mem: resolved.mem.clone(),
        time: resolved.time.clone(),
        gpus: resolved.gpus,
    };
    settings
}

/// Whether two executors run units the same way.
fn same_executor(a: &Executor, b: &Executor) -> bool {
    matches!(
        (a, b),
        (Executor::Threads, Executor::Threads)
            | (Executor::Processes { .. }, Executor::Processes { .. })
    )
}

fn overrides(global: &GlobalArgs) -> Overrides {
    Overrides {
        replicates: replicates::for_all(&global.replicates),
        replicates_of: replicates::per_experiment(&global.replicates),
        seed: global.seed,
        treatments: global.treatments.clone(),
        strategy: global.strategy.map(StrategyArg::into_strategy),
        no_cache: global.no_cache.clone(),
        strict_env: global.strict_env,
        // What a detached run submitted is loaded, whatever the strategy.
        experiment_strategy: global
            .collect
            .iter()
            .map(|name| (name.clone(), Strategy::Resume))
            .collect(),
        ..Overrides::default()
    }
}

/// For the job continuing a detached Slurm run (`--collect`): whether every unit of the
/// experiments its earlier waves submitted finished, so that the next waves may run; else why
/// not (the run stops there, and a resume by hand submits those units again).
fn collected_everything(
    registered: &[Registered],
    graph: &Graph,
    names: &[String],
    global: &GlobalArgs,
    options: &RunOptions,
) -> Result<(), String> {
    let selected = plan::select(registered, names).map_err(|error| error.0)?;
    let selected: Vec<&str> = selected.iter().map(|r| r.name()).collect();
    let needed = graph.with_ancestors(&selected);
    let needed: Vec<&Registered> = registered
        .iter()
        .filter(|r| needed.contains(r.name()))
        .collect();
    let mut plans = plan::plan(&needed, &overrides(global)).map_err(|error| error.0)?;
    let quiet = RunOptions {
        jobs: options.jobs,
        root: DataRoot::new(&global.data_dir),
        executor: Executor::Threads,
        events: Arc::default(),
        no_cache: options.no_cache.clone(),
        diff: false,
        wait: options.wait,
        cancel: Arc::default(),
        sync: options.sync,
    };
    let report = match run::plan_only(&mut plans, graph, &quiet) {
        Ok(report) => report,
        Err(RunError::Busy(message) | RunError::Unsafe(message) | RunError::Io(message))
        | Err(RunError::Cancelled(message) | RunError::Detached(message)) => return Err(message),
    };
    let unfinished: Vec<String> = report
        .experiments
        .iter()
        .filter(|entry| global.collect.contains(&entry.name))
        .filter_map(|entry| {
            let units: u32 = entry.conditions.values().map(|c| c.units_run).sum();
            (units > 0).then(|| format!("{} ({units} unit(s))", entry.name))
        })
        .collect();
    if unfinished.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the detached run stops here: units of {} did not finish on the cluster (failed, \
             cancelled or lost; see their task logs in the run directory under {}); `run \
             --strategy resume` submits them again and goes on",
            unfinished.join(", "),
            global
                .data_dir
                .join(crate::exec::slurm::SLURM_DIR)
                .display()
        ))
    }
}

/// What `run` does: run, or only plan (with diffs or not, explaining one unit or not).
#[derive(Clone)]
enum Mode {
    Run,
    Plan { diff: bool, explain: Option<String> },
}

fn run(
    registered: &[Registered],
    graph: &Graph,
    names: &[String],
    global: &GlobalArgs,
    mode: Mode,
) -> i32 {
    let dry_run = matches!(mode, Mode::Plan { .. });
    let started = std::time::Instant::now();
    let explain_text = match &mode {
        Mode::Plan { explain, .. } => explain.clone(),
        Mode::Run => None,
    };
    // `--explain UNIT` with no experiment named plans the unit's experiment.
    let unit_experiment: Vec<String> = explain_text
        .as_deref()
        .filter(|_| names.is_empty())
        .and_then(explain::experiment_of)
        .into_iter()
        .collect();
    let names = if unit_experiment.is_empty() {
        names
    } else {
        &unit_experiment[..]
    };
    let root = DataRoot::new(&global.data_dir);
    if !dry_run {
        // What the tasks of detached Slurm runs finished is journaled before anything is planned.
        let (_, warnings) = crate::exec::slurm::collect_detached(&global.data_dir);
        for warning in warnings {
            eprintln!("warning: --detach: {warning}");
        }
    }
    if let Err(message) = replicates::check_names(registered, &global.replicates) {
        eprintln!("error: {message}");
        return EXIT_USAGE;
    }
    let mut plans = match plan::select(registered, names)
        .map(|selected| {
            // An experiment runs after everything it reads.
            let names: Vec<&str> = selected.iter().map(|r| r.name()).collect();
            let needed = graph.with_ancestors(&names);
            registered
                .iter()
                .filter(|r| needed.contains(r.name()))
                .collect::<Vec<_>>()
        })
        .and_then(|selected| plan::plan(&selected, &overrides(global)))
    {
        Ok(plans) => plans,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return EXIT_USAGE;
        }
    };
    if let Err(error) = plan::check_memory(&plans) {
        eprintln!("error: {}", error.0);
        return EXIT_USAGE;
    }
    let explain = match explain_text
        .as_deref()
        .map(|text| explain::resolve(text, &plans))
    {
        None => None,
        Some(Ok(unit)) => Some(unit),
        Some(Err(message)) => {
            eprintln!("error: --explain {message}");
            return EXIT_USAGE;
        }
    };
    // A plan runs no unit: it needs no executor, unless it shows the Slurm script.
    let chosen = if dry_run && !global.slurm.show_script {
        Ok(Executor::Threads)
    } else {
        executor(global, plans.iter().map(|plan| plan.registered))
    };
    let executor = match chosen {
        Ok(executor) => executor,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    if global.slurm.detach {
        if dry_run || executor.slurm().is_none() {
            eprintln!("error: --detach goes with `run --executor slurm`");
            return EXIT_USAGE;
        }
        // Nothing would run the others once the coordinator exits.
        let local: Vec<&str> = plans
            .iter()
            .map(|plan| &*plan.name)
            .filter(|name| !executor.on_slurm(name))
            .collect();
        if !local.is_empty() {
            eprintln!(
                "error: --detach submits every unit to Slurm, but {} run(s) here: give \
                 --executor slurm, or run them separately",
                local.join(", ")
            );
            return EXIT_USAGE;
        }
    }
    if global.slurm.show_script && !(dry_run && executor.slurm().is_some()) {
        eprintln!("error: --show-script goes with `plan --executor slurm`");
        return EXIT_USAGE;
    }
    let options = RunOptions {
        jobs: jobs(global, true),
        root,
        executor,
        events: match events(global) {
            Ok(events) => Arc::new(events),
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
        },
        no_cache: global.no_cache.clone(),
        diff: matches!(mode, Mode::Plan { diff: true, .. }),
        wait: if global.no_wait {
            WaitPolicy::NoWait
        } else {
            WaitPolicy::Wait
        },
        cancel: Arc::default(),
        sync: !global.no_sync,
    };
    if !dry_run
        && !global.collect.is_empty()
        && let Err(message) = collected_everything(registered, graph, names, global, &options)
    {
        eprintln!("error: {message}");
        return EXIT_FAILED;
    }
    let outcome = if dry_run {
        match &explain {
            Some(unit) => run::plan_explaining(&mut plans, graph, &options, Some(unit)),
            None => run::plan_only(&mut plans, graph, &options),
        }
    } else {
        run::execute(&mut plans, graph, &options)
    };
    let mut report = match outcome {
        Ok(report) => report,
        Err(RunError::Busy(message) | RunError::Unsafe(message)) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
        Err(RunError::Detached(note)) => {
            println!("{note}");
            return EXIT_OK;
        }
        Err(RunError::Io(message) | RunError::Cancelled(message)) => {
            eprintln!("error: {message}");
            return EXIT_FAILED;
        }
    };
    app::warn_plugin_failures(&mut report, &options.events.failures());
    let events_on_stdout = global
        .events
        .as_ref()
        .is_some_and(|path| path.as_os_str() == "-");
    let text = if global.json {
        serde_json::to_string_pretty(&report).map(|text| text + "\n")
    } else if events_on_stdout {
        // Stdout carries the events, one JSON line each; the tables would break the stream.
        Ok(String::new())
    } else if dry_run && explain_text.is_some() {
        Ok(crate::output::explain::render_explain(&report))
    } else if dry_run {
        Ok(crate::output::summary::render_plan(&report))
    } else {
        Ok(crate::output::summary::render(&report))
    };
    let text = match (
        options.executor.slurm(),
        dry_run && global.slurm.show_script,
    ) {
        (Some(settings), true) => text.map(|text| {
            // Per experiment on Slurm, the units a run would submit.
            let experiments: Vec<(&str, usize)> = report
                .experiments
                .iter()
                .filter(|entry| options.executor.on_slurm(&entry.name))
                .map(|entry| {
                    let units = entry.conditions.values();
                    (
                        entry.name.as_str(),
                        units.map(|condition| condition.units_run as usize).sum(),
                    )
                })
                .collect();
            text + &crate::exec::slurm::show_scripts(settings, &experiments)
        }),
        _ => text,
    };
    match text {
        Ok(text) => {
            // The results are stored whether or not the report can be printed.
            print_stdout(&text);
        }
        Err(error) => eprintln!("error: cannot print the report: {error}"),
    }
    if !dry_run && !global.quiet {
        let units_run = report
            .experiments
            .iter()
            .flat_map(|entry| entry.conditions.values())
            .map(|condition| u64::from(condition.units_run))
            .sum();
        crate::output::progress::print_elapsed(started.elapsed(), units_run);
    }
    let failed = report.failed_units();
    // The process ends with this command: freeing the report and the plans (thousands of small
    // allocations, no file or lock among them) would only delay its exit.
    std::mem::forget(report);
    std::mem::forget(plans);
    if failed > 0 {
        eprintln!("{failed} unit(s) failed; their conditions have no completion marker");
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// Writes `text` to stdout and flushes it. A closed stdout (its reader is gone, as in
/// `.. | head`) is not an error: the command stops printing and exits as if it had printed.
/// Returns the exit code: [`EXIT_OK`], or [`EXIT_FAILED`] when stdout failed otherwise (the
/// error is reported on stderr).
pub(crate) fn print_stdout(text: &str) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        Err(error) if error.kind() == ErrorKind::BrokenPipe => EXIT_OK,
        Err(error) => {
            eprintln!("error: cannot print to stdout: {error}");
            EXIT_FAILED
        }
    }
}

/// The data root must be a directory, or not exist yet (a run creates it).
fn check_data_dir(dir: &Path) -> Result<(), String> {
    let problem = match (std::fs::symlink_metadata(dir), std::fs::metadata(dir)) {
        (Err(error), _) if error.kind() == ErrorKind::NotFound => return Ok(()),
        (_, Ok(target)) if target.is_dir() => return Ok(()),
        (Ok(link), Ok(_)) if link.file_type().is_symlink() => {
            "is a symbolic link to something that is not a directory"
        }
        (Ok(link), Err(_)) if link.file_type().is_symlink() => {
            "is a symbolic link to nothing (a dangling link)"
        }
        (_, Ok(_)) => "exists and is not a directory",
        (Err(_), _) | (_, Err(_)) => "cannot be inspected",
    };
    Err(format!(
        "the data directory {} {problem}; point --data-dir (or CRYSTALLIZE_DATA_DIR) at a directory, or at a path that does not exist yet",
        dir.display()
    ))
}
