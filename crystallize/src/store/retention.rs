//! Retention: versions beyond the newest N are pruned to their metrics (`metadata.json`, each
//! condition's `results.json`, and the verdicts in `hypotheses.json`), which is what crystallize-ml's `load_all_metrics` reads. Used
//! after a versioned run with `retention = N`, and by `gc`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::is_temp_name;
use super::layout::{HYPOTHESES, METADATA, RESULTS, version_dir};
use super::version::list_versions;

/// What pruning one version removes (or would remove).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pruning {
    /// The version.
    pub version: u32,
    /// Files to delete.
    pub files: Vec<PathBuf>,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Files of `version_dir` that pruning deletes: everything except `metadata.json`,
/// `hypotheses.json` and the conditions' `results.json`.
fn prunable_files(version_dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(version_dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, &mut |file| {
                let keep = file.parent() == Some(path.as_path())
                    && file.file_name().is_some_and(|name| name == RESULTS);
                if !keep {
                    files.push(file.to_path_buf());
                }
            })?;
        } else if entry.file_name() != METADATA && entry.file_name() != HYPOTHESES {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, visit)?;
        } else {
            visit(&path);
        }
    }
    Ok(())
}

fn size_of(files: &[PathBuf]) -> u64 {
    fn one(path: &Path) -> u64 {
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => fs::read_dir(path)
                .map(|entries| entries.flatten().map(|entry| one(&entry.path())).sum())
                .unwrap_or(0),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        }
    }
    files.iter().map(|file| one(file)).sum()
}

/// What keeping the newest `keep` versions whole would prune, oldest first; versions listed in
/// `protected` are never pruned (a downstream's latest run reads them).
pub(crate) fn plan_pruning(
    experiment_dir: &Path,
    keep: u32,
    protected: &[u32],
) -> io::Result<Vec<Pruning>> {
    // Only versions that are one (readable metadata) count towards the newest `keep`.
    let versions: Vec<u32> = list_versions(experiment_dir)?
        .into_iter()
        .filter(|&version| {
            super::records::read_record::<super::records::Metadata>(
                &version_dir(experiment_dir, version).join(METADATA),
            )
            .is_ok()
        })
        .collect();
    let cut = versions.len().saturating_sub(keep as usize);
    let mut plan = Vec::new();
    for &version in &versions[..cut] {
        if protected.contains(&version) {
            continue;
        }
        let files = prunable_files(&version_dir(experiment_dir, version))?;
        if !files.is_empty() {
            plan.push(Pruning {
                version,
                bytes: size_of(&files),
                files,
            });
        }
    }
    Ok(plan)
}

/// Versions of `producer` that the latest runs of `consumers` read: retention and `gc` keep
/// them whole, so a consumer's inputs never disappear under it.
pub(crate) fn read_by_consumers<'a>(
    root: &super::layout::DataRoot,
    producer: &str,
    consumers: impl IntoIterator<Item = &'a str>,
) -> Vec<u32> {
    let mut protected = Vec::new();
    for consumer in consumers {
        let dir = root.experiment_dir(consumer);
        let latest = super::version::newest_usable(&dir).map(|(_, _, metadata)| metadata);
        if let Some(version) = latest.and_then(|metadata| metadata.reads.get(producer).copied())
            && !protected.contains(&version)
        {
            protected.push(version);
        }
    }
    protected.sort_unstable();
    protected
}

/// The step-cache entries that the units of every retained version under `root` used or wrote
/// (every experiment directory counts, registered in this binary or not: the cache is shared).
pub(crate) fn cache_references(root: &Path) -> io::Result<std::collections::BTreeSet<String>> {
    let mut referenced = std::collections::BTreeSet::new();
    let entries = match fs::read_dir(root) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(referenced),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let entry = entry?;
        if !entry.file_type()?.is_dir() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        for candidate in super::version::scan(&entry.path())?.candidates {
            if let Ok(Some(journal)) = super::journal::read_journal(&candidate.dir) {
                for record in journal
                    .records
                    .values()
                    .flat_map(|records| records.values())
                {
                    referenced.extend(record.cache_entries.iter().cloned());
                }
            }
        }
    }
    Ok(referenced)
}

/// Version directories of `experiment_dir` that hold no readable `metadata.json` (an interrupted
/// run's claim, or a directory that is not ours), and unfinished rewrites (`.v<N>.next`) a killed
/// run left: what `gc` removes besides pruning.
pub(crate) fn abandoned_versions(experiment_dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for candidate in super::version::scan(experiment_dir)?.candidates {
        let readable =
            super::records::read_record::<super::records::Metadata>(&candidate.dir.join(METADATA))
                .is_ok();
        if candidate.staged || !readable {
            found.push(candidate.dir);
        }
    }
    found.sort();
    Ok(found)
}

/// Temporary files (and directories being deleted) left under `experiment_dir` by killed
/// processes.
pub(crate) fn leftover_temp_files(experiment_dir: &Path) -> io::Result<Vec<PathBuf>> {
    fn visit(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            let temporary = is_temp_name(&entry.file_name().to_string_lossy());
            if temporary {
                found.push(path);
            } else if entry.file_type()?.is_dir() {
                visit(&path, found)?;
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    if experiment_dir.is_dir() {
        visit(experiment_dir, &mut found)?;
    }
    found.sort();
    Ok(found)
}

/// Deletes `files`, then the directories they leave empty below `root`.
pub(crate) fn delete(root: &Path, files: &[PathBuf]) -> io::Result<u64> {
    let bytes = size_of(files);
    for file in files {
        let is_dir = fs::symlink_metadata(file).is_ok_and(|meta| meta.is_dir());
        let removed = if is_dir {
            fs::remove_dir_all(file)
        } else {
            fs::remove_file(file)
        };
        match removed {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
        let mut dir = file.parent();
        while let Some(current) = dir {
            if current == root || !current.starts_with(root) || fs::remove_dir(current).is_err() {
                break;
            }
            dir = current.parent();
        }
    }
    Ok(bytes)
}

/// Prunes every version of `experiment_dir` outside the newest `keep`.
pub(crate) fn apply_retention(
    experiment_dir: &Path,
    keep: u32,
    protected: &[u32],
) -> io::Result<Vec<Pruning>> {
    let plan = plan_pruning(experiment_dir, keep, protected)?;
    for pruning in &plan {
        delete(
            &version_dir(experiment_dir, pruning.version),
            &pruning.files,
        )?;
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(root: &Path, number: u32) {
        let dir = version_dir(root, number);
        fs::create_dir_all(dir.join("baseline")).unwrap();
        fs::create_dir_all(dir.join("replicate_0/baseline/step")).unwrap();
        fs::write(
            dir.join(METADATA),
            br#"{"replicates":1,"id":"","name":"x","version":0,"format":1,"status":"complete",
                "strategy":"rerun","seed":0,"seed_scheme":1,"key_scheme":1,"stages":[],
                "conditions":{},"provenance":{"crystallize":"","rustc":"","git":null,"host":null,
                "started":"","finished":"","duration_s":0.0}}"#,
        )
        .unwrap();
        fs::write(dir.join("_manifest.json"), b"{}").unwrap();
        fs::write(dir.join("baseline").join(RESULTS), b"{}").unwrap();
        fs::write(dir.join("baseline/.crystallize_complete"), b"k").unwrap();
        fs::write(dir.join("replicate_0/baseline/step/a.bin"), b"12345").unwrap();
    }

    #[test]
    fn keeps_the_newest_whole_and_older_ones_to_their_metrics() {
        let dir = tempfile::tempdir().unwrap();
        for number in 0..4 {
            version(dir.path(), number);
        }
        let pruned = apply_retention(dir.path(), 2, &[]).unwrap();
        assert_eq!(
            pruned.iter().map(|p| p.version).collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert_eq!(pruned[0].files.len(), 3);
        assert_eq!(pruned[0].bytes, 2 + 1 + 5);
        let stray = version_dir(dir.path(), 9);
        fs::create_dir(&stray).unwrap();
        assert_eq!(abandoned_versions(dir.path()).unwrap(), vec![stray]);
        for number in 0..2 {
            let v = version_dir(dir.path(), number);
            assert!(v.join(METADATA).is_file());
            assert!(v.join("baseline").join(RESULTS).is_file());
            assert!(!v.join("baseline/.crystallize_complete").exists());
            assert!(!v.join("replicate_0").exists(), "empty directories go too");
        }
        assert!(
            version_dir(dir.path(), 2)
                .join("replicate_0/baseline/step/a.bin")
                .is_file()
        );
        assert!(
            apply_retention(dir.path(), 2, &[]).unwrap().is_empty(),
            "idempotent"
        );
    }

    #[test]
    fn protected_versions_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        for number in 0..3 {
            version(dir.path(), number);
        }
        let pruned = plan_pruning(dir.path(), 1, &[0]).unwrap();
        assert_eq!(
            pruned.iter().map(|p| p.version).collect::<Vec<_>>(),
            vec![1]
        );
    }
}
