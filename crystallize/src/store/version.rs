//! Version directories: a freshly claimed `v<N>` per run for versioned experiments (a claim is a
//! `create_dir`, which fails if the directory exists, so two concurrent runs never share a
//! version), and one rewritten version for the others (`v0`, or the newest version an experiment
//! kept from when it was versioned).
//!
//! A rewrite never destroys the previous results before the new ones are committed: it is
//! written in `.v<N>.next` beside `v<N>`, then swapped in with two renames (`v<N>` → `.v<N>.prev`,
//! `.v<N>.next` → `v<N>`) and the old one deleted. [`scan`] reads every state this can leave after
//! a crash, and [`recover`] finishes or undoes an interrupted swap.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::files::{Kind, kind};
use super::layout::{METADATA, parse_version, version_dir};
use super::records::{Metadata, STATUS_COMPLETE, read_record};

/// Version numbers present under `experiment_dir`, ascending (empty if it does not exist).
pub(crate) fn list_versions(experiment_dir: &Path) -> io::Result<Vec<u32>> {
    let entries = match fs::read_dir(experiment_dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut versions = Vec::new();
    for entry in entries {
        let entry = entry?;
        if let Some(version) = entry.file_name().to_str().and_then(parse_version)
            && entry.file_type()?.is_dir()
        {
            versions.push(version);
        }
    }
    versions.sort_unstable();
    Ok(versions)
}

/// `.v<N>.next`: where a rewrite of `v<N>` is written before it is swapped in.
pub(crate) fn staging_dir(experiment_dir: &Path, version: u32) -> PathBuf {
    experiment_dir.join(format!(".v{version}.next"))
}

/// `.v<N>.prev`: where the previous `v<N>` waits, during a swap, to be deleted.
pub(crate) fn aside_dir(experiment_dir: &Path, version: u32) -> PathBuf {
    experiment_dir.join(format!(".v{version}.prev"))
}

fn parse_special(name: &str) -> Option<(u32, &'static str)> {
    let rest = name.strip_prefix(".v")?;
    for suffix in [".next", ".prev"] {
        if let Some(digits) = rest.strip_suffix(suffix)
            && let Some(version) = parse_version(&format!("v{digits}"))
        {
            return Some((version, suffix));
        }
    }
    None
}

/// A directory holding a version's contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// The version number it is (or, staged, will become).
    pub version: u32,
    /// Its directory.
    pub dir: PathBuf,
    /// A rewrite of `v<version>` that has not been swapped in (an interrupted run's work).
    pub staged: bool,
}

/// A step that finishes or undoes a swap interrupted by a crash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SwapRepair {
    /// The new version was complete: move it into place, then delete the old.
    Finish {
        /// `.v<N>.next`.
        staged: PathBuf,
        /// `.v<N>.prev`.
        aside: PathBuf,
        /// `v<N>`.
        target: PathBuf,
    },
    /// The new version was not complete: move the old one back.
    Restore {
        /// `.v<N>.prev`.
        aside: PathBuf,
        /// `v<N>`.
        target: PathBuf,
    },
    /// The new version was complete but not yet swapped in: swap it in, delete the old.
    SwapIn {
        /// The version number.
        version: u32,
    },
    /// The swap finished; only the old version is left to delete.
    DropAside {
        /// `.v<N>.prev`.
        aside: PathBuf,
    },
}

/// What an experiment directory holds.
#[derive(Clone, Debug, Default)]
pub(crate) struct VersionScan {
    /// Directories holding versions, newest first (a staged rewrite of `v<N>` ranks above it). An
    /// interrupted swap is read as if it had been finished or undone.
    pub candidates: Vec<Candidate>,
    /// Entries named like versions that are symbolic links: never followed.
    pub links: Vec<PathBuf>,
    /// What [`recover`] does to put an interrupted swap right.
    pub repairs: Vec<SwapRepair>,
}

fn is_complete(dir: &Path) -> bool {
    read_record::<Metadata>(&dir.join(METADATA)).is_ok_and(|m| m.status == STATUS_COMPLETE)
}

/// Reads which versions `experiment_dir` holds (nothing if it does not exist).
pub(crate) fn scan(experiment_dir: &Path) -> io::Result<VersionScan> {
    let entries = match fs::read_dir(experiment_dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(VersionScan::default());
        }
        Err(error) => return Err(error),
    };
    let mut plain = std::collections::BTreeSet::new();
    let mut next = std::collections::BTreeSet::new();
    let mut prev = std::collections::BTreeSet::new();
    let mut scan = VersionScan::default();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let parsed = parse_version(name)
            .map(|version| (version, ""))
            .or_else(|| parse_special(name));
        let Some((version, suffix)) = parsed else {
            continue;
        };
        let file_type = entry.file_type()?;
        if file_type.is_symlink() {
            scan.links.push(entry.path());
            continue;
        }
        if !file_type.is_dir() {
            continue;
        }
        match suffix {
            "" => plain.insert(version),
            ".next" => next.insert(version),
            _ => prev.insert(version),
        };
    }
    let mut found: Vec<Candidate> = Vec::new();
    let all: std::collections::BTreeSet<u32> = plain.union(&next).chain(&prev).copied().collect();
    for version in all {
        let target = version_dir(experiment_dir, version);
        let staged = staging_dir(experiment_dir, version);
        let aside = aside_dir(experiment_dir, version);
        let (has_plain, has_next, has_prev) = (
            plain.contains(&version),
            next.contains(&version),
            prev.contains(&version),
        );
        let mut plain_dir = has_plain.then(|| target.clone());
        let mut staged_dir = has_next.then(|| staged.clone());
        if has_next && !has_prev && is_complete(&staged) {
            scan.repairs.push(SwapRepair::SwapIn { version });
            plain_dir = Some(staged);
            staged_dir = None;
        } else if has_prev {
            if has_plain {
                scan.repairs.push(SwapRepair::DropAside { aside });
            } else if has_next && is_complete(&staged) {
                scan.repairs.push(SwapRepair::Finish {
                    staged: staged.clone(),
                    aside,
                    target,
                });
                plain_dir = Some(staged);
                staged_dir = None;
            } else {
                scan.repairs.push(SwapRepair::Restore {
                    aside: aside.clone(),
                    target,
                });
                plain_dir = Some(aside);
            }
        }
        if let Some(dir) = plain_dir {
            found.push(Candidate {
                version,
                dir,
                staged: false,
            });
        }
        if let Some(dir) = staged_dir {
            found.push(Candidate {
                version,
                dir,
                staged: true,
            });
        }
    }
    found.reverse();
    scan.candidates = found;
    scan.links.sort();
    Ok(scan)
}

/// Applies `scan`'s repairs (with the experiment's lock held exclusively), so that `v<N>` is
/// again the one complete version a crash during a swap could have left without a name.
pub(crate) fn recover(experiment_dir: &Path, scan: &VersionScan) -> io::Result<()> {
    for repair in &scan.repairs {
        match repair {
            SwapRepair::SwapIn { version } => {
                if let Some(old) = swap_in(experiment_dir, *version)? {
                    fs::remove_dir_all(old)?;
                }
            }
            SwapRepair::Finish {
                staged,
                aside,
                target,
            } => {
                fs::rename(staged, target)?;
                fs::remove_dir_all(aside)?;
            }
            SwapRepair::Restore { aside, target } => fs::rename(aside, target)?,
            SwapRepair::DropAside { aside } => fs::remove_dir_all(aside)?,
        }
    }
    Ok(())
}

/// Swaps the staged rewrite of `v<version>` into place: `v<N>` → `.v<N>.prev`, `.v<N>.next` →
/// `v<N>`. Returns the old version's new name, to delete (or `None` if there was no `v<N>`).
pub(crate) fn swap_in(experiment_dir: &Path, version: u32) -> io::Result<Option<PathBuf>> {
    let target = version_dir(experiment_dir, version);
    let staged = staging_dir(experiment_dir, version);
    let aside = aside_dir(experiment_dir, version);
    let had_target = match kind(&target) {
        Kind::Missing => false,
        Kind::Dir => {
            fs::rename(&target, &aside)?;
            true
        }
        _ => {
            // A file or link in the way is not a version: it goes, never its target.
            fs::remove_file(&target)?;
            false
        }
    };
    fs::rename(&staged, &target)?;
    Ok(had_target.then_some(aside))
}

/// The newest version whose `metadata.json` reads, with that metadata.
pub(crate) fn newest_usable(experiment_dir: &Path) -> Option<(u32, PathBuf, Metadata)> {
    let scan = scan(experiment_dir).ok()?;
    scan.candidates
        .into_iter()
        .filter(|candidate| !candidate.staged)
        .find_map(|candidate| {
            read_record::<Metadata>(&candidate.dir.join(METADATA))
                .ok()
                .map(|metadata| (candidate.version, candidate.dir, metadata))
        })
}

/// Claims the next free version directory and returns its number.
pub(crate) fn claim_new_version(experiment_dir: &Path) -> io::Result<u32> {
    fs::create_dir_all(experiment_dir)?;
    let first = list_versions(experiment_dir)?
        .last()
        .map_or(0, |latest| latest + 1);
    claim_version_from(experiment_dir, first)
}

/// Claims the first free version directory numbered `first` or more in the existing
/// `experiment_dir` (which a listing made under the experiment's lock found free from `first`
/// on: a number taken since is skipped) and returns its number.
pub(crate) fn claim_version_from(experiment_dir: &Path, first: u32) -> io::Result<u32> {
    let mut candidate = first;
    loop {
        match fs::create_dir(version_dir(experiment_dir, candidate)) {
            Ok(()) => return Ok(candidate),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                candidate = candidate
                    .checked_add(1)
                    .ok_or_else(|| io::Error::other("no version number left to claim"))?;
            }
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_sequential_and_skip_taken_numbers() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(claim_new_version(dir.path()).unwrap(), 0);
        assert_eq!(claim_new_version(dir.path()).unwrap(), 1);
        fs::create_dir(dir.path().join("v5")).unwrap();
        fs::create_dir(dir.path().join("vx")).unwrap();
        fs::write(dir.path().join("v9"), b"a file, not a version").unwrap();
        assert_eq!(claim_new_version(dir.path()).unwrap(), 6);
        assert_eq!(list_versions(dir.path()).unwrap(), vec![0, 1, 5, 6]);
        assert_eq!(claim_version_from(dir.path(), 5).unwrap(), 7);
        // A file named like a version takes its number too.
        assert_eq!(claim_version_from(dir.path(), 9).unwrap(), 10);
        assert!(claim_version_from(&dir.path().join("gone"), 0).is_err());
    }

    fn complete_metadata(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        fs::write(
            dir.join(METADATA),
            br#"{"replicates":1,"id":"","name":"x","version":0,"format":1,"status":"complete",
                "strategy":"rerun","seed":0,"seed_scheme":1,"key_scheme":1,"stages":[],
                "conditions":{},"provenance":{"crystallize":"","rustc":"","git":null,"host":null,
                "started":"","finished":"","duration_s":0.0}}"#,
        )
        .unwrap();
    }

    #[test]
    fn staged_rewrites_rank_above_their_version_and_links_are_not_versions() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("v0")).unwrap();
        fs::create_dir(dir.path().join(".v0.next")).unwrap();
        fs::create_dir(dir.path().join("v2")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("v2"), dir.path().join("v3")).unwrap();
        let scan = scan(dir.path()).unwrap();
        let order: Vec<(u32, bool)> = scan
            .candidates
            .iter()
            .map(|candidate| (candidate.version, candidate.staged))
            .collect();
        assert_eq!(order, vec![(2, false), (0, true), (0, false)]);
        #[cfg(unix)]
        assert_eq!(scan.links, vec![dir.path().join("v3")]);
        assert!(scan.repairs.is_empty());
    }

    #[test]
    fn an_interrupted_swap_is_finished_when_the_new_version_is_complete() {
        let dir = tempfile::tempdir().unwrap();
        complete_metadata(&aside_dir(dir.path(), 0));
        complete_metadata(&staging_dir(dir.path(), 0));
        fs::write(staging_dir(dir.path(), 0).join("new"), b"").unwrap();
        let found = scan(dir.path()).unwrap();
        assert_eq!(found.candidates.len(), 1);
        assert_eq!(found.candidates[0].dir, staging_dir(dir.path(), 0));
        recover(dir.path(), &found).unwrap();
        assert!(version_dir(dir.path(), 0).join("new").is_file());
        assert!(!aside_dir(dir.path(), 0).exists());
        assert!(!staging_dir(dir.path(), 0).exists());
    }

    #[test]
    fn an_interrupted_swap_is_undone_when_the_new_version_is_not_complete() {
        let dir = tempfile::tempdir().unwrap();
        complete_metadata(&aside_dir(dir.path(), 0));
        fs::create_dir(staging_dir(dir.path(), 0)).unwrap();
        let found = scan(dir.path()).unwrap();
        let order: Vec<(PathBuf, bool)> = found
            .candidates
            .iter()
            .map(|candidate| (candidate.dir.clone(), candidate.staged))
            .collect();
        assert_eq!(
            order,
            vec![
                (staging_dir(dir.path(), 0), true),
                (aside_dir(dir.path(), 0), false)
            ]
        );
        recover(dir.path(), &found).unwrap();
        assert!(version_dir(dir.path(), 0).join(METADATA).is_file());
        assert!(!aside_dir(dir.path(), 0).exists());
        assert!(staging_dir(dir.path(), 0).is_dir(), "the staged work stays");
    }

    #[test]
    fn a_complete_rewrite_that_was_not_swapped_in_is_swapped_in() {
        let dir = tempfile::tempdir().unwrap();
        complete_metadata(&version_dir(dir.path(), 0));
        fs::write(version_dir(dir.path(), 0).join("old"), b"").unwrap();
        complete_metadata(&staging_dir(dir.path(), 0));
        let found = scan(dir.path()).unwrap();
        assert_eq!(found.candidates.len(), 1);
        assert_eq!(found.candidates[0].dir, staging_dir(dir.path(), 0));
        recover(dir.path(), &found).unwrap();
        assert!(!version_dir(dir.path(), 0).join("old").exists());
        assert!(!staging_dir(dir.path(), 0).exists());
        assert!(!aside_dir(dir.path(), 0).exists());
    }

    #[test]
    fn swapping_keeps_the_old_version_until_the_new_one_has_its_name() {
        let dir = tempfile::tempdir().unwrap();
        complete_metadata(&version_dir(dir.path(), 0));
        fs::write(version_dir(dir.path(), 0).join("old"), b"").unwrap();
        complete_metadata(&staging_dir(dir.path(), 0));
        let old = swap_in(dir.path(), 0).unwrap().unwrap();
        assert!(old.join("old").is_file());
        assert!(!version_dir(dir.path(), 0).join("old").exists());
        assert!(newest_usable(dir.path()).is_some());
    }
}
