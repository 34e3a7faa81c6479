//! `show EXP`: one experiment's definition (pipeline with code hashes, params, treatments and
//! which of them are inherited from upstream, outputs, inputs, consumers, hypotheses) and its latest run (per condition: complete or not, each metric's
//! mean ± sd and n; the verdicts of its hypotheses).

use serde_json::{Value, json};

use crate::define::graph::Graph;
use crate::define::registration::Registered;
use crate::output::stats::{format_number, summarize};
use crate::store::files;
use crate::store::layout::{self, DataRoot, MARKER, METADATA, RESULTS};
use crate::store::marker::Marker;
use crate::store::records::{ResultsFile, read_record};
use crate::store::version::{list_versions, newest_usable};

use super::{EXIT_FAILED, EXIT_USAGE, print_stdout};

/// The latest run of an experiment, as `show` describes it: its conditions in the order of
/// `order` (the definition's), then those the definition no longer has, by name.
fn latest_run(root: &DataRoot, name: &str, order: &[String]) -> Value {
    let dir = root.experiment_dir(name);
    let Some((version, version_dir, metadata)) = newest_usable(&dir) else {
        let versions = list_versions(&dir).unwrap_or_default();
        let Some(version) = versions.last().copied() else {
            return Value::Null;
        };
        let version_dir = layout::version_dir(&dir, version);
        return json!({
            "version": version,
            "problem": format!("{} is missing or unreadable", version_dir.join(METADATA).display()),
        });
    };
    let rank = |condition: &str| {
        order
            .iter()
            .position(|known| known == condition)
            .unwrap_or(order.len())
    };
    let mut stored_conditions: Vec<_> = metadata.conditions.iter().collect();
    stored_conditions.sort_by_key(|(condition, _)| (rank(condition), condition.as_str()));
    let conditions: serde_json::Map<String, Value> = stored_conditions
        .into_iter()
        .map(|(condition, stored)| {
            let condition_dir = layout::condition_dir(&version_dir, condition);
            let complete = files::read(&condition_dir.join(MARKER))
                .is_ok_and(|marker| Marker::parse(&marker).key == stored.key.hex());
            let metrics: serde_json::Map<String, Value> =
                read_record::<ResultsFile>(&condition_dir.join(RESULTS))
                    .map(|results| {
                        results
                            .metrics
                            .iter()
                            .map(|(metric, values)| {
                                let summary = summarize(values);
                                (
                                    metric.clone(),
                                    json!({"n": summary.n, "mean": summary.mean, "sd": summary.sd}),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
            (
                condition.clone(),
                json!({"complete": complete, "metrics": metrics}),
            )
        })
        .collect();
    let (verdicts, verdicts_problem) = match super::verdicts::stored(&version_dir) {
        Ok(verdicts) => (serde_json::to_value(verdicts).unwrap_or(Value::Null), None),
        Err(problem) => (Value::Null, Some(problem)),
    };
    json!({
        "version": version,
        "verdicts": verdicts,
        "verdicts_problem": verdicts_problem,
        "status": metadata.status,
        "replicates": metadata.replicates,
        "started": metadata.provenance.started,
        "duration_s": metadata.provenance.duration_s,
        "conditions": conditions,
    })
}

fn describe(registered: &Registered, graph: &Graph, root: &DataRoot) -> Value {
    let experiment = &registered.experiment;
    let options = &registered.registration.options;
    let stages: Vec<Value> = experiment
        .stages()
        .iter()
        .map(|stage| {
            let record = crate::define::records::stage_record_of(stage);
            json!({
                "name": record.name,
                "kind": record.kind,
                "code": record.code,
                "uses": record.uses,
                "params": stage.info.map(|info| info.params).unwrap_or_default(),
                "optional_params": stage.info.map(|info| {
                    info.param_args()
                        .filter(|(_, optional)| *optional)
                        .map(|(name, _)| name)
                        .collect::<Vec<_>>()
                }).unwrap_or_default(),
                "context_params": stage.info.map(|info| info.reads).unwrap_or_default(),
                "context_params_unknown": stage.info.is_some_and(|info| info.reads_unknown),
                "cache": stage.cached(),
                "reads": stage.input.as_ref().map(|input| format!("{}/{}", input.producer, input.file)),
                "reaches": record.reaches,
                "dependencies": record.dependencies,
                "ignored": record.ignored,
                "untracked": stage.info.map(|info| info.reach.untracked).unwrap_or_default(),
            })
        })
        .collect();
    let conditions: serde_json::Map<String, Value> = experiment
        .conditions()
        .into_iter()
        .map(|condition| (condition.name, condition.params.to_value()))
        .collect();
    json!({
        "name": registered.name(),
        "description": options.description,
        "defined_at": registered.registration.location(),
        "module": registered.registration.module,
        "replicates": options.replicates,
        "strategy": options.strategy.as_str(),
        "seed": options.seed.unwrap_or(crate::key::seed::DEFAULT_MASTER_SEED),
        "versioned": options.versioned,
        "retention": options.retention,
        "executor": options.executor.map(|kind| kind.as_str()),
        "resources": options.resources,
        "stages": stages,
        "conditions": conditions,
        "inherited": super::list::inherited(registered),
        "outputs": experiment.outputs(),
        "hypotheses": super::verdicts::declared(experiment),
        "read_by": graph.consumers_of(registered.name()),
        "latest_run": latest_run(root, registered.name(), &experiment.condition_names()),
    })
}

fn render(shown: &Value) -> String {
    let mut out = render_definition(shown);
    if let Some(diffs) = shown["diffs"].as_array() {
        if diffs.is_empty() {
            out.push_str("code: unchanged since the latest run\n");
        }
        for diff in diffs {
            out.push_str(&format!(
                "\n{}: code {} -> {}\n",
                diff["item"].as_str().unwrap_or_default(),
                diff["old"].as_str().unwrap_or("(not reached)"),
                diff["new"].as_str().unwrap_or("(not reached)")
            ));
            match diff["note"].as_str() {
                Some(note) => out.push_str(&format!("(no diff: {note})\n")),
                None => out.push_str(diff["diff"].as_str().unwrap_or_default()),
            }
        }
    }
    out
}

/// `  executor slurm; resources: cpus 4, mem 8G, time 01:00:00, gpus 1`, with what the
/// experiment declares (nothing when it declares neither).
fn render_placement(shown: &Value) -> String {
    let resources: Vec<String> = ["cpus", "mem", "time", "gpus"]
        .into_iter()
        .filter_map(|name| match &shown["resources"][name] {
            Value::Null => None,
            Value::String(text) => Some(format!("{name} {text}")),
            value => Some(format!("{name} {value}")),
        })
        .collect();
    let mut parts = Vec::new();
    if let Some(executor) = shown["executor"].as_str() {
        parts.push(format!("executor {executor}"));
    }
    if !resources.is_empty() {
        parts.push(format!("resources: {}", resources.join(", ")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  {}\n", parts.join("; "))
    }
}

fn render_definition(shown: &Value) -> String {
    let mut out = shown["name"].as_str().unwrap_or_default().to_string();
    if let Some(description) = shown["description"].as_str() {
        out.push_str(&format!(": {description}"));
    }
    out.push_str(&format!(
        "\n  defined at {} ({})\n  {} replicates, strategy {}, seed {}, {}\n",
        shown["defined_at"].as_str().unwrap_or_default(),
        shown["module"].as_str().unwrap_or_default(),
        shown["replicates"],
        shown["strategy"].as_str().unwrap_or_default(),
        shown["seed"],
        match (shown["versioned"].as_bool(), shown["retention"].as_u64()) {
            (Some(true), Some(keep)) => format!("versioned, keeping {keep} versions whole"),
            (Some(true), None) => "versioned".to_string(),
            _ => "not versioned (v0)".to_string(),
        }
    ));
    out.push_str(&render_placement(shown));
    out.push_str("  pipeline:\n");
    for stage in shown["stages"].as_array().into_iter().flatten() {
        let code = stage["code"].as_str().unwrap_or_default();
        out.push_str(&format!(
            "    {:<6} {:<20} {}",
            stage["kind"].as_str().unwrap_or_default(),
            stage["name"].as_str().unwrap_or_default(),
            &code[..code.len().min(8)]
        ));
        if let Some(reads) = stage["reads"].as_str() {
            out.push_str(&format!("  reads {reads}"));
        }
        let params: Vec<&str> = stage["params"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let optional = |name: &str| {
            stage["optional_params"]
                .as_array()
                .is_some_and(|names| names.iter().any(|n| n == name))
        };
        let params: Vec<String> = params
            .into_iter()
            .map(|name| {
                if optional(name) {
                    format!("{name} (optional)")
                } else {
                    name.to_string()
                }
            })
            .collect();
        if !params.is_empty() {
            out.push_str(&format!("  params: {}", params.join(", ")));
        }
        let context: Vec<&str> = stage["context_params"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if !context.is_empty() {
            out.push_str(&format!("  reads from its context: {}", context.join(", ")));
        }
        if stage["context_params_unknown"].as_bool() == Some(true) {
            out.push_str("  may read any param from its context");
        }
        if stage["cache"].as_bool() == Some(true) {
            out.push_str("  cached");
        }
        for helper in stage["uses"].as_array().into_iter().flatten() {
            let code = helper["code"].as_str().unwrap_or_default();
            out.push_str(&format!(
                "\n           uses {} {}",
                helper["name"].as_str().unwrap_or_default(),
                &code[..code.len().min(8)]
            ));
        }
        for item in stage["reaches"].as_array().into_iter().flatten() {
            let code = item["code"].as_str().unwrap_or_default();
            out.push_str(&format!(
                "\n           reaches {} {}",
                item["path"].as_str().unwrap_or_default(),
                &code[..code.len().min(8)]
            ));
            if let Some(via) = item["via"].as_str() {
                out.push_str(&format!(" (via {via})"));
            }
        }
        for dependency in stage["dependencies"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "\n           depends on {} {}",
                dependency["name"].as_str().unwrap_or_default(),
                dependency["version"].as_str().unwrap_or_default()
            ));
        }
        for ignored in stage["ignored"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "\n           ignores {}",
                ignored.as_str().unwrap_or_default()
            ));
        }
        for note in stage["untracked"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "\n           untracked: {}",
                note.as_str().unwrap_or_default()
            ));
        }
        out.push('\n');
    }
    out.push_str("  conditions:\n");
    for (name, params) in shown["conditions"].as_object().into_iter().flatten() {
        let origins: Vec<String> = shown["inherited"][name]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        let label = crate::define::experiment::inherited_label(name, &origins);
        out.push_str(&format!("    {label:<12} {params}\n"));
    }
    let list = |value: &Value| -> String {
        let items: Vec<&str> = value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if items.is_empty() {
            "none".to_string()
        } else {
            items.join(", ")
        }
    };
    out.push_str(&format!(
        "  outputs: {}\n  read by: {}\n",
        list(&shown["outputs"]),
        list(&shown["read_by"])
    ));
    out.push_str(&super::verdicts::render_declared(&shown["hypotheses"]));
    let run = &shown["latest_run"];
    if run.is_null() {
        out.push_str("latest run: none\n");
        return out;
    }
    if let Some(problem) = run["problem"].as_str() {
        out.push_str(&format!("latest run: v{}: {problem}\n", run["version"]));
        return out;
    }
    out.push_str(&format!(
        "latest run: v{} ({}, {} replicates, started {}, {} s)\n",
        run["version"],
        run["status"].as_str().unwrap_or_default(),
        run["replicates"],
        run["started"].as_str().unwrap_or_default(),
        format_number(run["duration_s"].as_f64().unwrap_or_default())
    ));
    for (name, condition) in run["conditions"].as_object().into_iter().flatten() {
        out.push_str(&format!(
            "    {name:<12} {:<10}",
            if condition["complete"].as_bool() == Some(true) {
                "complete"
            } else {
                "incomplete"
            }
        ));
        for (metric, summary) in condition["metrics"].as_object().into_iter().flatten() {
            let number = |key: &str| format_number(summary[key].as_f64().unwrap_or(f64::NAN));
            out.push_str(&format!(
                "  {metric} {} ± {} ({})",
                number("mean"),
                number("sd"),
                summary["n"]
            ));
        }
        out.push('\n');
    }
    if let Ok(verdicts) =
        serde_json::from_value::<crate::decide::verdicts::HypothesesReport>(run["verdicts"].clone())
    {
        out.push_str(&crate::output::verdicts::render(
            &verdicts.hypotheses,
            Some(verdicts.correction),
        ));
    }
    if let Some(problem) = run["verdicts_problem"].as_str() {
        out.push_str(&format!("verdicts: {problem}\n"));
    }
    out
}

pub(super) fn show(
    registered: &[Registered],
    graph: &Graph,
    name: &str,
    root: &DataRoot,
    json: bool,
    diff: bool,
) -> i32 {
    let Some(found) = registered.iter().find(|r| r.name() == name) else {
        let known: Vec<&str> = registered.iter().map(Registered::name).collect();
        eprintln!(
            "error: unknown experiment `{name}`; known experiments: {}",
            known.join(", ")
        );
        return EXIT_USAGE;
    };
    let mut shown = describe(found, graph, root);
    if diff {
        shown["diffs"] =
            serde_json::to_value(crate::decide::codediff::diffs_since_latest(found, root))
                .unwrap_or(Value::Null);
    }
    if !json {
        return print_stdout(&render(&shown));
    }
    match serde_json::to_string_pretty(&shown) {
        Ok(text) => print_stdout(&(text + "\n")),
        Err(error) => {
            eprintln!("error: cannot print `{name}`: {error}");
            EXIT_FAILED
        }
    }
}
