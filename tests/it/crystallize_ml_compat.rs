//! crystallize-ml 0.27's own metric loaders (`load_metrics`, `load_all_metrics`) read what our
//! binary writes: our layout is a superset of crystallize-ml's.
//!
//! The tests run the real Python package. They need `python3` (with `venv`/`ensurepip`) and a
//! reachable package index the first time: a venv with `crystallize-ml==0.27.0` is made under
//! `CARGO_TARGET_TMPDIR` and reused by later runs. Without `python3` (and its `venv` module) the
//! tests print `SKIPPED ..` and pass, unless `CRYSTALLIZE_REQUIRE_ALL_TESTS=1` (CI) makes them
//! fail; with it, a venv that cannot be provisioned fails them. Set
//! `CRYSTALLIZE_SKIP_PY_COMPAT=1` to skip them in any case.
//!
//! Provisioning: an exclusive file lock (`<venv>.lock`) serialises test threads and processes;
//! under it, a venv whose marker file is present and whose interpreter reports the pinned
//! version is reused, anything else is deleted and rebuilt; the marker is written (atomically)
//! only after a successful install, so an interrupted install is never mistaken for a good one.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;

const PACKAGE: &str = "crystallize-ml";
const VERSION: &str = "0.27.0";
const SKIP_VAR: &str = "CRYSTALLIZE_SKIP_PY_COMPAT";
const MARKER: &str = ".crystallize-compat-provisioned";
const FIXTURE: &str = env!("CARGO_BIN_EXE_fixture");
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/compat/check_load_metrics.py");

/// `{metric: [value per replicate]}`, as in `results.json`.
type Metrics = BTreeMap<String, Vec<f64>>;

/// What `compat/check_load_metrics.py` prints.
#[derive(Debug, Deserialize)]
struct Loaded {
    crystallize_ml: String,
    /// `(version, baseline, {treatment: metrics})`
    load_metrics: (i64, Metrics, BTreeMap<String, Metrics>),
    /// `(latest, baseline, {treatment: (version found, metrics)})`
    load_all_metrics: (i64, Metrics, BTreeMap<String, (i64, Metrics)>),
}

#[test]
fn load_metrics_reads_quickstart_exactly() {
    if skipped("load_metrics_reads_quickstart_exactly") {
        return;
    }
    let python = venv_python();
    let data = tempfile::tempdir().unwrap();
    let report = run_fixture(data.path(), &["run", "quickstart", "--json", "--seed", "7"]);
    assert_eq!(report["version"], 0, "report: {report:#}");
    let conditions: Vec<&String> = report["conditions"].as_object().unwrap().keys().collect();
    assert_eq!(conditions, ["baseline", "double"], "report: {report:#}");
    let baseline = report_metrics(&report, "baseline");
    let double = report_metrics(&report, "double");
    assert_eq!(baseline["mean"].len(), 10);
    assert_eq!(double["mean"].len(), 10);

    let loaded = crystallize_ml_load(python, &data.path().join("quickstart"), None);

    let (version, base, treatments) = &loaded.load_metrics;
    assert_eq!(*version, 0, "load_metrics version");
    assert_identical("load_metrics baseline", base, &baseline);
    assert_eq!(
        treatment_names(treatments),
        ["double"],
        "load_metrics treatments"
    );
    assert_identical("load_metrics double", &treatments["double"], &double);

    let (latest, base, treatments) = &loaded.load_all_metrics;
    assert_eq!(*latest, 0, "load_all_metrics latest");
    assert_identical("load_all_metrics baseline", base, &baseline);
    assert_eq!(
        treatment_names(treatments),
        ["double"],
        "load_all_metrics treatments"
    );
    let (found_in, metrics) = &treatments["double"];
    assert_eq!(
        *found_in, 0,
        "load_all_metrics: version `double` was found in"
    );
    assert_identical("load_all_metrics double", metrics, &double);
}

#[test]
fn load_metrics_reads_the_latest_version_of_a_versioned_experiment() {
    if skipped("load_metrics_reads_the_latest_version_of_a_versioned_experiment") {
        return;
    }
    let python = venv_python();
    let data = tempfile::tempdir().unwrap();
    let replicate = Metrics::from([("replicate".to_string(), vec![0.0, 1.0])]);
    for expected_version in [0, 1] {
        let report = run_fixture(data.path(), &["run", "history", "--json"]);
        assert_eq!(report["version"], expected_version, "report: {report:#}");
        assert_identical(
            "report baseline",
            &report_metrics(&report, "baseline"),
            &replicate,
        );
    }
    let exp = data.path().join("history");

    let latest = crystallize_ml_load(python, &exp, None);
    let (version, base, treatments) = &latest.load_metrics;
    assert_eq!(*version, 1, "load_metrics version");
    assert_identical("load_metrics baseline", base, &replicate);
    assert!(
        treatments.is_empty(),
        "load_metrics treatments: {treatments:?}"
    );
    let (version, base, treatments) = &latest.load_all_metrics;
    assert_eq!(*version, 1, "load_all_metrics latest");
    assert_identical("load_all_metrics baseline", base, &replicate);
    assert!(
        treatments.is_empty(),
        "load_all_metrics treatments: {treatments:?}"
    );

    let first = crystallize_ml_load(python, &exp, Some(0));
    let (version, base, treatments) = &first.load_metrics;
    assert_eq!(*version, 0, "load_metrics(version=0) version");
    assert_identical("load_metrics(version=0) baseline", base, &replicate);
    assert!(
        treatments.is_empty(),
        "load_metrics(version=0) treatments: {treatments:?}"
    );
    let (version, base, treatments) = &first.load_all_metrics;
    assert_eq!(*version, 0, "load_all_metrics(version=0) latest");
    assert_identical("load_all_metrics(version=0) baseline", base, &replicate);
    assert!(
        treatments.is_empty(),
        "load_all_metrics(version=0) treatments: {treatments:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Running the fixture and crystallize-ml

/// Whether the compatibility tests are switched off by `CRYSTALLIZE_SKIP_PY_COMPAT=1`, or skip
/// because `python3` with its `venv` module is missing (see [`crate::common::require`]).
fn skipped(test: &str) -> bool {
    let skip = std::env::var(SKIP_VAR).is_ok_and(|value| value == "1");
    if skip {
        eprintln!(
            "NOTICE: {test}: skipped because {SKIP_VAR}=1; crystallize-ml compatibility NOT checked"
        );
        return true;
    }
    !crate::common::require(
        crate::common::tool_runs("python3", &["-c", "import venv, ensurepip"]),
        "python3 with its venv module",
        "apt-get install python3 python3-venv",
    )
}

/// Runs the fixture binary with data under `data`; returns the report entry of the one
/// experiment it ran.
fn run_fixture(data: &Path, args: &[&str]) -> Value {
    let output = Command::new(FIXTURE)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .current_dir(data)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {FIXTURE}: {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "fixture {args:?} failed ({}):\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|error| {
        panic!("fixture {args:?}: stdout is not JSON ({error}):\n{stdout}\nstderr:\n{stderr}")
    });
    let experiments = report["experiments"]
        .as_array()
        .expect("`experiments` array in the report");
    assert_eq!(experiments.len(), 1, "report: {report:#}");
    experiments[0].clone()
}

/// The metrics of `condition` in a report entry.
fn report_metrics(report: &Value, condition: &str) -> Metrics {
    serde_json::from_value(report["conditions"][condition]["metrics"].clone()).unwrap_or_else(
        |error| panic!("metrics of `{condition}` in the report ({error}): {report:#}"),
    )
}

/// What crystallize-ml's loaders read from `exp_dir` (at `version`, or the latest).
fn crystallize_ml_load(python: &Path, exp_dir: &Path, version: Option<u32>) -> Loaded {
    let mut command = python_command(python);
    command.arg(SCRIPT).arg(exp_dir);
    if let Some(version) = version {
        command.arg(version.to_string());
    }
    let output = command
        .current_dir(exp_dir.parent().unwrap())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", python.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "crystallize-ml's loaders failed on {} ({}):\nstdout:\n{stdout}\nstderr:\n{stderr}",
        exp_dir.display(),
        output.status
    );
    let loaded: Loaded = serde_json::from_str(&stdout).unwrap_or_else(|error| {
        panic!("unexpected output of {SCRIPT} ({error}):\n{stdout}\nstderr:\n{stderr}")
    });
    assert_eq!(
        loaded.crystallize_ml, VERSION,
        "installed crystallize-ml version"
    );
    loaded
}

fn treatment_names<T>(treatments: &BTreeMap<String, T>) -> Vec<&str> {
    treatments.keys().map(String::as_str).collect()
}

/// Asserts the same metric names and bit-identical values.
fn assert_identical(what: &str, actual: &Metrics, expected: &Metrics) {
    let names = |m: &Metrics| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(actual), names(expected), "{what}: metric names");
    for (name, want) in expected {
        let got = &actual[name];
        let same = got.len() == want.len()
            && got
                .iter()
                .zip(want)
                .all(|(a, b)| a.to_bits() == b.to_bits());
        assert!(
            same,
            "{what}: metric `{name}` differs\n  read by crystallize-ml: {got:?}\n  expected:               {want:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The venv

/// The interpreter of the provisioned venv; panics (never skips) when it cannot be provisioned.
fn venv_python() -> &'static Path {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PYTHON.get_or_init(provision) {
        Ok(python) => python,
        Err(error) => panic!(
            "cannot provision a Python venv with {PACKAGE}=={VERSION}:\n{error}\n\
             (set {SKIP_VAR}=1 to skip the crystallize-ml compatibility tests)"
        ),
    }
}

/// Reuses or (re)builds `<CARGO_TARGET_TMPDIR>/crystallize-ml-<VERSION>-venv`.
fn provision() -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    fs::create_dir_all(root)
        .map_err(|error| format!("cannot create {}: {error}", root.display()))?;
    let venv = root.join(format!("{PACKAGE}-{VERSION}-venv"));
    let python = venv.join(if cfg!(windows) {
        "Scripts/python.exe"
    } else {
        "bin/python"
    });
    let marker = venv.join(MARKER);
    let pin = format!("{PACKAGE}=={VERSION}");

    // Held until this function returns: other test threads and processes wait here.
    let lock_path = root.join(format!("{PACKAGE}-{VERSION}-venv.lock"));
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|error| format!("cannot open {}: {error}", lock_path.display()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another process provisioning {} ...",
                venv.display()
            );
            lock.lock()
                .map_err(|error| format!("cannot lock {}: {error}", lock_path.display()))?;
        }
        Err(TryLockError::Error(error)) => {
            return Err(format!("cannot lock {}: {error}", lock_path.display()));
        }
    }

    if fs::read_to_string(&marker).is_ok_and(|text| text.trim() == pin) {
        match installed_version(&python) {
            Ok(version) if version == VERSION => {
                eprintln!("reusing {}", venv.display());
                return Ok(python);
            }
            other => eprintln!(
                "{} is marked provisioned but unusable ({other:?}); rebuilding",
                venv.display()
            ),
        }
    }

    let started = Instant::now();
    eprintln!("provisioning {} with {pin} ...", venv.display());
    if venv.exists() {
        fs::remove_dir_all(&venv)
            .map_err(|error| format!("cannot remove {}: {error}", venv.display()))?;
    }
    let mut create = Command::new("python3");
    create.args(["-m", "venv"]).arg(&venv);
    run(&mut create, "python3 -m venv").map_err(|error| {
        format!("{error}\n(python3 with the `venv` module is required; on Debian/Ubuntu: apt install python3-venv)")
    })?;
    // `python -m pip` rather than `bin/pip`: the script's shebang breaks on long paths.
    let mut install = python_command(&python);
    install.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        &pin,
    ]);
    run(&mut install, &format!("pip install {pin}"))?;
    let version = installed_version(&python)?;
    if version != VERSION {
        return Err(format!("pip installed {PACKAGE} {version}, not {VERSION}"));
    }
    let partial = venv.join(format!("{MARKER}.tmp"));
    fs::write(&partial, format!("{pin}\n"))
        .and_then(|()| fs::rename(&partial, &marker))
        .map_err(|error| format!("cannot write {}: {error}", marker.display()))?;
    eprintln!(
        "provisioned {} in {:.1?}",
        venv.display(),
        started.elapsed()
    );
    Ok(python)
}

/// The venv's interpreter, isolated from the caller's `PYTHON*` variables and user site.
fn python_command(python: &Path) -> Command {
    let mut command = Command::new(python);
    command.arg("-I").env_remove("PIP_USER");
    command
}

/// The crystallize-ml version installed in the venv of `python`.
fn installed_version(python: &Path) -> Result<String, String> {
    let mut command = python_command(python);
    command.args([
        "-c",
        &format!("import importlib.metadata as m; print(m.version({PACKAGE:?}))"),
    ]);
    run(&mut command, "importlib.metadata.version").map(|stdout| stdout.trim().to_string())
}

/// Runs `command`; its stdout, or an error with the tail of its output.
fn run(command: &mut Command, what: &str) -> Result<String, String> {
    let output = command.output().map_err(|error| {
        let program = command.get_program().to_string_lossy();
        if error.kind() == std::io::ErrorKind::NotFound {
            format!("{what}: `{program}` not found (is it installed and on PATH?)")
        } else {
            format!("{what}: cannot run {command:?}: {error}")
        }
    })?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        return Ok(stdout);
    }
    let tail = |text: &str| {
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    };
    Err(format!(
        "{what} failed ({}): {command:?}\nstdout (tail):\n{}\nstderr (tail):\n{}",
        output.status,
        tail(&stdout),
        tail(&String::from_utf8_lossy(&output.stderr))
    ))
}
