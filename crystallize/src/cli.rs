//! The command line of every binary that calls [`crate::main`].
//!
//! Exit codes: 0 ok, 1 some unit failed (or results could not be stored), 2 bad usage.

use std::ffi::OsString;
use std::io::Write;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};
use comfy_table::{Table, presets};

use crate::graph::Graph;
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
    },
    /// List the registered experiments
    List,
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
    let graph = match Graph::build(&registered) {
        Ok(graph) => graph,
        Err(problems) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            return EXIT_USAGE;
        }
    };
    match cli.command {
        Some(Command::List) => list(&registered, cli.global.json),
        Some(Command::Graph { format }) => {
            print!(
                "{}",
                match format {
                    GraphFormat::Text => graph.to_text(),
                    GraphFormat::Dot => graph.to_dot(),
                    GraphFormat::Mermaid => graph.to_mermaid(),
                }
            );
            EXIT_OK
        }
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
        Some(Command::Run { experiments }) => {
            run(&registered, &graph, &experiments, &cli.global, false)
        }
        Some(Command::Plan { experiments }) => {
            run(&registered, &graph, &experiments, &cli.global, true)
        }
        None => run(&registered, &graph, &[], &cli.global, false),
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

fn run(
    registered: &[Registered],
    graph: &Graph,
    names: &[String],
    global: &GlobalArgs,
    dry_run: bool,
) -> i32 {
    let root = DataRoot::new(&global.data_dir);
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
        run::plan_only(&mut plans, graph, &options)
    } else {
        run::execute(&mut plans, graph, &options)
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

/// Formats a byte count: `512 B`, `1.5 KiB`, `3.2 MiB`.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

fn gc(
    registered: &[Registered],
    graph: &Graph,
    names: &[String],
    keep: Option<u32>,
    dry_run: bool,
    global: &GlobalArgs,
) -> i32 {
    use crate::store::lock::{ExperimentLock, LockError};
    use crate::store::retention::{delete, leftover_temp_files, plan_pruning, read_by_consumers};

    let selected = match plan::select(registered, names) {
        Ok(selected) => selected,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return EXIT_USAGE;
        }
    };
    let root = DataRoot::new(&global.data_dir);
    let wait = if global.no_wait {
        WaitPolicy::NoWait
    } else {
        WaitPolicy::Wait
    };
    let verb = if dry_run { "would delete" } else { "deleted" };
    let mut total = 0u64;
    let mut entries = Vec::new();
    for registered in selected {
        let name = registered.name();
        let dir = root.experiment_dir(name);
        if !dir.is_dir() {
            continue;
        }
        let notice = || eprintln!("waiting for another run of `{name}` to finish");
        let lock = if dry_run {
            ExperimentLock::acquire_shared(&dir, wait, notice).map(|_| ())
        } else {
            ExperimentLock::acquire(&dir, wait, notice).map(|_| ())
        };
        match lock {
            Ok(()) => {}
            Err(LockError::Busy) => {
                eprintln!("error: another run of `{name}` holds its lock");
                return EXIT_USAGE;
            }
            Err(LockError::Io(error)) => {
                eprintln!("error: cannot lock {}: {error}", dir.display());
                return EXIT_FAILED;
            }
        }
        let keep = keep.or(registered.registration.options.retention);
        let protected = read_by_consumers(&root, name, graph.consumers_of(name));
        let found = keep
            .map_or(Ok(Vec::new()), |keep| plan_pruning(&dir, keep, &protected))
            .and_then(|pruning| leftover_temp_files(&dir).map(|temp| (pruning, temp)));
        let (pruning, temp) = match found {
            Ok((pruning, temp)) => {
                let pruned: Vec<&std::path::PathBuf> =
                    pruning.iter().flat_map(|prune| &prune.files).collect();
                let temp: Vec<std::path::PathBuf> = temp
                    .into_iter()
                    .filter(|file| !pruned.contains(&file))
                    .collect();
                (pruning, temp)
            }
            Err(error) => {
                eprintln!("error: cannot inspect {}: {error}", dir.display());
                return EXIT_FAILED;
            }
        };
        let mut bytes = 0u64;
        let mut versions = Vec::new();
        for prune in &pruning {
            if !global.json {
                println!(
                    "{name}: {verb} {} files of v{} ({}), keeping its metrics",
                    prune.files.len(),
                    prune.version,
                    human_bytes(prune.bytes)
                );
                if global.verbose > 0 {
                    for file in &prune.files {
                        println!("  {}", file.display());
                    }
                }
            }
            bytes += prune.bytes;
            versions.push(serde_json::json!({
                "version": prune.version,
                "files": prune.files.len(),
                "bytes": prune.bytes,
            }));
        }
        let temp_bytes: u64 = temp
            .iter()
            .filter_map(|file| std::fs::metadata(file).ok())
            .map(|meta| meta.len())
            .sum();
        if !temp.is_empty() && !global.json {
            println!(
                "{name}: {verb} {} temporary files left by killed runs ({})",
                temp.len(),
                human_bytes(temp_bytes)
            );
        }
        bytes += temp_bytes;
        if !dry_run {
            let mut result = delete(&dir, &temp).map(drop);
            for prune in &pruning {
                result = result.and_then(|()| {
                    delete(
                        &crate::store::layout::version_dir(&dir, prune.version),
                        &prune.files,
                    )
                    .map(drop)
                });
            }
            if let Err(error) = result {
                eprintln!("error: cannot delete under {}: {error}", dir.display());
                return EXIT_FAILED;
            }
        }
        total += bytes;
        entries.push(serde_json::json!({
            "name": name,
            "keep": keep,
            "pruned": versions,
            "temporary_files": temp.len(),
            "bytes": bytes,
        }));
    }
    // Temporary files a killed run left in the step cache.
    let cache_dir = root.path().join(crate::cache::CACHE_DIR);
    let cache_temp = leftover_temp_files(&cache_dir).unwrap_or_default();
    if !cache_temp.is_empty() {
        let bytes: u64 = cache_temp
            .iter()
            .filter_map(|file| std::fs::metadata(file).ok())
            .map(|meta| meta.len())
            .sum();
        if !global.json {
            println!(
                "{}: {verb} {} temporary files left by killed runs ({})",
                cache_dir.display(),
                cache_temp.len(),
                human_bytes(bytes)
            );
        }
        if !dry_run && let Err(error) = delete(&cache_dir, &cache_temp) {
            eprintln!(
                "error: cannot delete under {}: {error}",
                cache_dir.display()
            );
            return EXIT_FAILED;
        }
        total += bytes;
    }
    if global.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "dry_run": dry_run,
                "experiments": entries,
                "bytes": total,
            }))
            .unwrap_or_default()
        );
    } else {
        println!(
            "{} {} in total",
            if dry_run {
                "would reclaim"
            } else {
                "reclaimed"
            },
            human_bytes(total)
        );
    }
    EXIT_OK
}
