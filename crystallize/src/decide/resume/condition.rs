//! The decisions of one condition: the version it is compared with, whether its signature
//! changed (every unit runs), whether that version's files of it stand (marker, `results.json`),
//! then unit by unit, with older versions of the same key standing in for units it lacks.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::decide::report::{Reason, ReasonKind};
use crate::define::experiment::BASELINE;
use crate::key::signature::{CodeHash, ConditionRecord};
use crate::store::journal::UnitRecord;
use crate::store::layout::{self, MARKER, METADATA, RESULTS};
use crate::store::marker::Marker;
use crate::store::records::{RecordError, ResultsFile};

use super::current::{Current, CurrentCondition};
use super::decision::{ConditionDecision, UnitDecision, Units};
use super::explain::{code_changes, explain_change};
use super::history::{History, VersionState};
use super::observe::Observe;
use super::unit::{Against, ReportedLinks, UnitKeys, decide_unit};
use super::upstream::{UpstreamUnits, unit_upstream_change};
use super::whole::load_whole;
use super::{corrupt, reason};

/// Decides every unit of `condition`.
pub(super) fn decide_condition(
    current: &Current<'_>,
    condition: CurrentCondition<'_>,
    history: &mut History,
    observed: &mut impl Observe,
    warnings: &mut Vec<String>,
) -> ConditionDecision {
    let name = condition.name;
    let all_run = |why: Reason| ConditionDecision::all_run(current.replicates, &why);
    let internal =
        |what: &str| all_run(reason(ReasonKind::CorruptFile, format!("internal: {what}")));
    let Some(decider) = history.decider(name, condition.record.key, observed, warnings) else {
        return all_run(never_ran(name, history));
    };
    let Some(state) = history.get(decider) else {
        return internal("no version");
    };
    // Most often the stored record is the planned one: compared in place, not copied.
    let stored: Cow<'_, ConditionRecord> = if state.metadata.holds_record(name, condition.record) {
        Cow::Borrowed(&**condition.record)
    } else {
        match state.metadata.condition_record(name) {
            Some(stored) => Cow::Owned(stored),
            None => return internal("no record"),
        }
    };
    // A key of another scheme cannot be recomputed here: it is explained as the scheme change.
    // A stored record equal to the planned one, key included, holds the key computed from the
    // same components now; any other is hashed again.
    if stored.key_scheme == condition.record.key_scheme
        && *stored != **condition.record
        && stored.compute_key() != stored.key
    {
        return all_run(corrupt(
            warnings,
            format!(
                "{}: the key of condition `{name}` does not match its record",
                state.dir().join(METADATA).display()
            ),
        ));
    }
    if stored.key != condition.record.key {
        let stored_payload = state.metadata.conditions.get(name).map(|c| &c.payload);
        let changes = explain_change(
            name,
            &stored,
            condition.record,
            stored_payload,
            condition.payload,
        );
        let first = changes.first().cloned().unwrap_or_else(|| {
            reason(
                ReasonKind::CorruptFile,
                format!("condition `{name}`: key changed"),
            )
        });
        return ConditionDecision {
            changes,
            code_changes: code_changes(&stored, condition.record),
            ..all_run(first)
        };
    }
    let stored_replicates = state.metadata.replicates_of(name);
    if let Some(units) = load_whole(current, condition, state, stored_replicates, observed) {
        return ConditionDecision {
            units,
            ..ConditionDecision::default()
        };
    }
    history.load_journal(decider, observed, warnings);
    let Some(state) = history.get(decider) else {
        return internal("no version");
    };
    let failed_before = state.records(name).is_some_and(|records| {
        records
            .range(..stored_replicates)
            .any(|(_, record)| record.error.is_some())
    });
    if let Some(problem) = condition_problem(
        state,
        name,
        stored.key,
        stored_replicates,
        observed,
        warnings,
    ) && !(problem.kind == ReasonKind::MarkerMissing && failed_before)
    {
        return all_run(problem);
    }
    // Units the decider lacks may come from an older version of the same key; read those only
    // when some unit needs them.
    let fallbacks = if needs_fallback(state, name, stored_replicates, current.replicates) {
        history.fallbacks(decider, name, stored.key, observed, warnings)
    } else {
        Vec::new()
    };
    let Some(state) = history.get(decider) else {
        return internal("no version");
    };
    // Each version's own record: its unit keys (with the upstream content it read) tell a unit
    // whose input changed from a foreign record.
    let mut usable_fallbacks: Vec<(&VersionState, ConditionRecord, u32)> = Vec::new();
    for older in fallbacks.iter().filter_map(|&index| history.get(index)) {
        let replicates = older.metadata.replicates_of(name);
        let problem = condition_problem(
            older,
            name,
            stored.key,
            replicates,
            observed,
            &mut Vec::new(),
        );
        if problem.is_none()
            && let Some(own) = older.metadata.condition_record(name)
        {
            usable_fallbacks.push((older, own, replicates));
        }
    }
    let decider = Against {
        state,
        own: &stored,
        replicates: stored_replicates,
    };
    let mut links = ReportedLinks::default();
    let mut upstream = UpstreamUnits::new(current, condition);
    let mut units = Vec::with_capacity(current.replicates as usize);
    for replicate in 0..current.replicates {
        let unit = UnitKeys {
            name,
            replicate,
            planned: current.replicates,
            expected: condition.record.unit_key(replicate),
            current: condition.record,
            declared: current.declared,
        };
        let waits = upstream.waits(replicate);
        let primary = decide_unit(&unit, &decider, observed, &mut links, warnings);
        let why = match (primary, waits) {
            (Ok(loaded), None) => {
                units.push(UnitDecision::Load(Box::new(loaded)));
                continue;
            }
            (Ok(_), Some((read, source, waits))) => {
                upstream.wait(read, source);
                units.push(UnitDecision::Run(waits));
                continue;
            }
            (Err(why), Some((read, source, waits))) if why.kind == ReasonKind::UpstreamChanged => {
                upstream.wait(read, source);
                units.push(UnitDecision::Run(waits));
                continue;
            }
            (Err(why), Some(_)) => {
                let why = upstream.missing_input(replicate, &why).unwrap_or(why);
                units.push(UnitDecision::Run(why));
                continue;
            }
            (Err(why), None) => why,
        };
        if why.kind != ReasonKind::FailedBefore {
            let from_older = usable_fallbacks
                .iter()
                .find_map(|(older, own, replicates)| {
                    let against = Against {
                        state: older,
                        own,
                        replicates: *replicates,
                    };
                    decide_unit(&unit, &against, observed, &mut links, &mut Vec::new())
                        .ok()
                        .filter(|loaded| loaded.record.error.is_none())
                });
            if let Some(loaded) = from_older {
                units.push(UnitDecision::Load(Box::new(loaded)));
                continue;
            }
            if why.kind == ReasonKind::UpstreamChanged
                && let Some((read, source, _)) =
                    unit_upstream_change(&stored, condition.record, replicate)
            {
                upstream.changed(read, source);
            }
        }
        let why = upstream.missing_input(replicate, &why).unwrap_or(why);
        units.push(UnitDecision::Run(why));
    }
    ConditionDecision {
        units: Units::Each(units),
        upstream: upstream.summaries(),
        pending: upstream.pending,
        ..ConditionDecision::default()
    }
}

/// Why every unit of `name` runs when no readable version holds it: a new treatment, or a
/// version without a baseline (which every run writes).
fn never_ran(name: &str, history: &History) -> Reason {
    if name == BASELINE {
        reason(
            ReasonKind::CorruptFile,
            format!(
                "{} has no baseline",
                history.newest_metadata_path().unwrap_or_default().display()
            ),
        )
    } else {
        reason(
            ReasonKind::TreatmentAdded,
            format!("treatment `{name}` is new"),
        )
    }
}

/// Whether some unit of `name` may have to come from an older version than `state`: it did not
/// finish, had fewer replicates than planned now, lacks records, or has untrusted lines.
fn needs_fallback(state: &VersionState, name: &str, stored_replicates: u32, planned: u32) -> bool {
    !state.complete
        || stored_replicates < planned
        || state.records(name).is_none_or(|records| {
            records.range(..stored_replicates).count() < stored_replicates as usize
        })
        || state
            .journal
            .as_ref()
            .is_some_and(|journal| !journal.tampered.is_empty() || !journal.bad_lines.is_empty())
}

/// For a finished version: whether the condition's marker holds its key and its `results.json`
/// agrees with the journal. A problem reruns the whole condition (deleting a marker is how a
/// condition is forced to run again).
fn condition_problem(
    state: &VersionState,
    name: &str,
    key: CodeHash,
    stored_replicates: u32,
    observed: &mut impl Observe,
    warnings: &mut Vec<String>,
) -> Option<Reason> {
    if !state.complete {
        return None;
    }
    let condition_dir = layout::condition_dir(state.dir(), name);
    if observed.condition_is_link(state.index, name) {
        return Some(corrupt(
            warnings,
            format!(
                "{} is a symbolic link: never followed inside the data directory",
                condition_dir.display()
            ),
        ));
    }
    let marker_path = condition_dir.join(MARKER);
    let read = observed.marker(state.index, name);
    let marker = read.as_ref().ok().map(|bytes| Marker::parse(bytes));
    if let Some(Marker {
        key: found,
        summary: Some(Err(why)),
    }) = &marker
        && *found == key.hex()
    {
        // Markers are written whole (temporary file, then rename): a damaged one was altered.
        return Some(corrupt(
            warnings,
            format!("{} is damaged: {why}", marker_path.display()),
        ));
    }
    match read {
        Ok(_) if marker.is_some_and(|marker| marker.key == key.hex()) => {}
        Err(RecordError::Missing) => {
            return Some(reason(
                ReasonKind::MarkerMissing,
                format!("{} is missing", marker_path.display()),
            ));
        }
        _ => {
            return Some(corrupt(
                warnings,
                format!(
                    "{} does not hold the key of condition `{name}`",
                    marker_path.display()
                ),
            ));
        }
    }
    let results_path = condition_dir.join(RESULTS);
    let problem = match observed.results(state.index, name) {
        Ok(found) => (!results_agree(&found, state.records(name), stored_replicates)).then(|| {
            format!(
                "{} holds values other than the journal's",
                results_path.display()
            )
        }),
        Err(RecordError::Missing) => Some(format!("{} is missing", results_path.display())),
        Err(RecordError::Corrupt(message)) => Some(format!(
            "{} is unreadable: {message}",
            results_path.display()
        )),
    }?;
    Some(corrupt(warnings, problem))
}

/// Whether a condition's `results.json` holds, for every replicate the journal has a trusted
/// record of, exactly that record's metrics (a replicate without a readable record is not
/// compared: it runs again anyway).
fn results_agree(
    found: &ResultsFile,
    records: Option<&BTreeMap<u32, Arc<UnitRecord>>>,
    stored_replicates: u32,
) -> bool {
    if found
        .metrics
        .values()
        .any(|values| values.len() != stored_replicates as usize)
    {
        return false;
    }
    let Some(records) = records else {
        return true;
    };
    records
        .range(..stored_replicates)
        .all(|(&replicate, record)| {
            let index = replicate as usize;
            let value_of = |metric: &str| {
                if record.error.is_some() {
                    None
                } else {
                    record.metrics.get(metric).copied().flatten()
                }
            };
            found
                .metrics
                .iter()
                .all(|(metric, values)| values[index] == value_of(metric))
                && (record.error.is_some()
                    || record.metrics.iter().all(|(metric, value)| {
                        value.is_none() || found.metrics.contains_key(&**metric)
                    }))
        })
}
