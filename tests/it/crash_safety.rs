//! Crash safety and concurrency: a run killed with SIGKILL resumes with only the missing units,
//! concurrent runs of one experiment take turns on its lock, and a run that wrote ends with one
//! durable sync unless `--no-sync` says otherwise.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::{files_below, fixture, run_bin_with_env};

fn slow_run(data: &std::path::Path, sleep_ms: u32, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fixture"));
    command
        .args(["run", "slow", "--json", "--data-dir"])
        .arg(data)
        .args(extra)
        .env("CRYSTALLIZE_TEST_SLEEP_MS", sleep_ms.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn journal_lines(data: &std::path::Path) -> usize {
    fs::read_to_string(data.join("slow/v0/.journal.jsonl")).map_or(0, |text| text.lines().count())
}

#[test]
fn a_killed_run_resumes_with_only_the_missing_units_and_identical_results() {
    let reference = tempfile::tempdir().unwrap();
    let done = slow_run(reference.path(), 0, &["--jobs", "2"])
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );

    let data = tempfile::tempdir().unwrap();
    let mut child = slow_run(data.path(), 30, &["--jobs", "2"]).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while journal_lines(data.path()) < 10 {
        assert!(Instant::now() < deadline, "the run made no progress");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let journaled = journal_lines(data.path());
    assert!(
        journaled < 80,
        "killed mid-way ({journaled} units journaled)"
    );
    assert!(
        !data
            .path()
            .join("slow/v0/baseline/.crystallize_complete")
            .exists()
    );

    let resumed = fixture(
        data.path(),
        &["run", "slow", "--json", "--strategy", "resume"],
    );
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let entry = resumed.experiment("slow");
    let loaded: u64 = ["baseline", "double"]
        .iter()
        .map(|condition| {
            entry["conditions"][condition]["units_loaded"]
                .as_u64()
                .unwrap()
        })
        .sum();
    let ran: u64 = ["baseline", "double"]
        .iter()
        .map(|condition| {
            entry["conditions"][condition]["units_run"]
                .as_u64()
                .unwrap()
        })
        .sum();
    assert!(loaded >= 10, "the journaled units load ({loaded})");
    assert_eq!(loaded + ran, 80);
    assert_eq!(entry["action"], "partial");

    for condition in ["baseline", "double"] {
        let relative = format!("slow/v0/{condition}/results.json");
        assert_eq!(
            fs::read(data.path().join(&relative)).unwrap(),
            fs::read(reference.path().join(&relative)).unwrap(),
            "{relative} is byte-identical to an uninterrupted run"
        );
    }
    let artifacts = |root: &std::path::Path| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        files_below(&root.join("slow/v0"))
            .into_iter()
            .filter(|path| {
                path.to_string_lossy().starts_with("replicate_")
                    && !path.to_string_lossy().contains(".tmp-")
            })
            .map(|path| {
                let bytes = fs::read(root.join("slow/v0").join(&path)).unwrap();
                (path, bytes)
            })
            .collect()
    };
    assert_eq!(artifacts(data.path()), artifacts(reference.path()));
}

/// Spawns a run and forwards its stderr lines to a channel.
fn spawn_watched(mut command: Command) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = command.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    (child, receiver)
}

#[test]
fn a_second_run_waits_for_the_lock_or_exits_2_with_no_wait() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "slow"]).code, 0);
    let lock = File::options()
        .write(true)
        .open(data.path().join("slow/.lock"))
        .unwrap();
    lock.lock().unwrap();

    let busy = fixture(data.path(), &["run", "slow", "--no-wait"]);
    assert_eq!(busy.code, 2, "{}", busy.stderr);
    assert!(
        busy.stderr.contains("another run of `slow` holds") && busy.stderr.contains(".lock"),
        "{}",
        busy.stderr
    );

    let (mut waiting, lines) = spawn_watched(slow_run(data.path(), 0, &[]));
    let notice = lines
        .recv_timeout(Duration::from_secs(30))
        .expect("a notice while waiting");
    assert!(
        notice.contains("waiting for another run of `slow`"),
        "{notice}"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "it waits while the lock is held"
    );
    drop(lock);
    let status = waiting.wait().unwrap();
    assert!(status.success());
}

#[test]
fn two_concurrent_runs_both_finish_and_leave_a_consistent_experiment() {
    let data = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            slow_run(data.path(), 2, &["--strategy", "resume"])
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["experiments"][0]["version"], 0);
    }
    // The second run found the first's complete results and loaded them.
    let again = fixture(
        data.path(),
        &["run", "slow", "--json", "--strategy", "resume"],
    );
    assert_eq!(again.experiment("slow")["action"], "loaded");
    let versions: Vec<_> = fs::read_dir(data.path().join("slow"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with('v'))
        .collect();
    assert_eq!(versions, ["v0"]);
}

/// The results of a version directory that finished, by condition (`None` if it did not).
fn complete_results(version_dir: &std::path::Path) -> Option<Vec<Vec<u8>>> {
    let metadata = fs::read_to_string(version_dir.join("metadata.json")).ok()?;
    if !metadata.contains("\"status\": \"complete\"") {
        return None;
    }
    ["baseline", "double"]
        .iter()
        .map(|condition| fs::read(version_dir.join(condition).join("results.json")).ok())
        .collect()
}

/// A small deterministic generator for kill times.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// SIGKILL at random points (fixed seed) while a non-versioned experiment rewrites a complete
/// version with another seed, alternating seeds so that every round rewrites: after every kill a
/// complete version with one of the two reference results exists, and the final run is
/// byte-identical to an uninterrupted one. `CRYSTALLIZE_CRASH_ROUNDS` sets the number of kills
/// (default 8).
#[test]
fn random_kills_never_lose_a_complete_result_and_resume_byte_identical() {
    let rounds: u64 = std::env::var("CRYSTALLIZE_CRASH_ROUNDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(8);
    let references: Vec<(tempfile::TempDir, Vec<Vec<u8>>)> = ["1", "2"]
        .iter()
        .map(|seed| {
            let dir = tempfile::tempdir().unwrap();
            let run = fixture(dir.path(), &["run", "slow", "--seed", seed]);
            assert_eq!(run.code, 0, "{}", run.stderr);
            let results = complete_results(&dir.path().join("slow/v0")).unwrap();
            (dir, results)
        })
        .collect();
    let data = tempfile::tempdir().unwrap();
    assert_eq!(
        fixture(data.path(), &["run", "slow", "--seed", "1"]).code,
        0
    );
    let mut state = 0x5eed_u64;
    let experiment = data.path().join("slow");
    for round in 0..rounds {
        let seed = if round % 2 == 0 { "2" } else { "1" };
        let mut child = slow_run(
            data.path(),
            1 + (next_random(&mut state) % 3) as u32,
            &["--seed", seed, "--strategy", "resume", "--jobs", "2"],
        )
        .spawn()
        .unwrap();
        std::thread::sleep(Duration::from_millis(next_random(&mut state) % 150));
        let _ = child.kill();
        child.wait().unwrap();
        let kept: Vec<Vec<Vec<u8>>> = ["v0", ".v0.prev", ".v0.next"]
            .iter()
            .filter_map(|name| complete_results(&experiment.join(name)))
            .collect();
        assert!(
            kept.iter()
                .any(|results| references.iter().any(|(_, reference)| reference == results)),
            "round {round}: no complete result survived the kill: {:?}",
            files_below(&experiment)
        );
    }
    let last = resume_and_check(data.path(), "2");
    let reference = &references[1];
    assert_eq!(last, reference.1, "byte-identical results");
    let artifacts = |root: &std::path::Path| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        files_below(&root.join("slow/v0"))
            .into_iter()
            .filter(|path| path.to_string_lossy().starts_with("replicate_"))
            .map(|path| {
                let bytes = fs::read(root.join("slow/v0").join(&path)).unwrap();
                (path, bytes)
            })
            .collect()
    };
    assert_eq!(artifacts(data.path()), artifacts(reference.0.path()));
}

fn resume_and_check(data: &std::path::Path, seed: &str) -> Vec<Vec<u8>> {
    let run = fixture(
        data,
        &[
            "run",
            "slow",
            "--seed",
            seed,
            "--strategy",
            "resume",
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    complete_results(&data.join("slow/v0")).expect("a complete v0")
}

#[test]
fn a_run_that_wrote_ends_with_one_sync_which_no_sync_skips() {
    const SYNCED: &str = "[crystallize] synced the file system of";
    const SKIPPED: &str = "[crystallize] not synced (--no-sync)";
    let data = tempfile::tempdir().unwrap();
    let first = fixture(data.path(), &["run", "seeded", "-v"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stderr.matches(SYNCED).count(), 1, "{}", first.stderr);
    // A resume that loads everything writes nothing, so it has nothing to sync.
    let loaded = fixture(
        data.path(),
        &["run", "seeded", "--strategy", "resume", "-v"],
    );
    assert_eq!(loaded.code, 0, "{}", loaded.stderr);
    assert!(
        !loaded.stderr.contains(SYNCED) && !loaded.stderr.contains(SKIPPED),
        "{}",
        loaded.stderr
    );
    let by_flag = fixture(
        data.path(),
        &["run", "seeded", "--strategy", "rerun", "--no-sync", "-v"],
    );
    let by_env = run_bin_with_env(
        env!("CARGO_BIN_EXE_fixture"),
        data.path(),
        &["run", "seeded", "--strategy", "rerun", "-v"],
        &[("CRYSTALLIZE_NO_SYNC", std::path::Path::new("1"))],
    );
    for skipped in [by_flag, by_env] {
        assert_eq!(skipped.code, 0, "{}", skipped.stderr);
        assert!(
            skipped.stderr.contains(SKIPPED) && !skipped.stderr.contains(SYNCED),
            "{}",
            skipped.stderr
        );
    }
    // What the unsynced run wrote is a complete run like any other: the next resume loads it.
    let again = fixture(
        data.path(),
        &["run", "seeded", "--strategy", "resume", "--json"],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    let entry = again.experiment("seeded");
    assert_eq!(entry["action"], "loaded", "{entry}");
}
