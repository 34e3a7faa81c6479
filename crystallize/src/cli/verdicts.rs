//! The verdicts of a stored run for `show` and `export --hypotheses`: read from
//! `v<N>/hypotheses.json`, and the declared hypotheses of a definition.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use crate::decide::verdicts::HypothesesReport;
use crate::define::experiment::Experiment;
use crate::store::layout::HYPOTHESES;
use crate::store::records::{RecordError, read_record};

use super::csv::{field as csv_field, number};

/// The verdicts stored in `version_dir`: `Ok(None)` when there are none (the experiment declared
/// no hypotheses when it last ran), `Err` with what is wrong with the file.
pub(crate) fn stored(version_dir: &Path) -> Result<Option<HypothesesReport>, String> {
    let path = version_dir.join(HYPOTHESES);
    match read_record::<HypothesesReport>(&path) {
        Ok(report) => Ok(Some(report)),
        Err(RecordError::Missing) => Ok(None),
        Err(RecordError::Corrupt(why)) => Err(format!("{} is unreadable: {why}", path.display())),
    }
}

/// The declared hypotheses of `experiment`, as `show --json` prints them.
pub(crate) fn declared(experiment: &Experiment) -> Value {
    let hypotheses: Vec<Value> = experiment
        .hypotheses
        .list
        .iter()
        .map(|hypothesis| {
            let spec = &hypothesis.spec;
            json!({
                "name": hypothesis.name,
                "metric": spec.metric,
                "direction": spec.direction,
                "test": if spec.verifier.is_some() { Value::Null } else { json!(spec.test) },
                "alpha": spec.alpha,
                "verifier": spec.verifier.as_ref().map(|verifier| json!({
                    "name": verifier.info.name,
                    "code": verifier.info.hash().hex(),
                })),
            })
        })
        .collect();
    json!({"correction": experiment.hypotheses.correction, "hypotheses": hypotheses})
}

/// One line per declared hypothesis (what `show` prints), from [`declared`].
pub(crate) fn render_declared(declared: &Value) -> String {
    let list = declared["hypotheses"].as_array();
    let Some(list) = list.filter(|list| !list.is_empty()) else {
        return String::new();
    };
    let mut out = format!(
        "  hypotheses (correction {}):\n",
        declared["correction"].as_str().unwrap_or_default()
    );
    for hypothesis in list {
        let how = match hypothesis["verifier"]["name"].as_str() {
            Some(verifier) => format!("verifier {verifier}"),
            None => hypothesis["test"].as_str().unwrap_or_default().to_string(),
        };
        let direction = match hypothesis["direction"].as_str() {
            Some("greater") => "greater than the baseline",
            Some("less") => "less than the baseline",
            _ => "different from the baseline",
        };
        out.push_str(&format!(
            "    {}: `{}` {direction}, {how}, alpha {}\n",
            hypothesis["name"].as_str().unwrap_or_default(),
            hypothesis["metric"].as_str().unwrap_or_default(),
            hypothesis["alpha"]
        ));
    }
    out
}

/// The columns of `export --hypotheses`, in order.
const COLUMNS: [&str; 16] = [
    "version",
    "hypothesis",
    "metric",
    "direction",
    "treatment",
    "test",
    "n_baseline",
    "n_treatment",
    "statistic",
    "p_value",
    "p_adjusted",
    "effect",
    "ci_low",
    "ci_high",
    "verdict",
    "rank",
];

/// One exported verdict.
#[derive(Serialize)]
struct VerdictRow<'a> {
    version: u32,
    hypothesis: &'a str,
    metric: &'a str,
    direction: crate::stats::Direction,
    treatment: &'a str,
    test: &'a str,
    n_baseline: usize,
    n_treatment: usize,
    statistic: Option<f64>,
    p_value: Option<f64>,
    p_adjusted: Option<f64>,
    effect: Option<f64>,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
    verdict: &'static str,
    /// 1 for the best treatment of the hypothesis.
    rank: usize,
}

/// Writes one row per hypothesis × treatment of `report` (stored in `version`): JSON lines, or
/// CSV with a header line.
pub(crate) fn write_verdicts(
    out: &mut dyn Write,
    version: u32,
    report: &HypothesesReport,
    jsonl: bool,
) -> std::io::Result<()> {
    if !jsonl {
        writeln!(out, "{}", COLUMNS.join(","))?;
    }
    for hypothesis in &report.hypotheses {
        let test = match (&hypothesis.verifier, hypothesis.test) {
            (Some(verifier), _) => verifier.name.clone(),
            (None, Some(test)) => serde_json::to_value(test)
                .ok()
                .and_then(|value| value.as_str().map(str::to_string))
                .unwrap_or_default(),
            (None, None) => String::new(),
        };
        for result in &hypothesis.results {
            let rank = hypothesis
                .ranking
                .iter()
                .position(|treatment| *treatment == result.treatment)
                .map_or(0, |index| index + 1);
            let row = VerdictRow {
                version,
                hypothesis: &hypothesis.name,
                metric: &hypothesis.metric,
                direction: hypothesis.direction,
                treatment: &result.treatment,
                test: &test,
                n_baseline: result.n_baseline,
                n_treatment: result.n_treatment,
                statistic: result.statistic,
                p_value: result.p_value,
                p_adjusted: result.p_adjusted,
                effect: result.effect,
                ci_low: result.ci.as_ref().map(|ci| ci.low),
                ci_high: result.ci.as_ref().map(|ci| ci.high),
                verdict: result.verdict.as_str(),
                rank,
            };
            if jsonl {
                serde_json::to_writer(&mut *out, &row)?;
                out.write_all(b"\n")?;
            } else {
                {
                    let optional = |value: Option<f64>| value.map(number).unwrap_or_default();
                    let direction = serde_json::to_value(row.direction)
                        .ok()
                        .and_then(|value| value.as_str().map(str::to_string))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                        row.version,
                        csv_field(row.hypothesis),
                        csv_field(row.metric),
                        direction,
                        csv_field(row.treatment),
                        csv_field(row.test),
                        row.n_baseline,
                        row.n_treatment,
                        optional(row.statistic),
                        optional(row.p_value),
                        optional(row.p_adjusted),
                        optional(row.effect),
                        optional(row.ci_low),
                        optional(row.ci_high),
                        row.verdict,
                        row.rank
                    )?;
                }
            }
        }
    }
    Ok(())
}
