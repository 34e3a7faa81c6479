//! The facts of stored runs held in memory, as plain values: what the decisions' tests decide
//! from, without files. Every fact asked for is logged, so a test can tell what a decision
//! would have read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::store::journal::JournalContents;
use crate::store::marker::SizeStamp;
use crate::store::records::{Manifest, Metadata, RecordError, ResultsFile};
use crate::store::version::Candidate;

use super::observe::{ArtifactStat, Content, Listing, Observe};

/// An experiment directory's runs.
pub(super) struct Observed {
    /// The versions (the candidates of `versions`), no links, no listing error.
    pub listing: Listing,
    /// One per candidate of the listing, in its order (newest first).
    pub versions: Vec<ObservedVersion>,
    /// Every fact asked for, in order: `metadata v1`, `journal v0`, `rehash v0 <path>`, ...
    pub asked: Vec<String>,
}

/// One version directory.
pub(super) struct ObservedVersion {
    /// Its directory and version.
    pub candidate: Candidate,
    /// `metadata.json`, or why it cannot be read.
    pub metadata: Result<Metadata, RecordError>,
    /// The journal (`None`: there is none), or why it cannot be read.
    pub journal: Result<Option<JournalContents>, String>,
    /// The journal's size and stamp (`None`: there is none).
    pub journal_stamp: Option<SizeStamp>,
    /// Entries that are not ours, with what to say about each.
    pub foreign: Vec<(PathBuf, String)>,
    /// `_manifest.json`, or why it cannot be read.
    pub manifest: Result<Manifest, RecordError>,
    /// By condition name (a condition absent here has no directory).
    pub conditions: BTreeMap<String, ObservedCondition>,
    /// By path below the version (an artifact absent here is missing).
    pub artifacts: BTreeMap<PathBuf, ObservedArtifact>,
}

/// One condition's directory in a version.
pub(super) struct ObservedCondition {
    /// The directory is a symbolic link.
    pub link: bool,
    /// The completion marker's bytes, or why they cannot be read.
    pub marker: Result<Vec<u8>, RecordError>,
    /// `results.json`, or why it cannot be read.
    pub results: Result<ResultsFile, RecordError>,
}

/// One artifact: what `lstat` says, and what hashing it again gives.
pub(super) struct ObservedArtifact {
    /// What `lstat` says.
    pub stat: ArtifactStat,
    /// What hashing it again gives (`None`: it cannot be read).
    pub content: Option<Content>,
}

impl Observed {
    /// The runs `versions` (newest first) in experiment directory `dir`.
    pub(super) fn new(dir: &Path, versions: Vec<ObservedVersion>) -> Observed {
        Observed {
            listing: Listing {
                dir: dir.to_path_buf(),
                candidates: versions
                    .iter()
                    .map(|version| version.candidate.clone())
                    .collect(),
                links: Vec::new(),
                error: None,
            },
            versions,
            asked: Vec::new(),
        }
    }

    fn ask(&mut self, fact: &str, version: usize, what: &str) -> &ObservedVersion {
        let label = &self.listing.candidates[version];
        let staged = if label.staged { ".next" } else { "" };
        let line = format!("{fact} v{}{staged} {what}", label.version);
        self.asked.push(line.trim_end().to_string());
        &self.versions[version]
    }
}

fn copy<T: Clone>(read: &Result<T, RecordError>) -> Result<T, RecordError> {
    match read {
        Ok(value) => Ok(value.clone()),
        Err(RecordError::Missing) => Err(RecordError::Missing),
        Err(RecordError::Corrupt(message)) => Err(RecordError::Corrupt(message.clone())),
    }
}

impl Observe for Observed {
    fn listing(&self) -> &Listing {
        &self.listing
    }

    fn metadata(&mut self, version: usize) -> Result<Metadata, RecordError> {
        copy(&self.ask("metadata", version, "").metadata)
    }

    fn journal(&mut self, version: usize) -> Result<Option<JournalContents>, String> {
        match &self.ask("journal", version, "").journal {
            Ok(Some(contents)) => Ok(Some(JournalContents {
                records: contents.records.clone(),
                bad_lines: contents.bad_lines.clone(),
                tampered: contents.tampered.clone(),
            })),
            Ok(None) => Ok(None),
            Err(error) => Err(error.clone()),
        }
    }

    fn foreign(&mut self, version: usize, _: &Metadata) -> Vec<(PathBuf, String)> {
        self.ask("foreign", version, "").foreign.clone()
    }

    fn holds_hypotheses(&mut self, _: usize) -> Option<bool> {
        None
    }

    fn manifest(&mut self, version: usize) -> Result<Manifest, RecordError> {
        copy(&self.ask("manifest", version, "").manifest)
    }

    fn condition_is_link(&mut self, version: usize, condition: &str) -> bool {
        self.ask("kind", version, condition)
            .conditions
            .get(condition)
            .is_some_and(|found| found.link)
    }

    fn marker(&mut self, version: usize, condition: &str) -> Result<Vec<u8>, RecordError> {
        self.ask("marker", version, condition)
            .conditions
            .get(condition)
            .map_or(Err(RecordError::Missing), |found| copy(&found.marker))
    }

    fn results(&mut self, version: usize, condition: &str) -> Result<ResultsFile, RecordError> {
        self.ask("results", version, condition)
            .conditions
            .get(condition)
            .map_or(Err(RecordError::Missing), |found| copy(&found.results))
    }

    /// The scenarios hold no binary columns: their results are read as `results.json`.
    fn results_stamp(&mut self, _: usize, _: &str) -> Option<SizeStamp> {
        None
    }

    fn columns_bytes(&mut self, _: usize, _: &str) -> Option<Vec<u8>> {
        None
    }

    fn results_bytes(&mut self, version: usize, condition: &str) -> Result<Vec<u8>, RecordError> {
        let results = self
            .ask("results", version, condition)
            .conditions
            .get(condition)
            .map_or(Err(RecordError::Missing), |found| copy(&found.results))?;
        let mut bytes = serde_json::to_vec_pretty(&results)
            .map_err(|error| RecordError::Corrupt(error.to_string()))?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    fn journal_stamp(&mut self, version: usize) -> Option<SizeStamp> {
        self.ask("journal-stamp", version, "").journal_stamp
    }

    fn artifact(&mut self, version: usize, relative: &Path) -> ArtifactStat {
        let what = relative.display().to_string();
        self.ask("artifact", version, &what)
            .artifacts
            .get(relative)
            .map_or(ArtifactStat::Missing, |found| found.stat.clone())
    }

    fn rehash(&mut self, version: usize, relative: &Path) -> Option<Content> {
        let what = relative.display().to_string();
        self.ask("rehash", version, &what)
            .artifacts
            .get(relative)
            .and_then(|found| found.content)
    }
}
