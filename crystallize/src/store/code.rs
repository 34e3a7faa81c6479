//! `<data root>/.code/<hash>`: the canonical text of every code hash a run recorded, stored once
//! per hash, so `plan --diff` can show what changed in an item since the run that is loaded.
//! Files are content-addressed: a file whose name is not the hash of its content is not used.

use std::io;
use std::path::{Path, PathBuf};

use crate::key::signature::CodeHash;

use super::atomic::write_atomic;
use super::files;

/// Directory of the texts under the data root.
pub(crate) const CODE_DIR: &str = ".code";

fn path_of(root: &Path, hash: CodeHash) -> PathBuf {
    root.join(CODE_DIR).join(hash.hex())
}

/// Stores the texts not stored yet. Each file holds the hash it was stored under on its first
/// line, then the text.
pub(crate) fn store_texts<'a>(
    root: &Path,
    texts: impl IntoIterator<Item = (CodeHash, &'a str)>,
) -> io::Result<usize> {
    let mut stored = 0;
    for (hash, text) in texts {
        let path = path_of(root, hash);
        if files::kind(&path) == files::Kind::File {
            continue;
        }
        let mut content = format!("{}\n", hash.hex()).into_bytes();
        content.extend_from_slice(text.as_bytes());
        write_atomic(&path, &content)?;
        stored += 1;
    }
    Ok(stored)
}

/// The stored text of `hash`, if a run stored it (never through a link; a file that does not
/// start with its own hash is foreign and ignored).
pub(crate) fn read_text(root: &Path, hash: CodeHash) -> Option<String> {
    let bytes = files::read(&path_of(root, hash)).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (first, rest) = text.split_once('\n')?;
    (first == hash.hex()).then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_stored_once_and_read_back_by_hash() {
        let dir = tempfile::tempdir().unwrap();
        let hash = CodeHash::of(b"fn f() {}");
        assert_eq!(
            store_texts(dir.path(), [(hash, "fn f ( ) { }")]).unwrap(),
            1
        );
        assert_eq!(
            store_texts(dir.path(), [(hash, "fn f ( ) { }")]).unwrap(),
            0
        );
        assert_eq!(read_text(dir.path(), hash).as_deref(), Some("fn f ( ) { }"));
        std::fs::write(path_of(dir.path(), hash), "other\nfn g ( ) { }").unwrap();
        assert_eq!(
            read_text(dir.path(), hash),
            None,
            "a foreign file is not used"
        );
        assert_eq!(read_text(dir.path(), CodeHash::of(b"x")), None);
    }
}
