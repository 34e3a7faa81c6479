//! Fault injection on the store: empty, unfinished and stray versions, same-size edits,
//! symbolic links, a full disk, a closed stdout, oversized flags. Each fault asserts the
//! documented outcome: no panic (exit 0, 1 or 2), nothing written outside the data directory,
//! and no previous complete result lost.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::{Run, files_below, fixture, read_json, require_that};

fn resume(data: &Path, experiment: &str, extra: &[&str]) -> Run {
    let mut args = vec!["run", experiment, "--json", "--strategy", "resume"];
    args.extend_from_slice(extra);
    let run = fixture(data, &args);
    assert!(
        !run.stderr.contains("panicked"),
        "no panic in our code:\n{}",
        run.stderr
    );
    run
}

fn units(entry: &serde_json::Value, field: &str) -> u64 {
    entry["conditions"]
        .as_object()
        .expect("conditions")
        .values()
        .map(|condition| condition[field].as_u64().unwrap_or(0))
        .sum()
}

/// Every file below `dir` with its content.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_below(dir)
        .into_iter()
        .map(|path| {
            let bytes = fs::read(dir.join(&path)).unwrap();
            (path, bytes)
        })
        .collect()
}

#[test]
fn an_empty_newest_version_loads_everything_from_the_last_complete_one() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "slow"]).code, 0);
    fs::create_dir(data.path().join("slow/v1")).unwrap();
    let run = resume(data.path(), "slow", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("slow");
    assert_eq!(units(&entry, "units_run"), 0, "{entry}");
    assert_eq!(units(&entry, "units_loaded"), 80);
    assert_eq!(entry["version"], 0);
    assert!(
        entry["warnings"]
            .to_string()
            .contains("slow/v1 has no metadata.json"),
        "the unusable version is reported: {entry}"
    );

    // Versioned: a version claimed and never written is skipped the same way.
    assert_eq!(fixture(data.path(), &["run", "pair"]).code, 0);
    fs::create_dir(data.path().join("pair/v1")).unwrap();
    let run = resume(data.path(), "pair", &[]);
    let entry = run.experiment("pair");
    assert_eq!(entry["action"], "loaded", "{entry}");
    assert_eq!(entry["version"], 0);

    // gc removes both, and nothing else.
    let gc = fixture(data.path(), &["gc"]);
    assert_eq!(gc.code, 0, "{}", gc.stderr);
    assert!(gc.stdout.contains("slow/v1"), "{}", gc.stdout);
    assert!(!data.path().join("slow/v1").exists());
    assert!(!data.path().join("pair/v1").exists());
    assert!(data.path().join("slow/v0/baseline/results.json").is_file());
    assert!(
        data.path()
            .join("pair/v0/left/.crystallize_complete")
            .is_file()
    );
}

#[test]
fn an_unfinished_newest_version_loads_its_units_and_the_rest_from_the_previous_one() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "pair"]).code, 0);
    // A second run that was killed after journaling two of its six units.
    let v0 = data.path().join("pair/v0");
    let v1 = data.path().join("pair/v1");
    fs::create_dir(&v1).unwrap();
    let mut metadata = read_json(v0.join("metadata.json"));
    metadata["status"] = "running".into();
    metadata["version"] = 1.into();
    fs::write(v1.join("metadata.json"), metadata.to_string()).unwrap();
    let journal = fs::read_to_string(v0.join(".journal.jsonl")).unwrap();
    let kept: Vec<&str> = journal
        .lines()
        .filter(|line| line.contains("\"left\""))
        .collect();
    assert_eq!(kept.len(), 2);
    fs::write(v1.join(".journal.jsonl"), kept.join("\n") + "\n").unwrap();
    for replicate in 0..2 {
        let unit = format!("replicate_{replicate}/left");
        fs::create_dir_all(v1.join(&unit).join("mark")).unwrap();
        fs::copy(
            v0.join(&unit).join("mark/mark.json"),
            v1.join(&unit).join("mark/mark.json"),
        )
        .unwrap();
    }
    let run = resume(data.path(), "pair", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("pair");
    assert_eq!(units(&entry, "units_run"), 0, "{entry}");
    assert_eq!(units(&entry, "units_loaded"), 6);
    let reasons = entry["conditions"]["left"]["reasons"].to_string();
    assert!(reasons.contains("loaded from v1"), "{reasons}");
    let reasons = entry["conditions"]["right"]["reasons"].to_string();
    assert!(reasons.contains("loaded from v0"), "{reasons}");
    // The new version is whole: every artifact is there, every marker written.
    let version = entry["version"].as_u64().unwrap();
    assert_eq!(version, 2);
    let v2 = data.path().join("pair/v2");
    for condition in ["baseline", "left", "right"] {
        assert!(v2.join(condition).join(".crystallize_complete").is_file());
        for replicate in 0..2 {
            assert!(
                v2.join(format!("replicate_{replicate}/{condition}/mark/mark.json"))
                    .is_file()
            );
        }
    }
}

#[test]
fn a_non_versioned_experiment_with_a_newer_version_from_its_versioned_days_settles() {
    let data = tempfile::tempdir().unwrap();
    // `flat_pair` ran with another seed, as a versioned experiment, into v1; v0 is older.
    assert_eq!(
        fixture(data.path(), &["run", "flat_pair", "--seed", "7"]).code,
        0
    );
    fs::rename(
        data.path().join("flat_pair/v0"),
        data.path().join("flat_pair/v1"),
    )
    .unwrap();
    assert_eq!(fixture(data.path(), &["run", "flat_pair"]).code, 0);
    let first = resume(data.path(), "flat_pair", &["--seed", "3"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.experiment("flat_pair")["action"], "ran");
    // It rewrites the version it compares with, so the next resume loads, and so does every one
    // after it.
    for _ in 0..2 {
        let again = resume(data.path(), "flat_pair", &["--seed", "3"]);
        let entry = again.experiment("flat_pair");
        assert_eq!(entry["action"], "loaded", "{entry}");
        assert_eq!(entry["version"], 1);
    }
    // Back to the first seed: v0 is untouched history, the rewritten v1 is compared and loads
    // after one run.
    assert_eq!(resume(data.path(), "flat_pair", &[]).code, 0);
    let settled = resume(data.path(), "flat_pair", &[]);
    assert_eq!(settled.experiment("flat_pair")["action"], "loaded");
}

#[test]
fn a_versioned_experiment_claims_past_stray_versions_and_loads_its_newest() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "pair"]).code, 0);
    fs::create_dir(data.path().join("pair/v4")).unwrap();
    fs::write(data.path().join("pair/v4/notes.txt"), b"not a run").unwrap();
    let changed = resume(data.path(), "pair", &["--seed", "5"]);
    assert_eq!(changed.experiment("pair")["version"], 5);
    let again = resume(data.path(), "pair", &["--seed", "5"]);
    let entry = again.experiment("pair");
    assert_eq!(entry["action"], "loaded", "{entry}");
    assert_eq!(entry["version"], 5);
}

fn edit_same_size(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let position = bytes
        .iter()
        .rposition(u8::is_ascii_digit)
        .expect("a digit to change");
    bytes[position] = if bytes[position] == b'1' { b'2' } else { b'1' };
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(path, &bytes).unwrap();
}

#[test]
fn an_artifact_edited_in_place_without_changing_its_size_reruns_its_unit() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    let path = data
        .path()
        .join("seeded/v0/replicate_1/baseline/save/draws.json");
    let original = fs::read(&path).unwrap();
    edit_same_size(&path);
    assert_eq!(fs::metadata(&path).unwrap().len(), original.len() as u64);
    let run = resume(data.path(), "seeded", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("seeded");
    let baseline = &entry["conditions"]["baseline"];
    assert_eq!(baseline["units_run"], 1, "{entry}");
    assert_eq!(baseline["reasons"][0]["kind"], "corrupt-file");
    assert!(
        baseline["reasons"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("changed after it was written")
    );
    assert_eq!(entry["conditions"]["shifted"]["units_loaded"], 3);
    assert_eq!(fs::read(&path).unwrap(), original, "recomputed");
}

#[test]
fn an_artifact_touched_without_a_change_still_loads() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    let path = data
        .path()
        .join("seeded/v0/replicate_1/baseline/save/draws.json");
    let bytes = fs::read(&path).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&path, &bytes).unwrap();
    let entry = resume(data.path(), "seeded", &[]).experiment("seeded");
    assert_eq!(entry["action"], "loaded", "{entry}");
    assert_eq!(entry["warnings"], serde_json::json!([]));
}

#[cfg(unix)]
#[test]
fn a_symlinked_replicate_directory_is_never_followed_and_nothing_is_lost() {
    use std::os::unix::fs::symlink;
    let data = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    let v0 = data.path().join("seeded/v0");
    let moved = outside.path().join("replicate_2");
    fs::rename(v0.join("replicate_2"), &moved).unwrap();
    symlink(&moved, v0.join("replicate_2")).unwrap();
    let before = contents(outside.path());

    let run = resume(data.path(), "seeded", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("seeded");
    assert_eq!(
        units(&entry, "units_run"),
        2,
        "replicate 2 of both conditions"
    );
    assert!(
        entry["warnings"]
            .to_string()
            .contains("replicate_2 is a symbolic link"),
        "{entry}"
    );
    assert_eq!(contents(outside.path()), before, "nothing outside changed");
    let replicate = fs::symlink_metadata(v0.join("replicate_2")).unwrap();
    assert!(replicate.is_dir(), "a real directory now");
    for condition in ["baseline", "shifted"] {
        assert!(v0.join(condition).join(".crystallize_complete").is_file());
        assert!(
            v0.join(format!("replicate_2/{condition}/save/draws.json"))
                .is_file()
        );
    }
    let again = resume(data.path(), "seeded", &[]).experiment("seeded");
    assert_eq!(again["action"], "loaded", "{again}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_condition_directory_is_never_followed_and_its_condition_reruns() {
    use std::os::unix::fs::symlink;
    let data = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    let v0 = data.path().join("seeded/v0");
    // The condition's directory (its marker and results) moved out and linked back in: a
    // resume must not read its marker through the link, so the condition runs again.
    let moved = outside.path().join("shifted");
    fs::rename(v0.join("shifted"), &moved).unwrap();
    symlink(&moved, v0.join("shifted")).unwrap();
    let before = contents(outside.path());

    let run = resume(data.path(), "seeded", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("seeded");
    assert_eq!(
        entry["conditions"]["shifted"]["units_run"], 3,
        "every unit of the linked condition: {entry}"
    );
    assert_eq!(entry["conditions"]["baseline"]["units_run"], 0, "{entry}");
    assert!(
        entry["warnings"]
            .to_string()
            .contains("shifted is a symbolic link"),
        "{entry}"
    );
    assert_eq!(contents(outside.path()), before, "nothing outside changed");
    let again = resume(data.path(), "seeded", &[]).experiment("seeded");
    assert_eq!(again["action"], "loaded", "{again}");
}

#[cfg(unix)]
#[test]
fn a_lock_that_is_a_dangling_symlink_is_refused_and_nothing_is_created_outside() {
    let data = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("created-by-us");
    fs::create_dir_all(data.path().join("seeded")).unwrap();
    std::os::unix::fs::symlink(&target, data.path().join("seeded/.lock")).unwrap();
    for command in [vec!["run", "seeded"], vec!["plan", "seeded"], vec!["gc"]] {
        let run = fixture(data.path(), &command);
        assert_eq!(run.code, 2, "{command:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(".lock is a symbolic link"),
            "{command:?}: {}",
            run.stderr
        );
        assert!(!target.exists(), "{command:?} created a file outside");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_experiment_directory_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), data.path().join("seeded")).unwrap();
    let run = fixture(data.path(), &["run", "seeded"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is a symbolic link"), "{}", run.stderr);
    assert!(files_below(outside.path()).is_empty());
}

#[cfg(unix)]
#[test]
fn records_behind_symlinks_are_not_read() {
    let data = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    let v0 = data.path().join("seeded/v0");
    // A valid metadata.json, moved out and linked back in: never read through the link.
    let moved = outside.path().join("metadata.json");
    fs::rename(v0.join("metadata.json"), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, v0.join("metadata.json")).unwrap();
    let before = fs::read(&moved).unwrap();
    let run = resume(data.path(), "seeded", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = run.experiment("seeded");
    assert_eq!(entry["action"], "ran", "{entry}");
    assert!(
        entry["reasons"].to_string().contains("symbolic link"),
        "{entry}"
    );
    assert_eq!(fs::read(&moved).unwrap(), before);
    assert!(
        !fs::symlink_metadata(v0.join("metadata.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn gc_exits_quietly_when_stdout_is_closed() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "pair"]).code, 0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args(["gc", "--dry-run", "--data-dir"])
        .arg(data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_jobs_count_beyond_what_the_machine_can_start_is_capped() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(
        data.path(),
        &["run", "seeded", "--jobs", "100000000", "--json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("--jobs 100000000"), "{}", run.stderr);
    assert_eq!(units(&run.experiment("seeded"), "units_run"), 6);
}

#[test]
fn an_artifact_name_of_255_bytes_is_written() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "long_artifact", "--json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.stdout);
    let name = format!("{}.json", "a".repeat(250));
    assert!(
        data.path()
            .join("long_artifact/v0/replicate_1/baseline/long_named_artifact")
            .join(name)
            .is_file()
    );
}

#[test]
fn plain_run_output_names_the_problem_files_in_one_line() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
    fs::write(data.path().join("seeded/v0/notes.txt"), b"mine").unwrap();
    fs::write(data.path().join("seeded/v0/shifted/results.json"), b"{").unwrap();
    let run = fixture(data.path(), &["run", "seeded", "--strategy", "resume"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("warning:"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(
        lines[0].contains("notes.txt") && lines[0].contains("shifted/results.json"),
        "{}",
        lines[0]
    );
}

#[test]
fn gc_prunes_step_cache_entries_no_retained_version_uses() {
    let data = tempfile::tempdir().unwrap();
    let entries = |data: &Path| -> Vec<PathBuf> {
        files_below(&data.join(".cache/steps"))
            .into_iter()
            .filter(|path| !path.ends_with("deps.json"))
            .collect()
    };
    assert_eq!(
        fixture(data.path(), &["run", "cache_by_seed", "--seed", "1"]).code,
        0
    );
    let first = entries(data.path());
    assert_eq!(first.len(), 3, "{first:?}");
    assert_eq!(
        fixture(data.path(), &["run", "cache_by_seed", "--seed", "2"]).code,
        0
    );
    assert_eq!(entries(data.path()).len(), 6);
    // The rewritten v0 uses only the seed-2 entries.
    let dry = fixture(data.path(), &["gc", "--dry-run"]);
    assert!(
        dry.stdout.contains("would delete 3 step-cache entries"),
        "{}",
        dry.stdout
    );
    assert_eq!(entries(data.path()).len(), 6, "a dry run deletes nothing");
    let gc = fixture(data.path(), &["gc"]);
    assert_eq!(gc.code, 0, "{}", gc.stderr);
    let left = entries(data.path());
    assert_eq!(left.len(), 3);
    assert!(left.iter().all(|entry| !first.contains(entry)));
    // What is kept still serves the run that uses it.
    let again = fixture(
        data.path(),
        &["run", "cache_by_seed", "--seed", "2", "--json"],
    );
    let hits: u64 = again.experiment("cache_by_seed")["conditions"]["baseline"]["cache_hits"]
        .as_u64()
        .unwrap();
    assert_eq!(hits, 3);
}

/// A small tmpfs mounted for a test, unmounted when dropped.
struct Tmpfs {
    path: PathBuf,
    /// Removed after the unmount.
    _dir: tempfile::TempDir,
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// Mounts a tmpfs of `size` (needs root); `None`, with a SKIPPED notice, where that is not
/// possible, unless `CRYSTALLIZE_REQUIRE_ALL_TESTS=1` demands every test run.
fn tmpfs(size: &str) -> Option<Tmpfs> {
    let dir = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir.path())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    require_that(
        mounted,
        "needs to mount a small tmpfs (run the tests as root, with mount available)",
    )
    .then(|| Tmpfs {
        path: dir.path().to_path_buf(),
        _dir: dir,
    })
}

#[test]
fn a_full_disk_keeps_the_previous_results_and_stops_at_the_first_write_error() {
    let Some(disk) = tmpfs("2m") else {
        return;
    };
    let data = disk.path.join("data");
    assert_eq!(
        fixture(&data, &["run", "slow", "--replicates", "5"]).code,
        0
    );
    let v0 = data.join("slow/v0");
    let before = contents(&v0);
    assert!(
        before
            .iter()
            .any(|(path, _)| path.ends_with("results.json"))
    );

    // Far more than fits: 2,000 units writing one file each.
    let full = fixture(
        &data,
        &["run", "slow", "--replicates", "1000", "--seed", "3"],
    );
    assert_eq!(full.code, 1, "{}", full.stderr);
    let lines: Vec<&str> = full.stderr.lines().collect();
    assert!(
        lines.len() <= 3,
        "one clear error, not one per unit:\n{}",
        full.stderr
    );
    assert!(
        full.stderr.contains("No space left on device"),
        "{}",
        full.stderr
    );
    assert!(
        full.stderr.contains("stopped at the first write error"),
        "{}",
        full.stderr
    );
    assert!(
        full.stderr.contains(&data.display().to_string()),
        "the path: {}",
        full.stderr
    );
    let finished: usize = full
        .stderr
        .split("write error: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|count| count.parse().ok())
        .expect("how many units finished");
    assert!(finished < 2000, "it stopped early ({finished} finished)");
    assert_eq!(
        contents(&v0),
        before,
        "the previous complete results are intact"
    );

    // The previous results still load, and gc clears what the failed run left.
    let again = resume(&data, "slow", &["--replicates", "5"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.experiment("slow")["action"], "loaded");
    assert_eq!(fixture(&data, &["gc"]).code, 0);
    assert!(!data.join("slow/.v0.next").exists());
    assert_eq!(contents(&v0), before);
}

#[test]
fn every_record_type_survives_truncation_garbage_and_a_link() {
    let records = [
        "metadata.json",
        "_manifest.json",
        ".journal.jsonl",
        "shifted/results.json",
        "shifted/.crystallize_complete",
    ];
    for record in records {
        for fault in ["truncated", "garbage", "link"] {
            let data = tempfile::tempdir().unwrap();
            let outside = tempfile::tempdir().unwrap();
            assert_eq!(fixture(data.path(), &["run", "seeded"]).code, 0);
            let path = data.path().join("seeded/v0").join(record);
            let original = fs::read(&path).unwrap();
            match fault {
                "truncated" => fs::write(&path, &original[..original.len() / 2]).unwrap(),
                "garbage" => fs::write(&path, b"\x00\xff{{not ours").unwrap(),
                _ => {
                    let moved = outside.path().join("record");
                    fs::rename(&path, &moved).unwrap();
                    #[cfg(unix)]
                    std::os::unix::fs::symlink(&moved, &path).unwrap();
                }
            }
            let outside_before = contents(outside.path());
            let run = resume(data.path(), "seeded", &[]);
            let what = format!("{record} {fault}");
            assert_eq!(run.code, 0, "{what}: {}", run.stderr);
            let entry = run.experiment("seeded");
            assert!(
                entry["warnings"].as_array().is_some_and(|w| !w.is_empty())
                    || entry["reasons"]
                        .to_string()
                        .contains(record.rsplit('/').next().unwrap()),
                "{what} is reported: {entry}"
            );
            assert_eq!(
                contents(outside.path()),
                outside_before,
                "{what}: nothing outside changed"
            );
            // Repaired: the next resume loads everything, and the record is ours again.
            let again = resume(data.path(), "seeded", &[]).experiment("seeded");
            assert_eq!(again["action"], "loaded", "{what}: {again}");
            let repaired = fs::symlink_metadata(&path).unwrap();
            assert!(repaired.is_file(), "{what}: a regular file again");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_version_directory_that_is_a_link_is_reported_and_not_read() {
    let data = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "pair"]).code, 0);
    let copy = outside.path().join("v1");
    fs::create_dir(&copy).unwrap();
    for (path, bytes) in contents(&data.path().join("pair/v0")) {
        let target = copy.join(&path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, bytes).unwrap();
    }
    std::os::unix::fs::symlink(&copy, data.path().join("pair/v1")).unwrap();
    let before = contents(outside.path());
    let run = resume(data.path(), "pair", &[]);
    let entry = run.experiment("pair");
    assert_eq!(entry["version"], 0, "{entry}");
    assert!(
        entry["warnings"]
            .to_string()
            .contains("pair/v1 is a symbolic link"),
        "{entry}"
    );
    let changed = resume(data.path(), "pair", &["--seed", "9"]).experiment("pair");
    assert_eq!(
        changed["version"], 2,
        "the link's name is skipped when claiming"
    );
    assert_eq!(contents(outside.path()), before);
}

#[test]
fn an_unfinished_version_of_other_code_does_not_hide_the_finished_one() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "pair"]).code, 0);
    // A run with another seed claimed v1, wrote its metadata and was killed.
    let started = fixture(data.path(), &["run", "pair", "--seed", "4"]);
    assert_eq!(started.code, 0);
    let v1 = data.path().join("pair/v1");
    let mut metadata = read_json(v1.join("metadata.json"));
    metadata["status"] = "running".into();
    fs::write(v1.join("metadata.json"), metadata.to_string()).unwrap();
    fs::write(v1.join(".journal.jsonl"), b"").unwrap();
    let run = resume(data.path(), "pair", &[]);
    let entry = run.experiment("pair");
    assert_eq!(entry["action"], "loaded", "{entry}");
    assert_eq!(entry["version"], 0);
    let paths = entry["artifacts"].to_string();
    assert!(paths.contains("pair/v0/replicate_0"), "{paths}");
    assert!(!paths.contains("pair/v1/"), "{paths}");
    let plan = fixture(
        data.path(),
        &["plan", "pair", "--json", "--strategy", "resume"],
    );
    assert_eq!(plan.experiment("pair")["version"], 0);
}
