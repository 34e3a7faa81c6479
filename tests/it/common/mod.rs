//! Running the fixture binaries and reading what they write, and what the tests share.

pub mod fixture_crate;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::Value;

/// What a finished process printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `--json` report on stdout.
    pub fn report(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not a JSON report ({error}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// The report entry of `experiment`.
    pub fn experiment(&self, experiment: &str) -> Value {
        self.report()["experiments"]
            .as_array()
            .expect("experiments array")
            .iter()
            .find(|entry| entry["name"] == experiment)
            .cloned()
            .unwrap_or_else(|| panic!("no `{experiment}` in report:\n{}", self.stdout))
    }
}

/// Runs binary `bin` (one of the crate's `src/bin/*`) with `args`, data under `data`.
pub fn run_bin(bin: &str, data: &Path, args: &[&str]) -> Run {
    run_bin_with_env(bin, data, args, &[])
}

/// [`run_bin`] with extra environment variables.
pub fn run_bin_with_env(bin: &str, data: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut command = Command::new(bin);
    command
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("CRYSTALLIZE_DATA_DIR")
        // Tables keep their full width, one line per row, for the tests to read.
        .env_remove("COLUMNS");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("fixture binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the `fixture` binary.
pub fn fixture(data: &Path, args: &[&str]) -> Run {
    run_bin(env!("CARGO_BIN_EXE_fixture"), data, args)
}

/// Every file below `dir` with its size and modification time (to show that nothing changed).
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    files_below(dir)
        .into_iter()
        .map(|path| {
            let meta = std::fs::metadata(dir.join(&path)).expect("readable file");
            (
                path,
                meta.len(),
                meta.modified().expect("modification time"),
            )
        })
        .collect()
}

/// Reads a JSON file.
pub fn read_json(path: impl AsRef<Path>) -> Value {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()))
}

/// Every file below `dir`, relative, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, into: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, into);
            } else {
                into.push(path.strip_prefix(root).expect("below root").to_path_buf());
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

/// The metric values of `condition` in an experiment report entry, as f64 bit patterns
/// (`None` for null).
pub fn metric_bits(entry: &Value, condition: &str, metric: &str) -> Vec<Option<u64>> {
    entry["conditions"][condition]["metrics"][metric]
        .as_array()
        .unwrap_or_else(|| panic!("no metric {metric} for {condition} in {entry}"))
        .iter()
        .map(|value| value.as_f64().map(f64::to_bits))
        .collect()
}

/// Environment variable: set to `1` to make every test that needs a tool fail when the tool is
/// missing, instead of skipping (CI sets it).
pub const REQUIRE_ALL_TESTS_VAR: &str = "CRYSTALLIZE_REQUIRE_ALL_TESTS";

/// Whether a test may go on with a tool it needs. When `tool_available` is false, prints
/// `SKIPPED <test>: needs <what> (install: <install>)` on stderr and returns false (the test
/// then returns early), or, when `CRYSTALLIZE_REQUIRE_ALL_TESTS=1`, panics with that message.
pub fn require(tool_available: bool, what: &str, install: &str) -> bool {
    require_that(
        tool_available,
        &format!("needs {what} (install: {install})"),
    )
}

/// Whether a test may go on. When `can_run` is false, prints `SKIPPED <test>: <why>` on stderr
/// and returns false (the test then returns early), or, when `CRYSTALLIZE_REQUIRE_ALL_TESTS=1`,
/// panics with that message. `<test>` is the running test's name (its thread's name).
pub fn require_that(can_run: bool, why: &str) -> bool {
    if can_run {
        return true;
    }
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("this test");
    let message = format!("SKIPPED {test}: {why}");
    if std::env::var(REQUIRE_ALL_TESTS_VAR).is_ok_and(|value| value == "1") {
        panic!("{message}, and {REQUIRE_ALL_TESTS_VAR}=1 makes every test required");
    }
    eprintln!("{message}");
    false
}

/// Whether `program` with `args` runs and exits successfully (e.g. `tmux -V`).
pub fn tool_runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Held while a test runs cargo in the shared `target/tests/edit-fixture` directory (the
/// fixture crates of `resume_edits`, `reach_edits` and `experiment_graph_resume`, and the
/// README's `cargo run` in `readme`). The tests run on parallel threads of one process; cargo's
/// own lock would keep concurrent builds correct too, but this one makes them take turns
/// without cargo's "Blocking waiting for file lock" and without two builds competing for the
/// cores, so each build's recorded duration is its own.
pub fn edit_fixture_builds() -> MutexGuard<'static, ()> {
    static BUILDS: Mutex<()> = Mutex::new(());
    // A test that panicked while holding it left nothing half-done that the lock protects.
    BUILDS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `(kind, detail)` of every reason in a `reasons` array of the report.
pub fn reasons(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("reasons is not an array: {value}"))
        .iter()
        .map(|reason| {
            (
                reason["kind"].as_str().unwrap().to_string(),
                reason["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The kinds of every reason in a `reasons` array of the report.
pub fn kinds(value: &Value) -> Vec<String> {
    reasons(value).into_iter().map(|(kind, _)| kind).collect()
}

/// The local Slurm cluster: every test that submits jobs holds it for reading, so they run side
/// by side; the test that takes the cluster's node down holds it for writing, alone.
static CLUSTER: RwLock<()> = RwLock::new(());

/// Whether a Slurm cluster answers (`sinfo`, `sbatch`).
fn slurm_answers() -> bool {
    require(
        tool_runs("sinfo", &["-h"]) && tool_runs("sbatch", &["--version"]),
        "a running Slurm cluster (sbatch, squeue)",
        "bash ../shared/slurm/start-local-cluster",
    )
}

/// For a test that submits jobs: the cluster, shared with the other such tests; `None` (the
/// test skips, or fails under `CRYSTALLIZE_REQUIRE_ALL_TESTS=1`) when no cluster answers.
pub fn slurm_cluster() -> Option<RwLockReadGuard<'static, ()>> {
    let guard = CLUSTER.read().unwrap_or_else(PoisonError::into_inner);
    slurm_answers().then_some(guard)
}

/// For a test that disturbs the cluster (takes its node down): the cluster alone, once every
/// other test using it let go; `None` as for [`slurm_cluster`].
pub fn slurm_cluster_alone() -> Option<RwLockWriteGuard<'static, ()>> {
    let guard = CLUSTER.write().unwrap_or_else(PoisonError::into_inner);
    slurm_answers().then_some(guard)
}
