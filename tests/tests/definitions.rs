//! Treatments inherited downstream: runs the `fixture` binary's `inherit_*` experiments
//! (`src/inherit_fixtures.rs`) and the pipeline example.

mod common;

use std::collections::BTreeMap;

use common::{Run, files_below, fixture};
use serde_json::{Value, json};

fn ok(run: Run) -> Run {
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

/// The metric values of `condition` as plain numbers.
fn metric(entry: &Value, condition: &str, metric: &str) -> Vec<f64> {
    entry["conditions"][condition]["metrics"][metric]
        .as_array()
        .unwrap_or_else(|| panic!("no metric `{metric}` in `{condition}` of {entry}"))
        .iter()
        .map(|value| value.as_f64().expect("a number"))
        .collect()
}

/// The condition names of a report entry, sorted.
fn conditions(entry: &Value) -> Vec<String> {
    entry["conditions"]
        .as_object()
        .unwrap_or_else(|| panic!("no conditions in {entry}"))
        .keys()
        .cloned()
        .collect()
}

/// Condition → its `inherited_from` in a report entry (conditions without one left out).
fn inherited_in_report(entry: &Value) -> BTreeMap<String, Value> {
    entry["conditions"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, condition)| condition.get("inherited_from").is_some())
        .map(|(name, condition)| (name.clone(), condition["inherited_from"].clone()))
        .collect()
}

/// Producer → the producer condition `condition` reads from it.
fn reads(entry: &Value, condition: &str) -> BTreeMap<String, String> {
    entry["conditions"][condition]["inputs"]
        .as_array()
        .unwrap_or_else(|| panic!("no inputs in `{condition}` of {entry}"))
        .iter()
        .map(|input| {
            (
                input["producer"].as_str().unwrap().to_string(),
                input["condition"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Treatments inherited downstream.

/// Every experiment has its own treatments plus those of everything upstream: two producers'
/// `robust` give one `robust`; `inherit_mid`'s own `wide` overrides `inherit_up`'s; `mid`,
/// defined mid-chain, reaches `inherit_down` but not `inherit_up`. Each inherited condition
/// reads its producers' condition of the same name where they have it, else their baseline,
/// with the consumer's baseline params.
#[test]
fn consumers_inherit_every_upstream_treatment_recursively() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(fixture(data.path(), &["run", "inherit_down", "--json"]));
    let up = run.experiment("inherit_up");
    let side = run.experiment("inherit_side");
    let mid = run.experiment("inherit_mid");
    let down = run.experiment("inherit_down");
    assert_eq!(conditions(&up), ["baseline", "robust", "wide"]);
    assert_eq!(conditions(&side), ["baseline", "robust", "side_only"]);
    assert_eq!(conditions(&mid), ["baseline", "mid", "robust", "wide"]);
    assert_eq!(
        conditions(&down),
        ["baseline", "extra", "mid", "robust", "side_only", "wide"]
    );

    // inherit_mid: `robust` is inherited (gain 1: its baseline), `wide` is its own (gain 5).
    for (condition, read, value) in [
        ("baseline", "baseline", 0.5),
        ("robust", "robust", 1.0),
        ("wide", "wide", 10.0),
        ("mid", "baseline", 1.5),
    ] {
        assert_eq!(reads(&mid, condition)["inherit_up"], read, "{condition}");
        assert_eq!(
            metric(&mid, condition, "value"),
            [value, value],
            "{condition}"
        );
    }
    // inherit_down: what it reads from each side, and its own bonus (baseline's, 0, in every
    // inherited condition).
    for (condition, from_mid, mid_value, from_side, side_value, bonus) in [
        ("baseline", "baseline", 0.5, "baseline", 0.0, 0.0),
        ("extra", "baseline", 0.5, "baseline", 0.0, 1.0),
        ("robust", "robust", 1.0, "robust", 100.0, 0.0),
        ("wide", "wide", 10.0, "baseline", 0.0, 0.0),
        ("mid", "mid", 1.5, "baseline", 0.0, 0.0),
        ("side_only", "baseline", 0.5, "side_only", 200.0, 0.0),
    ] {
        let read = reads(&down, condition);
        assert_eq!(read["inherit_mid"], from_mid, "{condition}");
        assert_eq!(read["inherit_side"], from_side, "{condition}");
        assert_eq!(metric(&down, condition, "from_mid"), [mid_value, mid_value]);
        assert_eq!(
            metric(&down, condition, "from_side"),
            [side_value, side_value]
        );
        assert_eq!(metric(&down, condition, "bonus"), [bonus, bonus]);
    }

    // The report marks the inherited conditions, naming where each is defined.
    assert!(inherited_in_report(&up).is_empty());
    assert_eq!(
        inherited_in_report(&mid),
        BTreeMap::from([("robust".to_string(), json!(["inherit_up"]))])
    );
    assert_eq!(
        inherited_in_report(&down),
        BTreeMap::from([
            ("mid".to_string(), json!(["inherit_mid"])),
            ("robust".to_string(), json!(["inherit_side", "inherit_up"])),
            ("side_only".to_string(), json!(["inherit_side"])),
            ("wide".to_string(), json!(["inherit_mid"])),
        ])
    );
}

/// `--treatment X` runs X on every experiment that has it, own or inherited, and the baseline
/// elsewhere.
#[test]
fn the_treatment_flag_activates_inherited_treatments_too() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(fixture(
        data.path(),
        &["run", "inherit_down", "--treatment", "mid", "--json"],
    ));
    assert_eq!(conditions(&run.experiment("inherit_up")), ["baseline"]);
    assert_eq!(conditions(&run.experiment("inherit_side")), ["baseline"]);
    assert_eq!(
        conditions(&run.experiment("inherit_mid")),
        ["baseline", "mid"]
    );
    let down = run.experiment("inherit_down");
    assert_eq!(conditions(&down), ["baseline", "mid"]);
    assert_eq!(metric(&down, "mid", "from_mid"), [1.5, 1.5]);

    let run = ok(fixture(
        data.path(),
        &["run", "inherit_down", "--treatment", "side_only", "--json"],
    ));
    assert_eq!(
        conditions(&run.experiment("inherit_side")),
        ["baseline", "side_only"]
    );
    assert_eq!(conditions(&run.experiment("inherit_mid")), ["baseline"]);
    let down = run.experiment("inherit_down");
    assert_eq!(conditions(&down), ["baseline", "side_only"]);
    assert_eq!(metric(&down, "side_only", "from_side"), [200.0, 200.0]);
}

/// `list`, `show` and `plan`, as text and JSON, mark inherited treatments and name where they
/// come from; the fields that were there stay.
#[test]
fn list_show_and_plan_mark_inherited_treatments() {
    let data = tempfile::tempdir().unwrap();
    let listed = ok(fixture(data.path(), &["list", "--json"])).report();
    let entry = |name: &str| -> Value {
        listed["experiments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no `{name}` in {listed}"))
    };
    let down = entry("inherit_down");
    assert_eq!(
        down["conditions"],
        json!(["baseline", "extra", "mid", "robust", "side_only", "wide"])
    );
    assert_eq!(
        down["inherited"],
        json!({"mid": ["inherit_mid"], "robust": ["inherit_side", "inherit_up"],
               "side_only": ["inherit_side"], "wide": ["inherit_mid"]})
    );
    assert_eq!(entry("inherit_up")["inherited"], json!({}));
    let text = ok(fixture(data.path(), &["list"])).stdout;
    let row = text
        .lines()
        .find(|line| line.contains("│ inherit_mid "))
        .unwrap_or_else(|| panic!("no inherit_mid row:\n{text}"));
    assert!(
        row.contains("baseline, wide, mid, robust (inherited from inherit_up)"),
        "{row}"
    );

    let shown = ok(fixture(data.path(), &["show", "inherit_mid", "--json"])).report();
    assert_eq!(shown["inherited"], json!({"robust": ["inherit_up"]}));
    assert_eq!(shown["conditions"]["robust"], json!({"gain": 1.0}));
    assert_eq!(shown["conditions"]["wide"], json!({"gain": 5.0}));
    let text = ok(fixture(data.path(), &["show", "inherit_mid"])).stdout;
    assert!(
        text.contains("    robust (inherited from inherit_up) {\"gain\":1.0}"),
        "{text}"
    );
    assert!(text.contains("    wide         {\"gain\":5.0}"), "{text}");

    let plan = ok(fixture(data.path(), &["plan", "inherit_mid", "--json"]));
    let mid = plan.experiment("inherit_mid");
    assert_eq!(
        inherited_in_report(&mid),
        BTreeMap::from([("robust".to_string(), json!(["inherit_up"]))])
    );
    assert_eq!(mid["conditions"]["robust"]["units_run"], 2);
    let text = ok(fixture(data.path(), &["plan", "inherit_mid"])).stdout;
    let section = text
        .split("inherit_mid: would run")
        .nth(1)
        .unwrap_or_else(|| panic!("no inherit_mid section:\n{text}"));
    assert!(
        section.contains("│ robust (inherited from inherit_up) ┆"),
        "{text}"
    );
    assert!(section.contains("│ wide "), "{text}");
    assert!(!section.contains("wide (inherited"), "{text}");
    assert!(files_below(data.path()).is_empty(), "nothing written");
}

/// An inherited condition is keyed like any condition, from the consumer's baseline params:
/// the same keys as a twin that writes the treatments out with `params! {}`, and the same
/// keys again on the next run (it loads everything).
#[test]
fn inherited_conditions_are_keyed_like_written_out_ones() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(fixture(
        data.path(),
        &["run", "inherit_down", "inherit_twin", "--json"],
    ));
    let names = conditions(&run.experiment("inherit_down"));
    assert_eq!(conditions(&run.experiment("inherit_twin")), names);
    let marker = |experiment: &str, condition: &str| {
        std::fs::read_to_string(
            data.path()
                .join(experiment)
                .join("v0")
                .join(condition)
                .join(".crystallize_complete"),
        )
        .unwrap_or_else(|error| panic!("{experiment}/{condition}: {error}"))
    };
    for condition in &names {
        let key = marker("inherit_down", condition);
        assert_eq!(key.trim().len(), 64, "{condition}: {key}");
        assert_eq!(key, marker("inherit_twin", condition), "{condition}");
    }
    let again = ok(fixture(
        data.path(),
        &["plan", "inherit_down", "--strategy", "resume", "--json"],
    ));
    let down = again.experiment("inherit_down");
    for condition in &names {
        assert_eq!(
            down["conditions"][condition]["units_loaded"], 2,
            "{condition}: {down}"
        );
    }
}

/// The pipeline example: `evaluation` inherits `robust` from `calibration`, so its `robust`
/// condition reads calibration's robust model, and `--treatment robust` runs it on both.
#[test]
fn the_pipeline_example_inherits_robust_from_calibration() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(fixture(
        data.path(),
        &["run", "evaluation", "--treatment", "robust", "--json"],
    ));
    assert_eq!(
        conditions(&run.experiment("calibration")),
        ["baseline", "robust"]
    );
    let evaluation = run.experiment("evaluation");
    assert_eq!(conditions(&evaluation), ["baseline", "robust"]);
    assert_eq!(reads(&evaluation, "robust")["calibration"], "robust");
    assert_eq!(
        inherited_in_report(&evaluation),
        BTreeMap::from([("robust".to_string(), json!(["calibration"]))])
    );
}
