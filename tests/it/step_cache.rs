//! The step cache (`#[step(cache)]`), end to end through the `fixture` binary: computed once and
//! replayed (output, metrics, artifacts), keyed by exactly what the step reads from its context,
//! bypassed with `--no-cache`, stored under `<data-dir>/.cache/`, robust to corrupt entries.
//!
//! The cached fixture steps (tests/src/cache_fixtures.rs) append a line to the file named by
//! `CRYSTALLIZE_TEST_BODY_LOG` every time their body runs, so the tests count body executions.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Run, files_below, metric_bits, read_json};
use serde_json::{Value, json};

const BODY_LOG_ENV: &str = "CRYSTALLIZE_TEST_BODY_LOG";

/// A data directory plus the body log the fixture steps append to.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("body.log")
    }

    /// Runs the `fixture` binary with `args`, the data dir and the body log set.
    fn run(&self, args: &[&str]) -> Run {
        crate::common::run_bin_with_env(
            env!("CARGO_BIN_EXE_fixture"),
            &self.data(),
            args,
            &[(BODY_LOG_ENV, &self.log())],
        )
    }

    /// Runs and expects exit 0; returns the report entry of `experiment`.
    fn run_ok(&self, experiment: &str, extra: &[&str]) -> Value {
        let mut args = vec!["run", experiment, "--json"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(run.code, 0, "{args:?}\nstderr:\n{}", run.stderr);
        run.experiment(experiment)
    }

    /// How many times each step body ran so far.
    fn bodies(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        if let Ok(text) = fs::read_to_string(self.log()) {
            for line in text.lines() {
                *counts.entry(line.to_string()).or_insert(0) += 1;
            }
        }
        counts
    }

    fn body_count(&self, step: &str) -> usize {
        self.bodies().get(step).copied().unwrap_or(0)
    }
}

fn hits(entry: &Value, condition: &str) -> u64 {
    entry["conditions"][condition]["cache_hits"]
        .as_u64()
        .unwrap_or_else(|| panic!("no cache_hits for {condition} in {entry}"))
}

fn units_run(entry: &Value, condition: &str) -> u64 {
    entry["conditions"][condition]["units_run"]
        .as_u64()
        .unwrap_or_else(|| panic!("no units_run for {condition} in {entry}"))
}

fn metric(entry: &Value, condition: &str, name: &str) -> Value {
    entry["conditions"][condition]["metrics"][name].clone()
}

/// The artifact `file` of stage `stage` for every (condition, replicate) of a version.
fn artifact_bytes(
    version_dir: &Path,
    conditions: &[&str],
    replicates: u32,
    stage: &str,
    file: &str,
) -> BTreeMap<(String, u32), Vec<u8>> {
    let mut found = BTreeMap::new();
    for condition in conditions {
        for replicate in 0..replicates {
            let path = version_dir
                .join(format!("replicate_{replicate}"))
                .join(condition)
                .join(stage)
                .join(file);
            let bytes = fs::read(&path)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
            found.insert((condition.to_string(), replicate), bytes);
        }
    }
    found
}

/// Files under `<data>/.cache/steps/` named `*.json`, split into entries and `deps.json`.
fn cache_json_files(data: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let steps = data.join(".cache/steps");
    let (deps, entries): (Vec<PathBuf>, Vec<PathBuf>) = files_below(&steps)
        .into_iter()
        .map(|relative| steps.join(relative))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .partition(|path| path.file_name().is_some_and(|name| name == "deps.json"));
    (entries, deps)
}

const BASIC_CONDITIONS: [&str; 2] = ["baseline", "longer"];
const BASIC_METRICS: [&str; 3] = ["mean", "max", "after"];

/// Feature 1: a cached step is computed once; the next run replays its output (seen by the
/// following step), metrics and artifacts without running the body.
#[test]
fn a_cached_step_is_computed_once_then_replayed_with_its_metrics_and_artifacts() {
    let sandbox = Sandbox::new();
    let first = sandbox.run_ok("cache_basic", &[]);
    assert_eq!(first["version"], 0);
    for condition in BASIC_CONDITIONS {
        assert_eq!(hits(&first, condition), 0, "{condition}: empty cache");
        assert_eq!(units_run(&first, condition), 3);
    }
    assert_eq!(
        sandbox.body_count("cached_summary"),
        6,
        "one body run per unit (3 replicates x 2 conditions with different inputs)"
    );
    let v0 = sandbox.data().join("cache_basic/v0");
    let summaries = artifact_bytes(&v0, &BASIC_CONDITIONS, 3, "cached_summary", "summary.json");
    let raw = artifact_bytes(&v0, &BASIC_CONDITIONS, 3, "cached_summary", "data.bin");

    let second = sandbox.run_ok("cache_basic", &[]);
    assert_eq!(second["version"], 1, "versioned: a new directory per run");
    for condition in BASIC_CONDITIONS {
        assert_eq!(
            hits(&second, condition),
            3,
            "{condition}: every unit served from the cache\n{second}"
        );
        assert_eq!(units_run(&second, condition), 3);
        assert_eq!(second["conditions"][condition]["errors"], json!([]));
        for name in BASIC_METRICS {
            assert_eq!(
                metric_bits(&second, condition, name),
                metric_bits(&first, condition, name),
                "{condition}/{name} bit-identical"
            );
        }
    }
    assert_eq!(
        sandbox.body_count("cached_summary"),
        6,
        "the body must not run on the second run"
    );
    // The step after the cached one received the replayed output.
    for condition in BASIC_CONDITIONS {
        let means = metric(&second, condition, "mean");
        let after = metric(&second, condition, "after");
        for (mean, after) in means
            .as_array()
            .unwrap()
            .iter()
            .zip(after.as_array().unwrap())
        {
            assert_eq!(after.as_f64().unwrap(), mean.as_f64().unwrap() * 2.0);
        }
    }
    // The artifacts are in the new version, byte for byte, and reported there.
    let v1 = sandbox.data().join("cache_basic/v1");
    assert_eq!(
        artifact_bytes(&v1, &BASIC_CONDITIONS, 3, "cached_summary", "summary.json"),
        summaries
    );
    assert_eq!(
        artifact_bytes(&v1, &BASIC_CONDITIONS, 3, "cached_summary", "data.bin"),
        raw
    );
    let reported = second["artifacts"]["summary.json"]["longer"]
        .as_array()
        .unwrap();
    assert_eq!(reported.len(), 3);
    assert!(
        reported[2]
            .as_str()
            .unwrap()
            .ends_with("v1/replicate_2/longer/cached_summary/summary.json"),
        "{reported:?}"
    );
    let manifest = read_json(v1.join("_manifest.json"));
    assert_eq!(manifest["summary.json"], "cached_summary");
    assert_eq!(manifest["data.bin"], "cached_summary");
    for condition in BASIC_CONDITIONS {
        assert!(
            v1.join(condition).join(".crystallize_complete").is_file(),
            "{condition}: a run served from the cache is complete"
        );
        assert_eq!(
            read_json(v1.join(condition).join("results.json"))["metrics"],
            read_json(v0.join(condition).join("results.json"))["metrics"]
        );
    }
}

/// Feature 2a: params a cached step reads (injected, or through `ctx.param`) key its entries;
/// params it does not read do not.
#[test]
fn params_a_cached_step_reads_key_its_entries() {
    let sandbox = Sandbox::new();
    // One job: units run in order baseline, tripled, shifted.
    let first = sandbox.run_ok("cache_by_param", &["--jobs", "1"]);
    // Replicate r's data is [r, r+1, r+2]: sums 3 and 6.
    let expected = [
        ("baseline", json!([3.0, 6.0]), json!([3.0, 6.0])),
        ("tripled", json!([9.0, 18.0]), json!([3.0, 6.0])),
        ("shifted", json!([3.0, 6.0]), json!([13.0, 16.0])),
    ];
    for (condition, scaled, offset_sum) in &expected {
        assert_eq!(metric(&first, condition, "scaled"), *scaled, "{condition}");
        assert_eq!(
            metric(&first, condition, "offset_sum"),
            *offset_sum,
            "{condition}"
        );
    }
    // `cached_scale` reads `factor`: tripled computes, shifted (factor 1) reuses baseline's.
    // `cached_offset` reads `offset`: shifted computes, tripled (offset 0) reuses baseline's.
    assert_eq!(hits(&first, "baseline"), 0);
    assert_eq!(hits(&first, "tripled"), 2, "{first}");
    assert_eq!(hits(&first, "shifted"), 2, "{first}");
    assert_eq!(sandbox.body_count("cached_scale"), 4);
    assert_eq!(sandbox.body_count("cached_offset"), 4);

    let second = sandbox.run_ok("cache_by_param", &[]);
    for (condition, scaled, offset_sum) in &expected {
        assert_eq!(hits(&second, condition), 4, "2 steps x 2 replicates");
        assert_eq!(metric(&second, condition, "scaled"), *scaled);
        assert_eq!(metric(&second, condition, "offset_sum"), *offset_sum);
    }
    assert_eq!(sandbox.body_count("cached_scale"), 4);
    assert_eq!(sandbox.body_count("cached_offset"), 4);
}

/// Feature 2b: a cached step that reads `ctx.condition()` is computed per condition, and
/// shared across the replicates of a condition (it reads no replicate, and gets one input).
#[test]
fn a_cached_step_reading_the_condition_gets_per_condition_results() {
    let sandbox = Sandbox::new();
    let first = sandbox.run_ok("cache_by_condition", &["--jobs", "1"]);
    let conditions = [("baseline", 8.0), ("alpha", 5.0), ("gamma_ray", 9.0)];
    let v0 = sandbox.data().join("cache_by_condition/v0");
    for (condition, length) in conditions {
        assert_eq!(
            metric(&first, condition, "label_len"),
            json!([length, length]),
            "{condition}"
        );
        assert_eq!(
            hits(&first, condition),
            1,
            "{condition}: replicate 1 reuses replicate 0\n{first}"
        );
        for ((_, _), bytes) in artifact_bytes(&v0, &[condition], 2, "cached_label", "label.txt") {
            assert_eq!(String::from_utf8(bytes).unwrap(), condition);
        }
    }
    assert_eq!(sandbox.body_count("cached_label"), 3, "once per condition");

    let second = sandbox.run_ok("cache_by_condition", &[]);
    for (condition, length) in conditions {
        assert_eq!(hits(&second, condition), 2);
        assert_eq!(
            metric(&second, condition, "label_len"),
            json!([length, length])
        );
        for ((_, _), bytes) in artifact_bytes(&v0, &[condition], 2, "cached_label", "label.txt") {
            assert_eq!(String::from_utf8(bytes).unwrap(), condition);
        }
    }
    assert_eq!(sandbox.body_count("cached_label"), 3);
}

/// Feature 2c: a cached step that draws random numbers is computed per replicate (its input is
/// the same in every unit), shared by the conditions of a replicate (common random numbers),
/// and recomputed under another master seed.
#[test]
fn a_cached_step_using_the_rng_is_computed_per_replicate_and_shared_per_replicate() {
    let sandbox = Sandbox::new();
    let first = sandbox.run_ok("cache_by_seed", &["--jobs", "1"]);
    let noise = metric_bits(&first, "baseline", "noise");
    assert_eq!(noise.len(), 3);
    assert!(noise.iter().all(Option::is_some));
    let mut distinct = noise.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        3,
        "replicates draw different numbers: {noise:?}"
    );
    assert_eq!(
        metric_bits(&first, "other", "noise"),
        noise,
        "conditions of a replicate share them"
    );
    assert_eq!(hits(&first, "baseline"), 0);
    assert_eq!(hits(&first, "other"), 3, "{first}");
    assert_eq!(sandbox.body_count("cached_noise"), 3, "once per replicate");

    // Without the cache the values are the same: the cache served the right ones.
    let control = Sandbox::new();
    let uncached = control.run_ok("cache_by_seed", &["--no-cache", "cached_noise"]);
    for condition in ["baseline", "other"] {
        assert_eq!(hits(&uncached, condition), 0);
        assert_eq!(metric_bits(&uncached, condition, "noise"), noise);
    }
    assert_eq!(control.body_count("cached_noise"), 6);

    // Another master seed: the same input, but other random numbers, so no entry matches.
    let reseeded = sandbox.run_ok("cache_by_seed", &["--jobs", "1", "--seed", "9"]);
    assert_eq!(hits(&reseeded, "baseline"), 0, "{reseeded}");
    assert_eq!(hits(&reseeded, "other"), 3);
    assert_eq!(sandbox.body_count("cached_noise"), 6);
    let other_noise = metric_bits(&reseeded, "baseline", "noise");
    for (new, old) in other_noise.iter().zip(&noise) {
        assert_ne!(new, old);
    }
}

/// Feature 2d: a cached step that reads nothing from its context and gets the same input in
/// two conditions is computed once and shared, within the first run.
#[test]
fn a_cached_step_reading_nothing_is_shared_between_conditions() {
    let sandbox = Sandbox::new();
    let first = sandbox.run_ok("cache_shared", &["--jobs", "1"]);
    assert_eq!(metric(&first, "baseline", "total"), json!([3.0, 6.0, 9.0]));
    assert_eq!(
        metric(&first, "same_input", "total"),
        json!([3.0, 6.0, 9.0])
    );
    assert_eq!(hits(&first, "baseline"), 0);
    assert_eq!(
        hits(&first, "same_input"),
        3,
        "a param the step does not read must not split the cache\n{first}"
    );
    assert_eq!(sandbox.body_count("cached_total"), 3);
}

/// Feature 3: `--no-cache STEP` runs the body again and serves nothing from the cache; the
/// entries stay usable afterwards.
#[test]
fn no_cache_runs_the_body_again() {
    let sandbox = Sandbox::new();
    let first = sandbox.run_ok("cache_basic", &[]);
    assert_eq!(sandbox.body_count("cached_summary"), 6);

    let bypassed = sandbox.run_ok("cache_basic", &["--no-cache", "cached_summary"]);
    for condition in BASIC_CONDITIONS {
        assert_eq!(hits(&bypassed, condition), 0, "{bypassed}");
        for name in BASIC_METRICS {
            assert_eq!(
                metric_bits(&bypassed, condition, name),
                metric_bits(&first, condition, name)
            );
        }
    }
    assert_eq!(
        sandbox.body_count("cached_summary"),
        12,
        "every unit ran the body again"
    );
    let v1 = sandbox.data().join("cache_basic/v1");
    assert_eq!(
        artifact_bytes(&v1, &BASIC_CONDITIONS, 3, "cached_summary", "summary.json"),
        artifact_bytes(
            &sandbox.data().join("cache_basic/v0"),
            &BASIC_CONDITIONS,
            3,
            "cached_summary",
            "summary.json"
        )
    );

    let cached = sandbox.run_ok("cache_basic", &[]);
    for condition in BASIC_CONDITIONS {
        assert_eq!(hits(&cached, condition), 3);
    }
    assert_eq!(sandbox.body_count("cached_summary"), 12);
}

/// Feature 3: `--no-cache` naming no cached step is a usage error listing the cached steps.
#[test]
fn no_cache_of_an_unknown_step_exits_2_and_lists_cached_steps() {
    let sandbox = Sandbox::new();
    for step in ["unknown", "after_summary"] {
        let run = sandbox.run(&["run", "cache_basic", "--no-cache", step]);
        assert_eq!(run.code, 2, "{step}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--no-cache {step}")),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("cached_summary (cache_basic)"),
            "the cached steps are listed: {}",
            run.stderr
        );
    }
    assert!(
        !sandbox.data().join("cache_basic").exists(),
        "nothing may run on a usage error"
    );
    assert_eq!(sandbox.body_count("cached_summary"), 0);
}

/// Feature 4: the cache lives under `<data-dir>/.cache/`; corrupt entries and corrupt dep
/// lists are misses that recompute correctly (and are rewritten).
#[test]
fn the_cache_lives_under_the_data_dir_and_corrupt_entries_are_misses() {
    let sandbox = Sandbox::new();
    let first = sandbox.run_ok("cache_basic", &[]);
    let data = sandbox.data();
    let mut top: Vec<String> = fs::read_dir(&data)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    top.sort();
    assert_eq!(top, [".cache", ".code", "cache_basic"]);
    assert!(data.join(".cache/steps").is_dir());
    assert!(data.join(".cache/blobs").is_dir());
    let (entries, deps) = cache_json_files(&data);
    assert_eq!(
        entries.len(),
        6,
        "one entry per distinct input: {entries:?}"
    );
    assert_eq!(deps.len(), 6, "{deps:?}");

    let v0 = data.join("cache_basic/v0");
    let summaries = artifact_bytes(&v0, &BASIC_CONDITIONS, 3, "cached_summary", "summary.json");
    let check = |entry: &Value, version: u32, expected_hits: u64, bodies: usize| {
        assert_eq!(entry["version"], version);
        for condition in BASIC_CONDITIONS {
            assert_eq!(hits(entry, condition), expected_hits, "{entry}");
            assert_eq!(entry["conditions"][condition]["errors"], json!([]));
            for name in BASIC_METRICS {
                assert_eq!(
                    metric_bits(entry, condition, name),
                    metric_bits(&first, condition, name)
                );
            }
        }
        assert_eq!(sandbox.body_count("cached_summary"), bodies);
        let version_dir = data.join(format!("cache_basic/v{version}"));
        assert_eq!(
            artifact_bytes(
                &version_dir,
                &BASIC_CONDITIONS,
                3,
                "cached_summary",
                "summary.json"
            ),
            summaries
        );
    };

    for entry in &entries {
        fs::write(entry, b"this is { not json").unwrap();
    }
    let second = sandbox.run_ok("cache_basic", &[]);
    check(&second, 1, 0, 12);
    // The recomputed entries were written again.
    let third = sandbox.run_ok("cache_basic", &[]);
    check(&third, 2, 3, 12);

    for deps in &deps {
        fs::write(deps, b"\x00\x01garbage").unwrap();
    }
    let fourth = sandbox.run_ok("cache_basic", &[]);
    check(&fourth, 3, 0, 18);
    let fifth = sandbox.run_ok("cache_basic", &[]);
    check(&fifth, 4, 3, 18);

    // An entry of the wrong shape (valid JSON) is a miss too.
    let (entries, _) = cache_json_files(&data);
    for entry in &entries {
        fs::write(entry, b"{\"stage\": 7, \"output\": []}").unwrap();
    }
    let sixth = sandbox.run_ok("cache_basic", &[]);
    check(&sixth, 5, 0, 24);
}

/// Feature 4: an artifact blob that went missing is a miss; the artifact is written again.
#[test]
fn a_missing_blob_is_a_miss_and_the_artifacts_are_written_again() {
    let sandbox = Sandbox::new();
    let first = sandbox.run_ok("cache_basic", &[]);
    let data = sandbox.data();
    let blobs = data.join(".cache/blobs");
    let names = files_below(&blobs);
    assert!(
        !names.is_empty(),
        "artifacts of cached steps are kept as blobs"
    );
    for name in &names {
        fs::remove_file(blobs.join(name)).unwrap();
    }
    let second = sandbox.run_ok("cache_basic", &[]);
    for condition in BASIC_CONDITIONS {
        assert_eq!(hits(&second, condition), 0, "{second}");
        assert_eq!(
            metric_bits(&second, condition, "mean"),
            metric_bits(&first, condition, "mean")
        );
    }
    assert_eq!(sandbox.body_count("cached_summary"), 12);
    for file in ["summary.json", "data.bin"] {
        assert_eq!(
            artifact_bytes(
                &data.join("cache_basic/v1"),
                &BASIC_CONDITIONS,
                3,
                "cached_summary",
                file
            ),
            artifact_bytes(
                &data.join("cache_basic/v0"),
                &BASIC_CONDITIONS,
                3,
                "cached_summary",
                file
            )
        );
    }
}

/// Feature 4: a blob whose content no longer matches its hash (same size) is corrupt: it must
/// not be replayed as the step's artifact.
#[test]
fn a_tampered_blob_is_not_replayed() {
    let sandbox = Sandbox::new();
    sandbox.run_ok("cache_basic", &[]);
    let data = sandbox.data();
    let v0 = data.join("cache_basic/v0");
    let original = artifact_bytes(&v0, &BASIC_CONDITIONS, 3, "cached_summary", "summary.json");
    let blobs = data.join(".cache/blobs");
    for name in files_below(&blobs) {
        let path = blobs.join(name);
        let size = fs::metadata(&path).unwrap().len() as usize;
        // Rewrite the blob as a new file of the same size (not in place, so the artifacts of
        // v0, which may be hard links to it, keep their content).
        fs::remove_file(&path).unwrap();
        fs::write(&path, vec![b'#'; size]).unwrap();
    }
    let second = sandbox.run_ok("cache_basic", &[]);
    let replayed = artifact_bytes(
        &data.join("cache_basic/v1"),
        &BASIC_CONDITIONS,
        3,
        "cached_summary",
        "summary.json",
    );
    for (unit, bytes) in &replayed {
        assert!(
            bytes == &original[unit],
            "{unit:?}: v1 holds {:?} instead of {:?} (cache hits: {})",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&original[unit]),
            hits(&second, &unit.0)
        );
    }
}

/// Feature 5: a changed input misses: a treatment param feeding the source, or `--seed`.
#[test]
fn a_changed_input_misses() {
    let sandbox = Sandbox::new();
    // One job: `longer` runs after `baseline`; its source draws 6 numbers instead of 4, so its
    // cached step (which reads nothing from the context) gets another input.
    let first = sandbox.run_ok("cache_basic", &["--jobs", "1"]);
    assert_eq!(hits(&first, "baseline"), 0);
    assert_eq!(hits(&first, "longer"), 0, "{first}");
    assert_eq!(sandbox.body_count("cached_summary"), 6);
    assert_ne!(
        metric_bits(&first, "baseline", "mean"),
        metric_bits(&first, "longer", "mean")
    );

    let reseeded = sandbox.run_ok("cache_basic", &["--seed", "5"]);
    for condition in BASIC_CONDITIONS {
        assert_eq!(hits(&reseeded, condition), 0, "{reseeded}");
        assert_ne!(
            metric_bits(&reseeded, condition, "mean"),
            metric_bits(&first, condition, "mean")
        );
    }
    assert_eq!(sandbox.body_count("cached_summary"), 12);

    let again = sandbox.run_ok("cache_basic", &["--seed", "5"]);
    for condition in BASIC_CONDITIONS {
        assert_eq!(hits(&again, condition), 3);
        assert_eq!(
            metric_bits(&again, condition, "mean"),
            metric_bits(&reseeded, condition, "mean")
        );
    }
    // The entries of the first seed are still there.
    let back = sandbox.run_ok("cache_basic", &[]);
    for condition in BASIC_CONDITIONS {
        assert_eq!(hits(&back, condition), 3);
        assert_eq!(
            metric_bits(&back, condition, "mean"),
            metric_bits(&first, condition, "mean")
        );
    }
    assert_eq!(sandbox.body_count("cached_summary"), 12);
}

/// Pruning old versions (here with `gc --keep 1`) deletes their artifacts but not the cache:
/// the next run still replays the artifacts, byte for byte.
#[test]
fn pruning_old_versions_keeps_the_cache_usable() {
    let sandbox = Sandbox::new();
    sandbox.run_ok("cache_basic", &[]);
    let data = sandbox.data();
    let v0 = data.join("cache_basic/v0");
    let summaries = artifact_bytes(&v0, &BASIC_CONDITIONS, 3, "cached_summary", "summary.json");
    sandbox.run_ok("cache_basic", &[]);
    let gc = sandbox.run(&["gc", "cache_basic", "--keep", "1"]);
    assert_eq!(gc.code, 0, "{}", gc.stderr);
    assert!(!v0.join("replicate_0").exists(), "v0 was pruned");
    let v1 = data.join("cache_basic/v1");
    assert_eq!(
        artifact_bytes(&v1, &BASIC_CONDITIONS, 3, "cached_summary", "summary.json"),
        summaries,
        "pruning v0 leaves the artifacts v1 got from the cache intact"
    );

    let third = sandbox.run_ok("cache_basic", &[]);
    for condition in BASIC_CONDITIONS {
        assert_eq!(hits(&third, condition), 3, "{third}");
    }
    assert_eq!(sandbox.body_count("cached_summary"), 6);
    assert_eq!(
        artifact_bytes(
            &data.join("cache_basic/v2"),
            &BASIC_CONDITIONS,
            3,
            "cached_summary",
            "summary.json"
        ),
        summaries
    );
}
