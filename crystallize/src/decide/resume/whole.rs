//! A condition loaded whole, without its version's journal: when its completion marker holds
//! the condition key and a summary (see `store::marker`), the summary and `results.json` (one
//! read each, the metrics in columns) give every unit's record. What the summary is trusted for
//! is checked first, and anything that does not hold sends the condition down the journal's
//! path, which then says why:
//!
//! - the version finished, and ran the condition with at least the replicates planned now;
//! - the summary's checksum holds, and its journal size and stamp are the journal's now (a
//!   journal appended to, rewritten or edited since is read instead);
//! - `results.json` hashes to what the summary recorded; or, for large results, it has the size
//!   and stamp it had when its binary columns were written with it (`store::results_columns`),
//!   and those columns hash to what the summary recorded and are read instead;
//! - the upstream content read is the same (so are the unit keys, under one condition key), and
//!   no producer read is still to run;
//! - every unit has every output the experiment declares now;
//! - every artifact is a regular file of the recorded size and stamp, or hashes to the recorded
//!   content (as the journal's path checks them).

use std::sync::Arc;

use crate::key::signature::CodeHash;
use crate::store::columns::ConditionRecords;
use crate::store::marker::{ColumnsRecord, InlineResults, Marker, upstream_digest};
use crate::store::records::ResultsFile;
use crate::store::results_columns;

use super::current::{Current, CurrentCondition};
use super::decision::{Units, WholeLoad};
use super::history::VersionState;
use super::observe::Observe;
use super::unit::{ReportedLinks, check_artifact_entries};

/// Every unit of `condition` loaded from `state` by its marker's summary, held in columns, or
/// `None` when the journal must be read to decide.
pub(super) fn load_whole(
    current: &Current<'_>,
    condition: CurrentCondition<'_>,
    state: &VersionState,
    stored_replicates: u32,
    observed: &mut impl Observe,
) -> Option<Units> {
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
        || summary.upstream != upstream_digest(&record.upstream, summary.format)
    {
        return None;
    }
    let from_binary = match &summary.inline {
        Some(inline) => results_inline(observed, state.index, name, inline),
        None => summary
            .columns
            .and_then(|columns| results_from_columns(observed, state.index, name, columns)),
    };
    let results = match from_binary {
        Some(results) => results,
        None => {
            let bytes = observed.results_bytes(state.index, name).ok()?;
            if CodeHash::of(&bytes) != summary.results {
                return None;
            }
            serde_json::from_slice(&bytes).ok()?
        }
    };
    let mut records =
        ConditionRecords::new(name, current.replicates, summary, results, condition.record)?;
    // A unit without an output the experiment declares now has no extras, or lacks it there.
    let with_outputs = records.extras().iter().filter(|extra| {
        current.declared.iter().all(|file| {
            extra
                .artifacts
                .iter()
                .any(|artifact| *artifact.file == **file)
        })
    });
    if !current.declared.is_empty() && with_outputs.count() != records.len() as usize {
        return None;
    }
    // Problems are left to the journal's path to report (and it may find an older version to
    // load from); nothing is said here.
    let mut links = ReportedLinks::default();
    let mut unsaid = Vec::new();
    let mut refreshed = Vec::new();
    for (index, extra) in records.extras().iter().enumerate() {
        let unit = (name, extra.replicate);
        let fresh = check_artifact_entries(
            state,
            unit,
            &extra.artifacts,
            observed,
            &mut links,
            &mut unsaid,
        )
        .ok()?;
        if let Some(fresh) = fresh {
            refreshed.push((index, fresh));
        }
    }
    for (index, fresh) in refreshed {
        records.extras_mut()[index].artifacts = fresh;
    }
    Some(Units::Whole(Arc::new(WholeLoad {
        version: state.version(),
        staged: state.candidate.staged,
        version_dir: state.shared_dir.clone(),
        records: Arc::new(records),
    })))
}

/// The results of `condition` from its summary, when `results.json` still has the size and
/// stamp it had when both were written; `None` otherwise (then `results.json` is read, and
/// checked by its hash).
fn results_inline(
    observed: &mut impl Observe,
    version: usize,
    condition: &str,
    inline: &InlineResults,
) -> Option<ResultsFile> {
    if observed.results_stamp(version, condition)? != inline.results
        || !inline.results.stamp.is_known()
    {
        return None;
    }
    results_columns::decode(&inline.columns)
}

/// The results of `condition` from its binary columns, when `results.json` still has the size
/// and stamp it had when they were written with it and the columns hash to what the summary
/// recorded; `None` otherwise (then `results.json` is read, and checked by its hash).
fn results_from_columns(
    observed: &mut impl Observe,
    version: usize,
    condition: &str,
    columns: ColumnsRecord,
) -> Option<ResultsFile> {
    if observed.results_stamp(version, condition)? != columns.results
        || !columns.results.stamp.is_known()
    {
        return None;
    }
    let bytes = observed.columns_bytes(version, condition)?;
    if CodeHash::of(&bytes) != columns.hash {
        return None;
    }
    results_columns::decode(&bytes)
}
