//! What the plan says now: everything a resume decision compares the stored runs with, borrowed
//! from an [`ExperimentPlan`] (or, in tests, from plain values).

use std::sync::Arc;

use serde_json::Value;

use crate::decide::plan::ExperimentPlan;
use crate::decide::report::Reason;
use crate::define::experiment::BASELINE;
use crate::define::registration::Strategy;
use crate::key::signature::ConditionRecord;
use crate::key::toolchain::Toolchain;

use super::decision::ConditionDecision;

/// One planned condition as it is now.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CurrentCondition<'a> {
    /// `baseline` or the treatment's name.
    pub name: &'a str,
    /// Its signature record now (with its key and unit keys).
    pub record: &'a Arc<ConditionRecord>,
    /// The treatment's own payload (for explaining a change; not part of the key).
    pub payload: &'a Value,
    /// Its units run whatever is stored (reason `forced`).
    pub recompute: bool,
}

/// What the plan of one experiment says now.
#[derive(Clone, Debug)]
pub(crate) struct Current<'a> {
    /// The effective strategy.
    pub strategy: Strategy,
    /// Whether every run claims a new version.
    pub versioned: bool,
    /// Replicates per condition.
    pub replicates: u32,
    /// The conditions planned, in run order.
    pub conditions: Vec<CurrentCondition<'a>>,
    /// Every condition the definition has (a run limited by `--treatment` plans fewer): a
    /// finished version holding another one is not the run's result as it stands.
    pub defined: Vec<&'a str>,
    /// The stages' names in pipeline order (the manifest names the first stage writing a file).
    pub stages: Vec<&'a str>,
    /// The outputs the experiment declares (`.output(..)`): a unit without one of them runs.
    pub declared: &'a [String],
    /// For `plan`: the producers that would run some units first (what they publish is not
    /// known yet).
    pub pending_producers: Vec<&'a str>,
    /// The toolchain of this binary (a change is noted; keyed only in strict mode).
    pub toolchain: Toolchain,
}

impl<'a> Current<'a> {
    /// What `plan` says now.
    pub(crate) fn of(plan: &'a ExperimentPlan<'_>) -> Current<'a> {
        let experiment = &plan.registered.experiment;
        Current {
            strategy: plan.strategy,
            versioned: plan.registered.registration.options.versioned,
            replicates: plan.replicates,
            conditions: plan
                .conditions
                .iter()
                .map(|condition| CurrentCondition {
                    name: &condition.name,
                    record: &condition.record,
                    payload: &condition.payload,
                    recompute: condition.recompute,
                })
                .collect(),
            defined: std::iter::once(BASELINE)
                .chain(
                    experiment
                        .treatments()
                        .iter()
                        .map(|treatment| treatment.name.as_str())
                        .filter(|name| *name != BASELINE),
                )
                .collect(),
            stages: experiment
                .stages()
                .iter()
                .map(|stage| &*stage.name)
                .collect(),
            declared: experiment.outputs(),
            pending_producers: plan
                .upstream
                .iter()
                .filter(|(_, view)| view.pending)
                .map(|(name, _)| name.as_str())
                .collect(),
            toolchain: Toolchain::current(),
        }
    }

    /// Whether the strategy is `rerun`.
    pub(super) fn rerun(&self) -> bool {
        self.strategy == Strategy::Rerun
    }

    /// Whether the toolchain is part of the keys (strict environment).
    pub(super) fn strict(&self) -> bool {
        self.conditions
            .iter()
            .any(|condition| condition.record.environment.is_some())
    }

    /// Whether `producer` runs some units first (`plan` only).
    pub(super) fn producer_runs(&self, producer: &str) -> bool {
        self.pending_producers.contains(&producer)
    }

    /// Every unit of every condition runs for `why`.
    pub(super) fn all_run(&self, why: &Reason) -> Vec<ConditionDecision> {
        self.conditions
            .iter()
            .map(|_| ConditionDecision::all_run(self.replicates, why))
            .collect()
    }
}
