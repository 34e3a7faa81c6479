//! The `-v` log of decisions: per condition, which replicates load (from which version) and which
//! run, and why.

use crate::decide::report::{kind_name, ranges};
use crate::decide::resume::UnitDecision;

use super::Decided;

pub(super) fn log_decision(decided: &Decided<'_, '_>) {
    let plan = decided.plan;
    for warning in &decided.decision.warnings {
        eprintln!("[crystallize] {}: warning: {warning}", plan.name);
    }
    for (condition, decisions) in plan.conditions.iter().zip(&decided.decision.conditions) {
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        for (replicate, unit) in decisions.units.iter().enumerate() {
            let label = match unit {
                UnitDecision::Load(loaded) => format!(
                    "load from {} (signature unchanged; computed in v{})",
                    loaded.label(),
                    loaded.record.computed_in
                ),
                UnitDecision::Run(reason) => {
                    format!("run ({}: {})", kind_name(reason.kind), reason.detail)
                }
            };
            match groups.iter_mut().find(|(existing, _)| *existing == label) {
                Some((_, replicates)) => replicates.push(replicate as u32),
                None => groups.push((label, vec![replicate as u32])),
            }
        }
        for (label, replicates) in groups {
            eprintln!(
                "[crystallize] {}/{}: replicates {}: {label}",
                plan.name,
                condition.name,
                ranges(&replicates)
            );
        }
        for change in decisions.changes.iter().skip(1) {
            eprintln!(
                "[crystallize] {}/{}: also {}: {}",
                plan.name,
                condition.name,
                kind_name(change.kind),
                change.detail
            );
        }
    }
}
