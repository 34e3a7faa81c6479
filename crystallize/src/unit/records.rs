//! The signature records of stages, built from what the macros emitted: a stage's own code, its
//! tracked helpers, every item it reaches and the registry crates it names; and the canonical
//! texts of those hashes.

use std::collections::BTreeMap;

use crate::key::signature::{
    CodeHash, DependencyRecord, HelperRecord, Reach, ReachRecord, StageRecord, TrackedCode,
};
use crate::unit::stage::StageInfo;

/// Builds the record of a stage named `name` from the macro-emitted info.
pub(crate) fn stage_record(name: &str, info: &StageInfo) -> StageRecord {
    let mut helpers = BTreeMap::new();
    let mut reaches: BTreeMap<&'static str, ReachRecord> = BTreeMap::new();
    let mut dependencies = std::collections::BTreeSet::new();
    let mut ignored = std::collections::BTreeSet::new();
    let mut add_reach = |reach: &Reach| {
        for item in reach.items {
            reaches.entry(item.path).or_insert_with(|| ReachRecord {
                path: item.path.to_string(),
                code: item.code,
                via: item.via.to_string(),
            });
        }
        for dependency in reach.dependencies {
            dependencies.insert(DependencyRecord {
                name: dependency.name.to_string(),
                version: dependency.version.to_string(),
                checksum: dependency.checksum.to_string(),
            });
        }
        ignored.extend(reach.ignored.iter().map(|path| path.to_string()));
    };
    add_reach(&info.reach);
    fn collect(
        into: &mut BTreeMap<String, CodeHash>,
        uses: &[TrackedCode],
        add_reach: &mut dyn FnMut(&Reach),
    ) {
        for helper in uses {
            if into.insert(helper.path(), helper.code).is_none() {
                add_reach(&helper.reach);
                collect(into, helper.uses, add_reach);
            }
        }
    }
    collect(&mut helpers, info.uses, &mut add_reach);
    // A helper named in `uses(..)` is recorded there; not twice.
    let own_crate = info.module.split("::").next().unwrap_or_default();
    let helper_paths: std::collections::BTreeSet<String> = helpers
        .keys()
        .map(|path| match path.split_once("::") {
            Some((first, rest)) if first == own_crate => format!("crate::{rest}"),
            _ => path.clone(),
        })
        .collect();
    reaches.retain(|path, _| !helper_paths.contains(*path));
    StageRecord {
        name: name.to_string(),
        kind: info.kind.as_str().to_string(),
        code: info.code,
        uses: helpers
            .into_iter()
            .map(|(name, code)| HelperRecord { name, code })
            .collect(),
        reaches: reaches.into_values().collect(),
        dependencies: dependencies.into_iter().collect(),
        ignored: ignored.into_iter().collect(),
    }
}

/// The canonical text of every code hash a stage's record holds (its own, its helpers', and
/// every item it reaches), by hash: what `plan --diff` compares with the text stored when an
/// earlier run recorded the old hash.
pub(crate) fn code_texts(info: &StageInfo, into: &mut BTreeMap<CodeHash, &'static str>) {
    fn add_reach(reach: &Reach, code: CodeHash, into: &mut BTreeMap<CodeHash, &'static str>) {
        if !reach.text.is_empty() {
            into.insert(code, reach.text);
        }
        for item in reach.items {
            into.insert(item.code, item.text);
        }
    }
    fn add_helpers(uses: &[TrackedCode], into: &mut BTreeMap<CodeHash, &'static str>) {
        for helper in uses {
            if !into.contains_key(&helper.code) {
                add_reach(&helper.reach, helper.code, into);
                add_helpers(helper.uses, into);
            }
        }
    }
    add_reach(&info.reach, info.code, into);
    add_helpers(info.uses, into);
}
