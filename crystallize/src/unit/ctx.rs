//! The context of one unit (experiment, condition, replicate): its params, seed and random
//! numbers, and where its metrics and artifacts go.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use rand::rngs::ChaCha8Rng;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::key::seed;
use crate::key::signature::CodeHash;
use crate::store::atomic::write_new_stamped;
use crate::store::files::{FileStamp, is_storage_failure};
use crate::unit::error::StepError;
use crate::unit::params::Params;
use crate::unit::pending::Pending;
use crate::unit::writer::ArtifactWriter;

/// An artifact written by a stage of a unit.
#[derive(Clone, Debug)]
pub struct WrittenArtifact {
    /// The stage that wrote it.
    pub stage: Arc<str>,
    /// Its file name.
    pub file: String,
    /// Where it is on disk (`None` for a standalone context, which keeps artifacts in memory).
    pub path: Option<PathBuf>,
    /// blake3 of its content.
    pub hash: CodeHash,
    /// Its size in bytes.
    pub size: u64,
    /// Its content, kept only by a standalone context.
    pub(crate) bytes: Option<Vec<u8>>,
    /// Modification time and inode of the file written (default for a standalone context).
    pub(crate) stamp: FileStamp,
}

/// A write that failed because the storage failed (full, over quota, read-only, I/O error,
/// permission): every further write would fail too, so the run stops scheduling units.
#[derive(Debug)]
pub(crate) struct StorageFailure {
    /// The file that could not be written.
    pub path: PathBuf,
    /// Why.
    pub error: std::io::Error,
}

/// Where a unit's artifacts go.
enum ArtifactSink {
    /// `<version dir>/replicate_<r>/<condition>`.
    Dir(PathBuf),
    /// Kept in memory (standalone contexts for unit tests).
    Memory,
}

/// The context a source or step receives as `ctx: &Ctx` or `ctx: &mut Ctx`.
///
/// In a unit test, build one with [`Ctx::standalone`]:
///
/// ```
/// use crystallize::prelude::*;
///
/// let mut ctx = Ctx::standalone().with_param("factor", 2.0).with_replicate(3);
/// assert_eq!(ctx.param::<f64>("factor").unwrap(), 2.0);
/// ctx.record("mean", 0.5);
/// ctx.write_json("summary.json", &0.5).unwrap();
/// assert_eq!(ctx.metrics()["mean"], 0.5);
/// assert_eq!(ctx.artifact("summary.json"), Some(&b"0.5"[..]));
/// ```
pub struct Ctx {
    experiment: Arc<str>,
    condition: Arc<str>,
    replicate: u32,
    master_seed: u64,
    material: [u8; 32],
    params: Arc<Params>,
    stage: Arc<str>,
    stage_kind: &'static str,
    rng_calls: Cell<u32>,
    metrics: BTreeMap<String, f64>,
    artifacts: Vec<WrittenArtifact>,
    sink: ArtifactSink,
    deferred: Option<StepError>,
    /// While a cached step runs: what of the context it reads.
    tracker: RefCell<Option<BTreeSet<Dep>>>,
    /// The step cache, when the unit runs inside a run (not standalone).
    cache: Option<Arc<CacheSettings>>,
    /// Stages served from the step cache in this unit.
    cache_hits: Vec<String>,
    /// Step-cache entries this unit used or wrote (`<step dir>/<entry key>`).
    cache_entries: Vec<String>,
    /// The producers this unit's experiment reads from.
    upstream: Option<Arc<crate::unit::upstream::Views>>,
    /// The first write that failed because the storage failed.
    storage_failure: Option<StorageFailure>,
    /// Params [`Ctx::with_param`] could not set, with why.
    param_problems: Vec<(String, String)>,
    /// When the current stage started.
    stage_started: Option<std::time::Instant>,
    /// Paths handed out by [`Ctx::artifact_path`] and writers by [`Ctx::artifact_writer`],
    /// committed when their stage returns.
    pending: Pending,
    /// Producers' files handed to this unit by path, with their content hashes.
    read_paths: Vec<(PathBuf, CodeHash)>,
    /// How long each finished stage took, in order.
    stage_times: Vec<(Arc<str>, std::time::Duration)>,
}

/// A fact of the context a step's result may depend on; recorded while a cached step runs so a
/// cache entry is reused only where all of them are the same.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Dep {
    Experiment,
    Condition,
    Replicate,
    /// The replicate's seed material (`seed()` and `rng()`).
    Seed,
    Param(String),
    AllParams,
    Metrics,
    Artifacts,
}

/// Where the step cache lives and which steps bypass it for this run.
#[derive(Debug)]
pub(crate) struct CacheSettings {
    /// `<data root>/.cache`.
    pub dir: PathBuf,
    /// Stage names given to `--no-cache`.
    pub disabled: BTreeSet<String>,
}

impl Ctx {
    pub(crate) fn for_unit(
        experiment: Arc<str>,
        condition: Arc<str>,
        replicate: u32,
        master_seed: u64,
        params: Arc<Params>,
        unit_dir: Option<PathBuf>,
    ) -> Ctx {
        let material = seed::replicate_material(master_seed, &experiment, replicate);
        Ctx {
            experiment,
            condition,
            replicate,
            master_seed,
            material,
            params,
            stage: Arc::from(""),
            stage_kind: "source",
            rng_calls: Cell::new(0),
            metrics: BTreeMap::new(),
            artifacts: Vec::new(),
            sink: match unit_dir {
                Some(dir) => ArtifactSink::Dir(dir),
                None => ArtifactSink::Memory,
            },
            deferred: None,
            tracker: RefCell::new(None),
            cache: None,
            cache_hits: Vec::new(),
            cache_entries: Vec::new(),
            upstream: None,
            storage_failure: None,
            param_problems: Vec::new(),
            stage_started: None,
            stage_times: Vec::new(),
            pending: Pending::default(),
            read_paths: Vec::new(),
        }
    }

    /// A context outside any run, for unit-testing a source or step: experiment `standalone`,
    /// condition `baseline`, replicate 0, the default master seed, no params; artifacts are kept
    /// in memory (read them back with [`Ctx::artifact`]).
    pub fn standalone() -> Ctx {
        Ctx::for_unit(
            Arc::from("standalone"),
            Arc::from("baseline"),
            0,
            seed::DEFAULT_MASTER_SEED,
            Arc::new(Params::new()),
            None,
        )
    }

    /// Sets a param (standalone contexts). A value that cannot be a param (it is or holds a NaN
    /// or infinite number, which JSON cannot hold, or it cannot be serialised) is not set: the
    /// step that asks for the param fails with that problem.
    pub fn with_param(mut self, name: &str, value: impl Serialize) -> Ctx {
        let params = Arc::make_mut(&mut self.params);
        let known = params.problems().len();
        params.insert(name, value);
        if let Some(problem) = params.problems().get(known).cloned() {
            self.param_problems.push((name.to_string(), problem));
        }
        self
    }

    /// Sets the replicate index (standalone contexts).
    pub fn with_replicate(mut self, replicate: u32) -> Ctx {
        self.replicate = replicate;
        self.reseed();
        self
    }

    /// Sets the condition name (standalone contexts).
    pub fn with_condition(mut self, condition: &str) -> Ctx {
        self.condition = Arc::from(condition);
        self
    }

    /// Sets the experiment name, which the seed derives from (standalone contexts).
    pub fn with_experiment(mut self, experiment: &str) -> Ctx {
        self.experiment = Arc::from(experiment);
        self.reseed();
        self
    }

    /// Sets the master seed (standalone contexts).
    pub fn with_master_seed(mut self, master_seed: u64) -> Ctx {
        self.master_seed = master_seed;
        self.reseed();
        self
    }

    fn reseed(&mut self) {
        self.material =
            seed::replicate_material(self.master_seed, &self.experiment, self.replicate);
    }

    /// The experiment this unit belongs to.
    pub fn experiment(&self) -> &str {
        self.track(Dep::Experiment);
        &self.experiment
    }

    /// The condition: `baseline` or a treatment name.
    pub fn condition(&self) -> &str {
        self.track(Dep::Condition);
        &self.condition
    }

    /// The replicate index, from 0.
    pub fn replicate(&self) -> u32 {
        self.track(Dep::Replicate);
        self.replicate
    }

    /// The name of the stage running now.
    pub fn stage(&self) -> &str {
        &self.stage
    }

    /// This replicate's seed: derived from (master seed, experiment, replicate), the same for
    /// every condition of the replicate.
    pub fn seed(&self) -> u64 {
        self.track(Dep::Seed);
        seed::replicate_seed(&self.material)
    }

    /// A ChaCha generator keyed by this replicate's seed. Every condition of a replicate gets the
    /// same numbers (common random numbers); each stage draws from its own stream, and each call
    /// within a stage starts a new one, so results never depend on thread count or order.
    pub fn rng(&self) -> ChaCha8Rng {
        self.track(Dep::Seed);
        let call = self.rng_calls.get();
        self.rng_calls.set(call + 1);
        seed::stage_rng(&self.material, &self.stage, call)
    }

    /// The param `name` deserialised as `T`. A missing param deserialises from `null`, so
    /// `Option<T>` params may be left out.
    pub fn param<T: DeserializeOwned>(&self, name: &str) -> Result<T, StepError> {
        self.lookup(name, false)
    }

    #[doc(hidden)]
    pub fn __inject<T: DeserializeOwned>(&self, name: &str) -> Result<T, StepError> {
        self.lookup(name, true)
    }

    /// [`Ctx::__inject`] for a param type that can be cloned: a list or object param is
    /// deserialised once per condition (by its first unit) and each further unit gets a clone.
    /// The macros pick this for the params a step takes when their type is `Clone` (see
    /// [`__private::ParamSlot`](crate::__private::ParamSlot)).
    #[doc(hidden)]
    pub fn __inject_shared<T: DeserializeOwned + Clone + Send + Sync + 'static>(
        &self,
        name: &str,
    ) -> Result<T, StepError> {
        // Numbers, strings and flags deserialise about as fast as they clone.
        if !matches!(
            self.params.get(name),
            Some(Value::Array(_) | Value::Object(_))
        ) {
            return self.lookup(name, true);
        }
        let decoded = self.params.decoded();
        if let Some(value) = decoded.get::<T>(name) {
            if self.tracker.borrow().is_some() {
                self.track(Dep::Param(name.to_string()));
            }
            return Ok(value);
        }
        // The first unit of the condition: deserialised (and tracked) as any param is.
        let value: T = self.lookup(name, true)?;
        decoded.keep(name, value.clone());
        Ok(value)
    }

    /// The param `name` as `T`; an error names the stage when `injected` (the macros inject the
    /// params a step takes as arguments), and is only formatted when there is one. Generic, so
    /// compiled in the user's crate per type: only the deserialisation; the rest is in the
    /// functions below, compiled once.
    fn lookup<T: DeserializeOwned>(&self, name: &str, injected: bool) -> Result<T, StepError> {
        match self.param_value(name, injected)? {
            Some(value) => T::deserialize(value).map_err(|error| {
                self.invalid_param(name, injected, std::any::type_name::<T>(), &error)
            }),
            None => T::deserialize(&Value::Null).map_err(|_| self.missing_param(name, injected)),
        }
    }

    /// The value of the param `name` (tracked as read by the step cache), `None` when the
    /// condition does not set it, or the error of a param the condition sets wrongly.
    fn param_value(&self, name: &str, injected: bool) -> Result<Option<&Value>, StepError> {
        if self.tracker.borrow().is_some() {
            self.track(Dep::Param(name.to_string()));
        }
        match self.params.get(name) {
            Some(value) => Ok(Some(value)),
            None => match self.param_problems.iter().find(|(known, _)| known == name) {
                Some((_, problem)) => Err(StepError::new(format!(
                    "{}{problem}",
                    self.param_error_prefix(injected)
                ))),
                None => Ok(None),
            },
        }
    }

    /// `<stage kind> `<stage>`: ` for an injected param's error, else nothing.
    fn param_error_prefix(&self, injected: bool) -> String {
        if injected {
            format!("{} `{}`: ", self.stage_kind, self.stage)
        } else {
            String::new()
        }
    }

    /// The error of a param whose value is not a valid `type_name`.
    fn invalid_param(
        &self,
        name: &str,
        injected: bool,
        type_name: &str,
        error: &dyn std::fmt::Display,
    ) -> StepError {
        StepError::new(format!(
            "{}param `{name}` of condition `{}` is not a valid `{type_name}`: {error}",
            self.param_error_prefix(injected),
            self.condition,
        ))
    }

    /// The error of a param the condition does not set (and whose type requires one).
    fn missing_param(&self, name: &str, injected: bool) -> StepError {
        let known: Vec<&str> = self.params.iter().map(|(name, _)| name).collect();
        let known = if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        };
        StepError::new(format!(
            "{}param `{name}` is missing in condition `{}` (params: {known}); set it with `.param(\"{name}\", ..)` or in a treatment",
            self.param_error_prefix(injected),
            self.condition
        ))
    }

    /// All params of this unit's condition.
    pub fn params(&self) -> &Params {
        self.track(Dep::AllParams);
        &self.params
    }

    /// Records one value of `metric` for this unit. Each metric is recorded once per unit (one
    /// value per replicate); recording it again fails the unit. Non-finite values are stored as
    /// JSON `null`.
    pub fn record(&mut self, metric: &str, value: f64) {
        if metric.is_empty() {
            self.defer(StepError::new("a metric name cannot be empty"));
            return;
        }
        if self.metrics.insert(metric.to_string(), value).is_some() {
            self.defer(StepError::new(format!(
                "metric `{metric}` recorded twice in one unit; record each metric once per replicate (use distinct names for several values)"
            )));
        }
    }

    /// Metrics recorded so far in this unit.
    pub fn metrics(&self) -> &BTreeMap<String, f64> {
        self.track(Dep::Metrics);
        &self.metrics
    }

    /// Writes an artifact of this (condition, replicate, stage):
    /// `replicate_<r>/<condition>/<stage>/<file>` under the run's version directory. The file
    /// appears atomically (temporary file + rename). Returns its path.
    pub fn write_bytes(
        &mut self,
        file: &str,
        bytes: impl AsRef<[u8]>,
    ) -> Result<PathBuf, StepError> {
        self.write_slice(file, bytes.as_ref())
    }

    /// [`Ctx::write_bytes`] of a slice (compiled once, not per type of `bytes`).
    fn write_slice(&mut self, file: &str, bytes: &[u8]) -> Result<PathBuf, StepError> {
        self.check_new_artifact(file)?;
        let hash = CodeHash::of(bytes);
        let (path, kept, stamp) = match &self.sink {
            ArtifactSink::Dir(unit_dir) => {
                let stage_dir = unit_dir.join(&*self.stage);
                let path = stage_dir.join(file);
                // The first artifact of a stage creates its directory up front (cheaper than a
                // failed create and a retry on every first write).
                let created = if self.stage_has_dir() {
                    Ok(())
                } else {
                    create_unit_dirs(unit_dir, &stage_dir)
                };
                // In place: the journal's size and hash of it are what a reader trusts.
                match created.and_then(|()| write_new_stamped(&path, bytes)) {
                    Ok(stamp) => (Some(path), None, stamp),
                    Err(error) => return Err(self.write_failed(path, error)),
                }
            }
            ArtifactSink::Memory => (None, Some(bytes.to_vec()), FileStamp::default()),
        };
        let shown = path.clone().unwrap_or_else(|| {
            PathBuf::from(format!("replicate_{}", self.replicate))
                .join(&*self.condition)
                .join(&*self.stage)
                .join(file)
        });
        self.artifacts.push(WrittenArtifact {
            stage: self.stage.clone(),
            file: file.to_string(),
            path,
            hash,
            size: bytes.len() as u64,
            bytes: kept,
            stamp,
        });
        Ok(shown)
    }

    /// A path where this stage writes the artifact `file` itself, for files too large to hold in
    /// memory or written by other code (a library's `save(path)`, a child process):
    /// `replicate_<r>/<condition>/<stage>/<file>` under the run's version directory, created
    /// empty of any earlier file. The file is committed when the stage returns successfully:
    /// hashed then, without reading it into memory, and recorded with its size and content hash
    /// like a [`Ctx::write_bytes`] artifact (resume checks it, consumers key on its content).
    /// A stage that fails or panics leaves nothing: the file is deleted. The file must be a
    /// regular file when the stage returns (not a directory or a symbolic link). In a standalone
    /// context the path is in a temporary directory deleted with the context.
    ///
    /// ```
    /// use crystallize::prelude::*;
    ///
    /// #[step]
    /// fn train(data: Vec<u8>, ctx: &mut Ctx) -> Result<usize, StepError> {
    ///     let path = ctx.artifact_path("model.bin")?;
    ///     std::fs::write(&path, &data)?;
    ///     Ok(data.len())
    /// }
    /// # let mut ctx = Ctx::standalone();
    /// # assert_eq!(train(vec![1, 2, 3], &mut ctx), Ok(3));
    /// ```
    pub fn artifact_path(&mut self, file: &str) -> Result<PathBuf, StepError> {
        let path = self.new_artifact_location(file)?;
        match self
            .pending
            .hand_out(self.stage.clone(), file, path.clone())
        {
            Ok(path) => Ok(path),
            Err(error) => Err(self.write_failed(path, error)),
        }
    }

    /// A writer of the artifact `file` of this stage, which hashes the bytes as it writes them,
    /// for artifacts too large to hold in memory that the step writes itself: the file is where
    /// [`Ctx::artifact_path`] would put it, under the same name rules, and is committed the
    /// same way when the stage returns `Ok` (recorded with its size and content hash like a
    /// [`Ctx::write_bytes`] artifact), or deleted when the stage fails or panics. Since the hash
    /// is computed while writing (on another core), committing does not read the file again, as
    /// it does for a path. The writer is append-only ([`std::io::Write`], no `Seek`): write the
    /// file through it alone (if anything else writes or replaces the file, the commit notices
    /// and hashes the file as it is). Finishing it is optional (a dropped writer is committed
    /// too; one still held when the stage returns must have been flushed after its last write,
    /// else the stage fails); a write after its stage has returned fails. In a standalone context
    /// the file is in a temporary directory deleted with the context.
    ///
    /// ```
    /// use std::io::Write;
    ///
    /// use crystallize::prelude::*;
    ///
    /// #[step]
    /// fn train(weights: Vec<f32>, ctx: &mut Ctx) -> Result<u64, StepError> {
    ///     let mut model = ctx.artifact_writer("model.bin")?;
    ///     for weight in &weights {
    ///         model.write_all(&weight.to_le_bytes())?;
    ///     }
    ///     Ok(model.finish()?)
    /// }
    /// # let mut ctx = Ctx::standalone();
    /// # assert_eq!(train(vec![1.0, 2.0], &mut ctx), Ok(8));
    /// ```
    pub fn artifact_writer(&mut self, file: &str) -> Result<ArtifactWriter, StepError> {
        let path = self.new_artifact_location(file)?;
        match self
            .pending
            .hand_out_writer(self.stage.clone(), file, path.clone())
        {
            Ok(writer) => Ok(writer),
            Err(error) => Err(self.write_failed(path, error)),
        }
    }

    /// Where the current stage's artifact `file` goes when the stage writes it itself (checked
    /// as a new artifact): its directory is created (in a standalone context, a temporary one).
    fn new_artifact_location(&mut self, file: &str) -> Result<PathBuf, StepError> {
        self.check_new_artifact(file)?;
        let stage_dir = match &self.sink {
            ArtifactSink::Dir(unit_dir) => {
                let stage_dir = unit_dir.join(&*self.stage);
                if !self.stage_has_dir()
                    && let Err(error) = create_unit_dirs(unit_dir, &stage_dir)
                {
                    return Err(self.write_failed(stage_dir, error));
                }
                stage_dir
            }
            ArtifactSink::Memory => {
                let dir = self
                    .pending
                    .scratch_dir()
                    .map(|scratch| scratch.join(&*self.stage))
                    .and_then(|dir| std::fs::create_dir_all(&dir).map(|()| dir));
                match dir {
                    Ok(dir) => dir,
                    Err(error) => {
                        return Err(StepError::new(format!(
                            "cannot create a temporary directory for artifact `{file}`: {error}"
                        )));
                    }
                }
            }
        };
        Ok(stage_dir.join(file))
    }

    /// Commits the files the current stage wrote at paths from [`Ctx::artifact_path`] or
    /// through writers from [`Ctx::artifact_writer`] when it succeeded, or deletes them when it
    /// failed; the result passes through (a file that cannot be committed fails the stage).
    pub(crate) fn settle<T>(&mut self, result: Result<T, StepError>) -> Result<T, StepError> {
        if result.is_err() {
            self.pending.discard();
            self.note_writer_failure();
            return result;
        }
        let committed = self.pending.commit();
        self.note_writer_failure();
        match committed {
            Ok(committed) => {
                self.artifacts
                    .extend(committed.into_iter().map(|done| WrittenArtifact {
                        stage: done.stage,
                        file: done.file,
                        path: Some(done.path),
                        hash: done.hash,
                        size: done.size,
                        bytes: None,
                        stamp: done.stamp,
                    }));
                result
            }
            Err(message) => Err(StepError::new(message)),
        }
    }

    /// Places an existing file (a step-cache blob) as the artifact `file` of the current stage:
    /// hard-linked (see [`crate::store::linking`]), never read into memory. `hash` and `size`
    /// are what the caller checked the file against.
    pub(crate) fn place_artifact(
        &mut self,
        file: &str,
        from: &std::path::Path,
        hash: CodeHash,
        size: u64,
    ) -> Result<(), StepError> {
        self.check_new_artifact(file)?;
        let ArtifactSink::Dir(unit_dir) = &self.sink else {
            return Err(StepError::new("a standalone context has no step cache"));
        };
        let stage_dir = unit_dir.join(&*self.stage);
        let path = stage_dir.join(file);
        let created = if self.stage_has_dir() {
            Ok(())
        } else {
            create_unit_dirs(unit_dir, &stage_dir)
        };
        let placed = created
            .and_then(|()| match crate::store::files::kind(&path) {
                crate::store::files::Kind::Missing => Ok(()),
                _ => std::fs::remove_file(&path),
            })
            .and_then(|()| crate::store::linking::link_or_explain(from, &path))
            .and_then(|_| crate::store::files::open_read(&path))
            .and_then(|file| file.metadata());
        match placed {
            Ok(meta) => {
                self.artifacts.push(WrittenArtifact {
                    stage: self.stage.clone(),
                    file: file.to_string(),
                    path: Some(path),
                    hash,
                    size,
                    bytes: None,
                    stamp: FileStamp::of(&meta),
                });
                Ok(())
            }
            Err(error) => Err(self.write_failed(path, error)),
        }
    }

    /// Refuses an invalid artifact name, or one this unit wrote (or took the path of) already.
    fn check_new_artifact(&self, file: &str) -> Result<(), StepError> {
        check_artifact_name(file)?;
        let previous = self
            .artifacts
            .iter()
            .find(|a| a.file == file)
            .map(|artifact| &*artifact.stage)
            .or_else(|| self.pending.stage_of(file));
        if let Some(previous) = previous {
            return Err(StepError::new(format!(
                "artifact `{file}` was already written in this unit by stage `{previous}`; use a distinct file name"
            )));
        }
        Ok(())
    }

    /// Whether the current stage's artifact directory exists already (it wrote an artifact or
    /// took a path).
    fn stage_has_dir(&self) -> bool {
        self.artifacts
            .iter()
            .any(|artifact| artifact.stage == self.stage)
            || self.pending.has_stage(&self.stage)
    }

    /// The error of a failed artifact write at `path`; a failure of the storage is kept so the
    /// run stops scheduling units.
    fn write_failed(&mut self, path: PathBuf, error: std::io::Error) -> StepError {
        let message = format!("cannot write artifact {}: {error}", path.display());
        self.note_storage_failure(path, error);
        StepError::new(message)
    }

    /// Keeps the first failure of the storage (so the run stops scheduling units).
    fn note_storage_failure(&mut self, path: PathBuf, error: std::io::Error) {
        if self.storage_failure.is_none()
            && (is_storage_failure(&error) || error.kind() == std::io::ErrorKind::PermissionDenied)
        {
            self.storage_failure = Some(StorageFailure { path, error });
        }
    }

    /// Keeps a failure of the storage that a write through an [`ArtifactWriter`] met.
    fn note_writer_failure(&mut self) {
        if let Some((path, error)) = self.pending.take_failure() {
            self.note_storage_failure(path, error);
        }
    }

    /// Writes `value` as a JSON artifact (see [`Ctx::write_bytes`]).
    pub fn write_json<T: Serialize + ?Sized>(
        &mut self,
        file: &str,
        value: &T,
    ) -> Result<PathBuf, StepError> {
        let bytes = serde_json::to_vec(value).map_err(|error| {
            StepError::new(format!("cannot encode artifact `{file}` as JSON: {error}"))
        })?;
        self.write_bytes(file, bytes)
    }

    /// The content of an artifact a standalone context kept in memory.
    pub fn artifact(&self, file: &str) -> Option<&[u8]> {
        self.track(Dep::Artifacts);
        self.artifacts
            .iter()
            .find(|artifact| artifact.file == file)
            .and_then(|artifact| artifact.bytes.as_deref())
    }

    /// Artifacts written so far in this unit.
    pub fn artifacts(&self) -> &[WrittenArtifact] {
        self.track(Dep::Artifacts);
        &self.artifacts
    }

    #[doc(hidden)]
    pub fn __enter_source(&mut self, name: &'static str) {
        if &*self.stage != name {
            self.enter_stage(Arc::from(name), "source");
        }
    }

    pub(crate) fn enter_stage(&mut self, name: Arc<str>, kind: &'static str) {
        self.close_stage();
        self.stage_started = Some(std::time::Instant::now());
        self.stage = name;
        self.stage_kind = kind;
        self.rng_calls.set(0);
    }

    /// Records how long the current stage took.
    fn close_stage(&mut self) {
        if let Some(started) = self.stage_started.take() {
            self.stage_times
                .push((self.stage.clone(), started.elapsed()));
        }
    }

    fn defer(&mut self, error: StepError) {
        if self.deferred.is_none() {
            self.deferred = Some(StepError::new(format!(
                "{} `{}`: {}",
                self.stage_kind, self.stage, error
            )));
        }
    }

    fn track(&self, dep: Dep) {
        if let Some(deps) = self.tracker.borrow_mut().as_mut() {
            deps.insert(dep);
        }
    }

    pub(crate) fn with_cache(mut self, cache: Option<Arc<CacheSettings>>) -> Ctx {
        self.cache = cache;
        self
    }

    pub(crate) fn with_upstream(mut self, upstream: Arc<crate::unit::upstream::Views>) -> Ctx {
        self.upstream = Some(upstream);
        self
    }

    /// The bytes of `file` published by `producer`, for this unit's condition and replicate
    /// (replicate `i` reads the producer's `i % replicates`; a condition the producer did not run
    /// reads its baseline), checked against the content hash the producer recorded.
    pub(crate) fn read_upstream(&self, producer: &str, file: &str) -> Result<Vec<u8>, StepError> {
        let who = format!("input `{}`", self.stage);
        let Some(view) = self.upstream.as_ref().and_then(|views| views.get(producer)) else {
            return Err(StepError::new(format!(
                "{who}: experiment `{producer}` has not run in this invocation (a standalone context has no upstream: give the step its data directly)"
            )));
        };
        let (path, hash) = view
            .locate(&self.condition, self.replicate, file)
            .map_err(|message| StepError::new(format!("{who}: `{producer}` {message}")))?;
        let bytes = crate::store::files::read(&path).map_err(|error| {
            StepError::new(format!("{who}: cannot read {}: {error}", path.display()))
        })?;
        if CodeHash::of(&bytes) != hash {
            return Err(StepError::new(format!(
                "{who}: {} changed after `{producer}` wrote it; run `{producer}` again",
                path.display()
            )));
        }
        Ok(bytes)
    }

    /// The path of `file_name` published by `producer` for this unit (see
    /// [`Ctx::read_upstream`]), after checking that its content is the one the producer recorded:
    /// by its size and stamp for a large file (as resume does), else by hashing it in constant
    /// memory.
    pub(crate) fn upstream_path(
        &mut self,
        producer: &str,
        file_name: &str,
    ) -> Result<PathBuf, StepError> {
        let who = format!("input `{}`", self.stage);
        let Some(view) = self.upstream.as_ref().and_then(|views| views.get(producer)) else {
            return Err(StepError::new(format!(
                "{who}: experiment `{producer}` has not run in this invocation (a standalone context has no upstream: give the step its data directly)"
            )));
        };
        let (path, hash) = view
            .locate(&self.condition, self.replicate, file_name)
            .map_err(|message| StepError::new(format!("{who}: `{producer}` {message}")))?;
        let cannot_read = |error: std::io::Error| {
            StepError::new(format!("{who}: cannot read {}: {error}", path.display()))
        };
        let file = crate::store::files::open_read(&path).map_err(cannot_read)?;
        let meta = file.metadata().map_err(cannot_read)?;
        // A large file whose size and stamp are as journaled is not hashed again (as resume).
        let unchanged = meta.is_file()
            && view.stamp(&self.condition, self.replicate, file_name)
                == Some((meta.len(), FileStamp::of(&meta)));
        if !unchanged
            && crate::store::files::hash_open_file(file)
                .map_err(cannot_read)?
                .0
                != hash
        {
            return Err(StepError::new(format!(
                "{who}: {} changed after `{producer}` wrote it; run `{producer}` again",
                path.display()
            )));
        }
        self.read_paths.push((path.clone(), hash));
        Ok(path)
    }

    /// The files this unit knows by path, with their content hashes: the artifacts it wrote and
    /// the producers' files it was handed (what the step cache keys on instead of a path).
    pub(crate) fn files_by_path(&self) -> impl Iterator<Item = (&std::path::Path, CodeHash)> {
        self.artifacts
            .iter()
            .filter_map(|artifact| Some((artifact.path.as_deref()?, artifact.hash)))
            .chain(
                self.read_paths
                    .iter()
                    .map(|(path, hash)| (path.as_path(), *hash)),
            )
    }

    /// The cache settings, if the current stage may use the step cache.
    pub(crate) fn cache_for_stage(&self) -> Option<Arc<CacheSettings>> {
        self.cache
            .as_ref()
            .filter(|settings| !settings.disabled.contains(&*self.stage))
            .cloned()
    }

    /// Starts recording what the running stage reads.
    pub(crate) fn start_tracking(&self) {
        *self.tracker.borrow_mut() = Some(BTreeSet::new());
    }

    /// Stops recording and returns what was read.
    pub(crate) fn stop_tracking(&self) -> BTreeSet<Dep> {
        self.tracker.borrow_mut().take().unwrap_or_default()
    }

    /// Canonical value of `dep` in this unit (what a cache entry must match).
    pub(crate) fn dep_value(&self, dep: &Dep) -> Value {
        match dep {
            Dep::Experiment => Value::from(&*self.experiment),
            Dep::Condition => Value::from(&*self.condition),
            Dep::Replicate => Value::from(self.replicate),
            Dep::Seed => Value::from(CodeHash(self.material).hex()),
            Dep::Param(name) => self
                .params
                .get(name)
                .map_or(Value::Null, crate::key::signature::canonicalize),
            Dep::AllParams => self.params.to_value(),
            Dep::Metrics => serde_json::to_value(&self.metrics).unwrap_or(Value::Null),
            Dep::Artifacts => Value::Array(
                self.artifacts
                    .iter()
                    .map(|artifact| {
                        Value::from(format!(
                            "{}/{}:{}",
                            artifact.stage,
                            artifact.file,
                            artifact.hash.hex()
                        ))
                    })
                    .collect(),
            ),
        }
    }

    /// The metric names and artifact count so far (to find what a stage adds).
    pub(crate) fn marks(&self) -> (BTreeSet<String>, usize) {
        (self.metrics.keys().cloned().collect(), self.artifacts.len())
    }

    /// Metrics recorded and artifacts written since `marks`.
    pub(crate) fn added_since(
        &self,
        marks: &(BTreeSet<String>, usize),
    ) -> (Vec<(String, f64)>, Vec<WrittenArtifact>) {
        let metrics = self
            .metrics
            .iter()
            .filter(|(name, _)| !marks.0.contains(*name))
            .map(|(name, value)| (name.clone(), *value))
            .collect();
        (metrics, self.artifacts[marks.1..].to_vec())
    }

    /// Whether a deferred error is pending (the stage must not be cached).
    pub(crate) fn has_deferred_error(&self) -> bool {
        self.deferred.is_some()
    }

    /// Records that the current stage was served from the step cache.
    pub(crate) fn note_cache_hit(&mut self) {
        self.cache_hits.push(self.stage.to_string());
    }

    /// Records that this unit used or wrote step-cache entry `entry` (what `gc` keeps).
    pub(crate) fn note_cache_entry(&mut self, entry: String) {
        self.cache_entries.push(entry);
    }

    /// The unit's outcome pieces: metrics, artifacts, a deferred error (e.g. a metric recorded
    /// twice) and the stages served from the step cache.
    pub(crate) fn finish(mut self) -> UnitParts {
        self.close_stage();
        // What is still pending belongs to a stage that failed or panicked.
        self.pending.discard();
        self.note_writer_failure();
        UnitParts {
            stage_times: self.stage_times,
            metrics: self.metrics,
            artifacts: self.artifacts,
            deferred: self.deferred,
            cache_hits: self.cache_hits,
            cache_entries: self.cache_entries,
            storage_failure: self.storage_failure,
        }
    }
}

/// What a finished unit leaves behind.
pub(crate) struct UnitParts {
    pub metrics: BTreeMap<String, f64>,
    pub artifacts: Vec<WrittenArtifact>,
    pub deferred: Option<StepError>,
    pub cache_hits: Vec<String>,
    pub cache_entries: Vec<String>,
    pub storage_failure: Option<StorageFailure>,
    /// How long each stage took, in order.
    pub stage_times: Vec<(Arc<str>, std::time::Duration)>,
}

/// Creates `replicate_<r>/`, `<condition>/` and `<stage>/` top down (each may exist already),
/// which costs fewer system calls than `create_dir_all` from the bottom; falls back to it when
/// the version directory itself is missing.
fn create_unit_dirs(
    unit_dir: &std::path::Path,
    stage_dir: &std::path::Path,
) -> std::io::Result<()> {
    let replicate_dir = unit_dir.parent().unwrap_or(unit_dir);
    for dir in [replicate_dir, unit_dir, stage_dir] {
        match std::fs::create_dir(dir) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return std::fs::create_dir_all(stage_dir);
            }
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// An artifact name is one plain file name: it becomes a path component.
pub(crate) fn check_artifact_name(file: &str) -> Result<(), StepError> {
    let plain = !file.is_empty() && !file.starts_with('.') && !file.contains(['/', '\\', '\0']);
    if !plain {
        return Err(StepError::new(format!(
            "invalid artifact name `{file}`: use a plain file name such as `summary.json` (no directories, not starting with `.`)"
        )));
    }
    use crate::unit::names::MAX_ARTIFACT_NAME_BYTES;
    if file.len() > MAX_ARTIFACT_NAME_BYTES {
        let shown: String = file.chars().take(40).collect();
        return Err(StepError::new(format!(
            "artifact name `{shown}..` is {} bytes long: an artifact name may have at most {MAX_ARTIFACT_NAME_BYTES} bytes (MAX_ARTIFACT_NAME_BYTES, the most a file name can hold)",
            file.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_artifact_path_is_committed_when_its_stage_succeeds() {
        let mut ctx = Ctx::standalone();
        let path = ctx.artifact_path("model.bin").unwrap();
        std::fs::write(&path, b"abc").unwrap();
        let again = ctx.artifact_path("model.bin").unwrap_err().to_string();
        assert!(again.contains("already written"), "{again}");
        assert!(ctx.write_bytes("model.bin", b"x").is_err());
        let bad = ctx.artifact_path("../x.bin").unwrap_err().to_string();
        assert!(bad.contains("invalid artifact name"), "{bad}");
        assert_eq!(ctx.settle(Ok(7)), Ok(7));
        let artifact = &ctx.artifacts()[0];
        assert_eq!(
            (artifact.file.as_str(), artifact.size, artifact.hash),
            ("model.bin", 3, CodeHash::of(b"abc"))
        );
        assert_eq!(artifact.path.as_deref(), Some(path.as_path()));
        let scratch = path
            .ancestors()
            .find(|dir| {
                dir.file_name().is_some_and(|name| {
                    name.to_string_lossy().starts_with("crystallize-standalone")
                })
            })
            .unwrap()
            .to_path_buf();
        assert!(scratch.is_dir());
        drop(ctx);
        assert!(
            !scratch.exists(),
            "the temporary directory goes with the context"
        );
    }

    #[test]
    fn a_failed_stage_leaves_no_file_and_a_path_left_unwritten_fails_its_stage() {
        let mut ctx = Ctx::standalone();
        let path = ctx.artifact_path("half.bin").unwrap();
        std::fs::write(&path, b"half").unwrap();
        let failed: Result<(), StepError> = Err(StepError::new("boom"));
        assert!(ctx.settle(failed).is_err());
        assert!(!path.exists(), "deleted");
        assert!(ctx.artifacts().is_empty());

        ctx.artifact_path("never.bin").unwrap();
        let error = ctx.settle(Ok(())).unwrap_err().to_string();
        assert!(
            error.contains("never.bin") && error.contains("wrote no file"),
            "{error}"
        );

        #[cfg(unix)]
        {
            let target = path.with_file_name("target.bin");
            std::fs::write(&target, b"outside").unwrap();
            let link = ctx.artifact_path("link.bin").unwrap();
            std::os::unix::fs::symlink(&target, &link).unwrap();
            let error = ctx.settle(Ok(())).unwrap_err().to_string();
            assert!(error.contains("symbolic link"), "{error}");
            assert!(target.exists(), "a link's target is never touched");
        }
    }

    #[test]
    fn a_writers_artifact_is_committed_with_the_hash_write_bytes_records() {
        use std::io::Write;
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let mut ctx = Ctx::standalone();
        let mut writer = ctx.artifact_writer("model.bin").unwrap();
        for piece in bytes.chunks(777) {
            writer.write_all(piece).unwrap();
        }
        let path = writer.path().to_path_buf();
        assert_eq!(writer.finish().unwrap(), bytes.len() as u64);
        let again = ctx.artifact_writer("model.bin").unwrap_err().to_string();
        assert!(again.contains("already written"), "{again}");
        assert!(ctx.artifact_path("model.bin").is_err());
        let bad = ctx.artifact_writer("../x.bin").unwrap_err().to_string();
        assert!(bad.contains("invalid artifact name"), "{bad}");
        assert_eq!(ctx.settle(Ok(())), Ok(()));

        let mut by_bytes = Ctx::standalone();
        by_bytes.write_bytes("model.bin", &bytes).unwrap();
        let artifact = &ctx.artifacts()[0];
        assert_eq!(
            (artifact.file.as_str(), artifact.size, artifact.hash),
            (
                "model.bin",
                bytes.len() as u64,
                by_bytes.artifacts()[0].hash
            )
        );
        assert_eq!(artifact.path.as_deref(), Some(path.as_path()));
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert_eq!(artifact.stamp, FileStamp::of(&meta));
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn a_writer_still_held_when_its_stage_returns_is_committed_and_writes_no_more() {
        use std::io::Write;
        let mut ctx = Ctx::standalone();
        let mut writer = ctx.artifact_writer("kept.bin").unwrap();
        writer.write_all(b"buffered").unwrap();
        writer.write_all(&[]).unwrap();
        writer.flush().unwrap();
        let mut dropped = ctx.artifact_writer("dropped.bin").unwrap();
        dropped.write_all(b"dropped").unwrap();
        drop(dropped);
        assert_eq!(ctx.settle(Ok(())), Ok(()));
        let found: Vec<_> = ctx
            .artifacts()
            .iter()
            .map(|artifact| (artifact.file.as_str(), artifact.size, artifact.hash))
            .collect();
        assert_eq!(
            found,
            [
                ("kept.bin", 8, CodeHash::of(b"buffered")),
                ("dropped.bin", 7, CodeHash::of(b"dropped"))
            ]
        );
        let late = writer.write_all(b"late").unwrap_err().to_string();
        assert!(
            late.contains("`kept.bin` was committed") && late.contains("after its stage"),
            "{late}"
        );
        assert!(writer.write_all(&[1u8; 1 << 20]).is_err());
        assert!(writer.flush().is_err());
        assert_eq!(std::fs::read(writer.path()).unwrap(), b"buffered");
        assert!(writer.finish().is_err());
    }

    #[test]
    fn a_writer_still_holding_unwritten_bytes_when_its_stage_returns_fails_the_stage() {
        use std::io::Write;
        let mut ctx = Ctx::standalone();
        let mut writer = ctx.artifact_writer("held.bin").unwrap();
        writer.write_all(b"not flushed").unwrap();
        let path = writer.path().to_path_buf();
        let error = ctx.settle(Ok(())).unwrap_err().to_string();
        assert!(
            error.contains("held.bin") && error.contains("finish, flush or drop the writer"),
            "{error}"
        );
        assert!(!path.exists(), "deleted");
        assert!(ctx.artifacts().is_empty());
        assert!(writer.write_all(b"late").is_err());
        drop(writer);
        assert!(!path.exists());
    }

    #[test]
    fn a_failed_stage_deletes_its_writers_file_and_the_writer_writes_no_more() {
        use std::io::Write;
        let mut ctx = Ctx::standalone();
        let mut writer = ctx.artifact_writer("half.bin").unwrap();
        writer.write_all(&[7u8; 100_000]).unwrap();
        writer.flush().unwrap();
        let path = writer.path().to_path_buf();
        assert!(path.exists());
        let failed: Result<(), StepError> = Err(StepError::new("boom"));
        assert!(ctx.settle(failed).is_err());
        assert!(!path.exists(), "deleted");
        assert!(ctx.artifacts().is_empty());
        let late = writer.write_all(b"late").unwrap_err().to_string();
        assert!(late.contains("deleted when stage"), "{late}");
        assert!(!path.exists());
    }

    #[test]
    fn a_writers_file_changed_behind_its_back_is_hashed_as_it_is() {
        use std::io::Write;
        let mut ctx = Ctx::standalone();
        // Appended to through another handle.
        let mut writer = ctx.artifact_writer("appended.bin").unwrap();
        writer.write_all(b"written").unwrap();
        let appended = writer.path().to_path_buf();
        writer.finish().unwrap();
        let mut other = std::fs::OpenOptions::new()
            .append(true)
            .open(&appended)
            .unwrap();
        other.write_all(b" and appended").unwrap();
        // Replaced by another file.
        let mut writer = ctx.artifact_writer("replaced.bin").unwrap();
        writer.write_all(b"written").unwrap();
        let replaced = writer.path().to_path_buf();
        drop(writer);
        std::fs::remove_file(&replaced).unwrap();
        std::fs::write(&replaced, b"replacement").unwrap();
        assert_eq!(ctx.settle(Ok(())), Ok(()));
        let found: Vec<_> = ctx
            .artifacts()
            .iter()
            .map(|artifact| (artifact.size, artifact.hash))
            .collect();
        assert_eq!(
            found,
            [
                (20, CodeHash::of(b"written and appended")),
                (11, CodeHash::of(b"replacement"))
            ]
        );
        let meta = std::fs::symlink_metadata(&replaced).unwrap();
        assert_eq!(ctx.artifacts()[1].stamp, FileStamp::of(&meta));

        // Deleted: the stage fails, naming the file.
        let writer = ctx.artifact_writer("deleted.bin").unwrap();
        std::fs::remove_file(writer.path()).unwrap();
        let error = ctx.settle(Ok(())).unwrap_err().to_string();
        assert!(
            error.contains("deleted.bin") && error.contains("no longer there"),
            "{error}"
        );
    }

    #[test]
    fn a_param_that_cannot_be_set_fails_the_step_that_asks_for_it() {
        let ctx = Ctx::standalone()
            .with_param("factor", f64::NAN)
            .with_param("scale", 2.0);
        assert_eq!(ctx.param::<f64>("scale").unwrap(), 2.0);
        let error = ctx.param::<f64>("factor").unwrap_err().to_string();
        assert!(error.contains("factor") && error.contains("NaN"), "{error}");
        let optional = ctx.param::<Option<f64>>("factor").unwrap_err().to_string();
        assert!(optional.contains("NaN"), "not silently None: {optional}");
    }
}
