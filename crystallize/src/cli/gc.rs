//! `gc`: prune versions beyond the newest N to their metrics (never one a consumer's latest run
//! read), remove what killed runs left (temporary files, versions claimed but never written,
//! unfinished rewrites) and, over all experiments, step-cache entries no retained version uses,
//! printing what goes and the bytes reclaimed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::decide::plan;
use crate::define::graph::Graph;
use crate::define::registration::Registered;
use crate::store::layout::DataRoot;
use crate::store::lock::{ExperimentLock, LockError, WaitPolicy};
use crate::store::retention::{
    abandoned_versions, cache_references, delete, leftover_temp_files, plan_pruning,
    read_by_consumers,
};
use crate::store::version;

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, GlobalArgs};

/// Formats a byte count: `512 B`, `1.5 KiB`, `3.2 MiB`.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Total size of files and directory trees (links count as themselves).
fn size_of(paths: &[PathBuf]) -> u64 {
    fn one(path: &Path) -> u64 {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => std::fs::read_dir(path)
                .map(|entries| entries.flatten().map(|entry| one(&entry.path())).sum())
                .unwrap_or(0),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        }
    }
    paths.iter().map(|path| one(path)).sum()
}

/// Collects what `gc` prints; written at the end, quietly stopping if stdout is closed.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn add(&mut self, line: impl AsRef<str>) {
        self.0.push_str(line.as_ref());
        self.0.push('\n');
    }

    fn print(&self) {
        let mut stdout = std::io::stdout().lock();
        let written = stdout
            .write_all(self.0.as_bytes())
            .and_then(|()| stdout.flush());
        if let Err(error) = written
            && error.kind() != std::io::ErrorKind::BrokenPipe
        {
            eprintln!("error: cannot print: {error}");
        }
    }
}

pub(super) fn gc(
    registered: &[Registered],
    graph: &Graph,
    names: &[String],
    keep: Option<u32>,
    dry_run: bool,
    global: &GlobalArgs,
) -> i32 {
    let started = SystemTime::now();
    let selected = match plan::select(registered, names) {
        Ok(selected) => selected,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return EXIT_USAGE;
        }
    };
    let root = DataRoot::new(&global.data_dir);
    let wait = if global.no_wait {
        WaitPolicy::NoWait
    } else {
        WaitPolicy::Wait
    };
    let verb = if dry_run { "would delete" } else { "deleted" };
    let mut out = Lines::default();
    let mut total = 0u64;
    let mut entries = Vec::new();
    let mut code = EXIT_OK;
    for registered in selected {
        let name = registered.name();
        let dir = root.experiment_dir(name);
        if crate::store::files::kind(&dir) != crate::store::files::Kind::Dir {
            continue;
        }
        let notice = || eprintln!("waiting for another run of `{name}` to finish");
        // Held until this experiment is done: no run writes it while gc deletes.
        let lock = if dry_run {
            ExperimentLock::acquire_shared(&dir, wait, notice)
        } else {
            ExperimentLock::acquire(&dir, wait, notice).map(Some)
        };
        let _lock = match lock {
            Ok(lock) => lock,
            Err(LockError::Busy) => {
                eprintln!("error: another run of `{name}` holds its lock");
                out.print();
                return EXIT_USAGE;
            }
            Err(LockError::Link) => {
                eprintln!(
                    "error: {} is a symbolic link: crystallize never follows links inside the data directory; remove it",
                    dir.join(crate::store::layout::LOCK).display()
                );
                out.print();
                return EXIT_USAGE;
            }
            Err(LockError::Io(error)) => {
                eprintln!("error: cannot lock {}: {error}", dir.display());
                out.print();
                return EXIT_FAILED;
            }
        };
        if !dry_run {
            // A swap a crash interrupted is finished (or undone) first.
            let recovered = version::scan(&dir).and_then(|scan| version::recover(&dir, &scan));
            if let Err(error) = recovered {
                eprintln!(
                    "error: cannot finish an interrupted rewrite in {}: {error}",
                    dir.display()
                );
                code = EXIT_FAILED;
                continue;
            }
        }
        let keep = keep.or(registered.registration.options.retention);
        let protected = read_by_consumers(&root, name, graph.consumers_of(name));
        let found = keep
            .map_or(Ok(Vec::new()), |keep| plan_pruning(&dir, keep, &protected))
            .and_then(|pruning| abandoned_versions(&dir).map(|abandoned| (pruning, abandoned)))
            .and_then(|(pruning, abandoned)| {
                leftover_temp_files(&dir).map(|temp| (pruning, abandoned, temp))
            });
        let (pruning, abandoned, temp) = match found {
            Ok((pruning, abandoned, temp)) => {
                let pruned: Vec<&PathBuf> = pruning.iter().flat_map(|prune| &prune.files).collect();
                let temp: Vec<PathBuf> = temp
                    .into_iter()
                    .filter(|file| {
                        !pruned.contains(&file)
                            && !abandoned.iter().any(|gone| file.starts_with(gone))
                    })
                    .collect();
                (pruning, abandoned, temp)
            }
            Err(error) => {
                eprintln!("error: cannot inspect {}: {error}", dir.display());
                code = EXIT_FAILED;
                continue;
            }
        };
        let mut bytes = 0u64;
        let mut versions = Vec::new();
        for prune in &pruning {
            if !global.json {
                out.add(format!(
                    "{name}: {verb} {} files of v{} ({}), keeping its metrics",
                    prune.files.len(),
                    prune.version,
                    human_bytes(prune.bytes)
                ));
                if global.verbose > 0 {
                    for file in &prune.files {
                        out.add(format!("  {}", file.display()));
                    }
                }
            }
            bytes += prune.bytes;
            versions.push(serde_json::json!({
                "version": prune.version,
                "files": prune.files.len(),
                "bytes": prune.bytes,
            }));
        }
        let mut abandoned_report = Vec::new();
        for gone in &abandoned {
            let size = size_of(std::slice::from_ref(gone));
            if !global.json {
                let what = if gone
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().ends_with(".next"))
                {
                    "an unfinished rewrite a killed run left"
                } else {
                    "no readable metadata.json: a version an interrupted run claimed, or not ours"
                };
                out.add(format!(
                    "{name}: {verb} {} ({what}; {})",
                    gone.display(),
                    human_bytes(size)
                ));
            }
            bytes += size;
            abandoned_report.push(serde_json::json!({
                "path": gone.display().to_string(),
                "bytes": size,
            }));
        }
        let temp_bytes = size_of(&temp);
        if !temp.is_empty() && !global.json {
            out.add(format!(
                "{name}: {verb} {} temporary files left by killed runs ({})",
                temp.len(),
                human_bytes(temp_bytes)
            ));
        }
        bytes += temp_bytes;
        if !dry_run {
            let mut result = delete(&dir, &temp).map(drop);
            for gone in &abandoned {
                result = result.and_then(|()| delete(&dir, std::slice::from_ref(gone)).map(drop));
            }
            for prune in &pruning {
                result = result.and_then(|()| {
                    delete(
                        &crate::store::layout::version_dir(&dir, prune.version),
                        &prune.files,
                    )
                    .map(drop)
                });
            }
            if let Err(error) = result {
                eprintln!("error: cannot delete under {}: {error}", dir.display());
                code = EXIT_FAILED;
            }
        }
        total += bytes;
        entries.push(serde_json::json!({
            "name": name,
            "keep": keep,
            "pruned": versions,
            "abandoned": abandoned_report,
            "temporary_files": temp.len(),
            "bytes": bytes,
        }));
    }
    // The step cache is shared by every experiment under the root: it is pruned only by a gc of
    // all experiments, keeping the entries any retained version's units used or wrote.
    let cache_dir = root.path().join(crate::unit::cache::CACHE_DIR);
    let mut cache_report = serde_json::Value::Null;
    let cache_temp = leftover_temp_files(&cache_dir).unwrap_or_default();
    let pruning = if names.is_empty() {
        cache_references(root.path()).and_then(|referenced| {
            crate::unit::cache::plan_cache_pruning(&cache_dir, &referenced, started)
        })
    } else {
        Ok(crate::unit::cache::CachePruning::default())
    };
    match pruning {
        Ok(pruning) => {
            let temp_bytes = size_of(&cache_temp);
            if !global.json {
                if !cache_temp.is_empty() {
                    out.add(format!(
                        "{}: {verb} {} temporary files left by killed runs ({})",
                        cache_dir.display(),
                        cache_temp.len(),
                        human_bytes(temp_bytes)
                    ));
                }
                if !pruning.files.is_empty() {
                    out.add(format!(
                        "{}: {verb} {} step-cache entries and {} blobs no retained version uses ({})",
                        cache_dir.display(),
                        pruning.entries,
                        pruning.blobs,
                        human_bytes(pruning.bytes)
                    ));
                }
            }
            if !dry_run {
                let deleted = delete(&cache_dir, &cache_temp)
                    .and_then(|_| delete(&cache_dir, &pruning.files));
                if let Err(error) = deleted {
                    eprintln!(
                        "error: cannot delete under {}: {error}",
                        cache_dir.display()
                    );
                    code = EXIT_FAILED;
                }
            }
            total += temp_bytes + pruning.bytes;
            cache_report = serde_json::json!({
                "entries": pruning.entries,
                "blobs": pruning.blobs,
                "temporary_files": cache_temp.len(),
                "bytes": temp_bytes + pruning.bytes,
            });
        }
        Err(error) => {
            eprintln!("error: cannot inspect {}: {error}", cache_dir.display());
            code = EXIT_FAILED;
        }
    }
    // The run directories of Slurm runs whose coordinator finished with them.
    let slurm_runs = if names.is_empty() {
        crate::exec::slurm::finished_runs(root.path())
    } else {
        Vec::new()
    };
    if !slurm_runs.is_empty() {
        let bytes = size_of(&slurm_runs);
        if !global.json {
            out.add(format!(
                "{}: {verb} {} finished Slurm run directories ({})",
                root.path().join(crate::exec::slurm::SLURM_DIR).display(),
                slurm_runs.len(),
                human_bytes(bytes)
            ));
        }
        if !dry_run {
            for dir in &slurm_runs {
                if let Err(error) = std::fs::remove_dir_all(dir) {
                    eprintln!("error: cannot delete {}: {error}", dir.display());
                    code = EXIT_FAILED;
                }
            }
        }
        total += bytes;
    }
    if global.json {
        out.add(
            serde_json::to_string_pretty(&serde_json::json!({
                "dry_run": dry_run,
                "experiments": entries,
                "slurm_runs": slurm_runs.len(),
                "cache": cache_report,
                "bytes": total,
            }))
            .unwrap_or_default(),
        );
    } else {
        out.add(format!(
            "{} {} in total",
            if dry_run {
                "would reclaim"
            } else {
                "reclaimed"
            },
            human_bytes(total)
        ));
    }
    out.print();
    code
}
