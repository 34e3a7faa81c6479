//! The tree the screen shows: experiments in run order, their conditions (definition order) and
//! their stages, each with a state icon and a lock.
//!
//! Locks are read off the report `plan` makes with the same flags and toggles:
//!
//! - an experiment is locked iff every unit of it loads;
//! - a condition is locked iff every unit of it loads (an excluded treatment is not);
//! - a step is locked iff every unit of its experiment loads, or it is a `#[step(cache)]` step
//!   whose cache is on and whose experiment ran before (its units that run are served from the
//!   step cache where their input and params are unchanged).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::decide::report::{CodeDiff, ExperimentReport, ReasonKind, Report};
use crate::output::events::{Event, UnitOutcome};
use crate::output::stats::format_number;

use super::planner::{ExperimentInfo, Planned, StepInfo};

/// The lock icon.
pub(crate) const LOCK: &str = "🔒";

/// What happened to a node in the current (or last) run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Not run yet.
    Pending,
    /// Some unit of it is running.
    Running,
    /// It ran.
    Done,
    /// It was loaded from a previous run.
    Loaded,
    /// Some unit of it failed.
    Failed,
}

impl State {
    /// Its icon.
    pub(crate) fn icon(self) -> &'static str {
        match self {
            State::Pending => "○",
            State::Running => "◐",
            State::Done => "✔",
            State::Loaded => "↓",
            State::Failed => "✘",
        }
    }
}

/// What a node is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NodeKind {
    /// The experiment.
    Experiment,
    /// One of its conditions.
    Condition(String),
    /// One of its stages.
    Step(String),
}

/// One line of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    /// The experiment's index in run order.
    pub experiment: usize,
    /// What it is.
    pub kind: NodeKind,
    /// Its state icon's state.
    pub state: State,
    /// Whether it is (or will be) loaded from a previous run or the step cache.
    pub locked: bool,
    /// A condition that runs (`x` excludes treatments); always true for others.
    pub active: bool,
}

/// Counts of one experiment's or condition's units in a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Running now.
    pub running: u32,
    /// Ran and succeeded.
    pub ran: u32,
    /// Ran and failed.
    pub failed: u32,
    /// Loaded.
    pub loaded: u32,
}

/// One experiment in the current (or last) run.
#[derive(Clone, Debug, Default)]
pub(crate) struct LiveExperiment {
    /// Units this run executes (from the plan it started with).
    pub total: u32,
    /// Its units.
    pub counts: Counts,
    /// Per condition.
    pub conditions: BTreeMap<String, Counts>,
    /// Per condition, per metric, the values its units recorded in this run (ran or loaded).
    pub metrics: BTreeMap<String, BTreeMap<String, Vec<f64>>>,
    /// Steps a unit failed in.
    pub failed_steps: BTreeSet<String>,
    /// When its first unit started.
    pub started: Option<Instant>,
    /// When it finished.
    pub finished: Option<Instant>,
}

impl LiveExperiment {
    /// Units done (ran or failed).
    pub(crate) fn done(&self) -> u32 {
        self.counts.ran + self.counts.failed
    }

    /// Units per second so far, once some unit finished.
    pub(crate) fn rate(&self, now: Instant) -> Option<f64> {
        let started = self.started?;
        let elapsed = self.finished.unwrap_or(now).duration_since(started);
        (self.done() > 0 && elapsed > Duration::ZERO)
            .then(|| f64::from(self.done()) / elapsed.as_secs_f64())
    }

    /// The time left at the current rate.
    pub(crate) fn eta(&self, now: Instant) -> Option<Duration> {
        let rate = self.rate(now)?;
        let left = self.total.saturating_sub(self.done());
        (rate > 0.0).then(|| Duration::from_secs_f64(f64::from(left) / rate))
    }

    /// `12/40 units, 3.1/s, ETA 9s`.
    pub(crate) fn progress(&self, now: Instant) -> String {
        let mut text = format!("{}/{} units", self.done(), self.total);
        if let Some(rate) = self.rate(now) {
            if rate >= 100.0 {
                text.push_str(&format!(", {rate:.0}/s"));
            } else {
                text.push_str(&format!(", {rate:.1}/s"));
            }
        }
        if self.finished.is_none()
            && let Some(eta) = self.eta(now)
        {
            text.push_str(&format!(", ETA {}s", eta.as_secs()));
        }
        if self.counts.failed > 0 {
            text.push_str(&format!(", {} failed", self.counts.failed));
        }
        text
    }
}

/// The current (or last) run, fed by its events.
#[derive(Clone, Debug, Default)]
pub(crate) struct Live {
    /// Per experiment.
    pub experiments: BTreeMap<String, LiveExperiment>,
    /// The run is going on.
    pub running: bool,
}

impl Live {
    /// A run starting with `planned`: each experiment's units to run.
    pub(crate) fn starting(planned: &Planned) -> Live {
        let experiments = planned
            .report
            .experiments
            .iter()
            .map(|entry| {
                let total = entry.conditions.values().map(|c| c.units_run).sum();
                (
                    entry.name.clone(),
                    LiveExperiment {
                        total,
                        ..LiveExperiment::default()
                    },
                )
            })
            .collect();
        Live {
            experiments,
            running: true,
        }
    }

    /// Takes `event` in, and returns what the log says of it, if anything.
    pub(crate) fn apply(&mut self, event: &Event, now: Instant) -> Option<String> {
        match event {
            Event::UnitStarted {
                experiment,
                condition,
                ..
            } => {
                let live = self.experiments.entry(experiment.clone()).or_default();
                live.started.get_or_insert(now);
                live.counts.running += 1;
                live.conditions
                    .entry(condition.clone())
                    .or_default()
                    .running += 1;
                None
            }
            Event::UnitFinished {
                experiment,
                condition,
                replicate,
                outcome,
                error,
                failed_in,
                metrics,
                ..
            } => {
                let live = self.experiments.entry(experiment.clone()).or_default();
                let so_far = live.metrics.entry(condition.clone()).or_default();
                for (metric, value) in metrics {
                    let values = so_far.entry(metric.clone()).or_default();
                    values.extend(value);
                }
                let counts = live.conditions.entry(condition.clone()).or_default();
                let ran = *outcome != UnitOutcome::Loaded;
                if ran {
                    live.counts.running = live.counts.running.saturating_sub(1);
                    counts.running = counts.running.saturating_sub(1);
                }
                match outcome {
                    UnitOutcome::Ran => {
                        live.counts.ran += 1;
                        counts.ran += 1;
                        None
                    }
                    UnitOutcome::Loaded => {
                        live.counts.loaded += 1;
                        counts.loaded += 1;
                        None
                    }
                    UnitOutcome::Failed => {
                        live.counts.failed += 1;
                        counts.failed += 1;
                        if let Some(step) = failed_in.as_deref().and_then(step_of) {
                            live.failed_steps.insert(step.to_string());
                        }
                        Some(format!(
                            "✘ {experiment} {condition} replicate {replicate}: {}{}",
                            failed_in
                                .as_deref()
                                .map(|place| format!("{place}: "))
                                .unwrap_or_default(),
                            error.as_deref().unwrap_or("failed")
                        ))
                    }
                }
            }
            Event::ExperimentFinished {
                experiment,
                action,
                version,
                units_run,
                units_loaded,
                units_failed,
            } => {
                let live = self.experiments.entry(experiment.clone()).or_default();
                live.finished = Some(now);
                Some(format!(
                    "{experiment} (v{version}): {}, {units_run} units run, {units_loaded} loaded, {units_failed} failed",
                    serde_json::to_value(action)
                        .ok()
                        .and_then(|value| value.as_str().map(str::to_string))
                        .unwrap_or_default()
                ))
            }
            Event::StorageFailed { message } => Some(format!("✘ {message}")),
            Event::RunFinished { error, .. } => {
                self.running = false;
                for live in self.experiments.values_mut() {
                    live.finished.get_or_insert(now);
                    live.counts.running = 0;
                    for counts in live.conditions.values_mut() {
                        counts.running = 0;
                    }
                }
                error.clone()
            }
            _ => None,
        }
    }
}

/// The step named in `error in \`step\`` or `panic in \`step\``.
fn step_of(place: &str) -> Option<&str> {
    let start = place.find('`')? + 1;
    let end = start + place[start..].find('`')?;
    Some(&place[start..end])
}

/// Whether every unit of `entry` loads.
pub(crate) fn experiment_locked(entry: &ExperimentReport) -> bool {
    !entry.conditions.is_empty() && entry.conditions.values().all(|c| c.units_run == 0)
}

/// Whether every unit of `condition` loads (a condition that does not run is not locked).
pub(crate) fn condition_locked(entry: &ExperimentReport, condition: &str) -> bool {
    entry
        .conditions
        .get(condition)
        .is_some_and(|c| c.units_run == 0)
}

/// Whether `step` is served from a previous run or its cache.
pub(crate) fn step_locked(entry: &ExperimentReport, step: &StepInfo, no_cache: &[String]) -> bool {
    let ran_before = !entry
        .reasons
        .iter()
        .any(|reason| reason.kind == ReasonKind::FirstRun);
    experiment_locked(entry) || (step.cached && !no_cache.contains(&step.name) && ran_before)
}

/// The state of counts in a run: failed, running, done, loaded, or pending.
fn state_of(counts: &Counts, finished: bool) -> State {
    if counts.failed > 0 {
        State::Failed
    } else if counts.running > 0 || (counts.ran > 0 && !finished) {
        State::Running
    } else if counts.ran > 0 {
        State::Done
    } else if counts.loaded > 0 {
        State::Loaded
    } else {
        State::Pending
    }
}

/// Every node of the tree, in order.
pub(crate) fn nodes(planned: &Planned, live: &Live) -> Vec<Node> {
    let mut nodes = Vec::new();
    for (index, (entry, info)) in planned
        .report
        .experiments
        .iter()
        .zip(&planned.info)
        .enumerate()
    {
        let run = live.experiments.get(&entry.name);
        let finished = run.is_some_and(|run| run.finished.is_some());
        let experiment_state = run.map_or(State::Pending, |run| state_of(&run.counts, finished));
        nodes.push(Node {
            experiment: index,
            kind: NodeKind::Experiment,
            state: experiment_state,
            locked: experiment_locked(entry),
            active: true,
        });
        for condition in &info.conditions {
            let state = run
                .and_then(|run| run.conditions.get(&condition.name))
                .map_or(State::Pending, |counts| state_of(counts, finished));
            nodes.push(Node {
                experiment: index,
                kind: NodeKind::Condition(condition.name.clone()),
                state,
                locked: condition.active && condition_locked(entry, &condition.name),
                active: condition.active,
            });
        }
        for step in &info.steps {
            // A step fails where a unit failed in it; elsewhere it shows how its units go.
            let state = match run {
                Some(run) if run.failed_steps.contains(&step.name) => State::Failed,
                Some(run) => state_of(
                    &Counts {
                        failed: 0,
                        ran: run.counts.ran + run.counts.failed,
                        ..run.counts.clone()
                    },
                    finished,
                ),
                None => State::Pending,
            };
            nodes.push(Node {
                experiment: index,
                kind: NodeKind::Step(step.name.clone()),
                state,
                locked: step_locked(entry, step, &planned.no_cache),
                active: true,
            });
        }
    }
    nodes
}

/// The name a node shows.
pub(crate) fn label(planned: &Planned, node: &Node) -> String {
    let info = &planned.info[node.experiment];
    match &node.kind {
        NodeKind::Experiment => info.name.clone(),
        NodeKind::Condition(name) if node.active => name.clone(),
        NodeKind::Condition(name) => format!("{name} (excluded)"),
        NodeKind::Step(name) => {
            let step = info.steps.iter().find(|step| &step.name == name);
            match step {
                Some(step) if step.cached => format!("{} {name} (cache)", step.kind),
                Some(step) => format!("{} {name}", step.kind),
                None => name.clone(),
            }
        }
    }
}

/// The details of `node`: hashes, params, why it runs or loads (old → new), metrics so far.
pub(crate) fn details(planned: &Planned, live: &Live, node: &Node, now: Instant) -> Vec<String> {
    let entry = &planned.report.experiments[node.experiment];
    let info = &planned.info[node.experiment];
    let mut lines = Vec::new();
    let lock = |locked: bool| if locked { LOCK } else { "" };
    match &node.kind {
        NodeKind::Experiment => {
            lines.push(format!("experiment {} {}", info.name, lock(node.locked)));
            lines.push(format!(
                "defined at {}:{}",
                info.location.0, info.location.1
            ));
            lines.push(format!(
                "code {} · strategy {} · {} replicates · v{}",
                info.id,
                info.strategy.as_str(),
                info.replicates,
                entry.version
            ));
            let run: u32 = entry.conditions.values().map(|c| c.units_run).sum();
            let loaded: u32 = entry.conditions.values().map(|c| c.units_loaded).sum();
            lines.push(format!("plan: {run} units run, {loaded} load"));
            if let Some(live) = live.experiments.get(&entry.name) {
                lines.push(format!("run: {}", live.progress(now)));
            }
            lines.push("why:".to_string());
            for reason in &entry.reasons {
                lines.push(format!("  {}", reason.line()));
            }
            for warning in &entry.warnings {
                lines.push(format!("  warning: {warning}"));
            }
            push_diffs(&mut lines, entry.diffs.iter());
        }
        NodeKind::Condition(name) => {
            lines.push(format!(
                "condition {name} of {} {}",
                info.name,
                lock(node.locked)
            ));
            if let Some(condition) = info.conditions.iter().find(|c| &c.name == name) {
                if condition.active {
                    lines.push(format!("params {}", condition.params));
                } else {
                    lines.push("excluded: does not run (x includes it)".to_string());
                }
            }
            if let Some(report) = entry.conditions.get(name) {
                lines.push(format!(
                    "plan: {} units run, {} load",
                    report.units_run, report.units_loaded
                ));
                if let Some(counts) = live
                    .experiments
                    .get(&entry.name)
                    .and_then(|live| live.conditions.get(name))
                {
                    lines.push(format!(
                        "run: {} ran, {} failed, {} loaded, {} running",
                        counts.ran, counts.failed, counts.loaded, counts.running
                    ));
                }
                lines.push("why:".to_string());
                for reason in &report.reasons {
                    lines.push(format!("  {}", reason.line()));
                }
                // The units of the current (or last) run as they finish; before any run, the
                // metrics the plan loads.
                let live_metrics = live
                    .experiments
                    .get(&entry.name)
                    .and_then(|live| live.metrics.get(name))
                    .filter(|metrics| !metrics.is_empty());
                let metrics: Vec<(&String, Vec<f64>)> = match live_metrics {
                    Some(metrics) => metrics
                        .iter()
                        .map(|(metric, values)| (metric, values.clone()))
                        .collect(),
                    None => report
                        .metrics
                        .iter()
                        .map(|(metric, values)| {
                            (metric, values.iter().flatten().copied().collect())
                        })
                        .collect(),
                };
                if !metrics.is_empty() {
                    lines.push(if live_metrics.is_some() {
                        "metrics so far:".to_string()
                    } else {
                        "metrics:".to_string()
                    });
                    for (metric, known) in metrics {
                        if known.is_empty() {
                            lines.push(format!("  {metric}: no value yet"));
                        } else {
                            let mean = known.iter().sum::<f64>() / known.len() as f64;
                            lines.push(format!(
                                "  {metric}: mean {} (n {})",
                                format_number(mean),
                                known.len()
                            ));
                        }
                    }
                }
                for error in &report.errors {
                    lines.push(format!(
                        "  ✘ replicate {}: {}",
                        error.replicate, error.message
                    ));
                }
            }
        }
        NodeKind::Step(name) => {
            lines.push(format!(
                "{} {name} of {} {}",
                "stage",
                info.name,
                lock(node.locked)
            ));
            if let Some(step) = info.steps.iter().find(|step| &step.name == name) {
                lines.push(format!("kind {}", step.kind));
                if let Some(code) = &step.code {
                    lines.push(format!("code {code}"));
                }
                if let Some((file, line)) = &step.location {
                    lines.push(format!("defined at {file}:{line} (e opens it)"));
                }
                lines.push(if step.cached {
                    if planned.no_cache.contains(name) {
                        "step cache: off for this run".to_string()
                    } else {
                        "step cache: on".to_string()
                    }
                } else {
                    "step cache: none (#[step(cache)] adds one)".to_string()
                });
            }
            lines.push(if experiment_locked(entry) {
                "every unit of the experiment loads".to_string()
            } else {
                "units of the experiment run, because:".to_string()
            });
            for reason in &entry.reasons {
                lines.push(format!("  {}", reason.line()));
            }
            let named = format!("`{name}`");
            push_diffs(
                &mut lines,
                entry.diffs.iter().filter(|diff| diff.item.contains(&named)),
            );
        }
    }
    lines
}

/// Lines of a code diff the details show at most, per item.
const DIFF_LINES: usize = 40;

/// The code diffs of changed items, as `plan --diff` prints them (each cut at [`DIFF_LINES`]).
fn push_diffs<'d>(lines: &mut Vec<String>, diffs: impl Iterator<Item = &'d CodeDiff>) {
    for diff in diffs {
        lines.push(format!(
            "code of {}: {} → {}",
            diff.item,
            diff.old.as_deref().unwrap_or("(new)"),
            diff.new.as_deref().unwrap_or("(gone)")
        ));
        if !diff.note.is_empty() {
            lines.push(format!("  {}", diff.note));
        }
        let mut diff_lines = diff.diff.lines();
        lines.extend(diff_lines.by_ref().take(DIFF_LINES).map(str::to_string));
        let rest = diff_lines.count();
        if rest > 0 {
            lines.push(format!(
                "  … {rest} more lines (plan --diff shows them all)"
            ));
        }
    }
}

/// The report the summary shows: the last run's, else the plan's.
pub(crate) fn summary(planned: Option<&Planned>, last: Option<&Report>) -> String {
    match (last, planned) {
        (Some(report), _) => crate::output::summary::render(report),
        (None, Some(planned)) => crate::output::summary::render_plan(&planned.report),
        (None, None) => "nothing planned yet".to_string(),
    }
}

/// The experiment info of a node.
pub(crate) fn info_of<'p>(planned: &'p Planned, node: &Node) -> &'p ExperimentInfo {
    &planned.info[node.experiment]
}
