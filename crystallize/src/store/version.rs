//! Version directories: `v0` for non-versioned experiments, a freshly claimed `v<N>` per run for
//! versioned ones. A claim is a `create_dir`, which fails if
//! the directory exists, so two concurrent runs never share a version.

use std::fs;
use std::io;
use std::path::Path;

use super::layout::{parse_version, version_dir};

/// Version numbers present under `experiment_dir`, ascending (empty if it does not exist).
pub fn list_versions(experiment_dir: &Path) -> io::Result<Vec<u32>> {
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

/// Claims the next free version directory and returns its number.
pub fn claim_new_version(experiment_dir: &Path) -> io::Result<u32> {
    fs::create_dir_all(experiment_dir)?;
    let mut candidate = list_versions(experiment_dir)?
        .last()
        .map_or(0, |latest| latest + 1);
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
    }
}
