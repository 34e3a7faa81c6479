//! Atomic file writes: a temporary file in the same directory, renamed into place, so no reader
//! ever sees a half-written file; and the in-place write of a unit's artifacts, which the
//! journal vouches for instead.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::files::FileStamp;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Start of the names of temporary files; such files are never read as data.
const TEMP_MARK: &str = ".tmp-";

/// Whether `name` is one of our temporary files (left behind only by a killed process).
pub(crate) fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(TEMP_MARK)
}

/// A fresh temporary name in the directory of `path`: short and independent of the target's
/// name (`.tmp-<pid>-<n>`), so that a target name of up to 255 bytes still has a temporary one.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    if path.file_name().is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} has no file name", path.display()),
        ));
    }
    static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
    Ok(path.with_file_name(format!(
        "{TEMP_MARK}{:x}-{unique:x}",
        PID.get_or_init(std::process::id)
    )))
}

/// Creates a new file (a temporary one, or an artifact written in place): never an existing
/// file, never through a symbolic link.
fn create_temp(temp: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    super::files::no_follow(&mut options);
    options.open(temp)
}

/// Writes `bytes` to `path` atomically, creating parent directories as needed. Not synced: a
/// process crash never exposes a partial file; after a power loss a record may be empty or
/// truncated, which every reader detects (unparsable, wrong key or size) and treats as missing.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |_| Ok(()))
}

/// [`write_atomic`], returning the stamp (modification time, inode) of the file now at `path`.
pub(crate) fn write_atomic_stamped(path: &Path, bytes: &[u8]) -> io::Result<FileStamp> {
    write_atomic_with(path, bytes, |file| {
        file.metadata().map(|meta| FileStamp::of(&meta))
    })
}

/// [`write_atomic`], with what `written` reads of the file written, before it is renamed.
fn write_atomic_with<T>(
    path: &Path,
    bytes: &[u8],
    written: impl FnOnce(&File) -> io::Result<T>,
) -> io::Result<T> {
    let temp = temp_path(path)?;
    let mut file = match create_temp(&temp) {
        Ok(file) => file,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            create_temp(&temp)?
        }
        Err(error) => return Err(error),
    };
    let result = file
        .write_all(bytes)
        .and_then(|()| written(&file))
        .and_then(|value| fs::rename(&temp, path).map(|()| value));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Writes `bytes` to a new file at `path` in place, without a temporary file and a rename: for
/// an artifact of a unit being run, which nothing trusts before the unit's record is journaled
/// with the file's size and content hash, so that a file torn by a crash is never used (the
/// unit runs again). A file already at `path` (left by a killed run) is replaced as
/// [`write_atomic_stamped`] does, never written through: it may be a hard link shared with
/// another version. Returns the stamp of the file written.
pub(crate) fn write_new_stamped(path: &Path, bytes: &[u8]) -> io::Result<FileStamp> {
    let mut file = match create_temp(path) {
        Ok(file) => file,
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::AlreadyExists | io::ErrorKind::NotFound
            ) =>
        {
            return write_atomic_stamped(path, bytes);
        }
        Err(error) => return Err(error),
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.metadata())
        .map(|meta| FileStamp::of(&meta));
    if written.is_err() {
        let _ = fs::remove_file(path);
    }
    written
}

/// Serialises `value` as compact JSON and writes it with [`write_atomic`] (no fsync: for data
/// that is only an optimisation to lose, such as step-cache entries).
pub(crate) fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
    write_atomic(path, &bytes)
}

/// Renames `dir` to a temporary name next to it (atomic) and deletes it on a background thread,
/// so clearing a large directory overlaps with other work. Join the handle before exiting; a
/// leftover (if the process dies first) carries a temporary name and is removed by `gc`.
pub(crate) fn remove_dir_in_background(
    dir: &Path,
) -> io::Result<std::thread::JoinHandle<io::Result<()>>> {
    let aside = temp_path(dir)?;
    fs::rename(dir, &aside)?;
    Ok(std::thread::spawn(move || fs::remove_dir_all(&aside)))
}

/// Serialises `value` as pretty JSON (for records people read) and writes it with
/// [`write_atomic`].
pub(crate) fn write_json_pretty<T: serde::Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_artifact_is_written_in_place_and_a_file_already_there_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stage").join("out.json");
        // A missing directory is created.
        let stamp = write_new_stamped(&path, b"first").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(stamp, FileStamp::of(&fs::metadata(&path).unwrap()));
        // No temporary file is left.
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
        // A file left there, hard-linked from another version, keeps its content there.
        let other = dir.path().join("other.json");
        fs::hard_link(&path, &other).unwrap();
        write_new_stamped(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(fs::read(&other).unwrap(), b"first");
    }

    #[test]
    fn a_255_byte_name_can_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a".repeat(255));
        write_atomic(&path, b"long").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"long");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_target_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, b"keep").unwrap();
        let path = dir.path().join("record.json");
        std::os::unix::fs::symlink(&outside, &path).unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&outside).unwrap(), b"keep");
        assert!(
            !fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

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
        assert!(
            is_temp_name(".file.json.tmp-12-0"),
            "names of earlier releases"
        );
        assert!(is_temp_name(
            &temp_path(&path)
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
        ));
        assert!(!is_temp_name("file.json"));
    }
}
