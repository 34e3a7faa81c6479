//! `plan --explain UNIT`: which unit, checked against what is planned (a unit that does not
//! exist is a usage error listing what does).

use crate::decide::plan::ExperimentPlan;
use crate::decide::report::{UnitRef, ranges};

/// Parses `text` and checks that its experiment, condition and replicate are planned; the error
/// says what exists.
pub(super) fn resolve(text: &str, plans: &[ExperimentPlan<'_>]) -> Result<UnitRef, String> {
    let unit = UnitRef::parse(text)?;
    let Some(plan) = plans.iter().find(|plan| *plan.name == *unit.experiment) else {
        let known: Vec<&str> = plans.iter().map(|plan| &*plan.name).collect();
        return Err(format!(
            "`{text}`: no experiment `{}` is planned; the experiments planned are {} (name the unit's experiment, or leave the experiment names out)",
            unit.experiment,
            known.join(", ")
        ));
    };
    if !plan
        .conditions
        .iter()
        .any(|condition| *condition.name == *unit.condition)
    {
        let known: Vec<&str> = plan.conditions.iter().map(|c| &*c.name).collect();
        return Err(format!(
            "`{text}`: `{}` has no condition `{}`; its conditions are {}",
            unit.experiment,
            unit.condition,
            known.join(", ")
        ));
    }
    if unit.replicate >= plan.replicates {
        let all: Vec<u32> = (0..plan.replicates.min(2)).collect();
        let shown = if plan.replicates > 2 {
            format!("0-{}", plan.replicates - 1)
        } else {
            ranges(&all)
        };
        return Err(format!(
            "`{text}`: `{}` plans {} replicate(s) per condition, numbered {shown}; replicate {} is not among them",
            unit.experiment, plan.replicates, unit.replicate
        ));
    }
    Ok(unit)
}

/// The experiment to plan for `--explain UNIT` when no experiment is named: the unit's (an
/// unparsable unit is reported once the plans are known).
pub(super) fn experiment_of(text: &str) -> Option<String> {
    UnitRef::parse(text).ok().map(|unit| unit.experiment)
}
