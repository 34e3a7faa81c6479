//! The file-system floor of a run: the least a program must do to leave a given tree of
//! directories and files on disk, durably. `bench/run.py` runs it on the tree a real run wrote
//! (the chain workload's `data/`), so that the run's wall time can be compared with it.
//!
//! ```text
//! floor TEMPLATE TARGET [REPEAT]
//! ```
//!
//! reads the tree below `TEMPLATE` into memory (untimed), then `REPEAT` times (default 5)
//! creates it below a fresh directory of `TARGET`: one `mkdir` per directory, parents first,
//! one create and one write per file, and one durable sync (`fdatasync` of the last file
//! written, which commits the file-system journal holding every directory and file created
//! before it on ext4 and xfs). It prints the median time in milliseconds and the counts.
//!
//! `floor --start` does nothing and exits: timed as a whole process, it is what starting and
//! ending a small Rust program costs, to add to the floor when it is compared with a whole run.
//!
//! ```text
//! floor --resume DATA [REPEAT]
//! ```
//!
//! is the floor of a resume that finds nothing changed, on the data root `DATA` a run wrote: the
//! least it must read to trust every stored result. It finds the layout first (untimed: each
//! experiment's newest version, its conditions and every artifact below its `replicate_*`
//! directories), then `REPEAT` times, per experiment: one lock (open and `flock`), one listing of
//! the experiment directory, one read of `metadata.json`, one read of each condition's marker and
//! `results.json`, and one check per artifact that it is a regular file of its size and stamp.
//! The check is measured two ways: a plain `lstat` (the least, but it follows a symbolic link
//! above the file) and the never-follow check a run makes, with the run's own code
//! (`crystallize::__bench::NoFollow`: `openat2` with `RESOLVE_NO_SYMLINKS`, `fstat`, `close`). It prints both medians in milliseconds and the counts.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A tree in memory: directories (relative, parents first) and files with their bytes.
struct Tree {
    dirs: Vec<PathBuf>,
    files: Vec<(PathBuf, Vec<u8>)>,
}

fn read_tree(root: &Path) -> std::io::Result<Tree> {
    let mut tree = Tree {
        dirs: Vec::new(),
        files: Vec::new(),
    };
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let mut entries: Vec<_> = fs::read_dir(root.join(&relative))?.collect::<Result<_, _>>()?;
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let path = relative.join(entry.file_name());
            let kind = entry.file_type()?;
            if kind.is_dir() {
                tree.dirs.push(path.clone());
                pending.push(path);
            } else if kind.is_file() {
                let bytes = fs::read(entry.path())?;
                tree.files.push((path, bytes));
            }
        }
    }
    // Parents before children.
    tree.dirs.sort_by_key(|dir| dir.components().count());
    Ok(tree)
}

fn write_tree(tree: &Tree, target: &Path) -> std::io::Result<()> {
    fs::create_dir(target)?;
    for dir in &tree.dirs {
        fs::create_dir(target.join(dir))?;
    }
    let mut last = None;
    for (path, bytes) in &tree.files {
        let mut file = fs::File::create(target.join(path))?;
        file.write_all(bytes)?;
        last = Some(file);
    }
    if let Some(file) = last {
        file.sync_data()?;
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--start") {
        return;
    }
    if args.get(1).map(String::as_str) == Some("--resume") {
        resume::main(&args[2..]);
        return;
    }
    let (Some(template), Some(target)) = (args.get(1), args.get(2)) else {
        eprintln!(
            "usage: floor TEMPLATE TARGET [REPEAT] | floor --start | floor --resume DATA [REPEAT]"
        );
        std::process::exit(2);
    };
    let repeat: usize = match args.get(3).map(|text| text.parse()) {
        None => 5,
        Some(Ok(repeat)) if repeat > 0 => repeat,
        Some(_) => {
            eprintln!("error: REPEAT must be a positive number");
            std::process::exit(2);
        }
    };
    let tree = match read_tree(Path::new(template)) {
        Ok(tree) => tree,
        Err(error) => {
            eprintln!("error: cannot read {template}: {error}");
            std::process::exit(1);
        }
    };
    let mut times = Vec::with_capacity(repeat);
    for round in 0..repeat {
        let destination = Path::new(target).join(format!("floor-{round}"));
        let started = Instant::now();
        if let Err(error) = write_tree(&tree, &destination) {
            eprintln!("error: cannot write {}: {error}", destination.display());
            std::process::exit(1);
        }
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let bytes: usize = tree.files.iter().map(|(_, bytes)| bytes.len()).sum();
    println!(
        "{:.3} ms median of {repeat}: {} directories, {} files, {bytes} bytes, 1 sync",
        times[times.len() / 2],
        tree.dirs.len() + 1,
        tree.files.len()
    );
}

/// `floor --resume`: what a resume that finds nothing changed must read.
mod resume {
    use std::fs;
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    use crystallize::__bench::NoFollow;

    /// One experiment's newest version as a resume reads it.
    struct Stored {
        experiment: PathBuf,
        version: PathBuf,
        conditions: Vec<String>,
        /// Relative to `version`.
        artifacts: Vec<PathBuf>,
    }

    /// How an artifact is checked.
    #[derive(Clone, Copy)]
    enum Check {
        Lstat,
        NoFollow,
    }

    fn newest_version(experiment: &Path) -> std::io::Result<Option<PathBuf>> {
        let mut newest: Option<(u32, PathBuf)> = None;
        for entry in fs::read_dir(experiment)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(number) = name
                .to_str()
                .and_then(|name| name.strip_prefix('v'))
                .and_then(|number| number.parse::<u32>().ok())
            else {
                continue;
            };
            if entry.file_type()?.is_dir() && newest.as_ref().is_none_or(|(n, _)| number > *n) {
                newest = Some((number, entry.path()));
            }
        }
        Ok(newest.map(|(_, path)| path))
    }

    fn files_below(
        root: &Path,
        relative: PathBuf,
        found: &mut Vec<PathBuf>,
    ) -> std::io::Result<()> {
        for entry in fs::read_dir(root.join(&relative))? {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            let kind = entry.file_type()?;
            if kind.is_dir() {
                files_below(root, path, found)?;
            } else if kind.is_file() {
                found.push(path);
            }
        }
        Ok(())
    }

    fn layout(data: &Path) -> std::io::Result<Vec<Stored>> {
        let mut stored = Vec::new();
        let mut experiments: Vec<_> = fs::read_dir(data)?.collect::<Result<_, _>>()?;
        experiments.sort_by_key(fs::DirEntry::file_name);
        for entry in experiments {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || !entry.file_type()?.is_dir() {
                continue;
            }
            let Some(version) = newest_version(&entry.path())? else {
                continue;
            };
            let mut conditions = Vec::new();
            let mut artifacts = Vec::new();
            for inner in fs::read_dir(&version)? {
                let inner = inner?;
                let inner_name = inner.file_name().to_string_lossy().into_owned();
                if !inner.file_type()?.is_dir() {
                    continue;
                }
                if inner_name.starts_with("replicate_") {
                    files_below(&version, PathBuf::from(&inner_name), &mut artifacts)?;
                } else {
                    conditions.push(inner_name);
                }
            }
            stored.push(Stored {
                experiment: entry.path(),
                version,
                conditions,
                artifacts,
            });
        }
        Ok(stored)
    }

    fn read_all(stored: &[Stored], check: Check) -> std::io::Result<()> {
        let mut locks = Vec::with_capacity(stored.len());
        for experiment in stored {
            let lock = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(experiment.experiment.join(".lock"))?;
            lock.try_lock().map_err(std::io::Error::other)?;
            locks.push(lock);
            fs::read_dir(&experiment.experiment)?.for_each(drop);
            let metadata = fs::read(experiment.version.join("metadata.json"))?;
            std::hint::black_box(metadata);
            for condition in &experiment.conditions {
                let dir = experiment.version.join(condition);
                std::hint::black_box(fs::read(dir.join(".crystallize_complete"))?);
                std::hint::black_box(fs::read(dir.join("results.json"))?);
            }
            let version = NoFollow::new(&experiment.version);
            for artifact in &experiment.artifacts {
                let meta = match check {
                    Check::Lstat => fs::symlink_metadata(experiment.version.join(artifact))?,
                    Check::NoFollow => version.metadata(artifact)?,
                };
                if !meta.is_file() {
                    return Err(std::io::Error::other("not a file"));
                }
                std::hint::black_box((meta.len(), meta.modified()?));
            }
        }
        Ok(())
    }

    fn median(stored: &[Stored], check: Check, repeat: usize) -> std::io::Result<f64> {
        let mut times = Vec::with_capacity(repeat);
        for _ in 0..repeat {
            let started = Instant::now();
            read_all(stored, check)?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        Ok(times[times.len() / 2])
    }

    pub(super) fn main(args: &[String]) {
        let Some(data) = args.first() else {
            eprintln!("usage: floor --resume DATA [REPEAT]");
            std::process::exit(2);
        };
        let repeat: usize = match args.get(1).map(|text| text.parse()) {
            None => 5,
            Some(Ok(repeat)) if repeat > 0 => repeat,
            Some(_) => {
                eprintln!("error: REPEAT must be a positive number");
                std::process::exit(2);
            }
        };
        let measured = layout(Path::new(data)).and_then(|stored| {
            // One untimed round first: every later round finds the same warm caches, as a
            // resume right after a run does.
            read_all(&stored, Check::NoFollow)?;
            let lstat = median(&stored, Check::Lstat, repeat)?;
            let no_follow = median(&stored, Check::NoFollow, repeat)?;
            Ok((stored, lstat, no_follow))
        });
        match measured {
            Ok((stored, lstat, no_follow)) => println!(
                "{no_follow:.3} ms median of {repeat} with the never-follow check, {lstat:.3} ms with lstat: \
                 {} experiments, {} conditions, {} artifacts",
                stored.len(),
                stored.iter().map(|s| s.conditions.len()).sum::<usize>(),
                stored.iter().map(|s| s.artifacts.len()).sum::<usize>()
            ),
            Err(error) => {
                eprintln!("error: cannot read {data}: {error}");
                std::process::exit(1);
            }
        }
    }
}
