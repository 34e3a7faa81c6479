//! The newest finished version as the source of a run: whether every unit loads from it as it
//! stands (then nothing is written), the upstream versions it read, and a note when the
//! toolchain changed since it ran.

use std::collections::BTreeMap;

use crate::store::layout::MANIFEST;
use crate::store::records::{RecordError, manifest_of};

use super::current::Current;
use super::decision::{Decision, UnitDecision, UnitView, Units};
use super::history::{History, VersionState};
use super::observe::Observe;
use crate::store::journal::ArtifactEntry;

/// Fills in `decision`'s source: everything loads from the newest finished version, with the
/// same replicates and no condition the definition dropped, means nothing to write. (An
/// unfinished newer one, left by an interrupted run, stays for `gc`.)
pub(super) fn note_source(
    decision: &mut Decision,
    current: &Current<'_>,
    history: &mut History,
    observed: &mut impl Observe,
    warnings: &mut Vec<String>,
) {
    // Read even under `rerun`: where a run that writes puts its version depends on it.
    let newest_complete = history.newest_complete(observed, warnings);
    let Some(newest) = newest_complete.and_then(|index| history.get(index)) else {
        return;
    };
    if current.rerun() {
        return;
    }
    let from_newest = |unit: UnitView<'_>| match unit {
        UnitView::Load(loaded) => {
            loaded.version() == newest.version() && loaded.staged() == newest.candidate.staged
        }
        UnitView::Run(_) => false,
    };
    if decision
        .all_units()
        .any(|unit| matches!(unit, UnitView::Load(_)))
    {
        decision.source = Some(newest.version());
    }
    decision.source_reads = newest.metadata.reads.clone();
    decision.source_complete = decision.all_units().all(from_newest)
        && newest.complete
        && current
            .conditions
            .iter()
            .all(|condition| newest.metadata.replicates_of(condition.name) == current.replicates)
        && newest
            .metadata
            .conditions
            .keys()
            .all(|name| current.defined.contains(&name.as_str()));
    if decision.source_complete {
        // Conditions loaded whole did not need the journal; the manifest is then checked
        // against their records, unless the version holds conditions not planned now.
        let index = newest.index;
        let all_planned = newest.metadata.conditions.keys().all(|name| {
            current
                .conditions
                .iter()
                .any(|condition| condition.name == name)
        });
        if !all_planned {
            history.load_journal(index, observed, warnings);
        }
        let Some(newest) = history.get(index) else {
            return;
        };
        if let Some(problem) = manifest_problem(current, newest, decision, observed) {
            warnings.push(format!("{problem}; the version is written again"));
            decision.source_complete = false;
        }
    }
    let Some(newest) = newest_complete.and_then(|index| history.get(index)) else {
        return;
    };
    if decision.source_complete {
        decision.source_dir = Some(newest.dir().to_path_buf());
    }
    if let Some(recorded) = &newest.metadata.toolchain
        && !current.strict()
    {
        let changed = current.toolchain.differences(recorded);
        if !changed.is_empty() {
            warnings.push(format!(
                "note: the toolchain changed since {} ({}): recorded, not part of the key; `#[experiment(strict_env)]` or `--strict-env` reruns on such changes",
                newest.label(),
                changed.join(", ")
            ));
        }
    }
}

/// Why the `_manifest.json` of a finished version cannot stand as it is, if it cannot.
fn manifest_problem(
    current: &Current<'_>,
    state: &VersionState,
    decision: &Decision,
    observed: &mut impl Observe,
) -> Option<String> {
    let path = state.dir().join(MANIFEST);
    let found = match observed.manifest(state.index) {
        Ok(manifest) => manifest,
        Err(RecordError::Missing) => return Some(format!("{} is missing", path.display())),
        Err(RecordError::Corrupt(message)) => {
            return Some(format!("{} is unreadable: {message}", path.display()));
        }
    };
    let expected = match state.journal.as_ref() {
        Some(journal) => manifest_of(
            &current.stages,
            journal
                .records
                .values()
                .flat_map(BTreeMap::values)
                .flat_map(|record| &record.artifacts),
        ),
        // Every unit loads from this version: their records are the journal's.
        None => manifest_of(
            &current.stages,
            decision.conditions.iter().flat_map(
                |condition| -> Box<dyn Iterator<Item = &ArtifactEntry>> {
                    match &condition.units {
                        Units::Whole(whole) => Box::new(
                            whole
                                .records
                                .extras()
                                .iter()
                                .flat_map(|extra| &extra.artifacts),
                        ),
                        Units::AllRun { .. } => Box::new(std::iter::empty()),
                        Units::Each(units) => Box::new(units.iter().flat_map(|unit| match unit {
                            UnitDecision::Load(loaded) => &loaded.record.artifacts[..],
                            UnitDecision::Run(_) => &[],
                        })),
                    }
                },
            ),
        ),
    };
    (found != expected).then(|| {
        format!(
            "{} does not list the artifacts the journal records",
            path.display()
        )
    })
}
