//! The text of `plan --explain UNIT`: one unit's decision in full.

use crate::decide::report::{Report, UnitExplanation};

/// Renders every unit explanation the report holds (one, for the unit asked about).
pub(crate) fn render_explain(report: &Report) -> String {
    report
        .experiments
        .iter()
        .filter_map(|experiment| experiment.explain.as_ref())
        .map(render_unit)
        .collect()
}

fn render_unit(unit: &UnitExplanation) -> String {
    let mut out = format!(
        "{}/{}/{}: {}\n",
        unit.experiment,
        unit.condition,
        unit.replicate,
        match unit.decision.as_str() {
            "decide-after-upstream" => {
                "decided after its upstream runs (loads if what it reads comes out byte-identical, else runs)"
            }
            "load" => "loads",
            _ => "runs",
        }
    );
    for (index, reason) in unit.reasons.iter().enumerate() {
        let label = if index == 0 { "why" } else { "also" };
        out.push_str(&format!("  {label}: {}\n", reason.line()));
    }
    if let Some(from) = &unit.loads_from {
        let computed = unit
            .computed_in
            .map(|version| format!(" (computed in v{version})"))
            .unwrap_or_default();
        out.push_str(&format!("  loads from: {from}{computed}\n"));
    }
    out.push_str(&format!("  unit key: {}\n", unit.key));
    out.push_str(&format!("  condition key: {}\n", unit.condition_key));
    out.push_str(&format!("  params: {}\n", unit.params));
    for read in &unit.reads {
        let replicate = read
            .replicate
            .map_or_else(|| "(none)".to_string(), |replicate| replicate.to_string());
        let content = read
            .content
            .as_deref()
            .unwrap_or("not known (the producer runs it first, or it failed or did not write it)");
        out.push_str(&format!(
            "  reads: `{}` of {}/{} replicate {replicate} (v{}), content {content}\n",
            read.file, read.producer, read.condition, read.version
        ));
    }
    out
}
