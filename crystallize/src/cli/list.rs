//! `list`: the registered experiments, as a table or JSON. Inherited treatments read
//! `name (inherited from producer)` in the table, and are listed under `inherited`
//! (treatment → the upstream experiments defining it) in JSON.

use comfy_table::{Table, presets};

use crate::define::experiment::Condition;
use crate::define::registration::Registered;

use super::{EXIT_FAILED, print_stdout};

/// The inherited treatments of `registered`: name → the upstream experiments defining it.
pub(super) fn inherited(registered: &Registered) -> serde_json::Map<String, serde_json::Value> {
    registered
        .experiment
        .treatments()
        .iter()
        .filter(|treatment| treatment.is_inherited())
        .map(|treatment| {
            (
                treatment.name.clone(),
                serde_json::json!(treatment.inherited_from),
            )
        })
        .collect()
}

pub(super) fn list(registered: &[Registered], json: bool) -> i32 {
    if json {
        let entries: Vec<serde_json::Value> = registered
            .iter()
            .map(|r| {
                let options = &r.registration.options;
                serde_json::json!({
                    "name": r.name(),
                    "replicates": options.replicates,
                    "strategy": options.strategy.as_str(),
                    "versioned": options.versioned,
                    "description": options.description,
                    "executor": options.executor.map(|kind| kind.as_str()),
                    "resources": options.resources,
                    "stages": r.experiment.stages().iter().map(|s| &*s.name).collect::<Vec<_>>(),
                    "conditions": r.experiment.conditions().into_iter().map(|c| c.name).collect::<Vec<_>>(),
                    "inherited": inherited(r),
                    "outputs": r.experiment.outputs(),
                    "defined_at": r.registration.location(),
                })
            })
            .collect();
        return match serde_json::to_string_pretty(&serde_json::json!({ "experiments": entries })) {
            Ok(text) => print_stdout(&(text + "\n")),
            Err(error) => {
                eprintln!("error: cannot print the list: {error}");
                EXIT_FAILED
            }
        };
    }
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    crate::output::width::fit(&mut table);
    table.set_header(vec![
        "experiment",
        "replicates",
        "conditions",
        "pipeline",
        "description",
    ]);
    for r in registered {
        let options = &r.registration.options;
        table.add_row(vec![
            r.name().to_string(),
            options.replicates.to_string(),
            r.experiment
                .conditions()
                .iter()
                .map(Condition::label)
                .collect::<Vec<_>>()
                .join(", "),
            r.experiment
                .stages()
                .iter()
                .map(|s| s.name.to_string())
                .collect::<Vec<_>>()
                .join(" -> "),
            options.description.unwrap_or("").to_string(),
        ]);
    }
    print_stdout(&format!("{table}\n"))
}
