//! `status [EXPERIMENT..]`: the Slurm runs no coordinator finished with (detached, or whose
//! coordinator was stopped or killed): per run directory, its jobs, its tasks queued, running,
//! done and failed, and its units done, failed and pending; with `--json`, one
//! object per run directory. It first journals what detached tasks finished, as every run
//! does.

use crate::define::registration::Registered;

/// Prints the status of the open Slurm runs of `experiments` (all when none is named); the
/// exit code.
pub(crate) fn status(
    registered: &[Registered],
    experiments: &[String],
    global: &super::GlobalArgs,
) -> i32 {
    if let Some(unknown) = experiments
        .iter()
        .find(|name| !registered.iter().any(|r| r.name() == name.as_str()))
    {
        eprintln!("error: no experiment named `{unknown}`");
        return super::EXIT_USAGE;
    }
    // The runs as they are, before the collection marks those that ended as finished.
    let runs: Vec<_> = crate::exec::slurm::open_statuses(&global.data_dir)
        .into_iter()
        .filter(|run| {
            experiments.is_empty() || run.experiments.iter().any(|e| experiments.contains(e))
        })
        .collect();
    let (journaled, warnings) = crate::exec::slurm::collect_detached(&global.data_dir);
    for warning in warnings {
        eprintln!("warning: --detach: {warning}");
    }
    if global.json {
        if journaled > 0 {
            eprintln!("collected {journaled} unit result(s) of detached runs");
        }
        let objects: Vec<serde_json::Value> = runs.iter().map(to_json).collect();
        return match serde_json::to_string_pretty(&objects) {
            Ok(text) => {
                println!("{text}");
                super::EXIT_OK
            }
            Err(error) => {
                eprintln!("error: cannot write the status as JSON: {error}");
                super::EXIT_FAILED
            }
        };
    }
    if journaled > 0 {
        println!("collected {journaled} unit result(s) of detached runs");
    }
    if runs.is_empty() {
        println!("no Slurm run in progress");
        return super::EXIT_OK;
    }
    for run in runs {
        println!(
            "{} ({}): {}",
            run.dir.display(),
            if run.detached {
                "detached"
            } else {
                "no coordinator"
            },
            run.experiments.join(", ")
        );
        println!("  jobs: {}", run.jobs.join(", "));
        println!(
            "  tasks: {} queued, {} running, {} done, {} failed",
            run.queued, run.running, run.done, run.failed
        );
        println!(
            "  units: {} done, {} failed, {} pending",
            run.units_done - run.units_failed,
            run.units_failed,
            run.units_pending
        );
    }
    println!("`run --strategy resume` collects what finished and follows what is queued");
    super::EXIT_OK
}

/// The `--json` object of one run directory.
fn to_json(run: &crate::exec::slurm::RunStatus) -> serde_json::Value {
    serde_json::json!({
        "dir": run.dir.display().to_string(),
        "detached": run.detached,
        "experiments": run.experiments,
        "jobs": run.jobs,
        "tasks": {
            "queued": run.queued,
            "running": run.running,
            "done": run.done,
            "failed": run.failed,
        },
        "units": {
            "done": run.units_done - run.units_failed,
            "failed": run.units_failed,
            "pending": run.units_pending,
        },
    })
}
