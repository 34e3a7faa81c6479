//! Observing an experiment directory: every fact a resume decision reads from disk, behind one
//! trait, so the decisions themselves do no I/O. [`DiskObserver`] reads each fact when the
//! decisions ask for it (older versions only when a condition needs them, a journal only of a
//! version that decides or backs up a condition, one never-follow check per artifact and a hash
//! only when its stamp moved), which is what the decisions cost; tests answer from memory
//! instead.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::key::signature::CodeHash;
use crate::store::files::{self, Beneath, FileStamp, Unresolved};
use crate::store::foreign::examine;
use crate::store::journal::{JOURNAL, JournalContents, read_journal};
use crate::store::layout::{self, MANIFEST, MARKER, METADATA, RESULTS, RESULTS_COLUMNS};
use crate::store::marker::SizeStamp;
use crate::store::records::{Manifest, Metadata, RecordError, ResultsFile, read_record};
use crate::store::version::{self, Candidate, VersionScan};

/// What listing an experiment directory found.
#[derive(Clone, Debug, Default)]
pub(crate) struct Listing {
    /// The experiment directory (named in reasons).
    pub dir: PathBuf,
    /// Directories holding versions, newest first (a staged rewrite of `v<N>` ranks above it).
    pub candidates: Vec<Candidate>,
    /// Entries named like versions that are symbolic links: never followed.
    pub links: Vec<PathBuf>,
    /// Why the directory could not be listed, if it could not (then nothing else was found).
    pub error: Option<String>,
}

/// An artifact's entry below its version directory (`lstat`, never through a link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ArtifactStat {
    /// A regular file of this size and stamp.
    File {
        /// Size in bytes.
        size: u64,
        /// Modification time and inode.
        stamp: FileStamp,
    },
    /// Something other than a regular file (a directory, a device, ...).
    NotAFile,
    /// Nothing there.
    Missing,
    /// A component of its path is a symbolic link (this one), never followed.
    Link(PathBuf),
    /// It could not be examined (the error says why).
    Unreadable(String),
}

/// An artifact's content, hashed again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Content {
    /// blake3 of the bytes.
    pub hash: CodeHash,
    /// Size in bytes.
    pub size: u64,
    /// The file's stamp now.
    pub stamp: FileStamp,
}

/// The facts a resume decision reads, each asked for at most once per version (and condition
/// or artifact). `version` is an index into [`Observe::listing`]'s candidates.
pub(crate) trait Observe {
    /// The experiment directory's version directories and links.
    fn listing(&self) -> &Listing;
    /// The version's `metadata.json`.
    fn metadata(&mut self, version: usize) -> Result<Metadata, RecordError>;
    /// The version's journal: `Ok(None)` when it has none, `Err` with why it is unreadable.
    fn journal(&mut self, version: usize) -> Result<Option<JournalContents>, String>;
    /// Entries of the version that are not ours, by path, with what to say about each (its
    /// conditions are those of `metadata`).
    fn foreign(&mut self, version: usize, metadata: &Metadata) -> Vec<(PathBuf, String)>;
    /// Whether the version's directory held `hypotheses.json` when [`Observe::foreign`] listed
    /// it (`None` when it was not listed, or could not be).
    fn holds_hypotheses(&mut self, version: usize) -> Option<bool>;
    /// The version's `_manifest.json`.
    fn manifest(&mut self, version: usize) -> Result<Manifest, RecordError>;
    /// Whether the condition's directory in the version is a symbolic link.
    fn condition_is_link(&mut self, version: usize, condition: &str) -> bool;
    /// The bytes of the condition's completion marker (`Corrupt` when it cannot be read).
    fn marker(&mut self, version: usize, condition: &str) -> Result<Vec<u8>, RecordError>;
    /// The condition's `results.json`.
    fn results(&mut self, version: usize, condition: &str) -> Result<ResultsFile, RecordError>;
    /// The bytes of the condition's `results.json` (`Corrupt` when it cannot be read).
    fn results_bytes(&mut self, version: usize, condition: &str) -> Result<Vec<u8>, RecordError>;
    /// The size and stamp of the condition's `results.json` (`None` when it has none, or it is
    /// not a regular file).
    fn results_stamp(&mut self, version: usize, condition: &str) -> Option<SizeStamp>;
    /// The bytes of the condition's binary columns, `.results.columns` (`None` when they cannot
    /// be read).
    fn columns_bytes(&mut self, version: usize, condition: &str) -> Option<Vec<u8>>;
    /// The size and stamp of the version's journal (`None` when it has none, or it is not a
    /// regular file).
    fn journal_stamp(&mut self, version: usize) -> Option<SizeStamp>;
    /// The artifact at `relative` below the version directory, without reading it.
    fn artifact(&mut self, version: usize, relative: &Path) -> ArtifactStat;
    /// The artifact's content hashed again; `None` when it cannot be opened or read.
    fn rehash(&mut self, version: usize, relative: &Path) -> Option<Content>;
}

/// The facts of an experiment directory on disk, read as they are asked for.
pub(crate) struct DiskObserver {
    listing: Listing,
    /// Per candidate: paths below it, resolved without following links (made on first use).
    beneath: Vec<Option<Beneath>>,
    /// Per candidate: its journal's size and stamp, once asked (each condition asks).
    journal_stamps: Vec<Option<Option<SizeStamp>>>,
    /// Per candidate: its top-level entries that are links, by name, once it was listed for
    /// foreign files (each condition asks whether its directory is one).
    top_links: Vec<Option<BTreeSet<String>>>,
    /// Per candidate: whether that listing found `hypotheses.json`.
    hypotheses: Vec<Option<bool>>,
}

impl DiskObserver {
    /// Lists `experiment_dir` (nothing else is read until asked for).
    pub(crate) fn new(experiment_dir: &Path) -> DiskObserver {
        match version::scan(experiment_dir) {
            Ok(scan) => DiskObserver::of_scan(experiment_dir, scan),
            Err(error) => DiskObserver {
                listing: Listing {
                    dir: experiment_dir.to_path_buf(),
                    error: Some(error.to_string()),
                    ..Listing::default()
                },
                beneath: Vec::new(),
                journal_stamps: Vec::new(),
                top_links: Vec::new(),
                hypotheses: Vec::new(),
            },
        }
    }

    /// Observes `experiment_dir` as `scan` listed it (when the caller has just listed it).
    pub(crate) fn of_scan(experiment_dir: &Path, scan: VersionScan) -> DiskObserver {
        let listing = Listing {
            dir: experiment_dir.to_path_buf(),
            candidates: scan.candidates,
            links: scan.links,
            error: None,
        };
        DiskObserver {
            beneath: listing.candidates.iter().map(|_| None).collect(),
            journal_stamps: listing.candidates.iter().map(|_| None).collect(),
            top_links: listing.candidates.iter().map(|_| None).collect(),
            hypotheses: listing.candidates.iter().map(|_| None).collect(),
            listing,
        }
    }

    fn dir(&self, version: usize) -> &Path {
        &self.listing.candidates[version].dir
    }

    fn beneath(&mut self, version: usize) -> &Beneath {
        let dir = &self.listing.candidates[version].dir;
        self.beneath[version].get_or_insert_with(|| Beneath::new(dir))
    }
}

impl Observe for DiskObserver {
    fn listing(&self) -> &Listing {
        &self.listing
    }

    fn metadata(&mut self, version: usize) -> Result<Metadata, RecordError> {
        read_record(&self.dir(version).join(METADATA))
    }

    fn journal(&mut self, version: usize) -> Result<Option<JournalContents>, String> {
        read_journal(self.dir(version)).map_err(|error| error.to_string())
    }

    fn foreign(&mut self, version: usize, metadata: &Metadata) -> Vec<(PathBuf, String)> {
        let examined = examine(self.dir(version), metadata);
        self.hypotheses[version] = examined.links.is_some().then_some(examined.hypotheses);
        self.top_links[version] = examined.links;
        examined.foreign
    }

    fn holds_hypotheses(&mut self, version: usize) -> Option<bool> {
        self.hypotheses[version]
    }

    fn manifest(&mut self, version: usize) -> Result<Manifest, RecordError> {
        read_record(&self.dir(version).join(MANIFEST))
    }

    fn condition_is_link(&mut self, version: usize, condition: &str) -> bool {
        if let Some(links) = &self.top_links[version] {
            return links.contains(condition);
        }
        files::kind(&layout::condition_dir(self.dir(version), condition)) == files::Kind::Link
    }

    fn marker(&mut self, version: usize, condition: &str) -> Result<Vec<u8>, RecordError> {
        let path = layout::condition_dir(self.dir(version), condition).join(MARKER);
        files::read(&path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => RecordError::Missing,
            _ => RecordError::Corrupt(error.to_string()),
        })
    }

    fn results(&mut self, version: usize, condition: &str) -> Result<ResultsFile, RecordError> {
        read_record(&layout::condition_dir(self.dir(version), condition).join(RESULTS))
    }

    fn results_bytes(&mut self, version: usize, condition: &str) -> Result<Vec<u8>, RecordError> {
        let path = layout::condition_dir(self.dir(version), condition).join(RESULTS);
        files::read(&path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => RecordError::Missing,
            _ => RecordError::Corrupt(error.to_string()),
        })
    }

    fn results_stamp(&mut self, version: usize, condition: &str) -> Option<SizeStamp> {
        let path = layout::condition_dir(self.dir(version), condition).join(RESULTS);
        std::fs::symlink_metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|meta| SizeStamp {
                size: meta.len(),
                stamp: FileStamp::of(&meta),
            })
    }

    fn columns_bytes(&mut self, version: usize, condition: &str) -> Option<Vec<u8>> {
        files::read(&layout::condition_dir(self.dir(version), condition).join(RESULTS_COLUMNS)).ok()
    }

    fn journal_stamp(&mut self, version: usize) -> Option<SizeStamp> {
        if let Some(known) = self.journal_stamps[version] {
            return known;
        }
        let stamp = std::fs::symlink_metadata(self.dir(version).join(JOURNAL))
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|meta| SizeStamp {
                size: meta.len(),
                stamp: FileStamp::of(&meta),
            });
        self.journal_stamps[version] = Some(stamp);
        stamp
    }

    fn artifact(&mut self, version: usize, relative: &Path) -> ArtifactStat {
        match self.beneath(version).metadata(relative) {
            Ok(meta) if meta.is_file() => ArtifactStat::File {
                size: meta.len(),
                stamp: FileStamp::of(&meta),
            },
            Ok(_) => ArtifactStat::NotAFile,
            Err(Unresolved::Missing) => ArtifactStat::Missing,
            Err(Unresolved::Link(link)) => ArtifactStat::Link(link),
            Err(Unresolved::Other(error)) => ArtifactStat::Unreadable(error.to_string()),
        }
    }

    fn rehash(&mut self, version: usize, relative: &Path) -> Option<Content> {
        let file = self.beneath(version).open_file(relative).ok()?;
        let (hash, size, stamp) = files::hash_open_file(file).ok()?;
        Some(Content { hash, size, stamp })
    }
}
