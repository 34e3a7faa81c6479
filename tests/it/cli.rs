//! The command line: determinism of `--json` runs, overrides, exit codes and usage errors.

use crate::common::{fixture, metric_bits};

#[test]
fn same_seed_gives_bit_identical_metrics_across_runs_and_job_counts() {
    let runs: Vec<_> = [["--jobs", "1"], ["--jobs", "2"], ["--jobs", "2"]]
        .iter()
        .map(|jobs| {
            let data = tempfile::tempdir().unwrap();
            let mut args = vec!["run", "quickstart", "--json", "--seed", "7"];
            args.extend_from_slice(jobs);
            let run = fixture(data.path(), &args);
            assert_eq!(run.code, 0, "{}", run.stderr);
            run.experiment("quickstart")
        })
        .collect();
    for condition in ["baseline", "double"] {
        let first = metric_bits(&runs[0], condition, "mean");
        assert_eq!(first.len(), 10);
        assert!(first.iter().all(Option::is_some));
        for other in &runs[1..] {
            assert_eq!(metric_bits(other, condition, "mean"), first, "{condition}");
        }
    }
    let data = tempfile::tempdir().unwrap();
    let other_seed = fixture(data.path(), &["run", "quickstart", "--json", "--seed", "8"]);
    assert_ne!(
        metric_bits(&other_seed.experiment("quickstart"), "baseline", "mean"),
        metric_bits(&runs[0], "baseline", "mean")
    );
}

#[test]
fn report_follows_the_documented_schema() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "quickstart", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("quickstart");
    assert_eq!(entry["action"], "ran");
    assert_eq!(entry["version"], 0);
    assert_eq!(entry["replicates"], 10);
    assert_eq!(entry["reasons"][0]["kind"], "first-run");
    let baseline = &entry["conditions"]["baseline"];
    assert_eq!(baseline["action"], "ran");
    assert_eq!(baseline["units_run"], 10);
    assert_eq!(baseline["units_loaded"], 0);
    assert_eq!(baseline["errors"], serde_json::json!([]));
    let paths = entry["artifacts"]["summary.json"]["double"]
        .as_array()
        .unwrap();
    assert_eq!(paths.len(), 10);
    assert!(
        paths[3]
            .as_str()
            .unwrap()
            .ends_with("v0/replicate_3/double/summarize/summary.json")
    );
    let again = fixture(data.path(), &["run", "quickstart", "--json"]);
    assert_eq!(
        again.experiment("quickstart")["reasons"][0]["kind"],
        "strategy-rerun"
    );
}

#[test]
fn overrides_change_replicates_and_conditions() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(
        data.path(),
        &[
            "run",
            "seeded",
            "quickstart",
            "--replicates",
            "3",
            "--treatment",
            "shifted",
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seeded = run.experiment("seeded");
    assert_eq!(seeded["replicates"], 3);
    let conditions: Vec<_> = seeded["conditions"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(conditions, ["baseline", "shifted"]);
    // quickstart does not define `shifted`: it runs its baseline only.
    let quickstart = run.experiment("quickstart");
    let conditions: Vec<_> = quickstart["conditions"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(conditions, ["baseline"]);
    assert_eq!(metric_bits(&quickstart, "baseline", "mean").len(), 3);
}

#[test]
fn unknown_names_exit_2_and_list_what_exists() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "nope"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown experiment `nope`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("quickstart") && run.stderr.contains("seeded"),
        "{}",
        run.stderr
    );

    let run = fixture(data.path(), &["run", "quickstart", "--treatment", "triple"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown treatment `triple`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("double (quickstart)"), "{}", run.stderr);
    assert!(
        !data.path().join("quickstart").exists(),
        "nothing may run on a usage error"
    );
}

#[test]
fn bad_flags_exit_2_and_help_exits_0() {
    let data = tempfile::tempdir().unwrap();
    for args in [
        &["run", "--replicates", "0"][..],
        &["run", "--jobs", "0"],
        &["--bogus"],
        &["run", "--seed", "minus-one"],
        &["frobnicate"],
    ] {
        let run = fixture(data.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("error"), "{args:?}: {}", run.stderr);
    }
    let help = fixture(data.path(), &["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("list") && help.stdout.contains("--treatment"));
}

#[test]
fn no_subcommand_runs_every_experiment() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["--json"]);
    // `flaky` and friends fail on purpose, so the exit code is 1.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let names: Vec<String> = run.report()["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].as_str().unwrap().to_string())
        .collect();
    let listed = fixture(data.path(), &["list", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    let mut expected: Vec<String> = listed["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].as_str().unwrap().to_string())
        .collect();
    expected.sort();
    // The report lists experiments in run order: producers before their consumers.
    let position = |name: &str| names.iter().position(|n| n == name).unwrap();
    assert!(
        position("calibration") < position("evaluation"),
        "{names:?}"
    );
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    for name in ["flaky", "history", "quickstart", "seeded"] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing from {names:?}"
        );
    }
}

#[test]
fn list_shows_every_experiment() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["list"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("numbers -> scale -> summarize"),
        "{}",
        run.stdout
    );
    let json = fixture(data.path(), &["list", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let quickstart = listed["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == "quickstart")
        .unwrap()
        .clone();
    assert_eq!(
        quickstart["conditions"],
        serde_json::json!(["baseline", "double"])
    );
    assert_eq!(quickstart["replicates"], 10);
    assert!(
        !data.path().join("quickstart").exists(),
        "list must not run anything"
    );
}

#[test]
fn text_output_shows_mean_sd_and_n_per_condition() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "quickstart"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("quickstart (v0)"), "{}", run.stdout);
    assert!(run.stdout.contains("mean: mean ± sd (n)"), "{}", run.stdout);
    let baseline_row = run
        .stdout
        .lines()
        .find(|line| line.contains("baseline"))
        .unwrap();
    assert!(
        baseline_row.contains("±") && baseline_row.contains("(10)"),
        "{baseline_row}"
    );
}

#[test]
fn data_dir_comes_from_the_environment_when_not_given() {
    let data = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args(["run", "twice", "--json"])
        .env("CRYSTALLIZE_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    assert!(data.path().join("twice/v0/metadata.json").is_file());
}

#[test]
fn show_describes_the_definition_and_the_latest_run() {
    let data = tempfile::tempdir().unwrap();
    let before = fixture(data.path(), &["show", "quickstart"]);
    assert_eq!(before.code, 0, "{}", before.stderr);
    assert!(
        before.stdout.contains("step   summarize"),
        "{}",
        before.stdout
    );
    assert!(before.stdout.contains("cached"), "{}", before.stdout);
    assert!(
        before
            .stdout
            .contains("uses crystallize_examples::stats::mean"),
        "{}",
        before.stdout
    );
    assert!(
        before.stdout.contains("latest run: none"),
        "{}",
        before.stdout
    );
    assert!(
        !data.path().join("quickstart").exists(),
        "show must not write"
    );

    assert_eq!(fixture(data.path(), &["run", "flaky"]).code, 1);
    let after = fixture(data.path(), &["show", "flaky", "--json"]);
    let shown: serde_json::Value = serde_json::from_str(&after.stdout).unwrap();
    assert_eq!(shown["latest_run"]["version"], 0);
    assert_eq!(
        shown["latest_run"]["conditions"]["baseline"]["complete"],
        true
    );
    assert_eq!(shown["latest_run"]["conditions"]["boom"]["complete"], false);
    assert_eq!(
        shown["latest_run"]["conditions"]["boom"]["metrics"]["value"]["n"],
        3
    );
    assert_eq!(
        shown["conditions"]["boom"],
        serde_json::json!({"mode": "panic"})
    );
    let stage_names: Vec<_> = shown["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stage| stage["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stage_names, ["replicate_index", "maybe_fail"]);
    let text = fixture(data.path(), &["show", "flaky"]);
    assert!(
        text.stdout.contains("boom         incomplete"),
        "{}",
        text.stdout
    );

    let consumer = fixture(data.path(), &["show", "calibration", "--json"]);
    let shown: serde_json::Value = serde_json::from_str(&consumer.stdout).unwrap();
    assert_eq!(shown["read_by"], serde_json::json!(["evaluation"]));

    let unknown = fixture(data.path(), &["show", "nope"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown experiment `nope`"));
}
