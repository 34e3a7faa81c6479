//! One typed stream of run events: what a run decided, every unit started and finished (ran,
//! loaded or failed, with its duration), every step and artifact, every experiment finished, and
//! the end of the run. Its consumers are [`Plugin`]s: the progress bar, the `-v` log and
//! `--events` (JSON lines) are built-in ones, and users add their own. [`Events`] hands every
//! event to every plugin, and keeps a panicking plugin from disturbing the run.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::decide::report::{Action, Reason};
pub use crate::output::hooks::UnitOutcome;
use crate::output::hooks::{
    ArtifactWritten, FromCache, RunFinished, RunStarted, StepFinished, UnitFinished, from_ms,
};
use crate::unit::panic::catch_panic;

/// Units of one condition that share a decision, for the `-v` log.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UnitGroup {
    /// The replicates (`0-9, 12`).
    pub replicates: String,
    /// `run (code-changed: ..)` or `load from v0 (..)`.
    pub decision: String,
}

/// What a run decided for one condition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PlannedCondition {
    /// The condition.
    pub condition: String,
    /// Its units, grouped by decision.
    pub groups: Vec<UnitGroup>,
    /// Further changes of its signature, after the first (which the run groups carry).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Reason>,
}

/// One event of a run. In `--events` output every event is one JSON object with its kind in
/// `"event"` (`"unit-finished"`, ...). Later versions may add events and fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Event {
    /// The run starts, over these experiments in run order.
    #[non_exhaustive]
    RunStarted {
        /// The experiments.
        experiments: Vec<String>,
        /// `plan` decides without running anything.
        dry_run: bool,
    },
    /// An experiment's units were decided.
    #[non_exhaustive]
    ExperimentPlanned {
        /// The experiment.
        experiment: String,
        /// Units to run.
        units_to_run: u32,
        /// Units to load.
        units_to_load: u32,
        /// Per condition, the decisions.
        conditions: Vec<PlannedCondition>,
        /// Corrupt, foreign or unusable files found, and notes.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<String>,
    },
    /// Units of independent experiments start running together.
    #[non_exhaustive]
    WaveStarted {
        /// The experiments.
        experiments: Vec<String>,
        /// Units that will run.
        units: u64,
    },
    /// A unit starts running.
    #[non_exhaustive]
    UnitStarted {
        /// Its experiment.
        experiment: String,
        /// Its condition.
        condition: String,
        /// Its replicate.
        replicate: u32,
    },
    /// A step of a unit finished (sent when the unit finishes).
    #[non_exhaustive]
    StepFinished {
        /// Its experiment.
        experiment: String,
        /// Its condition.
        condition: String,
        /// Its replicate.
        replicate: u32,
        /// The stage.
        step: String,
        /// Milliseconds it took.
        duration_ms: f64,
        /// Served from the step cache.
        cached: bool,
    },
    /// A unit wrote an artifact (sent when the unit finishes).
    #[non_exhaustive]
    ArtifactWritten {
        /// Its experiment.
        experiment: String,
        /// Its condition.
        condition: String,
        /// Its replicate.
        replicate: u32,
        /// The stage that wrote it.
        step: String,
        /// The file name.
        file: String,
        /// Its size in bytes.
        size: u64,
    },
    /// A unit finished: exactly one such event per unit of a run, whether it ran, loaded or
    /// failed.
    #[non_exhaustive]
    UnitFinished {
        /// Its experiment.
        experiment: String,
        /// Its condition.
        condition: String,
        /// Its replicate.
        replicate: u32,
        /// What happened.
        outcome: UnitOutcome,
        /// Milliseconds it ran (0 for a loaded unit).
        duration_ms: f64,
        /// Why it failed.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// Where it failed: `panic in \`step\`` or `error in \`step\``.
        #[serde(skip_serializing_if = "Option::is_none")]
        failed_in: Option<String>,
        /// The metrics it recorded (`null` for a non-finite value), loaded ones too.
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        metrics: BTreeMap<String, Option<f64>>,
    },
    /// A write failed because the storage failed: no further unit starts, and the failures of
    /// units in flight are this one's consequences.
    #[non_exhaustive]
    StorageFailed {
        /// What failed, with the path and the cause.
        message: String,
    },
    /// The units of a wave finished.
    #[non_exhaustive]
    WaveFinished,
    /// An experiment's results are stored (or, for `plan`, decided).
    #[non_exhaustive]
    ExperimentFinished {
        /// The experiment.
        experiment: String,
        /// Ran, partial or loaded.
        action: Action,
        /// Its version.
        version: u32,
        /// Units run.
        units_run: u32,
        /// Units loaded.
        units_loaded: u32,
        /// Units failed.
        units_failed: u32,
    },
    /// The run ended: every run ends with this event.
    #[non_exhaustive]
    RunFinished {
        /// No unit failed and everything was stored.
        ok: bool,
        /// Units that failed.
        failed_units: u32,
        /// Why the run stopped, if it did.
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// The run submitted its units to Slurm and exited without waiting for them
        /// (`--detach`); a later `run --strategy resume` collects their results.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        detached: bool,
    },
}

/// An observer of runs: every hook is called for the events of each run (`run`, and `plan`,
/// whose [`RunStarted::dry_run`] is set), in the order they happen.
///
/// Every hook has an empty default body: implement the ones you need. For each event,
/// [`Plugin::event`] is called first with the event itself, then the typed hook that matches it,
/// if any. Hooks are called from the run's threads (a unit's start from the worker running it),
/// so a plugin is `Send + Sync` and keeps its state behind a lock or in atomics. A hook should
/// return quickly: the run waits for it.
///
/// A plugin that panics is reported (a line on stderr naming it, and a warning in the run's
/// report) and receives no further events of that run; the run, its results and its exit code
/// are unaffected.
///
/// Register one with `#[crystallize::plugin]` on a function returning it, or with
/// `crystallize::main_with(|app| app.plugin(MyPlugin::new()))`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a crystallize plugin",
    label = "not a plugin",
    note = "implement `crystallize::Plugin` for it (every hook has a default body), and make it `Send + Sync`"
)]
pub trait Plugin: Send + Sync {
    /// The name reports about this plugin use (default: its type's name).
    fn name(&self) -> &str {
        std::any::type_name::<Self>()
    }

    /// Every event of the run, before its typed hook.
    fn event(&self, event: &Event) {
        let _ = event;
    }

    /// The run starts: once per run, first.
    fn run_started(&self, run: &RunStarted<'_>) {
        let _ = run;
    }

    /// A unit finished: exactly once per unit of the run, whether it ran, failed or was loaded
    /// from an earlier run.
    fn unit_finished(&self, unit: &UnitFinished<'_>) {
        let _ = unit;
    }

    /// A step of a unit that ran finished (or was served from the step cache): once per stage of
    /// each unit that ran, before the unit's [`Plugin::unit_finished`].
    fn step_finished(&self, step: &StepFinished<'_>) {
        let _ = step;
    }

    /// A unit that ran wrote an artifact: once per file, before the unit's
    /// [`Plugin::unit_finished`].
    fn artifact_written(&self, artifact: &ArtifactWritten<'_>) {
        let _ = artifact;
    }

    /// The run took something from a cache instead of computing it: a whole unit loaded from an
    /// earlier run ([`FromCache::Unit`], after that unit's [`Plugin::unit_finished`]), or a step
    /// served from the step cache ([`FromCache::Step`], after that step's
    /// [`Plugin::step_finished`]).
    fn loaded_from_cache(&self, cached: &FromCache<'_>) {
        let _ = cached;
    }

    /// The run ended: once per run, last, also when it stopped early.
    fn run_finished(&self, run: &RunFinished<'_>) {
        let _ = run;
    }

    /// Whether this plugin observes the units loaded from an earlier run (a `unit-finished`
    /// event with [`UnitOutcome::Loaded`] per unit, and its [`Plugin::unit_finished`] and
    /// [`Plugin::loaded_from_cache`]); `true` unless a plugin says otherwise. When no plugin of
    /// a run does, the run does not build those events: a resume that loads hundreds of
    /// thousands of units skips that work.
    fn wants_loaded_units(&self) -> bool {
        true
    }
}

/// Forwards every hook to the plugin it holds (`None` observes nothing): a plugin a flag turns
/// on, `#[crystallize::plugin] fn rows() -> Option<CsvRows>`.
impl<P: Plugin> Plugin for Option<P> {
    fn name(&self) -> &str {
        match self {
            Some(plugin) => plugin.name(),
            None => std::any::type_name::<Self>(),
        }
    }
    fn event(&self, event: &Event) {
        if let Some(plugin) = self {
            plugin.event(event);
        }
    }
    fn run_started(&self, run: &RunStarted<'_>) {
        if let Some(plugin) = self {
            plugin.run_started(run);
        }
    }
    fn unit_finished(&self, unit: &UnitFinished<'_>) {
        if let Some(plugin) = self {
            plugin.unit_finished(unit);
        }
    }
    fn step_finished(&self, step: &StepFinished<'_>) {
        if let Some(plugin) = self {
            plugin.step_finished(step);
        }
    }
    fn artifact_written(&self, artifact: &ArtifactWritten<'_>) {
        if let Some(plugin) = self {
            plugin.artifact_written(artifact);
        }
    }
    fn loaded_from_cache(&self, cached: &FromCache<'_>) {
        if let Some(plugin) = self {
            plugin.loaded_from_cache(cached);
        }
    }
    fn run_finished(&self, run: &RunFinished<'_>) {
        if let Some(plugin) = self {
            plugin.run_finished(run);
        }
    }
    fn wants_loaded_units(&self) -> bool {
        self.as_ref().is_some_and(Plugin::wants_loaded_units)
    }
}

/// Forwards every hook to the shared plugin: keep an `Arc` to read what it gathered after the
/// run.
impl<P: Plugin + ?Sized> Plugin for std::sync::Arc<P> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn event(&self, event: &Event) {
        (**self).event(event);
    }
    fn run_started(&self, run: &RunStarted<'_>) {
        (**self).run_started(run);
    }
    fn unit_finished(&self, unit: &UnitFinished<'_>) {
        (**self).unit_finished(unit);
    }
    fn step_finished(&self, step: &StepFinished<'_>) {
        (**self).step_finished(step);
    }
    fn artifact_written(&self, artifact: &ArtifactWritten<'_>) {
        (**self).artifact_written(artifact);
    }
    fn loaded_from_cache(&self, cached: &FromCache<'_>) {
        (**self).loaded_from_cache(cached);
    }
    fn run_finished(&self, run: &RunFinished<'_>) {
        (**self).run_finished(run);
    }
}

/// Hands `event` to `plugin`: [`Plugin::event`], then the typed hook of the event.
fn deliver(plugin: &dyn Plugin, event: &Event) {
    plugin.event(event);
    match event {
        Event::RunStarted {
            experiments,
            dry_run,
        } => plugin.run_started(&RunStarted {
            experiments,
            dry_run: *dry_run,
        }),
        Event::UnitFinished {
            experiment,
            condition,
            replicate,
            outcome,
            duration_ms,
            error,
            failed_in,
            metrics,
        } => {
            let unit = UnitFinished {
                experiment,
                condition,
                replicate: *replicate,
                outcome: *outcome,
                duration: from_ms(*duration_ms),
                error: error.as_deref(),
                failed_in: failed_in.as_deref(),
                metrics,
            };
            plugin.unit_finished(&unit);
            if *outcome == UnitOutcome::Loaded {
                plugin.loaded_from_cache(&FromCache::Unit(unit));
            }
        }
        Event::StepFinished {
            experiment,
            condition,
            replicate,
            step,
            duration_ms,
            cached,
        } => {
            let step = StepFinished {
                experiment,
                condition,
                replicate: *replicate,
                step,
                duration: from_ms(*duration_ms),
                cached: *cached,
            };
            plugin.step_finished(&step);
            if *cached {
                plugin.loaded_from_cache(&FromCache::Step(step));
            }
        }
        Event::ArtifactWritten {
            experiment,
            condition,
            replicate,
            step,
            file,
            size,
        } => plugin.artifact_written(&ArtifactWritten {
            experiment,
            condition,
            replicate: *replicate,
            step,
            file,
            size: *size,
        }),
        Event::RunFinished {
            ok,
            failed_units,
            error,
            detached,
        } => plugin.run_finished(&RunFinished {
            ok: *ok,
            failed_units: *failed_units,
            error: error.as_deref(),
            detached: *detached,
        }),
        _ => {}
    }
}

/// The experiment an event is about, if it is about one.
fn experiment_of(event: &Event) -> Option<&str> {
    match event {
        Event::ExperimentPlanned { experiment, .. }
        | Event::UnitStarted { experiment, .. }
        | Event::StepFinished { experiment, .. }
        | Event::ArtifactWritten { experiment, .. }
        | Event::UnitFinished { experiment, .. }
        | Event::ExperimentFinished { experiment, .. } => Some(experiment),
        _ => None,
    }
}

/// A plugin that panicked in a hook, and so received no further events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PluginFailure {
    /// The plugin's [`Plugin::name`].
    pub(crate) plugin: String,
    /// The panic, with its location.
    pub(crate) message: String,
    /// The experiment of the event it panicked on, if that event was about one.
    pub(crate) experiment: Option<String>,
}

impl PluginFailure {
    /// The warning the run's report carries.
    pub(crate) fn warning(&self) -> String {
        format!(
            "plugin `{}` panicked and received no further events of this run: {}",
            self.plugin, self.message
        )
    }
}

/// One plugin of a run, and whether it panicked.
struct Consumer {
    plugin: Box<dyn Plugin>,
    disabled: AtomicBool,
}

/// The plugins of one run.
#[derive(Default)]
pub(crate) struct Events {
    consumers: Vec<Consumer>,
    failures: Mutex<Vec<PluginFailure>>,
}

impl Events {
    /// No consumer.
    pub(crate) fn new() -> Events {
        Events::default()
    }

    /// Adds a consumer.
    pub(crate) fn with(self, plugin: impl Plugin + 'static) -> Events {
        self.with_boxed(Box::new(plugin))
    }

    /// Adds a consumer that is already boxed.
    pub(crate) fn with_boxed(mut self, plugin: Box<dyn Plugin>) -> Events {
        self.consumers.push(Consumer {
            plugin,
            disabled: AtomicBool::new(false),
        });
        self
    }

    /// Hands `event` to every consumer, in the order they were added. A consumer that panics is
    /// reported on stderr, recorded (see [`Events::failures`]) and skipped from then on.
    pub(crate) fn emit(&self, event: Event) {
        for consumer in &self.consumers {
            if consumer.disabled.load(Ordering::Relaxed) {
                continue;
            }
            if let Err(message) = catch_panic(|| deliver(&*consumer.plugin, &event)) {
                if consumer.disabled.swap(true, Ordering::Relaxed) {
                    continue;
                }
                let failure = PluginFailure {
                    plugin: consumer.plugin.name().to_string(),
                    message,
                    experiment: experiment_of(&event).map(str::to_string),
                };
                tracing::warn!("warning: {}", failure.warning());
                self.failures
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(failure);
            }
        }
    }

    /// Whether a consumer still on observes the units loaded from an earlier run
    /// ([`Plugin::wants_loaded_units`]).
    pub(crate) fn wants_loaded_units(&self) -> bool {
        self.consumers.iter().any(|consumer| {
            !consumer.disabled.load(Ordering::Relaxed) && consumer.plugin.wants_loaded_units()
        })
    }

    /// The consumers that panicked so far, in the order they did.
    pub(crate) fn failures(&self) -> Vec<PluginFailure> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Events({} consumers)", self.consumers.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicU32;

    /// Observes nothing of the loaded units.
    struct RunningOnly;

    impl Plugin for RunningOnly {
        fn wants_loaded_units(&self) -> bool {
            false
        }
    }

    #[test]
    fn loaded_units_are_wanted_while_one_plugin_wants_them() {
        assert!(!Events::new().wants_loaded_units());
        assert!(!Events::new().with(RunningOnly).wants_loaded_units());
        assert!(!Events::new().with(None::<Counter>).wants_loaded_units());
        let events = Events::new().with(RunningOnly).with(Counter::default());
        assert!(events.wants_loaded_units());
        assert!(
            Events::new()
                .with(Some(Counter::default()))
                .wants_loaded_units()
        );
    }

    /// Counts the calls of each hook.
    #[derive(Default)]
    struct Counter {
        events: AtomicU32,
        started: AtomicU32,
        units: AtomicU32,
        steps: AtomicU32,
        artifacts: AtomicU32,
        cached_units: AtomicU32,
        cached_steps: AtomicU32,
        finished: AtomicU32,
    }

    impl Plugin for Counter {
        fn event(&self, _: &Event) {
            self.events.fetch_add(1, Ordering::Relaxed);
        }
        fn run_started(&self, _: &RunStarted<'_>) {
            self.started.fetch_add(1, Ordering::Relaxed);
        }
        fn unit_finished(&self, _: &UnitFinished<'_>) {
            self.units.fetch_add(1, Ordering::Relaxed);
        }
        fn step_finished(&self, _: &StepFinished<'_>) {
            self.steps.fetch_add(1, Ordering::Relaxed);
        }
        fn artifact_written(&self, _: &ArtifactWritten<'_>) {
            self.artifacts.fetch_add(1, Ordering::Relaxed);
        }
        fn loaded_from_cache(&self, cached: &FromCache<'_>) {
            match cached {
                FromCache::Unit(_) => self.cached_units.fetch_add(1, Ordering::Relaxed),
                FromCache::Step(_) => self.cached_steps.fetch_add(1, Ordering::Relaxed),
            };
        }
        fn run_finished(&self, _: &RunFinished<'_>) {
            self.finished.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn unit(outcome: UnitOutcome) -> Event {
        Event::UnitFinished {
            experiment: "e".into(),
            condition: "baseline".into(),
            replicate: 3,
            outcome,
            duration_ms: 2.5,
            error: None,
            failed_in: None,
            metrics: BTreeMap::new(),
        }
    }

    fn step(cached: bool) -> Event {
        Event::StepFinished {
            experiment: "e".into(),
            condition: "baseline".into(),
            replicate: 0,
            step: "scale".into(),
            duration_ms: 1.0,
            cached,
        }
    }

    #[test]
    fn each_event_reaches_the_catch_all_and_its_typed_hook() {
        let counter = Arc::new(Counter::default());
        let events = Events::new().with(counter.clone());
        events.emit(Event::RunStarted {
            experiments: vec!["e".into()],
            dry_run: false,
        });
        events.emit(Event::WaveFinished);
        events.emit(step(false));
        events.emit(step(true));
        events.emit(Event::ArtifactWritten {
            experiment: "e".into(),
            condition: "baseline".into(),
            replicate: 0,
            step: "scale".into(),
            file: "out.json".into(),
            size: 4,
        });
        events.emit(unit(UnitOutcome::Ran));
        events.emit(unit(UnitOutcome::Loaded));
        events.emit(unit(UnitOutcome::Failed));
        events.emit(Event::RunFinished {
            ok: true,
            failed_units: 0,
            error: None,
            detached: false,
        });
        let count = |counter: &AtomicU32| counter.load(Ordering::Relaxed);
        assert_eq!(count(&counter.events), 9);
        assert_eq!(count(&counter.started), 1);
        assert_eq!(count(&counter.steps), 2);
        assert_eq!(count(&counter.cached_steps), 1);
        assert_eq!(count(&counter.artifacts), 1);
        assert_eq!(count(&counter.units), 3);
        assert_eq!(count(&counter.cached_units), 1);
        assert_eq!(count(&counter.finished), 1);
    }

    struct Panicking;

    impl Plugin for Panicking {
        fn name(&self) -> &str {
            "panicking"
        }
        fn unit_finished(&self, unit: &UnitFinished<'_>) {
            panic!("no room for replicate {}", unit.replicate);
        }
    }

    #[test]
    fn a_panicking_plugin_is_recorded_once_and_skipped_while_the_others_go_on() {
        let counter = Arc::new(Counter::default());
        let events = Events::new().with(Panicking).with(counter.clone());
        events.emit(unit(UnitOutcome::Ran));
        events.emit(unit(UnitOutcome::Ran));
        assert_eq!(counter.units.load(Ordering::Relaxed), 2);
        let failures = events.failures();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!(failures[0].plugin, "panicking");
        assert_eq!(failures[0].experiment.as_deref(), Some("e"));
        assert!(
            failures[0].message.contains("no room for replicate 3"),
            "{failures:?}"
        );
        assert!(
            failures[0]
                .warning()
                .starts_with("plugin `panicking` panicked")
        );
    }

    #[test]
    fn a_plugin_is_named_after_its_type_by_default() {
        struct Quiet;
        impl Plugin for Quiet {}
        assert!(Quiet.name().ends_with("Quiet"), "{}", Quiet.name());
        assert_eq!(Some(Panicking).name(), "panicking");
        assert_eq!(Arc::new(Panicking).name(), "panicking");
    }

    #[test]
    fn an_optional_plugin_observes_only_when_present() {
        let counter = Arc::new(Counter::default());
        let events = Events::new()
            .with(Some(counter.clone()))
            .with(None::<Arc<Counter>>);
        events.emit(step(true));
        assert_eq!(counter.events.load(Ordering::Relaxed), 1);
        assert_eq!(counter.cached_steps.load(Ordering::Relaxed), 1);
        assert!(events.failures().is_empty());
    }
}
