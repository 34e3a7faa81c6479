//! The events a run sends about its decisions: per condition, which replicates load (from which
//! version) and which run, and why; and one `unit-finished` event per loaded unit.

use crate::decide::report::{Reason, kind_name, ranges};
use crate::decide::resume::UnitDecision;
use crate::decide::resume::grouped::{collapse, group_by};
use crate::output::events::{Event, PlannedCondition, UnitGroup, UnitOutcome};

use super::Decided;

/// The `experiment-planned` event of a decided experiment.
pub(super) fn planned(decided: &Decided<'_, '_>) -> Event {
    let plan = decided.plan;
    let mut units_to_run = 0;
    let mut units_to_load = 0;
    let conditions = plan
        .conditions
        .iter()
        .zip(&decided.decision.conditions)
        .map(|(condition, decisions)| {
            let mut runs: Vec<(u32, Reason)> = Vec::new();
            let mut loads: Vec<(u32, String)> = Vec::new();
            for (replicate, unit) in decisions.units.iter().enumerate() {
                match unit {
                    UnitDecision::Load(loaded) => {
                        units_to_load += 1;
                        loads.push((
                            replicate as u32,
                            format!(
                                "load from {} (signature unchanged; computed in v{})",
                                loaded.label(),
                                loaded.record.computed_in
                            ),
                        ));
                    }
                    UnitDecision::Run(reason) => {
                        units_to_run += 1;
                        runs.push((replicate as u32, reason.clone()));
                    }
                }
            }
            // One group per reason (many distinct details of one kind, such as a failure
            // message per replicate, make one group), so the log stays short.
            let groups: Vec<(String, Vec<u32>)> = collapse(group_by(runs))
                .into_iter()
                .map(|(reason, replicates)| {
                    (
                        format!("run ({}: {})", kind_name(reason.kind), reason.detail),
                        replicates,
                    )
                })
                .chain(group_by(loads))
                .collect();
            PlannedCondition {
                condition: condition.name.to_string(),
                groups: groups
                    .into_iter()
                    .map(|(decision, replicates)| UnitGroup {
                        replicates: ranges(&replicates),
                        decision,
                    })
                    .collect(),
                also: decisions.changes.iter().skip(1).cloned().collect(),
            }
        })
        .collect();
    Event::ExperimentPlanned {
        experiment: plan.name.to_string(),
        units_to_run,
        units_to_load,
        conditions,
        warnings: decided.decision.warnings.clone(),
    }
}

/// The `unit-finished` events of the units `decided` loads.
pub(super) fn loaded_units(
    decided_plan: &crate::decide::plan::ExperimentPlan<'_>,
    decision: &crate::decide::resume::Decision,
) -> Vec<Event> {
    let mut events = Vec::new();
    for (condition, decisions) in decided_plan.conditions.iter().zip(&decision.conditions) {
        for (replicate, unit) in decisions.units.iter().enumerate() {
            if let UnitDecision::Load(loaded) = unit {
                events.push(Event::UnitFinished {
                    experiment: decided_plan.name.to_string(),
                    condition: condition.name.to_string(),
                    replicate: replicate as u32,
                    outcome: UnitOutcome::Loaded,
                    duration_ms: 0.0,
                    error: None,
                    failed_in: None,
                    metrics: loaded.record.metrics.clone(),
                });
            }
        }
    }
    events
}
