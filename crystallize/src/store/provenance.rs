//! Provenance recorded with every run (never part of a key): versions of crystallize and rustc,
//! the git commit and dirty flag of the working directory, the host, start and end times.

mod head;

use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Where and when a run happened.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Provenance {
    /// Version of the crystallize crate.
    pub crystallize: String,
    /// `rustc --version` of the compiler that built the binary.
    pub rustc: String,
    /// Git commit of the working directory, if it is a repository.
    pub git: Option<GitState>,
    /// Host name, if known.
    pub host: Option<String>,
    /// Start time, RFC 3339 UTC.
    pub started: String,
    /// End time, RFC 3339 UTC.
    pub finished: String,
    /// Wall time in seconds.
    pub duration_s: f64,
}

/// Git state of the working directory.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct GitState {
    /// `HEAD` commit.
    pub commit: String,
    /// Whether tracked files have uncommitted changes.
    pub dirty: bool,
}

/// Facts gathered once per process.
#[derive(Clone, Debug)]
pub(crate) struct Environment {
    git: Option<GitProbe>,
    host: Option<String>,
}

/// The git state of the working directory as it is being found out: the commit, read from the
/// repository's files, and whether the tree is dirty, which only `git status` can say well and
/// which runs in the background while the units run.
#[derive(Clone, Debug)]
struct GitProbe {
    commit: String,
    dirty: Arc<Mutex<Dirty>>,
}

/// Whether tracked files have uncommitted changes, once `git status` answered (`None`: it
/// could not).
#[derive(Debug)]
enum Dirty {
    Asking(JoinHandle<Option<bool>>),
    Known(Option<bool>),
}

impl Environment {
    /// Reads the host name and the git commit (from `.git`, spawning `git` only for a
    /// repository whose refs it cannot read), and starts `git status` for the dirty flag in the
    /// background. Outside a repository nothing is spawned. Called only when something runs.
    pub(crate) fn detect() -> Environment {
        Environment {
            git: git_probe(),
            host: host_name(),
        }
    }

    /// Provenance of a run between `started` and `finished` (waiting for `git status`).
    pub(crate) fn provenance(&self, started: SystemTime, finished: SystemTime) -> Provenance {
        self.provenance_with(started, finished, true)
    }

    /// [`Environment::provenance`] without waiting for `git status`: the git state is left out
    /// while it is not known (for what a run writes before its units run).
    pub(crate) fn provenance_so_far(
        &self,
        started: SystemTime,
        finished: SystemTime,
    ) -> Provenance {
        self.provenance_with(started, finished, false)
    }

    fn provenance_with(&self, started: SystemTime, finished: SystemTime, wait: bool) -> Provenance {
        Provenance {
            crystallize: env!("CARGO_PKG_VERSION").to_string(),
            rustc: env!("CRYSTALLIZE_RUSTC_VERSION").to_string(),
            git: self.git.as_ref().and_then(|probe| probe.state(wait)),
            host: self.host.clone(),
            started: rfc3339(started),
            finished: rfc3339(finished),
            duration_s: finished
                .duration_since(started)
                .map_or(0.0, |duration| duration.as_secs_f64()),
        }
    }
}

impl GitProbe {
    /// The git state once `git status` answered (waiting for it when `wait` is set).
    fn state(&self, wait: bool) -> Option<GitState> {
        let mut dirty = self.dirty.lock().ok()?;
        if let Dirty::Asking(handle) = &*dirty
            && (wait || handle.is_finished())
        {
            let Dirty::Asking(handle) = std::mem::replace(&mut *dirty, Dirty::Known(None)) else {
                return None;
            };
            *dirty = Dirty::Known(handle.join().ok().flatten());
        }
        match *dirty {
            Dirty::Known(Some(dirty)) => Some(GitState {
                commit: self.commit.clone(),
                dirty,
            }),
            Dirty::Known(None) | Dirty::Asking(_) => None,
        }
    }
}

/// `git` in the working directory, told not to take optional locks: `git status` would
/// otherwise refresh stale stat data in `.git/index` (rewriting it), and a run writes nothing
/// outside its data directory.
fn git(args: &[&str]) -> Option<std::process::Output> {
    Command::new("git")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .args(args)
        .output()
        .ok()
}

/// The commit of the repository the working directory is in, and `git status` started.
fn git_probe() -> Option<GitProbe> {
    let commit = match head::repository(&std::env::current_dir().ok()?) {
        head::Found::None => return None,
        head::Found::Commit(commit) => commit,
        head::Found::Unreadable => {
            let head = git(&["rev-parse", "HEAD"])?;
            if !head.status.success() {
                return None;
            }
            String::from_utf8_lossy(&head.stdout).trim().to_string()
        }
    };
    let asking = std::thread::Builder::new()
        .name("git-status".to_string())
        .spawn(|| {
            let status = git(&["status", "--porcelain", "--untracked-files=no"])?;
            status.status.success().then_some(!status.stdout.is_empty())
        })
        .ok()?;
    Some(GitProbe {
        commit,
        dirty: Arc::new(Mutex::new(Dirty::Asking(asking))),
    })
}

fn host_name() -> Option<String> {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
}

/// Formats a time as RFC 3339 in UTC with millisecond precision.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since.as_secs();
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since.subsec_millis()
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let leap = UNIX_EPOCH + Duration::from_millis(1_709_210_096_789);
        assert_eq!(rfc3339(leap), "2024-02-29T12:34:56.789Z");
    }
}
