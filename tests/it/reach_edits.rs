//! Keys that see all the code a step reaches, proven with real edits of a fixture crate
//! (`tests/edit_fixture/reach.rs.in`, with a path-dependency library and a registry crate): every
//! edit is followed by a rebuild and a `resume`, and exactly the experiments whose reachable code
//! changed run again, with a reason naming the item and the path by which the step reaches it.

use serde_json::Value;

use crate::common::fixture_crate::FixtureCrate;

const TEMPLATE: &str = include_str!("../edit_fixture/reach.rs.in");

const LIB_MANIFEST: &str =
    "[package]\nname = \"lib_dep\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n";

const LIB_SOURCE: &str = "/// Used by `summarize`.\npub fn shift(x: f64) -> f64 {\n    x + 0.0\n}\n\n/// Used by nothing.\npub fn unrelated() -> f64 {\n    1.0\n}\n";

fn action(report: &Value, experiment: &str) -> String {
    report["experiments"]
        .as_array()
        .expect("experiments")
        .iter()
        .find(|entry| entry["name"] == experiment)
        .unwrap_or_else(|| panic!("no {experiment} in {report}"))["action"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn reasons(report: &Value, experiment: &str) -> String {
    report["experiments"]
        .as_array()
        .expect("experiments")
        .iter()
        .find(|entry| entry["name"] == experiment)
        .map(|entry| entry["reasons"].to_string())
        .unwrap_or_default()
}

struct Fixture {
    krate: FixtureCrate,
}

impl Fixture {
    fn resume(&self) -> Value {
        self.krate.report(&["run", "--strategy", "resume"])
    }

    /// Rebuilds after an edit and checks which experiments run again, and why.
    fn expect(&mut self, label: &str, reach_runs: bool, other_runs: bool, reason: &[&str]) {
        self.krate.build(label);
        let report = self.resume();
        let expected = |runs: bool| if runs { "ran" } else { "loaded" };
        assert_eq!(
            action(&report, "reach"),
            expected(reach_runs),
            "{label}: reach\n{}",
            reasons(&report, "reach")
        );
        assert_eq!(
            action(&report, "other"),
            expected(other_runs),
            "{label}: other\n{}",
            reasons(&report, "other")
        );
        let why = reasons(&report, "reach");
        for part in reason {
            assert!(why.contains(part), "{label}: `{part}` not in {why}");
        }
        // Settled: the next resume loads everything.
        let again = self.resume();
        assert_eq!(action(&again, "reach"), "loaded", "{label}: settles");
        assert_eq!(action(&again, "other"), "loaded", "{label}: settles");
    }
}

#[test]
fn the_key_covers_exactly_the_code_a_step_reaches() {
    // The registry crate changes version below; both versions are locked in this workspace.
    assert_eq!(
        itoa::Buffer::new().format(42),
        itoa_previous::Buffer::new().format(42)
    );
    let mut fixture = Fixture {
        krate: FixtureCrate::new("reach_fixture", TEMPLATE),
    };
    fixture
        .krate
        .add_dependencies("itoa = \"0.4\"\nlib_dep = { path = \"lib_dep\" }");
    fixture.krate.write("lib_dep/Cargo.toml", LIB_MANIFEST);
    fixture.krate.write("lib_dep/src/lib.rs", LIB_SOURCE);
    fixture.krate.write("src/table.txt", "0.0\n");
    fixture.krate.build("first");
    let first = fixture.resume();
    assert_eq!(action(&first, "reach"), "ran");
    // `show` lists what each stage reaches, its registry crates and what it ignores.
    let shown = fixture.krate.invoke(&["show", "reach"]);
    let shown = String::from_utf8_lossy(&shown.stdout);
    for expected in [
        "reaches crate::helpers::mean",
        "reaches crate::helpers::factor4",
        "(via crate::helpers::mean)",
        "reaches lib_dep::shift",
        "reaches crate::impl Score for Model",
        "depends on itoa 0.4.8",
        "ignores crate::helpers::log_progress",
    ] {
        assert!(shown.contains(expected), "`{expected}` not in:\n{shown}");
    }
    assert!(!shown.contains("unrelated"), "{shown}");
    let settled = fixture.resume();
    assert_eq!(action(&settled, "reach"), "loaded");

    // A helper the step calls directly; `plan --diff` shows what changed in it.
    fixture.krate.edit(
        ".sum::<f64>() / values.len() as f64",
        ".sum::<f64>() / (values.len() as f64)",
    );
    fixture.krate.build("direct helper (plan)");
    let plan = fixture
        .krate
        .report(&["plan", "reach", "--diff", "--strategy", "resume"]);
    let diffs = plan["experiments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == "reach")
        .map(|entry| entry["diffs"].clone())
        .unwrap_or_default();
    let mean = diffs
        .as_array()
        .and_then(|diffs| {
            diffs
                .iter()
                .find(|diff| diff["item"] == "crate::helpers::mean")
        })
        .unwrap_or_else(|| panic!("no diff of crate::helpers::mean in {diffs}"));
    let text = mean["diff"].as_str().unwrap();
    assert!(
        text.contains("--- a/crate::helpers::mean") && text.contains("+++ b/crate::helpers::mean"),
        "{text}"
    );
    let side = |mark: char, header: &str| -> String {
        text.lines()
            .filter(|line| line.starts_with(mark) && !line.starts_with(header))
            .flat_map(|line| line[1..].chars())
            .filter(|ch| !ch.is_whitespace())
            .collect()
    };
    let (removed, added) = (side('-', "---"), side('+', "+++"));
    assert!(added.contains("/(values.len()asf64)"), "{text}");
    assert!(
        removed.contains("/values.len()asf64") && !removed.contains("(values.len()asf64)"),
        "{text}"
    );
    let plain = fixture
        .krate
        .invoke(&["plan", "reach", "--diff", "--strategy", "resume"]);
    let plain = String::from_utf8_lossy(&plain.stdout);
    assert!(plain.contains("crate::helpers::mean: code"), "{plain}");
    let shown = fixture.krate.invoke(&["show", "reach", "--diff"]);
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("crate::helpers::mean: code")
            && shown.contains("+++ b/crate::helpers::mean"),
        "{shown}"
    );
    let other = fixture.krate.invoke(&["show", "other", "--diff"]);
    let other = String::from_utf8_lossy(&other.stdout);
    assert!(
        other.contains("code: unchanged since the latest run"),
        "{other}"
    );
    fixture.expect(
        "direct helper",
        true,
        false,
        &[
            "code-changed",
            "step `summarize` reaches `crate::helpers::mean`",
        ],
    );
    // Two calls deep: the reason says through which item.
    fixture.krate.edit("4.0 * x", "3.0 * x");
    fixture.expect(
        "helper two calls deep",
        true,
        false,
        &["reaches `crate::helpers::factor4` (via `crate::helpers::mean`)"],
    );
    // A helper only another experiment calls.
    fixture.krate.edit("x + 1.0", "x + 2.0");
    fixture.expect("helper of another experiment", false, true, &[]);
    // A field added to a struct the step uses.
    fixture.krate.edit(
        "    pub weight: f64,\n}",
        "    pub weight: f64,\n    pub bias: f64,\n}",
    );
    fixture.expect("struct field", true, false, &["`crate::Model`"]);
    // The body of a trait impl method called as a method.
    fixture.krate.edit("self.weight * x", "x * self.weight");
    fixture.expect(
        "trait impl method",
        true,
        false,
        &["`crate::impl Score for Model`"],
    );
    // A const the step reads.
    fixture
        .krate
        .edit("const OFFSET: f64 = 0.5;", "const OFFSET: f64 = 0.25;");
    fixture.expect("const", true, false, &["`crate::OFFSET`"]);
    // A macro_rules! macro the step invokes.
    fixture.krate.edit("2.0 * $x", "3.0 * $x");
    fixture.expect("macro_rules", true, false, &["`crate::twice!`"]);
    // A function of a path-dependency library the step calls; an unrelated one does not count.
    fixture
        .krate
        .edit_file("lib_dep/src/lib.rs", "x + 0.0", "x + 0.5");
    fixture.expect("path dependency", true, false, &["`lib_dep::shift`"]);
    fixture
        .krate
        .edit_file("lib_dep/src/lib.rs", "    1.0\n", "    7.0\n");
    fixture.expect("unrelated path-dependency item", false, false, &[]);
    // A file the step includes counts by content.
    fixture.krate.edit_file("src/table.txt", "0.0", "0.5");
    fixture.expect(
        "included file",
        true,
        false,
        &["reaches `include!(src/table.txt)`"],
    );
    // An unreachable function in the same file.
    fixture
        .krate
        .edit("        2.0\n    }", "        5.0\n    }");
    fixture.expect("unreachable function", false, false, &[]);
    // Formatting, comments and doc comments anywhere.
    fixture.krate.edit(
        "    pub fn factor4(x: f64) -> f64 {\n        3.0 * x\n    }",
        "    pub fn factor4(\n        x: f64, // the value\n    ) -> f64 {\n        /* scaled */ 3.0 * x\n    }",
    );
    fixture.krate.edit(
        "/// Called directly by `summarize`.",
        "/// The mean, scaled.",
    );
    fixture.expect("formatting and comments", false, false, &[]);
    // An item the step ignores.
    fixture.krate.edit("message.len()", "message.len() + 1");
    fixture.expect("ignored helper", false, false, &[]);
    // A registry dependency's version: only the step that names it reruns.
    fixture
        .krate
        .edit_file("Cargo.toml", "itoa = \"0.4\"", "itoa = \"1\"");
    fixture.expect(
        "dependency version",
        true,
        false,
        &["dependency-changed", "step `digits`: itoa 0.4.8 -> 1.0.19"],
    );
    let builds: Vec<String> = fixture
        .krate
        .builds
        .iter()
        .map(|(label, took)| format!("{label}: {:.1}s", took.as_secs_f64()))
        .collect();
    eprintln!("builds: {}", builds.join(", "));
}

/// The toolchain is recorded with every run; a change is a note, and reruns only in strict mode.
#[test]
fn a_toolchain_change_is_a_note_unless_strict() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| crate::common::fixture(data.path(), args);
    assert_eq!(run(&["run", "seeded"]).code, 0);
    let metadata_path = data.path().join("seeded/v0/metadata.json");
    let mut metadata = crate::common::read_json(&metadata_path);
    assert!(
        metadata["toolchain"]["rustc"]
            .as_str()
            .is_some_and(|rustc| rustc.starts_with("rustc")),
        "{metadata}"
    );
    metadata["toolchain"]["rustc"] = "rustc 1.80.0 (an older one)".into();
    std::fs::write(&metadata_path, metadata.to_string()).unwrap();

    let noted = run(&["run", "seeded", "--strategy", "resume", "--json"]);
    let entry = noted.experiment("seeded");
    assert_eq!(entry["action"], "loaded", "{entry}");
    let warnings = entry["warnings"].to_string();
    assert!(
        warnings
            .contains("the toolchain changed since v0 (rustc rustc 1.80.0 (an older one) -> rustc"),
        "{warnings}"
    );
    let plain = run(&["plan", "seeded", "--strategy", "resume"]);
    assert!(
        plain.stdout.contains("toolchain changed"),
        "{}",
        plain.stdout
    );

    let strict = run(&[
        "run",
        "seeded",
        "--strategy",
        "resume",
        "--strict-env",
        "--json",
    ]);
    let entry = strict.experiment("seeded");
    assert_eq!(entry["action"], "ran", "{entry}");
    assert_eq!(
        entry["reasons"][0]["kind"], "environment-changed",
        "{entry}"
    );
    let again = run(&[
        "run",
        "seeded",
        "--strategy",
        "resume",
        "--strict-env",
        "--json",
    ]);
    assert_eq!(again.experiment("seeded")["action"], "loaded");
}
