//! A new file hashed while it is written, so that its content hash costs no second read of it.
//!
//! Bytes are gathered in a buffer of up to [`CHUNK_BYTES`] (grown as needed, so a small file
//! never allocates it all); each full buffer, and each write that is that large by itself
//! (without copying it), goes to the file while it is hashed on another core
//! (`rayon_core::join`, the hashing half with blake3's `update_rayon`, which the writing thread
//! helps with once its write is done). Pieces below [`BIG_FILE_BYTES`] are hashed and written
//! one after the other.
//!
//! The hash is trusted only for the file this writer wrote: [`HashingFile::finish`] checks, with
//! `lstat` (never following a link), that the path still holds the same regular file (device and
//! inode), with exactly the bytes written and unchanged since the last write (size, modification
//! and change times); and before each of its writes it checks with `fstat` that nothing changed
//! the file since its previous one. When anything differs (the file was written through another
//! handle, replaced, truncated), or a write failed, it says so and the caller hashes the file as
//! it is instead: a wrong hash is never returned.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::files::{FileStamp, no_follow};
use super::hashing::BIG_FILE_BYTES;
use crate::key::signature::CodeHash;

/// The largest piece written at once from the buffer (also the size from which a single write
/// bypasses the buffer).
pub(crate) const CHUNK_BYTES: usize = 8 << 20;

/// The first capacity of the buffer (it doubles from there, up to [`CHUNK_BYTES`]).
const FIRST_BUFFER_BYTES: usize = 8 << 10;

/// What `fstat` or `lstat` says of the file, to tell whether anyone else touched it: size,
/// modification and change times, device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seen {
    len: u64,
    stamp: FileStamp,
    changed: (i64, i64),
    device: u64,
}

impl Seen {
    fn of(meta: &Metadata) -> Seen {
        #[cfg(unix)]
        let (changed, device) = {
            use std::os::unix::fs::MetadataExt;
            ((meta.ctime(), meta.ctime_nsec()), meta.dev())
        };
        #[cfg(not(unix))]
        let (changed, device) = ((0, 0), 0);
        Seen {
            len: meta.len(),
            stamp: FileStamp::of(meta),
            changed,
            device,
        }
    }
}

/// A file being written and hashed (see the module's documentation).
pub(crate) struct HashingFile {
    file: File,
    path: PathBuf,
    hasher: blake3::Hasher,
    buffer: Vec<u8>,
    /// Bytes written to the file so far (not counting the buffer).
    written: u64,
    /// The file after this writer's last write to it.
    last: Option<Seen>,
    /// Something showed the hash may not describe the file: it is not kept up any more.
    untrusted: bool,
}

/// What [`HashingFile::finish`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Finished {
    /// The file at the path is the one written, with exactly the bytes hashed.
    Verified {
        /// blake3 of the content.
        hash: CodeHash,
        /// The size in bytes.
        size: u64,
        /// The file's stamp now.
        stamp: FileStamp,
    },
    /// The hash does not describe what is at the path (or a write failed): hash it from there.
    Unverified,
}

impl HashingFile {
    /// Creates the file at `path`: a new one (never an existing file, never through a link).
    pub(crate) fn create(path: &Path) -> io::Result<HashingFile> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        no_follow(&mut options);
        Ok(HashingFile {
            file: options.open(path)?,
            path: path.to_path_buf(),
            hasher: blake3::Hasher::new(),
            buffer: Vec::new(),
            written: 0,
            last: None,
            untrusted: false,
        })
    }

    /// Bytes taken so far (written or buffered).
    pub(crate) fn len(&self) -> u64 {
        self.written + self.buffer.len() as u64
    }

    /// Takes all of `bytes`: into the buffer, or (the buffer full, or `bytes` that large by
    /// themselves) to the file, hashed at the same time.
    pub(crate) fn write(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        let room = CHUNK_BYTES - self.buffer.len();
        if bytes.len() < room {
            self.buffer_up(bytes);
            return Ok(());
        }
        if !self.buffer.is_empty() {
            // Fill the buffer up to a whole chunk, and write it.
            let (head, rest) = bytes.split_at(room);
            self.buffer_up(head);
            self.flush()?;
            bytes = rest;
        }
        if bytes.len() >= CHUNK_BYTES {
            self.write_out(bytes)
        } else {
            self.buffer_up(bytes);
            Ok(())
        }
    }

    /// Writes the buffer to the file.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let buffer = std::mem::take(&mut self.buffer);
        let written = self.write_out(&buffer);
        self.buffer = buffer;
        self.buffer.clear();
        written
    }

    /// Writes what is buffered, closes the file, and checks that the path still holds exactly
    /// what was hashed.
    pub(crate) fn finish(mut self) -> io::Result<Finished> {
        self.flush()?;
        let last = match self.last {
            Some(last) => last,
            None => Seen::of(&self.file.metadata()?),
        };
        let HashingFile {
            file,
            path,
            hasher,
            written,
            untrusted,
            ..
        } = self;
        drop(file);
        let now = match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => Seen::of(&meta),
            Ok(_) => return Ok(Finished::Unverified),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok(Finished::Unverified);
            }
            Err(error) => return Err(error),
        };
        if untrusted || now != last || now.len != written {
            return Ok(Finished::Unverified);
        }
        Ok(Finished::Verified {
            hash: CodeHash(*hasher.finalize().as_bytes()),
            size: written,
            stamp: now.stamp,
        })
    }

    /// Appends `bytes` to the buffer, growing it by doubling (up to a chunk).
    fn buffer_up(&mut self, bytes: &[u8]) {
        let needed = self.buffer.len() + bytes.len();
        if needed > self.buffer.capacity() {
            let grown = (self.buffer.capacity() * 2)
                .clamp(FIRST_BUFFER_BYTES, CHUNK_BYTES)
                .max(needed);
            self.buffer.reserve_exact(grown - self.buffer.len());
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// Writes `piece` to the file and hashes it, at the same time when it is large.
    fn write_out(&mut self, piece: &[u8]) -> io::Result<()> {
        if let Some(last) = self.last
            && !self.untrusted
            && Seen::of(&self.file.metadata()?) != last
        {
            // Written by someone else since this writer's last write.
            self.untrusted = true;
        }
        let (file, hasher) = (&mut self.file, &mut self.hasher);
        let result = if self.untrusted {
            file.write_all(piece)
        } else if piece.len() as u64 >= BIG_FILE_BYTES {
            rayon_core::join(
                || file.write_all(piece),
                || {
                    hasher.update_rayon(piece);
                },
            )
            .0
        } else {
            hasher.update(piece);
            file.write_all(piece)
        };
        if let Err(error) = result {
            // The file holds an unknown part of `piece`.
            self.untrusted = true;
            return Err(error);
        }
        self.written += piece.len() as u64;
        if !self.untrusted {
            self.last = Some(Seen::of(&self.file.metadata()?));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `len` bytes of a pattern.
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    /// Writes `bytes` through a [`HashingFile`] in pieces of `sizes` (cycled), and finishes.
    fn write_in_pieces(path: &Path, bytes: &[u8], sizes: &[usize]) -> Finished {
        let mut file = HashingFile::create(path).unwrap();
        let mut at = 0;
        for size in sizes.iter().cycle() {
            if at == bytes.len() {
                break;
            }
            let end = (at + size).min(bytes.len());
            file.write(&bytes[at..end]).unwrap();
            at = end;
        }
        assert_eq!(file.len(), bytes.len() as u64);
        file.finish().unwrap()
    }

    #[test]
    fn the_hash_is_the_hash_of_the_bytes_whatever_the_sizes_of_the_writes() {
        let dir = tempfile::tempdir().unwrap();
        let big = pattern(2 * CHUNK_BYTES + 12_345);
        let cases: [(&[u8], &[usize]); 7] = [
            (&[], &[1]),
            (b"abc", &[1]),
            (&big[..100_000], &[7, 4096, 65_536]),
            (&big, &[CHUNK_BYTES + 3]),
            (&big, &[big.len()]),
            (&big, &[1 << 20, 3, 5 << 20]),
            (&big[..CHUNK_BYTES], &[CHUNK_BYTES - 1, 1]),
        ];
        for (index, (bytes, sizes)) in cases.into_iter().enumerate() {
            let path = dir.path().join(format!("case{index}"));
            let finished = write_in_pieces(&path, bytes, sizes);
            let meta = std::fs::metadata(&path).unwrap();
            assert_eq!(
                finished,
                Finished::Verified {
                    hash: CodeHash::of(bytes),
                    size: bytes.len() as u64,
                    stamp: FileStamp::of(&meta),
                },
                "{} bytes in pieces of {sizes:?}",
                bytes.len()
            );
            assert_eq!(std::fs::read(&path).unwrap(), bytes);
        }
    }

    #[test]
    fn a_file_written_or_replaced_behind_the_writers_back_is_not_verified() {
        let dir = tempfile::tempdir().unwrap();
        let big = pattern(CHUNK_BYTES + 10);

        // Appended to through another handle after the last write.
        let path = dir.path().join("appended");
        let mut file = HashingFile::create(&path).unwrap();
        file.write(b"hello").unwrap();
        file.flush().unwrap();
        let mut other = OpenOptions::new().append(true).open(&path).unwrap();
        other.write_all(b" world").unwrap();
        assert_eq!(file.finish().unwrap(), Finished::Unverified);

        // Overwritten in place (same size) between two of its writes.
        let path = dir.path().join("overwritten");
        let mut file = HashingFile::create(&path).unwrap();
        file.write(&big).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut other = OpenOptions::new().write(true).open(&path).unwrap();
        other.write_all(b"XY").unwrap();
        file.write(b"tail").unwrap();
        assert_eq!(file.finish().unwrap(), Finished::Unverified);

        // Replaced by another file.
        let path = dir.path().join("replaced");
        let mut file = HashingFile::create(&path).unwrap();
        file.write(b"mine").unwrap();
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, b"mine").unwrap();
        assert_eq!(file.finish().unwrap(), Finished::Unverified);

        // Deleted.
        let path = dir.path().join("deleted");
        let mut file = HashingFile::create(&path).unwrap();
        file.write(b"gone").unwrap();
        file.flush().unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(file.finish().unwrap(), Finished::Unverified);

        // Truncated.
        let path = dir.path().join("truncated");
        let mut file = HashingFile::create(&path).unwrap();
        file.write(b"long enough").unwrap();
        file.flush().unwrap();
        OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(4)
            .unwrap();
        assert_eq!(file.finish().unwrap(), Finished::Unverified);
    }

    #[test]
    fn an_existing_file_or_link_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("there");
        std::fs::write(&path, b"old").unwrap();
        let error = HashingFile::create(&path).err().unwrap();
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            assert!(HashingFile::create(&link).is_err());
            assert_eq!(std::fs::read(&path).unwrap(), b"old");
        }
    }
}
