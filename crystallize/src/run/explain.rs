//! `plan --explain UNIT`: one unit's decision in full — why it runs or loads (every reason, with
//! old -> new values), the version it loads from, its key, and the upstream replicate it reads.

use crate::decide::plan::ExperimentPlan;
use crate::decide::report::{Reason, ReasonKind, UnitExplanation, UnitRead, UnitRef};
use crate::decide::resume::{Decision, UnitView};

/// The explanation of `unit` of the decided experiment `plan` (`None` when the plan has no such
/// condition or replicate, which the command line checks before).
pub(super) fn explain_unit(
    plan: &ExperimentPlan<'_>,
    decision: &Decision,
    unit: &UnitRef,
) -> Option<UnitExplanation> {
    let index = plan
        .conditions
        .iter()
        .position(|condition| *condition.name == *unit.condition)?;
    let condition = &plan.conditions[index];
    let decided = decision.conditions.get(index)?;
    let replicate = unit.replicate;
    let record = &condition.record;
    let reads: Vec<UnitRead> = record
        .upstream
        .iter()
        .map(|read| UnitRead {
            producer: read.producer.clone(),
            file: read.file.clone(),
            condition: read.condition.clone(),
            replicate: read.source_replicate(replicate),
            version: plan
                .upstream
                .get(&read.producer)
                .map_or(0, |view| view.version),
            content: read.hash_for(replicate).map(|hash| hash.short()),
        })
        .collect();
    // A producer replicate it reads runs first: the unit is decided by what that publishes.
    let waits = record.upstream.iter().any(|read| {
        read.hash_for(replicate).is_none()
            && plan
                .upstream
                .get(&read.producer)
                .is_some_and(|view| view.pending)
    });
    let (what, mut reasons, loads_from, computed_in) =
        match decided.units.get(replicate as usize)? {
            UnitView::Run(reason) if waits && reason.kind == ReasonKind::UpstreamChanged => {
                ("decide-after-upstream", vec![reason.clone()], None, None)
            }
            UnitView::Run(reason) => ("run", vec![reason.clone()], None, None),
            UnitView::Load(loaded) => (
                "load",
                vec![Reason::new(
                    ReasonKind::SignatureUnchanged,
                    format!(
                        "its key is the one journaled in {}: loaded from there (computed in v{})",
                        loaded.label(),
                        loaded.computed_in()
                    ),
                )],
                Some(loaded.label()),
                Some(loaded.computed_in()),
            ),
        };
    for change in &decided.changes {
        if !reasons.contains(change) {
            reasons.push(change.clone());
        }
    }
    Some(UnitExplanation {
        experiment: plan.name.to_string(),
        condition: unit.condition.clone(),
        replicate,
        decision: what.to_string(),
        reasons,
        loads_from,
        computed_in,
        key: record.unit_key(replicate).hex(),
        condition_key: record.key.hex(),
        params: record.params.clone(),
        reads,
    })
}
