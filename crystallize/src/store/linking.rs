//! Placing an existing artifact at a second path without copying its bytes: a hard link, so a
//! loaded or cached artifact of gigabytes costs one directory entry. Where the file system
//! cannot link the two paths (they are on different file systems, or it has no hard links) the
//! file is copied by the kernel (`copy_file_range`, which clones the blocks on file systems that
//! can, such as btrfs or XFS), never through this process's memory, and a warning says why.
//! Any other failure (permissions, a full disk, a missing source) is an error: nothing copies
//! gigabytes silently.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// How a file was placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placed {
    /// A hard link: same inode, no byte copied.
    Linked,
    /// A copy, because the file system cannot link these paths.
    Copied,
}

/// Whether `error` of a failed `link` says the file system cannot link these two paths (rather
/// than that something is wrong with them).
fn cannot_link(error: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(
            error.raw_os_error(),
            Some(libc::EXDEV | libc::EPERM | libc::EOPNOTSUPP | libc::EMLINK)
        ) || error.kind() == io::ErrorKind::CrossesDevices
    }
    #[cfg(not(unix))]
    {
        error.kind() == io::ErrorKind::CrossesDevices || error.kind() == io::ErrorKind::Unsupported
    }
}

/// Hard-links `from` to `to` (which must not exist); where the file system cannot link them,
/// copies in the kernel and warns (once per process) naming the paths and the reason.
pub(crate) fn link_or_explain(from: &Path, to: &Path) -> io::Result<Placed> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(Placed::Linked),
        Err(error) if cannot_link(&error) => {
            static WARNED: AtomicBool = AtomicBool::new(false);
            if !WARNED.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    "warning: cannot hard-link {} to {} ({error}): the file system cannot link them, so artifacts are copied (by the kernel; a clone where the file system supports it); keep the data directory on one file system with hard links to avoid the copies",
                    from.display(),
                    to.display()
                );
            }
            fs::copy(from, to).map(|_| Placed::Copied)
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_shares_the_inode_and_a_bad_source_is_an_error() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("a.bin");
        fs::write(&from, b"abc").unwrap();
        let to = dir.path().join("b.bin");
        assert_eq!(link_or_explain(&from, &to).unwrap(), Placed::Linked);
        assert_eq!(
            fs::metadata(&from).unwrap().ino(),
            fs::metadata(&to).unwrap().ino()
        );
        let error = link_or_explain(&dir.path().join("none"), &dir.path().join("c")).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert!(!dir.path().join("c").exists(), "nothing copied");
    }
}
