//! Finding files in a version directory that no run of ours writes, to report them by path.

use std::fs;
use std::path::Path;

use crate::store::atomic::is_temp_name;
use crate::store::journal::JOURNAL;
use crate::store::layout::{MANIFEST, MARKER, METADATA, RESULTS};
use crate::store::records::Metadata;

/// Files in a version directory that no run of ours writes, by path.
pub(super) fn foreign_files(version_dir: &Path, metadata: &Metadata) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(version_dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        let known = match name.as_str() {
            METADATA | MANIFEST | JOURNAL => !is_dir,
            _ if is_temp_name(&name) => true,
            _ if name.starts_with("replicate_") => is_dir,
            _ if metadata.conditions.contains_key(&name) => {
                if is_dir {
                    found.extend(foreign_in_condition(&path));
                }
                is_dir
            }
            _ => false,
        };
        if !known {
            found.push(format!("unknown file {} (ignored)", path.display()));
        }
    }
    found.sort();
    found
}

pub(super) fn foreign_in_condition(condition_dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(condition_dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            !matches!(name.as_str(), RESULTS | MARKER) && !is_temp_name(&name)
        })
        .map(|entry| format!("unknown file {} (ignored)", entry.path().display()))
        .collect()
}
