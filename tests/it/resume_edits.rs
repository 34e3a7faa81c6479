//! The end-to-end proof of `resume` with real source edits: build a small crate that uses
//! crystallize (its source is `tests/edit_fixture/main.rs.in`), run it, edit its source, rebuild
//! and run again, and check that exactly the units whose signature changed run, for the reasons
//! the resume rules give.
//!
//! One test function walks every scenario in sequence, so the expensive first build (it compiles
//! crystallize and its dependencies into `target/tests/edit-fixture`) happens once; every later
//! build recompiles only the fixture.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

/// The fixture crate's `src/main.rs`, before any edit.
const TEMPLATE: &str = include_str!("../edit_fixture/main.rs.in");

/// The experiment the fixture registers.
const EXPERIMENT: &str = "edits";

use crate::common::fixture_crate::FixtureCrate;

/// The fixture crate and what the scenarios read from it.
struct Fixture {
    krate: FixtureCrate,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            krate: FixtureCrate::new("edit_fixture", TEMPLATE),
        }
    }

    fn data(&self) -> &Path {
        self.krate.data()
    }

    fn experiment_dir(&self) -> PathBuf {
        self.data().join(EXPERIMENT)
    }

    fn edit(&mut self, from: &str, to: &str) {
        self.krate.edit(from, to);
    }

    fn build(&mut self, label: &str) {
        self.krate.build(label);
    }

    /// Runs the binary with `command` (`run` or `plan`) and `--json`, and parses its report.
    fn invoke(&self, command: &str, extra: &[&str]) -> Value {
        let mut args = vec![command];
        args.extend_from_slice(extra);
        self.krate.report(&args)
    }

    fn run(&self, extra: &[&str]) -> Value {
        self.invoke("run", extra)
    }

    fn plan(&self) -> Value {
        self.invoke("plan", &["--strategy", "resume"])
    }

    /// `stages` of the stored `metadata.json`: [{name, kind, code, uses: [{name, code}]}].
    fn stored_stages(&self) -> Vec<Value> {
        let path = self.experiment_dir().join("v0/metadata.json");
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let metadata: Value = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()));
        metadata["stages"]
            .as_array()
            .unwrap_or_else(|| panic!("no stages in {}:\n{text}", path.display()))
            .clone()
    }

    /// Every file and directory below the data directory with its size and modification time.
    fn snapshot(&self) -> BTreeMap<PathBuf, (bool, u64, SystemTime)> {
        fn walk(root: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, (bool, u64, SystemTime)>) {
            for entry in fs::read_dir(dir).expect("readable dir") {
                let path = entry.expect("dir entry").path();
                let meta = fs::symlink_metadata(&path).expect("metadata");
                let relative = path.strip_prefix(root).expect("below root").to_path_buf();
                into.insert(
                    relative,
                    (meta.is_dir(), meta.len(), meta.modified().expect("mtime")),
                );
                if meta.is_dir() {
                    walk(root, &path, into);
                }
            }
        }
        let mut found = BTreeMap::new();
        walk(self.data(), self.data(), &mut found);
        found
    }
}

/// What one condition's report entry must say.
struct Expect {
    condition: &'static str,
    run: u64,
    loaded: u64,
    reasons: Vec<(&'static str, String)>,
}

fn expect(
    condition: &'static str,
    run: u64,
    loaded: u64,
    reasons: &[(&'static str, String)],
) -> Expect {
    Expect {
        condition,
        run,
        loaded,
        reasons: reasons.to_vec(),
    }
}

fn loaded_from_v0() -> (&'static str, String) {
    ("signature-unchanged", "loaded from v0".to_string())
}

/// Every condition loads all `replicates` units from v0.
fn all_loaded(conditions: &[&'static str], replicates: u64) -> Vec<Expect> {
    conditions
        .iter()
        .map(|condition| expect(condition, 0, replicates, &[loaded_from_v0()]))
        .collect()
}

/// Every condition runs all `replicates` units for `reason`.
fn all_run(
    conditions: &[&'static str],
    replicates: u64,
    reason: &(&'static str, String),
) -> Vec<Expect> {
    conditions
        .iter()
        .map(|condition| expect(condition, replicates, 0, std::slice::from_ref(reason)))
        .collect()
}

fn reasons_of(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("reasons is not an array: {value}"))
        .iter()
        .map(|reason| {
            (
                reason["kind"].as_str().expect("reason kind").to_string(),
                reason["detail"]
                    .as_str()
                    .expect("reason detail")
                    .to_string(),
            )
        })
        .collect()
}

fn owned(reasons: &[(&'static str, String)]) -> Vec<(String, String)> {
    reasons
        .iter()
        .map(|(kind, detail)| (kind.to_string(), detail.clone()))
        .collect()
}

/// Checks the report of one run (or plan) exactly: action, version, replicates, the conditions
/// and their counts, errors and reasons, and the experiment's reasons (the distinct reasons of
/// its conditions, in plan order). For a run (not a plan) also every metric value and artifact.
fn check(
    scenario: &str,
    report: &Value,
    action: &str,
    replicates: u64,
    expected: &[Expect],
    is_plan: bool,
) {
    let context = || format!("scenario {scenario}; report:\n{report:#}");
    let experiments = report["experiments"].as_array().expect("experiments array");
    assert_eq!(experiments.len(), 1, "{}", context());
    let entry = &experiments[0];
    assert_eq!(entry["name"], EXPERIMENT, "{}", context());
    assert_eq!(entry["action"], action, "{}", context());
    assert_eq!(entry["version"], 0, "{}", context());
    assert_eq!(entry["replicates"], replicates, "{}", context());
    assert_eq!(entry["warnings"], serde_json::json!([]), "{}", context());
    let conditions = entry["conditions"].as_object().expect("conditions object");
    let mut names: Vec<&str> = conditions.keys().map(String::as_str).collect();
    let mut expected_names: Vec<&str> = expected.iter().map(|e| e.condition).collect();
    names.sort_unstable();
    expected_names.sort_unstable();
    assert_eq!(names, expected_names, "{}", context());
    let mut experiment_reasons: Vec<(String, String)> = Vec::new();
    for want in expected {
        let name = want.condition;
        let got = &conditions[name];
        let condition_action = if want.run > 0 { "ran" } else { "loaded" };
        assert_eq!(got["action"], condition_action, "{name}: {}", context());
        assert_eq!(got["units_run"], want.run, "{name}: {}", context());
        assert_eq!(got["units_loaded"], want.loaded, "{name}: {}", context());
        assert_eq!(
            got["errors"],
            serde_json::json!([]),
            "{name}: {}",
            context()
        );
        assert_eq!(
            reasons_of(&got["reasons"]),
            owned(&want.reasons),
            "{name}: {}",
            context()
        );
        for reason in owned(&want.reasons) {
            if !experiment_reasons.contains(&reason) {
                experiment_reasons.push(reason);
            }
        }
        if is_plan {
            continue;
        }
        let metrics = mean_bits(report, name);
        assert_eq!(metrics.len() as u64, replicates, "{name}: {}", context());
        let paths = entry["artifacts"]["summary.json"][name]
            .as_array()
            .unwrap_or_else(|| panic!("no summary.json artifacts of {name}: {}", context()));
        assert_eq!(paths.len() as u64, replicates, "{name}: {}", context());
        for (replicate, (path, metric)) in paths.iter().zip(&metrics).enumerate() {
            let path = path.as_str().expect("artifact path");
            assert!(
                path.ends_with(&format!(
                    "v0/replicate_{replicate}/{name}/summarize/summary.json"
                )),
                "{path}: {}",
                context()
            );
            let text = fs::read_to_string(path)
                .unwrap_or_else(|error| panic!("cannot read artifact {path}: {error}"));
            let value: f64 = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("artifact {path} is not a number: {error}"));
            assert_eq!(
                value.to_bits(),
                *metric,
                "artifact {path} holds {value}, the metric of replicate {replicate} is {}",
                f64::from_bits(*metric)
            );
        }
    }
    assert_eq!(
        reasons_of(&entry["reasons"]),
        experiment_reasons,
        "experiment reasons: {}",
        context()
    );
}

/// The bits of metric `mean` of `condition`, per replicate (every replicate must have one).
fn mean_bits(report: &Value, condition: &str) -> Vec<u64> {
    report["experiments"][0]["conditions"][condition]["metrics"]["mean"]
        .as_array()
        .unwrap_or_else(|| panic!("no metric `mean` for {condition}:\n{report:#}"))
        .iter()
        .map(|value| {
            value
                .as_f64()
                .unwrap_or_else(|| panic!("{condition}: metric value {value} is not a number"))
                .to_bits()
        })
        .collect()
}

fn all_mean_bits(report: &Value, conditions: &[&str]) -> BTreeMap<String, Vec<u64>> {
    conditions
        .iter()
        .map(|condition| (condition.to_string(), mean_bits(report, condition)))
        .collect()
}

/// Every value of `new` is `ratio` times the one of `old` (to rounding), and differs from it.
fn assert_scaled(new: &[u64], old: &[u64], ratio: f64, what: &str) {
    assert_eq!(new.len(), old.len(), "{what}");
    for (replicate, (new, old)) in new.iter().zip(old).enumerate() {
        let (new, old) = (f64::from_bits(*new), f64::from_bits(*old));
        assert_ne!(new, old, "{what}: replicate {replicate} did not change");
        assert!(
            (new - old * ratio).abs() <= 1e-12 * new.abs(),
            "{what}: replicate {replicate}: {new} is not {ratio} x {old}"
        );
    }
}

/// The stored stage `name`.
fn stage<'a>(stages: &'a [Value], name: &str) -> &'a Value {
    stages
        .iter()
        .find(|stage| stage["name"] == name)
        .unwrap_or_else(|| panic!("no stage `{name}` in {stages:?}"))
}

fn short(hash: &Value) -> String {
    let hex = hash.as_str().expect("hash is a hex string");
    assert_eq!(hex.len(), 64, "{hex}");
    hex[..8].to_string()
}

#[test]
fn resume_reruns_exactly_what_the_edits_changed() {
    let test_started = Instant::now();
    let mut fixture = Fixture::new();
    let base = ["baseline", "double", "triple"];
    let all4 = ["baseline", "double", "triple", "quadruple"];

    eprintln!("[resume_edits] data in {}", fixture.data().display());
    fixture.build("initial (dependencies too, on a cold target dir)");

    // 0. First run: everything runs.
    let first_run = (
        "first-run",
        format!("no previous run in {}", fixture.experiment_dir().display()),
    );
    let run0 = fixture.run(&[]);
    check(
        "0",
        &run0,
        "ran",
        10,
        &all_run(&base, 10, &first_run),
        false,
    );
    let mut previous = all_mean_bits(&run0, &base);

    // 1. Run again without change: everything loads, bit-identical, and nothing is written.
    let before = fixture.snapshot();
    let run1 = fixture.run(&[]);
    check("1", &run1, "loaded", 10, &all_loaded(&base, 10), false);
    assert_eq!(all_mean_bits(&run1, &base), previous, "scenario 1 metrics");
    assert_eq!(
        fixture.snapshot(),
        before,
        "scenario 1 wrote to the data dir"
    );

    // 2. Comment, doc-comment and formatting edits inside every hashed item: everything loads.
    let stages_before = fixture.stored_stages();
    fixture.edit(
        "/// Sixteen uniform numbers from the replicate's generator.",
        "/// Sixteen uniform numbers, drawn from the replicate's own generator.\n\
         /// A second line of documentation.",
    );
    fixture.edit(
        "    let mut rng = ctx.rng();\n",
        "    // One generator per replicate.\n\n    let mut rng   =   ctx.rng();\n\n\n",
    );
    fixture.edit(
        "    data.into_iter().map(|x| x * factor).collect()",
        "    // scale every value\n    data.into_iter()\n        .map(|x| x * factor) // multiply\n        .collect()",
    );
    fixture.edit(
        "/// Arithmetic mean.",
        "/// The arithmetic mean of `values`.",
    );
    fixture.edit(
        "values.iter().sum::<f64>() / values.len() as f64",
        "values.iter().sum::<f64>() /* total */ / values.len() as f64 // over the count",
    );
    fixture.edit(
        "/// Records the mean as metric `mean` and writes it as the artifact `summary.json`.",
        "/// Records the mean (metric `mean`) and writes the artifact `summary.json`.",
    );
    fixture.edit(
        "fn summarize(data: Vec<f64>, ctx: &mut Ctx) -> Result<f64, StepError> {",
        "fn summarize(\n    data: Vec<f64>,\n    ctx: &mut Ctx\n) -> Result<f64, StepError>\n{",
    );
    fixture.edit(
        "    ctx.write_json(\"summary.json\", &m)?;",
        "\n    /* the artifact */\n    ctx.write_json(\n        \"summary.json\",\n        &m\n    )?;\n",
    );
    fixture.build("2: comments and formatting");
    let before = fixture.snapshot();
    let run2 = fixture.run(&[]);
    check("2", &run2, "loaded", 10, &all_loaded(&base, 10), false);
    assert_eq!(all_mean_bits(&run2, &base), previous, "scenario 2 metrics");
    assert_eq!(
        fixture.snapshot(),
        before,
        "scenario 2 wrote to the data dir"
    );
    assert_eq!(fixture.stored_stages(), stages_before);

    // 3. A token edit in the body of step `scale`: every condition re-runs, code-changed.
    fixture.edit("x * factor", "factor * x");
    fixture.build("3: step body");
    // The dry run predicts it and writes nothing.
    let before = fixture.snapshot();
    let plan3 = fixture.plan();
    assert_eq!(
        fixture.snapshot(),
        before,
        "plan (scenario 3) wrote to the data dir"
    );
    let run3 = fixture.run(&[]);
    let stages_after = fixture.stored_stages();
    for name in ["numbers", "summarize"] {
        assert_eq!(
            stage(&stages_after, name),
            stage(&stages_before, name),
            "{name}"
        );
    }
    let (old, new) = (
        &stage(&stages_before, "scale")["code"],
        &stage(&stages_after, "scale")["code"],
    );
    assert_ne!(old, new, "the code hash of `scale` did not change");
    let scale_changed = (
        "code-changed",
        format!("step `scale`: code hash {} -> {}", short(old), short(new)),
    );
    check(
        "3",
        &run3,
        "ran",
        10,
        &all_run(&base, 10, &scale_changed),
        false,
    );
    check(
        "3 (plan before the run)",
        &plan3,
        "ran",
        10,
        &all_run(&base, 10, &scale_changed),
        true,
    );
    // `factor * x` is `x * factor`: the rerun computes the same values.
    assert_eq!(all_mean_bits(&run3, &base), previous, "scenario 3 metrics");
    previous = all_mean_bits(&run3, &base);

    // After scenario 3, on the unchanged binary: the dry run loads everything, writes nothing.
    let before = fixture.snapshot();
    let plan_after = fixture.plan();
    assert_eq!(
        fixture.snapshot(),
        before,
        "plan (after scenario 3) wrote to the data dir"
    );
    check(
        "3 (plan after the run)",
        &plan_after,
        "loaded",
        10,
        &all_loaded(&base, 10),
        true,
    );
    assert_eq!(all_mean_bits(&plan_after, &base), previous, "plan metrics");

    // 4. A token edit of the tracked helper `mean` (named in `uses(..)` of `summarize`).
    let stages_before = fixture.stored_stages();
    fixture.edit(
        "values.iter().sum::<f64>() /* total */ / values.len() as f64 // over the count",
        "let count = values.len() as f64;\n        values.iter().sum::<f64>() / count",
    );
    fixture.build("4: tracked helper");
    let run4 = fixture.run(&[]);
    let stages_after = fixture.stored_stages();
    for name in ["numbers", "scale"] {
        assert_eq!(
            stage(&stages_after, name),
            stage(&stages_before, name),
            "{name}"
        );
    }
    let (summarize_before, summarize_after) = (
        stage(&stages_before, "summarize"),
        stage(&stages_after, "summarize"),
    );
    assert_eq!(
        summarize_before["code"], summarize_after["code"],
        "the own code of `summarize` did not change"
    );
    let helpers_before = summarize_before["uses"].as_array().expect("uses");
    let helpers_after = summarize_after["uses"].as_array().expect("uses");
    assert_eq!(helpers_before.len(), 1, "{summarize_before}");
    assert_eq!(helpers_after.len(), 1, "{summarize_after}");
    let helper = helpers_after[0]["name"].as_str().expect("helper name");
    assert_eq!(helpers_before[0]["name"], helper);
    assert_eq!(
        helper, "edit_fixture::helpers::mean",
        "the helper's recorded name"
    );
    let (old, new) = (&helpers_before[0]["code"], &helpers_after[0]["code"]);
    assert_ne!(
        old, new,
        "the code hash of helper `{helper}` did not change"
    );
    let helper_changed = (
        "code-changed",
        format!(
            "step `summarize`: helper `{helper}` code hash {} -> {}",
            short(old),
            short(new)
        ),
    );
    check(
        "4",
        &run4,
        "ran",
        10,
        &all_run(&base, 10, &helper_changed),
        false,
    );
    assert_eq!(all_mean_bits(&run4, &base), previous, "scenario 4 metrics");

    // 5. The baseline param `factor` 1.0 -> 1.5: only the baseline runs; `double` and `triple`
    //    set their own `factor`, so their effective params did not change and they load.
    fixture.edit(".param(\"factor\", 1.0)", ".param(\"factor\", 1.5)");
    fixture.build("5: baseline param");
    let run5 = fixture.run(&[]);
    check(
        "5",
        &run5,
        "partial",
        10,
        &[
            expect(
                "baseline",
                10,
                0,
                &[("params-changed", "param `factor`: 1.0 -> 1.5".to_string())],
            ),
            expect("double", 0, 10, &[loaded_from_v0()]),
            expect("triple", 0, 10, &[loaded_from_v0()]),
        ],
        false,
    );
    let now = all_mean_bits(&run5, &base);
    assert_scaled(&now["baseline"], &previous["baseline"], 1.5, "baseline");
    assert_eq!(now["double"], previous["double"], "double loads");
    assert_eq!(now["triple"], previous["triple"], "triple loads");
    previous = now;

    // 6. The payload of `double` 2.0 -> 2.5: only `double` runs.
    fixture.edit("params! { \"factor\": 2.0 }", "params! { \"factor\": 2.5 }");
    fixture.build("6: treatment payload");
    let run6 = fixture.run(&[]);
    check(
        "6",
        &run6,
        "partial",
        10,
        &[
            expect("baseline", 0, 10, &[loaded_from_v0()]),
            expect(
                "double",
                10,
                0,
                &[(
                    "treatment-changed",
                    "treatment `double`: param `factor` 2.0 -> 2.5".to_string(),
                )],
            ),
            expect("triple", 0, 10, &[loaded_from_v0()]),
        ],
        false,
    );
    let now = all_mean_bits(&run6, &base);
    assert_eq!(now["baseline"], previous["baseline"], "baseline loads");
    assert_scaled(&now["double"], &previous["double"], 1.25, "double");
    assert_eq!(now["triple"], previous["triple"], "triple loads");
    previous = now;

    // 7. A new treatment `quadruple`: only it runs.
    fixture.edit(
        "        .treatment(\"triple\", params! { \"factor\": 3.0 })\n",
        "        .treatment(\"triple\", params! { \"factor\": 3.0 })\n        \
         .treatment(\"quadruple\", params! { \"factor\": 4.0 })\n",
    );
    fixture.build("7: new treatment");
    let run7 = fixture.run(&[]);
    check(
        "7",
        &run7,
        "partial",
        10,
        &[
            expect("baseline", 0, 10, &[loaded_from_v0()]),
            expect("double", 0, 10, &[loaded_from_v0()]),
            expect("triple", 0, 10, &[loaded_from_v0()]),
            expect(
                "quadruple",
                10,
                0,
                &[(
                    "treatment-added",
                    "treatment `quadruple` is new".to_string(),
                )],
            ),
        ],
        false,
    );
    let now = all_mean_bits(&run7, &all4);
    for condition in base {
        assert_eq!(now[condition], previous[condition], "{condition} loads");
    }
    previous = now;

    // 8. `--replicates 15`: each condition runs replicates 10..15 only and loads the first ten.
    let run8 = fixture.run(&["--replicates", "15"]);
    let added = ("replicates-added", "replicates 10 -> 15".to_string());
    let expected: Vec<Expect> = all4
        .iter()
        .map(|condition| expect(condition, 5, 10, &[added.clone(), loaded_from_v0()]))
        .collect();
    check("8", &run8, "partial", 15, &expected, false);
    let now = all_mean_bits(&run8, &all4);
    for condition in all4 {
        assert_eq!(
            now[condition][..10],
            previous[condition][..],
            "{condition} first ten"
        );
    }
    let fifteen = now;

    // 9. Deleting the experiment's directory runs everything again, with the same values.
    fs::remove_dir_all(fixture.experiment_dir()).expect("delete the experiment's data");
    let run9 = fixture.run(&[]);
    check(
        "9",
        &run9,
        "ran",
        10,
        &all_run(&all4, 10, &first_run),
        false,
    );
    let now = all_mean_bits(&run9, &all4);
    for condition in all4 {
        assert_eq!(
            now[condition][..],
            fifteen[condition][..10],
            "{condition} after delete"
        );
    }

    let total: Duration = fixture.krate.builds.iter().map(|(_, took)| *took).sum();
    eprintln!("[resume_edits] builds:");
    for (label, took) in &fixture.krate.builds {
        eprintln!("[resume_edits]   {:>6.1}s  {label}", took.as_secs_f64());
    }
    eprintln!(
        "[resume_edits] all builds {:.1}s; whole test {:.1}s",
        total.as_secs_f64(),
        test_started.elapsed().as_secs_f64()
    );
}
