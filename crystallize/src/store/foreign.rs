//! Finding entries in a version directory that no run of ours writes, to report them by path.
//! Entries with names that are not ours are left where they are (a rewrite of the version
//! carries them into the new one); a symbolic link is never followed, whatever its name.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::atomic::is_temp_name;
use super::journal::JOURNAL;
use super::layout::{HYPOTHESES, MANIFEST, MARKER, METADATA, RESULTS, RESULTS_COLUMNS};
use super::records::Metadata;

/// Whether `name` is an entry a version directory of ours can hold at its top level (the
/// conditions are those of `metadata`, when known).
pub(crate) fn is_our_entry(name: &str, metadata: Option<&Metadata>) -> bool {
    matches!(name, METADATA | MANIFEST | JOURNAL | HYPOTHESES)
        || is_temp_name(name)
        || name.starts_with("replicate_")
        || metadata.is_some_and(|metadata| metadata.conditions.contains_key(name))
}

/// Entries of a version directory that are not ours (at its top level and in its condition
/// directories), by path, with what to say about each.
pub(crate) fn foreign_files(version_dir: &Path, metadata: &Metadata) -> Vec<(PathBuf, String)> {
    examine(version_dir, metadata).foreign
}

/// What listing a version directory found: its foreign entries, and (when it could be listed)
/// the names of its top-level entries that are symbolic links.
pub(crate) struct Examined {
    /// Entries that are not ours, by path, with what to say about each (see [`foreign_files`]).
    pub foreign: Vec<(PathBuf, String)>,
    /// Top-level entries that are symbolic links, by name; `None` when the directory could not
    /// be listed (then nothing is known of them).
    pub links: Option<BTreeSet<String>>,
    /// Whether the listing found `hypotheses.json` (of any kind; `false` when it could not list).
    pub hypotheses: bool,
}

/// Lists a version directory once: its foreign entries, and its links by name (which the
/// decisions ask of each condition directory, answered here without another `lstat`).
pub(crate) fn examine(version_dir: &Path, metadata: &Metadata) -> Examined {
    let mut found = Vec::new();
    let mut links = BTreeSet::new();
    let mut hypotheses = false;
    let Ok(entries) = fs::read_dir(version_dir) else {
        return Examined {
            foreign: found,
            links: None,
            hypotheses,
        };
    };
    for entry in entries.flatten() {
        // Paths are made only for what is reported: most entries are ours.
        let file_name = entry.file_name();
        let name = file_name.to_string_lossy();
        hypotheses |= name == HYPOTHESES;
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            let path = entry.path();
            links.insert(name.into_owned());
            let message = format!(
                "{} is a symbolic link: never followed inside the data directory, treated as foreign",
                path.display()
            );
            found.push((path, message));
            continue;
        }
        let condition = metadata.conditions.contains_key(&*name);
        let expected_dir = name.starts_with("replicate_") || condition;
        let ours = is_our_entry(&name, Some(metadata))
            && (is_temp_name(&name) || kind.is_dir() == expected_dir);
        if !ours {
            let path = entry.path();
            let message = unknown(&path);
            found.push((path, message));
        } else if kind.is_dir() && condition {
            found.extend(foreign_in_condition(&entry.path()));
        }
    }
    found.sort();
    Examined {
        foreign: found,
        links: Some(links),
        hypotheses,
    }
}

fn unknown(path: &Path) -> String {
    format!(
        "unknown file {} (not written by crystallize; left as is)",
        path.display()
    )
}

fn foreign_in_condition(condition_dir: &Path) -> Vec<(PathBuf, String)> {
    let Ok(entries) = fs::read_dir(condition_dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            !matches!(&*name, RESULTS | RESULTS_COLUMNS | MARKER) && !is_temp_name(&name)
        })
        .map(|entry| {
            let path = entry.path();
            let message = unknown(&path);
            (path, message)
        })
        .collect()
}

/// Moves the entries of `old_dir` that are not ours (found by [`foreign_files`]) to the same
/// place in `new_dir`, which replaces it: a rewrite never deletes what it did not write. Returns
/// what could not be moved (its name is taken in `new_dir`).
pub(crate) fn carry_foreign(old_dir: &Path, new_dir: &Path, found: &[PathBuf]) -> Vec<PathBuf> {
    let mut left = Vec::new();
    for path in found {
        let Ok(relative) = path.strip_prefix(old_dir) else {
            continue;
        };
        let target = new_dir.join(relative);
        let named_like_ours = relative
            .components()
            .next()
            .is_some_and(|first| is_our_entry(&first.as_os_str().to_string_lossy(), None));
        let moved = !named_like_ours
            && fs::symlink_metadata(&target).is_err()
            && target
                .parent()
                .is_some_and(|parent| fs::create_dir_all(parent).is_ok())
            && fs::rename(path, &target).is_ok();
        if !moved {
            left.push(path.clone());
        }
    }
    left
}
