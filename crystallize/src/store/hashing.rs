//! Content hashes of files of any size, in constant memory: a small file is read through one
//! 64 KiB buffer; a file of [`BIG_FILE_BYTES`] or more is memory-mapped and hashed on every core
//! (blake3's `update_mmap_rayon`), so hashing a file of gigabytes costs a fraction of writing it
//! and never holds its content in the process's own memory.

use std::fs::File;
use std::io::{self, Read};

use crate::key::signature::CodeHash;

/// From this size on, a file is hashed memory-mapped on every core (below it, the threads and
/// the mapping cost more than they save).
pub(crate) const BIG_FILE_BYTES: u64 = 1 << 20;

/// The blake3 hash of an open regular file's content, and the number of bytes hashed. The file
/// is read from its start; `len` is its size when it was opened (what picks the method).
pub(crate) fn hash_contents(file: &mut File, len: u64) -> io::Result<(CodeHash, u64)> {
    if len >= BIG_FILE_BYTES
        && let Some(hashed) = hash_mapped(file)
    {
        return hashed;
    }
    hash_read(file)
}

/// Reads the file through a fixed buffer.
fn hash_read(file: &mut File) -> io::Result<(CodeHash, u64)> {
    let mut hasher = blake3::Hasher::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let read = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        size += read as u64;
        hasher.update(&buffer[..read]);
    }
    Ok((CodeHash(*hasher.finalize().as_bytes()), size))
}

/// Hashes the file memory-mapped on every core. blake3 maps a file it opens by path; the path
/// given is the open file's own descriptor (`/proc/self/fd/<n>`), so what is hashed is exactly
/// the file opened (never a link's target swapped in since). `None` where that path is not
/// available (no `/proc`, another system): the caller reads the file instead.
#[cfg(target_os = "linux")]
fn hash_mapped(file: &File) -> Option<io::Result<(CodeHash, u64)>> {
    use std::os::fd::AsRawFd;
    let own = std::path::PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    if !own.exists() {
        return None;
    }
    let mut hasher = blake3::Hasher::new();
    Some(
        hasher
            .update_mmap_rayon(&own)
            .map(|hasher| (CodeHash(*hasher.finalize().as_bytes()), hasher.count())),
    )
}

/// Elsewhere big files are read like small ones.
#[cfg(not(target_os = "linux"))]
fn hash_mapped(_file: &File) -> Option<io::Result<(CodeHash, u64)>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_and_small_files_hash_like_their_bytes() {
        let dir = tempfile::tempdir().unwrap();
        for len in [
            0usize,
            5,
            BIG_FILE_BYTES as usize - 1,
            3 * BIG_FILE_BYTES as usize + 7,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &bytes).unwrap();
            let mut file = File::open(&path).unwrap();
            let (hash, size) = hash_contents(&mut file, len as u64).unwrap();
            assert_eq!(hash, CodeHash::of(&bytes), "{len} bytes");
            assert_eq!(size, len as u64);
        }
    }
}
