//! The verdict table printed under an experiment's results: per hypothesis and treatment, the
//! effect with its confidence interval, the p-value, the adjusted p-value and the verdict.

use comfy_table::{Cell, Table, presets};

use crate::decide::verdicts::{HypothesisReport, TreatmentResult};
use crate::output::stats::format_number;
use crate::stats::Correction;

/// A number, or `-` when undefined.
fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), format_number)
}

/// `0.4952 [0.4100, 0.5800]`, or the effect alone without an interval.
fn effect_with_ci(result: &TreatmentResult) -> String {
    let effect = number(result.effect);
    match &result.ci {
        Some(ci) => format!(
            "{effect} [{}, {}]",
            format_number(ci.low),
            format_number(ci.high)
        ),
        None => effect,
    }
}

/// How the correction is named in the table's header.
fn correction_name(correction: Correction) -> &'static str {
    match correction {
        Correction::Holm => "Holm",
        Correction::BenjaminiHochberg => "Benjamini-Hochberg",
        Correction::None => "none",
    }
}

/// The verdict table of `hypotheses` (corrected with `correction`), with a line per note; empty
/// without hypotheses.
pub(crate) fn render(hypotheses: &[HypothesisReport], correction: Option<Correction>) -> String {
    if hypotheses.is_empty() {
        return String::new();
    }
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    crate::output::width::fit(&mut table);
    table.set_header(vec![
        "hypothesis",
        "treatment",
        "test",
        "effect [CI]",
        "p",
        "p adj",
        "verdict",
    ]);
    let mut notes = Vec::new();
    for hypothesis in hypotheses {
        let test = match (&hypothesis.verifier, hypothesis.test) {
            (Some(verifier), _) => verifier.name.clone(),
            (None, Some(test)) => serde_json::to_value(test)
                .ok()
                .and_then(|value| value.as_str().map(str::to_string))
                .unwrap_or_default(),
            (None, None) => String::new(),
        };
        for result in &hypothesis.results {
            table.add_row(vec![
                Cell::new(&hypothesis.name),
                Cell::new(&result.treatment),
                Cell::new(&test),
                Cell::new(effect_with_ci(result)),
                Cell::new(number(result.p_value)),
                Cell::new(number(result.p_adjusted)),
                Cell::new(result.verdict.as_str()),
            ]);
            for note in &result.notes {
                notes.push(format!(
                    "note: {} / {}: {note}",
                    hypothesis.name, result.treatment
                ));
            }
        }
    }
    let correction = correction.map_or("Holm", correction_name);
    let mut out = format!(
        "hypotheses (p adjusted across {} comparison(s), {correction}):\n{table}\n",
        hypotheses.iter().map(|h| h.results.len()).sum::<usize>()
    );
    for note in notes {
        out.push_str(&note);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::verdicts::Verdict;
    use crate::stats::{Direction, Effects, Interval, IntervalMethod, Test};

    #[test]
    fn the_table_shows_effect_interval_p_values_and_verdict() {
        let hypothesis = HypothesisReport {
            name: "double increases mean".into(),
            metric: "mean".into(),
            direction: Direction::Greater,
            test: Some(Test::PairedT),
            alpha: 0.05,
            verifier: None,
            results: vec![TreatmentResult {
                treatment: "double".into(),
                test: Some(Test::PairedT),
                n_baseline: 10,
                n_treatment: 10,
                statistic: Some(12.3),
                p_value: Some(1.2e-7),
                p_adjusted: Some(2.4e-7),
                effect: Some(0.4952),
                ci: Some(Interval {
                    low: 0.41,
                    high: 0.58,
                    level: 0.95,
                    method: IntervalMethod::Analytic,
                }),
                effects: Effects::default(),
                verdict: Verdict::Supported,
                notes: vec!["n < 2".into()],
            }],
            ranking: vec!["double".into()],
        };
        let text = render(&[hypothesis], Some(Correction::Holm));
        assert!(text.starts_with("hypotheses (p adjusted across 1 comparison(s), Holm):\n"));
        for expected in [
            "double increases mean",
            "paired-t",
            "0.4952 [0.4100, 0.5800]",
            "1.200e-7",
            "2.400e-7",
            "supported",
            "note: double increases mean / double: n < 2",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert_eq!(render(&[], None), "");
    }
}
