//! `--executor slurm` on the real local cluster (`../shared/slurm/start-local-cluster`; the
//! tests skip with a notice where `sbatch` is absent): units run as array tasks of the same
//! binary and are committed by the coordinator; results are byte-identical to a local run;
//! a task the scheduler cancels fails only its units, with the scheduler's state; a node
//! failure requeues tasks (followed to their end) or fails their units; `sacct` answers for
//! what `squeue` and `scontrol` forgot. The tests share the cluster (a read lock); the
//! node-failure tests take it alone (the write lock) and always bring the node back.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{files_below, fixture, run_bin_with_env, slurm_cluster};

/// Results, markers and artifacts below `data` (not the journals, which hold durations), with
/// their content; of a marker, its first line (the condition key: its summary holds the stamps
/// of files of this data directory).
fn results(data: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_below(data)
        .into_iter()
        .filter(|path| {
            let text = path.to_string_lossy();
            !text.starts_with(".slurm")
                && (text.ends_with("results.json")
                    || text.ends_with(".crystallize_complete")
                    || text.contains("/replicate_"))
        })
        .map(|path| {
            let mut bytes = std::fs::read(data.join(&path)).unwrap();
            if path.to_string_lossy().ends_with(".crystallize_complete") {
                let key_end = bytes.iter().position(|byte| *byte == b'\n');
                bytes.truncate(key_end.unwrap_or(bytes.len()));
            }
            (path, bytes)
        })
        .collect()
}

/// The run directories the Slurm runs left below `data`.
fn run_dirs(data: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data.join(".slurm")) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries.map(|entry| entry.unwrap().path()).collect();
    dirs.sort();
    dirs
}

/// Waits (up to a minute) until a coordinator's first run directory below `data` lists its
/// array jobs; returns the directory and its `jobs.txt`.
fn first_submitted(data: &Path) -> (PathBuf, String) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "no job submitted");
        if let Some(dir) = run_dirs(data).first()
            && let Ok(jobs) = std::fs::read_to_string(dir.join("jobs.txt"))
            && jobs.lines().next().is_some()
        {
            return (dir.clone(), jobs);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The job id on the first line of a `jobs.txt`.
fn first_job(jobs: &str) -> String {
    jobs.split([' ', '\n']).next().unwrap().to_string()
}

/// The complete lines of every result file of `run_dir`, per task index.
fn result_lines(run_dir: &Path) -> Vec<(usize, usize)> {
    let mut tasks: Vec<(usize, usize)> = std::fs::read_dir(run_dir.join("results"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let task = name
                .trim_start_matches("task-")
                .trim_end_matches(".jsonl")
                .parse()
                .unwrap();
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            (task, lines)
        })
        .collect();
    tasks.sort();
    tasks
}

#[test]
fn slurm_runs_give_byte_identical_results_and_resume_loads_everything() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    // The quickstart, a pipeline with artifacts, a consumer of its producer's artifacts, a
    // diamond of experiments and one reading several producers, failing and panicking units.
    let experiments = [
        "quickstart",
        "seeded",
        "evaluation",
        "flaky",
        "graph_join",
        "graph_combined",
    ];
    let local = tempfile::tempdir().unwrap();
    let cluster = tempfile::tempdir().unwrap();
    let mut args: Vec<&str> = vec!["run"];
    args.extend(experiments);
    args.push("--json");
    let by_threads = fixture(local.path(), &args);
    args.extend(["--executor", "slurm", "--units-per-task", "3"]);
    let by_slurm = fixture(cluster.path(), &args);
    assert_eq!(by_threads.code, 1, "flaky fails: {}", by_threads.stderr);
    assert_eq!(by_slurm.code, 1, "{}", by_slurm.stderr);
    let (a, b) = (results(local.path()), results(cluster.path()));
    assert!(a.len() > 40, "{}", a.len());
    assert_eq!(
        a.iter().map(|(path, _)| path).collect::<Vec<_>>(),
        b.iter().map(|(path, _)| path).collect::<Vec<_>>()
    );
    assert_eq!(a, b, "byte-identical");
    for experiment in experiments {
        let (a, b) = (
            by_threads.experiment(experiment),
            by_slurm.experiment(experiment),
        );
        for (condition, local) in a["conditions"].as_object().unwrap() {
            let remote = &b["conditions"][condition];
            for field in ["metrics", "errors", "units_run"] {
                assert_eq!(
                    local[field], remote[field],
                    "{experiment}/{condition}: {field}"
                );
            }
        }
    }
    // The failing and panicking units fail with their own errors; the others succeed.
    let flaky = by_slurm.experiment("flaky");
    let errors = flaky["conditions"]["boom"]["errors"].to_string()
        + &flaky["conditions"]["fail"]["errors"].to_string();
    assert!(errors.contains("boom on replicate 1"), "{errors}");
    assert!(errors.contains("refused replicate 2"), "{errors}");
    assert_eq!(flaky["conditions"]["baseline"]["units_run"], 4);
    assert!(
        flaky["conditions"]["baseline"]["errors"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // One run directory per wave, each a manifest, a script and result files.
    let dirs = run_dirs(cluster.path());
    assert!(dirs.len() >= 3, "{dirs:?}");
    // A resume on the cluster loads everything that succeeded and submits only the failed units.
    let before = dirs.len();
    args.extend(["--strategy", "resume"]);
    let resumed = fixture(cluster.path(), &args);
    assert_eq!(resumed.code, 1, "{}", resumed.stderr);
    for experiment in [
        "quickstart",
        "seeded",
        "evaluation",
        "graph_join",
        "graph_combined",
    ] {
        assert_eq!(
            resumed.experiment(experiment)["action"],
            "loaded",
            "{experiment}"
        );
    }
    let flaky = resumed.experiment("flaky");
    assert_eq!(flaky["conditions"]["baseline"]["units_loaded"], 4);
    assert_eq!(
        run_dirs(cluster.path()).len(),
        before + 1,
        "only flaky's wave is submitted"
    );
    assert_eq!(results(cluster.path()), b);
}

#[test]
fn units_are_chunked_into_tasks_and_plan_shows_the_script() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    // 2 conditions x 6 replicates = 12 units, 5 per task: 3 tasks of 5, 5 and 2.
    let args = [
        "seeded",
        "--replicates",
        "6",
        "--executor",
        "slurm",
        "--units-per-task",
        "5",
        "--mem",
        "100M",
        "--slurm-arg=--comment=crystallize-test",
    ];
    let plan = fixture(
        data.path(),
        &[&["plan"][..], &args, &["--show-script"]].concat(),
    );
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert!(
        plan.stdout.contains("# 12 unit(s), 5 per task: 3 task(s)"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("__units --manifest"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("--job-name=crystallize-seeded --array=0-2")
            && plan
                .stdout
                .contains("--mem=100M --comment=crystallize-test"),
        "{}",
        plan.stdout
    );
    assert!(run_dirs(data.path()).is_empty(), "plan submits nothing");
    let run = fixture(data.path(), &[&["run"][..], &args, &["--json"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.experiment("seeded")["conditions"]["shifted"]["units_run"],
        6
    );
    let dirs = run_dirs(data.path());
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    assert_eq!(result_lines(&dirs[0]), vec![(0, 5), (1, 5), (2, 2)]);
    let logs = std::fs::read_dir(&dirs[0])
        .unwrap()
        .filter(|entry| {
            let name = entry.as_ref().unwrap().file_name();
            name.to_string_lossy().ends_with(".log")
        })
        .count();
    assert_eq!(logs, 3, "one log per task");
    // `gc` deletes the run directories whose coordinator finished.
    let gc = fixture(data.path(), &["gc"]);
    assert_eq!(gc.code, 0, "{}", gc.stderr);
    assert!(
        gc.stdout
            .contains("deleted 1 finished Slurm run directories"),
        "{}",
        gc.stdout
    );
    assert!(run_dirs(data.path()).is_empty());
    // `--show-script` belongs to `plan --executor slurm`.
    let misuse = fixture(data.path(), &["run", "seeded", "--show-script"]);
    assert_eq!(misuse.code, 2, "{}", misuse.stderr);
    assert!(misuse.stderr.contains("--show-script"), "{}", misuse.stderr);
}

#[test]
fn a_cancelled_task_fails_only_its_units_with_the_schedulers_state_and_resume_reruns_them() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    // `slow` sleeps in every unit; 8 units, 2 per task: 4 tasks, the first cancelled while it
    // runs its first unit.
    let coordinator = Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args([
            "run",
            "slow",
            "--replicates",
            "4",
            "--executor",
            "slurm",
            "--units-per-task",
            "2",
            "--json",
            "--data-dir",
        ])
        .arg(data.path())
        .env("CRYSTALLIZE_TEST_SLEEP_MS", "3000")
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The run directory lists the run's array jobs once they are submitted.
    let deadline = Instant::now() + Duration::from_secs(60);
    let (_, jobs) = first_submitted(data.path());
    let line = jobs.lines().next().unwrap();
    assert_eq!(jobs.lines().count(), 1, "{jobs}");
    assert!(line.ends_with(" 0 4"), "one array of 4 tasks: {line}");
    let job = first_job(&jobs);
    while !String::from_utf8_lossy(
        &Command::new("squeue")
            .args(["-h", "-r", "-t", "all", "-j", &job, "-o", "%K %T"])
            .output()
            .unwrap()
            .stdout,
    )
    .lines()
    .any(|line| line == "0 RUNNING")
    {
        assert!(Instant::now() < deadline, "task 0 never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
    let cancel = Command::new("scancel")
        .arg(format!("{job}_0"))
        .status()
        .unwrap();
    assert!(cancel.success());
    let output = coordinator.wait_with_output().unwrap();
    // A cancel that lands while Slurm launches the task may not reach its processes (seen on a
    // loaded machine: the task ran on, COMPLETING, and wrote both results, then was accounted
    // CANCELLED). What the task finished is delivered as run; the rest of its units fail.
    let finished_by_task_0 = result_lines(&run_dirs(data.path())[0])
        .into_iter()
        .find(|&(task, _)| task == 0)
        .map_or(0, |(_, lines)| lines);
    let failed = 2 - finished_by_task_0;
    assert_eq!(
        output.status.code(),
        Some(if failed > 0 { 1 } else { 0 }),
        "{}",
        what_the_coordinator_left(&output, &job, data.path())
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entry = &report["experiments"][0];
    let errors: Vec<String> = ["baseline", "double"]
        .iter()
        .flat_map(|c| entry["conditions"][c]["errors"].as_array().unwrap().clone())
        .map(|error| error.to_string())
        .collect();
    assert_eq!(errors.len(), failed, "one task of 2 units: {errors:?}");
    for error in &errors {
        assert!(
            error.contains(&format!("slurm task 0 of job {job}: CANCELLED")),
            "{error}"
        );
    }
    // A resume runs only the failed units, in one task.
    let resumed = run_bin_with_env(
        env!("CARGO_BIN_EXE_fixture"),
        data.path(),
        &[
            "run",
            "slow",
            "--replicates",
            "4",
            "--executor",
            "slurm",
            "--strategy",
            "resume",
            "--units-per-task",
            "2",
            "--json",
        ],
        &[],
    );
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let entry = resumed.experiment("slow");
    let run: u64 = ["baseline", "double"]
        .iter()
        .map(|c| entry["conditions"][c]["units_run"].as_u64().unwrap())
        .sum();
    assert_eq!(run, failed as u64, "{}", resumed.stdout);
    let dirs = run_dirs(data.path());
    if failed > 0 {
        assert_eq!(dirs.len(), 2);
        assert_eq!(result_lines(&dirs[1]), vec![(0, failed)]);
    } else {
        assert_eq!(dirs.len(), 1, "nothing to submit: {dirs:?}");
    }
}

/// For a coordinator that did not exit as expected: its stderr and report, what the scheduler
/// says of the tasks of array job `job`, and the result lines of its run directory in `data`.
fn what_the_coordinator_left(output: &std::process::Output, job: &str, data: &Path) -> String {
    let squeue = Command::new("squeue")
        .args(["-h", "-r", "-t", "all", "-j", job, "-o", "%K %T %r"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_else(|error| error.to_string());
    format!(
        "stderr: {}\nstdout: {}\nsqueue: {squeue}\nresults: {:?}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout),
        run_dirs(data).first().map(|dir| result_lines(dir)),
    )
}

/// The `__unit` arguments of every unit the tasks of `run_dir` wrote a result for.
fn finished_units(run_dir: &Path) -> Vec<serde_json::Value> {
    let manifest = crate::common::read_json(run_dir.join("manifest.json"));
    let mut units: Vec<serde_json::Value> = std::fs::read_dir(run_dir.join("results"))
        .unwrap()
        .flat_map(|entry| {
            std::fs::read_to_string(entry.unwrap().path())
                .unwrap()
                .lines()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .map(|line| manifest["units"][line["unit"].as_u64().unwrap() as usize].clone())
                .collect::<Vec<_>>()
        })
        .collect();
    units.sort_by_key(|args| args.to_string());
    units.dedup();
    units
}

#[test]
fn a_killed_coordinator_resumes_following_its_queued_tasks_and_loses_nothing() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let args = [
        "run",
        "slow",
        "--replicates",
        "4",
        "--executor",
        "slurm",
        "--units-per-task",
        "2",
        "--json",
    ];
    // 8 units of 1.5 s, 2 per task: the coordinator is killed once the first result is in,
    // while the other tasks still run or wait.
    let mut coordinator = Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args(args)
        .arg("--data-dir")
        .arg(data.path())
        .env("CRYSTALLIZE_TEST_SLEEP_MS", "1500")
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !run_dirs(data.path())
        .first()
        .is_some_and(|dir| result_lines(dir).iter().any(|&(_, lines)| lines > 0))
    {
        assert!(Instant::now() < deadline, "no result arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    coordinator.kill().unwrap(); // SIGKILL
    coordinator.wait().unwrap();
    // What the killed run's tasks finished when the resume starts, committed or not.
    let finished_at_resume = finished_units(&run_dirs(data.path())[0]);
    assert!(!finished_at_resume.is_empty());
    let resume = [&args[..], &["--strategy", "resume"]].concat();
    let resumed = run_bin_with_env(env!("CARGO_BIN_EXE_fixture"), data.path(), &resume, &[]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let entry = resumed.experiment("slow");
    let (run, loaded): (u64, u64) = ["baseline", "double"]
        .iter()
        .map(|c| {
            let condition = &entry["conditions"][c];
            (
                condition["units_run"].as_u64().unwrap(),
                condition["units_loaded"].as_u64().unwrap(),
            )
        })
        .fold((0, 0), |(r, l), (a, b)| (r + a, l + b));
    // What the killed coordinator committed loads; the rest is collected from its tasks.
    assert_eq!(run + loaded, 8, "{}", resumed.stdout);
    // Nothing finished runs again: what its tasks finished before the resume started loads.
    assert!(
        loaded as usize >= finished_at_resume.len(),
        "{loaded} loaded, {} finished: {}",
        finished_at_resume.len(),
        resumed.stdout
    );
    // The resume followed the killed run's tasks still queued or running instead of submitting
    // them again. It may submit only units such a task finished after the resume collected the
    // results and before it prepared the version (which cleared their artifacts), each once.
    let dirs = run_dirs(data.path());
    assert!(dirs.len() <= 2, "{dirs:?}");
    let manifest = |dir: &Path| crate::common::read_json(dir.join("manifest.json"));
    let old = manifest(&dirs[0]);
    let finished_before: Vec<serde_json::Value> = std::fs::read_dir(dirs[0].join("results"))
        .unwrap()
        .flat_map(|entry| {
            std::fs::read_to_string(entry.unwrap().path())
                .unwrap()
                .lines()
                .map(|line| {
                    serde_json::from_str::<serde_json::Value>(line).unwrap()["unit"].clone()
                })
                .collect::<Vec<_>>()
        })
        .map(|unit| old["units"][unit.as_u64().unwrap() as usize].clone())
        .collect();
    let mut unique = finished_before.clone();
    unique.sort_by_key(|args| args.to_string());
    unique.dedup();
    assert_eq!(
        unique.len(),
        finished_before.len(),
        "each unit ran once in the killed run's tasks"
    );
    if let Some(new_dir) = dirs.get(1)
        && new_dir.join("manifest.json").exists()
    {
        let new = manifest(new_dir);
        let submitted: Vec<serde_json::Value> = new["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|task| task.as_array().unwrap().clone())
            .map(|unit| new["units"][unit.as_u64().unwrap() as usize].clone())
            .collect();
        assert!(
            submitted.len() < 8,
            "the queued tasks were followed: {submitted:?}"
        );
        for args in &submitted {
            assert!(
                finished_before.contains(args),
                "{args} was queued and is submitted again"
            );
            assert!(
                !finished_at_resume.contains(args),
                "{args} had finished before the resume and is submitted again"
            );
        }
    }
    // And the results are a local run's.
    let local = tempfile::tempdir().unwrap();
    let by_threads = fixture(local.path(), &["run", "slow", "--replicates", "4"]);
    assert_eq!(by_threads.code, 0, "{}", by_threads.stderr);
    assert_eq!(results(local.path()), results(data.path()));
}

#[test]
fn retries_submit_the_units_of_a_cancelled_task_again() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let coordinator = Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args([
            "run",
            "slow",
            "--replicates",
            "2",
            "--executor",
            "slurm",
            "--units-per-task",
            "2",
            "--retries",
            "1",
            "--json",
            "--data-dir",
        ])
        .arg(data.path())
        .env("CRYSTALLIZE_TEST_SLEEP_MS", "2000")
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let (dir, jobs) = first_submitted(data.path());
    let job = first_job(&jobs);
    // Task 0 is cancelled while it runs its first unit; its 2 units are submitted again.
    while !String::from_utf8_lossy(
        &Command::new("squeue")
            .args(["-h", "-r", "-t", "all", "-j", &job, "-o", "%K %T"])
            .output()
            .unwrap()
            .stdout,
    )
    .lines()
    .any(|line| line == "0 RUNNING")
    {
        assert!(Instant::now() < deadline, "task 0 never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        Command::new("scancel")
            .arg(format!("{job}_0"))
            .status()
            .unwrap()
            .success()
    );
    let output = coordinator.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for condition in ["baseline", "double"] {
        assert_eq!(
            report["experiments"][0]["conditions"][condition]["units_run"], 2,
            "{condition}"
        );
    }
    let jobs = std::fs::read_to_string(dir.join("jobs.txt")).unwrap();
    let arrays: Vec<&str> = jobs.lines().collect();
    assert_eq!(arrays.len(), 2, "{jobs}");
    assert!(
        arrays[1].ends_with(" 2 1"),
        "one task of the 2 units: {jobs}"
    );
}

#[test]
fn ctrl_c_with_cancel_on_exit_cancels_the_runs_jobs() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let coordinator = Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args([
            "run",
            "slow",
            "--replicates",
            "4",
            "--executor",
            "slurm",
            "--units-per-task",
            "2",
            "--cancel-on-exit",
            "--data-dir",
        ])
        .arg(data.path())
        .env("CRYSTALLIZE_TEST_SLEEP_MS", "3000")
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let job = first_job(&first_submitted(data.path()).1);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        Command::new("kill")
            .args(["-INT", &coordinator.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let output = coordinator.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("interrupted: cancelled the run's jobs {job}")),
        "{stderr}"
    );
    assert!(stderr.contains("cancelled: "), "{stderr}");
    // No task of the run is left queued or running.
    let states = String::from_utf8_lossy(
        &Command::new("squeue")
            .args(["-h", "-r", "-t", "all", "-j", &job, "-o", "%K %T"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(
        !states.contains("PENDING") && !states.contains("RUNNING") && !states.contains("COMPLETED"),
        "{states}"
    );
}

/// The array job ids every run directory below `data` lists, over all its runs.
fn submitted_jobs(data: &Path) -> Vec<String> {
    run_dirs(data)
        .iter()
        .flat_map(|dir| {
            std::fs::read_to_string(dir.join("jobs.txt"))
                .unwrap_or_default()
                .lines()
                .map(|line| line.split(' ').next().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Waits until the scheduler lists no task of `jobs` as queued or running.
fn wait_until_ended(jobs: &[String]) {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let states = String::from_utf8_lossy(
            &Command::new("squeue")
                .args(["-h", "-r", "-t", "all", "-j", &jobs.join(","), "-o", "%T"])
                .output()
                .unwrap()
                .stdout,
        )
        .into_owned();
        if !["PENDING", "RUNNING", "CONFIGURING", "COMPLETING"]
            .iter()
            .any(|state| states.contains(state))
        {
            return;
        }
        assert!(Instant::now() < deadline, "the jobs did not end: {states}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Units run and loaded by the `slow` experiment of a `--json` run.
fn run_and_loaded(run: &crate::common::Run) -> (u64, u64) {
    let entry = run.experiment("slow");
    ["baseline", "double"]
        .iter()
        .map(|c| {
            let condition = &entry["conditions"][c];
            (
                condition["units_run"].as_u64().unwrap(),
                condition["units_loaded"].as_u64().unwrap(),
            )
        })
        .fold((0, 0), |(r, l), (a, b)| (r + a, l + b))
}

const DETACHED_RUN: [&str; 8] = [
    "run",
    "slow",
    "--replicates",
    "4",
    "--executor",
    "slurm",
    "--units-per-task",
    "2",
];

#[test]
fn detach_submits_and_exits_and_a_resume_after_the_jobs_ended_loads_everything() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let sleep = [("CRYSTALLIZE_TEST_SLEEP_MS", Path::new("200"))];
    let exe = env!("CARGO_BIN_EXE_fixture");
    let detach = [&DETACHED_RUN[..], &["--detach"]].concat();
    let started = Instant::now();
    let detached = run_bin_with_env(exe, data.path(), &detach, &sleep);
    assert_eq!(detached.code, 0, "{}", detached.stderr);
    let jobs = submitted_jobs(data.path());
    assert_eq!(jobs.len(), 1, "one array of 4 tasks: {jobs:?}");
    assert!(
        detached.stdout.contains(&format!("job(s) {}", jobs[0])),
        "{}",
        detached.stdout
    );
    let dirs = run_dirs(data.path());
    assert!(
        detached.stdout.contains(&dirs[0].display().to_string()),
        "{}",
        detached.stdout
    );
    assert!(detached.stdout.contains("run --strategy resume"));
    // It did not wait for 8 units.
    assert!(started.elapsed() < Duration::from_secs(30));
    // `status` shows the detached run, its jobs and its tasks.
    let status = run_bin_with_env(exe, data.path(), &["status", "slow"], &sleep);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(
        status.stdout.contains("(detached): slow"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains(&format!("jobs: {}", jobs[0])),
        "{}",
        status.stdout
    );
    assert!(status.stdout.contains("  tasks: "), "{}", status.stdout);
    wait_until_ended(&jobs);
    // Once the jobs ended, `status` counts every task done and collects every unit.
    let status = run_bin_with_env(exe, data.path(), &["status"], &sleep);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(
        status
            .stdout
            .contains("tasks: 0 queued, 0 running, 4 done, 0 failed"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains("units: 8 done, 0 failed, 0 pending"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains("collected 8 unit result(s)"),
        "{}",
        status.stdout
    );
    let status = run_bin_with_env(exe, data.path(), &["status"], &sleep);
    assert!(
        status.stdout.contains("no Slurm run in progress"),
        "{}",
        status.stdout
    );
    let resume = [&DETACHED_RUN[..], &["--strategy", "resume", "--json"]].concat();
    let resumed = run_bin_with_env(exe, data.path(), &resume, &sleep);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    // Everything the tasks finished was collected into the journal (by `status`) and loads;
    // nothing was submitted again.
    assert_eq!(run_and_loaded(&resumed), (0, 8), "{}", resumed.stdout);
    assert_eq!(submitted_jobs(data.path()), jobs);
    // A second resume loads everything too, and the detached run is done with.
    let again = run_bin_with_env(exe, data.path(), &resume, &sleep);
    assert_eq!(run_and_loaded(&again), (0, 8), "{}", again.stdout);
    assert!(dirs[0].join("finished").is_file());
    let local = tempfile::tempdir().unwrap();
    let by_threads = fixture(local.path(), &["run", "slow", "--replicates", "4"]);
    assert_eq!(by_threads.code, 0, "{}", by_threads.stderr);
    assert_eq!(
        results(local.path()),
        results(data.path()),
        "byte-identical"
    );
}

#[test]
fn a_resume_while_detached_jobs_still_run_follows_them_and_submits_nothing() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let sleep = [("CRYSTALLIZE_TEST_SLEEP_MS", Path::new("1500"))];
    let exe = env!("CARGO_BIN_EXE_fixture");
    let detach = [&DETACHED_RUN[..], &["--detach"]].concat();
    let detached = run_bin_with_env(exe, data.path(), &detach, &sleep);
    assert_eq!(detached.code, 0, "{}", detached.stderr);
    let jobs = submitted_jobs(data.path());
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    // At once: the tasks are queued or running.
    let resume = [&DETACHED_RUN[..], &["--strategy", "resume", "--json"]].concat();
    let resumed = run_bin_with_env(exe, data.path(), &resume, &sleep);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let (run, loaded) = run_and_loaded(&resumed);
    assert_eq!(run + loaded, 8, "{}", resumed.stdout);
    // Nothing the detached run's tasks still had queued or running was submitted again: only
    // a unit that finished while the resume prepared the version (clearing what it did not
    // load) runs once more.
    let dirs = run_dirs(data.path());
    let manifest = |dir: &Path| crate::common::read_json(dir.join("manifest.json"));
    let old = manifest(&dirs[0]);
    let finished: Vec<serde_json::Value> = std::fs::read_dir(dirs[0].join("results"))
        .unwrap()
        .flat_map(|entry| {
            std::fs::read_to_string(entry.unwrap().path())
                .unwrap()
                .lines()
                .map(|line| {
                    serde_json::from_str::<serde_json::Value>(line).unwrap()["unit"].clone()
                })
                .collect::<Vec<_>>()
        })
        .map(|unit| old["units"][unit.as_u64().unwrap() as usize].clone())
        .collect();
    for dir in &dirs[1..] {
        if !dir.join("manifest.json").exists() {
            continue;
        }
        let new = manifest(dir);
        for task in new["tasks"].as_array().unwrap() {
            for unit in task.as_array().unwrap() {
                let args = &new["units"][unit.as_u64().unwrap() as usize];
                assert!(
                    finished.contains(args),
                    "{args} was queued and is submitted again"
                );
            }
        }
    }
    let local = tempfile::tempdir().unwrap();
    let by_threads = fixture(local.path(), &["run", "slow", "--replicates", "4"]);
    assert_eq!(by_threads.code, 0, "{}", by_threads.stderr);
    assert_eq!(
        results(local.path()),
        results(data.path()),
        "byte-identical"
    );
}

#[test]
fn detach_without_the_slurm_executor_is_a_usage_error() {
    let data = tempfile::tempdir().unwrap();
    let run = fixture(data.path(), &["run", "slow", "--detach"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("--detach goes with `run --executor slurm`"),
        "{}",
        run.stderr
    );
}

#[test]
fn ctrl_c_without_a_terminal_leaves_the_jobs_running_and_says_how_to_collect_them() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let coordinator = Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args(DETACHED_RUN)
        .arg("--data-dir")
        .arg(data.path())
        .env("CRYSTALLIZE_TEST_SLEEP_MS", "1500")
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let job = loop {
        assert!(Instant::now() < deadline, "no job submitted");
        if let Some(job) = submitted_jobs(data.path()).first() {
            break job.clone();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        Command::new("kill")
            .args(["-INT", &coordinator.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let output = coordinator.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("interrupted: the run's jobs {job} go on")),
        "{stderr}"
    );
    assert!(stderr.contains("run --strategy resume"), "{stderr}");
    assert!(stderr.contains(&format!("scancel {job}")), "{stderr}");
    // The jobs were not cancelled: a resume follows them and gets every unit.
    let resume = [&DETACHED_RUN[..], &["--strategy", "resume", "--json"]].concat();
    let sleep = [("CRYSTALLIZE_TEST_SLEEP_MS", Path::new("1500"))];
    let resumed = run_bin_with_env(env!("CARGO_BIN_EXE_fixture"), data.path(), &resume, &sleep);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let (run, loaded) = run_and_loaded(&resumed);
    assert_eq!(run + loaded, 8, "{}", resumed.stdout);
    let jobs = submitted_jobs(data.path());
    assert_eq!(jobs[0], job);
    let states = String::from_utf8_lossy(
        &Command::new("squeue")
            .args(["-h", "-r", "-t", "all", "-j", &job, "-o", "%T"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(!states.contains("CANCELLED"), "{states}");
}

/// The cluster's node (`hostname -s`, the node `start-local-cluster` configures).
fn node_name() -> String {
    let output = Command::new("hostname").arg("-s").output().unwrap();
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Takes the cluster's node down on creation and brings it back (`state=resume`) when dropped,
/// also when the test fails, waiting until the node is idle again.
struct NodeDown(String);

impl NodeDown {
    fn new(node: &str) -> NodeDown {
        let down = Command::new("scontrol")
            .args(["update", &format!("nodename={node}")])
            .args(["state=down", "reason=crystallize-test"])
            .status()
            .unwrap();
        assert!(down.success(), "scontrol update state=down failed");
        NodeDown(node.to_string())
    }
}

impl Drop for NodeDown {
    fn drop(&mut self) {
        // The node may already be back (`ReturnToService=2` returns it once its slurmd
        // answers): then Slurm refuses the resume, which is fine.
        let _ = Command::new("scontrol")
            .args(["update", &format!("nodename={}", self.0), "state=resume"])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let state = Command::new("sinfo")
                .args(["-h", "-n", &self.0, "-o", "%T"])
                .output()
                .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
                .unwrap_or_default();
            if matches!(state.as_str(), "idle" | "mixed" | "allocated") {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        eprintln!("warning: node {} is not back in service", self.0);
    }
}

/// Per task of array job `job`: `(task, state, restarts)` as `squeue` lists them.
fn task_restarts(job: &str) -> Vec<(usize, String, u32)> {
    let output = Command::new("squeue")
        .args(["-h", "-r", "-t", "all", "-j", job])
        .args(["-O", "ArrayTaskID:|,State:|,RestartCnt:|"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('|');
            Some((
                fields.next()?.trim().parse().ok()?,
                fields.next()?.trim().to_string(),
                fields.next()?.trim().parse().ok()?,
            ))
        })
        .collect()
}

/// The arguments of the runs of the node-failure tests: 8 units of `slow`, 2 per task.
const NODE_FAILURE_RUN: [&str; 9] = [
    "run",
    "slow",
    "--replicates",
    "4",
    "--executor",
    "slurm",
    "--units-per-task",
    "2",
    "--json",
];

/// Starts a coordinator of [`NODE_FAILURE_RUN`] and `extra` (units of 2 s: 4 tasks, 2 running
/// at a time on the 2 CPUs), and takes the node down once task 0 finished its first unit and
/// runs its second. Returns the coordinator, its run directory, its job and the node's guard.
fn fail_the_node_mid_run(
    data: &Path,
    extra: &[&str],
) -> (std::process::Child, PathBuf, String, NodeDown) {
    let node = node_name();
    let coordinator = Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args(NODE_FAILURE_RUN)
        .args(extra)
        .arg("--data-dir")
        .arg(data)
        .env("CRYSTALLIZE_TEST_SLEEP_MS", "2000")
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (dir, jobs) = first_submitted(data);
    let job = first_job(&jobs);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !result_lines(&dir).contains(&(0, 1)) {
        assert!(Instant::now() < deadline, "task 0 gave no result");
        std::thread::sleep(Duration::from_millis(20));
    }
    let down = NodeDown::new(&node);
    (coordinator, dir, job, down)
}

#[test]
fn a_node_failure_requeues_the_running_tasks_which_complete_without_duplicates() {
    let Some(_cluster) = crate::common::slurm_cluster_alone() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let args = NODE_FAILURE_RUN;
    let (coordinator, dir, job, down) = fail_the_node_mid_run(data.path(), &[]);
    // Slurm ends the tasks running on the node (NODE_FAIL) and requeues them.
    let deadline = Instant::now() + Duration::from_secs(30);
    let requeued = loop {
        let requeued: Vec<usize> = task_restarts(&job)
            .into_iter()
            .filter(|(_, _, restarts)| *restarts > 0)
            .map(|(task, _, _)| task)
            .collect();
        if requeued.contains(&0) {
            break requeued;
        }
        assert!(Instant::now() < deadline, "task 0 was not requeued");
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(down);
    // Slurm holds a requeued task for about two minutes before it may start again; the test
    // lets it start at once (the coordinator only follows it either way).
    // (Slurm refuses it for the tasks that are not pending, and says so.)
    let _ = Command::new("scontrol")
        .args(["update", &format!("jobid={job}"), "starttime=now"])
        .stderr(Stdio::null())
        .status();
    let output = coordinator.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // The coordinator said which tasks were requeued and followed them to their end.
    for task in &requeued {
        assert!(
            stderr.contains(&format!("slurm task {task} of job {job} was requeued")),
            "{task}: {stderr}"
        );
    }
    if crate::common::tool_runs("sacct", &["-n", "-X", "-j", &job]) {
        assert!(stderr.contains("was requeued: NODE_FAIL"), "{stderr}");
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entry = &report["experiments"][0];
    for condition in ["baseline", "double"] {
        assert_eq!(entry["conditions"][condition]["units_run"], 4, "{entry}");
        assert!(
            entry["conditions"][condition]["errors"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
    // Task 0 ran twice, and its first unit's result was not written again: one line per unit.
    assert_eq!(result_lines(&dir), vec![(0, 2), (1, 2), (2, 2), (3, 2)]);
    let local = tempfile::tempdir().unwrap();
    let by_threads = fixture(local.path(), &["run", "slow", "--replicates", "4"]);
    assert_eq!(by_threads.code, 0, "{}", by_threads.stderr);
    assert_eq!(
        results(local.path()),
        results(data.path()),
        "byte-identical"
    );
    // A resume loads everything and submits nothing.
    let resume = [&args[..], &["--strategy", "resume"]].concat();
    let resumed = run_bin_with_env(env!("CARGO_BIN_EXE_fixture"), data.path(), &resume, &[]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert_eq!(run_and_loaded(&resumed), (0, 8), "{}", resumed.stdout);
    assert_eq!(run_dirs(data.path()).len(), 1);
}

#[test]
fn a_task_that_can_never_start_is_cancelled_and_fails_its_units_with_the_reason() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    // A job that fails: an `afterok` dependency on it is never satisfied.
    let failed = Command::new("sbatch")
        .args(["--parsable", "--output=/dev/null", "--wrap", "exit 1"])
        .output()
        .unwrap();
    assert!(failed.status.success());
    let failed = String::from_utf8_lossy(&failed.stdout).trim().to_string();
    wait_until_ended(std::slice::from_ref(&failed));
    let data = tempfile::tempdir().unwrap();
    let dependency = format!("--slurm-arg=--dependency=afterok:{failed}");
    let started = Instant::now();
    let run = fixture(
        data.path(),
        &[
            "run",
            "seeded",
            "--executor",
            "slurm",
            &dependency,
            "--json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(started.elapsed() < Duration::from_secs(60));
    let entry = run.experiment("seeded");
    let errors: Vec<String> = entry["conditions"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|c| c["errors"].as_array().unwrap().clone())
        .map(|error| error.to_string())
        .collect();
    assert!(!errors.is_empty(), "{}", run.stdout);
    for error in &errors {
        assert!(
            error.contains("PENDING (DependencyNeverSatisfied: it can never start"),
            "{error}"
        );
    }
    // The coordinator cancelled the task it gave up on.
    let jobs = submitted_jobs(data.path());
    wait_until_ended(&jobs);
}

#[test]
fn with_only_sacct_answering_a_cancelled_task_fails_its_units_with_the_accounted_state() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    if !crate::common::require_that(
        crate::common::tool_runs("sacct", &["-n", "-X", "-j", "1"]),
        "needs sacct: a cluster with accounting \
         (SLURM_LOCAL_ACCOUNTING=1 bash ../shared/slurm/start-local-cluster)",
    ) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // As in the test of a cancelled task, but the coordinator may ask only sacct.
    let coordinator = Command::new(env!("CARGO_BIN_EXE_fixture"))
        .args([
            "run",
            "slow",
            "--replicates",
            "4",
            "--executor",
            "slurm",
            "--units-per-task",
            "2",
            "--json",
            "--data-dir",
        ])
        .arg(data.path())
        .env("CRYSTALLIZE_TEST_SLEEP_MS", "3000")
        .env("CRYSTALLIZE_SLURM_SACCT_ONLY", "1")
        .env_remove("CRYSTALLIZE_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (_, jobs) = first_submitted(data.path());
    let job = first_job(&jobs);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !task_restarts(&job)
        .iter()
        .any(|(task, state, _)| *task == 0 && state == "RUNNING")
    {
        assert!(Instant::now() < deadline, "task 0 never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
    let cancel = Command::new("scancel")
        .arg(format!("{job}_0"))
        .status()
        .unwrap();
    assert!(cancel.success());
    let output = coordinator.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        what_the_coordinator_left(&output, &job, data.path())
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entry = &report["experiments"][0];
    let errors: Vec<String> = ["baseline", "double"]
        .iter()
        .flat_map(|c| entry["conditions"][c]["errors"].as_array().unwrap().clone())
        .map(|error| error.to_string())
        .collect();
    // The task's 2 units fail, or only its second when the scheduler said RUNNING so late that
    // the first had finished before the cancel (seen on a loaded machine): what matters is the
    // state, from sacct alone.
    assert!(
        (1..=2).contains(&errors.len()),
        "the units of one task of 2: {errors:?}"
    );
    for error in &errors {
        assert!(
            error.contains(&format!("slurm task 0 of job {job}: CANCELLED")),
            "{error}"
        );
        assert!(error.contains("from sacct"), "{error}");
    }
}

#[test]
fn status_json_gives_one_object_per_run_directory_with_task_and_unit_counts() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let exe = env!("CARGO_BIN_EXE_fixture");
    // `flaky`: 12 units, 2 of which fail; 4 per task: 3 tasks.
    let detached = run_bin_with_env(
        exe,
        data.path(),
        &[
            "run",
            "flaky",
            "--executor",
            "slurm",
            "--units-per-task",
            "4",
            "--detach",
        ],
        &[],
    );
    assert_eq!(detached.code, 0, "{}", detached.stderr);
    let jobs = submitted_jobs(data.path());
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    let status = |args: &[&str]| {
        let run = run_bin_with_env(exe, data.path(), args, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let value: serde_json::Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|error| panic!("{error}: {}", run.stdout));
        (value, run.stderr)
    };
    let count = |object: &serde_json::Value, keys: &[&str]| -> u64 {
        keys.iter().map(|key| object[key].as_u64().unwrap()).sum()
    };
    // What a status call says it collected (journaled) of what the tasks finished.
    let collected = |stderr: &str| -> u64 {
        stderr
            .lines()
            .filter_map(|line| line.strip_prefix("collected "))
            .filter_map(|rest| rest.split(' ').next()?.parse::<u64>().ok())
            .sum()
    };
    // While it runs (or already ended): every task and unit is counted once.
    let (running, collected_running) = status(&["status", "flaky", "--json"]);
    let runs = running.as_array().unwrap();
    assert_eq!(runs.len(), 1, "{running}");
    let run = &runs[0];
    assert_eq!(run["dir"], run_dirs(data.path())[0].display().to_string());
    assert_eq!(run["detached"], true);
    assert_eq!(run["experiments"], serde_json::json!(["flaky"]));
    assert_eq!(run["jobs"], serde_json::json!(jobs));
    let tasks = ["queued", "running", "done", "failed"];
    assert_eq!(count(&run["tasks"], &tasks), 3, "{run}");
    assert_eq!(count(&run["units"], &["done", "failed", "pending"]), 12);
    // Another experiment's status lists no run.
    let (other, collected_other) = status(&["status", "seeded", "--json"]);
    assert_eq!(other, serde_json::json!([]));
    wait_until_ended(&jobs);
    let (ended, stderr) = status(&["status", "--json"]);
    let run = &ended[0];
    assert_eq!(run["tasks"]["done"], 3, "{run}");
    assert_eq!(count(&run["tasks"], &tasks), 3, "{run}");
    assert_eq!(
        run["units"],
        serde_json::json!({"done": 10, "failed": 2, "pending": 0})
    );
    // It collected what the tasks finished, and says so apart from the JSON: every result once,
    // across the calls (a call while the tasks ran collects what had finished by then).
    assert_eq!(
        collected(&collected_running) + collected(&collected_other) + collected(&stderr),
        12,
        "{collected_running}\n{collected_other}\n{stderr}"
    );
    let (after, _) = status(&["status", "--json"]);
    assert_eq!(after, serde_json::json!([]));
}

#[test]
fn a_node_failure_without_requeue_fails_the_tasks_units_with_the_state_and_a_resume_runs_them() {
    let Some(_cluster) = crate::common::slurm_cluster_alone() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    // Tasks that Slurm may not requeue end as NODE_FAIL.
    let no_requeue = "--slurm-arg=--no-requeue";
    let (coordinator, dir, job, down) = fail_the_node_mid_run(data.path(), &[no_requeue]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !task_restarts(&job)
        .iter()
        .any(|(task, state, _)| *task == 0 && state == "NODE_FAIL")
    {
        assert!(Instant::now() < deadline, "task 0 did not fail");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(down);
    let output = coordinator.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("requeued"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entry = &report["experiments"][0];
    let errors: Vec<String> = ["baseline", "double"]
        .iter()
        .flat_map(|c| entry["conditions"][c]["errors"].as_array().unwrap().clone())
        .map(|error| error.to_string())
        .collect();
    // Task 0's second unit, and the units task 1 had not finished, fail with the state and
    // reason; task 0's first unit, finished before the failure, does not.
    assert!(!errors.is_empty() && errors.len() <= 3, "{errors:?}");
    for error in &errors {
        assert!(
            error.contains(&format!(" of job {job}: NODE_FAIL (NodeDown)")),
            "{error}"
        );
    }
    assert!(
        errors
            .iter()
            .any(|error| error.contains(&format!("slurm task 0 of job {job}"))),
        "{errors:?}"
    );
    assert_eq!(
        result_lines(&dir)[0],
        (0, 1),
        "task 0 wrote its first unit only"
    );
    // A resume runs exactly the failed units; everything is then a local run's.
    let resume = [&NODE_FAILURE_RUN[..], &["--strategy", "resume"]].concat();
    let resumed = run_bin_with_env(env!("CARGO_BIN_EXE_fixture"), data.path(), &resume, &[]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert_eq!(
        run_and_loaded(&resumed),
        (errors.len() as u64, 8 - errors.len() as u64),
        "{}",
        resumed.stdout
    );
    let local = tempfile::tempdir().unwrap();
    let by_threads = fixture(local.path(), &["run", "slow", "--replicates", "4"]);
    assert_eq!(by_threads.code, 0, "{}", by_threads.stderr);
    assert_eq!(
        results(local.path()),
        results(data.path()),
        "byte-identical"
    );
}

#[test]
fn a_sacct_that_fails_is_asked_once_per_run() {
    let Some(_cluster) = slurm_cluster() else {
        return;
    };
    // A `sacct` as on a cluster without accounting, first on the PATH, counting its calls.
    let bin = tempfile::tempdir().unwrap();
    let calls = bin.path().join("calls");
    let fake = bin.path().join("sacct");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\n\
             echo 'sacct: error: Slurm accounting storage is disabled' >&2\nexit 1\n",
            calls.display()
        ),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&fake).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&fake, permissions).unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin.path().to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    // Only sacct may answer, and it cannot: the tasks, still running, are lost from sight, and
    // their units fail as unknown to the scheduler, after sacct was asked once.
    let run = run_bin_with_env(
        env!("CARGO_BIN_EXE_fixture"),
        data.path(),
        &[
            "run",
            "slow",
            "--replicates",
            "2",
            "--executor",
            "slurm",
            "--units-per-task",
            "2",
            "--json",
        ],
        &[
            ("PATH", Path::new(&path)),
            ("CRYSTALLIZE_SLURM_SACCT_ONLY", Path::new("1")),
            // Units far longer than the ~10 s of polls it takes to give a task up.
            ("CRYSTALLIZE_TEST_SLEEP_MS", Path::new("30000")),
        ],
    );
    let jobs = submitted_jobs(data.path());
    let _ = Command::new("scancel").args(&jobs).status();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let entry = run.experiment("slow");
    let errors: Vec<String> = ["baseline", "double"]
        .iter()
        .flat_map(|c| entry["conditions"][c]["errors"].as_array().unwrap().clone())
        .map(|error| error.to_string())
        .collect();
    assert_eq!(errors.len(), 4, "{errors:?}");
    for error in &errors {
        assert!(
            error.contains(": UNKNOWN (the scheduler no longer lists it"),
            "{error}"
        );
    }
    let calls = std::fs::read_to_string(&calls).unwrap();
    assert_eq!(calls.lines().count(), 1, "{calls}");
    assert!(calls.contains(&jobs.join(",")), "{calls}");
}

/// Waits (up to three minutes) until a run directory below `data` whose name holds `label`
/// lists its array jobs, and they ended; returns the directory.
fn wave_ended(data: &Path, label: &str) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        assert!(
            Instant::now() < deadline,
            "no wave of {label} was submitted: {:?}",
            run_dirs(data)
        );
        if let Some(dir) = run_dirs(data).into_iter().find(|dir| {
            dir.file_name()
                .is_some_and(|name| name.to_string_lossy().contains(label))
        }) && let Ok(jobs) = std::fs::read_to_string(dir.join("jobs.txt"))
            && !jobs.is_empty()
        {
            let ids: Vec<String> = jobs.lines().map(first_job).collect();
            wait_until_ended(&ids);
            return dir;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_detached_graph_continues_on_the_cluster_wave_after_wave() {
    let Some(_cluster) = crate::common::slurm_cluster() else {
        return;
    };
    // graph_root -> graph_left, graph_right -> graph_join: three waves.
    let data = tempfile::tempdir().unwrap();
    let exe = env!("CARGO_BIN_EXE_fixture");
    let events = tempfile::tempdir().unwrap();
    let events = events.path().join("events.jsonl");
    let detached = run_bin_with_env(
        exe,
        data.path(),
        &[
            "run",
            "graph_join",
            "--executor",
            "slurm",
            "--detach",
            "--events",
            events.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(detached.code, 0, "{}", detached.stderr);
    // The run ends as detached, not as failed or cancelled.
    let events = std::fs::read_to_string(&events).unwrap();
    let last: serde_json::Value = serde_json::from_str(events.lines().last().unwrap()).unwrap();
    assert_eq!(
        last,
        serde_json::json!({"event": "run-finished", "ok": true, "failed_units": 0, "detached": true})
    );
    assert!(
        detached
            .stdout
            .contains("runs graph_left, graph_right, graph_join once they ended"),
        "{}",
        detached.stdout
    );
    // The first process submitted the first wave and the job that continues after it; that job
    // submits the second wave and its own continuation, which submits the last wave.
    let first = wave_ended(data.path(), "crystallize-graph_root-");
    let continuation = std::fs::read_to_string(first.join("continuation")).unwrap();
    assert!(
        detached.stdout.contains(continuation.trim()),
        "{}",
        detached.stdout
    );
    let second = wave_ended(data.path(), "crystallize-graph_left-graph_right-");
    let last = wave_ended(data.path(), "crystallize-graph_join-");
    assert!(
        !last.join("continuation").exists(),
        "nothing comes after the last wave"
    );
    wait_until_ended(&[std::fs::read_to_string(second.join("continuation"))
        .unwrap()
        .trim()
        .to_string()]);
    for dir in [&first, &second] {
        let log = files_below(dir)
            .into_iter()
            .find(|path| path.to_string_lossy().starts_with("continue-"))
            .unwrap_or_else(|| panic!("no continuation log in {}", dir.display()));
        let log = std::fs::read_to_string(dir.join(log)).unwrap();
        assert!(log.contains("detached: submitted"), "{log}");
        assert!(!log.contains("error"), "{log}");
    }
    // A resume collects the last wave and loads everything: nothing is submitted again.
    let before = run_dirs(data.path()).len();
    let resumed = run_bin_with_env(
        exe,
        data.path(),
        &[
            "run",
            "graph_join",
            "--executor",
            "slurm",
            "--strategy",
            "resume",
            "--json",
        ],
        &[],
    );
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    for name in ["graph_root", "graph_left", "graph_right", "graph_join"] {
        assert_eq!(resumed.experiment(name)["action"], "loaded", "{name}");
    }
    assert_eq!(run_dirs(data.path()).len(), before);
    let local = tempfile::tempdir().unwrap();
    let by_threads = fixture(local.path(), &["run", "graph_join"]);
    assert_eq!(by_threads.code, 0, "{}", by_threads.stderr);
    assert_eq!(
        results(local.path()),
        results(data.path()),
        "byte-identical"
    );
}

#[test]
fn a_detached_graph_stops_after_a_wave_whose_units_failed_and_a_resume_goes_on() {
    let Some(_cluster) = crate::common::slurm_cluster() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let exe = env!("CARGO_BIN_EXE_fixture");
    let fail = [("CRYSTALLIZE_TEST_FAIL_ROOT", Path::new("1"))];
    let detach = ["run", "graph_join", "--executor", "slurm", "--detach"];
    let detached = run_bin_with_env(exe, data.path(), &detach, &fail);
    assert_eq!(detached.code, 0, "{}", detached.stderr);
    let first = wave_ended(data.path(), "crystallize-graph_root-");
    let continuation = std::fs::read_to_string(first.join("continuation")).unwrap();
    wait_until_ended(&[continuation.trim().to_string()]);
    // The job continuing the run found graph_root's unit failed: it submitted nothing more, and
    // its log says why and what to do.
    let log = std::fs::read_to_string(first.join(format!("continue-{}.log", continuation.trim())))
        .unwrap();
    assert!(
        log.contains("the detached run stops here: units of graph_root (1 unit(s)) did not finish"),
        "{log}"
    );
    assert!(
        log.contains("`run --strategy resume` submits them again"),
        "{log}"
    );
    assert_eq!(
        run_dirs(data.path()).len(),
        1,
        "{:?}",
        run_dirs(data.path())
    );
    // Fixed, a resume runs the failed unit and the rest of the graph.
    let resume = [
        "run",
        "graph_join",
        "--executor",
        "slurm",
        "--strategy",
        "resume",
        "--json",
    ];
    let resumed = run_bin_with_env(exe, data.path(), &resume, &[]);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert_eq!(resumed.experiment("graph_root")["action"], "ran");
    assert_eq!(resumed.experiment("graph_join")["action"], "ran");
}
