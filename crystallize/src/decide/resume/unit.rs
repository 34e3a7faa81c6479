//! Whether one unit loads from one version, or why not: its journaled record (trusted, of the
//! unit's key now, successful, with every declared output) and its artifacts (unchanged).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::decide::report::{Reason, ReasonKind};
use crate::key::signature::{CodeHash, ConditionRecord};
use crate::store::journal::{ArtifactEntry, JOURNAL, UnitRecord};
use crate::store::layout;

use super::decision::Loaded;
use super::history::VersionState;
use super::observe::{ArtifactStat, Observe};
use super::upstream::unit_upstream_change;
use super::{corrupt, reason};

/// One unit as the decisions compare it: its key now, and the record that key comes from.
pub(super) struct UnitKeys<'a> {
    /// The condition.
    pub name: &'a str,
    /// The replicate.
    pub replicate: u32,
    /// Replicates planned now.
    pub planned: u32,
    /// The unit's key now.
    pub expected: CodeHash,
    /// The condition's record now.
    pub current: &'a ConditionRecord,
    /// The outputs the experiment declares now.
    pub declared: &'a [String],
}

/// A version as a unit is compared with it: its state, the record it holds of the unit's
/// condition and how many replicates of it that run had.
pub(super) struct Against<'a> {
    /// The version.
    pub state: &'a VersionState,
    /// Its record of the condition (its unit keys tell whose upstream content changed).
    pub own: &'a ConditionRecord,
    /// The condition's replicates in that run.
    pub replicates: u32,
}

/// Whether `unit` loads from `against`, or why not. It loads only when its journaled key is the
/// unit's key now (the same condition key and the same upstream content read), and with every
/// output the experiment declares now among its artifacts.
pub(super) fn decide_unit(
    unit: &UnitKeys<'_>,
    against: &Against<'_>,
    observed: &mut impl Observe,
    links: &mut ReportedLinks,
    warnings: &mut Vec<String>,
) -> Result<Loaded, Reason> {
    let (name, replicate, planned) = (unit.name, unit.replicate, unit.planned);
    let (state, stored_replicates) = (against.state, against.replicates);
    let version = || state.label();
    if replicate >= stored_replicates {
        return Err(reason(
            ReasonKind::ReplicatesAdded,
            format!("replicates {stored_replicates} -> {planned}"),
        ));
    }
    let journal_path = || state.dir().join(JOURNAL);
    if let Some(line) = state
        .journal
        .as_ref()
        .and_then(|journal| journal.tampered.get(&(name.to_string(), replicate)))
    {
        return Err(reason(
            ReasonKind::CorruptFile,
            format!(
                "{}: line {line}, the record of `{name}` replicate {replicate}, fails its checksum",
                journal_path().display()
            ),
        ));
    }
    let Some(record) = state
        .records(name)
        .and_then(|records| records.get(&replicate))
    else {
        let bad_lines = state
            .journal
            .as_ref()
            .map_or(&[][..], |journal| &journal.bad_lines[..]);
        return Err(if bad_lines.is_empty() && !state.complete {
            reason(
                ReasonKind::MarkerMissing,
                format!("did not complete in {}", version()),
            )
        } else if bad_lines.is_empty() {
            // A finished version journals every unit it has: the journal lost records.
            let warning = format!(
                "{}: records of `{name}` are missing although {} finished",
                journal_path().display(),
                version()
            );
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
            reason(
                ReasonKind::CorruptFile,
                format!("no record in {}", journal_path().display()),
            )
        } else {
            reason(
                ReasonKind::CorruptFile,
                format!(
                    "no readable record in {} (unreadable line(s) {bad_lines:?})",
                    journal_path().display()
                ),
            )
        });
    };
    if record.key != unit.expected {
        if record.key == against.own.unit_key(replicate)
            && let Some((_, _, why)) = unit_upstream_change(against.own, unit.current, replicate)
        {
            return Err(why);
        }
        return Err(corrupt(
            warnings,
            format!(
                "{}: the record of `{name}` replicate {replicate} has a foreign key",
                journal_path().display()
            ),
        ));
    }
    if let Some(error) = &record.error {
        return Err(reason(
            ReasonKind::FailedBefore,
            format!("failed in {}: {}", version(), error.message),
        ));
    }
    if let Some(missing) = unit.declared.iter().find(|file| {
        !record
            .artifacts
            .iter()
            .any(|artifact| *artifact.file == ***file)
    }) {
        // A unit that ran with the output declared and did not write it failed (and reruns as
        // `failed-before`), so a successful one without it ran before it was declared.
        return Err(reason(
            ReasonKind::ArtifactMissing,
            format!(
                "`{missing}` is newly declared with `.output(..)`, and units of `{name}` in {} did not write it",
                version()
            ),
        ));
    }
    let record = check_artifacts(state, record, observed, links, warnings)?;
    Ok(Loaded {
        version: state.version(),
        staged: state.candidate.staged,
        version_dir: state.shared_dir.clone(),
        record,
    })
}

/// Symbolic links already reported (each once).
#[derive(Default)]
pub(super) struct ReportedLinks(BTreeSet<PathBuf>);

impl ReportedLinks {
    fn report(&mut self, link: PathBuf, warnings: &mut Vec<String>) {
        if !self.0.contains(&link) {
            warnings.push(format!(
                "{} is a symbolic link: never followed inside the data directory; what it holds is not loaded",
                link.display()
            ));
            self.0.insert(link);
        }
    }
}

/// Checks every artifact of a loaded unit: a regular file reached through real directories only,
/// of the recorded size, and of the recorded content: unchanged size, modification time and inode
/// are trusted (as git's index does); otherwise the file is hashed again. Returns the record,
/// with fresh stamps where a file was rehashed and found identical.
pub(super) fn check_artifacts(
    state: &VersionState,
    record: &Arc<UnitRecord>,
    observed: &mut impl Observe,
    links: &mut ReportedLinks,
    warnings: &mut Vec<String>,
) -> Result<Arc<UnitRecord>, Reason> {
    let unit = (&record.condition[..], record.replicate);
    match check_artifact_entries(state, unit, &record.artifacts, observed, links, warnings)? {
        None => Ok(record.clone()),
        Some(fresh) => {
            let mut refreshed = (**record).clone();
            refreshed.artifacts = fresh;
            Ok(Arc::new(refreshed))
        }
    }
}

/// [`check_artifacts`] of the `artifacts` of `unit` (its condition and replicate): `Some` of
/// them with fresh stamps where a file was rehashed and found identical, `None` when every
/// stamp held.
pub(super) fn check_artifact_entries(
    state: &VersionState,
    (condition, replicate): (&str, u32),
    artifacts: &[ArtifactEntry],
    observed: &mut impl Observe,
    links: &mut ReportedLinks,
    warnings: &mut Vec<String>,
) -> Result<Option<Vec<ArtifactEntry>>, Reason> {
    if artifacts.is_empty() {
        return Ok(None);
    }
    let mut refreshed: Option<Vec<ArtifactEntry>> = None;
    let mut buffer = String::with_capacity(64);
    for (index, artifact) in artifacts.iter().enumerate() {
        buffer.clear();
        layout::push_artifact_relative(
            &mut buffer,
            replicate,
            condition,
            &artifact.stage,
            &artifact.file,
        );
        let relative = Path::new(&buffer);
        let path = || state.dir().join(relative);
        let missing = || {
            reason(
                ReasonKind::ArtifactMissing,
                format!("{} is gone", path().display()),
            )
        };
        let (size, stamp) = match observed.artifact(state.index, relative) {
            ArtifactStat::File { size, stamp } => (size, stamp),
            ArtifactStat::NotAFile | ArtifactStat::Missing => return Err(missing()),
            ArtifactStat::Unreadable(error) => {
                return Err(reason(
                    ReasonKind::ArtifactMissing,
                    format!("{} cannot be read: {error}", path().display()),
                ));
            }
            ArtifactStat::Link(link) => {
                links.report(link, warnings);
                return Err(missing());
            }
        };
        if size == artifact.size && artifact.stamp.is_known() && stamp == artifact.stamp {
            continue;
        }
        match observed.rehash(state.index, relative) {
            None => return Err(missing()),
            Some(content) if content.hash == artifact.hash && content.size == artifact.size => {
                refreshed.get_or_insert_with(|| artifacts.to_vec())[index].stamp = content.stamp;
            }
            Some(_) => {
                return Err(corrupt(
                    warnings,
                    format!(
                        "{} changed after it was written (its content hash differs)",
                        path().display()
                    ),
                ));
            }
        }
    }
    Ok(refreshed)
}
