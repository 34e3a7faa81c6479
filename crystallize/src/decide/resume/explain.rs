//! Explaining a changed signature: every component that differs between the stored record and
//! the current one, with old → new values (which step, which helper, which param, which payload
//! key, which upstream artifact).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::decide::report::{Reason, ReasonKind};
use crate::key::signature::{ConditionRecord, StageRecord};

use super::reason;

/// Every difference between a stored and a current record, as reasons with old → new values.
pub(super) fn explain_change(
    condition: &str,
    old: &ConditionRecord,
    new: &ConditionRecord,
    old_payload: Option<&Value>,
    new_payload: &Value,
) -> Vec<Reason> {
    if old.key_scheme != new.key_scheme {
        // Records of another scheme are not comparable component by component: the key
        // scheme is the one change to report.
        return vec![reason(
            ReasonKind::KeySchemeChanged,
            format!(
                "key scheme {} -> {} (written by another version of crystallize; runs once)",
                old.key_scheme, new.key_scheme
            ),
        )];
    }
    let mut reasons = Vec::new();
    let names = |stages: &[StageRecord]| {
        stages
            .iter()
            .map(|stage| stage.name.as_str())
            .collect::<Vec<_>>()
            .join(" -> ")
    };
    if names(&old.stages) != names(&new.stages) {
        reasons.push(reason(
            ReasonKind::CodeChanged,
            format!("pipeline {} -> {}", names(&old.stages), names(&new.stages)),
        ));
    } else {
        for (before, after) in old.stages.iter().zip(&new.stages) {
            if before.code != after.code {
                reasons.push(reason(
                    ReasonKind::CodeChanged,
                    format!(
                        "{} `{}`: code hash {} -> {}",
                        after.kind,
                        after.name,
                        before.code.short(),
                        after.code.short()
                    ),
                ));
            }
            let before_helpers: BTreeMap<&str, _> = before
                .uses
                .iter()
                .map(|h| (h.name.as_str(), h.code))
                .collect();
            let after_helpers: BTreeMap<&str, _> = after
                .uses
                .iter()
                .map(|h| (h.name.as_str(), h.code))
                .collect();
            for (helper, code) in &after_helpers {
                match before_helpers.get(helper) {
                    Some(old_code) if old_code == code => {}
                    Some(old_code) => reasons.push(reason(
                        ReasonKind::CodeChanged,
                        format!(
                            "{} `{}`: helper `{helper}` code hash {} -> {}",
                            after.kind,
                            after.name,
                            old_code.short(),
                            code.short()
                        ),
                    )),
                    None => reasons.push(reason(
                        ReasonKind::CodeChanged,
                        format!(
                            "{} `{}`: now uses helper `{helper}`",
                            after.kind, after.name
                        ),
                    )),
                }
            }
            for helper in before_helpers.keys() {
                if !after_helpers.contains_key(helper) {
                    reasons.push(reason(
                        ReasonKind::CodeChanged,
                        format!(
                            "{} `{}`: no longer uses helper `{helper}`",
                            after.kind, after.name
                        ),
                    ));
                }
            }
            reasons.extend(reach_changes(before, after));
        }
    }
    match (&old.environment, &new.environment) {
        (Some(before), Some(after)) if before != after => reasons.push(reason(
            ReasonKind::EnvironmentChanged,
            format!("toolchain: {}", after.differences(before).join(", ")),
        )),
        (None, Some(_)) => reasons.push(reason(
            ReasonKind::EnvironmentChanged,
            "strict environment: the toolchain is now part of the key",
        )),
        (Some(_), None) => reasons.push(reason(
            ReasonKind::EnvironmentChanged,
            "the toolchain is no longer part of the key (strict environment off)",
        )),
        _ => {}
    }
    if old.seed != new.seed {
        reasons.push(reason(
            ReasonKind::ParamsChanged,
            format!("master seed {} -> {}", old.seed, new.seed),
        ));
    }
    if old.seed_scheme != new.seed_scheme {
        reasons.push(reason(
            ReasonKind::CodeChanged,
            format!("seed scheme {} -> {}", old.seed_scheme, new.seed_scheme),
        ));
    }
    for after in &new.upstream {
        let before = old
            .upstream
            .iter()
            .find(|read| read.producer == after.producer && read.file == after.file);
        let what = format!("upstream `{}` artifact `{}`", after.producer, after.file);
        match before {
            None => reasons.push(reason(
                ReasonKind::UpstreamChanged,
                format!("{what}: newly read"),
            )),
            Some(before) if before == after => {}
            Some(before) if before.condition != after.condition => reasons.push(reason(
                ReasonKind::UpstreamChanged,
                format!(
                    "{what}: reads condition `{}` -> `{}`",
                    before.condition, after.condition
                ),
            )),
            Some(before) if before.replicates != after.replicates => reasons.push(reason(
                ReasonKind::UpstreamChanged,
                format!(
                    "{what}: producer replicates {} -> {}",
                    before.replicates, after.replicates
                ),
            )),
            Some(before) => {
                let changed: Vec<u32> = (0..before.hashes.len().max(after.hashes.len()))
                    .filter(|&index| before.hashes.get(index) != after.hashes.get(index))
                    .map(|index| index as u32)
                    .collect();
                reasons.push(reason(
                    ReasonKind::UpstreamChanged,
                    format!(
                        "{what} (condition `{}`): content of producer replicate(s) {} changed",
                        after.condition,
                        crate::decide::report::ranges(&changed)
                    ),
                ));
            }
        }
    }
    for before in &old.upstream {
        if !new
            .upstream
            .iter()
            .any(|read| read.producer == before.producer && read.file == before.file)
        {
            reasons.push(reason(
                ReasonKind::CodeChanged,
                format!(
                    "no longer reads upstream `{}` artifact `{}`",
                    before.producer, before.file
                ),
            ));
        }
    }
    let payload_changed = old_payload.is_some_and(|old| old != new_payload);
    for (key, before, after) in value_diff(&old.params, &new.params) {
        let in_payload =
            new_payload.get(&key).is_some() || old_payload.and_then(|old| old.get(&key)).is_some();
        if payload_changed && in_payload && condition != crate::define::experiment::BASELINE {
            reasons.push(reason(
                ReasonKind::TreatmentChanged,
                format!("treatment `{condition}`: param `{key}` {before} -> {after}"),
            ));
        } else {
            reasons.push(reason(
                ReasonKind::ParamsChanged,
                format!("param `{key}`: {before} -> {after}"),
            ));
        }
    }
    reasons
}

/// An item whose code changed between two records: what `plan --diff` shows as a diff.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CodeChange {
    /// The item: `step \`scale\``, `crate::helpers::mean`, `edit_fixture::helpers::mean`.
    pub item: String,
    /// Its hash in the old record (`None`: newly reached).
    pub old: Option<crate::key::signature::CodeHash>,
    /// Its hash now (`None`: no longer reached).
    pub new: Option<crate::key::signature::CodeHash>,
}

/// Every item whose code differs between the stages of two records, by item.
pub(crate) fn code_changes(old: &ConditionRecord, new: &ConditionRecord) -> Vec<CodeChange> {
    let mut changes = std::collections::BTreeSet::new();
    for after in &new.stages {
        let before = old.stages.iter().find(|stage| stage.name == after.name);
        let item = format!("{} `{}`", after.kind, after.name);
        match before {
            Some(before) if before.code == after.code => {}
            before => {
                changes.insert(CodeChange {
                    item,
                    old: before.map(|before| before.code),
                    new: Some(after.code),
                });
            }
        }
        let empty = StageRecord {
            name: String::new(),
            kind: String::new(),
            code: crate::key::signature::CodeHash([0; 32]),
            uses: Vec::new(),
            reaches: Vec::new(),
            dependencies: Vec::new(),
            ignored: Vec::new(),
        };
        let before = before.unwrap_or(&empty);
        let pairs = |record: &StageRecord| -> BTreeMap<String, crate::key::signature::CodeHash> {
            record
                .uses
                .iter()
                .map(|helper| (helper.name.clone(), helper.code))
                .chain(
                    record
                        .reaches
                        .iter()
                        .map(|item| (item.path.clone(), item.code)),
                )
                .collect()
        };
        let (old_items, new_items) = (pairs(before), pairs(after));
        for (path, code) in &new_items {
            if old_items.get(path) != Some(code) {
                changes.insert(CodeChange {
                    item: path.clone(),
                    old: old_items.get(path).copied(),
                    new: Some(*code),
                });
            }
        }
        for (path, code) in &old_items {
            if !new_items.contains_key(path) {
                changes.insert(CodeChange {
                    item: path.clone(),
                    old: Some(*code),
                    new: None,
                });
            }
        }
    }
    changes.into_iter().collect()
}

/// What changed in the code a stage reaches: items whose hash changed (with the path by which the
/// stage reaches them), items reached or no longer reached, registry crates whose locked version
/// changed, and `ignore(..)` lists.
fn reach_changes(before: &StageRecord, after: &StageRecord) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let stage = format!("{} `{}`", after.kind, after.name);
    let old: BTreeMap<&str, _> = before
        .reaches
        .iter()
        .map(|item| (item.path.as_str(), item))
        .collect();
    let new: BTreeMap<&str, _> = after
        .reaches
        .iter()
        .map(|item| (item.path.as_str(), item))
        .collect();
    let via = |via: &str| {
        if via.is_empty() {
            String::new()
        } else {
            format!(" (via `{via}`)")
        }
    };
    for (path, item) in &new {
        match old.get(path) {
            Some(previous) if previous.code == item.code => {}
            Some(previous) => reasons.push(reason(
                ReasonKind::CodeChanged,
                format!(
                    "{stage} reaches `{path}`{}: code hash {} -> {}",
                    via(&item.via),
                    previous.code.short(),
                    item.code.short()
                ),
            )),
            None => reasons.push(reason(
                ReasonKind::CodeChanged,
                format!("{stage} now reaches `{path}`{}", via(&item.via)),
            )),
        }
    }
    for path in old.keys() {
        if !new.contains_key(path) {
            reasons.push(reason(
                ReasonKind::CodeChanged,
                format!("{stage} no longer reaches `{path}`"),
            ));
        }
    }
    let versions = |record: &StageRecord| -> BTreeMap<String, (String, String)> {
        record
            .dependencies
            .iter()
            .map(|dependency| {
                (
                    dependency.name.clone(),
                    (dependency.version.clone(), dependency.checksum.clone()),
                )
            })
            .collect()
    };
    let (old_versions, new_versions) = (versions(before), versions(after));
    for (name, (version, checksum)) in &new_versions {
        match old_versions.get(name) {
            Some((old_version, old_checksum))
                if old_version == version && old_checksum == checksum => {}
            Some((old_version, _)) if old_version == version => reasons.push(reason(
                ReasonKind::DependencyChanged,
                format!("{stage}: {name} {version}: its checksum changed"),
            )),
            Some((old_version, _)) => reasons.push(reason(
                ReasonKind::DependencyChanged,
                format!("{stage}: {name} {old_version} -> {version}"),
            )),
            None => reasons.push(reason(
                ReasonKind::DependencyChanged,
                format!("{stage}: now uses {name} {version}"),
            )),
        }
    }
    for name in old_versions.keys() {
        if !new_versions.contains_key(name) {
            reasons.push(reason(
                ReasonKind::DependencyChanged,
                format!("{stage}: no longer uses {name}"),
            ));
        }
    }
    if before.ignored != after.ignored {
        reasons.push(reason(
            ReasonKind::CodeChanged,
            format!(
                "{stage}: ignores [{}] -> [{}]",
                before.ignored.join(", "),
                after.ignored.join(", ")
            ),
        ));
    }
    reasons
}

/// Keys whose values differ between two JSON objects, with readable old and new values.
fn value_diff(old: &Value, new: &Value) -> Vec<(String, String, String)> {
    let empty = serde_json::Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let show = |value: Option<&Value>| value.map_or("(unset)".to_string(), Value::to_string);
    keys.into_iter()
        .filter(|key| old.get(*key) != new.get(*key))
        .map(|key| (key.clone(), show(old.get(key)), show(new.get(key))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::signature::{CodeHash, KEY_SCHEME};
    use serde_json::json;

    fn record(params: Value) -> ConditionRecord {
        let stage = StageRecord {
            name: "scale".into(),
            kind: "step".into(),
            code: CodeHash::of(b"scale"),
            uses: vec![],
            reaches: vec![],
            dependencies: vec![],
            ignored: vec![],
        };
        ConditionRecord::new(vec![stage], params, 0, 1)
    }

    #[test]
    fn a_key_scheme_change_is_the_one_reason_given() {
        let new = record(json!({"factor": 2.0}));
        let mut old = record(json!({"factor": 1.0}));
        old.key_scheme = KEY_SCHEME - 1;
        let reasons = explain_change("baseline", &old, &new, None, &json!({}));
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert_eq!(reasons[0].kind, ReasonKind::KeySchemeChanged);
        assert!(
            reasons[0]
                .detail
                .starts_with(&format!("key scheme {} -> {KEY_SCHEME}", KEY_SCHEME - 1)),
            "{reasons:?}"
        );
    }

    #[test]
    fn a_seed_scheme_change_is_a_code_change() {
        let new = record(json!({}));
        let mut old = new.clone();
        old.seed_scheme = 0;
        let reasons = explain_change("baseline", &old, &new, None, &json!({}));
        assert_eq!(
            reasons,
            [reason(ReasonKind::CodeChanged, "seed scheme 0 -> 1")]
        );
    }
}
