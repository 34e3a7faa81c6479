//! The versions of an experiment, newest first, as the decisions read them: a version's metadata
//! when a decision first looks at it (an unreadable one is reported once and skipped), its
//! journal when a condition is compared with it or may load units from it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::decide::report::{Reason, ReasonKind};
use crate::key::signature::CodeHash;
use crate::store::journal::{JOURNAL, JournalContents, UnitRecord};
use crate::store::layout::METADATA;
use crate::store::records::{Metadata, RecordError, STATUS_COMPLETE};
use crate::store::version::Candidate;

use super::decision::label;
use super::observe::Observe;
use super::reason;

/// A version directory the decisions can read: its metadata parsed, its journal read on demand.
pub(super) struct VersionState {
    /// Its index among the candidates (what [`Observe`] is asked about).
    pub index: usize,
    /// Its directory and version.
    pub candidate: Candidate,
    /// Its directory, shared by the units loaded from it.
    pub shared_dir: Arc<Path>,
    /// Its `metadata.json`.
    pub metadata: Metadata,
    /// Its journal, once a decision needed it.
    pub journal: Option<JournalContents>,
    /// Whether its run finished (results and markers written).
    pub complete: bool,
}

impl VersionState {
    /// Its version number.
    pub(super) fn version(&self) -> u32 {
        self.candidate.version
    }

    /// Its directory.
    pub(super) fn dir(&self) -> &Path {
        &self.candidate.dir
    }

    /// `v3`, or `the unfinished rewrite of v3` for a staged one.
    pub(super) fn label(&self) -> String {
        label(self.candidate.version, self.candidate.staged)
    }

    /// The trusted journal records of `condition`, by replicate (once the journal is read).
    pub(super) fn records(&self, condition: &str) -> Option<&BTreeMap<u32, Arc<UnitRecord>>> {
        self.journal.as_ref()?.records.get(condition)
    }
}

/// The versions of an experiment, newest first, read as the decisions need them.
pub(super) struct History {
    candidates: Vec<Candidate>,
    /// `None` until read; `Some(None)` when unusable (its metadata cannot be read).
    states: Vec<Option<Option<VersionState>>>,
    /// The versions read whose metadata could not be read, in the order they were read.
    pub unusable: Vec<Candidate>,
    /// Why the newest unusable version could not be read (the reason when none is usable).
    pub unusable_reason: Option<Reason>,
}

impl History {
    /// The versions `candidates` (newest first), none read yet.
    pub(super) fn new(candidates: Vec<Candidate>) -> History {
        History {
            states: candidates.iter().map(|_| None).collect(),
            candidates,
            unusable: Vec::new(),
            unusable_reason: None,
        }
    }

    /// How many versions there are.
    pub(super) fn len(&self) -> usize {
        self.candidates.len()
    }

    /// Reads candidate `index`'s metadata (once); an unreadable one is reported and skipped.
    fn load(&mut self, index: usize, observed: &mut impl Observe, warnings: &mut Vec<String>) {
        if self.states[index].is_some() {
            return;
        }
        let candidate = self.candidates[index].clone();
        let state = match observed.metadata(index) {
            Ok(metadata) => Some(VersionState {
                index,
                shared_dir: Arc::from(candidate.dir.as_path()),
                complete: metadata.status == STATUS_COMPLETE,
                candidate,
                metadata,
                journal: None,
            }),
            Err(problem) => {
                let (kind, why) = match problem {
                    RecordError::Missing => (
                        ReasonKind::MetadataMissing,
                        "has no metadata.json".to_string(),
                    ),
                    RecordError::Corrupt(message) => (
                        ReasonKind::CorruptFile,
                        format!("has an unreadable metadata.json ({message})"),
                    ),
                };
                if self.unusable_reason.is_none() {
                    self.unusable_reason =
                        Some(reason(kind, format!("{} {why}", candidate.dir.display())));
                }
                warnings.push(format!(
                    "{} {why}: an interrupted run's claim or not ours; nothing is loaded from it (`gc` removes it)",
                    candidate.dir.display()
                ));
                self.unusable.push(candidate);
                None
            }
        };
        self.states[index] = Some(state);
    }

    /// Reads candidate `index`'s journal (once), reporting unreadable lines.
    pub(super) fn load_journal(
        &mut self,
        index: usize,
        observed: &mut impl Observe,
        warnings: &mut Vec<String>,
    ) {
        let Some(Some(state)) = self.states[index].as_mut() else {
            return;
        };
        if state.journal.is_some() {
            return;
        }
        let path = state.dir().join(JOURNAL);
        let contents = match observed.journal(index) {
            Ok(Some(contents)) => contents,
            Ok(None) => JournalContents::default(),
            Err(error) => {
                warnings.push(format!("{}: {error}", path.display()));
                JournalContents::default()
            }
        };
        if !contents.bad_lines.is_empty() {
            warnings.push(format!(
                "{}: unreadable line(s) {:?} ignored",
                path.display(),
                contents.bad_lines
            ));
        }
        for ((condition, replicate), line) in &contents.tampered {
            warnings.push(format!(
                "{}: line {line} (`{condition}` replicate {replicate}) fails its checksum: edited or damaged, not trusted",
                path.display()
            ));
        }
        state.journal = Some(contents);
    }

    /// Candidate `index`, if it has been read and is usable.
    pub(super) fn get(&self, index: usize) -> Option<&VersionState> {
        self.states[index].as_ref().and_then(Option::as_ref)
    }

    /// Every version read so far that is usable, newest first.
    pub(super) fn usable(&self) -> impl Iterator<Item = &VersionState> {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    /// The version `condition` is compared with (its journal is read by
    /// [`History::load_journal`] when a decision needs it): the newest readable
    /// version holding it, except that an unfinished version (an interrupted run's) that ran it
    /// with another key than `key` gives way to an older one (its units are of no use, and the
    /// results it would hide are).
    pub(super) fn decider(
        &mut self,
        condition: &str,
        key: CodeHash,
        observed: &mut impl Observe,
        warnings: &mut Vec<String>,
    ) -> Option<usize> {
        let mut unfinished_other_key = None;
        for index in 0..self.len() {
            self.load(index, observed, warnings);
            let Some(state) = self.get(index) else {
                continue;
            };
            let Some(stored) = state.metadata.conditions.get(condition) else {
                continue;
            };
            if state.complete || stored.key == key {
                return Some(index);
            }
            unfinished_other_key.get_or_insert(index);
        }
        unfinished_other_key
    }

    /// Older readable versions that ran `condition` with `key`, with their journals read: where
    /// units the decider lacks can be loaded from instead.
    pub(super) fn fallbacks(
        &mut self,
        after: usize,
        condition: &str,
        key: CodeHash,
        observed: &mut impl Observe,
        warnings: &mut Vec<String>,
    ) -> Vec<usize> {
        let mut found = Vec::new();
        for index in after + 1..self.len() {
            self.load(index, observed, warnings);
            let same = self.get(index).is_some_and(|state| {
                state
                    .metadata
                    .conditions
                    .get(condition)
                    .is_some_and(|stored| stored.key == key)
            });
            if same {
                self.load_journal(index, observed, warnings);
                found.push(index);
            }
        }
        found
    }

    /// The newest readable version.
    pub(super) fn newest(
        &mut self,
        observed: &mut impl Observe,
        warnings: &mut Vec<String>,
    ) -> Option<usize> {
        self.newest_where(observed, warnings, |_| true)
    }

    /// The newest readable version that finished.
    pub(super) fn newest_complete(
        &mut self,
        observed: &mut impl Observe,
        warnings: &mut Vec<String>,
    ) -> Option<usize> {
        self.newest_where(observed, warnings, |state| state.complete)
    }

    fn newest_where(
        &mut self,
        observed: &mut impl Observe,
        warnings: &mut Vec<String>,
        wanted: impl Fn(&VersionState) -> bool,
    ) -> Option<usize> {
        (0..self.len()).find(|&index| {
            self.load(index, observed, warnings);
            self.get(index).is_some_and(&wanted)
        })
    }

    /// Where the metadata of the newest usable version is (named when it lacks a condition).
    pub(super) fn newest_metadata_path(&self) -> Option<std::path::PathBuf> {
        self.usable().next().map(|state| state.dir().join(METADATA))
    }
}
