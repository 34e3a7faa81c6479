//! What the microbenchmarks of `bench/benches/` measure inside a run, re-exported as
//! `crystallize::__bench` (not public API): one unit of a registered experiment executed as a
//! run executes it (the context, the pipeline under panic capture, the unit's record), the
//! journal's commit of one unit, the hashing of artifacts, and the never-follow check a resume
//! makes of each artifact (for `floor --resume`).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::decide::plan::{ExperimentPlan, Overrides, plan};
use crate::define::registration::Registered;
use crate::define::registry::collect;
use crate::exec::unit::run_unit;
use crate::store::files::{Beneath, Unresolved};
use crate::store::journal::{JournalWriter, UnitRecord};
use crate::unit::ctx::CacheSettings;

/// One unit of a registered experiment, run again and again in this process.
pub struct UnitRunner {
    plan: ExperimentPlan<'static>,
    work_dir: PathBuf,
    cache: Arc<CacheSettings>,
}

impl UnitRunner {
    /// Plans the registered experiment `experiment` as `run` would with no flags (its upstream,
    /// if it reads any, is not bound: give one that reads nothing); its units write below
    /// `work_dir`.
    pub fn new(experiment: &str, work_dir: &Path) -> Result<UnitRunner, String> {
        // A plan borrows the registry; a benchmark keeps both for the life of the process.
        let registered: &'static [Registered] = Box::leak(
            collect()
                .map_err(|problems| problems.join("\n"))?
                .into_boxed_slice(),
        );
        let selected: Vec<&'static Registered> = registered
            .iter()
            .filter(|registered| registered.name() == experiment)
            .collect();
        if selected.is_empty() {
            return Err(format!("no experiment `{experiment}` is registered"));
        }
        let plan = plan(&selected, &Overrides::default())
            .map_err(|error| error.0)?
            .pop()
            .ok_or_else(|| format!("`{experiment}` has no plan"))?;
        Ok(UnitRunner {
            plan,
            work_dir: work_dir.to_path_buf(),
            cache: Arc::new(CacheSettings {
                dir: work_dir.join(crate::unit::cache::CACHE_DIR),
                disabled: Default::default(),
            }),
        })
    }

    /// Runs replicate `replicate` of the first condition; `Err` with its error if it failed.
    pub fn run(&self, replicate: u32) -> Result<UnitResult, String> {
        let finished = run_unit(
            &self.plan,
            0,
            &self.work_dir,
            &self.cache,
            &self.plan.conditions[0],
            replicate,
        );
        match &finished.record.error {
            Some(error) => Err(error.message.clone()),
            None => Ok(UnitResult(finished.record)),
        }
    }
}

/// The record a unit left (what the journal commits).
pub struct UnitResult(UnitRecord);

impl UnitResult {
    /// The value of its metric `name`, as recorded.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.0.metrics.get(name).copied().flatten()
    }
}

/// A journal of a fresh version directory, committing units as a run does.
pub struct Journal(JournalWriter);

impl Journal {
    /// Creates the journal of `version_dir`.
    pub fn create(version_dir: &Path) -> io::Result<Journal> {
        JournalWriter::create_with(version_dir, []).map(Journal)
    }

    /// Commits `unit`'s record, as a run does for each unit that finishes: appended, and
    /// written to the file (not synced: a run syncs once its units are committed).
    pub fn commit(&mut self, unit: &UnitResult) -> io::Result<()> {
        self.0.push(&unit.0)?;
        self.0.flush()
    }

    /// Syncs the journal to the disk.
    pub fn sync(&mut self) -> io::Result<()> {
        self.0.sync()
    }
}

/// The content hash an artifact written from `bytes` gets.
pub fn hash_bytes(bytes: &[u8]) -> String {
    crate::key::signature::CodeHash::of(bytes).hex()
}

/// The content hash of the file at `path`, as a resume checks a loaded artifact that changed.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let file = crate::store::files::open_read(path)?;
    crate::store::files::hash_open_file(file).map(|(hash, _, _)| hash.hex())
}

/// Files below a directory examined as a resume examines its artifacts: each path resolved
/// without ever following a symbolic link (one `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)`
/// on Linux, the directory opened once), then `fstat`.
pub struct NoFollow(Beneath);

impl NoFollow {
    /// Paths below `dir`.
    pub fn new(dir: &Path) -> NoFollow {
        NoFollow(Beneath::new(dir))
    }

    /// The metadata of `relative` below the directory; an error when nothing is there, when a
    /// component of the path is a symbolic link, or when it cannot be examined.
    pub fn metadata(&self, relative: &Path) -> io::Result<std::fs::Metadata> {
        self.0
            .metadata(relative)
            .map_err(|unresolved| match unresolved {
                Unresolved::Missing => io::Error::from(io::ErrorKind::NotFound),
                Unresolved::Link(link) => {
                    io::Error::other(format!("{} is a symbolic link", link.display()))
                }
                Unresolved::Other(error) => error,
            })
    }
}
