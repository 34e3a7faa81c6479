//! Definition errors found before anything runs, and treatments inherited downstream.
//!
//! Part 1 runs `param_definitions` (`src/bin/param_definitions.rs`), whose params are right or
//! wrong as `CRYSTALLIZE_TEST_PARAMS` says: a param no stage takes, or one a stage takes that a
//! condition does not set, stops every command with exit 2 before anything runs; params read
//! through the context are not refused. Part 2 runs the `fixture` binary's `inherit_*`
//! experiments (`src/inherit_fixtures.rs`) and the pipeline example.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{Run, files_below, fixture, run_bin_with_env};
use serde_json::{Value, json};

const PARAMS: &str = env!("CARGO_BIN_EXE_param_definitions");

/// Runs `param_definitions` in `variant` with `args`.
fn params_bin(variant: &str, data: &Path, args: &[&str]) -> Run {
    run_bin_with_env(
        PARAMS,
        data,
        args,
        &[("CRYSTALLIZE_TEST_PARAMS", Path::new(variant))],
    )
}

/// Exit 2 with nothing on stdout, and on stderr exactly the `error: ` lines `expected` (each
/// given by parts it must contain), in order; nothing panicked.
fn assert_refused(run: &Run, expected: &[&[&str]]) {
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing on stdout:\n{}", run.stdout);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        expected.len(),
        "{} error lines expected:\n{}",
        expected.len(),
        run.stderr
    );
    for (line, parts) in lines.iter().zip(expected) {
        assert!(line.starts_with("error: "), "{}", run.stderr);
        for part in *parts {
            assert!(line.contains(part), "`{part}` missing in:\n{line}");
        }
    }
}

/// Every command refuses the variant with the `expected` errors, and writes nothing.
fn refused_everywhere(variant: &str, expected: &[&[&str]]) {
    let data = tempfile::tempdir().unwrap();
    for args in [
        &["run"][..],
        &["plan"],
        &["list"],
        &["show", "params_main"],
        &["run", "params_producer"],
    ] {
        let run = params_bin(variant, data.path(), args);
        assert_refused(&run, expected);
    }
    assert!(files_below(data.path()).is_empty(), "nothing written");
}

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
// Part 1: params checked before anything runs.

/// `.param("nn", ..)` where the source takes `n`: refused by every command, naming the param,
/// listing what the stages take, suggesting `n`; and `n`, now set nowhere, is named too.
#[test]
fn a_baseline_param_no_stage_takes_is_refused_with_a_suggestion() {
    refused_everywhere(
        "typo-baseline",
        &[
            &[
                "experiment `params_main` (tests/src/bin/param_definitions.rs:",
                "the baseline sets param `nn`, which no stage takes",
                "the stages take `n` (source `numbers`), `factor` (step `scale`), `offset` (step `shift`), `extra` (step `summarize`)",
                "did you mean `n`?",
            ],
            &[
                "experiment `params_main`",
                "source `numbers` takes param `n`, which no condition sets (conditions: baseline, shifted)",
                "`.param(\"n\", ..)`",
                "`Option<..>`",
            ],
        ],
    );
}

/// A treatment's payload is checked the same way, and the message names the treatment.
#[test]
fn a_treatment_param_no_stage_takes_names_the_treatment() {
    refused_everywhere(
        "typo-treatment",
        &[&[
            "experiment `params_main`",
            "treatment `bigger` sets param `facter`, which no stage takes",
            "`factor` (step `scale`)",
            "did you mean `factor`?",
        ]],
    );
}

/// A param a step takes (not an `Option`) must be set in every condition: set by one treatment
/// only, the error names the step, the param and the conditions lacking it.
#[test]
fn a_param_a_stage_takes_must_be_set_in_every_condition() {
    let data = tempfile::tempdir().unwrap();
    let run = params_bin("missing-in-baseline", data.path(), &["run"]);
    assert_refused(
        &run,
        &[&[
            "experiment `params_main`",
            "step `scale` takes param `factor`, which conditions `baseline`, `shifted` do not set",
        ]],
    );
    assert!(!run.stderr.contains("`given`"), "{}", run.stderr);
    refused_everywhere(
        "missing-in-baseline",
        &[&["step `scale` takes param `factor`"]],
    );
}

/// The conditions lacking a param include the inherited ones, marked as such.
#[test]
fn a_param_missing_in_inherited_conditions_names_them() {
    refused_everywhere(
        "missing-in-consumer",
        &[&[
            "experiment `params_consumer`",
            "step `weigh` takes param `weight`, which no condition sets (conditions: baseline, robust (inherited from params_producer))",
        ]],
    );
}

/// The valid definitions run; an `Option` param may be left out (`offset` in the baseline).
#[test]
fn valid_params_run_and_option_params_may_be_left_out() {
    let data = tempfile::tempdir().unwrap();
    let run = ok(params_bin("", data.path(), &["run", "--json"]));
    let main = run.experiment("params_main");
    let baseline = metric(&main, "baseline", "mean");
    let shifted = metric(&main, "shifted", "mean");
    for (base, shift) in baseline.iter().zip(&shifted) {
        assert!((shift - base - 10.0).abs() < 1e-9, "{main}");
    }
    assert_eq!(
        metric(&run.experiment("params_consumer"), "robust", "weighted"),
        [6.0]
    );
}

/// Params read through the context are not refused: by a literal name (`ctx.param("extra")`,
/// which the macro sees, so `extra` counts as taken), and, since the macro cannot see which
/// names they read, whenever a stage reads `ctx.params()`, hands its context to other code or
/// reads a name it computes.
#[test]
fn params_read_through_the_context_are_accepted() {
    for (variant, metric_name, value) in [
        ("context-literal", "extra", 0.5),
        ("context-params", "param_count", 4.0),
        ("context-passed", "noted", 1.0),
        ("context-dynamic-name", "computed", 1.0),
    ] {
        let data = tempfile::tempdir().unwrap();
        let run = params_bin(variant, data.path(), &["run", "params_main", "--json"]);
        let run = ok(run);
        let main = run.experiment("params_main");
        assert_eq!(
            metric(&main, "baseline", metric_name)[0],
            if variant == "context-params" {
                value - 1.0
            } else {
                value
            },
            "{variant}: {main}"
        );
        assert_eq!(metric(&main, "shifted", metric_name)[0], value, "{variant}");
    }
}

/// `show` says, per stage, which params it takes (and which of them may be left out), which it
/// reads from its context by name, and whether it may read params the check cannot see.
#[test]
fn show_tells_which_params_each_stage_takes_and_reads() {
    let data = tempfile::tempdir().unwrap();
    let shown = ok(params_bin(
        "context-params",
        data.path(),
        &["show", "params_main", "--json"],
    ))
    .report();
    let stages: BTreeMap<String, Value> = shown["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stage| (stage["name"].as_str().unwrap().to_string(), stage.clone()))
        .collect();
    let facts = |name: &str| {
        let stage = &stages[name];
        (
            stage["params"].clone(),
            stage["optional_params"].clone(),
            stage["context_params"].clone(),
            stage["context_params_unknown"].clone(),
        )
    };
    assert_eq!(
        facts("numbers"),
        (json!(["n"]), json!([]), json!([]), json!(false))
    );
    assert_eq!(
        facts("shift"),
        (
            json!(["offset"]),
            json!(["offset"]),
            json!([]),
            json!(false)
        )
    );
    assert_eq!(
        facts("summarize"),
        (json!([]), json!([]), json!(["extra"]), json!(false))
    );
    assert_eq!(
        facts("count_params"),
        (json!([]), json!([]), json!([]), json!(true))
    );
    let text = ok(params_bin(
        "context-params",
        data.path(),
        &["show", "params_main"],
    ))
    .stdout;
    assert!(text.contains("params: offset (optional)"), "{text}");
    assert!(text.contains("reads from its context: extra"), "{text}");
    assert!(
        text.contains("may read any param from its context"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// Part 2: treatments inherited downstream.

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
    // Definition order: the baseline, own treatments as declared, inherited ones by name.
    assert_eq!(conditions(&mid), ["baseline", "wide", "mid", "robust"]);
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
        .split("inherit_mid: w") // `will run` (first run) or `would run`
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
    // The same conditions (the twin declares them in its own order).
    let sorted = |mut names: Vec<String>| {
        names.sort();
        names
    };
    let names = sorted(conditions(&run.experiment("inherit_down")));
    assert_eq!(sorted(conditions(&run.experiment("inherit_twin"))), names);
    let marker = |experiment: &str, condition: &str| {
        std::fs::read_to_string(
            data.path()
                .join(experiment)
                .join("v0")
                .join(condition)
                .join(".crystallize_complete"),
        )
        .unwrap_or_else(|error| panic!("{experiment}/{condition}: {error}"))
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
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
