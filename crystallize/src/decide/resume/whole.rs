//! A condition loaded whole, without its version's journal: when its completion marker holds
//! the condition key and a summary (see `store::marker`), the summary and `results.json` (one
//! read each, the metrics in columns) give every unit's record. What the summary is trusted for
//! is checked first, and anything that does not hold sends the condition down the journal's
//! path, which then says why:
//!
//! - the version finished, and ran the condition with at least the replicates planned now;
//! - the summary's checksum holds, and its journal size and stamp are the journal's now (a
//!   journal appended to, rewritten or edited since is read instead);
//! - `results.json` hashes to what the summary recorded;
//! - the upstream content read is the same (so are the unit keys, under one condition key), and
//!   no producer read is still to run;
//! - every unit has every output the experiment declares now;
//! - every artifact is a regular file of the recorded size and stamp, or hashes to the recorded
//!   content (as the journal's path checks them).

use std::sync::Arc;

use crate::store::marker::{Marker, upstream_digest};
use crate::store::records::ResultsFile;

use super::current::{Current, CurrentCondition};
use super::decision::{Loaded, UnitDecision};
use super::history::VersionState;
use super::observe::Observe;
use super::unit::{ReportedLinks, check_artifacts};

/// Every unit of `condition` loaded from `state` by its marker's summary, or `None` when the
/// journal must be read to decide.
pub(super) fn load_whole(
    current: &Current<'_>,
    condition: CurrentCondition<'_>,
    state: &VersionState,
    stored_replicates: u32,
    observed: &mut impl Observe,
) -> Option<Vec<UnitDecision>> {
    let name = condition.name;
    let record = condition.record;
    if !state.complete
        || stored_replicates < current.replicates
        || record
            .upstream
            .iter()
            .any(|read| current.producer_runs(&read.producer))
        || observed.condition_is_link(state.index, name)
    {
        return None;
    }
    let marker = Marker::parse(&observed.marker(state.index, name).ok()?);
    if marker.key != record.key.hex() {
        return None;
    }
    let summary = marker.summary?.ok()?;
    if summary.replicates != stored_replicates
        || observed.journal_stamp(state.index) != Some(summary.journal)
        || summary.upstream != upstream_digest(&record.upstream)
    {
        return None;
    }
    let bytes = observed.results_bytes(state.index, name).ok()?;
    if crate::key::signature::CodeHash::of(&bytes) != summary.results {
        return None;
    }
    let results: ResultsFile = serde_json::from_slice(&bytes).ok()?;
    drop(bytes);
    let records = summary.records(name, current.replicates, &results, |replicate| {
        record.unit_key(replicate)
    })?;
    drop(results);
    let declared_missing = records.iter().any(|unit| {
        current
            .declared
            .iter()
            .any(|file| !unit.artifacts.iter().any(|artifact| &artifact.file == file))
    });
    if declared_missing {
        return None;
    }
    // Problems are left to the journal's path to report (and it may find an older version to
    // load from); nothing is said here.
    let mut links = ReportedLinks::default();
    let mut unsaid = Vec::new();
    let mut units = Vec::with_capacity(records.len());
    for unit in records {
        let unit = Arc::new(unit);
        let unit = if unit.artifacts.is_empty() {
            unit
        } else {
            check_artifacts(state, &unit, observed, &mut links, &mut unsaid).ok()?
        };
        units.push(UnitDecision::Load(Box::new(Loaded {
            version: state.version(),
            staged: state.candidate.staged,
            version_dir: state.shared_dir.clone(),
            record: unit,
        })));
    }
    Some(units)
}
