//! `plan --diff`: for every item whose code changed since the run a condition is compared with,
//! a unified diff of its canonical text then (stored under `data/.code/` by that run) and now
//! (embedded in the binary by the macros).

use std::collections::BTreeMap;
use std::path::Path;

use similar::Algorithm;
use similar::udiff::unified_diff;

use crate::decide::plan::ExperimentPlan;
use crate::decide::report::CodeDiff;
use crate::decide::resume::{CodeChange, Decision};
use crate::key::signature::CodeHash;
use crate::store::code::read_text;
use crate::unit::records::code_texts;

/// The canonical texts of everything the plan's stages record, by hash.
pub(crate) fn plan_texts(plan: &ExperimentPlan<'_>) -> BTreeMap<CodeHash, &'static str> {
    let mut texts = BTreeMap::new();
    for stage in plan.registered.experiment.stages() {
        if let Some(info) = &stage.info {
            code_texts(info, &mut texts);
        }
    }
    texts
}

/// The diffs of every code change the decision found, once per (item, old, new).
pub(crate) fn diffs(plan: &ExperimentPlan<'_>, decision: &Decision, root: &Path) -> Vec<CodeDiff> {
    let changes: Vec<&CodeChange> = decision
        .conditions
        .iter()
        .flat_map(|condition| &condition.code_changes)
        .collect();
    render(&plan_texts(plan), changes, root)
}

/// `show --diff`: what changed in the code of `registered` since its newest readable run.
pub(crate) fn diffs_since_latest(
    registered: &crate::define::registration::Registered,
    root: &crate::store::layout::DataRoot,
) -> Vec<CodeDiff> {
    let Some((_, _, metadata)) =
        crate::store::version::newest_usable(&root.experiment_dir(registered.name()))
    else {
        return Vec::new();
    };
    let Ok(plans) =
        crate::decide::plan::plan(&[registered], &crate::decide::plan::Overrides::default())
    else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for plan in &plans {
        for condition in &plan.conditions {
            if let Some(stored) = metadata.condition_record(&condition.name) {
                changes.extend(crate::decide::resume::code_changes(
                    &stored,
                    &condition.record,
                ));
            }
        }
    }
    let texts = plans.iter().flat_map(plan_texts).collect();
    render(&texts, changes.iter().collect(), root.path())
}

fn render(
    texts: &BTreeMap<CodeHash, &'static str>,
    mut changes: Vec<&CodeChange>,
    root: &Path,
) -> Vec<CodeDiff> {
    changes.sort();
    changes.dedup();
    changes
        .into_iter()
        .map(|change| {
            let old = change.old.map(|hash| read_text(root, hash));
            let new = change.new.map(|hash| texts.get(&hash).map(|text| text.to_string()));
            let mut note = String::new();
            let old_text = match old {
                None => String::new(),
                Some(Some(text)) => text,
                Some(None) => {
                    note = "the old text was not stored (the run compared with predates stored texts, or data/.code was removed)".to_string();
                    String::new()
                }
            };
            let new_text = match new {
                None => String::new(),
                Some(Some(text)) => text,
                Some(None) => {
                    note = "the new text is not in this binary".to_string();
                    String::new()
                }
            };
            let diff = if note.is_empty() {
                unified_diff(
                    Algorithm::Myers,
                    &ensure_newline(&old_text),
                    &ensure_newline(&new_text),
                    3,
                    Some((
                        &format!("a/{} (compared run)", change.item),
                        &format!("b/{} (now)", change.item),
                    )),
                )
            } else {
                String::new()
            };
            CodeDiff {
                item: change.item.clone(),
                old: change.old.map(|hash| hash.short()),
                new: change.new.map(|hash| hash.short()),
                diff,
                note,
            }
        })
        .collect()
}

fn ensure_newline(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}
