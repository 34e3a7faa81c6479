//! File access below the data root that never follows a symbolic link: records are opened with
//! `O_NOFOLLOW`, directories are checked with `lstat`, and what a file looked like when it was
//! written is kept as a [`FileStamp`] (size, modification time, inode), so resume can tell an
//! untouched artifact from an edited one without rereading it, as git's index does.
//!
//! The data root itself may be a link (a `data -> /scratch/data` set up on purpose); everything
//! below it must be a real file or directory, or it is reported and treated as foreign.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

/// Opens `path` for reading; a symbolic link as its last component is an error
/// ([`is_symlink_error`]).
pub(crate) fn open_read(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    no_follow(&mut options);
    options.open(path)
}

/// Reads the whole file at `path` without following a symbolic link.
pub(crate) fn read(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open_read(path)?;
    // Most files read here are small records (a marker, `results.json`, `metadata.json`): up to
    // `SMALL_READ` bytes are read without `File::read_to_end`'s size hint, an `fstat` and an
    // `lseek` that cost more than the read itself; a larger file goes on with the hint.
    let mut bytes = Vec::with_capacity(SMALL_READ);
    (&mut file)
        .take(SMALL_READ as u64)
        .read_to_end(&mut bytes)?;
    if bytes.len() == SMALL_READ {
        file.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// What [`read`] reads before it asks for the file's size.
const SMALL_READ: usize = 16 * 1024;

/// Sets `O_NOFOLLOW` on `options` (Unix; elsewhere links are checked by the callers' `lstat`).
pub(crate) fn no_follow(options: &mut OpenOptions) {
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
pub(crate) fn is_symlink_error(error: &io::Error) -> bool {
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
pub(crate) enum Kind {
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
pub(crate) fn kind(path: &Path) -> Kind {
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
pub(crate) struct FileStamp {
    /// Modification time, nanoseconds since the Unix epoch.
    #[serde(rename = "mtime")]
    pub mtime_ns: u64,
    /// Inode number (0 where the platform has none).
    #[serde(rename = "ino")]
    pub inode: u64,
}

impl FileStamp {
    /// The stamp of a file's metadata.
    pub(crate) fn of(meta: &fs::Metadata) -> FileStamp {
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
    pub(crate) fn is_known(&self) -> bool {
        self.mtime_ns != 0
    }
}

/// Hashes the regular file at `path` (never through a link), with its current stamp.
#[cfg(test)]
pub(crate) fn hash_file(
    path: &Path,
) -> io::Result<(crate::key::signature::CodeHash, u64, FileStamp)> {
    hash_open_file(open_read(path)?)
}

/// Hashes an open regular file, with its current stamp (in constant memory, whatever its size:
/// see [`super::hashing`]).
pub(crate) fn hash_open_file(
    mut file: File,
) -> io::Result<(crate::key::signature::CodeHash, u64, FileStamp)> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    let (hash, size) = super::hashing::hash_contents(&mut file, meta.len())?;
    Ok((hash, size, FileStamp::of(&meta)))
}

/// Why a path below a [`Beneath`] directory could not be resolved.
#[derive(Debug)]
pub(crate) enum Unresolved {
    /// Nothing there.
    Missing,
    /// A component of the path is a symbolic link (this one), never followed.
    Link(PathBuf),
    /// Another error.
    Other(io::Error),
}

/// A directory below which paths are resolved without ever following a symbolic link: on Linux
/// with one `openat2(RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH)` per path, elsewhere (or on kernels
/// without it) by checking each component with `lstat`.
pub(crate) struct Beneath {
    dir: PathBuf,
    #[cfg(target_os = "linux")]
    fd: std::cell::OnceCell<Option<std::os::fd::OwnedFd>>,
}

impl Beneath {
    /// Paths below `dir` (opened on first use).
    pub(crate) fn new(dir: &Path) -> Beneath {
        Beneath {
            dir: dir.to_path_buf(),
            #[cfg(target_os = "linux")]
            fd: std::cell::OnceCell::new(),
        }
    }

    /// `lstat` of `relative`, provided no component of it is a link.
    pub(crate) fn metadata(&self, relative: &Path) -> Result<fs::Metadata, Unresolved> {
        #[cfg(target_os = "linux")]
        if let Some(file) = self.open_linux(relative, false)? {
            return file.metadata().map_err(Unresolved::Other);
        }
        self.check_components(relative)?;
        fs::symlink_metadata(self.dir.join(relative)).map_err(unresolved)
    }

    /// Opens the regular file `relative` for reading, provided no component of it is a link.
    pub(crate) fn open_file(&self, relative: &Path) -> Result<File, Unresolved> {
        #[cfg(target_os = "linux")]
        if let Some(file) = self.open_linux(relative, true)? {
            return Ok(file);
        }
        self.check_components(relative)?;
        open_read(&self.dir.join(relative)).map_err(unresolved)
    }

    /// `Ok(None)` where `openat2` is not available (old kernel, filtered system call).
    #[cfg(target_os = "linux")]
    fn open_linux(&self, relative: &Path, read: bool) -> Result<Option<File>, Unresolved> {
        let Some(fd) = self.dir_fd() else {
            return Ok(None);
        };
        match openat2_beneath(fd, relative, read) {
            Ok(file) => Ok(Some(file)),
            Err(error) => match error.raw_os_error() {
                Some(libc::ENOENT | libc::ENOTDIR) => Err(Unresolved::Missing),
                Some(libc::ELOOP | libc::EXDEV) => Err(Unresolved::Link(
                    self.first_link(relative)
                        .unwrap_or_else(|| self.dir.join(relative)),
                )),
                Some(libc::ENOSYS | libc::EPERM | libc::EINVAL | libc::E2BIG) => Ok(None),
                _ => Err(Unresolved::Other(error)),
            },
        }
    }

    fn check_components(&self, relative: &Path) -> Result<(), Unresolved> {
        match self.first_link(relative) {
            Some(link) => Err(Unresolved::Link(link)),
            None => Ok(()),
        }
    }

    /// The first component of `relative` (below the directory) that is a link, if any.
    fn first_link(&self, relative: &Path) -> Option<PathBuf> {
        let mut path = self.dir.clone();
        for component in relative.components() {
            path.push(component);
            match kind(&path) {
                Kind::Link => return Some(path),
                Kind::Dir => {}
                _ => return None,
            }
        }
        None
    }

    #[cfg(target_os = "linux")]
    fn dir_fd(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        use std::os::fd::AsFd;
        self.fd
            .get_or_init(|| {
                let mut options = OpenOptions::new();
                options.read(true);
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW);
                }
                options.open(&self.dir).ok().map(std::os::fd::OwnedFd::from)
            })
            .as_ref()
            .map(|fd| fd.as_fd())
    }
}

fn unresolved(error: io::Error) -> Unresolved {
    if error.kind() == io::ErrorKind::NotFound {
        Unresolved::Missing
    } else if is_symlink_error(&error) {
        Unresolved::Other(io::Error::other("is a symbolic link"))
    } else {
        Unresolved::Other(error)
    }
}

/// The one place the runtime calls the system directly (std has no `openat2`); every unsafe
/// operation below has its safety argument next to it.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn openat2_beneath(
    dir: std::os::fd::BorrowedFd<'_>,
    relative: &Path,
    read: bool,
) -> io::Result<File> {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::os::unix::ffi::OsStrExt;
    let bytes = relative.as_os_str().as_bytes();
    if bytes.contains(&0) {
        return Err(io::Error::from_raw_os_error(libc::ENOENT));
    }
    // Most paths here are short (an artifact below its version): NUL-terminated on the stack.
    let mut short = [0u8; 256];
    let heap;
    let name: &std::ffi::CStr = if bytes.len() < short.len() {
        short[..bytes.len()].copy_from_slice(bytes);
        std::ffi::CStr::from_bytes_until_nul(&short)
            .map_err(|_| io::Error::from_raw_os_error(libc::ENOENT))?
    } else {
        heap = std::ffi::CString::new(bytes)
            .map_err(|_| io::Error::from_raw_os_error(libc::ENOENT))?;
        &heap
    };
    // SAFETY: `open_how` is plain data; zeroed is a valid value, then the fields are set.
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    let access = if read { libc::O_RDONLY } else { libc::O_PATH };
    how.flags = (access | libc::O_NOFOLLOW | libc::O_CLOEXEC) as u64;
    how.resolve = libc::RESOLVE_NO_SYMLINKS | libc::RESOLVE_BENEATH;
    // SAFETY: valid directory fd, NUL-terminated path, and a pointer to `how` with its size.
    let result = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            dir.as_raw_fd(),
            name.as_ptr(),
            &how as *const libc::open_how,
            std::mem::size_of::<libc::open_how>(),
        )
    };
    if result < 0 {
        return Err(io::Error::last_os_error());
    }
    let fd = i32::try_from(result).map_err(|_| io::Error::other("fd out of range"))?;
    // SAFETY: the kernel returned a new file descriptor that nothing else owns.
    Ok(File::from(unsafe { OwnedFd::from_raw_fd(fd) }))
}

/// Whether an I/O error means the storage itself failed (full, over quota, read-only, or a device
/// error), so that every further write would fail too.
pub(crate) fn is_storage_failure(error: &io::Error) -> bool {
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

/// Makes everything written to the file system holding `dir` durable, in one call: `syncfs` on
/// Linux, `sync` on other Unix systems (a run's one durable sync, at its end).
#[allow(unsafe_code)]
pub(crate) fn sync_file_system(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let handle = File::open(dir)?;
        // SAFETY: `syncfs` only reads the descriptor, which `handle` keeps open for the call.
        if unsafe { libc::syncfs(handle.as_raw_fd()) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        let _ = dir;
        // SAFETY: `sync` takes no arguments and cannot fail.
        unsafe { libc::sync() };
        Ok(())
    }
    #[cfg(not(unix))]
    {
        File::open(dir)?.sync_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_system_of_a_directory_syncs_and_a_missing_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        sync_file_system(dir.path()).unwrap();
        assert!(sync_file_system(&dir.path().join("missing")).is_err());
    }

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
        }
        assert_eq!(read(&target).unwrap(), b"{}");
        assert_eq!(kind(&target), Kind::File);
        assert_eq!(kind(dir.path()), Kind::Dir);
        assert_eq!(kind(&dir.path().join("none")), Kind::Missing);
    }

    #[cfg(unix)]
    #[test]
    fn paths_beneath_a_directory_never_cross_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/b")).unwrap();
        fs::write(dir.path().join("a/b/file"), b"x").unwrap();
        fs::create_dir_all(outside.path().join("b")).unwrap();
        fs::write(outside.path().join("b/file"), b"y").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("c")).unwrap();
        let beneath = Beneath::new(dir.path());
        assert_eq!(beneath.metadata(Path::new("a/b/file")).unwrap().len(), 1);
        let mut text = String::new();
        beneath
            .open_file(Path::new("a/b/file"))
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "x");
        match beneath.metadata(Path::new("c/b/file")) {
            Err(Unresolved::Link(link)) => assert_eq!(link, dir.path().join("c")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            beneath.metadata(Path::new("a/none")),
            Err(Unresolved::Missing)
        ));
        // Paths of any length (short ones are passed from the stack, long ones from the heap),
        // and none with a NUL byte.
        for length in [255, 256, 300] {
            // `a/<200 d's>/<the rest>`: no name above the file systems' 255 bytes.
            let deep = Path::new("a").join("d".repeat(200));
            fs::create_dir_all(dir.path().join(&deep)).unwrap();
            let relative = deep.join("n".repeat(length - 2 - 200 - 1));
            fs::write(dir.path().join(&relative), b"long").unwrap();
            assert_eq!(relative.as_os_str().len(), length);
            assert_eq!(beneath.metadata(&relative).unwrap().len(), 4, "{length}");
        }
        assert!(beneath.metadata(Path::new("a/b/fi\0le")).is_err());
    }

    #[test]
    fn a_same_size_edit_changes_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.bin");
        fs::write(&path, b"12345").unwrap();
        let (hash, size, stamp) = hash_file(&path).unwrap();
        assert_eq!(hash, crate::key::signature::CodeHash::of(b"12345"));
        assert_eq!(size, 5);
        let now = || FileStamp::of(&fs::metadata(&path).unwrap());
        assert_eq!(now(), stamp);
        // Rewritten with the same size a moment later: the modification time moves.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&path, b"54321").unwrap();
        assert_ne!(now(), stamp);
        assert!(!FileStamp::default().is_known());
    }
}
