//! Artifacts of any size, end to end through the `big_artifacts` fixture binary
//! (tests/src/bin/big_artifacts.rs): a step writes a file at the path `ctx.artifact_path` gives,
//! committed with its size and hash when the step returns; resume loads it and catches a deleted
//! or truncated one; a consumer reads it by path (`producer.artifact_path`) and reruns when its
//! content changes; a step that panics half-way leaves nothing; carried artifacts are hard links;
//! the step cache keeps a large artifact by link and replays the path a step returned.
//!
//! A step writing through `ctx.artifact_writer` (hashed as it writes) gets the same: its artifact
//! is journaled with the hash `write_bytes` records for the same bytes, loads on resume, is read
//! by consumers by path and as bytes, and leaves nothing when its stage fails or panics; a file
//! written behind the writer's back is journaled with its true hash, and a writer outliving its
//! stage cannot write to the committed artifact.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::Run;
use serde_json::Value;

/// The size the fixture writes by default: 2 MiB + 3 (hashed on every core).
const BYTES: u64 = (2 << 20) + 3;

/// [`BYTES`] as a metric value.
const LEN: f64 = BYTES as f64;

/// A data directory and the body log the fixture steps append to.
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

    /// Runs the fixture with `args` and extra environment variables.
    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let log = self.dir.path().join("body.log");
        let mut vars: Vec<(&str, &Path)> = vec![("CRYSTALLIZE_TEST_BODY_LOG", log.as_path())];
        vars.extend(env.iter().map(|(name, value)| (*name, Path::new(*value))));
        crate::common::run_bin_with_env(
            env!("CARGO_BIN_EXE_big_artifacts"),
            &self.data(),
            args,
            &vars,
        )
    }

    /// Runs `experiment` with `--json` and `extra`, expecting exit 0; its report entry.
    fn run_ok(&self, experiment: &str, extra: &[&str], env: &[(&str, &str)]) -> (Value, Run) {
        let mut args = vec!["run", experiment, "--json"];
        args.extend_from_slice(extra);
        let run = self.run_env(&args, env);
        assert_eq!(run.code, 0, "{args:?}\nstderr:\n{}", run.stderr);
        (run.experiment(experiment), run)
    }

    /// How many times the body of `step` ran so far.
    fn bodies(&self, step: &str) -> usize {
        fs::read_to_string(self.dir.path().join("body.log"))
            .unwrap_or_default()
            .lines()
            .filter(|line| *line == step)
            .count()
    }

    fn version_dir(&self, experiment: &str, version: u64) -> PathBuf {
        self.data().join(experiment).join(format!("v{version}"))
    }

    /// `file` of `big_streamed`'s `replicate` in `version`.
    fn streamed(&self, version: u64, replicate: u32, file: &str) -> PathBuf {
        self.version_dir("big_streamed", version).join(format!(
            "replicate_{replicate}/baseline/stream_model/{file}"
        ))
    }

    /// The producer's `model.bin` of `replicate` in `version`.
    fn model(&self, version: u64, replicate: u32) -> PathBuf {
        self.version_dir("big_producer", version).join(format!(
            "replicate_{replicate}/baseline/write_model/model.bin"
        ))
    }
}

/// What the fixture writes for `replicate` with seed `seed` and `len` bytes.
fn pattern(len: u64, replicate: u32, seed: u64) -> Vec<u8> {
    (0..len)
        .map(|i| (i * 7 + u64::from(replicate) + seed) as u8)
        .collect()
}

fn units(entry: &Value, kind: &str) -> u64 {
    entry["conditions"]["baseline"][kind]
        .as_u64()
        .unwrap_or_else(|| panic!("no {kind} in {entry}"))
}

/// The journaled artifacts of (`replicate`, baseline) in a version: `(file, size, hash)`.
fn journaled(version_dir: &Path, replicate: u32) -> Vec<(String, u64, String)> {
    let text = fs::read_to_string(version_dir.join(".journal.jsonl")).unwrap_or_default();
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|record| record["replicate"] == replicate && record["condition"] == "baseline")
        .flat_map(|record| record["artifacts"].as_array().cloned().unwrap_or_default())
        .map(|artifact| {
            (
                artifact["file"].as_str().unwrap_or_default().to_string(),
                artifact["size"].as_u64().unwrap_or_default(),
                artifact["hash"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .ino()
}

#[test]
fn an_artifact_written_at_its_path_is_journaled_with_size_and_hash_and_loads_on_resume() {
    let sandbox = Sandbox::new();
    let (entry, _) = sandbox.run_ok("big_producer", &[], &[]);
    assert_eq!(units(&entry, "units_run"), 2);
    for replicate in 0..2 {
        let bytes = fs::read(sandbox.model(0, replicate)).unwrap();
        assert_eq!(bytes, pattern(BYTES, replicate, 0));
        assert_eq!(
            journaled(&sandbox.version_dir("big_producer", 0), replicate),
            vec![(
                "model.bin".to_string(),
                BYTES,
                blake3::hash(&bytes).to_hex().to_string()
            )]
        );
    }
    let (entry, _) = sandbox.run_ok("big_producer", &["--strategy", "resume"], &[]);
    assert_eq!(units(&entry, "units_run"), 0, "{entry}");
    assert_eq!(units(&entry, "units_loaded"), 2);
    assert_eq!(sandbox.bodies("write_model"), 2);
}

#[test]
fn a_deleted_or_truncated_artifact_reruns_its_unit() {
    let sandbox = Sandbox::new();
    sandbox.run_ok("big_producer", &[], &[]);
    fs::remove_file(sandbox.model(0, 0)).unwrap();
    let (entry, _) = sandbox.run_ok("big_producer", &["--strategy", "resume"], &[]);
    assert_eq!(units(&entry, "units_run"), 1, "{entry}");
    assert_eq!(units(&entry, "units_loaded"), 1);
    assert_eq!(fs::read(sandbox.model(1, 0)).unwrap(), pattern(BYTES, 0, 0));
    // The loaded unit's file came into the new version as a hard link: the same file.
    #[cfg(unix)]
    assert_eq!(inode(&sandbox.model(0, 1)), inode(&sandbox.model(1, 1)));

    let torn = sandbox.model(1, 1);
    let file = fs::OpenOptions::new().write(true).open(&torn).unwrap();
    file.set_len(BYTES / 2).unwrap();
    drop(file);
    let (entry, _) = sandbox.run_ok("big_producer", &["--strategy", "resume"], &[]);
    assert_eq!(units(&entry, "units_run"), 1, "{entry}");
    assert_eq!(fs::read(sandbox.model(2, 1)).unwrap(), pattern(BYTES, 1, 0));
}

#[test]
fn a_consumer_reads_the_producers_file_by_path_and_reruns_when_its_content_changes() {
    let sandbox = Sandbox::new();
    let (entry, run) = sandbox.run_ok("big_consumer", &["--strategy", "resume"], &[]);
    assert_eq!(units(&entry, "units_run"), 3, "{entry}");
    let metrics = &entry["conditions"]["baseline"]["metrics"];
    assert_eq!(metrics["len"], serde_json::json!([LEN, LEN, LEN]));
    // Consumer replicates 0, 1, 2 read producer replicates 0, 1, 0.
    assert_eq!(metrics["first"], serde_json::json!([0.0, 1.0, 0.0]));
    assert_eq!(metrics["in_producer"], serde_json::json!([1.0, 1.0, 1.0]));
    assert_eq!(
        run.experiment("big_producer")["conditions"]["baseline"]["units_run"],
        2
    );

    // Nothing changed: everything loads.
    let (entry, _) = sandbox.run_ok("big_consumer", &["--strategy", "resume"], &[]);
    assert_eq!(units(&entry, "units_run"), 0, "{entry}");
    assert_eq!(sandbox.bodies("read_model"), 3);

    // A producer replicate reruns with the same bytes: the consumer loads (its keys hold the
    // content, not the run).
    fs::remove_file(sandbox.model(0, 0)).unwrap();
    let (entry, run) = sandbox.run_ok("big_consumer", &["--strategy", "resume"], &[]);
    assert_eq!(
        run.experiment("big_producer")["conditions"]["baseline"]["units_run"],
        1
    );
    assert_eq!(units(&entry, "units_run"), 0, "{entry}");

    // Producer replicate 1 reruns with other bytes: only consumer replicate 1, which reads it,
    // runs again.
    fs::remove_file(sandbox.model(1, 1)).unwrap();
    let grown = (BYTES + 5).to_string();
    let (entry, run) = sandbox.run_ok(
        "big_consumer",
        &["--strategy", "resume"],
        &[("BIG_TEST_BYTES", &grown)],
    );
    assert_eq!(
        run.experiment("big_producer")["conditions"]["baseline"]["units_run"],
        1
    );
    assert_eq!(units(&entry, "units_run"), 1, "{entry}");
    let metrics = &entry["conditions"]["baseline"]["metrics"];
    assert_eq!(metrics["len"], serde_json::json!([LEN, LEN + 5.0, LEN]));
    let reasons = entry["conditions"]["baseline"]["reasons"].to_string();
    assert!(reasons.contains("upstream-changed"), "{reasons}");
}

#[test]
fn a_step_that_panics_half_way_through_its_file_leaves_nothing_trusted() {
    let sandbox = Sandbox::new();
    let run = sandbox.run_env(
        &["run", "big_producer", "--json"],
        &[("BIG_TEST_PANIC", "1")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        !sandbox.model(0, 0).exists(),
        "the half-written file is deleted"
    );
    assert!(journaled(&sandbox.version_dir("big_producer", 0), 0).is_empty());
    assert_eq!(fs::read(sandbox.model(0, 1)).unwrap(), pattern(BYTES, 1, 0));
    // Resume runs the failed unit again and loads the other.
    let (entry, _) = sandbox.run_ok("big_producer", &["--strategy", "resume"], &[]);
    assert_eq!(units(&entry, "units_run"), 1, "{entry}");
    assert_eq!(units(&entry, "units_loaded"), 1);
    assert_eq!(fs::read(sandbox.model(1, 0)).unwrap(), pattern(BYTES, 0, 0));
}

#[test]
fn a_bad_artifact_name_fails_the_step_with_a_clear_error() {
    let sandbox = Sandbox::new();
    let run = sandbox.run_env(&["run", "big_bad_name"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let text = format!("{}{}", run.stdout, run.stderr);
    assert!(
        text.contains("invalid artifact name `../escape.bin`"),
        "{text}"
    );
    assert!(!text.contains("panicked"), "{text}");
    assert!(!sandbox.data().join("big_bad_name/escape.bin").exists());
}

#[test]
fn the_step_cache_keeps_a_large_artifact_by_link_and_replays_the_path_it_returned() {
    let sandbox = Sandbox::new();
    let (entry, _) = sandbox.run_ok("big_cached", &[], &[]);
    let metrics = &entry["conditions"]["baseline"]["metrics"];
    assert_eq!(
        metrics["len"],
        serde_json::json!([f64::from((2 << 20) + 1)])
    );
    assert_eq!(metrics["own"], serde_json::json!([1.0]));
    let first = sandbox
        .version_dir("big_cached", 0)
        .join("replicate_0/baseline/cached_model/cached.bin");
    let bytes = fs::read(&first).unwrap();
    let blob = sandbox
        .data()
        .join(".cache/blobs")
        .join(blake3::hash(&bytes).to_hex().as_str());
    #[cfg(unix)]
    assert_eq!(
        inode(&first),
        inode(&blob),
        "the blob is a link, not a copy"
    );

    // Run again: the cached step is replayed, its artifact linked and its path output anew.
    let (entry, _) = sandbox.run_ok("big_cached", &["--strategy", "rerun"], &[]);
    assert_eq!(sandbox.bodies("cached_model"), 1);
    assert_eq!(entry["conditions"]["baseline"]["cache_hits"], 1, "{entry}");
    let metrics = &entry["conditions"]["baseline"]["metrics"];
    assert_eq!(
        metrics["own"],
        serde_json::json!([1.0]),
        "the path of v1's artifact"
    );
    let second = sandbox
        .version_dir("big_cached", 1)
        .join("replicate_0/baseline/cached_model/cached.bin");
    assert_eq!(fs::read(&second).unwrap(), bytes);
    #[cfg(unix)]
    assert_eq!(inode(&second), inode(&blob));

    // A blob edited through a version's link no longer matches: a miss, the body runs again.
    fs::write(&first, b"edited").unwrap();
    let (entry, _) = sandbox.run_ok("big_cached", &["--strategy", "rerun"], &[]);
    assert_eq!(sandbox.bodies("cached_model"), 2);
    assert_eq!(
        entry["conditions"]["baseline"]["metrics"]["len"],
        serde_json::json!([f64::from((2 << 20) + 1)])
    );
}

#[test]
fn a_cached_step_taking_a_producers_path_is_keyed_by_the_files_content() {
    let sandbox = Sandbox::new();
    let rerun = ["--strategy", "rerun"];
    let (entry, _) = sandbox.run_ok("big_plain_reader", &rerun, &[]);
    assert_eq!(
        entry["conditions"]["baseline"]["metrics"]["len"],
        serde_json::json!([LEN])
    );
    // The producer writes the same bytes at the same path: a hit.
    let (entry, _) = sandbox.run_ok("big_plain_reader", &rerun, &[]);
    assert_eq!(entry["conditions"]["baseline"]["cache_hits"], 1, "{entry}");
    assert_eq!(sandbox.bodies("cached_len"), 1);
    // Other bytes at the same path: a miss, computed from the new file.
    let grown = (BYTES + 5).to_string();
    let (entry, _) = sandbox.run_ok("big_plain_reader", &rerun, &[("BIG_TEST_BYTES", &grown)]);
    assert_eq!(sandbox.bodies("cached_len"), 2);
    assert_eq!(
        entry["conditions"]["baseline"]["metrics"]["len"],
        serde_json::json!([LEN + 5.0])
    );
}

#[test]
fn child_processes_commit_artifact_paths_too() {
    let sandbox = Sandbox::new();
    let (entry, _) = sandbox.run_ok("big_producer", &["--executor", "process"], &[]);
    assert_eq!(units(&entry, "units_run"), 2, "{entry}");
    for replicate in 0..2 {
        let bytes = fs::read(sandbox.model(0, replicate)).unwrap();
        assert_eq!(bytes, pattern(BYTES, replicate, 0));
        let journal = journaled(&sandbox.version_dir("big_producer", 0), replicate);
        assert_eq!(journal[0].1, BYTES);
    }
}

/// The journaled `(size, hash)` of `file` of `replicate` in a version.
fn journaled_file(version_dir: &Path, replicate: u32, file: &str) -> Option<(u64, String)> {
    journaled(version_dir, replicate)
        .into_iter()
        .find(|(name, _, _)| name == file)
        .map(|(_, size, hash)| (size, hash))
}

#[test]
fn a_writers_artifact_is_journaled_with_the_hash_write_bytes_records_and_loads_on_resume() {
    for executor in ["threads", "process"] {
        let sandbox = Sandbox::new();
        let (entry, _) = sandbox.run_ok("big_streamed", &["--executor", executor], &[]);
        assert_eq!(units(&entry, "units_run"), 2, "{executor}: {entry}");
        let version = sandbox.version_dir("big_streamed", 0);
        for replicate in 0..2 {
            // Replicate 0 finished its writer, replicate 1 dropped it.
            let bytes = fs::read(sandbox.streamed(0, replicate, "model.bin")).unwrap();
            assert_eq!(bytes, pattern(BYTES, replicate, 0), "{executor}");
            let expected = (BYTES, blake3::hash(&bytes).to_hex().to_string());
            assert_eq!(
                journaled_file(&version, replicate, "model.bin"),
                Some(expected.clone()),
                "{executor}"
            );
            assert_eq!(
                journaled_file(&version, replicate, "copy.bin"),
                Some(expected),
                "the same as write_bytes of the same bytes ({executor})"
            );
        }
        let (entry, _) = sandbox.run_ok("big_streamed", &["--strategy", "resume"], &[]);
        assert_eq!(units(&entry, "units_run"), 0, "{executor}: {entry}");
        assert_eq!(units(&entry, "units_loaded"), 2);
        assert_eq!(sandbox.bodies("stream_model"), 2);
    }
}

#[test]
fn a_stage_that_fails_or_panics_leaves_nothing_of_its_writers_file() {
    for (variable, message) in [
        ("BIG_TEST_PANIC", "panicked"),
        ("BIG_TEST_FAIL", "failed half-way"),
    ] {
        let sandbox = Sandbox::new();
        let run = sandbox.run_env(&["run", "big_streamed", "--json"], &[(variable, "1")]);
        assert_eq!(run.code, 1, "{variable}: {}", run.stderr);
        let text = format!("{}{}", run.stdout, run.stderr);
        assert!(text.contains(message), "{variable}: {text}");
        assert!(
            !sandbox.streamed(0, 0, "model.bin").exists(),
            "{variable}: the half-written file is deleted"
        );
        let version = sandbox.version_dir("big_streamed", 0);
        assert!(journaled(&version, 0).is_empty(), "{variable}");
        assert_eq!(
            fs::read(sandbox.streamed(0, 1, "model.bin")).unwrap(),
            pattern(BYTES, 1, 0)
        );
        // Resume runs the failed unit again and loads the other.
        let (entry, _) = sandbox.run_ok("big_streamed", &["--strategy", "resume"], &[]);
        assert_eq!(units(&entry, "units_run"), 1, "{variable}: {entry}");
        assert_eq!(units(&entry, "units_loaded"), 1);
        assert_eq!(
            fs::read(sandbox.streamed(1, 0, "model.bin")).unwrap(),
            pattern(BYTES, 0, 0)
        );
    }
}

#[test]
fn a_writers_file_appended_to_through_another_handle_is_journaled_with_its_true_hash() {
    let sandbox = Sandbox::new();
    let append = [("BIG_TEST_APPEND", "1")];
    sandbox.run_ok("big_streamed", &[], &append);
    let version = sandbox.version_dir("big_streamed", 0);
    for replicate in 0..2 {
        let mut expected = pattern(BYTES, replicate, 0);
        expected.extend_from_slice(b"tail");
        let path = sandbox.streamed(0, replicate, "model.bin");
        assert_eq!(fs::read(&path).unwrap(), expected);
        assert_eq!(
            journaled_file(&version, replicate, "model.bin"),
            Some((BYTES + 4, blake3::hash(&expected).to_hex().to_string()))
        );
    }
    // Its stamp was recorded as the file is: resume trusts it and loads.
    let (entry, _) = sandbox.run_ok("big_streamed", &["--strategy", "resume"], &append);
    assert_eq!(units(&entry, "units_loaded"), 2, "{entry}");
}

#[test]
fn consumers_read_a_writers_artifact_by_path_and_as_bytes() {
    let sandbox = Sandbox::new();
    let (entry, run) = sandbox.run_ok("big_streamed_consumer", &["--strategy", "resume"], &[]);
    assert_eq!(
        run.experiment("big_streamed")["conditions"]["baseline"]["units_run"],
        2
    );
    assert_eq!(units(&entry, "units_run"), 3, "{entry}");
    let metrics = &entry["conditions"]["baseline"]["metrics"];
    assert_eq!(metrics["len"], serde_json::json!([LEN, LEN, LEN]));
    assert_eq!(metrics["first"], serde_json::json!([0.0, 1.0, 0.0]));
    assert_eq!(metrics["same"], serde_json::json!([1.0, 1.0, 1.0]));
    let (entry, _) = sandbox.run_ok("big_streamed_consumer", &["--strategy", "resume"], &[]);
    assert_eq!(units(&entry, "units_loaded"), 3, "{entry}");
}

#[test]
fn a_writer_outliving_its_stage_cannot_write_to_the_committed_artifact() {
    let sandbox = Sandbox::new();
    let (entry, _) = sandbox.run_ok("big_outlived", &[], &[]);
    assert_eq!(
        entry["conditions"]["baseline"]["metrics"]["late_refused"],
        serde_json::json!([1.0]),
        "{entry}"
    );
    let late = sandbox
        .data()
        .join("big_outlived/v0/replicate_0/baseline/open_late/late.bin");
    assert_eq!(fs::read(&late).unwrap(), b"early");
    assert_eq!(
        journaled_file(&sandbox.version_dir("big_outlived", 0), 0, "late.bin"),
        Some((5, blake3::hash(b"early").to_hex().to_string()))
    );
}

#[test]
fn the_step_cache_keeps_and_replays_a_writers_artifact() {
    let sandbox = Sandbox::new();
    sandbox.run_ok("big_cached_writer", &[], &[]);
    let (entry, _) = sandbox.run_ok("big_cached_writer", &["--strategy", "rerun"], &[]);
    assert_eq!(sandbox.bodies("cached_stream"), 1);
    assert_eq!(entry["conditions"]["baseline"]["cache_hits"], 1, "{entry}");
    let expected = pattern((2 << 20) + 1, 0, 5);
    for version in 0..2 {
        let file = sandbox
            .version_dir("big_cached_writer", version)
            .join("replicate_0/baseline/cached_stream/cached.bin");
        assert_eq!(fs::read(&file).unwrap(), expected, "v{version}");
        assert_eq!(
            journaled_file(
                &sandbox.version_dir("big_cached_writer", version),
                0,
                "cached.bin"
            ),
            Some(((2 << 20) + 1, blake3::hash(&expected).to_hex().to_string()))
        );
    }
    #[cfg(unix)]
    assert_eq!(
        inode(
            &sandbox
                .version_dir("big_cached_writer", 1)
                .join("replicate_0/baseline/cached_stream/cached.bin")
        ),
        inode(
            &sandbox
                .data()
                .join(".cache/blobs")
                .join(blake3::hash(&expected).to_hex().as_str())
        ),
        "replayed from the blob by a link"
    );
}
