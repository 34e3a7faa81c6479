//! Hypotheses: verdicts after every run, in the `--json` report, the summary and
//! `v<N>/hypotheses.json`; recomputed from loaded metrics when only a hypothesis changes (no
//! unit reruns); definition errors before anything runs.

use std::path::Path;

use serde_json::Value;

use crate::common::{Run, read_json, run_bin_with_env};

const BIN: &str = env!("CARGO_BIN_EXE_hypotheses");
const FAULTS: &str = env!("CARGO_BIN_EXE_hypothesis_faults");

/// Runs the `hypotheses` fixture with the hypotheses of `variant` (see its docs).
fn run(data: &Path, variant: &str, args: &[&str]) -> Run {
    let variant = Path::new(variant);
    run_bin_with_env(BIN, data, args, &[("CRYSTALLIZE_TEST_HYPOTHESES", variant)])
}

/// The fixture's per-replicate differences of `better` from the baseline, times `offset`.
fn differences(offset: f64) -> Vec<f64> {
    (0..6)
        .map(|replicate| offset * (1.0 + 0.1 * f64::from(replicate % 3)))
        .collect()
}

/// The paired t statistic of `differences`: mean / (sd / √n).
fn paired_t(differences: &[f64]) -> f64 {
    let n = differences.len() as f64;
    let mean = differences.iter().sum::<f64>() / n;
    let variance = differences.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
    mean / (variance.sqrt() / n.sqrt())
}

fn close(actual: &Value, expected: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{actual} is not a number (expected {expected})"));
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1e-300),
        "{actual} != {expected}"
    );
}

fn units_run(entry: &Value) -> u64 {
    entry["conditions"]
        .as_object()
        .expect("conditions")
        .values()
        .map(|condition| condition["units_run"].as_u64().expect("units_run"))
        .sum()
}

#[test]
fn a_run_reports_verdicts_per_hypothesis_and_treatment_everywhere() {
    let data = tempfile::tempdir().unwrap();
    let first = run(data.path(), "", &["run", "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let entry = first.experiment("verdicts");
    assert_eq!(units_run(&entry), 18);
    assert_eq!(entry["correction"], "holm");
    let hypotheses = entry["hypotheses"].as_array().expect("hypotheses");
    assert_eq!(hypotheses.len(), 1);
    let hypothesis = &hypotheses[0];
    assert_eq!(hypothesis["name"], "better score");
    assert_eq!(hypothesis["metric"], "score");
    assert_eq!(hypothesis["direction"], "greater");
    assert_eq!(hypothesis["test"], "paired-t");
    assert_eq!(hypothesis["alpha"], 0.05);
    assert_eq!(hypothesis["verifier"], Value::Null);
    let results = hypothesis["results"].as_array().expect("results");
    let treatments: Vec<&str> = results
        .iter()
        .map(|result| result["treatment"].as_str().unwrap())
        .collect();
    assert_eq!(treatments, ["better", "worse"]);
    let better = &results[0];
    let worse = &results[1];
    assert_eq!(better["test"], "paired-t");
    assert_eq!(better["n_baseline"], 6);
    assert_eq!(better["n_treatment"], 6);
    close(&better["statistic"], paired_t(&differences(1.0)));
    close(&worse["statistic"], paired_t(&differences(-0.5)));
    close(&better["effect"], 1.1);
    close(&worse["effect"], -0.55);
    // t = 30.1 with 5 degrees of freedom: p is far below 1e-5 for `better`, near 1 for `worse`.
    let p_better = better["p_value"].as_f64().unwrap();
    let p_worse = worse["p_value"].as_f64().unwrap();
    assert!(p_better > 0.0 && p_better < 1e-5, "{p_better}");
    assert!(p_worse > 0.999 && p_worse <= 1.0, "{p_worse}");
    // Holm over two comparisons: the smaller p doubles, the larger one stays.
    close(&better["p_adjusted"], 2.0 * p_better);
    close(&worse["p_adjusted"], p_worse);
    let ci = &better["ci"];
    assert!(ci["low"].as_f64().unwrap() < 1.1 && 1.1 < ci["high"].as_f64().unwrap());
    assert_eq!(ci["method"], "analytic");
    assert_eq!(better["verdict"], "supported");
    assert_eq!(worse["verdict"], "not-supported");
    assert_eq!(
        hypothesis["ranking"],
        serde_json::json!(["better", "worse"])
    );
    // The same verdicts next to the results.
    let file = read_json(data.path().join("verdicts/v0/hypotheses.json"));
    assert_eq!(file["correction"], "holm");
    assert_eq!(&file["hypotheses"], &entry["hypotheses"]);

    // The summary prints the verdict table.
    let text = run(data.path(), "", &["run"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout
            .contains("hypotheses (p adjusted across 2 comparison(s), Holm):"),
        "{}",
        text.stdout
    );
    let row = text
        .stdout
        .lines()
        .find(|line| line.contains("better score") && line.contains(" better "))
        .unwrap_or_else(|| panic!("no row of `better`:\n{}", text.stdout));
    assert!(row.contains("paired-t"), "{row}");
    assert!(row.contains("1.100 ["), "{row}");
    assert!(row.contains("supported"), "{row}");
    assert!(!row.contains("not-supported"), "{row}");
}

#[test]
fn editing_only_hypotheses_reruns_no_unit_and_verifies_them_again() {
    let data = tempfile::tempdir().unwrap();
    let first = run(data.path(), "", &["run", "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(units_run(&first.experiment("verdicts")), 18);
    let before = first.experiment("verdicts")["conditions"].clone();

    let edited = run(data.path(), "edited", &["run", "--json"]);
    assert_eq!(edited.code, 0, "{}", edited.stderr);
    let entry = edited.experiment("verdicts");
    assert_eq!(entry["action"], "loaded", "{entry:#}");
    assert_eq!(units_run(&entry), 0);
    assert_eq!(entry["version"], 0);
    for (name, condition) in before.as_object().unwrap() {
        assert_eq!(
            entry["conditions"][name]["metrics"], condition["metrics"],
            "{name}"
        );
    }
    assert_eq!(entry["correction"], "benjamini-hochberg");
    let hypotheses = entry["hypotheses"].as_array().unwrap();
    let names: Vec<&str> = hypotheses
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["better score", "cost differs", "better by sign"]);
    let better_score = &hypotheses[0];
    assert_eq!(better_score["direction"], "less");
    assert_eq!(better_score["alpha"], 0.01);
    let results = better_score["results"].as_array().unwrap();
    // Now `worse` supports it: its score is lower in every replicate.
    assert_eq!(results[0]["verdict"], "not-supported");
    assert_eq!(results[1]["verdict"], "supported");
    close(&results[1]["statistic"], paired_t(&differences(-0.5)));
    // Ranked by the custom ranker: largest effect first.
    assert_eq!(
        better_score["ranking"],
        serde_json::json!(["better", "worse"])
    );
    // `cost` is the same in every condition: no treatment supports that it differs.
    let cost = &hypotheses[1];
    assert_eq!(cost["test"], "welch-t");
    for result in cost["results"].as_array().unwrap() {
        assert_ne!(result["verdict"], "supported", "{result}");
        assert_eq!(result["effect"], 0.0, "{result}");
    }
    // The custom verifier: its name and code hash; p = 0.5^6 for six wins out of six.
    let sign = &hypotheses[2];
    assert_eq!(sign["test"], Value::Null);
    assert_eq!(sign["verifier"]["name"], "sign_test");
    let code = sign["verifier"]["code"].as_str().unwrap();
    assert!(
        code.len() == 64 && code.bytes().all(|b| b.is_ascii_hexdigit()),
        "{code}"
    );
    let results = sign["results"].as_array().unwrap();
    close(&results[0]["p_value"], 0.5f64.powi(6));
    close(&results[0]["statistic"], 6.0);
    // Without an effect of its own, the mean per-replicate difference.
    close(&results[0]["effect"], 1.1);
    close(&results[1]["p_value"], 1.0);
    assert_eq!(results[1]["verdict"], "not-supported");
    let file = read_json(data.path().join("verdicts/v0/hypotheses.json"));
    assert_eq!(&file["hypotheses"], &entry["hypotheses"]);

    // Without hypotheses: nothing reruns, the report has none and the file is gone.
    let none = run(data.path(), "none", &["run", "--json"]);
    assert_eq!(none.code, 0, "{}", none.stderr);
    let entry = none.experiment("verdicts");
    assert_eq!(units_run(&entry), 0);
    assert!(entry.get("hypotheses").is_none(), "{entry:#}");
    assert!(entry.get("correction").is_none(), "{entry:#}");
    assert!(!data.path().join("verdicts/v0/hypotheses.json").exists());
}

#[test]
fn hypotheses_that_cannot_be_verified_stop_every_command_before_anything_runs() {
    let data = tempfile::tempdir().unwrap();
    for args in [&["run"][..], &["plan"][..]] {
        let run = crate::common::run_bin(FAULTS, data.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(
                "hypothesis `faster` names metric `latency`, which no stage records; the stages \
                 record `mean`, `sd`"
            ),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("experiment `unknown_metric`"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(
                "hypothesis `bigger` compares treatments with the baseline, but the experiment \
                 has no treatment"
            ),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("experiment `no_treatments`"),
            "{}",
            run.stderr
        );
        // A stage recording a metric by a computed name: the check is skipped.
        assert!(!run.stderr.contains("opaque_records"), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    assert!(crate::common::files_below(data.path()).is_empty());
}

#[test]
fn show_and_export_give_the_declared_hypotheses_and_the_latest_verdicts() {
    let data = tempfile::tempdir().unwrap();
    // Before any run: the declared hypotheses, no verdicts, and export refuses clearly.
    let shown = run(data.path(), "edited", &["show", "verdicts"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    for expected in [
        "  hypotheses (correction benjamini-hochberg):",
        "    better score: `score` less than the baseline, paired-t, alpha 0.01",
        "    cost differs: `cost` different from the baseline, welch-t, alpha 0.05",
        "    better by sign: `score` greater than the baseline, verifier sign_test, alpha 0.05",
        "latest run: none",
    ] {
        assert!(
            shown.stdout.contains(expected),
            "{expected}\n{}",
            shown.stdout
        );
    }
    let first = run(data.path(), "", &["run"]);
    assert_eq!(first.code, 0, "{}", first.stderr);

    let shown = run(data.path(), "", &["show", "verdicts", "--json"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let shown: Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(shown["hypotheses"]["correction"], "holm");
    assert_eq!(shown["hypotheses"]["hypotheses"][0]["name"], "better score");
    assert_eq!(shown["hypotheses"]["hypotheses"][0]["test"], "paired-t");
    let verdicts = &shown["latest_run"]["verdicts"];
    assert_eq!(
        verdicts,
        &read_json(data.path().join("verdicts/v0/hypotheses.json"))
    );
    let text = run(data.path(), "", &["show", "verdicts"]);
    let row = text
        .stdout
        .lines()
        .find(|line| line.contains("better score") && line.contains(" worse "))
        .unwrap_or_else(|| panic!("no row of `worse`:\n{}", text.stdout));
    assert!(row.contains("not-supported"), "{row}");

    let csv = run(data.path(), "", &["export", "verdicts", "--hypotheses"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "version,hypothesis,metric,direction,treatment,test,n_baseline,n_treatment,statistic,\
         p_value,p_adjusted,effect,ci_low,ci_high,verdict,rank"
    );
    assert_eq!(lines.len(), 3, "{}", csv.stdout);
    assert!(
        lines[1].starts_with("0,better score,score,greater,better,paired-t,6,6,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(",supported,1"), "{}", lines[1]);
    assert!(lines[2].ends_with(",not-supported,2"), "{}", lines[2]);
    let stored = &verdicts["hypotheses"][0]["results"][0];
    let fields: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(
        fields[9].parse::<f64>().unwrap(),
        stored["p_value"].as_f64().unwrap()
    );
    assert_eq!(
        fields[11].parse::<f64>().unwrap(),
        stored["effect"].as_f64().unwrap()
    );

    let jsonl = run(
        data.path(),
        "",
        &["export", "verdicts", "--hypotheses", "--format", "jsonl"],
    );
    assert_eq!(jsonl.code, 0, "{}", jsonl.stderr);
    let rows: Vec<Value> = jsonl
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["treatment"], "better");
    assert_eq!(rows[0]["verdict"], "supported");
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(rows[1]["p_adjusted"], stored_p_adjusted(verdicts, 1));

    // A run without hypotheses leaves none to export: a clear error, exit 2.
    assert_eq!(run(data.path(), "none", &["run"]).code, 0);
    let none = run(data.path(), "none", &["export", "verdicts", "--hypotheses"]);
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(
        none.stderr
            .contains("holds no verdicts: the experiment declared no hypotheses"),
        "{}",
        none.stderr
    );
    assert!(!none.stderr.contains("panicked"), "{}", none.stderr);
}

/// The stored adjusted p-value of the first hypothesis's `index`th treatment.
fn stored_p_adjusted(verdicts: &Value, index: usize) -> Value {
    verdicts["hypotheses"][0]["results"][index]["p_adjusted"].clone()
}

/// The template of the crate whose verifier the test edits.
const VERIFIER_TEMPLATE: &str = include_str!("../edit_fixture/verifier.rs.in");

#[test]
fn editing_a_verifier_verifies_again_and_reruns_no_unit() {
    let mut krate =
        crate::common::fixture_crate::FixtureCrate::new("verifier_fixture", VERIFIER_TEMPLATE);
    krate.build("as written");
    let first = krate.report(&["run"]);
    let entry = &first["experiments"][0];
    assert_eq!(units_run(entry), 6);
    let hypothesis = &entry["hypotheses"][0];
    assert_eq!(hypothesis["verifier"]["name"], "beats");
    let code = hypothesis["verifier"]["code"].clone();
    assert_eq!(hypothesis["results"][0]["p_value"], 0.01);
    assert_eq!(hypothesis["results"][0]["verdict"], "supported");

    // The helper the verifier reaches changes: its hash and its verdict change, no unit runs.
    krate.edit("    0.0\n}", "    2.0\n}");
    krate.build("threshold edited");
    let second = krate.report(&["run"]);
    let entry = &second["experiments"][0];
    assert_eq!(entry["action"], "loaded", "{entry:#}");
    assert_eq!(units_run(entry), 0);
    let hypothesis = &entry["hypotheses"][0];
    assert_ne!(hypothesis["verifier"]["code"], code);
    assert_eq!(hypothesis["results"][0]["p_value"], 0.5);
    assert_eq!(hypothesis["results"][0]["verdict"], "not-supported");
    let file = read_json(krate.data().join("verified/v0/hypotheses.json"));
    assert_eq!(file["hypotheses"], entry["hypotheses"]);
}

#[test]
fn the_quickstart_verifies_that_double_increases_the_mean() {
    let data = tempfile::tempdir().unwrap();
    let run = crate::common::fixture(data.path(), &["run", "quickstart", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("quickstart");
    let values = |condition: &str| -> Vec<f64> {
        entry["conditions"][condition]["metrics"]["mean"]
            .as_array()
            .unwrap()
            .iter()
            .map(|value| value.as_f64().unwrap())
            .collect()
    };
    let differences: Vec<f64> = values("double")
        .iter()
        .zip(values("baseline"))
        .map(|(double, baseline)| double - baseline)
        .collect();
    let hypothesis = &entry["hypotheses"][0];
    assert_eq!(hypothesis["name"], "double increases mean");
    assert_eq!(hypothesis["test"], "paired-t");
    let result = &hypothesis["results"][0];
    assert_eq!(result["treatment"], "double");
    assert_eq!(result["test"], "paired-t");
    close(&result["statistic"], paired_t(&differences));
    close(
        &result["effect"],
        differences.iter().sum::<f64>() / differences.len() as f64,
    );
    let p = result["p_value"].as_f64().unwrap();
    assert!(p > 0.0 && p < 1e-8, "{p}");
    assert_eq!(result["p_adjusted"], result["p_value"]);
    let (low, high) = (
        result["ci"]["low"].as_f64().unwrap(),
        result["ci"]["high"].as_f64().unwrap(),
    );
    let effect = result["effect"].as_f64().unwrap();
    assert!(low < effect && effect < high, "{low} {effect} {high}");
    assert_eq!(result["verdict"], "supported");

    // After the run, the verdict, effect, interval and p print.
    let text = crate::common::fixture(data.path(), &["run", "quickstart"]);
    let row = text
        .stdout
        .lines()
        .find(|line| line.contains("double increases mean"))
        .unwrap_or_else(|| panic!("no verdict:\n{}", text.stdout));
    for expected in ["double", "paired-t", "supported", " ["] {
        assert!(row.contains(expected), "{expected} in {row}");
    }
}
