//! Planning: which experiments, conditions and replicates a run covers, with the signature record
//! of every condition. Whether each unit runs or loads is decided later, under the experiment's
//! lock (see `resume`).

use std::sync::Arc;

use crate::experiment::Condition;
use crate::params::Params;
use crate::registry::{Registered, Strategy};
use crate::seed::{DEFAULT_MASTER_SEED, SEED_SCHEME};
use crate::signature::{CodeHash, ConditionRecord, StageRecord};
use crate::upstream::{Views, reads_of};

/// Overrides given on the command line.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--replicates`.
    pub replicates: Option<u32>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--treatment` (repeatable): run baseline plus these, where defined.
    pub treatments: Vec<String>,
    /// `--strategy`: overrides every experiment's own.
    pub strategy: Option<Strategy>,
    /// `--no-cache`: steps whose cache the run bypasses.
    pub no_cache: Vec<String>,
}

/// A usage error: exit code 2, nothing ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

/// The plan of one condition.
pub struct ConditionPlan {
    /// `baseline` or the treatment name.
    pub name: Arc<str>,
    /// Effective params.
    pub params: Arc<Params>,
    /// Signature record (with the condition key).
    pub record: ConditionRecord,
    /// The treatment's own payload (baseline: the `baseline` amendment, if any).
    pub payload: serde_json::Value,
}

/// The plan of one experiment.
pub struct ExperimentPlan<'a> {
    /// The experiment.
    pub registered: &'a Registered,
    /// Its name, shared with every unit.
    pub name: Arc<str>,
    /// Replicates per condition.
    pub replicates: u32,
    /// Master seed.
    pub seed: u64,
    /// Effective strategy.
    pub strategy: Strategy,
    /// Conditions in run order.
    pub conditions: Vec<ConditionPlan>,
    /// Code signature of the stages, shared by every condition.
    pub stages: Vec<StageRecord>,
    /// Hash of the experiment's stages (its `id` in `metadata.json`).
    pub id: CodeHash,
    /// The producers it reads, once they have run (see [`ExperimentPlan::bind_upstream`]).
    pub upstream: Arc<Views>,
    /// The experiments that read its artifacts (retention keeps what they read).
    pub consumers: Vec<String>,
}

impl ExperimentPlan<'_> {
    /// Completes the signature records with what each condition reads upstream (the content of
    /// the producers' artifacts), once the producers have run or loaded.
    pub(crate) fn bind_upstream(&mut self, views: &Views) {
        let experiment = &self.registered.experiment;
        let producers: Views = experiment
            .inputs()
            .into_iter()
            .filter_map(|input| {
                views
                    .get(input.producer)
                    .map(|view| (input.producer.to_string(), view.clone()))
            })
            .collect();
        if experiment.inputs().is_empty() {
            return;
        }
        for condition in &mut self.conditions {
            let reads = reads_of(experiment, &condition.name, self.replicates, views);
            condition.record = ConditionRecord::with_upstream(
                self.stages.clone(),
                condition.record.params.clone(),
                self.seed,
                SEED_SCHEME,
                reads,
            );
        }
        self.upstream = Arc::new(producers);
    }
}

/// Resolves `names` (empty = all) to experiments, in name order.
pub fn select<'a>(
    registered: &'a [Registered],
    names: &[String],
) -> Result<Vec<&'a Registered>, UsageError> {
    if names.is_empty() {
        return Ok(registered.iter().collect());
    }
    let mut selected: Vec<&Registered> = Vec::new();
    for name in names {
        match registered.iter().find(|r| r.name() == name) {
            Some(found) => {
                if !selected.iter().any(|s| s.name() == found.name()) {
                    selected.push(found);
                }
            }
            None => {
                let known: Vec<&str> = registered.iter().map(Registered::name).collect();
                return Err(UsageError(format!(
                    "unknown experiment `{name}`; known experiments: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        }
    }
    selected.sort_by_key(|r| r.name());
    Ok(selected)
}

/// Plans the selected experiments.
pub fn plan<'a>(
    selected: &[&'a Registered],
    overrides: &Overrides,
) -> Result<Vec<ExperimentPlan<'a>>, UsageError> {
    for wanted in &overrides.treatments {
        let defined = selected.iter().any(|registered| {
            registered
                .experiment
                .treatments()
                .iter()
                .any(|t| &t.name == wanted)
        });
        if !defined {
            let mut known: Vec<String> = selected
                .iter()
                .flat_map(|registered| {
                    registered
                        .experiment
                        .treatments()
                        .iter()
                        .map(move |t| format!("{} ({})", t.name, registered.name()))
                })
                .collect();
            known.sort();
            return Err(UsageError(format!(
                "unknown treatment `{wanted}`; treatments of the selected experiments: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    for step in &overrides.no_cache {
        let cached = |registered: &&Registered| {
            registered
                .experiment
                .stages()
                .iter()
                .any(|stage| stage.cached() && &*stage.name == step)
        };
        if !selected.iter().any(cached) {
            let mut known: Vec<String> = selected
                .iter()
                .flat_map(|registered| {
                    registered
                        .experiment
                        .stages()
                        .iter()
                        .filter(|stage| stage.cached())
                        .map(move |stage| format!("{} ({})", stage.name, registered.name()))
                })
                .collect();
            known.sort();
            return Err(UsageError(format!(
                "--no-cache {step}: no selected experiment has a cached step `{step}`; cached steps: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    Ok(selected
        .iter()
        .map(|registered| plan_experiment(registered, overrides))
        .collect())
}

fn plan_experiment<'a>(registered: &'a Registered, overrides: &Overrides) -> ExperimentPlan<'a> {
    let options = &registered.registration.options;
    let experiment = &registered.experiment;
    let seed = overrides
        .seed
        .or(options.seed)
        .unwrap_or(DEFAULT_MASTER_SEED);
    let replicates = overrides.replicates.unwrap_or(options.replicates);
    let stages: Vec<StageRecord> = experiment.stages().iter().map(StageRecord::of).collect();
    let id = {
        let text = serde_json::to_string(&stages).unwrap_or_default();
        CodeHash::of(text.as_bytes())
    };
    let active = |condition: &Condition| {
        condition.name == crate::experiment::BASELINE
            || overrides.treatments.is_empty()
            || overrides.treatments.contains(&condition.name)
    };
    let conditions = experiment
        .conditions()
        .into_iter()
        .filter(|condition| active(condition))
        .map(|condition| {
            let payload = experiment
                .treatments()
                .iter()
                .find(|treatment| treatment.name == condition.name)
                .map_or_else(
                    || serde_json::json!({}),
                    |treatment| treatment.params.to_value(),
                );
            ConditionPlan {
                record: ConditionRecord::new(
                    stages.clone(),
                    condition.params.to_value(),
                    seed,
                    SEED_SCHEME,
                ),
                name: Arc::from(condition.name),
                params: Arc::new(condition.params),
                payload,
            }
        })
        .collect();
    ExperimentPlan {
        registered,
        name: Arc::from(registered.name()),
        replicates,
        seed,
        strategy: overrides.strategy.unwrap_or(options.strategy),
        conditions,
        stages,
        id,
        upstream: Arc::new(Views::new()),
        consumers: Vec::new(),
    }
}
