//! What `plan`, `run` and the tables say, as people read them (the `plan_output` fixture binary):
//! identical reasons grouped by replicate range at any number of replicates, `--explain UNIT`,
//! conditions in definition order everywhere, one number format, tables that fit `COLUMNS`, the
//! headline of an experiment that never ran, and a consumer stuck on its producer's failed unit.

use std::path::Path;

use crate::common::{Run, run_bin_with_env};

const BIN: &str = env!("CARGO_BIN_EXE_plan_output");

/// Runs the `plan_output` binary with `args` and environment variables `env`.
fn po(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let env: Vec<(&str, &Path)> = env
        .iter()
        .map(|(name, value)| (*name, Path::new(*value)))
        .collect();
    run_bin_with_env(BIN, data, args, &env)
}

/// [`po`], expecting exit code `code`.
fn po_exits(code: i32, data: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let run = po(data, args, env);
    assert_eq!(
        run.code, code,
        "{args:?}: exit {}\nstdout:\n{}\nstderr:\n{}",
        run.code, run.stdout, run.stderr
    );
    run
}

/// The first cell of every table row of `text` (header rows left out).
fn first_cells(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.starts_with('│'))
        .map(|line| {
            line.trim_matches('│')
                .split('┆')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .filter(|cell| !cell.is_empty() && cell != "condition")
        .collect()
}

/// Where each of `needles` first appears in `text`, in order; panics if one is missing.
fn positions(text: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|needle| {
            text.find(needle)
                .unwrap_or_else(|| panic!("no {needle} in:\n{text}"))
        })
        .collect()
}

fn increasing(positions: &[usize]) -> bool {
    positions.windows(2).all(|pair| pair[0] < pair[1])
}

/// 300 replicates that all failed with one message: `plan` says so in one line per condition,
/// the `-v` log in one line per condition, and the JSON report names the range.
#[test]
fn plan_groups_identical_reasons_at_300_replicates() {
    let data = tempfile::tempdir().unwrap();
    let failing = [("CRYSTALLIZE_TEST_FAIL", "1")];
    let args = ["run", "po_ordered", "--replicates", "300"];
    po_exits(1, data.path(), &args, &failing);

    let plan = po_exits(
        0,
        data.path(),
        &["plan", "po_ordered", "--replicates", "300", "-v"],
        &[],
    );
    let grouped = "replicates 0-299: failed-before: failed in v0: the instrument is unplugged";
    let rows: Vec<&str> = plan
        .stdout
        .lines()
        .filter(|l| l.contains(grouped))
        .collect();
    assert_eq!(rows.len(), 4, "one line per condition:\n{}", plan.stdout);
    assert!(
        plan.stdout.lines().count() <= 12,
        "a handful of lines:\n{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .starts_with("po_ordered: would run 1200 units and load 0 (300 replicates)"),
        "{}",
        plan.stdout
    );
    let log: Vec<&str> = plan
        .stderr
        .lines()
        .filter(|line| line.contains("failed-before"))
        .collect();
    assert_eq!(log.len(), 4, "{}", plan.stderr);
    assert!(
        log[0].contains(
            "po_ordered/baseline: replicates 0-299: run (failed-before: failed in v0: the instrument is unplugged)"
        ),
        "{}",
        plan.stderr
    );

    // Two more replicates: they are new, the others failed before, each said once.
    let json = po_exits(
        0,
        data.path(),
        &["plan", "po_ordered", "--replicates", "302", "--json"],
        &[],
    );
    let entry = json.experiment("po_ordered");
    let reasons = entry["conditions"]["zeta"]["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0]["kind"], "failed-before");
    assert_eq!(reasons[0]["replicates"], "0-299");
    assert_eq!(reasons[1]["kind"], "replicates-added");
    assert_eq!(reasons[1]["replicates"], "300-301");
    assert_eq!(reasons[1]["detail"], "replicates 300 -> 302");
}

/// One failed replicate among loaded ones: each group names its replicates.
#[test]
fn one_failed_replicate_among_loaded_ones_is_named() {
    let data = tempfile::tempdir().unwrap();
    po_exits(
        1,
        data.path(),
        &["run", "po_producer", "--replicates", "6"],
        &[("CRYSTALLIZE_TEST_FAIL_REPLICATE", "1")],
    );
    let plan = po_exits(
        0,
        data.path(),
        &["plan", "po_producer", "--replicates", "6"],
        &[],
    );
    assert!(
        plan.stdout
            .contains("replicate 1: failed-before: failed in v0: replicate 1 fails"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("replicates 0, 2-5: signature-unchanged: loaded from v0"),
        "{}",
        plan.stdout
    );
}

/// `plan --explain EXPERIMENT/CONDITION/REPLICATE` shows one unit in full: its decision, every
/// reason, the version it loads from, its keys, and the producer replicate it reads.
#[test]
fn explain_shows_one_unit_in_full() {
    let data = tempfile::tempdir().unwrap();
    po_exits(0, data.path(), &["run", "po_consumer"], &[]);

    let loaded = po_exits(
        0,
        data.path(),
        &["plan", "--explain", "po_consumer/robust/3"],
        &[],
    );
    let text = &loaded.stdout;
    assert!(
        text.starts_with("po_consumer/robust/3: loads\n"),
        "only the unit:\n{text}"
    );
    assert!(
        text.contains("  loads from: v0 (computed in v0)\n"),
        "{text}"
    );
    assert!(text.contains("  params: {\"noise\":0.0}\n"), "{text}");
    assert!(
        text.contains("  reads: `model.json` of po_producer/robust replicate 1 (v0), content "),
        "{text}"
    );
    let key = text
        .lines()
        .find_map(|line| line.strip_prefix("  unit key: "))
        .unwrap_or_else(|| panic!("no unit key:\n{text}"));
    assert_eq!(key.len(), 64, "{key}");

    // The same as JSON, on the unit's experiment entry.
    let json = po_exits(
        0,
        data.path(),
        &["plan", "--explain", "po_consumer/noisy/2", "--json"],
        &[],
    );
    let explain = &json.experiment("po_consumer")["explain"];
    assert_eq!(explain["decision"], "load", "{explain}");
    assert_eq!(explain["condition"], "noisy");
    assert_eq!(explain["replicate"], 2);
    assert_eq!(explain["loads_from"], "v0");
    assert_eq!(explain["reads"][0]["producer"], "po_producer");
    assert_eq!(explain["reads"][0]["condition"], "baseline");
    assert_eq!(explain["reads"][0]["replicate"], 0);
    assert_eq!(explain["reads"][0]["content"].as_str().unwrap().len(), 8);
    assert!(json.experiment("po_producer").get("explain").is_none());

    // A changed param: the unit runs, with old -> new values.
    let changed = po_exits(
        0,
        data.path(),
        &["plan", "--explain", "po_ordered/mid/1", "--seed", "9"],
        &[],
    );
    assert!(
        changed.stdout.starts_with("po_ordered/mid/1: runs\n"),
        "{}",
        changed.stdout
    );
}

/// A unit that is not planned is a usage error that lists what exists.
#[test]
fn explain_of_a_unit_that_does_not_exist_lists_what_does() {
    let data = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 4] = [
        (
            "po_consumer/bogus/0",
            "its conditions are baseline, noisy, robust",
        ),
        (
            "po_consumer/robust/4",
            "plans 4 replicate(s) per condition, numbered 0-3",
        ),
        (
            "nope/baseline/0",
            "known experiments: po_consumer, po_ordered, po_producer, po_versioned",
        ),
        ("po_consumer/robust", "write EXPERIMENT/CONDITION/REPLICATE"),
    ];
    for (unit, listed) in cases {
        let run = po_exits(2, data.path(), &["plan", "--explain", unit], &[]);
        assert!(run.stderr.contains(listed), "{unit}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let other = po_exits(
        2,
        data.path(),
        &["plan", "po_ordered", "--explain", "po_consumer/baseline/0"],
        &[],
    );
    assert!(
        other
            .stderr
            .contains("the experiments planned are po_ordered"),
        "{}",
        other.stderr
    );
}

/// Treatments declared `zeta`, `alpha`, `mid` appear in that order, after the baseline, in every
/// table and in the JSON of `run`, `plan`, `show` and `list`; inherited treatments come after
/// the experiment's own.
#[test]
fn conditions_appear_in_definition_order_everywhere() {
    let data = tempfile::tempdir().unwrap();
    let order = ["baseline", "zeta", "alpha", "mid"];
    let run = po_exits(0, data.path(), &["run", "po_ordered"], &[]);
    assert_eq!(first_cells(&run.stdout), order, "{}", run.stdout);
    let plan = po_exits(0, data.path(), &["plan", "po_ordered"], &[]);
    assert_eq!(first_cells(&plan.stdout), order, "{}", plan.stdout);

    let quoted: Vec<String> = order.iter().map(|name| format!("\"{name}\": {{")).collect();
    let quoted: Vec<&str> = quoted.iter().map(String::as_str).collect();
    for args in [
        ["run", "po_ordered", "--json"],
        ["plan", "po_ordered", "--json"],
    ] {
        let json = po_exits(0, data.path(), &args, &[]);
        assert!(
            increasing(&positions(&json.stdout, &quoted)),
            "{args:?}:\n{}",
            json.stdout
        );
    }

    let show = po_exits(0, data.path(), &["show", "po_ordered"], &[]);
    let (definition, latest) = show
        .stdout
        .split_once("latest run:")
        .unwrap_or_else(|| panic!("{}", show.stdout));
    let rows = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|line| line.strip_prefix("    "))
            .filter_map(|line| line.split_whitespace().next())
            .map(str::to_string)
            .collect()
    };
    let definition = definition
        .split_once("  conditions:\n")
        .and_then(|(_, rest)| rest.split_once("  outputs:"))
        .map_or("", |(conditions, _)| conditions);
    assert_eq!(rows(definition), order, "{}", show.stdout);
    assert_eq!(rows(latest), order, "{}", show.stdout);
    let show_json = po_exits(0, data.path(), &["show", "po_ordered", "--json"], &[]);
    let (definition, latest) = show_json.stdout.split_once("\"latest_run\"").unwrap();
    let keys: Vec<String> = order.iter().map(|name| format!("\"{name}\":")).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    assert!(increasing(&positions(definition, &keys)), "{definition}");
    assert!(increasing(&positions(latest, &keys)), "{latest}");

    let list = po_exits(0, data.path(), &["list"], &[]);
    assert!(
        list.stdout.contains("baseline, zeta, alpha, mid"),
        "{}",
        list.stdout
    );
    assert!(
        list.stdout
            .contains("baseline, noisy, robust (inherited from po_producer)"),
        "{}",
        list.stdout
    );
    let list_json = po_exits(0, data.path(), &["list", "--json"], &[]);
    let ordered: serde_json::Value = serde_json::from_str(&list_json.stdout).unwrap();
    let entry = ordered["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == "po_ordered")
        .unwrap();
    assert_eq!(entry["conditions"], serde_json::json!(order));
}

/// Every table shows numbers with four significant digits, in scientific notation from 1e6 up.
#[test]
fn numbers_share_one_format() {
    let data = tempfile::tempdir().unwrap();
    let run = po_exits(0, data.path(), &["run", "po_ordered"], &[]);
    let row = |text: &str, condition: &str| -> String {
        text.lines()
            .find(|line| line.starts_with(&format!("│ {condition} ")))
            .unwrap_or_else(|| panic!("no {condition} row:\n{text}"))
            .to_string()
    };
    // Metrics: `large` (1234567 × factor), then `value` (replicate × factor).
    let baseline = row(&run.stdout, "baseline");
    assert!(baseline.contains("1.235e6 ± 0 (3)"), "{baseline}");
    assert!(baseline.contains("1.000 ± 1.000 (3)"), "{baseline}");
    let alpha = row(&run.stdout, "alpha");
    assert!(alpha.contains("617284 ± 0 (3)"), "{alpha}");
    assert!(alpha.contains("0.5000 ± 0.5000 (3)"), "{alpha}");
    let show = po_exits(0, data.path(), &["show", "po_ordered"], &[]);
    assert!(
        show.stdout
            .contains("large 617284 ± 0 (3)  value 0.5000 ± 0.5000 (3)"),
        "{}",
        show.stdout
    );
}

/// With `COLUMNS`, tables wrap long reasons to fit; without it (and no terminal), every row is
/// one line, whatever its length.
#[test]
fn tables_fit_the_width_columns_gives() {
    let data = tempfile::tempdir().unwrap();
    po_exits(
        1,
        data.path(),
        &["run", "po_consumer"],
        &[("CRYSTALLIZE_TEST_FAIL_REPLICATE", "1")],
    );
    let wide = po_exits(0, data.path(), &["plan", "po_consumer"], &[]);
    // The widest table line (the headlines above the tables are not wrapped).
    let longest = |text: &str| {
        text.lines()
            .filter(|line| line.starts_with(['│', '┌', '╞', '└']))
            .map(|line| line.chars().count())
            .max()
            .unwrap_or(0)
    };
    assert!(longest(&wide.stdout) > 200, "{}", wide.stdout);
    let narrow = po_exits(
        0,
        data.path(),
        &["plan", "po_consumer"],
        &[("COLUMNS", "80")],
    );
    assert!(longest(&narrow.stdout) <= 80, "{}", narrow.stdout);
    // The `why` cells, their wrapped lines joined.
    let flat = |text: &str| {
        text.lines()
            .filter(|line| line.starts_with('│'))
            .filter_map(|line| line.trim_end_matches('│').rsplit('┆').next())
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(
        flat(&narrow.stdout).contains("`po_producer` reruns that unit first"),
        "the reason is all there, wrapped:\n{}",
        narrow.stdout
    );
}

/// An experiment that never ran says that it will run, and that its upstream runs first.
#[test]
fn the_headline_of_an_experiment_that_never_ran_says_it_will_run() {
    let data = tempfile::tempdir().unwrap();
    let plan = po_exits(0, data.path(), &["plan", "po_consumer"], &[]);
    let lines: Vec<&str> = plan
        .stdout
        .lines()
        .filter(|line| line.starts_with("po_"))
        .collect();
    assert_eq!(
        lines,
        [
            "po_producer: will run 4 units (first run), 2 replicates",
            "po_consumer: will run 12 units (first run; its upstream `po_producer` runs first), 4 replicates",
        ],
        "{}",
        plan.stdout
    );
}

/// A consumer whose producer's unit failed, so the artifact it reads is missing: `plan` names
/// the producer, its condition and replicate, and what to do; while the producer keeps failing,
/// the run log says the consumer cannot succeed until the producer is fixed.
#[test]
fn a_consumer_stuck_on_its_producer_is_pointed_at_the_producer() {
    let data = tempfile::tempdir().unwrap();
    let failing = [("CRYSTALLIZE_TEST_FAIL_REPLICATE", "1")];
    let first = po_exits(1, data.path(), &["run", "po_consumer", "--json"], &failing);
    let consumer = first.experiment("po_consumer");
    let message = consumer["conditions"]["baseline"]["errors"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("`po_producer` has no `model.json`"),
        "{message}"
    );

    let plan = po_exits(0, data.path(), &["plan", "po_consumer", "--json"], &[]);
    let reasons = plan.experiment("po_consumer")["conditions"]["robust"]["reasons"].clone();
    let stuck = &reasons[0];
    assert_eq!(stuck["kind"], "failed-before", "{reasons}");
    assert_eq!(stuck["replicates"], "1, 3", "{reasons}");
    assert_eq!(
        stuck["detail"],
        "failed in v0: its input is missing: `po_producer` has no `model.json` for its condition `robust` replicate 1 (that unit failed or did not write it); `po_producer` reruns that unit first; if it fails again, fix `po_producer` and run again",
        "{reasons}"
    );

    // The producer fails again: the consumer's units say what would unblock them.
    let again = po_exits(1, data.path(), &["run", "po_consumer", "-v"], &failing);
    assert!(
        again.stderr.contains(
            "po_consumer/noisy: replicates 1, 3: run (failed-before: failed in v0: its input is missing: `po_producer` has no `model.json` for its condition `baseline` replicate 1 (that unit failed or did not write it); this unit cannot succeed until `po_producer` has it: fix what fails in `po_producer` and run again, or rerun it (`run po_producer --strategy rerun`))"
        ),
        "{}",
        again.stderr
    );
}

/// A consumer whose producer reruns first, with nothing of its own to run: the headline says its
/// units are decided once the producer has run, and by what.
#[test]
fn the_headline_of_a_consumer_waiting_for_its_producer_says_so() {
    let data = tempfile::tempdir().unwrap();
    po_exits(0, data.path(), &["run", "po_consumer"], &[]);
    let marker = |condition: &str| {
        data.path()
            .join("po_producer/v0")
            .join(condition)
            .join(".crystallize_complete")
    };
    std::fs::remove_file(marker("baseline")).unwrap();
    let plan = po_exits(0, data.path(), &["plan", "po_consumer"], &[]);
    assert!(
        plan.stdout.contains(
            "\npo_consumer: would run 0 units and load 4, and decide 8 by content after their upstream runs (4 replicates; its upstream `po_producer` runs first)\n"
        ),
        "{}",
        plan.stdout
    );
    std::fs::remove_file(marker("robust")).unwrap();
    let plan = po_exits(0, data.path(), &["plan", "po_consumer"], &[]);
    assert!(
        plan.stdout.contains(
            "\npo_consumer: will decide 12 units once `po_producer` has run: identical artifacts load, the rest run (4 replicates)\n"
        ),
        "{}",
        plan.stdout
    );
}
