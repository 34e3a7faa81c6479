//! Faults at the edges of the command line: a closed stdout, absurd replicate counts, runs
//! inside a git repository, non-finite params, panicking definitions, over-long names and a
//! data directory that is not a directory. Each is a clean exit with one clear message, never a
//! panic, an abort or a silent success.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::{Run, fixture, read_json, require, tool_runs};

const FIXTURE: &str = env!("CARGO_BIN_EXE_fixture");
const FAULTS: &str = env!("CARGO_BIN_EXE_definition_faults");

/// Runs `bin` with `args`, data under `data`, extra environment `env`, in `dir` (when given).
fn run_in(bin: &str, dir: Option<&Path>, data: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(bin);
    command
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .env_remove("CRYSTALLIZE_TEST_FAULT")
        .env_remove("CRYSTALLIZE_TEST_ARTIFACT_BYTES")
        .env_remove("CRYSTALLIZE_SKIP_MEMORY_CHECK")
        .env_remove("CRYSTALLIZE_MEMORY_AVAILABLE");
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `definition_faults` with `CRYSTALLIZE_TEST_FAULT=fault`.
fn faulty(fault: &str, data: &Path, args: &[&str]) -> Run {
    run_in(
        FAULTS,
        None,
        data,
        args,
        &[("CRYSTALLIZE_TEST_FAULT", fault)],
    )
}

/// Asserts exit 2 with exactly one line on stderr, an error containing every one of `parts`.
fn assert_one_clean_error(run: &Run, parts: &[&str]) {
    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one error line expected:\n{}", run.stderr);
    assert!(lines[0].starts_with("error: "), "{}", run.stderr);
    for part in parts {
        assert!(
            lines[0].contains(part),
            "`{part}` missing in:\n{}",
            run.stderr
        );
    }
    assert!(run.stdout.is_empty(), "nothing on stdout:\n{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// 1. A closed stdout

/// Runs the fixture with its stdout a pipe whose read end is closed before it starts, so its
/// first write fails with EPIPE.
fn into_closed_pipe(data: &Path, args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = Command::new(FIXTURE)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("the fixture runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn printing_commands_stop_quietly_when_stdout_is_closed() {
    let data = tempfile::tempdir().unwrap();
    let commands: [&[&str]; 10] = [
        &["list"],
        &["list", "--json"],
        &["graph"],
        &["graph", "--format", "text"],
        &["graph", "--format", "dot"],
        &["graph", "--format", "mermaid"],
        &["show", "quickstart"],
        &["show", "quickstart", "--json"],
        &["plan", "quickstart"],
        &["plan", "quickstart", "--json"],
    ];
    for args in commands {
        let (code, stderr) = into_closed_pipe(data.path(), args);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?} into a closed pipe:\n{stderr}"
        );
        assert_eq!(code, Some(0), "{args:?} into a closed pipe:\n{stderr}");
        assert_eq!(stderr, "", "{args:?} into a closed pipe");
    }
}

#[test]
fn show_of_a_run_stops_quietly_when_stdout_is_closed() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(fixture(data.path(), &["run", "quickstart"]).code, 0);
    for args in [
        &["show", "quickstart"][..],
        &["show", "quickstart", "--json"],
    ] {
        let (code, stderr) = into_closed_pipe(data.path(), args);
        assert_eq!(code, Some(0), "{args:?}:\n{stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Replicate counts and memory

#[test]
fn replicates_beyond_the_limit_are_a_usage_error() {
    let data = tempfile::tempdir().unwrap();
    for count in ["4294967295", "1000001", "99999999999999999999"] {
        for command in ["run", "plan"] {
            let run = fixture(data.path(), &[command, "quickstart", "--replicates", count]);
            assert_eq!(run.code, 2, "--replicates {count}: {}", run.stderr);
            assert!(
                run.stderr
                    .contains("use 1 to 1000000 replicates per condition")
                    && run.stderr.contains("MAX_REPLICATES"),
                "--replicates {count}: {}",
                run.stderr
            );
            assert!(!run.stderr.contains("memory allocation"), "{}", run.stderr);
        }
    }
    let zero = fixture(data.path(), &["run", "quickstart", "--replicates", "0"]);
    assert_eq!(zero.code, 2, "{}", zero.stderr);
    assert!(zero.stderr.contains("use 1 to 1000000"), "{}", zero.stderr);
    let words = fixture(data.path(), &["run", "quickstart", "--replicates", "ten"]);
    assert_eq!(words.code, 2, "{}", words.stderr);
    assert!(
        words.stderr.contains("not a whole number"),
        "{}",
        words.stderr
    );
    assert!(
        !data.path().join("quickstart").exists(),
        "nothing ran or was written"
    );
}

#[test]
fn the_largest_replicate_count_is_accepted() {
    let data = tempfile::tempdir().unwrap();
    let run = run_in(
        FIXTURE,
        None,
        data.path(),
        &["plan", "quickstart", "--replicates", "1000000", "--json"],
        &[("CRYSTALLIZE_SKIP_MEMORY_CHECK", "1")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.experiment("quickstart")["replicates"], 1_000_000);
}

#[test]
fn a_run_too_large_for_the_memory_available_is_refused_before_it_starts() {
    let data = tempfile::tempdir().unwrap();
    // quickstart: 2 conditions x 10 replicates = 20 units, about 20 x 1200 = 24000 bytes.
    let limited =
        |args: &[&str], env: &[(&str, &str)]| run_in(FIXTURE, None, data.path(), args, env);
    for command in ["run", "plan"] {
        let run = limited(
            &[command, "quickstart"],
            &[("CRYSTALLIZE_MEMORY_AVAILABLE", "23999")],
        );
        assert_one_clean_error(
            &run,
            &[
                "this run covers 20 units (`quickstart`: 2 conditions x 10 replicates)",
                "would hold about 23.4 KiB in memory (about 1200 bytes per unit)",
                "more than the 23.4 KiB available",
                "--replicates N",
                "CRYSTALLIZE_SKIP_MEMORY_CHECK=1",
            ],
        );
        let run = limited(
            &[command, "quickstart", "--replicates", "5"],
            &[("CRYSTALLIZE_MEMORY_AVAILABLE", "23999")],
        );
        assert_eq!(run.code, 0, "10 units fit: {}", run.stderr);
    }
    let bad = limited(
        &["run", "quickstart"],
        &[("CRYSTALLIZE_MEMORY_AVAILABLE", "lots")],
    );
    assert_one_clean_error(
        &bad,
        &["CRYSTALLIZE_MEMORY_AVAILABLE=\"lots\" is not a number of bytes"],
    );
    let fits = limited(
        &["run", "quickstart"],
        &[("CRYSTALLIZE_MEMORY_AVAILABLE", "24000")],
    );
    assert_eq!(fits.code, 0, "{}", fits.stderr);
    let skipped = limited(
        &["run", "quickstart"],
        &[
            ("CRYSTALLIZE_MEMORY_AVAILABLE", "1"),
            ("CRYSTALLIZE_SKIP_MEMORY_CHECK", "1"),
        ],
    );
    assert_eq!(skipped.code, 0, "{}", skipped.stderr);
}

// ---------------------------------------------------------------------------------------------
// 3. Runs inside a git repository

fn git(repo: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(repo)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Bytes and modification time of a file.
fn fingerprint(path: &Path) -> (Vec<u8>, std::time::SystemTime) {
    (
        std::fs::read(path).unwrap(),
        std::fs::metadata(path).unwrap().modified().unwrap(),
    )
}

/// Sets the modification time of `path` to `seconds` after the epoch.
fn set_mtime(path: &Path, seconds: u64) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds))
        .unwrap();
}

#[test]
fn a_run_inside_a_git_repository_leaves_the_index_alone() {
    if !require(
        tool_runs("git", &["--version"]),
        "git",
        "apt-get install git",
    ) {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    let repo = repo.path();
    git(repo, &["init", "--quiet"]);
    let tracked = repo.join("notes.txt");
    std::fs::write(&tracked, "tracked\n").unwrap();
    git(repo, &["add", "notes.txt"]);
    git(repo, &["commit", "--quiet", "-m", "first"]);
    let commit = git(repo, &["rev-parse", "HEAD"]);
    // Stale stat data: the content is unchanged, the modification time is not what the index
    // recorded. `git status` refreshes such entries by rewriting the index, unless told not to.
    set_mtime(&tracked, 1_000_000_000);
    let index = repo.join(".git").join("index");
    let before = fingerprint(&index);
    // The data directory sits inside the repository, not ignored: its files are untracked,
    // which does not make the working tree dirty.
    let data = repo.join("data");

    let run = run_in(FIXTURE, Some(repo), &data, &["run", "quickstart"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fingerprint(&index) == before, ".git/index was rewritten");
    let metadata = read_json(data.join("quickstart/v0/metadata.json"));
    let git_state = &metadata["provenance"]["git"];
    assert_eq!(git_state["commit"], commit.as_str(), "{metadata:#}");
    assert_eq!(git_state["dirty"], false, "{metadata:#}");

    // An edited tracked file makes the tree dirty; the index still stays as it was.
    std::fs::write(&tracked, "edited\n").unwrap();
    let run = run_in(FIXTURE, Some(repo), &data, &["run", "quickstart"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fingerprint(&index) == before, ".git/index was rewritten");
    let metadata = read_json(data.join("quickstart/v0/metadata.json"));
    assert_eq!(metadata["provenance"]["git"]["commit"], commit.as_str());
    assert_eq!(metadata["provenance"]["git"]["dirty"], true, "{metadata:#}");
}

// ---------------------------------------------------------------------------------------------
// 4. Non-finite params

#[test]
fn a_nan_param_stops_every_command_before_anything_runs() {
    let data = tempfile::tempdir().unwrap();
    for args in [&["run"][..], &["plan"], &["list"], &["show", "faulty"]] {
        let run = faulty("nan-param", data.path(), args);
        assert_one_clean_error(
            &run,
            &[
                "experiment `faulty`",
                "param `learning_rate` is NaN",
                "params must be finite numbers",
            ],
        );
    }
    assert!(
        crate::common::files_below(data.path()).is_empty(),
        "nothing written"
    );
}

#[test]
fn an_infinity_inside_a_treatment_payload_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let run = faulty("inf-in-treatment", data.path(), &["run"]);
    assert_one_clean_error(
        &run,
        &[
            "experiment `faulty`",
            "treatment `wide`",
            "param `bounds` holds inf at `bounds[1]`",
        ],
    );
    assert!(
        crate::common::files_below(data.path()).is_empty(),
        "nothing written"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. A panicking definition

#[test]
fn a_panicking_definition_is_one_clean_error() {
    let data = tempfile::tempdir().unwrap();
    let run = run_in(
        FAULTS,
        None,
        data.path(),
        &["run"],
        &[("CRYSTALLIZE_TEST_FAULT", "panic"), ("RUST_BACKTRACE", "1")],
    );
    assert_one_clean_error(
        &run,
        &[
            "experiment `faulty`",
            "the definition panicked at ",
            "definition_faults.rs:",
            "the definition of `faulty` is broken",
        ],
    );
    assert!(
        !run.stderr.contains("thread 'main' panicked"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{}", run.stderr);
    assert!(!run.stderr.contains("stack backtrace"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// 6. Name lengths

#[test]
fn a_treatment_name_longer_than_a_file_name_is_refused_at_definition() {
    let data = tempfile::tempdir().unwrap();
    let run = faulty("long-treatment", data.path(), &["run"]);
    assert_one_clean_error(
        &run,
        &[
            "treatment name `tttt",
            "is 300 bytes long",
            "at most 255 bytes (MAX_NAME_BYTES)",
        ],
    );
    assert!(
        crate::common::files_below(data.path()).is_empty(),
        "nothing written"
    );
}

fn artifact_run(data: &Path, bytes: usize) -> Run {
    run_in(
        FAULTS,
        None,
        data,
        &["run", "--json"],
        &[("CRYSTALLIZE_TEST_ARTIFACT_BYTES", &bytes.to_string())],
    )
}

#[test]
fn artifacts_up_to_the_limit_are_written_and_longer_ones_fail_clearly() {
    let limit = crystallize::MAX_ARTIFACT_NAME_BYTES;
    let data = tempfile::tempdir().unwrap();
    let run = artifact_run(data.path(), limit);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let paths = &run.experiment("faulty")["artifacts"];
    let written: Vec<PathBuf> = paths
        .as_object()
        .unwrap()
        .values()
        .flat_map(|by_condition| by_condition["baseline"].as_array().unwrap().clone())
        .map(|path| PathBuf::from(path.as_str().unwrap()))
        .collect();
    assert_eq!(written.len(), 2, "{paths}");
    for path in written {
        assert!(path.is_file(), "{}", path.display());
        assert_eq!(path.file_name().unwrap().len(), limit);
    }

    for bytes in [limit + 1, 300] {
        let data = tempfile::tempdir().unwrap();
        let run = artifact_run(data.path(), bytes);
        assert_eq!(run.code, 1, "{bytes}-byte artifact name: {}", run.stderr);
        let errors = &run.experiment("faulty")["conditions"]["baseline"]["errors"];
        let errors = errors.to_string();
        assert!(
            errors.contains(&format!("is {bytes} bytes long"))
                && errors.contains(&format!("at most {limit} bytes (MAX_ARTIFACT_NAME_BYTES")),
            "{bytes}-byte artifact name: {errors}"
        );
        assert!(!errors.contains("File name too long"), "{errors}");
    }
}

// ---------------------------------------------------------------------------------------------
// 7. A data directory that is not a directory

#[test]
fn a_data_directory_that_is_a_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data");
    std::fs::write(&file, "not a directory\n").unwrap();
    let shown = file.display().to_string();
    for args in [
        &["run", "quickstart"][..],
        &["plan", "quickstart"],
        &["show", "quickstart"],
        &["gc"],
        &["gc", "--dry-run"],
        &[],
    ] {
        let run = fixture(&file, args);
        assert_one_clean_error(
            &run,
            &[&shown, "exists and is not a directory", "--data-dir"],
        );
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a directory\n");
    // Commands that do not touch data are unaffected.
    assert_eq!(fixture(&file, &["list"]).code, 0);
    assert_eq!(fixture(&file, &["graph"]).code, 0);
}

#[cfg(unix)]
#[test]
fn a_data_directory_that_links_to_a_file_or_nothing_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "not a directory\n").unwrap();
    let to_file = dir.path().join("to-file");
    std::os::unix::fs::symlink(&file, &to_file).unwrap();
    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("missing"), &dangling).unwrap();
    for (link, what) in [
        (
            &to_file,
            "is a symbolic link to something that is not a directory",
        ),
        (&dangling, "is a symbolic link to nothing"),
    ] {
        for args in [
            &["run", "quickstart"][..],
            &["plan"],
            &["show", "quickstart"],
            &["gc"],
        ] {
            let run = fixture(link, args);
            assert_one_clean_error(&run, &[&link.display().to_string(), what]);
        }
    }
    // A link to a directory is a data directory like any other.
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let to_dir = dir.path().join("to-dir");
    std::os::unix::fs::symlink(&real, &to_dir).unwrap();
    let run = fixture(&to_dir, &["run", "quickstart"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(real.join("quickstart/v0/metadata.json").is_file());
}

// ---------------------------------------------------------------------------------------------
// 8. Tests that need a tool

/// Run only by `a_missing_tool_skips_unless_every_test_is_required`, in a child process.
#[test]
#[ignore = "run in a child process by a_missing_tool_skips_unless_every_test_is_required"]
fn needs_a_missing_tool() {
    if !require(
        tool_runs("crystallize-no-such-tool", &["--version"]),
        "crystallize-no-such-tool",
        "nothing to install",
    ) {
        return;
    }
    panic!("a missing tool was reported available");
}

#[test]
fn a_missing_tool_skips_unless_every_test_is_required() {
    let run = |require_all: Option<&str>| {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command.args([
            "--ignored",
            "--exact",
            "faults_cli::needs_a_missing_tool",
            "--nocapture",
            "--test-threads",
            "1",
        ]);
        match require_all {
            Some(value) => command.env("CRYSTALLIZE_REQUIRE_ALL_TESTS", value),
            None => command.env_remove("CRYSTALLIZE_REQUIRE_ALL_TESTS"),
        };
        let output = command.output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    let notice = "SKIPPED faults_cli::needs_a_missing_tool: needs crystallize-no-such-tool (install: nothing to install)";
    for unset in [None, Some("0")] {
        let (passed, output) = run(unset);
        assert!(passed && output.contains(notice), "{unset:?}:\n{output}");
        assert!(output.contains("1 passed"), "{output}");
    }
    let (passed, output) = run(Some("1"));
    assert!(
        !passed,
        "CRYSTALLIZE_REQUIRE_ALL_TESTS=1 must fail it:\n{output}"
    );
    assert!(
        output.contains(notice) && output.contains("CRYSTALLIZE_REQUIRE_ALL_TESTS=1"),
        "{output}"
    );
}
