//! Content hashes of files of any size, in constant memory: a small file is read through one
//! 64 KiB buffer; a file of [`BIG_FILE_BYTES`] or more through one 8 MiB buffer, each hashed on
//! every core (blake3's `update_rayon`). Memory-mapping the file (`update_mmap_rayon`) hashes no
//! faster here, and its pages count in the process's resident memory, which then grows with the
//! file (a 256 MiB artifact raised the peak RSS of its run from 15 MiB to 263 MiB); reading
//! through a buffer keeps it flat at any size.

use std::fs::File;
use std::io::{self, Read};

use crate::key::signature::CodeHash;

/// From this size on, a file is hashed on every core (below it, the threads cost more than
/// they save).
pub(crate) const BIG_FILE_BYTES: u64 = 1 << 20;

/// The blake3 hash of an open regular file's content, and the number of bytes hashed. The file
/// is read from its start; `len` is its size when it was opened (what picks the method).
pub(crate) fn hash_contents(file: &mut File, len: u64) -> io::Result<(CodeHash, u64)> {
    if len >= BIG_FILE_BYTES {
        hash_chunks(file)
    } else {
        hash_read(file)
    }
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

/// The buffer big files are read through: large enough for every core to hash its share.
const CHUNK_BYTES: usize = 8 << 20;

/// Hashes the file on every core, reading it through one [`CHUNK_BYTES`] buffer.
fn hash_chunks(file: &mut File) -> io::Result<(CodeHash, u64)> {
    let mut hasher = blake3::Hasher::new();
    let mut buffer = vec![0u8; CHUNK_BYTES];
    let mut size = 0u64;
    loop {
        let mut filled = 0;
        while filled < buffer.len() {
            match file.read(&mut buffer[filled..]) {
                Ok(0) => break,
                Ok(read) => filled += read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        hasher.update_rayon(&buffer[..filled]);
        size += filled as u64;
        if filled < buffer.len() {
            break;
        }
    }
    Ok((CodeHash(*hasher.finalize().as_bytes()), size))
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
