//! Upstream-aware resume across the experiment graph:
//! a consumer reruns when its producer publishes different bytes (`upstream-changed`, naming
//! producer and artifact) and loads when the bytes are identical (early cutoff); a deleted
//! artifact reruns its producer unit and the consumer decides by content; mixed replicates
//! survive resume; retention and `gc` never prune a producer version a consumer's latest run
//! reads. Named after crystallize-ml's `test_experiment_graph_resume` suite.
//!
//! The source-edit scenarios build a small crate from `tests/edit_fixture/graph.rs.in` (like
//! `resume_edits.rs`, in the same `target/tests/edit-fixture` directory so crystallize and its
//! dependencies compile once for both; the package is named `graph_edit_fixture`, so neither test
//! overwrites the other's binary). The others use the `fixture` binary's `graph_*` experiments.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::fixture_crate::FixtureCrate;
use crate::common::{Run, files_below, fixture, kinds, metric_bits, read_json, reasons, snapshot};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Helpers shared by every scenario.

/// Runs `fixture` with `args` and expects exit 0.
fn ok(data: &Path, args: &[&str]) -> Run {
    let run = fixture(data, args);
    assert_eq!(
        run.code, 0,
        "{args:?} failed:\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

/// Every metric of every condition of an entry, as bit patterns.
fn all_metric_bits(entry: &Value) -> BTreeMap<(String, String), Vec<Option<u64>>> {
    let mut found = BTreeMap::new();
    for (condition, report) in entry["conditions"].as_object().unwrap() {
        for metric in report["metrics"].as_object().unwrap().keys() {
            found.insert(
                (condition.clone(), metric.clone()),
                metric_bits(entry, condition, metric),
            );
        }
    }
    assert!(!found.is_empty(), "no metrics in {entry}");
    found
}

/// Asserts that every condition of `entry` loaded all its units and ran none.
fn assert_all_loaded(entry: &Value, units: u64) {
    assert_eq!(entry["action"], "loaded", "{entry:#}");
    for (name, condition) in entry["conditions"].as_object().unwrap() {
        assert_eq!(condition["units_run"], 0, "{name}: {entry:#}");
        assert_eq!(condition["units_loaded"], units, "{name}: {entry:#}");
        assert_eq!(
            kinds(&condition["reasons"]),
            ["signature-unchanged"],
            "{name}: {entry:#}"
        );
    }
}

/// Every file below `dir` with its content.
fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files_below(dir)
        .into_iter()
        .map(|path| {
            let bytes = fs::read(dir.join(&path)).unwrap();
            (path, bytes)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Part 6 with real source edits: a fixture crate built from `tests/edit_fixture/graph.rs.in`.

/// The fixture crate's `src/main.rs`, before any edit.
const TEMPLATE: &str = include_str!("../edit_fixture/graph.rs.in");

/// The package (and binary) name of the fixture crate.
const PACKAGE: &str = "graph_edit_fixture";

/// The fixture crate, run with `--strategy resume`.
struct EditFixture {
    krate: FixtureCrate,
}

impl EditFixture {
    fn new() -> EditFixture {
        EditFixture {
            krate: FixtureCrate::new(PACKAGE, TEMPLATE),
        }
    }

    fn data(&self) -> &Path {
        self.krate.data()
    }

    fn edit(&mut self, from: &str, to: &str) {
        self.krate.edit(from, to);
    }

    fn build(&mut self, label: &str) {
        self.krate.build(label);
    }

    /// Runs `command` (`run` or `plan`) with `--json --strategy resume` and parses the report.
    fn invoke(&self, command: &str) -> Value {
        self.krate.report(&[command, "--strategy", "resume"])
    }
}

/// The entry of `name` in a report.
fn entry(report: &Value, name: &str) -> Value {
    report["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no `{name}` in {report:#}"))
}

fn values(entry: &Value, metric: &str) -> Vec<f64> {
    metric_bits(entry, "baseline", metric)
        .into_iter()
        .map(|bits| f64::from_bits(bits.expect("a value")))
        .collect()
}

/// The producer's published `scaled.json` of each replicate.
fn published(fixture: &EditFixture) -> Vec<Vec<u8>> {
    (0..2)
        .map(|replicate| {
            fs::read(fixture.data().join(format!(
                "producer/v0/replicate_{replicate}/baseline/scale/scaled.json"
            )))
            .unwrap()
        })
        .collect()
}

/// The producer's code edited so its artifacts change → the consumer reruns, with reason
/// `upstream-changed` naming the producer and the artifact; edited so its artifacts stay
/// byte-identical (`x * factor` → `factor * x`) → the producer reruns (code-changed) and the
/// consumer loads (early cutoff). `plan` says beforehand that the consumer decides by content.
/// Mixed replicates (producer 2, consumer 5) survive every resume. Last, reading an experiment
/// that does not exist does not compile.
#[test]
fn producer_edits_rerun_the_consumer_only_when_the_artifacts_change() {
    let mut fixture = EditFixture::new();
    fixture.build("original");

    // 1. First run: everything runs; consumer replicate i reads producer replicate i % 2.
    let first = fixture.invoke("run");
    let names: Vec<&str> = first["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["producer", "consumer"]);
    let consumer = entry(&first, "consumer");
    assert_eq!(consumer["action"], "ran");
    let totals = values(&consumer, "total");
    assert_eq!(totals.len(), 5);
    assert_eq!(totals[0].to_bits(), totals[2].to_bits());
    assert_eq!(totals[0].to_bits(), totals[4].to_bits());
    assert_eq!(totals[1].to_bits(), totals[3].to_bits());
    assert_ne!(totals[0], totals[1]);
    let first_bits = all_metric_bits(&consumer);
    let first_bytes = published(&fixture);

    // 2. Nothing changed: everything loads, bit-identical.
    let again = fixture.invoke("run");
    assert_all_loaded(&entry(&again, "producer"), 2);
    assert_all_loaded(&entry(&again, "consumer"), 5);
    assert_eq!(all_metric_bits(&entry(&again, "consumer")), first_bits);

    // 3. Same bytes from edited code: the producer reruns, the consumer loads.
    fixture.edit("map(|&x| x * factor)", "map(|&x| factor * x)");
    fixture.build("commuted multiplication");
    let plan = fixture.invoke("plan");
    let producer = entry(&plan, "producer");
    assert_eq!(producer["conditions"]["baseline"]["units_run"], 2);
    let why = reasons(&producer["conditions"]["baseline"]["reasons"]);
    assert_eq!(why[0].0, "code-changed", "{why:?}");
    assert!(why[0].1.contains("step `scale`"), "{why:?}");
    let consumer = entry(&plan, "consumer");
    let baseline = &consumer["conditions"]["baseline"];
    assert_eq!(baseline["units_loaded"], 0, "{consumer:#}");
    assert_eq!(baseline["units_pending"], 5, "{consumer:#}");
    let why = reasons(&baseline["reasons"]);
    assert_eq!(why.len(), 1, "{why:?}");
    assert_eq!(why[0].0, "upstream-changed");
    assert!(
        why[0].1.contains("`producer` runs first") && why[0].1.contains("`scaled.json`"),
        "plan says the consumer decides by content after the producer: {why:?}"
    );

    let cutoff = fixture.invoke("run");
    let producer = entry(&cutoff, "producer");
    assert_eq!(producer["action"], "ran", "{producer:#}");
    assert_eq!(producer["conditions"]["baseline"]["units_run"], 2);
    assert_eq!(
        kinds(&producer["conditions"]["baseline"]["reasons"]),
        ["code-changed"]
    );
    assert_eq!(
        published(&fixture),
        first_bytes,
        "the edit keeps the artifacts byte-identical"
    );
    let consumer = entry(&cutoff, "consumer");
    assert_all_loaded(&consumer, 5);
    assert_eq!(all_metric_bits(&consumer), first_bits);

    // 4. Different bytes: the consumer reruns, and says why.
    fixture.edit("map(|&x| factor * x)", "map(|&x| factor * x + 0.5)");
    fixture.build("shifted values");
    let changed = fixture.invoke("run");
    let producer = entry(&changed, "producer");
    assert_eq!(producer["conditions"]["baseline"]["units_run"], 2);
    assert_eq!(
        kinds(&producer["conditions"]["baseline"]["reasons"]),
        ["code-changed"]
    );
    assert_ne!(published(&fixture), first_bytes);
    let consumer = entry(&changed, "consumer");
    assert_eq!(consumer["action"], "ran", "{consumer:#}");
    let baseline = &consumer["conditions"]["baseline"];
    assert_eq!(baseline["units_run"], 5, "{consumer:#}");
    assert_eq!(baseline["units_loaded"], 0, "{consumer:#}");
    let why = reasons(&baseline["reasons"]);
    assert_eq!(why.len(), 1, "{why:?}");
    assert_eq!(why[0].0, "upstream-changed", "{why:?}");
    assert!(
        why[0].1.contains("upstream `producer`")
            && why[0].1.contains("artifact `scaled.json`")
            && why[0].1.contains("replicate(s) 0-1"),
        "the reason names producer, artifact and the replicates whose content changed: {why:?}"
    );
    assert_eq!(kinds(&consumer["reasons"]), ["upstream-changed"]);
    // What the consumer read is the new content: every value + 0.5, eight of them.
    let shifted = values(&consumer, "total");
    for (replicate, (new, old)) in shifted.iter().zip(&totals).enumerate() {
        assert!(
            (new - (old + 4.0)).abs() < 1e-9,
            "replicate {replicate}: {new} is not {old} + 8 x 0.5"
        );
    }
    let shifted_bits = all_metric_bits(&consumer);

    // 5. And that loads again, mixed replicates and all.
    let settled = fixture.invoke("run");
    assert_all_loaded(&entry(&settled, "producer"), 2);
    let consumer = entry(&settled, "consumer");
    assert_all_loaded(&consumer, 5);
    assert_eq!(all_metric_bits(&consumer), shifted_bits);

    // 6. Reading an experiment that does not exist fails to compile.
    fixture.edit(
        "producer.artifact::<Vec<f64>>",
        "no_such_producer.artifact::<Vec<f64>>",
    );
    let output = fixture.krate.try_build();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "a consumer reading an unknown experiment compiled:\n{}",
        fixture.krate.source()
    );
    assert!(stderr.contains("no_such_producer"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Part 6 without source edits, on the `fixture` binary.

/// A producer with 2 replicates and a consumer with 5: a second run under `--strategy resume`
/// loads everything, writes nothing, and the consumer's metrics are bit-identical.
#[test]
fn mixed_replicates_survive_resume() {
    let data = tempfile::tempdir().unwrap();
    let first = ok(data.path(), &["run", "graph_json_reader", "--json"]);
    let before = snapshot(data.path());
    let again = ok(
        data.path(),
        &["run", "graph_json_reader", "--json", "--strategy", "resume"],
    );
    assert_all_loaded(&again.experiment("graph_numbers"), 2);
    let consumer = again.experiment("graph_json_reader");
    assert_all_loaded(&consumer, 5);
    assert_eq!(
        all_metric_bits(&consumer),
        all_metric_bits(&first.experiment("graph_json_reader"))
    );
    assert_eq!(
        metric_bits(&consumer, "baseline", "read_replicate"),
        [0.0, 1.0, 0.0, 1.0, 0.0].map(|v: f64| Some(v.to_bits()))
    );
    assert_eq!(
        consumer["conditions"]["baseline"]["inputs"][0]["replicates"],
        2
    );
    assert_eq!(
        snapshot(data.path()),
        before,
        "a fully loaded run writes nothing"
    );
}

/// An artifact the consumer needs, deleted from the producer's latest version: `plan` says the
/// producer reruns that unit (artifact-missing) and the consumer replicates that read it (1 and
/// 3 of 5) decide by content, while the others load; the run reruns only that producer unit,
/// which writes the same bytes back, so the consumer loads.
#[test]
fn a_deleted_upstream_artifact_reruns_its_producer_unit_then_the_consumer_decides_by_content() {
    let data = tempfile::tempdir().unwrap();
    let first = ok(data.path(), &["run", "graph_json_reader", "--json"]);
    let gone = data
        .path()
        .join("graph_numbers/v0/replicate_1/baseline/graph_publish/numbers.json");
    let bytes = fs::read(&gone).unwrap();
    fs::remove_file(&gone).unwrap();

    let plan = ok(
        data.path(),
        &[
            "plan",
            "graph_json_reader",
            "--json",
            "--strategy",
            "resume",
        ],
    );
    let producer = &plan.experiment("graph_numbers")["conditions"]["baseline"];
    assert_eq!(producer["units_run"], 1, "{producer:#}");
    assert_eq!(producer["units_loaded"], 1, "{producer:#}");
    let why = reasons(&producer["reasons"]);
    assert_eq!(why[0].0, "artifact-missing", "{why:?}");
    assert!(why[0].1.contains("numbers.json"), "{why:?}");
    let consumer = &plan.experiment("graph_json_reader")["conditions"]["baseline"];
    assert_eq!(consumer["units_pending"], 2, "{consumer:#}");
    assert_eq!(consumer["units_loaded"], 3, "{consumer:#}");
    let why = reasons(&consumer["reasons"]);
    assert_eq!(why[0].0, "upstream-changed", "{why:?}");
    assert!(
        why[0].1.contains("`graph_numbers` runs first")
            && why[0]
                .1
                .contains("content of `numbers.json` of producer replicate(s) 1 "),
        "{why:?}"
    );
    assert_eq!(why[1].0, "signature-unchanged", "{why:?}");
    assert!(!gone.exists(), "plan writes nothing");

    let run = ok(
        data.path(),
        &["run", "graph_json_reader", "--json", "--strategy", "resume"],
    );
    let producer = run.experiment("graph_numbers");
    assert_eq!(producer["action"], "partial", "{producer:#}");
    assert_eq!(producer["conditions"]["baseline"]["units_run"], 1);
    assert_eq!(producer["conditions"]["baseline"]["units_loaded"], 1);
    assert_eq!(
        kinds(&producer["conditions"]["baseline"]["reasons"]),
        ["artifact-missing", "signature-unchanged"]
    );
    assert_eq!(fs::read(&gone).unwrap(), bytes, "the same bytes are back");
    let consumer = run.experiment("graph_json_reader");
    assert_all_loaded(&consumer, 5);
    assert_eq!(
        all_metric_bits(&consumer),
        all_metric_bits(&first.experiment("graph_json_reader"))
    );
}

/// A producer that re-runs every unit (its metadata is gone) and publishes byte-identical
/// artifacts does not invalidate its consumers: early cutoff, within one invocation.
#[test]
fn a_producer_rerun_with_identical_bytes_leaves_its_consumers_loaded() {
    let data = tempfile::tempdir().unwrap();
    let first = ok(
        data.path(),
        &[
            "run",
            "graph_combined",
            "graph_bytes_reader",
            "graph_loader_reader",
            "--json",
        ],
    );
    fs::remove_file(data.path().join("graph_numbers/v0/metadata.json")).unwrap();
    let run = ok(
        data.path(),
        &[
            "run",
            "graph_combined",
            "graph_bytes_reader",
            "graph_loader_reader",
            "--json",
            "--strategy",
            "resume",
        ],
    );
    let producer = run.experiment("graph_numbers");
    assert_eq!(producer["action"], "ran", "{producer:#}");
    assert_eq!(
        kinds(&producer["conditions"]["baseline"]["reasons"]),
        ["metadata-missing"]
    );
    assert_all_loaded(&run.experiment("graph_other"), 1);
    for consumer in [
        "graph_combined",
        "graph_bytes_reader",
        "graph_loader_reader",
    ] {
        let entry = run.experiment(consumer);
        assert_all_loaded(&entry, 2);
        assert_eq!(
            all_metric_bits(&entry),
            all_metric_bits(&first.experiment(consumer)),
            "{consumer}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Part 7: retention and gc with lineage.

/// The files of version `version` of `experiment`, with their content.
fn version_files(data: &Path, experiment: &str, version: u32) -> BTreeMap<PathBuf, Vec<u8>> {
    contents(&data.join(experiment).join(format!("v{version}")))
}

/// What a pruned version keeps: its metadata and metrics.
fn pruned_shape() -> Vec<PathBuf> {
    vec![
        PathBuf::from("baseline/results.json"),
        PathBuf::from("metadata.json"),
    ]
}

/// A whole version of `graph_kept` / `graph_gc_src`: markers, journal, manifest, artifacts.
fn assert_whole(files: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    for file in [
        ".journal.jsonl",
        "_manifest.json",
        "metadata.json",
        "baseline/results.json",
        "baseline/.crystallize_complete",
        "replicate_0/baseline/graph_publish_kept/kept.json",
        "replicate_0/baseline/graph_publish_kept/bulk.txt",
    ] {
        assert!(
            files.contains_key(Path::new(file)),
            "{what}: {file} is missing from {:?}",
            files.keys().collect::<Vec<_>>()
        );
    }
}

fn versions(data: &Path, experiment: &str) -> Vec<String> {
    let mut found: Vec<String> = fs::read_dir(data.join(experiment))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with('v'))
        .collect();
    found.sort();
    found
}

/// A versioned producer with `retention = 1` keeps the version its consumer's latest run read
/// whole, even when it is no longer among the newest; once the consumer has read a newer version,
/// the next producer run prunes the old one. (Control: without a consumer run in between,
/// `retention = 1` prunes the previous version at once.)
#[test]
fn retention_never_prunes_the_version_a_consumers_latest_run_reads() {
    // Control: the producer alone prunes its previous version.
    let data = tempfile::tempdir().unwrap();
    ok(data.path(), &["run", "graph_kept", "--strategy", "rerun"]);
    let second = ok(
        data.path(),
        &["run", "graph_kept", "--strategy", "rerun", "--json"],
    );
    assert_eq!(
        second.experiment("graph_kept")["pruned"],
        serde_json::json!([0])
    );

    let data = tempfile::tempdir().unwrap();
    // 1. The consumer's run runs the producer first (v0) and reads v0.
    let first = ok(data.path(), &["run", "graph_keeper", "--json"]);
    assert_eq!(first.experiment("graph_kept")["version"], 0);
    assert_eq!(
        first.experiment("graph_keeper")["conditions"]["baseline"]["inputs"][0]["version"],
        0
    );
    assert_eq!(
        read_json(data.path().join("graph_keeper/v0/metadata.json"))["reads"]["graph_kept"],
        0
    );
    let v0 = version_files(data.path(), "graph_kept", 0);
    assert_whole(&v0, "v0 after the first run");

    // 2. The producer alone again: v1. v0 is beyond retention but the consumer reads it.
    let alone = ok(
        data.path(),
        &["run", "graph_kept", "--strategy", "rerun", "--json"],
    );
    let producer = alone.experiment("graph_kept");
    assert_eq!(producer["version"], 1);
    assert_eq!(producer["pruned"], serde_json::json!([]), "{producer:#}");
    assert_eq!(
        version_files(data.path(), "graph_kept", 0),
        v0,
        "v0 stays whole: markers, journal, manifest, artifacts, byte for byte"
    );
    assert_whole(&version_files(data.path(), "graph_kept", 1), "v1");

    // 3. The consumer again: the producer loads v1 (strategy resume), the consumer reads it.
    let reread = ok(data.path(), &["run", "graph_keeper", "--json"]);
    assert_eq!(reread.experiment("graph_kept")["action"], "loaded");
    assert_eq!(reread.experiment("graph_kept")["version"], 1);
    assert_eq!(reread.experiment("graph_keeper")["action"], "ran");
    assert_eq!(
        reread.experiment("graph_keeper")["conditions"]["baseline"]["inputs"][0]["version"],
        1
    );
    assert_eq!(
        read_json(data.path().join("graph_keeper/v0/metadata.json"))["reads"]["graph_kept"],
        1
    );
    assert_eq!(
        version_files(data.path(), "graph_kept", 0),
        v0,
        "not yet pruned"
    );

    // 4. The producer again: v2; now v0 is pruned to its metrics, v1 (read) stays whole.
    let third = ok(
        data.path(),
        &["run", "graph_kept", "--strategy", "rerun", "--json"],
    );
    let producer = third.experiment("graph_kept");
    assert_eq!(producer["version"], 2);
    assert_eq!(producer["pruned"], serde_json::json!([0]), "{producer:#}");
    assert_eq!(
        files_below(&data.path().join("graph_kept/v0")),
        pruned_shape()
    );
    assert_whole(&version_files(data.path(), "graph_kept", 1), "v1 (read)");
    assert_whole(&version_files(data.path(), "graph_kept", 2), "v2 (newest)");
    assert_eq!(versions(data.path(), "graph_kept"), ["v0", "v1", "v2"]);
}

/// `gc --keep 1` spares the producer version a consumer's latest run reads (and says so in
/// `--dry-run`), and prunes it once the consumer has moved on.
#[test]
fn gc_keep_never_prunes_the_version_a_consumers_latest_run_reads() {
    let data = tempfile::tempdir().unwrap();
    ok(data.path(), &["run", "graph_gc_reader"]);
    for _ in 0..2 {
        ok(data.path(), &["run", "graph_gc_src", "--strategy", "rerun"]);
    }
    assert_eq!(versions(data.path(), "graph_gc_src"), ["v0", "v1", "v2"]);
    let v0 = version_files(data.path(), "graph_gc_src", 0);
    assert_whole(&v0, "v0");

    let dry = ok(
        data.path(),
        &["gc", "graph_gc_src", "--keep", "1", "--dry-run", "--json"],
    );
    let dry: Value = serde_json::from_str(&dry.stdout).unwrap();
    let pruned: Vec<u64> = dry["experiments"][0]["pruned"]
        .as_array()
        .unwrap_or_else(|| panic!("{dry:#}"))
        .iter()
        .map(|p| p["version"].as_u64().unwrap())
        .collect();
    assert_eq!(
        pruned,
        [1],
        "v0 is read by graph_gc_reader, v2 is the newest: {dry:#}"
    );
    assert_eq!(version_files(data.path(), "graph_gc_src", 0), v0, "dry run");

    ok(data.path(), &["gc", "graph_gc_src", "--keep", "1"]);
    assert_eq!(
        version_files(data.path(), "graph_gc_src", 0),
        v0,
        "v0 stays whole"
    );
    assert_eq!(
        files_below(&data.path().join("graph_gc_src/v1")),
        pruned_shape()
    );
    assert_whole(&version_files(data.path(), "graph_gc_src", 2), "v2");

    // The consumer moves on to v2 (the producer loads it: strategy resume).
    let moved = ok(data.path(), &["run", "graph_gc_reader", "--json"]);
    assert_eq!(moved.experiment("graph_gc_src")["action"], "loaded");
    assert_eq!(
        moved.experiment("graph_gc_reader")["conditions"]["baseline"]["inputs"][0]["version"],
        2
    );
    ok(data.path(), &["gc", "--keep", "1"]);
    assert_eq!(
        files_below(&data.path().join("graph_gc_src/v0")),
        pruned_shape()
    );
    assert_whole(&version_files(data.path(), "graph_gc_src", 2), "v2");
}
