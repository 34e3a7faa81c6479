//! The report entry of an experiment: per condition, units run and loaded (or, for `plan`, to
//! run, to load and to decide after their upstream), metrics, errors, reasons, inputs read, and
//! the artifact paths.

use std::collections::BTreeMap;
use std::path::Path;

use crate::decide::plan::ExperimentPlan;
use crate::decide::report::{Action, ConditionReport, ExperimentReport, IndexMap, InputReport};
use crate::decide::resume::Decision;
use crate::store::layout;

use super::slots::ConditionSlots;

pub(super) fn build_report(
    plan: &ExperimentPlan<'_>,
    decision: &Decision,
    slots: &[ConditionSlots],
    version: u32,
    version_dir: &Path,
) -> ExperimentReport {
    let mut conditions = IndexMap::new();
    let mut artifacts: BTreeMap<String, IndexMap<String, Vec<String>>> = BTreeMap::new();
    let (mut any_run, mut any_loaded) = (false, false);
    let version_text = version_dir.to_string_lossy();
    for (index, condition) in plan.conditions.iter().enumerate() {
        let units = &decision.conditions[index].units;
        let units_run = units.runs() as u32;
        let units_loaded = units.len() as u32 - units_run;
        any_run |= units_run > 0;
        any_loaded |= units_loaded > 0;
        let condition_slots = &slots[index];
        for (replicate, written) in condition_slots.artifact_lists() {
            for artifact in written {
                let path = layout::artifact_path_text(
                    &version_text,
                    replicate,
                    &condition.name,
                    &artifact.stage,
                    &artifact.file,
                );
                let by_condition = match artifacts.get_mut(&*artifact.file) {
                    Some(by_condition) => by_condition,
                    None => artifacts.entry(artifact.file.to_string()).or_default(),
                };
                let paths = match by_condition.get_mut(&*condition.name) {
                    Some(paths) => paths,
                    None => by_condition.entry(condition.name.to_string()).or_default(),
                };
                paths.push(path);
            }
        }
        conditions.insert(
            condition.name.to_string(),
            ConditionReport {
                action: if units_run > 0 {
                    Action::Ran
                } else {
                    Action::Loaded
                },
                units_run,
                units_loaded,
                units_pending: decision.conditions[index].pending,
                metrics: condition_slots.metrics(),
                errors: condition_slots.errors(),
                reasons: decision.condition_reasons(index),
                cache_hits: condition_slots.cache_hits(),
                inputs: condition
                    .record
                    .upstream
                    .iter()
                    .map(|read| InputReport {
                        input: read.input.clone(),
                        producer: read.producer.clone(),
                        file: read.file.clone(),
                        condition: read.condition.clone(),
                        // A fully loaded experiment keeps what its run recorded (its inputs had
                        // the same content); otherwise it reads the producers' current versions.
                        version: if decision.source_complete {
                            decision
                                .source_reads
                                .get(&read.producer)
                                .copied()
                                .unwrap_or(0)
                        } else {
                            plan.upstream
                                .get(&read.producer)
                                .map_or(0, |view| view.version)
                        },
                        replicates: read.replicates,
                    })
                    .collect(),
                inherited_from: condition.inherited_from.clone(),
            },
        );
    }
    ExperimentReport {
        name: plan.name.to_string(),
        action: match (any_run, any_loaded) {
            (true, true) => Action::Partial,
            (false, true) => Action::Loaded,
            _ => Action::Ran,
        },
        version,
        replicates: plan.replicates,
        reasons: decision.reasons(),
        conditions,
        artifacts,
        warnings: decision.warnings.clone(),
        pruned: Vec::new(),
        diffs: Vec::new(),
        explain: None,
        hypotheses: Vec::new(),
        correction: None,
    }
}
