//! What resume keys cover, on the `keys` binary's experiments (`tests/src/bin/keys.rs`):
//!
//! - a loaded unit must have every artifact its experiment declares now: a newly declared output
//!   the loaded run lacks reruns the producer (`artifact-missing`), while declaring a file every
//!   unit already writes reruns nothing (outputs are not part of any key);
//! - upstream content is keyed per unit: when one producer replicate's artifact changes (or its
//!   unit failed and reruns), only the consumer replicates that read it rerun, and the reason
//!   names the producer, the artifact and the producer replicate; `plan` predicts as much;
//! - data written under the previous key scheme (`tests/fixtures/key_scheme_1/`, written by the
//!   `keys` binary before the scheme changed) is never loaded: every unit reruns once with
//!   `key-scheme-changed`, and loads afterwards, also when a run limited by `--treatment` kept
//!   some of its conditions in between;
//! - a condition kept by a run limited by `--treatment` is compared with the record it ran with
//!   (its code, seed and schemes), not with the limited run's.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{Run, kinds, metric_bits, read_json, reasons};

const KEYS: &str = env!("CARGO_BIN_EXE_keys");

/// Every variable the `keys` binary reads.
const VARIABLES: [&str; 4] = [
    "CRYSTALLIZE_TEST_WRITE_TWO",
    "CRYSTALLIZE_TEST_DECLARE_TWO",
    "CRYSTALLIZE_TEST_UNKEYED",
    "CRYSTALLIZE_TEST_FAIL_REPLICATE",
];

/// Runs the `keys` binary with `args` (plus `--json`), data under `data`, and only the
/// variables of `env` set.
fn keys(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(KEYS);
    command
        .args(args)
        .arg("--json")
        .arg("--data-dir")
        .arg(data)
        .env_remove("CRYSTALLIZE_DATA_DIR");
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("the keys binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// [`keys`], expecting exit 0.
fn ok(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let run = keys(data, args, env);
    assert_eq!(
        run.code, 0,
        "{args:?} {env:?} failed:\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

/// `(units_run, units_loaded, units_pending)` of `experiment`'s baseline.
fn counts(run: &Run, experiment: &str) -> (u64, u64, u64) {
    let baseline = &run.experiment(experiment)["conditions"]["baseline"];
    (
        baseline["units_run"].as_u64().unwrap(),
        baseline["units_loaded"].as_u64().unwrap(),
        baseline["units_pending"].as_u64().unwrap_or(0),
    )
}

/// Asserts that `experiment` loaded all its units.
fn assert_all_loaded(run: &Run, experiment: &str) {
    let entry = run.experiment(experiment);
    assert_eq!(entry["action"], "loaded", "{entry:#}");
    assert_eq!(
        kinds(&entry["reasons"]),
        ["signature-unchanged"],
        "{entry:#}"
    );
}

fn values(run: &Run, experiment: &str, metric: &str) -> Vec<f64> {
    metric_bits(&run.experiment(experiment), "baseline", metric)
        .into_iter()
        .map(|bits| f64::from_bits(bits.expect("a value")))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Declared outputs.

const DECLARED: [(&str, &str); 2] = [
    ("CRYSTALLIZE_TEST_WRITE_TWO", "1"),
    ("CRYSTALLIZE_TEST_DECLARE_TWO", "1"),
];

/// A producer ran without writing `two.json`; then `.output("two.json")` is declared and a
/// consumer reads it. Resume must not load the producer's units (they lack a declared output):
/// `plan` and the run say `artifact-missing`, naming the output as newly declared; the producer
/// reruns, the consumer runs and reads what it wrote, and the next resume loads everything.
#[test]
fn a_newly_declared_output_the_loaded_run_lacks_reruns_the_producer() {
    let data = tempfile::tempdir().unwrap();
    ok(data.path(), &["run", "keys_outputs"], &[]);

    let plan = ok(
        data.path(),
        &["plan", "keys_outputs_reader", "--strategy", "resume"],
        &DECLARED,
    );
    assert_eq!(counts(&plan, "keys_outputs"), (2, 0, 0));
    let producer = plan.experiment("keys_outputs");
    let why = reasons(&producer["conditions"]["baseline"]["reasons"]);
    assert_eq!(why.len(), 1, "{why:?}");
    assert_eq!(why[0].0, "artifact-missing", "{why:?}");
    assert!(
        why[0].1.contains("`two.json`") && why[0].1.contains("newly declared"),
        "the reason names the output and that it is newly declared: {why:?}"
    );

    let run = ok(
        data.path(),
        &["run", "keys_outputs_reader", "--strategy", "resume"],
        &DECLARED,
    );
    let producer = run.experiment("keys_outputs");
    assert_eq!(producer["action"], "ran", "{producer:#}");
    assert_eq!(
        kinds(&producer["conditions"]["baseline"]["reasons"]),
        ["artifact-missing"]
    );
    assert_eq!(
        producer["artifacts"]["two.json"]["baseline"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{producer:#}"
    );
    assert_eq!(values(&run, "keys_outputs_reader", "read"), [0.0, 2.0]);

    let again = ok(
        data.path(),
        &["run", "keys_outputs_reader", "--strategy", "resume"],
        &DECLARED,
    );
    assert_all_loaded(&again, "keys_outputs");
    assert_all_loaded(&again, "keys_outputs_reader");
}

/// Declared outputs are not part of any key: declaring a file every unit already writes reruns
/// nothing.
#[test]
fn declaring_an_output_every_unit_already_writes_reruns_nothing() {
    let data = tempfile::tempdir().unwrap();
    ok(
        data.path(),
        &["run", "keys_outputs"],
        &[("CRYSTALLIZE_TEST_WRITE_TWO", "1")],
    );
    let run = ok(
        data.path(),
        &["run", "keys_outputs_reader", "--strategy", "resume"],
        &DECLARED,
    );
    assert_all_loaded(&run, "keys_outputs");
    assert_eq!(run.experiment("keys_outputs_reader")["action"], "ran");
    assert_eq!(values(&run, "keys_outputs_reader", "read"), [0.0, 2.0]);
}

// ---------------------------------------------------------------------------------------------
// Upstream content, per unit.

/// Producer replicate 1's artifact is edited; the producer reruns exactly that unit and, since
/// its bytes depend on something outside its key, publishes different ones. Only consumer
/// replicates 1 and 3 (which read producer replicate 1) rerun; 0, 2 and 4 load. The reason names
/// producer, artifact and producer replicate; `plan` predicts the same split, and `-v` logs it.
#[test]
fn a_changed_producer_replicate_reruns_only_the_consumer_replicates_that_read_it() {
    let data = tempfile::tempdir().unwrap();
    let first = ok(data.path(), &["run", "keys_consumer"], &[]);
    assert_eq!(
        values(&first, "keys_consumer", "read_replicate"),
        [0.0, 1.0, 0.0, 1.0, 0.0]
    );
    let edited = data
        .path()
        .join("keys_producer/v0/replicate_1/baseline/keys_publish/value.json");
    fs::write(&edited, br#"{"replicate":1,"unkeyed":"edited by hand"}"#).unwrap();
    let changed = [("CRYSTALLIZE_TEST_UNKEYED", "changed")];

    let plan = ok(
        data.path(),
        &["plan", "keys_consumer", "--strategy", "resume"],
        &changed,
    );
    assert_eq!(counts(&plan, "keys_producer"), (1, 1, 0));
    assert_eq!(
        counts(&plan, "keys_consumer"),
        (2, 3, 2),
        "plan: replicates 1 and 3 decide after the producer, the others load"
    );
    let why = reasons(&plan.experiment("keys_consumer")["conditions"]["baseline"]["reasons"]);
    assert_eq!(why[0].0, "upstream-changed", "{why:?}");
    assert!(
        why[0].1.contains("`keys_producer` runs first")
            && why[0]
                .1
                .contains("`value.json` of producer replicate(s) 1 "),
        "{why:?}"
    );

    let run = keys(
        data.path(),
        &["run", "keys_consumer", "--strategy", "resume", "-v"],
        &changed,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(counts(&run, "keys_producer"), (1, 1, 0));
    let producer = run.experiment("keys_producer");
    assert_eq!(
        kinds(&producer["conditions"]["baseline"]["reasons"]),
        ["corrupt-file", "signature-unchanged"]
    );
    assert_eq!(counts(&run, "keys_consumer"), (2, 3, 0));
    let consumer = run.experiment("keys_consumer");
    let why = reasons(&consumer["conditions"]["baseline"]["reasons"]);
    assert_eq!(why.len(), 2, "{why:?}");
    assert_eq!(why[0].0, "upstream-changed", "{why:?}");
    assert!(
        why[0].1.contains("upstream `keys_producer`")
            && why[0].1.contains("artifact `value.json`")
            && why[0]
                .1
                .contains("content of producer replicate(s) 1 changed"),
        "the reason names producer, artifact and the one producer replicate that changed: {why:?}"
    );
    assert_eq!(why[1].0, "signature-unchanged", "{why:?}");
    assert!(
        run.stderr.contains(
            "[crystallize] keys_consumer/baseline: replicates 1, 3: run (upstream-changed"
        ) && run
            .stderr
            .contains("[crystallize] keys_consumer/baseline: replicates 0, 2, 4: load from v0"),
        "{}",
        run.stderr
    );
    assert_eq!(
        values(&run, "keys_consumer", "unkeyed_len"),
        [0.0, 7.0, 0.0, 7.0, 0.0],
        "replicates 1 and 3 read the new content, the others loaded what they read"
    );

    let again = ok(
        data.path(),
        &["run", "keys_consumer", "--strategy", "resume"],
        &changed,
    );
    assert_all_loaded(&again, "keys_producer");
    assert_all_loaded(&again, "keys_consumer");
}

/// Producer replicate 1 fails, so consumer replicates 1 and 3 fail too. Once it succeeds, the
/// producer reruns that unit, and only consumer replicates 1 and 3 rerun.
#[test]
fn a_failed_producer_replicate_reruns_only_the_consumer_replicates_that_read_it() {
    let data = tempfile::tempdir().unwrap();
    let failed = keys(
        data.path(),
        &["run", "keys_consumer"],
        &[("CRYSTALLIZE_TEST_FAIL_REPLICATE", "1")],
    );
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    let errors = |run: &Run, experiment: &str| -> Vec<u64> {
        run.experiment(experiment)["conditions"]["baseline"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|error| error["replicate"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(errors(&failed, "keys_producer"), [1]);
    assert_eq!(errors(&failed, "keys_consumer"), [1, 3]);

    let plan = ok(
        data.path(),
        &["plan", "keys_consumer", "--strategy", "resume"],
        &[],
    );
    assert_eq!(counts(&plan, "keys_producer"), (1, 1, 0));
    assert_eq!(counts(&plan, "keys_consumer").0, 2);
    assert_eq!(counts(&plan, "keys_consumer").1, 3);

    let run = ok(
        data.path(),
        &["run", "keys_consumer", "--strategy", "resume"],
        &[],
    );
    assert_eq!(counts(&run, "keys_producer"), (1, 1, 0));
    assert_eq!(counts(&run, "keys_consumer"), (2, 3, 0));
    let why = reasons(&run.experiment("keys_consumer")["conditions"]["baseline"]["reasons"]);
    assert_eq!(why[0].0, "upstream-changed", "{why:?}");
    assert!(
        why[0].1.contains("upstream `keys_producer`")
            && why[0]
                .1
                .contains("content of producer replicate(s) 1 changed"),
        "{why:?}"
    );
    assert_eq!(errors(&run, "keys_consumer"), Vec::<u64>::new());
    assert_eq!(
        values(&run, "keys_consumer", "read_replicate"),
        [0.0, 1.0, 0.0, 1.0, 0.0]
    );
}

// ---------------------------------------------------------------------------------------------
// Key scheme migration.

/// Copies the directory tree `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `tests/fixtures/key_scheme_1/` was written by the `keys` binary under key scheme 1, with the
/// same code, params and seed as now. It is never loaded across schemes: `plan` and the run
/// rerun every unit once with `key-scheme-changed` (old -> new), reporting no corrupt file, and
/// the next resume loads everything.
#[test]
fn data_of_the_previous_key_scheme_reruns_once_with_key_scheme_changed() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/key_scheme_1");
    let data = tempfile::tempdir().unwrap();
    copy_tree(&fixture, data.path());
    for experiment in ["keys_producer", "keys_consumer"] {
        let metadata = read_json(data.path().join(experiment).join("v0/metadata.json"));
        assert_eq!(metadata["key_scheme"], 1, "the fixture is of key scheme 1");
    }

    let check = |run: &Run, what: &str, experiments: &[(&str, u64)]| {
        for &(experiment, units) in experiments {
            let entry = run.experiment(experiment);
            assert_eq!(counts(run, experiment), (units, 0, 0), "{what}: {entry:#}");
            let why = reasons(&entry["reasons"]);
            assert_eq!(why.len(), 1, "{what}: {why:?}");
            assert_eq!(why[0].0, "key-scheme-changed", "{what}: {why:?}");
            assert!(why[0].1.contains("key scheme 1 -> "), "{what}: {why:?}");
            assert_eq!(
                entry["warnings"],
                serde_json::json!([]),
                "{what}: nothing is reported corrupt"
            );
        }
    };
    let plan = ok(
        data.path(),
        &["plan", "keys_consumer", "--strategy", "resume"],
        &[],
    );
    check(&plan, "plan", &[("keys_producer", 2), ("keys_consumer", 5)]);
    let run = ok(
        data.path(),
        &["run", "keys_consumer", "--strategy", "resume"],
        &[],
    );
    check(&run, "run", &[("keys_producer", 2), ("keys_consumer", 5)]);
    for experiment in ["keys_producer", "keys_consumer"] {
        let metadata = read_json(data.path().join(experiment).join("v0/metadata.json"));
        assert_ne!(
            metadata["key_scheme"], 1,
            "rewritten under the current scheme"
        );
    }

    let again = ok(
        data.path(),
        &["run", "keys_consumer", "--strategy", "resume"],
        &[],
    );
    assert_all_loaded(&again, "keys_producer");
    assert_all_loaded(&again, "keys_consumer");
}

/// A run limited by `--treatment` keeps the other conditions of the key scheme 1 data as they
/// were; the next full run reruns them once with `key-scheme-changed` (not as corrupt files),
/// and loads what the limited run wrote.
#[test]
fn conditions_a_treatment_run_kept_from_the_previous_key_scheme_rerun_once() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/key_scheme_1");
    let data = tempfile::tempdir().unwrap();
    copy_tree(&fixture, data.path());
    let limited = ok(
        data.path(),
        &[
            "run",
            "keys_consumer",
            "--strategy",
            "resume",
            "--treatment",
            "first",
        ],
        &[],
    );
    let consumer = limited.experiment("keys_consumer");
    assert_eq!(
        consumer["conditions"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["baseline", "first"]
    );
    assert_eq!(kinds(&consumer["reasons"]), ["key-scheme-changed"]);

    let full = ok(
        data.path(),
        &["run", "keys_consumer", "--strategy", "resume"],
        &[],
    );
    let consumer = full.experiment("keys_consumer");
    assert_eq!(consumer["warnings"], serde_json::json!([]), "{consumer:#}");
    for (condition, expected) in [
        ("baseline", "signature-unchanged"),
        ("first", "signature-unchanged"),
        ("second", "key-scheme-changed"),
    ] {
        assert_eq!(
            kinds(&consumer["conditions"][condition]["reasons"]),
            [expected],
            "{condition}: {consumer:#}"
        );
    }
    let again = ok(
        data.path(),
        &["run", "keys_consumer", "--strategy", "resume"],
        &[],
    );
    assert_all_loaded(&again, "keys_consumer");
}

// ---------------------------------------------------------------------------------------------
// Conditions kept by a run limited with `--treatment`.

/// A run limited by `--treatment` with another master seed keeps the other conditions as they
/// ran. The next full run compares them with the record they ran with: `params-changed`
/// (master seed 0 -> 5), not a corrupt metadata file.
#[test]
fn a_condition_kept_by_a_treatment_run_is_compared_with_the_record_it_ran_with() {
    let data = tempfile::tempdir().unwrap();
    let fixture = |args: &[&str]| {
        let run = crate::common::fixture(data.path(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run
    };
    fixture(&["run", "graph_cond_producer"]);
    let limited = fixture(&[
        "run",
        "graph_cond_producer",
        "--json",
        "--strategy",
        "resume",
        "--treatment",
        "shared",
        "--seed",
        "5",
    ]);
    assert_eq!(
        kinds(&limited.experiment("graph_cond_producer")["reasons"]),
        ["params-changed"]
    );
    let full = fixture(&[
        "run",
        "graph_cond_producer",
        "--json",
        "--strategy",
        "resume",
        "--seed",
        "5",
    ]);
    let producer = full.experiment("graph_cond_producer");
    assert_eq!(producer["warnings"], serde_json::json!([]), "{producer:#}");
    let solo = reasons(&producer["conditions"]["solo"]["reasons"]);
    assert_eq!(
        solo,
        [(
            "params-changed".to_string(),
            "master seed 0 -> 5".to_string()
        )]
    );
    for condition in ["baseline", "shared"] {
        assert_eq!(
            kinds(&producer["conditions"][condition]["reasons"]),
            ["signature-unchanged"],
            "{condition}: {producer:#}"
        );
    }
}
