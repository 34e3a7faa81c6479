//! The `-v` log of decisions: per condition, which replicates load (from which version) and which
//! run, and why.

use crate::report::ReasonKind;
use crate::resume::UnitDecision;

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

/// The kebab-case name of a reason kind, as in the JSON report.
pub(crate) fn kind_name(kind: ReasonKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `0-9, 12, 14-15`.
pub(crate) fn ranges(values: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut index = 0;
    while index < values.len() {
        let start = values[index];
        let mut end = start;
        while index + 1 < values.len() && values[index + 1] == end + 1 {
            index += 1;
            end = values[index];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        index += 1;
    }
    parts.join(", ")
}
