//! What the hooks of a [`Plugin`](crate::output::events::Plugin) receive: borrowed views of
//! the run events they are called for, with durations as [`Duration`]s.
//!
//! The views are `#[non_exhaustive]`: later versions may add fields, so a plugin reads the
//! fields it needs and never builds a view itself.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

/// What happened to a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum UnitOutcome {
    /// It ran and succeeded.
    Ran,
    /// It was loaded from an earlier run.
    Loaded,
    /// It ran and failed (an error or a panic).
    Failed,
}

impl UnitOutcome {
    /// `ran`, `loaded` or `failed`, as `--events` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitOutcome::Ran => "ran",
            UnitOutcome::Loaded => "loaded",
            UnitOutcome::Failed => "failed",
        }
    }
}

/// The run starts ([`Plugin::run_started`](crate::output::events::Plugin::run_started)).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct RunStarted<'a> {
    /// The experiments of the run, in run order.
    pub experiments: &'a [String],
    /// `plan` decides without running anything: no unit runs, loaded units are only decided.
    pub dry_run: bool,
}

/// A unit finished: it ran, failed, or was loaded from an earlier run
/// ([`Plugin::unit_finished`](crate::output::events::Plugin::unit_finished)).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct UnitFinished<'a> {
    /// Its experiment.
    pub experiment: &'a str,
    /// Its condition.
    pub condition: &'a str,
    /// Its replicate.
    pub replicate: u32,
    /// What happened.
    pub outcome: UnitOutcome,
    /// How long it ran (zero for a loaded unit).
    pub duration: Duration,
    /// Why it failed.
    pub error: Option<&'a str>,
    /// Where it failed: `panic in \`step\`` or `error in \`step\``.
    pub failed_in: Option<&'a str>,
    /// The metrics it recorded (`None` for a non-finite value); a loaded unit's as stored.
    pub metrics: &'a BTreeMap<String, Option<f64>>,
}

/// A step of a unit that ran finished, or was served from the step cache
/// ([`Plugin::step_finished`](crate::output::events::Plugin::step_finished)). Sent when its unit
/// finishes, before the unit's [`UnitFinished`].
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct StepFinished<'a> {
    /// Its experiment.
    pub experiment: &'a str,
    /// Its condition.
    pub condition: &'a str,
    /// Its replicate.
    pub replicate: u32,
    /// The stage (the source or a step).
    pub step: &'a str,
    /// How long it took.
    pub duration: Duration,
    /// Served from the step cache instead of running.
    pub cached: bool,
}

/// A unit that ran wrote an artifact
/// ([`Plugin::artifact_written`](crate::output::events::Plugin::artifact_written)). Sent when
/// its unit finishes, before the unit's [`UnitFinished`].
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct ArtifactWritten<'a> {
    /// Its experiment.
    pub experiment: &'a str,
    /// Its condition.
    pub condition: &'a str,
    /// Its replicate.
    pub replicate: u32,
    /// The stage that wrote it.
    pub step: &'a str,
    /// The file name.
    pub file: &'a str,
    /// Its size in bytes.
    pub size: u64,
}

/// What a run took from a cache instead of computing it
/// ([`Plugin::loaded_from_cache`](crate::output::events::Plugin::loaded_from_cache)).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum FromCache<'a> {
    /// A whole unit loaded from an earlier run of its experiment (resume): its
    /// [`UnitFinished`] has the outcome [`UnitOutcome::Loaded`].
    Unit(UnitFinished<'a>),
    /// One step of a unit that ran, served from the step cache (`#[step(cache)]`): its
    /// [`StepFinished`] is `cached`.
    Step(StepFinished<'a>),
}

/// The run ended ([`Plugin::run_finished`](crate::output::events::Plugin::run_finished)):
/// every run ends with it, also one that stopped early.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct RunFinished<'a> {
    /// No unit failed and everything was stored.
    pub ok: bool,
    /// Units that failed.
    pub failed_units: u32,
    /// Why the run stopped, if it did.
    pub error: Option<&'a str>,
    /// The run submitted its units to Slurm and exited without waiting for them (`--detach`).
    pub detached: bool,
}

/// `duration_ms` of an event as a [`Duration`] (zero when it is not a finite, non-negative
/// number of milliseconds).
pub(crate) fn from_ms(duration_ms: f64) -> Duration {
    Duration::try_from_secs_f64(duration_ms / 1000.0).unwrap_or_default()
}
