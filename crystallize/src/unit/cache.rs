//! The step cache (`#[step(cache)]`), under `<data root>/.cache/steps/`.
//!
//! An entry is found by the step's code (with its tracked helpers), its stage name and a hash of
//! its input, and then by the values of everything the step read from its context when it ran:
//! the params it took (injected or through `ctx.param`), and, if it used them, the replicate,
//! condition, seed or random numbers, earlier metrics or artifacts. So a step is never served an
//! output computed under another treatment, replicate or seed that it actually depends on,
//! while a step that ignores them is computed once for all. A hit replays the output, the
//! metrics the step recorded and the artifacts it wrote (from `.cache/blobs/`, after checking
//! their hashes).
//!
//! Large artifacts (from [`BIG_FILE_BYTES`] on) are kept by path: hard-linked into the blobs
//! when stored and from them when replayed, never read into memory; their size and stamp
//! (modification time, inode) are kept, so an untouched blob is not hashed again, and one that
//! changed is hashed (in constant memory) and is a miss unless its content is still the same.
//! Where a step's output is the path of an artifact it wrote (`ctx.artifact_path(..)` returned
//! as a `PathBuf`), a hit gives the path of the replayed artifact; where its input names an
//! artifact's path (of this unit, or a producer's file from `producer.artifact_path(..)`), the
//! entry is keyed by that file's content, not by its path.
//!
//! Unreadable entries are misses; nothing here fails a unit that would succeed without the
//! cache.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::key::canonical;
use crate::key::signature::{CodeHash, canonical_json};
use crate::store::atomic::{write_atomic, write_json};
use crate::store::files::{self, FileStamp};
use crate::store::hashing::BIG_FILE_BYTES;
use crate::store::records::read_record;
use crate::unit::ctx::{CacheSettings, Ctx, Dep};
use crate::unit::error::StepError;
use crate::unit::stage::{CacheCodec, StageInfo, Step};

/// Directory of the cache under the data root.
pub(crate) const CACHE_DIR: &str = ".cache";

/// One stored result.
#[derive(Serialize, Deserialize)]
struct Entry {
    stage: String,
    deps: Vec<Dep>,
    /// The step's output, encoded by its codec (JSON text).
    output: String,
    metrics: BTreeMap<String, Option<f64>>,
    artifacts: Vec<CachedArtifact>,
    /// The artifact whose path the output is (then a hit outputs the replayed artifact's path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    output_artifact: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct CachedArtifact {
    file: String,
    hash: CodeHash,
    size: u64,
    /// The blob's stamp when it was linked (large artifacts; unknown for copied ones).
    #[serde(default, skip_serializing_if = "is_unknown")]
    stamp: FileStamp,
}

fn is_unknown(stamp: &FileStamp) -> bool {
    !stamp.is_known()
}

/// The sets of context facts that runs of one (step, input) have read; usually one.
#[derive(Serialize, Deserialize, Default)]
struct DepSets {
    sets: Vec<Vec<Dep>>,
}

/// Runs `step` through the cache when it is a `#[step(cache)]` and the unit has a cache.
///
/// Generic over the step, so compiled in the user's crate once per step: it only runs the step,
/// or hands it to [`cached`], which is generic over the data types alone (compiled once per pair
/// of types, however many steps share it); the cache's work (keys, files, entries) is in the
/// functions below that take no type parameter, compiled once in this crate.
pub(crate) fn run_step<In, S: Step<In>>(
    step: &S,
    input: In,
    ctx: &mut Ctx,
) -> Result<S::Output, StepError> {
    match step.cache_codec() {
        None => {
            let result = step.run(input, ctx);
            ctx.settle(result)
        }
        Some(codec) => cached(
            &mut |input, ctx: &mut Ctx| step.run(input, ctx),
            input,
            ctx,
            &S::INFO,
            codec,
        ),
    }
}

/// Runs a step (`run`) through the cache, when the unit has one.
fn cached<In, Out>(
    run: &mut dyn FnMut(In, &mut Ctx) -> Result<Out, StepError>,
    input: In,
    ctx: &mut Ctx,
    info: &StageInfo,
    codec: CacheCodec<In, Out>,
) -> Result<Out, StepError> {
    let Some(settings) = ctx.cache_for_stage() else {
        let result = run(input, ctx);
        return ctx.settle(result);
    };
    let mut hasher = step_hasher(ctx, info);
    if (codec.hash_input)(&input, &mut hasher).is_err() {
        let result = run(input, ctx);
        return ctx.settle(result);
    }
    let Some(place) = Place::of(hasher, (codec.short_text)(&input), ctx, &settings) else {
        let result = run(input, ctx);
        return ctx.settle(result);
    };
    if let Some(output) = lookup(&place, ctx, codec.decode) {
        return Ok(output);
    }
    let pending = Pending::start(ctx);
    let result = run(input, ctx);
    let pending = pending.stop(ctx);
    let result = ctx.settle(result);
    if let Ok(output) = &result
        && !ctx.has_deferred_error()
        && let Ok(encoded) = (codec.encode)(output)
    {
        keep(&place, ctx, pending, encoded);
    }
    result
}

/// The hasher of a step's cache key, fed with its stage record (code, helpers, name).
fn step_hasher(ctx: &Ctx, info: &StageInfo) -> blake3::Hasher {
    let mut hasher = blake3::Hasher::new_derive_key("crystallize step cache v1");
    let record = crate::unit::records::stage_record(ctx.stage(), info);
    // What `canonical_json` of the record's JSON tree would give, written without the tree.
    let text = canonical::to_string(&record).unwrap_or_else(|_| "null".to_string());
    hasher.update(text.as_bytes());
    hasher
}

/// Where the entries of one (step, input) are.
struct Place {
    /// The hex of the (step, input) key.
    base: String,
    /// `<cache>/steps/<base>`.
    dir: PathBuf,
    /// `<cache>/blobs`.
    blobs: PathBuf,
}

impl Place {
    /// The place of the key `hasher` has so far, completed by the content of the files the
    /// input's short text names; `None` where a directory on the way is a link (the cache only
    /// reads and writes below the data root).
    fn of(
        mut hasher: blake3::Hasher,
        short_text: Option<String>,
        ctx: &Ctx,
        settings: &CacheSettings,
    ) -> Option<Place> {
        if let Some(text) = short_text {
            for hash in named_files(&text, ctx) {
                hasher.update(b"file content");
                hasher.update(&hash.0);
            }
        }
        let base = CodeHash(*hasher.finalize().as_bytes()).hex();
        let dir = settings.dir.join("steps").join(&base);
        let blobs = settings.dir.join("blobs");
        if [&settings.dir.join("steps"), &dir, &blobs]
            .iter()
            .any(|path| files::kind(path) == files::Kind::Link)
        {
            return None;
        }
        Some(Place { base, dir, blobs })
    }
}

/// What the cache notes before a step runs, then what it read while running.
struct Pending {
    /// The metrics and artifacts already there.
    marks: (std::collections::BTreeSet<String>, usize),
    /// The values of the context facts before the step ran.
    before: (Value, Value),
    /// The context facts the step read.
    deps: Vec<Dep>,
}

impl Pending {
    /// Notes the context and starts tracking what the step reads.
    fn start(ctx: &Ctx) -> Pending {
        let marks = ctx.marks();
        let before = snapshot(ctx);
        ctx.start_tracking();
        Pending {
            marks,
            before,
            deps: Vec::new(),
        }
    }

    /// Stops tracking: what the step read.
    fn stop(mut self, ctx: &Ctx) -> Pending {
        self.deps = ctx.stop_tracking().into_iter().collect();
        self
    }
}

/// Stores a step's encoded output with what it recorded and wrote, and notes the entry. A cache
/// that cannot be written is only a missed opportunity: a warning, not an error.
fn keep(place: &Place, ctx: &mut Ctx, pending: Pending, encoded: Vec<u8>) {
    let Ok(encoded) = String::from_utf8(encoded) else {
        return;
    };
    match store(
        &place.dir,
        &place.blobs,
        ctx,
        pending.before,
        pending.deps,
        encoded,
        &pending.marks,
    ) {
        Ok(Some(key)) => ctx.note_cache_entry(format!("{}/{key}", place.base)),
        Ok(None) => {}
        Err(error) => tracing::warn!(
            "warning: the step cache could not keep the output of `{}` ({} replicate {}): {error}",
            ctx.stage(),
            ctx.condition(),
            ctx.replicate()
        ),
    }
}

/// The values of context facts before the step runs; metrics and artifacts change while it
/// runs, so they are captured up front.
struct Before<'a> {
    ctx: &'a Ctx,
    metrics: Value,
    artifacts: Value,
}

impl Before<'_> {
    fn value(&self, dep: &Dep) -> Value {
        match dep {
            Dep::Metrics => self.metrics.clone(),
            Dep::Artifacts => self.artifacts.clone(),
            other => self.ctx.dep_value(other),
        }
    }

    fn key(&self, deps: &[Dep]) -> String {
        let values: Vec<Value> = deps
            .iter()
            .map(|dep| serde_json::json!([dep, self.value(dep)]))
            .collect();
        CodeHash::of(canonical_json(&Value::Array(values)).as_bytes()).hex()
    }
}

fn snapshot(ctx: &Ctx) -> (Value, Value) {
    (ctx.dep_value(&Dep::Metrics), ctx.dep_value(&Dep::Artifacts))
}

/// The output of a hit at `place` decoded by `decode`, with its artifacts and metrics replayed
/// into `ctx` and the hit noted; `None` on a miss.
fn lookup<Out>(
    place: &Place,
    ctx: &mut Ctx,
    decode: fn(&[u8]) -> Result<Out, String>,
) -> Option<Out> {
    let mut output = None;
    let key = find(place, ctx, &mut |bytes, keep| match decode(bytes) {
        Ok(value) => {
            if keep {
                output = Some(value);
            }
            true
        }
        Err(_) => false,
    })?;
    ctx.note_cache_hit();
    ctx.note_cache_entry(format!("{}/{key}", place.base));
    output
}

/// Searches the entries at `place` for one that matches the context; replays its artifacts and
/// metrics and returns its key. `decode(bytes, keep)` says whether an encoded output decodes
/// (and keeps the decoded value when `keep`): entries whose output does not decode are misses.
fn find(
    place: &Place,
    ctx: &mut Ctx,
    decode: &mut dyn FnMut(&[u8], bool) -> bool,
) -> Option<String> {
    let (dir, blobs) = (&place.dir, &place.blobs);
    let sets: DepSets = read_record(&dir.join("deps.json")).ok()?;
    let (metrics, artifacts) = snapshot(ctx);
    let keys: Vec<String> = {
        let before = Before {
            ctx,
            metrics,
            artifacts,
        };
        sets.sets.iter().map(|deps| before.key(deps)).collect()
    };
    for (deps, key) in sets.sets.iter().zip(keys) {
        let path = dir.join(format!("{key}.json"));
        let Ok(entry) = read_record::<Entry>(&path) else {
            continue;
        };
        if entry.stage != ctx.stage() || &entry.deps != deps {
            continue;
        }
        if entry.output_artifact.is_none() && !decode(entry.output.as_bytes(), false) {
            continue;
        }
        // Blobs are checked against their hash before anything is replayed: a blob that was
        // damaged or edited is a miss, never a wrong artifact. Small ones are read (and written
        // from memory), large ones only checked (and linked).
        let mut contents = Vec::with_capacity(entry.artifacts.len());
        for artifact in &entry.artifacts {
            match check_blob(&blobs.join(artifact.hash.hex()), artifact) {
                Some(content) => contents.push(content),
                None => break,
            }
        }
        if contents.len() != entry.artifacts.len() {
            continue;
        }
        for (artifact, content) in entry.artifacts.iter().zip(contents) {
            let placed = match content {
                Some(bytes) => ctx.write_bytes(&artifact.file, bytes).map(drop),
                None => ctx.place_artifact(
                    &artifact.file,
                    &blobs.join(artifact.hash.hex()),
                    artifact.hash,
                    artifact.size,
                ),
            };
            if placed.is_err() {
                return None;
            }
        }
        let decoded = match &entry.output_artifact {
            // The output is the path of the artifact just replayed.
            Some(file) => {
                let path = ctx
                    .artifacts()
                    .iter()
                    .rev()
                    .find(|artifact| &artifact.file == file)?
                    .path
                    .clone()?;
                decode(&serde_json::to_vec(&path).ok()?, true)
            }
            None => decode(entry.output.as_bytes(), true),
        };
        if !decoded {
            return None;
        }
        for (name, value) in &entry.metrics {
            ctx.record(name, value.unwrap_or(f64::NAN));
        }
        return Some(key);
    }
    None
}

fn store(
    dir: &Path,
    blobs: &Path,
    ctx: &Ctx,
    (metrics_before, artifacts_before): (Value, Value),
    deps: Vec<Dep>,
    output: String,
    marks: &(std::collections::BTreeSet<String>, usize),
) -> std::io::Result<Option<String>> {
    let (metrics, artifacts) = ctx.added_since(marks);
    let mut cached = Vec::new();
    for artifact in &artifacts {
        let Some(path) = &artifact.path else {
            return Ok(None);
        };
        let blob: PathBuf = blobs.join(artifact.hash.hex());
        let stamp = if artifact.size >= BIG_FILE_BYTES {
            // Linked, not copied: a blob edited through the version's link no longer matches its
            // stamp, is hashed again and is a miss.
            match link_blob(path, &blob, artifact)? {
                Some(stamp) => stamp,
                None => return Ok(None),
            }
        } else {
            if files::kind(&blob) != files::Kind::File {
                // A copy: editing an artifact in place must not change the cache.
                let bytes = files::read(path)?;
                if CodeHash::of(&bytes) != artifact.hash {
                    return Ok(None);
                }
                write_atomic(&blob, &bytes)?;
            }
            FileStamp::default()
        };
        cached.push(CachedArtifact {
            file: artifact.file.clone(),
            hash: artifact.hash,
            size: artifact.size,
            stamp,
        });
    }
    let output_artifact = match serde_json::from_str::<Value>(&output) {
        Ok(Value::String(text)) => artifacts
            .iter()
            .find(|artifact| {
                artifact
                    .path
                    .as_deref()
                    .is_some_and(|path| path.to_str() == Some(text.as_str()))
            })
            .map(|artifact| artifact.file.clone()),
        _ => None,
    };
    let entry = Entry {
        stage: ctx.stage().to_string(),
        deps: deps.clone(),
        output,
        metrics: metrics
            .into_iter()
            .map(|(name, value)| (name, value.is_finite().then_some(value)))
            .collect(),
        artifacts: cached,
        output_artifact,
    };
    let before = Before {
        ctx,
        metrics: metrics_before,
        artifacts: artifacts_before,
    };
    fs::create_dir_all(dir)?;
    let key = before.key(&deps);
    write_json(&dir.join(format!("{key}.json")), &entry)?;
    let deps_path = dir.join("deps.json");
    let mut sets: DepSets = read_record(&deps_path).unwrap_or_default();
    if !sets.sets.contains(&deps) {
        sets.sets.push(deps);
        write_json(&deps_path, &sets)?;
    }
    Ok(Some(key))
}

/// The content hashes of the files this unit knows by path (its artifacts, the producers' files
/// it was handed) whose paths the input's JSON text names.
fn named_files(text: &str, ctx: &Ctx) -> Vec<CodeHash> {
    ctx.files_by_path()
        .filter_map(|(path, hash)| {
            let quoted = serde_json::to_string(path.to_str()?).ok()?;
            text.contains(&quoted).then_some(hash)
        })
        .collect()
}

/// Whether the blob of `artifact` is intact: `Some(Some(bytes))` for a small one (read and
/// checked), `Some(None)` for a large one (its size and stamp unchanged, or its content hashed
/// again in constant memory and unchanged), `None` when it is missing, damaged or edited.
fn check_blob(blob: &Path, artifact: &CachedArtifact) -> Option<Option<Vec<u8>>> {
    if artifact.size < BIG_FILE_BYTES {
        let bytes = files::read(blob).ok()?;
        return (CodeHash::of(&bytes) == artifact.hash).then_some(Some(bytes));
    }
    let meta = fs::symlink_metadata(blob).ok()?;
    if !meta.is_file() || meta.len() != artifact.size {
        return None;
    }
    if artifact.stamp.is_known() && FileStamp::of(&meta) == artifact.stamp {
        return Some(None);
    }
    let (hash, size, _) = files::hash_open_file(files::open_read(blob).ok()?).ok()?;
    (hash == artifact.hash && size == artifact.size).then_some(None)
}

/// Hard-links the large artifact at `path` as `blob` (through a temporary name, renamed over
/// any blob there), after checking that it is still as written (size and stamp); returns the
/// blob's stamp, or `None` when the artifact changed since (nothing is cached then).
fn link_blob(
    path: &Path,
    blob: &Path,
    artifact: &crate::unit::ctx::WrittenArtifact,
) -> std::io::Result<Option<FileStamp>> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_file() || meta.len() != artifact.size || FileStamp::of(&meta) != artifact.stamp {
        return Ok(None);
    }
    let Some(parent) = blob.parent() else {
        return Ok(None);
    };
    fs::create_dir_all(parent)?;
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let temp = parent.join(format!(
        ".tmp-link-{:x}-{:x}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    crate::store::linking::link_or_explain(path, &temp)?;
    let renamed = fs::rename(&temp, blob);
    // A rename onto another link of the same file does nothing: the temporary link stays.
    if files::kind(&temp) != files::Kind::Missing {
        let _ = fs::remove_file(&temp);
    }
    renamed?;
    Ok(Some(FileStamp::of(&fs::symlink_metadata(blob)?)))
}

/// What pruning the step cache removes: entries that no retained version used or wrote, and the
/// artifact blobs no remaining entry needs.
#[derive(Debug, Default)]
pub(crate) struct CachePruning {
    /// Files to delete.
    pub files: Vec<PathBuf>,
    /// Entries among them.
    pub entries: usize,
    /// Blobs among them.
    pub blobs: usize,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Plans pruning the cache at `cache_dir`: an entry is kept when `referenced` names it
/// (`<step dir>/<entry key>`, as unit records list them) or when it was written at or after
/// `since` (a run that started meanwhile may not have journaled it yet). Links are never
/// followed nor deleted.
pub(crate) fn plan_cache_pruning(
    cache_dir: &Path,
    referenced: &std::collections::BTreeSet<String>,
    since: std::time::SystemTime,
) -> std::io::Result<CachePruning> {
    let mut pruning = CachePruning::default();
    if files::kind(cache_dir) != files::Kind::Dir {
        return Ok(pruning);
    }
    let recent = |meta: &fs::Metadata| meta.modified().is_ok_and(|time| time >= since);
    let real_entries = |dir: &Path| -> std::io::Result<Vec<(String, PathBuf, fs::Metadata)>> {
        let mut found = Vec::new();
        if files::kind(dir) != files::Kind::Dir {
            return Ok(found);
        }
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let meta = fs::symlink_metadata(entry.path())?;
            if meta.file_type().is_symlink() {
                continue;
            }
            found.push((
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
                meta,
            ));
        }
        Ok(found)
    };
    let mut needed_blobs = std::collections::BTreeSet::new();
    for (base, step_dir, meta) in real_entries(&cache_dir.join("steps"))? {
        if !meta.is_dir() {
            continue;
        }
        let mut kept = 0usize;
        let mut deps_file = None;
        for (name, path, meta) in real_entries(&step_dir)? {
            if name == "deps.json" {
                deps_file = Some((path, meta));
                continue;
            }
            let Some(key) = name.strip_suffix(".json") else {
                continue;
            };
            if crate::store::atomic::is_temp_name(&name) {
                continue;
            }
            if referenced.contains(&format!("{base}/{key}")) || recent(&meta) {
                kept += 1;
                if let Ok(entry) = read_record::<Entry>(&path) {
                    needed_blobs.extend(entry.artifacts.iter().map(|artifact| artifact.hash.hex()));
                }
            } else {
                pruning.entries += 1;
                pruning.bytes += meta.len();
                pruning.files.push(path);
            }
        }
        if kept == 0
            && let Some((path, meta)) = deps_file
            && !recent(&meta)
        {
            pruning.bytes += meta.len();
            pruning.files.push(path);
        }
    }
    for (name, path, meta) in real_entries(&cache_dir.join("blobs"))? {
        if meta.is_file()
            && !needed_blobs.contains(&name)
            && !crate::store::atomic::is_temp_name(&name)
            && !recent(&meta)
        {
            pruning.blobs += 1;
            pruning.bytes += meta.len();
            pruning.files.push(path);
        }
    }
    pruning.files.sort();
    Ok(pruning)
}
