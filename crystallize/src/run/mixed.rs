//! A wave whose experiments run partly on Slurm and partly here: the cluster's units are
//! submitted and followed on one thread while the others run on the worker pool on another, and
//! every result reaches the run's sink on the calling thread as it arrives, so the journal and
//! the events see one stream of results, as for any executor.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use crate::exec::executor::{Executor, UnitJob};
use crate::exec::pool::{Delivery, run_parallel};
use crate::exec::slurm::{SlurmSettings, run_units};
use crate::exec::unit::Finished;

/// What runs the units of one wave: the run's executor, and per unit (by its index in the wave)
/// the job to run.
pub(super) struct Wave<'w, J> {
    /// The run's executor: it runs the units that do not go to Slurm.
    pub executor: &'w Executor,
    /// The job of each unit of the wave.
    pub job: &'w J,
    /// Units in the wave.
    pub count: usize,
    /// Worker threads for the units that run here.
    pub threads: usize,
}

/// Runs the units `on_slurm` (ascending indices of the wave's units) as Slurm array tasks with
/// `settings`, under the job name `label`, and the others here with `wave.executor`, both at
/// once. `started(index)` is called once a unit starts, and each result goes to `sink` (with a
/// [`Delivery::Drained`] after each batch). The first flag of `cancel` is set when nothing could
/// be submitted, so that the units here stop too. Returns how many units started, or why
/// nothing could be submitted.
pub(super) fn run<'j, J>(
    settings: &SlurmSettings,
    on_slurm: &[usize],
    label: &str,
    wave: Wave<'_, J>,
    cancel: &[&AtomicBool],
    started: &(impl Fn(usize) + Sync),
    mut sink: impl FnMut(Delivery<Finished>),
) -> Result<usize, String>
where
    J: Fn(usize) -> UnitJob<'j> + Sync,
{
    let here: Vec<usize> = (0..wave.count)
        .filter(|index| on_slurm.binary_search(index).is_err())
        .collect();
    let remote: Vec<UnitJob<'j>> = on_slurm.iter().map(|&index| (wave.job)(index)).collect();
    let (sender, receiver) = mpsc::channel::<Delivery<Finished>>();
    std::thread::scope(|scope| {
        let to_run = sender.clone();
        let here = &here;
        let local = scope.spawn(move || {
            run_parallel(
                here.len(),
                wave.threads,
                cancel,
                |k| {
                    started(here[k]);
                    wave.executor.run(&(wave.job)(here[k]))
                },
                |delivery| {
                    // The receiver outlives both threads.
                    let _ = to_run.send(renumber(delivery, here));
                },
            )
        });
        let to_run = sender;
        let remote = scope.spawn(move || {
            let result = run_units(
                settings,
                &remote,
                label,
                cancel,
                |k| started(on_slurm[k]),
                |delivery| {
                    let _ = to_run.send(renumber(delivery, on_slurm));
                },
            );
            if result.is_err()
                && let Some(flag) = cancel.first()
            {
                flag.store(true, Ordering::Relaxed);
            }
            result
        });
        // Ends once both threads are done and have dropped their senders.
        for delivery in receiver {
            sink(delivery);
        }
        let here_started = local
            .join()
            .map_err(|_| "a worker thread stopped unexpectedly".to_string())?;
        let remote_started = remote
            .join()
            .map_err(|_| "the Slurm coordinator stopped unexpectedly".to_string())??;
        Ok(here_started + remote_started)
    })
}

/// `delivery` with the index of its unit among `indices` replaced by the wave's index.
fn renumber(delivery: Delivery<Finished>, indices: &[usize]) -> Delivery<Finished> {
    match delivery {
        Delivery::Done(k, finished) => Delivery::Done(indices[k], finished),
        Delivery::Drained => Delivery::Drained,
    }
}
