//! The committed JSON Schema of the `--json` report (`crystallize/report.schema.json`) matches
//! what `run --json` and `plan --json` print: every field they print is in the schema with its
//! type, the required ones are there, and nothing else is (`additionalProperties: false`). The
//! outputs checked cover every field the schema defines: a pipeline run with a failed unit,
//! plans with grouped reasons, units decided after their upstream, a corrupt file (warnings), a
//! pruned version, `--explain`, and hypotheses (built-in and custom verifiers). The checker below implements the part of JSON Schema
//! (draft 2020-12) the schema uses: `type`, `enum`, `properties`, `required`,
//! `additionalProperties`, `items`, `minimum` and local `$ref`s.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::{Run, run_bin_with_env};

const BIN: &str = env!("CARGO_BIN_EXE_plan_output");
const SCHEMA: &str = include_str!("../../crystallize/report.schema.json");

/// Checks `value` against `schema`, collecting problems by JSON path, and the properties seen
/// as (definition, property).
struct Checker<'a> {
    root: &'a Value,
    problems: Vec<String>,
    seen: BTreeSet<(String, String)>,
}

impl<'a> Checker<'a> {
    fn new(root: &'a Value) -> Self {
        Checker {
            root,
            problems: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    /// The schema `reference` (`#/$defs/name`) points at, and its name.
    fn resolve(&self, reference: &str) -> (String, &'a Value) {
        let name = reference
            .strip_prefix("#/$defs/")
            .unwrap_or_else(|| panic!("only local $defs references are used: {reference}"));
        let target = &self.root["$defs"][name];
        assert!(target.is_object(), "unknown $ref {reference}");
        (name.to_string(), target)
    }

    fn check(&mut self, schema: &'a Value, value: &Value, path: &str, def: &str) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let (name, target) = self.resolve(reference);
            self.check(target, value, path, &name);
        }
        if let Some(types) = schema.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                other => panic!("bad type in schema: {other}"),
            };
            let fits = allowed.iter().any(|kind| match *kind {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "boolean" => value.is_boolean(),
                "null" => value.is_null(),
                "number" => value.is_number(),
                "integer" => value.is_u64() || value.is_i64(),
                other => panic!("unknown type {other}"),
            });
            if !fits {
                self.problems
                    .push(format!("{path}: {value} is not of type {allowed:?}"));
                return;
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array)
            && !options.contains(value)
        {
            self.problems
                .push(format!("{path}: {value} is not one of {options:?}"));
        }
        if let (Some(minimum), Some(number)) = (
            schema.get("minimum").and_then(Value::as_f64),
            value.as_f64(),
        ) && number < minimum
        {
            self.problems
                .push(format!("{path}: {number} is below {minimum}"));
        }
        if let Some(object) = value.as_object() {
            let properties = schema.get("properties").and_then(Value::as_object);
            for required in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !object.contains_key(required) {
                    self.problems
                        .push(format!("{path}: required `{required}` is missing"));
                }
            }
            for (key, item) in object {
                let item_path = format!("{path}.{key}");
                match properties.and_then(|properties| properties.get(key)) {
                    Some(property) => {
                        self.seen.insert((def.to_string(), key.clone()));
                        self.check(property, item, &item_path, &format!("{def}.{key}"));
                    }
                    None => match schema.get("additionalProperties") {
                        Some(Value::Bool(false)) => self
                            .problems
                            .push(format!("{path}: `{key}` is not in the schema")),
                        Some(extra @ Value::Object(_)) => {
                            self.check(extra, item, &item_path, &format!("{def}.*"))
                        }
                        _ => {}
                    },
                }
            }
        }
        if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
            for (index, item) in array.iter().enumerate() {
                self.check(
                    items,
                    item,
                    &format!("{path}[{index}]"),
                    &format!("{def}[]"),
                );
            }
        }
    }
}

/// Every (definition, property) the schema declares.
fn declared(root: &Value) -> BTreeSet<(String, String)> {
    let mut all = BTreeSet::new();
    let mut add = |def: &str, schema: &Value| {
        for key in schema["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            all.insert((def.to_string(), key.clone()));
        }
    };
    add("report", root);
    for (name, def) in root["$defs"].as_object().unwrap() {
        add(name, def);
    }
    all
}

fn po(data: &Path, args: &[&str], env: &[(&str, &str)], code: i32) -> Run {
    let env: Vec<(&str, &Path)> = env
        .iter()
        .map(|(name, value)| (*name, Path::new(*value)))
        .collect();
    let run = run_bin_with_env(BIN, data, args, &env);
    assert_eq!(
        run.code, code,
        "{args:?}\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

/// The reports of runs and plans covering every field of the schema.
fn reports() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut keep = |what: &str, run: Run| out.push((what.to_string(), run.report()));

    // A pipeline whose producer fails a replicate: inputs, inherited treatments, artifacts,
    // errors; then its plan (grouped reasons naming replicates) and one unit explained.
    let graph = tempfile::tempdir().unwrap();
    let failing = [("CRYSTALLIZE_TEST_FAIL_REPLICATE", "1")];
    keep(
        "run with a failed unit",
        po(graph.path(), &["run", "po_consumer", "--json"], &failing, 1),
    );
    keep(
        "plan after a failure",
        po(graph.path(), &["plan", "po_consumer", "--json"], &[], 0),
    );
    keep(
        "explain a unit that runs",
        po(
            graph.path(),
            &["plan", "--explain", "po_consumer/robust/1", "--json"],
            &[],
            0,
        ),
    );

    // A finished pipeline: units that load, explained; then a producer condition whose marker
    // is gone reruns first, and its consumers' units wait for what it publishes.
    let done = tempfile::tempdir().unwrap();
    keep(
        "run of a pipeline",
        po(done.path(), &["run", "po_consumer", "--json"], &[], 0),
    );
    keep(
        "explain a unit that loads",
        po(
            done.path(),
            &["plan", "--explain", "po_consumer/noisy/2", "--json"],
            &[],
            0,
        ),
    );
    std::fs::remove_file(
        done.path()
            .join("po_producer/v0/baseline/.crystallize_complete"),
    )
    .unwrap();
    keep(
        "plan with units decided after their upstream",
        po(done.path(), &["plan", "po_consumer", "--json"], &[], 0),
    );

    // A corrupt file: warnings.
    let corrupt = tempfile::tempdir().unwrap();
    po(corrupt.path(), &["run", "po_ordered"], &[], 0);
    std::fs::write(
        corrupt.path().join("po_ordered/v0/zeta/results.json"),
        "{oops",
    )
    .unwrap();
    keep(
        "plan over a corrupt file",
        po(corrupt.path(), &["plan", "po_ordered", "--json"], &[], 0),
    );
    keep(
        "run over a corrupt file",
        po(corrupt.path(), &["run", "po_ordered", "--json"], &[], 0),
    );

    // Hypotheses: built-in tests with intervals, and a custom verifier.
    let hypotheses = tempfile::tempdir().unwrap();
    let edited = run_bin_with_env(
        env!("CARGO_BIN_EXE_hypotheses"),
        hypotheses.path(),
        &["run", "--json"],
        &[("CRYSTALLIZE_TEST_HYPOTHESES", Path::new("edited"))],
    );
    assert_eq!(edited.code, 0, "{}", edited.stderr);
    keep("run with hypotheses", edited);

    // Retention prunes the first version on the second run.
    let versioned = tempfile::tempdir().unwrap();
    po(versioned.path(), &["run", "po_versioned"], &[], 0);
    keep(
        "run that prunes",
        po(versioned.path(), &["run", "po_versioned", "--json"], &[], 0),
    );
    out
}

#[test]
fn the_committed_schema_describes_every_report_field() {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let mut checker = Checker::new(&schema);
    for (what, report) in reports() {
        let before = checker.problems.len();
        checker.check(&schema, &report, "report", "report");
        assert_eq!(
            checker.problems.len(),
            before,
            "{what}: {:#?}\n{report:#}",
            &checker.problems[before..]
        );
    }
    // A code diff needs an edited build (see `resume_edits`): its shape is checked on a value.
    let diff = crystallize::report::CodeDiff {
        item: "step `scale`".into(),
        old: Some("1a47b176".into()),
        new: None,
        diff: String::new(),
        note: "no text stored".into(),
    };
    let diff = serde_json::to_value(diff).unwrap();
    checker.check(&schema["$defs"]["diff"], &diff, "diff", "diff");
    checker
        .seen
        .insert(("experiment".to_string(), "diffs".to_string()));
    assert!(checker.problems.is_empty(), "{:#?}", checker.problems);

    let missing: Vec<_> = declared(&schema)
        .difference(&checker.seen)
        .cloned()
        .collect();
    assert!(
        missing.is_empty(),
        "fields of the schema no output shows (test them): {missing:?}"
    );
}

/// The checker rejects what the schema forbids, so the test above can fail.
#[test]
fn the_checker_rejects_unknown_missing_and_mistyped_fields() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let bad = serde_json::json!({"experiments": [{
        "name": "x", "action": "exploded", "version": -1, "replicates": 1,
        "reasons": [{"kind": "first-run", "detail": 3}],
        "conditions": {"baseline": {"units_run": 1}},
        "artifacts": {}, "warnings": [], "pruned": [], "surprise": true
    }]});
    let mut checker = Checker::new(&schema);
    checker.check(&schema, &bad, "report", "report");
    let problems = checker.problems.join("\n");
    for expected in [
        "report.experiments[0].action: \"exploded\" is not one of",
        "report.experiments[0].version: -1 is below 0",
        "report.experiments[0].reasons[0].detail: 3 is not of type [\"string\"]",
        "report.experiments[0].conditions.baseline: required `action` is missing",
        "report.experiments[0]: `surprise` is not in the schema",
    ] {
        assert!(problems.contains(expected), "{expected}\n{problems}");
    }
}
