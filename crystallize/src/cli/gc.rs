//! `gc`: prune versions beyond the newest N to their metrics (never one a consumer's latest run
//! read), and delete temporary files left by killed runs, printing what goes and the bytes
//! reclaimed.

use crate::graph::Graph;
use crate::plan;
use crate::registry::Registered;
use crate::store::layout::DataRoot;
use crate::store::lock::WaitPolicy;

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

pub(super) fn gc(
    registered: &[Registered],
    graph: &Graph,
    names: &[String],
    keep: Option<u32>,
    dry_run: bool,
    global: &GlobalArgs,
) -> i32 {
    use crate::store::lock::{ExperimentLock, LockError};
    use crate::store::retention::{delete, leftover_temp_files, plan_pruning, read_by_consumers};

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
    let mut total = 0u64;
    let mut entries = Vec::new();
    for registered in selected {
        let name = registered.name();
        let dir = root.experiment_dir(name);
        if !dir.is_dir() {
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
                return EXIT_USAGE;
            }
            Err(LockError::Io(error)) => {
                eprintln!("error: cannot lock {}: {error}", dir.display());
                return EXIT_FAILED;
            }
        };
        let keep = keep.or(registered.registration.options.retention);
        let protected = read_by_consumers(&root, name, graph.consumers_of(name));
        let found = keep
            .map_or(Ok(Vec::new()), |keep| plan_pruning(&dir, keep, &protected))
            .and_then(|pruning| leftover_temp_files(&dir).map(|temp| (pruning, temp)));
        let (pruning, temp) = match found {
            Ok((pruning, temp)) => {
                let pruned: Vec<&std::path::PathBuf> =
                    pruning.iter().flat_map(|prune| &prune.files).collect();
                let temp: Vec<std::path::PathBuf> = temp
                    .into_iter()
                    .filter(|file| !pruned.contains(&file))
                    .collect();
                (pruning, temp)
            }
            Err(error) => {
                eprintln!("error: cannot inspect {}: {error}", dir.display());
                return EXIT_FAILED;
            }
        };
        let mut bytes = 0u64;
        let mut versions = Vec::new();
        for prune in &pruning {
            if !global.json {
                println!(
                    "{name}: {verb} {} files of v{} ({}), keeping its metrics",
                    prune.files.len(),
                    prune.version,
                    human_bytes(prune.bytes)
                );
                if global.verbose > 0 {
                    for file in &prune.files {
                        println!("  {}", file.display());
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
        let temp_bytes: u64 = temp
            .iter()
            .filter_map(|file| std::fs::metadata(file).ok())
            .map(|meta| meta.len())
            .sum();
        if !temp.is_empty() && !global.json {
            println!(
                "{name}: {verb} {} temporary files left by killed runs ({})",
                temp.len(),
                human_bytes(temp_bytes)
            );
        }
        bytes += temp_bytes;
        if !dry_run {
            let mut result = delete(&dir, &temp).map(drop);
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
                return EXIT_FAILED;
            }
        }
        total += bytes;
        entries.push(serde_json::json!({
            "name": name,
            "keep": keep,
            "pruned": versions,
            "temporary_files": temp.len(),
            "bytes": bytes,
        }));
    }
    // Temporary files a killed run left in the step cache.
    let cache_dir = root.path().join(crate::cache::CACHE_DIR);
    let cache_temp = leftover_temp_files(&cache_dir).unwrap_or_default();
    if !cache_temp.is_empty() {
        let bytes: u64 = cache_temp
            .iter()
            .filter_map(|file| std::fs::metadata(file).ok())
            .map(|meta| meta.len())
            .sum();
        if !global.json {
            println!(
                "{}: {verb} {} temporary files left by killed runs ({})",
                cache_dir.display(),
                cache_temp.len(),
                human_bytes(bytes)
            );
        }
        if !dry_run && let Err(error) = delete(&cache_dir, &cache_temp) {
            eprintln!(
                "error: cannot delete under {}: {error}",
                cache_dir.display()
            );
            return EXIT_FAILED;
        }
        total += bytes;
    }
    if global.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "dry_run": dry_run,
                "experiments": entries,
                "bytes": total,
            }))
            .unwrap_or_default()
        );
    } else {
        println!(
            "{} {} in total",
            if dry_run {
                "would reclaim"
            } else {
                "reclaimed"
            },
            human_bytes(total)
        );
    }
    EXIT_OK
}
