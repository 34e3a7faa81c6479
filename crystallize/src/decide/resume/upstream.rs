//! Units and the upstream content they read: which producer replicate's content changed for a
//! unit, the condition's summaries of such units per upstream read, and (for `plan`) the units
//! that wait for a producer that runs first.

use std::collections::{BTreeMap, BTreeSet};

use crate::decide::report::{Reason, ReasonKind, ranges};
use crate::key::signature::{CodeHash, ConditionRecord, UpstreamRead};

use super::current::{Current, CurrentCondition};
use super::reason;

/// The first upstream read whose content, as consumer replicate `replicate` reads it, differs
/// between two records of the same condition key: the read's index, the producer replicate, and
/// a reason naming producer, artifact, producer condition and replicate, with old -> new content.
pub(super) fn unit_upstream_change(
    old: &ConditionRecord,
    new: &ConditionRecord,
    replicate: u32,
) -> Option<(usize, u32, Reason)> {
    old.upstream
        .iter()
        .zip(&new.upstream)
        .enumerate()
        .find_map(|(index, (before, after))| {
            let (was, now) = (before.hash_for(replicate), after.hash_for(replicate));
            if was == now {
                return None;
            }
            let source = after.source_replicate(replicate)?;
            let show = |hash: Option<CodeHash>, missing: &str| {
                hash.map_or_else(|| missing.to_string(), |hash| hash.short())
            };
            let detail = format!(
                "upstream `{}` artifact `{}` (condition `{}`): content of producer replicate {source} changed, {} -> {}",
                after.producer,
                after.file,
                after.condition,
                show(was, "none (its unit had failed)"),
                show(now, "none (its unit failed)")
            );
            Some((index, source, reason(ReasonKind::UpstreamChanged, detail)))
        })
}

/// A condition's summary of its units that rerun because the content of `read` changed, for
/// the producer replicates `sources`.
fn upstream_summary(read: &UpstreamRead, sources: &[u32]) -> Reason {
    reason(
        ReasonKind::UpstreamChanged,
        format!(
            "upstream `{}` artifact `{}` (condition `{}`): content of producer replicate(s) {} changed",
            read.producer,
            read.file,
            read.condition,
            ranges(sources)
        ),
    )
}

/// For `plan`: why units of `condition` that read `read` of producer replicates `sources`,
/// which run first, are decided after them.
fn pending_summary(condition: &str, read: &UpstreamRead, sources: &[u32]) -> Reason {
    reason(
        ReasonKind::UpstreamChanged,
        format!(
            "upstream `{}` runs first; `{condition}` then decides by the content of `{}` of producer replicate(s) {} (identical bytes load)",
            read.producer,
            read.file,
            ranges(sources)
        ),
    )
}

/// A condition's units as they concern its upstream reads: per read, the producer replicates
/// whose content changed, and (for `plan`) those that run first.
pub(super) struct UpstreamUnits<'a> {
    condition: CurrentCondition<'a>,
    /// Per upstream read: whether its producer runs some units first (`plan` only).
    producer_runs: Vec<bool>,
    changed: BTreeMap<usize, BTreeSet<u32>>,
    waiting: BTreeMap<usize, BTreeSet<u32>>,
    /// Units that run for now because a producer replicate they read runs first.
    pub pending: u32,
}

impl<'a> UpstreamUnits<'a> {
    /// `condition`'s units, none decided yet (its producers as `current` says they run).
    pub(super) fn new(current: &Current<'_>, condition: CurrentCondition<'a>) -> UpstreamUnits<'a> {
        UpstreamUnits {
            producer_runs: condition
                .record
                .upstream
                .iter()
                .map(|read| current.producer_runs(&read.producer))
                .collect(),
            condition,
            changed: BTreeMap::new(),
            waiting: BTreeMap::new(),
            pending: 0,
        }
    }

    /// For `plan`: a unit reading an artifact its producer would first produce cannot be
    /// decided yet; it is decided by content once the producer has run. Returns the upstream
    /// read (its index), the producer replicate and the reason.
    pub(super) fn waits(&self, replicate: u32) -> Option<(usize, u32, Reason)> {
        self.condition
            .record
            .upstream
            .iter()
            .zip(&self.producer_runs)
            .enumerate()
            .find_map(|(index, (read, &runs))| {
                if !runs || read.hash_for(replicate).is_some() {
                    return None;
                }
                let source = read.source_replicate(replicate)?;
                Some((
                    index,
                    source,
                    pending_summary(self.condition.name, read, &[source]),
                ))
            })
    }

    /// For a unit that failed before (`why`) and reads an artifact its producer does not have
    /// now (the producer unit failed or did not write it): the reason, naming the producer, the
    /// artifact, the producer condition and replicate, and what to do. The producer reruns its
    /// failed unit first when it runs now; otherwise the consumer is stuck until it does.
    pub(super) fn missing_input(&self, replicate: u32, why: &Reason) -> Option<Reason> {
        if why.kind != ReasonKind::FailedBefore {
            return None;
        }
        self.condition
            .record
            .upstream
            .iter()
            .zip(&self.producer_runs)
            .find_map(|(read, &runs)| {
                if read.hash_for(replicate).is_some() {
                    return None;
                }
                let producer = &read.producer;
                let what = match read.source_replicate(replicate) {
                    Some(source) => format!(
                        "`{producer}` has no `{}` for its condition `{}` replicate {source} (that unit failed or did not write it)",
                        read.file, read.condition
                    ),
                    None => format!("`{producer}` has no replicates to read `{}` from", read.file),
                };
                let todo = if runs {
                    format!(
                        "`{producer}` reruns that unit first; if it fails again, fix `{producer}` and run again"
                    )
                } else {
                    format!(
                        "this unit cannot succeed until `{producer}` has it: fix what fails in `{producer}` and run again, or rerun it (`run {producer} --strategy rerun`)"
                    )
                };
                // `failed in v0: <message>`: the message is the missing input, said below.
                let failed_in = why.detail.split(": ").next().unwrap_or("failed before");
                Some(reason(
                    ReasonKind::FailedBefore,
                    format!("{failed_in}: its input is missing: {what}; {todo}"),
                ))
            })
    }

    /// A unit waits for producer replicate `source` of upstream read `read`.
    pub(super) fn wait(&mut self, read: usize, source: u32) {
        self.waiting.entry(read).or_default().insert(source);
        self.pending += 1;
    }

    /// A unit runs because the content of producer replicate `source` of upstream read `read`
    /// changed.
    pub(super) fn changed(&mut self, read: usize, source: u32) {
        self.changed.entry(read).or_default().insert(source);
    }

    /// One reason per upstream read: the producer replicates whose content changed, then those
    /// that run first.
    pub(super) fn summaries(&self) -> Vec<Reason> {
        let reads = &self.condition.record.upstream;
        let sorted = |sources: &BTreeSet<u32>| sources.iter().copied().collect::<Vec<u32>>();
        self.changed
            .iter()
            .filter_map(|(&read, sources)| {
                Some(upstream_summary(reads.get(read)?, &sorted(sources)))
            })
            .chain(self.waiting.iter().filter_map(|(&read, sources)| {
                Some(pending_summary(
                    self.condition.name,
                    reads.get(read)?,
                    &sorted(sources),
                ))
            }))
            .collect()
    }
}
