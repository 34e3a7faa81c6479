//! Resume decisions: for every (condition, replicate) unit, load it from the latest run or run it,
//! and why, by comparing the stored signature record with the current one:
//!
//! 1. code (source, a step, a tracked helper) or a param changed → the condition re-runs;
//! 2. a treatment is new or its payload changed → only that condition runs;
//! 3. a completion marker or the metadata is missing or unreadable, an artifact is gone, or a
//!    unit lacks an output the experiment declares now (`.output(..)` added since it ran) →
//!    those units run;
//! 4. replicates were added → only the new replicates run (fewer reuse the first ones);
//! 5. a unit failed before → it runs again;
//! 6. the content of an upstream artifact a unit reads changed (its producer re-ran and
//!    published other bytes, or the producer unit failed or now succeeds) → only the units that
//!    read that producer replicate run (the condition key covers what is read, the unit key the
//!    content of exactly what that unit reads). For `plan`, a unit whose producer replicate
//!    would run first is decided after it, by content;
//! 7. the stored record was computed under another key scheme (an older crystallize) → every
//!    unit of the condition runs once (`key-scheme-changed`); keys are never compared across
//!    schemes.
//!
//! Everything else is loaded. A corrupt or foreign file is reported by path and treated as
//! missing; nothing here panics on bad data.
//!
//! Observing and deciding are apart: [`decide`] is a function of what the stored runs hold
//! (asked through [`Observe`], answered from disk by [`DiskObserver`] as the decisions need each
//! fact) and of what the plan says now ([`Current`]); it reads no file itself.
//!
//! - `observe`: the facts read from disk, and the trait the decisions ask them through;
//! - `current`: what the plan says now;
//! - `history`: the versions, newest first, as the decisions read them;
//! - `condition`: one condition's decisions, and whether a version's files of it stand;
//! - `unit`: whether one unit loads from one version (its record and artifacts);
//! - `upstream`: units and the upstream content they read;
//! - `whole`: a condition loaded whole from its completion marker's summary, without the
//!   journal;
//! - `finished`: the newest finished version as the source of everything loaded;
//! - `explain`: what changed in a signature, with old → new values;
//! - `decision`: what the decisions say;
//! - `grouped`: units with the same reason as one group with their replicates;
//! - `observed` and `tests` (tests only): facts held in memory, and one test per rule deciding
//!   from them.

mod condition;
pub(crate) mod current;
pub(crate) mod decision;
mod explain;
mod finished;
pub(crate) mod grouped;
mod history;
pub(crate) mod observe;
mod unit;
mod upstream;
mod whole;

#[cfg(test)]
mod observed;
#[cfg(test)]
mod tests;

use std::path::Path;

use crate::decide::report::{Reason, ReasonKind};

pub(crate) use current::Current;
pub(crate) use decision::{Decision, Target, UnitDecision, UnitView, Units, WholeLoad};
pub(crate) use explain::{CodeChange, code_changes};
pub(crate) use observe::{DiskObserver, Observe};

use condition::decide_condition;
use decision::ConditionDecision;
use finished::note_source;
use history::History;

fn reason(kind: ReasonKind, detail: impl Into<String>) -> Reason {
    Reason::new(kind, detail)
}

/// A corrupt or foreign file, reported (by `detail`, which names it) and the reason units run.
fn corrupt(warnings: &mut Vec<String>, detail: String) -> Reason {
    warnings.push(detail.clone());
    reason(ReasonKind::CorruptFile, detail)
}

fn first_run(experiment_dir: &Path) -> Reason {
    reason(
        ReasonKind::FirstRun,
        format!("no previous run in {}", experiment_dir.display()),
    )
}

fn strategy_rerun() -> Reason {
    reason(
        ReasonKind::StrategyRerun,
        "strategy `rerun` executes every unit",
    )
}

/// The reason of a condition the user asked to recompute.
fn recompute_requested() -> Reason {
    reason(ReasonKind::Forced, "recompute requested")
}

/// Decides which units of the experiment `current` plans to load from the runs `observed` holds,
/// and which to run; `plan` and `run` both decide with it.
///
/// Each condition is compared with the newest readable version that ran it (a version without
/// readable metadata, such as one an interrupted run had just claimed, is reported and skipped;
/// a run limited by `--treatment` leaves the other conditions to older versions). Units that
/// version lacks (it was interrupted, or had fewer replicates) load from an older version that
/// ran the condition with the same key, when one has them.
pub(crate) fn decide(observed: &mut impl Observe, current: &Current<'_>) -> Decision {
    let mut warnings = Vec::new();
    let listing = observed.listing();
    let experiment_dir = listing.dir.clone();
    if let Some(error) = &listing.error {
        warnings.push(format!("cannot list {}: {error}", experiment_dir.display()));
    }
    for link in &listing.links {
        warnings.push(format!(
            "{} is a symbolic link: never followed inside the data directory, not a version",
            link.display()
        ));
    }
    let next_free = listing.error.is_none().then(|| {
        listing
            .candidates
            .iter()
            .map(|candidate| candidate.version.saturating_add(1))
            .max()
            .unwrap_or(0)
    });
    if current.rerun() && current.versioned {
        // Everything runs into a new version: nothing of the old ones needs reading.
        let why = if listing.candidates.is_empty() {
            first_run(&experiment_dir)
        } else {
            strategy_rerun()
        };
        let mut decision = Decision {
            conditions: current.all_run(&why),
            warnings,
            ..Decision::default()
        };
        decision.stored.next_free = next_free;
        return decision;
    }
    let mut history = History::new(listing.candidates.clone());
    let newest = history.newest(observed, &mut warnings);
    let mut decision = Decision::default();
    if !current.rerun()
        && let Some(state) = newest.and_then(|index| history.get(index))
    {
        let found = observed.foreign(state.index, &state.metadata);
        if observed.holds_hypotheses(state.index) == Some(false) {
            decision.stored.without_hypotheses = Some(state.dir().to_path_buf());
        }
        decision.stored.foreign = found.iter().map(|(path, _)| path.clone()).collect();
        warnings.extend(found.into_iter().map(|(_, message)| message));
    }
    decision.conditions = match newest {
        None => current.all_run(
            &history
                .unusable_reason
                .clone()
                .unwrap_or_else(|| first_run(&experiment_dir)),
        ),
        Some(_) if current.rerun() => current.all_run(&strategy_rerun()),
        Some(_) => current
            .conditions
            .iter()
            .map(|&condition| {
                if condition.recompute {
                    ConditionDecision::all_run(current.replicates, &recompute_requested())
                } else {
                    decide_condition(current, condition, &mut history, observed, &mut warnings)
                }
            })
            .collect(),
    };
    note_source(
        &mut decision,
        current,
        &mut history,
        observed,
        &mut warnings,
    );
    decision.stored.usable = history
        .usable()
        .map(|state| (state.candidate.clone(), state.complete))
        .collect();
    decision.stored.unusable = history.unusable;
    decision.stored.next_free = next_free;
    decision.warnings = warnings;
    decision
}
