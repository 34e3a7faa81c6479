//! Grouping the decisions of a condition's units for display: units with the same reason form
//! one group with their replicates (`replicates 0-299: failed-before: ..`), so what `plan`, the
//! `-v` log and the report say stays a handful of lines at any number of replicates.

use std::collections::HashMap;
use std::hash::Hash;

use crate::decide::report::{Reason, ReasonKind, ranges};

use super::decision::{ConditionDecision, UnitView, Units};

/// At most this many distinct details of one reason kind are listed per condition; beyond, they
/// are merged into one line (`plan --explain` shows each unit's).
pub(crate) const MAX_DETAILS_PER_KIND: usize = 3;

/// Groups `(replicate, key)` pairs by key, in the order keys first appear, with the replicates
/// of each group in the order given.
pub(crate) fn group_by<K: Hash + Eq + Clone>(
    items: impl IntoIterator<Item = (u32, K)>,
) -> Vec<(K, Vec<u32>)> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut groups: Vec<(K, Vec<u32>)> = Vec::new();
    for (replicate, key) in items {
        match index.get(&key) {
            Some(&at) => groups[at].1.push(replicate),
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, vec![replicate]));
            }
        }
    }
    groups
}

/// Merges the groups of a kind with more than [`MAX_DETAILS_PER_KIND`] distinct details (failures
/// with a message per replicate, say) into one group: the first detail, and how many more.
pub(crate) fn collapse(groups: Vec<(Reason, Vec<u32>)>) -> Vec<(Reason, Vec<u32>)> {
    let mut per_kind: HashMap<ReasonKind, usize> = HashMap::new();
    for (reason, _) in &groups {
        *per_kind.entry(reason.kind).or_default() += 1;
    }
    let mut out: Vec<(Reason, Vec<u32>)> = Vec::new();
    let mut merged: HashMap<ReasonKind, usize> = HashMap::new();
    for (reason, replicates) in groups {
        let count = per_kind.get(&reason.kind).copied().unwrap_or(1);
        if count <= MAX_DETAILS_PER_KIND {
            out.push((reason, replicates));
            continue;
        }
        match merged.get(&reason.kind) {
            Some(&at) => out[at].1.extend(replicates),
            None => {
                merged.insert(reason.kind, out.len());
                let detail = format!(
                    "{} (and {} other detail(s) of this kind; `plan --explain EXPERIMENT/CONDITION/REPLICATE` shows one unit's)",
                    reason.detail,
                    count - 1
                );
                out.push((Reason::new(reason.kind, detail), replicates));
            }
        }
    }
    for (_, replicates) in &mut out {
        replicates.sort_unstable();
    }
    out
}

/// Whether a reason of this kind is about some units of a condition (and names their
/// replicates) rather than about the condition as a whole, when it covers every unit.
fn about_units(kind: ReasonKind) -> bool {
    matches!(
        kind,
        ReasonKind::FailedBefore
            | ReasonKind::MarkerMissing
            | ReasonKind::ArtifactMissing
            | ReasonKind::CorruptFile
            | ReasonKind::ReplicatesAdded
            | ReasonKind::UpstreamChanged
            | ReasonKind::SignatureUnchanged
    )
}

/// `reason`, naming `replicates` unless it covers all `total` units of a condition and is about
/// the condition as a whole.
fn with_replicates(mut reason: Reason, replicates: &[u32], total: usize) -> Reason {
    if replicates.len() < total || about_units(reason.kind) {
        reason.replicates = ranges(replicates);
    }
    reason
}

/// The reasons of one condition, grouped: the changes of its signature (about every unit), then
/// why units run, one line per reason with the replicates it concerns, then where units load
/// from. Units that run because of upstream content are summarised per upstream read.
pub(crate) fn condition_reasons(decided: &ConditionDecision) -> Vec<Reason> {
    let total = decided.units.len();
    let mut reasons: Vec<Reason> = decided.changes.clone();
    if let Units::AllRun { reason, .. } = &decided.units {
        // Every unit runs for one reason: one group (unless it is the signature change the
        // condition already says).
        if !decided.changes.contains(reason) {
            reasons.push(with_replicates(
                reason.clone(),
                &(0..total as u32).collect::<Vec<_>>(),
                total,
            ));
        }
        return reasons;
    }
    if let Units::Whole(whole) = &decided.units {
        // Every unit loads from one version: one group.
        let mut all = Reason::new(
            ReasonKind::SignatureUnchanged,
            format!(
                "loaded from {}",
                super::decision::label(whole.version, whole.staged)
            ),
        );
        all.replicates = ranges(&(0..total as u32).collect::<Vec<_>>());
        reasons.push(all);
        return reasons;
    }
    let mut upstream_units: Vec<u32> = Vec::new();
    let mut runs: Vec<(u32, Reason)> = Vec::new();
    // Grouped by where they load from, labelled once per group.
    let mut loads: Vec<(u32, (u32, bool))> = Vec::new();
    for (replicate, unit) in decided.units.iter().enumerate() {
        let replicate = replicate as u32;
        match unit {
            UnitView::Run(reason)
                if reason.kind == ReasonKind::UpstreamChanged && !decided.upstream.is_empty() =>
            {
                upstream_units.push(replicate);
            }
            UnitView::Run(reason) if decided.changes.contains(reason) => {}
            UnitView::Run(reason) => runs.push((replicate, reason.clone())),
            UnitView::Load(loaded) => loads.push((replicate, (loaded.version(), loaded.staged()))),
        }
    }
    for (reason, replicates) in collapse(group_by(runs)) {
        reasons.push(with_replicates(reason, &replicates, total));
    }
    if !upstream_units.is_empty() {
        // One summary per upstream read: the units are those of every read together, so they
        // are named when there is one read.
        let single = decided.upstream.len() == 1;
        for summary in &decided.upstream {
            let mut summary = summary.clone();
            if single {
                summary.replicates = ranges(&upstream_units);
            }
            reasons.push(summary);
        }
    }
    for ((version, staged), replicates) in group_by(loads) {
        reasons.push(with_replicates(
            Reason::new(
                ReasonKind::SignatureUnchanged,
                format!("loaded from {}", super::decision::label(version, staged)),
            ),
            &replicates,
            total,
        ));
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(message: &str) -> Reason {
        Reason::new(ReasonKind::FailedBefore, format!("failed in v0: {message}"))
    }

    #[test]
    fn identical_reasons_form_one_group_with_their_replicates() {
        let groups = group_by((0..300).map(|replicate| (replicate, failed("boom"))));
        assert_eq!(groups.len(), 1);
        assert_eq!(ranges(&groups[0].1), "0-299");
    }

    #[test]
    fn groups_keep_the_order_their_keys_first_appear_in() {
        let groups = group_by([(0, "b"), (1, "a"), (2, "b"), (3, "c")]);
        let keys: Vec<&str> = groups.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(groups[0].1, [0, 2]);
    }

    #[test]
    fn many_details_of_one_kind_collapse_into_one_line() {
        let groups =
            group_by((0..50).map(|replicate| (replicate, failed(&format!("r{replicate}")))));
        let collapsed = collapse(groups);
        assert_eq!(collapsed.len(), 1, "{collapsed:?}");
        assert_eq!(ranges(&collapsed[0].1), "0-49");
        assert!(
            collapsed[0]
                .0
                .detail
                .starts_with("failed in v0: r0 (and 49 other")
        );
        let few = collapse(group_by([(0, failed("a")), (1, failed("b"))]));
        assert_eq!(few.len(), 2);
    }

    #[test]
    fn a_group_names_its_replicates_unless_it_is_about_the_whole_condition() {
        let code = Reason::new(ReasonKind::CodeChanged, "step `s`: code hash a -> b");
        assert_eq!(
            with_replicates(code.clone(), &[0, 1], 2).line(),
            "code-changed: step `s`: code hash a -> b"
        );
        assert_eq!(with_replicates(code, &[1], 2).replicates, "1");
        let failure = with_replicates(failed("boom"), &(0..300).collect::<Vec<_>>(), 300);
        assert_eq!(
            failure.line(),
            "replicates 0-299: failed-before: failed in v0: boom"
        );
        assert_eq!(
            with_replicates(failed("x"), &[4], 5).line(),
            "replicate 4: failed-before: failed in v0: x"
        );
    }
}
