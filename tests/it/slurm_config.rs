//! Where units run and what they need, as experiments declare it and `crystallize.toml` sets
//! it: `#[experiment(executor = "..", resources(..))]`, `[executor] kind`, per-experiment
//! tables, `--config FILE`, and their precedence (flag > the file's experiment table > the
//! attribute > the file's defaults > threads). The units of the `slurm_config` fixture record
//! the id of the process they ran in, so each test sees which executor ran them.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{Run, files_below};

const BIN: &str = env!("CARGO_BIN_EXE_slurm_config");
const PLAIN: &str = env!("CARGO_BIN_EXE_slurm_config_plain");

/// Runs `bin` with `args` in the working directory `cwd` (where `crystallize.toml` is looked
/// for), its data in `cwd/data`; returns what it printed and its process id.
fn run_in(bin: &str, cwd: &Path, args: &[&str]) -> (Run, u32) {
    let child = Command::new(bin)
        .args(args)
        .current_dir(cwd)
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .env_remove("COLUMNS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("fixture binary starts");
    let pid = child.id();
    let output = child.wait_with_output().expect("fixture binary runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("thread '"), "a panic:\n{}", run.stderr);
    (run, pid)
}

/// The `pid` each unit of `experiment` recorded.
fn pids(run: &Run, experiment: &str) -> Vec<u32> {
    let entry = run.experiment(experiment);
    entry["conditions"]["baseline"]["metrics"]["pid"]
        .as_array()
        .unwrap_or_else(|| panic!("no pid metric in {entry}"))
        .iter()
        .map(|value| value.as_f64().expect("a pid") as u32)
        .collect()
}

/// Where each named experiment ran: `threads` when every unit ran in the binary's process,
/// `process` when every unit ran in a process of its own.
fn placement(run: &Run, parent: u32, experiment: &str) -> &'static str {
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pids = pids(run, experiment);
    assert_eq!(pids.len(), 2, "{experiment}: {pids:?}");
    if pids.iter().all(|&pid| pid == parent) {
        "threads"
    } else if pids.iter().all(|&pid| pid != parent) && pids[0] != pids[1] {
        "process"
    } else {
        panic!("{experiment}: pids {pids:?}, parent {parent}")
    }
}

/// Runs `placed_pid`, `in_process` and `in_threads` with `extra` arguments in `cwd`; returns
/// where each ran.
fn placements(cwd: &Path, extra: &[&str]) -> [&'static str; 3] {
    let mut args = vec!["run", "placed_pid", "in_process", "in_threads", "--json"];
    args.extend(extra);
    let (run, parent) = run_in(BIN, cwd, &args);
    ["placed_pid", "in_process", "in_threads"].map(|name| placement(&run, parent, name))
}

#[test]
fn the_attribute_chooses_the_executor_and_the_flag_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        placements(dir.path(), &[]),
        ["threads", "process", "threads"],
        "each experiment on the executor it declares, threads by default"
    );
    assert_eq!(
        placements(dir.path(), &["--executor", "threads"]),
        ["threads", "threads", "threads"]
    );
    assert_eq!(
        placements(dir.path(), &["--executor", "process"]),
        ["process", "process", "process"]
    );
}

#[test]
fn crystallize_toml_sets_the_default_executor_below_the_attribute() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crystallize.toml"),
        "[executor]\nkind = \"process\"\n",
    )
    .unwrap();
    // The file's default moves the experiment that declares nothing; the attributes win.
    assert_eq!(
        placements(dir.path(), &[]),
        ["process", "process", "threads"]
    );
    assert_eq!(
        placements(dir.path(), &["--executor", "threads"]),
        ["threads", "threads", "threads"],
        "the flag wins over the file"
    );
    // An experiment's own table wins over its attribute.
    std::fs::write(
        dir.path().join("crystallize.toml"),
        "[executor]\nkind = \"process\"\n[experiments.in_process]\nexecutor = \"threads\"\n\
         [experiments.in_threads]\nexecutor = \"process\"\n",
    )
    .unwrap();
    assert_eq!(
        placements(dir.path(), &[]),
        ["process", "threads", "process"]
    );
    // `--config` reads another file instead of the working directory's.
    std::fs::write(
        dir.path().join("threads.toml"),
        "[executor]\nkind = \"threads\"\n",
    )
    .unwrap();
    assert_eq!(
        placements(dir.path(), &["--config", "threads.toml"]),
        ["threads", "process", "threads"]
    );
}

#[test]
fn a_bad_config_is_a_usage_error_naming_the_file_the_line_and_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let fails = |args: &[&str], expected: &[&str]| {
        let (run, _) = run_in(BIN, cwd, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        for part in expected {
            assert!(
                run.stderr.contains(part),
                "{args:?}: no {part:?} in\n{}",
                run.stderr
            );
        }
    };
    fails(
        &["run", "placed_pid", "--config", "missing.toml"],
        &["--config missing.toml: no such file"],
    );
    std::fs::write(
        cwd.join("crystallize.toml"),
        "[slurm]\npartition = \"gpu\"\nqueue = \"short\"\n",
    )
    .unwrap();
    // Every command that reads the settings refuses it, before anything runs.
    fails(
        &["run", "placed_pid"],
        &["crystallize.toml", "line 3", "unknown field `queue`"],
    );
    fails(&["list"], &["crystallize.toml", "unknown field `queue`"]);
    assert!(!cwd.join("data").exists(), "nothing ran");
    std::fs::write(
        cwd.join("crystallize.toml"),
        "[slurm.resources]\ncpus = 2\nmem = \"8GB\"\n",
    )
    .unwrap();
    fails(
        &["run", "placed_pid"],
        &["crystallize.toml", "line 3", "`8GB` is not a memory size"],
    );
    std::fs::write(
        cwd.join("crystallize.toml"),
        "[executor]\nkind = \"slrum\"\n",
    )
    .unwrap();
    fails(&["plan"], &["line 2", "unknown executor `slrum`"]);
    std::fs::write(
        cwd.join("crystallize.toml"),
        "[experiments.in_proces.resources]\ngpus = 1\n",
    )
    .unwrap();
    fails(
        &["run", "placed_pid"],
        &[
            "[experiments.in_proces] names no registered experiment",
            "in_process",
        ],
    );
    // An explicit file is read instead: the broken one in the working directory is not.
    std::fs::write(cwd.join("good.toml"), "[slurm]\naccount = \"lab\"\n").unwrap();
    let (run, _) = run_in(BIN, cwd, &["run", "placed_pid", "--config", "good.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn show_and_list_give_the_declared_executor_and_resources() {
    let dir = tempfile::tempdir().unwrap();
    let (shown, _) = run_in(BIN, dir.path(), &["show", "sized"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(
        shown.stdout.contains(
            "  executor slurm; resources: cpus 4, mem 8G, time 01:00:00, gpus 1\n  pipeline:"
        ),
        "{}",
        shown.stdout
    );
    let (plain, _) = run_in(BIN, dir.path(), &["show", "placed_pid"]);
    assert!(!plain.stdout.contains("executor"), "{}", plain.stdout);
    let (shown, _) = run_in(BIN, dir.path(), &["show", "sized", "--json"]);
    let shown: Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(shown["executor"], "slurm");
    assert_eq!(
        shown["resources"],
        serde_json::json!({"cpus": 4, "mem": "8G", "time": "01:00:00", "gpus": 1})
    );
    let (listed, _) = run_in(BIN, dir.path(), &["list", "--json"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let listed: Value = serde_json::from_str(&listed.stdout).unwrap();
    let entry = |name: &str| {
        listed["experiments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["name"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(entry("sized")["executor"], "slurm");
    assert_eq!(entry("sized")["resources"]["mem"], "8G");
    assert_eq!(entry("in_process")["executor"], "process");
    assert_eq!(entry("placed_pid")["executor"], Value::Null);
    assert_eq!(
        entry("placed_pid")["resources"],
        serde_json::json!({"cpus": null, "mem": null, "time": null, "gpus": null})
    );
    // A flag picks another executor for an experiment that declares slurm.
    let (run, parent) = run_in(
        BIN,
        dir.path(),
        &["run", "sized", "--executor", "threads", "--json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(pids(&run, "sized"), [parent]);
}

/// Results and artifacts below `data`, with their content.
fn stored(data: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    files_below(data)
        .into_iter()
        .filter(|path| {
            let text = path.to_string_lossy();
            text.ends_with("results.json") || text.ends_with("square.json")
        })
        .map(|path| {
            let bytes = std::fs::read(data.join(&path)).unwrap();
            (path, bytes)
        })
        .collect()
}

#[test]
fn declaring_an_executor_and_resources_reruns_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let (first, _) = run_in(PLAIN, cwd, &["run", "resumable", "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.experiment("resumable")["action"], "ran");
    let before = stored(&cwd.join("data"));
    assert_eq!(before.len(), 4, "{before:?}");
    // The same experiment with `executor` and `resources(..)` declared, and resources set in
    // crystallize.toml too: everything loads.
    std::fs::write(
        cwd.join("crystallize.toml"),
        "[slurm.resources]\ncpus = 8\n[experiments.resumable.resources]\nmem = \"2G\"\n",
    )
    .unwrap();
    for bin in [BIN, PLAIN] {
        let (resumed, _) = run_in(
            bin,
            cwd,
            &["run", "resumable", "--strategy", "resume", "--json"],
        );
        assert_eq!(resumed.code, 0, "{}", resumed.stderr);
        let entry = resumed.experiment("resumable");
        assert_eq!(entry["action"], "loaded", "{bin}: {entry}");
        assert_eq!(entry["conditions"]["baseline"]["units_run"], 0, "{entry}");
        assert_eq!(stored(&cwd.join("data")), before);
    }
}

#[test]
fn declared_slurm_settings_reach_the_script_and_a_detached_run_takes_only_slurm() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crystallize.toml"),
        "[slurm]\npartition = \"short\"\naccount = \"lab\"\nunits_per_task = 5\n\
         sbatch_args = [\"--qos=fast\"]\n[experiments.sized.resources]\nmem = \"64M\"\n",
    )
    .unwrap();
    // `sized` declares `executor = "slurm"` and its resources; the file sets the partition,
    // the account, the units per task and its memory; the flag adds a time limit.
    let (plan, _) = run_in(
        BIN,
        dir.path(),
        &["plan", "sized", "--show-script", "--time", "00:05:00"],
    );
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    for expected in [
        "--partition=short",
        "--account=lab",
        "--qos=fast",
        "--cpus-per-task=4",
        "--mem=64M",
        "--time=00:05:00",
        "--gpus=1",
        "5 per task",
    ] {
        assert!(
            plan.stdout.contains(expected),
            "{expected}:\n{}",
            plan.stdout
        );
    }
    assert!(!plan.stdout.contains("--mem=8G"), "{}", plan.stdout);
    // A detached run leaves nothing to run what runs here: it takes only experiments on Slurm.
    let (mixed, _) = run_in(BIN, dir.path(), &["run", "sized", "placed_pid", "--detach"]);
    assert_eq!(mixed.code, 2, "{}", mixed.stderr);
    assert!(
        mixed
            .stderr
            .contains("--detach submits every unit to Slurm, but placed_pid run(s) here"),
        "{}",
        mixed.stderr
    );
    let data = dir.path().join("data");
    assert!(!data.exists() || files_below(&data).is_empty());
}

#[test]
fn an_experiment_the_file_puts_on_slurm_runs_there_without_a_flag() {
    let Some(_cluster) = crate::common::slurm_cluster() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crystallize.toml"),
        "[experiments.placed_pid]\nexecutor = \"slurm\"\n",
    )
    .unwrap();
    let (run, parent) = run_in(BIN, dir.path(), &["run", "placed_pid", "--json"]);
    assert_eq!(placement(&run, parent, "placed_pid"), "process");
    // The units ran as array tasks: the run left its manifest under `data/.slurm`.
    let runs: Vec<_> = files_below(&dir.path().join("data/.slurm"))
        .into_iter()
        .filter(|path| path.ends_with("manifest.json"))
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
}

#[test]
fn experiments_of_one_wave_with_different_settings_are_submitted_as_arrays_of_their_own() {
    let Some(_cluster) = crate::common::slurm_cluster() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Two experiments of one wave (neither reads the other), each on Slurm with its own memory.
    std::fs::write(
        dir.path().join("crystallize.toml"),
        "[experiments.placed_pid]\nexecutor = \"slurm\"\n\
         [experiments.placed_pid.resources]\nmem = \"100M\"\n\
         [experiments.in_process]\nexecutor = \"slurm\"\n\
         [experiments.in_process.resources]\nmem = \"200M\"\n",
    )
    .unwrap();
    let (run, parent) = run_in(
        BIN,
        dir.path(),
        &["run", "placed_pid", "in_process", "--json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(placement(&run, parent, "placed_pid"), "process");
    assert_eq!(placement(&run, parent, "in_process"), "process");
    // One run directory for the wave, with one array per settings.
    let jobs: Vec<_> = files_below(&dir.path().join("data/.slurm"))
        .into_iter()
        .filter(|path| path.ends_with("jobs.txt"))
        .collect();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    let text = std::fs::read_to_string(dir.path().join("data/.slurm").join(&jobs[0])).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .map(|line| line.split(' ').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{text}");
    // Each array asked for its experiment's memory.
    let mut memory: Vec<String> = ids
        .iter()
        .map(|id| {
            let shown = Command::new("scontrol")
                .args(["-o", "show", "job", id])
                .output()
                .unwrap();
            let shown = String::from_utf8_lossy(&shown.stdout).into_owned();
            shown
                .split_whitespace()
                .find_map(|pair| pair.strip_prefix("MinMemoryNode="))
                .unwrap_or_else(|| panic!("no memory in {shown}"))
                .to_string()
        })
        .collect();
    memory.sort();
    assert_eq!(memory, ["100M", "200M"]);
}

#[test]
fn experiments_on_slurm_and_here_run_side_by_side_in_one_run() {
    let Some(_cluster) = crate::common::slurm_cluster() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("crystallize.toml"),
        "[experiments.placed_pid]\nexecutor = \"slurm\"\n",
    )
    .unwrap();
    // One wave: `placed_pid` on the cluster, `in_threads` here and `in_process` in child
    // processes, at the same time.
    let (run, parent) = run_in(
        BIN,
        dir.path(),
        &[
            "run",
            "placed_pid",
            "in_threads",
            "in_process",
            "--json",
            "--events",
            "events.jsonl",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(placement(&run, parent, "placed_pid"), "process");
    assert_eq!(placement(&run, parent, "in_threads"), "threads");
    assert_eq!(placement(&run, parent, "in_process"), "process");
    // Only `placed_pid` was submitted.
    let manifests: Vec<_> = files_below(&dir.path().join("data/.slurm"))
        .into_iter()
        .filter(|path| path.ends_with("manifest.json"))
        .collect();
    assert_eq!(manifests.len(), 1, "{manifests:?}");
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("data/.slurm").join(&manifests[0])).unwrap(),
    )
    .unwrap();
    let units = manifest["units"].as_array().unwrap();
    assert_eq!(units.len(), 2, "{manifest}");
    assert!(
        units
            .iter()
            .all(|unit| unit.to_string().contains("placed_pid"))
    );
    // Every unit was started and finished once, whichever side ran it.
    let events = std::fs::read_to_string(dir.path().join("events.jsonl")).unwrap();
    let count = |kind: &str| {
        events
            .lines()
            .filter(|line| line.contains(&format!("\"event\":\"{kind}\"")))
            .count()
    };
    assert_eq!(count("unit-started"), 6, "{events}");
    assert_eq!(count("unit-finished"), 6, "{events}");
    // The script shown is the one of the experiment on Slurm.
    let (plan, _) = run_in(
        BIN,
        dir.path(),
        &[
            "plan",
            "placed_pid",
            "in_threads",
            "--strategy",
            "rerun",
            "--show-script",
        ],
    );
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert!(
        plan.stdout.contains("# 2 unit(s), 1 per task: 2 task(s)"),
        "{}",
        plan.stdout
    );
    // A resume loads all three, on both sides.
    let (again, _) = run_in(
        BIN,
        dir.path(),
        &[
            "run",
            "placed_pid",
            "in_threads",
            "in_process",
            "--json",
            "--strategy",
            "resume",
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    for name in ["placed_pid", "in_threads", "in_process"] {
        assert_eq!(again.experiment(name)["action"], "loaded", "{name}");
    }
}

#[test]
fn show_script_prints_one_script_per_group_of_slurm_settings() {
    let dir = tempfile::tempdir().unwrap();
    // Two experiments on Slurm with the same memory, and a third with more.
    std::fs::write(
        dir.path().join("crystallize.toml"),
        "[slurm]\nunits_per_task = 1\n\
         [experiments.placed_pid]\nexecutor = \"slurm\"\n\
         [experiments.placed_pid.resources]\nmem = \"200M\"\n\
         [experiments.in_process]\nexecutor = \"slurm\"\n\
         [experiments.in_process.resources]\nmem = \"100M\"\n\
         [experiments.in_threads]\nexecutor = \"slurm\"\n\
         [experiments.in_threads.resources]\nmem = \"100M\"\n",
    )
    .unwrap();
    let (plan, _) = run_in(
        BIN,
        dir.path(),
        &[
            "plan",
            "placed_pid",
            "in_process",
            "in_threads",
            "--show-script",
        ],
    );
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let text = &plan.stdout;
    assert!(
        text.contains("# 2 groups of Slurm settings: one array each"),
        "{text}"
    );
    // Each group's block: its experiments, its units, its script and its sbatch line.
    let blocks: Vec<&str> = text.split("\n# experiments: ").skip(1).collect();
    assert_eq!(blocks.len(), 2, "{text}");
    let block = |head: &str| {
        blocks
            .iter()
            .find(|block| block.starts_with(head))
            .unwrap_or_else(|| panic!("no block of {head}:\n{text}"))
    };
    let small = block("in_process, in_threads\n");
    assert!(
        small.contains("# 4 unit(s), 1 per task: 4 task(s)"),
        "{small}"
    );
    assert!(small.contains("--mem=100M") && !small.contains("--mem=200M"));
    assert!(small.contains("--array=0-3"), "{small}");
    assert_eq!(small.matches("\nsbatch ").count(), 1, "{small}");
    assert_eq!(small.matches("__units --manifest").count(), 1, "{small}");
    let large = block("placed_pid\n");
    assert!(
        large.contains("# 2 unit(s), 1 per task: 2 task(s)"),
        "{large}"
    );
    assert!(large.contains("--mem=200M") && !large.contains("--mem=100M"));
    assert!(large.contains("--array=0-1"), "{large}");
    // Nothing ran.
    let data = dir.path().join("data");
    assert!(!data.exists() || files_below(&data).is_empty());
    // A run submits the arrays the plan showed: one per group, with its memory.
    let Some(_cluster) = crate::common::slurm_cluster() else {
        return;
    };
    let (run, _) = run_in(
        BIN,
        dir.path(),
        &["run", "placed_pid", "in_process", "in_threads", "--json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let jobs: Vec<_> = files_below(&data.join(".slurm"))
        .into_iter()
        .filter(|path| path.ends_with("jobs.txt"))
        .collect();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    let text = std::fs::read_to_string(data.join(".slurm").join(&jobs[0])).unwrap();
    let arrays: Vec<(String, String)> = text
        .lines()
        .map(|line| {
            let mut fields = line.split(' ');
            let id = fields.next().unwrap();
            let shown = Command::new("scontrol")
                .args(["-o", "show", "job", id])
                .output()
                .unwrap();
            let shown = String::from_utf8_lossy(&shown.stdout).into_owned();
            let memory = shown
                .split_whitespace()
                .find_map(|pair| pair.strip_prefix("MinMemoryNode="))
                .unwrap_or_else(|| panic!("no memory in {shown}"))
                .to_string();
            (memory, fields.nth(1).unwrap().to_string())
        })
        .collect();
    let mut arrays = arrays;
    arrays.sort();
    assert_eq!(
        arrays,
        [("100M".into(), "4".into()), ("200M".into(), "2".into())]
    );
}
