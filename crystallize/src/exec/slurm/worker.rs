//! The array task's side: the hidden `__units` command runs its chunk of units one after
//! another, each in a process of this binary (the `__unit` command, so a unit that crashes its
//! process fails alone), and appends each result to the task's result file. A task the
//! scheduler starts again (requeued after a node failure) skips the units its file already
//! holds. When the scheduler ends the task (SIGTERM), the unit it interrupted gets no line, so
//! that a requeued task runs it again instead of reporting the kill as the unit's error.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use crate::exec::executor::run_child;

use super::manifest::{Manifest, ResultLine, append, read_from, results_file};

/// How long a task waits, after a unit's process ended without a result, for the signal that
/// would say the scheduler is ending the task (and so the unit must run again).
const TERMINATION_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// Runs task `task` of the manifest at `manifest`; `Err` says why it could not.
pub(crate) fn serve(manifest_path: &Path, task: usize) -> Result<(), String> {
    let manifest = Manifest::read(manifest_path)?;
    let Some(units) = manifest.tasks.get(task) else {
        return Err(format!(
            "{} has {} task(s); there is no task {task}",
            manifest_path.display(),
            manifest.tasks.len()
        ));
    };
    let run_dir = manifest_path.parent().unwrap_or(Path::new("."));
    let file = results_file(run_dir, task);
    let done: BTreeSet<usize> = read_from(&file, 0).0.into_iter().map(|l| l.unit).collect();
    super::interrupt::catch_terminate();
    for &unit in units {
        if done.contains(&unit) {
            continue;
        }
        if super::interrupt::terminated() {
            return Err("the scheduler ended the task".to_string());
        }
        let Some(args) = manifest.units.get(unit) else {
            return Err(format!("{}: no unit {unit}", manifest_path.display()));
        };
        let started = Instant::now();
        let outcome = run_child(&manifest.exe, args, &manifest.data_dir, &manifest.forward);
        let took = started.elapsed().as_secs_f64();
        // A unit's process that gave no result may have been ended by the scheduler ending the
        // task: it signals every process of the task, not necessarily this one first.
        if outcome.is_err() {
            let grace = Instant::now();
            while !super::interrupt::terminated() && grace.elapsed() < TERMINATION_GRACE {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
        if super::interrupt::terminated() {
            return Err(format!(
                "the scheduler ended the task while unit {unit} ran; it runs again if the task \
                 is requeued"
            ));
        }
        let (result, error) = match outcome {
            Ok(result) => (Some(result), None),
            Err(message) => (None, Some(message)),
        };
        append(
            &file,
            &ResultLine {
                unit,
                result,
                error,
                took,
            },
        )
        .map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    }
    Ok(())
}
