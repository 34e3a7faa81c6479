//! File access below the data root that never follows a symbolic link: records are opened with
//! `O_NOFOLLOW`, directories are checked with `lstat`, and what a file looked like when it was
//! written is kept as a [`FileStamp`] (size, modification time, inode), so resume can tell an
//! untouched artifact from an edited one without rereading it, as git's index does.
//!
//! The data root itself may be a link (a `data -> /scratch/data` set up on purpose); everything
//! below it must be a real file or directory, or it is reported and treated as foreign.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// Opens `path` for reading; a symbolic link as its last component is an error
/// ([`is_symlink_error`]).
pub fn open_read(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    no_follow(&mut options);
    options.open(path)
}

/// Reads the whole file at `path` without following a symbolic link.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open_read(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Sets `O_NOFOLLOW` on `options` (Unix; elsewhere links are checked by the callers' `lstat`).
pub fn no_follow(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    {
        let _ = options;
    }
}

/// Whether `error` says an `O_NOFOLLOW` open met a symbolic link.
pub fn is_symlink_error(error: &io::Error) -> bool {
    #[cfg(unix)]
    {
        error.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = error;
        false
    }
}

/// What is at a path, without following a link there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Nothing.
    Missing,
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link (never followed).
    Link,
    /// Something else (socket, device, ...), or unreadable.
    Other,
}

/// The kind of entry at `path` (`lstat`).
pub fn kind(path: &Path) -> Kind {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Kind::Link,
        Ok(meta) if meta.is_dir() => Kind::Dir,
        Ok(meta) if meta.is_file() => Kind::File,
        Ok(_) => Kind::Other,
        Err(error) if error.kind() == io::ErrorKind::NotFound => Kind::Missing,
        Err(_) => Kind::Other,
    }
}

/// Size, modification time and inode of a file when it was written: an unchanged stamp means an
/// unchanged file (short of someone restoring the modification time by hand); a changed stamp
/// means the content must be hashed again.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Modification time, nanoseconds since the Unix epoch.
    #[serde(rename = "mtime")]
    pub mtime_ns: u64,
    /// Inode number (0 where the platform has none).
    #[serde(rename = "ino")]
    pub inode: u64,
}

impl FileStamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &fs::Metadata) -> FileStamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |since| {
                u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
            });
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        FileStamp { mtime_ns, inode }
    }

    /// Whether this stamp was recorded at all (records written before stamps existed have none).
    pub fn is_known(&self) -> bool {
        self.mtime_ns != 0
    }
}

/// Whether a regular file at `path` (not a link) still has `size` bytes and `stamp`. `None` when
/// there is no regular file there; `Some(false)` when it exists but changed or may have.
pub fn unchanged(path: &Path, size: u64, stamp: &FileStamp) -> Option<bool> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    Some(meta.len() == size && stamp.is_known() && FileStamp::of(&meta) == *stamp)
}

/// Hashes the regular file at `path` (never through a link), with its current stamp.
pub fn hash_file(path: &Path) -> io::Result<(crate::signature::CodeHash, u64, FileStamp)> {
    let mut file = open_read(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let mut hasher = blake3::Hasher::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        size += read as u64;
        hasher.update(&buffer[..read]);
    }
    Ok((
        crate::signature::CodeHash(*hasher.finalize().as_bytes()),
        size,
        FileStamp::of(&meta),
    ))
}

/// Whether an I/O error means the storage itself failed (full, over quota, read-only, or a device
/// error), so that every further write would fail too.
pub fn is_storage_failure(error: &io::Error) -> bool {
    use io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::ReadOnlyFilesystem
    ) {
        return true;
    }
    #[cfg(unix)]
    {
        matches!(
            error.raw_os_error(),
            Some(libc::EIO | libc::ENOSPC | libc::EDQUOT | libc::EROFS)
        )
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.json");
        fs::write(&target, b"{}").unwrap();
        let link = dir.path().join("link.json");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let error = read(&link).unwrap_err();
            assert!(is_symlink_error(&error), "{error}");
            assert_eq!(kind(&link), Kind::Link);
            assert_eq!(unchanged(&link, 2, &FileStamp::default()), None);
        }
        assert_eq!(read(&target).unwrap(), b"{}");
        assert_eq!(kind(&target), Kind::File);
        assert_eq!(kind(dir.path()), Kind::Dir);
        assert_eq!(kind(&dir.path().join("none")), Kind::Missing);
    }

    #[test]
    fn a_same_size_edit_changes_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.bin");
        fs::write(&path, b"12345").unwrap();
        let (hash, size, stamp) = hash_file(&path).unwrap();
        assert_eq!(hash, crate::signature::CodeHash::of(b"12345"));
        assert_eq!(unchanged(&path, size, &stamp), Some(true));
        // Rewritten with the same size a moment later: the modification time moves.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&path, b"54321").unwrap();
        assert_eq!(unchanged(&path, size, &stamp), Some(false));
        assert_eq!(unchanged(&path, size, &FileStamp::default()), Some(false));
    }
}
