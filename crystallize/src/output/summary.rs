//! The human-readable output of a run: one table per experiment with each metric's
//! mean ± sd and n per condition, and the verdicts of its hypotheses.

use comfy_table::{Cell, Table, presets};

use crate::decide::report::{Action, ExperimentReport, Report};
use crate::output::stats::{format_number, summarize};

/// At most this many warnings are printed under an experiment's `plan` table; the rest are
/// counted (the `-v` log and the `--json` report have them all).
const MAX_PLAN_WARNINGS: usize = 5;

/// Renders the report as text (what `run` prints without `--json`).
pub(crate) fn render(report: &Report) -> String {
    let mut out = String::new();
    for experiment in &report.experiments {
        out.push_str(&render_experiment(experiment));
        out.push('\n');
    }
    out
}

/// One line naming the corrupt, foreign or unusable files a run found (the full messages are in
/// the `-v` log and the `--json` report).
fn problems_line(experiment: &ExperimentReport) -> Option<String> {
    if experiment.warnings.is_empty() {
        return None;
    }
    let marker = format!("/{}/", experiment.name);
    let mut paths: Vec<&str> = Vec::new();
    for warning in &experiment.warnings {
        let path = warning
            .split_whitespace()
            .find(|token| token.contains(&marker))
            .map(|token| token.trim_end_matches([':', ',', ';', ')']));
        if let Some(path) = path
            && !paths.contains(&path)
        {
            paths.push(path);
        }
    }
    let count = experiment.warnings.len();
    Some(if paths.is_empty() {
        format!(
            "warning: {}{}",
            experiment.warnings[0],
            if count > 1 {
                format!(" (and {} more; all with -v or --json)", count - 1)
            } else {
                String::new()
            }
        )
    } else {
        format!(
            "warning: {count} problem(s) with files under the data directory, treated as missing or left as is: {} (details with -v or --json)",
            paths.join(", ")
        )
    })
}

fn render_experiment(experiment: &ExperimentReport) -> String {
    let run: u32 = experiment.conditions.values().map(|c| c.units_run).sum();
    let loaded: u32 = experiment.conditions.values().map(|c| c.units_loaded).sum();
    let failed: usize = experiment.conditions.values().map(|c| c.errors.len()).sum();
    let action = match experiment.action {
        Action::Ran => "ran",
        Action::Partial => "partial",
        Action::Loaded => "loaded",
    };
    let mut header = format!(
        "{} (v{}): {action}, {run} units run, {loaded} loaded, {} replicates",
        experiment.name, experiment.version, experiment.replicates
    );
    if failed > 0 {
        header.push_str(&format!(", {failed} failed"));
    }
    let mut metric_names: Vec<&String> = experiment
        .conditions
        .values()
        .flat_map(|condition| condition.metrics.keys())
        .collect();
    metric_names.sort();
    metric_names.dedup();
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    crate::output::width::fit(&mut table);
    let mut head = vec![Cell::new("condition")];
    head.extend(
        metric_names
            .iter()
            .map(|name| Cell::new(format!("{name}: mean ± sd (n)"))),
    );
    if failed > 0 {
        head.push(Cell::new("failed"));
    }
    table.set_header(head);
    for (name, condition) in &experiment.conditions {
        let mut row = vec![Cell::new(name)];
        for metric in &metric_names {
            let summary = summarize(
                condition
                    .metrics
                    .get(*metric)
                    .map_or(&[][..], Vec::as_slice),
            );
            row.push(Cell::new(format!(
                "{} ± {} ({})",
                format_number(summary.mean),
                format_number(summary.sd),
                summary.n
            )));
        }
        if failed > 0 {
            row.push(Cell::new(condition.errors.len()));
        }
        table.add_row(row);
    }
    let mut out = format!("{header}\n{table}\n");
    out.push_str(&crate::output::verdicts::render(
        &experiment.hypotheses,
        experiment.correction,
    ));
    if let Some(line) = problems_line(experiment) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The upstream experiments of `experiment` that run some units before it, among `earlier` (the
/// experiments planned before it, in run order).
fn upstream_running<'a>(
    experiment: &'a ExperimentReport,
    earlier: &[ExperimentReport],
) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for input in experiment.conditions.values().flat_map(|c| &c.inputs) {
        let runs = earlier.iter().any(|producer| {
            producer.name == input.producer && producer.conditions.values().any(|c| c.units_run > 0)
        });
        if runs && !names.contains(&input.producer.as_str()) {
            names.push(&input.producer);
        }
    }
    names
}

/// The first line of an experiment's `plan` section: what would run, load, or be decided once
/// its upstream has run. An experiment that never ran says that it will run (and that its
/// upstream runs first).
pub(crate) fn plan_headline(experiment: &ExperimentReport, earlier: &[ExperimentReport]) -> String {
    let conditions = || experiment.conditions.values();
    let pending: u32 = conditions().map(|c| c.units_pending).sum();
    let run: u32 = conditions().map(|c| c.units_run).sum::<u32>() - pending;
    let loaded: u32 = conditions().map(|c| c.units_loaded).sum();
    let upstream = upstream_running(experiment, earlier);
    let upstream_first = match upstream.as_slice() {
        [] => String::new(),
        [one] => format!("; its upstream `{one}` runs first"),
        many => format!("; its upstreams `{}` run first", many.join("`, `")),
    };
    let replicates = format!("{} replicates", experiment.replicates);
    let name = &experiment.name;
    let first_run = !experiment.reasons.is_empty()
        && experiment
            .reasons
            .iter()
            .all(|reason| reason.kind == crate::decide::report::ReasonKind::FirstRun);
    if first_run && loaded == 0 && pending == 0 {
        return format!("{name}: will run {run} units (first run{upstream_first}), {replicates}");
    }
    if run == 0 && loaded == 0 && pending > 0 {
        let producers = match upstream.as_slice() {
            [] => "its upstream".to_string(),
            names => format!("`{}`", names.join("`, `")),
        };
        return format!(
            "{name}: will decide {pending} units once {producers} has run: identical artifacts load, the rest run ({replicates})"
        );
    }
    let after = if pending > 0 {
        format!(", and decide {pending} by content after their upstream runs")
    } else {
        String::new()
    };
    format!("{name}: would run {run} units and load {loaded}{after} ({replicates}{upstream_first})")
}

/// Renders what `plan` found: per experiment and condition (an inherited treatment marked
/// `name (inherited from producer)`), run or load and why.
pub(crate) fn render_plan(report: &Report) -> String {
    let mut out = String::new();
    for (index, experiment) in report.experiments.iter().enumerate() {
        out.push_str(&plan_headline(experiment, &report.experiments[..index]));
        out.push('\n');
        let mut table = Table::new();
        table.load_style(presets::UTF8_FULL_CONDENSED);
        crate::output::width::fit(&mut table);
        table.set_header(vec!["condition", "run", "load", "why"]);
        let decided_later = |condition: &crate::decide::report::ConditionReport| {
            if condition.units_pending > 0 {
                format!("{} later", condition.units_pending)
            } else {
                condition.units_run.to_string()
            }
        };
        for (name, condition) in &experiment.conditions {
            let mut why: Vec<String> = condition
                .reasons
                .iter()
                .map(crate::decide::report::Reason::line)
                .collect();
            why.extend(condition.inputs.iter().map(|input| {
                format!(
                    "reads `{}` of {}/{} (v{}, {} replicates)",
                    input.file, input.producer, input.condition, input.version, input.replicates
                )
            }));
            let why = why.join("\n");
            table.add_row(vec![
                Cell::new(crate::define::experiment::inherited_label(
                    name,
                    &condition.inherited_from,
                )),
                Cell::new(decided_later(condition)),
                Cell::new(condition.units_loaded),
                Cell::new(why),
            ]);
        }
        out.push_str(&format!("{table}\n"));
        for warning in experiment.warnings.iter().take(MAX_PLAN_WARNINGS) {
            out.push_str(&format!("warning: {warning}\n"));
        }
        if let Some(more) = experiment.warnings.len().checked_sub(MAX_PLAN_WARNINGS)
            && more > 0
        {
            out.push_str(&format!(
                "warning: and {more} more (all of them with -v or --json)\n"
            ));
        }
        for diff in &experiment.diffs {
            let hashes = format!(
                "{} -> {}",
                diff.old.as_deref().unwrap_or("(not reached)"),
                diff.new.as_deref().unwrap_or("(not reached)")
            );
            out.push_str(&format!("\n{}: code {hashes}\n", diff.item));
            if diff.note.is_empty() {
                out.push_str(&diff.diff);
            } else {
                out.push_str(&format!("(no diff: {})\n", diff.note));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::report::IndexMap;

    fn experiment(warnings: usize) -> ExperimentReport {
        ExperimentReport {
            name: "many".into(),
            action: Action::Ran,
            version: 0,
            replicates: 1,
            reasons: Vec::new(),
            conditions: IndexMap::new(),
            artifacts: Default::default(),
            warnings: (0..warnings)
                .map(|index| format!("problem {index}"))
                .collect(),
            pruned: Vec::new(),
            diffs: Vec::new(),
            explain: None,
            hypotheses: Vec::new(),
            correction: None,
        }
    }

    #[test]
    fn plan_prints_a_few_warnings_and_counts_the_rest() {
        let report = Report {
            experiments: vec![experiment(8)],
        };
        let text = render_plan(&report);
        let warnings: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("warning: "))
            .collect();
        assert_eq!(warnings.len(), MAX_PLAN_WARNINGS + 1, "{text}");
        assert_eq!(warnings[0], "warning: problem 0");
        assert_eq!(
            warnings[MAX_PLAN_WARNINGS],
            "warning: and 3 more (all of them with -v or --json)"
        );
        let few = render_plan(&Report {
            experiments: vec![experiment(MAX_PLAN_WARNINGS)],
        });
        assert!(!few.contains("more (all of them"), "{few}");
    }
}
