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
    let (Some(template), Some(target)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: floor TEMPLATE TARGET [REPEAT] | floor --start");
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
