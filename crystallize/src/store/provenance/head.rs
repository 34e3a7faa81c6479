//! The commit `HEAD` names, read from the repository's files as git lays them out (`HEAD`,
//! loose refs, `packed-refs`, and for a worktree or submodule the `gitdir:` file and
//! `commondir`), so that a run spawns no `git` for it. Anything unusual (a `GIT_DIR` in the
//! environment, a symbolic ref chain, reftable, an unborn branch) is left to `git` itself.

use std::path::{Path, PathBuf};

/// What the files say about the repository around a directory.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// The directory is not inside a git repository.
    None,
    /// `HEAD` is this commit.
    Commit(String),
    /// A repository whose `HEAD` the files do not tell plainly: ask `git`.
    Unreadable,
}

/// The commit `HEAD` names in the repository `start` is in.
pub(super) fn repository(start: &Path) -> Found {
    if ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR"]
        .iter()
        .any(|name| std::env::var_os(name).is_some())
    {
        return Found::Unreadable;
    }
    match git_dir(start) {
        Located::Outside => Found::None,
        Located::Odd => Found::Unreadable,
        Located::At(dir) => head_commit(&dir).map_or(Found::Unreadable, Found::Commit),
    }
}

/// Where the repository's git directory is.
enum Located {
    Outside,
    At(PathBuf),
    Odd,
}

/// The git directory of the repository `start` is in: the first `.git` directory, or the
/// directory a `.git` file points to (`gitdir: <path>`), from `start` up.
fn git_dir(start: &Path) -> Located {
    for dir in start.ancestors() {
        let dot = dir.join(".git");
        match std::fs::metadata(&dot) {
            Ok(meta) if meta.is_dir() => return Located::At(dot),
            Ok(meta) if meta.is_file() => {
                return std::fs::read_to_string(&dot)
                    .ok()
                    .and_then(|text| {
                        let target = text.strip_prefix("gitdir:")?.trim();
                        (!target.is_empty()).then(|| dir.join(target))
                    })
                    .map_or(Located::Odd, Located::At);
            }
            Ok(_) => return Located::Odd,
            Err(_) => {}
        }
    }
    Located::Outside
}

/// The commit `HEAD` of `git_dir` names, when its files say it plainly.
fn head_commit(git_dir: &Path) -> Option<String> {
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(name) = head.strip_prefix("ref:") else {
        return is_object_id(head).then(|| head.to_string());
    };
    let name = name.trim();
    if !name.starts_with("refs/") || name.split('/').any(|part| part.is_empty() || part == "..") {
        return None;
    }
    let common = common_dir(git_dir);
    for dir in [git_dir, common.as_path()] {
        if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
            let id = text.trim();
            return is_object_id(id).then(|| id.to_string());
        }
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with('^'))
        .find_map(|line| {
            let (id, reference) = line.split_once(' ')?;
            (reference.trim() == name && is_object_id(id)).then(|| id.to_string())
        })
}

/// The directory holding the refs shared by every worktree of the repository.
fn common_dir(git_dir: &Path) -> PathBuf {
    std::fs::read_to_string(git_dir.join("commondir"))
        .ok()
        .map(|text| git_dir.join(text.trim()))
        .unwrap_or_else(|| git_dir.to_path_buf())
}

/// Whether `text` is a full SHA-1 or SHA-256 object id.
fn is_object_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0123456789abcdef0123456789abcdef01234567";
    const B: &str = "89abcdef0123456789abcdef0123456789abcdef";

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn loose_packed_detached_and_worktree_heads_are_read() {
        let root = tempfile::tempdir().unwrap();
        let repo = root.path().join("repo");
        let git = repo.join(".git");
        let deep = repo.join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        // A branch in packed-refs, found from a subdirectory.
        write(&git.join("HEAD"), "ref: refs/heads/main\n");
        write(
            &git.join("packed-refs"),
            &format!("# pack-refs with: peeled\n{B} refs/heads/other\n{A} refs/heads/main\n^{B}\n"),
        );
        assert_eq!(repository(&deep), Found::Commit(A.to_string()));
        // A loose ref wins over the packed one.
        write(&git.join("refs/heads/main"), &format!("{B}\n"));
        assert_eq!(repository(&deep), Found::Commit(B.to_string()));
        // A detached HEAD.
        write(&git.join("HEAD"), &format!("{A}\n"));
        assert_eq!(repository(&repo), Found::Commit(A.to_string()));
        // A worktree: `.git` is a file; its HEAD is its own, its refs are the common ones.
        let tree = root.path().join("tree");
        let tree_git = git.join("worktrees/tree");
        write(
            &tree.join(".git"),
            &format!("gitdir: {}\n", tree_git.display()),
        );
        write(&tree_git.join("HEAD"), "ref: refs/heads/main\n");
        write(&tree_git.join("commondir"), "../..\n");
        assert_eq!(repository(&tree), Found::Commit(B.to_string()));
        // An unborn branch, a chain of symbolic refs or a strange ref: git decides.
        write(&git.join("HEAD"), "ref: refs/heads/none\n");
        assert_eq!(repository(&repo), Found::Unreadable);
        write(&git.join("HEAD"), "ref: refs/../../etc\n");
        assert_eq!(repository(&repo), Found::Unreadable);
        // Outside any repository.
        assert_eq!(repository(root.path()), Found::None);
    }

    #[test]
    fn the_commit_is_gits_own() {
        let Ok(output) = std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .output()
        else {
            return;
        };
        let here = std::env::current_dir().unwrap();
        if !output.status.success() {
            return;
        }
        let commit = String::from_utf8_lossy(&output.stdout).trim().to_string();
        assert_eq!(repository(&here), Found::Commit(commit));
    }
}
