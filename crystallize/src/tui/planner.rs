//! Planning and running with the toggles applied: the same selection and decisions as `plan`
//! and `run` with the same flags, the toggles added to the overrides.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde_json::Value;

use crate::decide::plan::{self, ExperimentPlan, Overrides};
use crate::decide::report::Report;
use crate::define::experiment::BASELINE;
use crate::define::registration::Strategy;
use crate::output::events::Events;
use crate::run::{self, RunError, RunOptions};
use crate::store::lock::WaitPolicy;

use super::Launch;
use super::state::Toggles;

/// One condition as the screen shows it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ConditionInfo {
    /// `baseline` or the treatment's name.
    pub name: String,
    /// Its effective params (empty when it does not run).
    pub params: Value,
    /// Whether it runs (a treatment can be excluded with `x`, or left out by `--treatment`).
    pub active: bool,
}

/// One stage as the screen shows it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StepInfo {
    /// The stage's name.
    pub name: String,
    /// `source`, `input` or `step`.
    pub kind: String,
    /// Its code hash (short), for sources and steps.
    pub code: Option<String>,
    /// `#[step(cache)]`.
    pub cached: bool,
    /// Where it is defined, for sources and steps.
    pub location: Option<(String, u32)>,
}

/// One experiment as the screen shows it, beside its report entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ExperimentInfo {
    /// Its name.
    pub name: String,
    /// The hash of its stages (short).
    pub id: String,
    /// Its effective strategy.
    pub strategy: Strategy,
    /// Replicates per condition.
    pub replicates: u32,
    /// Where it is defined.
    pub location: (String, u32),
    /// Its conditions in definition order, the baseline first.
    pub conditions: Vec<ConditionInfo>,
    /// Its stages in pipeline order.
    pub steps: Vec<StepInfo>,
}

/// A plan with the toggles applied: what the screen shows.
#[derive(Clone, Debug)]
pub(crate) struct Planned {
    /// The report `plan --json` prints for the same flags and toggles, in run order.
    pub report: Report,
    /// The experiments in the same order.
    pub info: Vec<ExperimentInfo>,
    /// The steps whose cache is bypassed (`--no-cache` and step toggles).
    pub no_cache: Vec<String>,
}

/// The flags' overrides with the toggles on top.
pub(crate) fn overrides(launch: &Launch<'_>, toggles: &Toggles) -> Overrides {
    toggles.overrides(&launch.overrides, launch.registered)
}

/// The plans of the selected experiments and everything they read, as `run` makes them.
fn plans<'a>(
    launch: &Launch<'a>,
    overrides: &Overrides,
) -> Result<Vec<ExperimentPlan<'a>>, String> {
    let registered = launch.registered;
    let selected = plan::select(registered, &launch.names).map_err(|error| error.0)?;
    let names: Vec<&str> = selected.iter().map(|r| r.name()).collect();
    let needed = launch.graph.with_ancestors(&names);
    let selected: Vec<_> = registered
        .iter()
        .filter(|r| needed.contains(r.name()))
        .collect();
    let plans = plan::plan(&selected, overrides).map_err(|error| error.0)?;
    plan::check_memory(&plans).map_err(|error| error.0)?;
    Ok(plans)
}

/// How the screen runs: the launch's settings, never waiting for another run's lock (a busy
/// experiment is reported instead, so the screen never hangs), with `events` and `cancel`.
pub(crate) fn options(
    launch: &Launch<'_>,
    overrides: &Overrides,
    events: Events,
    cancel: Arc<AtomicBool>,
) -> RunOptions {
    RunOptions {
        jobs: launch.jobs,
        root: launch.root.clone(),
        events: Arc::new(events),
        executor: launch.executor.clone(),
        wait: WaitPolicy::NoWait,
        no_cache: overrides.no_cache.clone(),
        diff: false,
        cancel,
        sync: launch.sync,
    }
}

/// What a run error says.
pub(crate) fn describe(error: RunError) -> String {
    match error {
        RunError::Busy(message)
        | RunError::Unsafe(message)
        | RunError::Io(message)
        | RunError::Cancelled(message)
        | RunError::Detached(message) => message,
    }
}

/// Plans with the toggles, exactly as `plan` does, writing nothing.
pub(crate) fn plan_with(launch: &Launch<'_>, toggles: &Toggles) -> Result<Planned, String> {
    let overrides = overrides(launch, toggles);
    let mut plans = plans(launch, &overrides)?;
    let mut options = options(launch, &overrides, Events::new(), Arc::default());
    // The details show what changed in the code, as `plan --diff` does.
    options.diff = true;
    let report = run::plan_only(&mut plans, launch.graph, &options).map_err(describe)?;
    let info = report
        .experiments
        .iter()
        .filter_map(|entry| plans.iter().find(|plan| *plan.name == entry.name))
        .map(info_of)
        .collect();
    Ok(Planned {
        report,
        info,
        no_cache: overrides.no_cache,
    })
}

/// Runs with the toggles, as `run` does, sending events to `events`; `cancel` stops it between
/// units.
pub(crate) fn run_with(
    launch: &Launch<'_>,
    toggles: &Toggles,
    events: Events,
    cancel: Arc<AtomicBool>,
) -> Result<Report, String> {
    let overrides = overrides(launch, toggles);
    let mut plans = plans(launch, &overrides)?;
    let options = options(launch, &overrides, events, cancel);
    run::execute(&mut plans, launch.graph, &options).map_err(describe)
}

/// What the screen shows of a plan.
fn info_of(plan: &ExperimentPlan<'_>) -> ExperimentInfo {
    let registered = plan.registered;
    let experiment = &registered.experiment;
    let defined = std::iter::once(BASELINE.to_string()).chain(
        experiment
            .treatments()
            .iter()
            .map(|treatment| treatment.name.clone())
            .filter(|name| name != BASELINE),
    );
    let conditions = defined
        .map(|name| {
            let planned = plan.conditions.iter().find(|c| *c.name == name);
            ConditionInfo {
                params: planned.map_or(Value::Null, |c| c.params.to_value()),
                active: planned.is_some(),
                name,
            }
        })
        .collect();
    let steps = experiment
        .stages()
        .iter()
        .map(|stage| StepInfo {
            name: stage.name.to_string(),
            kind: stage.kind.as_str().to_string(),
            code: stage.info.map(|info| info.code.short()),
            cached: stage.cached(),
            location: stage.info.map(|info| (info.file.to_string(), info.line)),
        })
        .collect();
    ExperimentInfo {
        name: plan.name.to_string(),
        id: plan.id.short(),
        strategy: plan.strategy,
        replicates: plan.replicates,
        location: (
            registered.registration.file.to_string(),
            registered.registration.line,
        ),
        conditions,
        steps,
    }
}
