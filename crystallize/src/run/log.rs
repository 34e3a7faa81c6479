//! The events a run sends about its decisions: per condition, which replicates load (from which
//! version) and which run, and why; and one `unit-finished` event per loaded unit.

use crate::decide::report::{Reason, kind_name, ranges};
use crate::decide::resume::decision::label;
use crate::decide::resume::grouped::{collapse, group_by};
use crate::decide::resume::{UnitDecision, UnitView, Units};
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
            let mut run_groups: Vec<(Reason, Vec<u32>)> = Vec::new();
            // Grouped by (version, staged, computed in), labelled once per group.
            let mut loads: Vec<(u32, (u32, bool, u32))> = Vec::new();
            let mut whole_loads: Vec<((u32, bool, u32), Vec<u32>)> = Vec::new();
            match &decisions.units {
                Units::Whole(whole) => {
                    // Every unit loads from one version; the groups are its runs of
                    // `computed in`, found without a map.
                    for (replicate, computed_in) in whole.records.computed_in_each().enumerate() {
                        units_to_load += 1;
                        let key = (whole.version, whole.staged, computed_in);
                        let at = match whole_loads.iter().position(|(known, _)| *known == key) {
                            Some(at) => at,
                            None => {
                                whole_loads.push((key, Vec::new()));
                                whole_loads.len() - 1
                            }
                        };
                        whole_loads[at].1.push(replicate as u32);
                    }
                }
                Units::AllRun { reason, count } => {
                    units_to_run += *count;
                    run_groups.push((reason.clone(), (0..*count).collect()));
                }
                Units::Each(units) => {
                    for (replicate, unit) in units.iter().enumerate() {
                        match unit {
                            UnitDecision::Load(loaded) => {
                                units_to_load += 1;
                                loads.push((
                                    replicate as u32,
                                    (loaded.version, loaded.staged, loaded.record.computed_in),
                                ));
                            }
                            UnitDecision::Run(reason) => {
                                units_to_run += 1;
                                runs.push((replicate as u32, reason.clone()));
                            }
                        }
                    }
                }
            }
            whole_loads.extend(group_by(loads));
            // One group per reason (many distinct details of one kind, such as a failure
            // message per replicate, make one group), so the log stays short.
            run_groups.extend(collapse(group_by(runs)));
            let groups: Vec<(String, Vec<u32>)> = run_groups
                .into_iter()
                .map(|(reason, replicates)| {
                    (
                        format!("run ({}: {})", kind_name(reason.kind), reason.detail),
                        replicates,
                    )
                })
                .chain(whole_loads.into_iter().map(
                    |((version, staged, computed_in), replicates)| {
                        (
                            format!(
                                "load from {} (signature unchanged; computed in v{computed_in})",
                                label(version, staged)
                            ),
                            replicates,
                        )
                    },
                ))
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

/// The `unit-finished` events of the units `decided` loads, made one at a time as they are
/// sent (never all held at once).
pub(super) fn loaded_units<'a>(
    decided_plan: &'a crate::decide::plan::ExperimentPlan<'_>,
    decision: &'a crate::decide::resume::Decision,
) -> impl Iterator<Item = Event> + 'a {
    decided_plan
        .conditions
        .iter()
        .zip(&decision.conditions)
        .flat_map(move |(condition, decisions)| {
            decisions
                .units
                .iter()
                .enumerate()
                .filter_map(move |(replicate, unit)| match unit {
                    UnitView::Load(loaded) => Some(Event::UnitFinished {
                        experiment: decided_plan.name.to_string(),
                        condition: condition.name.to_string(),
                        replicate: replicate as u32,
                        outcome: UnitOutcome::Loaded,
                        duration_ms: 0.0,
                        error: None,
                        failed_in: None,
                        metrics: loaded.metrics(),
                    }),
                    UnitView::Run(_) => None,
                })
        })
}
