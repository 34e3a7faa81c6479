//! Atomic file writes: a temporary file in the same directory, renamed into place, so no reader
//! ever sees a half-written file.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Marker inside the names of temporary files; such files are never read as data.
const TEMP_MARK: &str = ".tmp-";

/// Whether `name` is one of our temporary files (left behind only by a killed process).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(TEMP_MARK)
}

fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} has no file name", path.display()),
        )
    })?;
    static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(path.with_file_name(format!(
        ".{}{TEMP_MARK}{}-{unique}",
        name.to_string_lossy(),
        PID.get_or_init(std::process::id)
    )))
}

/// Writes `bytes` to `path` atomically, creating parent directories as needed. Not synced: a
/// process crash never exposes a partial file; after a power loss a record may be empty or
/// truncated, which every reader detects (unparsable, wrong key or size) and treats as missing.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_path(path)?;
    let mut file = match File::create(&temp) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            File::create(&temp)?
        }
        Err(error) => return Err(error),
    };
    let written = file.write_all(bytes).and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Serialises `value` as compact JSON and writes it with [`write_atomic`] (no fsync: for data
/// that is only an optimisation to lose, such as step-cache entries).
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
    write_atomic(path, &bytes)
}

/// Renames `dir` to a temporary name next to it (atomic) and deletes it on a background thread,
/// so clearing a large directory overlaps with other work. Join the handle before exiting; a
/// leftover (if the process dies first) carries a temporary name and is removed by `gc`.
pub fn remove_dir_in_background(dir: &Path) -> io::Result<std::thread::JoinHandle<io::Result<()>>> {
    let aside = temp_path(dir)?;
    fs::rename(dir, &aside)?;
    Ok(std::thread::spawn(move || fs::remove_dir_all(&aside)))
}

/// Serialises `value` as pretty JSON (for records people read) and writes it with
/// [`write_atomic`].
pub fn write_json_pretty<T: serde::Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_creates_parents_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/file.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["file.json".to_string()]);
        assert!(is_temp_name(".file.json.tmp-12-0"));
        assert!(!is_temp_name("file.json"));
    }
}
