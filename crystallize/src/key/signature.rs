//! Signatures: what a result depends on, component by component.
//!
//! A [`ConditionRecord`] holds, in readable form, every input of one condition's results: the code
//! of the source and each step (with their tracked helpers), the condition's params as canonical
//! JSON, the master seed and seed scheme, and what it reads upstream. Its key is a blake3 hash
//! over what all its units share: every component except the content of upstream artifacts. A
//! unit's key adds its replicate index and the content hash of exactly the upstream artifacts
//! that unit reads (consumer replicate `i` reads producer replicate `i % producer replicates`),
//! so a changed producer replicate reruns only the consumer units that read it. "Why did this
//! re-run?" is a diff of two records.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::canonical;

/// Version of the key scheme; stored with every record, and hashed into every key. Resume never
/// compares keys across schemes: a stored record of another scheme reruns its units once
/// (`key-scheme-changed`).
///
/// - 1: upstream content hashes in the condition key;
/// - 2: upstream content hashes in the unit key, of exactly the producer replicate each unit
///   reads; stage records cover every item of the user's code a stage reaches, path
///   dependencies and the locked versions of registry crates.
pub(crate) const KEY_SCHEME: u32 = 2;

/// A 32-byte blake3 hash: of code (computed by the macros at compile time), of a signature, or of
/// an artifact's content. Serialised as lower-case hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeHash(pub [u8; 32]);

impl CodeHash {
    /// The key of a record not keyed yet (all zero bytes: no blake3 output is).
    pub(crate) const UNSET: CodeHash = CodeHash([0; 32]);

    /// Hash of arbitrary bytes.
    pub fn of(bytes: &[u8]) -> CodeHash {
        CodeHash(*blake3::hash(bytes).as_bytes())
    }

    /// Full lower-case hex.
    pub fn hex(&self) -> String {
        self.hex_str(&mut [0; 64]).to_string()
    }

    /// Full lower-case hex, written in `text`.
    fn hex_str<'t>(&self, text: &'t mut [u8; 64]) -> &'t str {
        super::hex::encode_into(&self.0, text);
        // Hex digits are ASCII.
        std::str::from_utf8(text).unwrap_or_default()
    }

    /// The first 8 hex digits, for messages.
    pub fn short(&self) -> String {
        self.hex()[..8].to_string()
    }

    /// Parses 64 hex digits (either case).
    pub fn from_hex(text: &str) -> Option<CodeHash> {
        let mut out = [0u8; 32];
        super::hex::decode_into(text.as_bytes(), &mut out).then_some(CodeHash(out))
    }
}

impl fmt::Debug for CodeHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeHash({})", self.hex())
    }
}

impl fmt::Display for CodeHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

impl Serialize for CodeHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.hex_str(&mut [0; 64]))
    }
}

impl<'de> Deserialize<'de> for CodeHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Reads the hex text where it is, without a copy.
        struct Hex;
        impl serde::de::Visitor<'_> for Hex {
            type Value = CodeHash;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a string of 64 hex digits")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<CodeHash, E> {
                CodeHash::from_hex(text).ok_or_else(|| E::custom("expected 64 hex digits"))
            }
        }
        deserializer.deserialize_str(Hex)
    }
}

/// The code hash of a helper marked `#[crystallize::code]`, as emitted by the macro.
#[derive(Clone, Copy, Debug)]
pub struct TrackedCode {
    /// The helper's name (`mean`, `impl Display for Model`).
    pub name: &'static str,
    /// `module_path!()` where the helper is defined.
    pub module: &'static str,
    /// Hash of the helper's tokens.
    pub code: CodeHash,
    /// Helpers this helper names in its own `uses(..)`.
    pub uses: &'static [TrackedCode],
    /// The code it reaches.
    pub reach: Reach,
}

/// An item of the user's code (or a file it includes) that a stage or helper reaches, found by
/// the macro at compile time.
#[derive(Clone, Copy, Debug)]
pub struct ReachedCode {
    /// `crate::helpers::mean`, `model::fit` (an item of a path dependency),
    /// `include!(data/table.csv)`.
    pub path: &'static str,
    /// Its code hash (a content hash for an included file).
    pub code: CodeHash,
    /// The item it is reached through (empty when reached directly).
    pub via: &'static str,
    /// Its canonical text, for showing what changed.
    pub text: &'static str,
}

/// A registry crate that reachable code names, as locked in `Cargo.lock`.
#[derive(Clone, Copy, Debug)]
pub struct DependencyInfo {
    /// Package name.
    pub name: &'static str,
    /// Locked version (`unlocked` where the lock file has none).
    pub version: &'static str,
    /// Locked checksum (empty where none).
    pub checksum: &'static str,
}

/// What the macro found an item's code reaches beyond its own tokens.
#[derive(Clone, Copy, Debug)]
pub struct Reach {
    /// Reached items, sorted by path.
    pub items: &'static [ReachedCode],
    /// Registry crates reachable code names.
    pub dependencies: &'static [DependencyInfo],
    /// What could not be tracked, and why (shown by `show`).
    pub untracked: &'static [&'static str],
    /// Items excluded with `ignore(..)`.
    pub ignored: &'static [&'static str],
    /// The canonical text of the item itself (what its own code hash covers).
    pub text: &'static str,
}

impl Reach {
    /// Nothing reached (what the macros emit where no analysis ran).
    pub const NONE: Reach = Reach {
        items: &[],
        dependencies: &[],
        untracked: &[],
        ignored: &[],
        text: "",
    };
}

/// A reached item in a stage's record.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct ReachRecord {
    /// Its path.
    pub path: String,
    /// Its code hash.
    pub code: CodeHash,
    /// The item it is reached through (empty when direct).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub via: String,
}

/// A registry dependency in a stage's record.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct DependencyRecord {
    /// Package name.
    pub name: String,
    /// Locked version.
    pub version: String,
    /// Locked checksum.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub checksum: String,
}

impl TrackedCode {
    /// `module::name`, as shown in records and explanations.
    pub fn path(&self) -> String {
        format!("{}::{}", self.module, self.name)
    }
}

/// Readable code signature of one helper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HelperRecord {
    /// `module::name` of the helper.
    pub name: String,
    /// Its code hash.
    pub code: CodeHash,
}

/// Readable code signature of the source or one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StageRecord {
    /// The stage name (directory name of its artifacts).
    pub name: String,
    /// `"source"` or `"step"`.
    pub kind: String,
    /// Hash of the function's own tokens.
    pub code: CodeHash,
    /// Tracked helpers, transitively, sorted by name (order-independent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<HelperRecord>,
    /// Every item of the user's code the stage (or a tracked helper) reaches, sorted by path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reaches: Vec<ReachRecord>,
    /// Registry crates that reachable code names, with their locked versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<DependencyRecord>,
    /// Items excluded with `ignore(..)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
}

/// What one condition reads from an upstream experiment: which artifact, of which producer
/// condition, and the content (blake3) of each producer replicate it reads. All but the content
/// is part of the condition key; the content of the replicate a unit reads is part of that
/// unit's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UpstreamRead {
    /// The input's name in the consumer.
    pub input: String,
    /// The producing experiment.
    pub producer: String,
    /// The artifact file.
    pub file: String,
    /// The producer condition read: the same condition if the producer ran it, else `baseline`.
    pub condition: String,
    /// The producer's replicates (consumer replicate `i` reads `i % replicates`).
    pub replicates: u32,
    /// Content hash of producer replicates `0..min(replicates, consumer replicates)`; `None`
    /// where the producer has no such artifact (its unit failed, or has not run yet). Part of
    /// the unit keys, not of the condition key.
    pub hashes: Vec<Option<CodeHash>>,
}

impl UpstreamRead {
    /// The producer replicate consumer replicate `replicate` reads (`None` when the producer
    /// has no replicates).
    pub(crate) fn source_replicate(&self, replicate: u32) -> Option<u32> {
        replicate.checked_rem(self.replicates)
    }

    /// Content hash of the artifact consumer replicate `replicate` reads, if the producer has it.
    pub(crate) fn hash_for(&self, replicate: u32) -> Option<CodeHash> {
        let source = self.source_replicate(replicate)?;
        self.hashes
            .get(usize::try_from(source).ok()?)
            .copied()
            .flatten()
    }
}

/// Everything one condition's results depend on, readable, plus its key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct ConditionRecord {
    /// Source then steps, in pipeline order.
    pub stages: Vec<StageRecord>,
    /// The condition's params (baseline params overlaid with the treatment payload).
    pub params: Value,
    /// Master seed.
    pub seed: u64,
    /// Version of the seed derivation.
    pub seed_scheme: u32,
    /// Version of the key scheme.
    pub key_scheme: u32,
    /// The upstream artifacts read: which ones in the condition key, their content in the unit
    /// keys (early cutoff: identical bytes, identical key).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<UpstreamRead>,
    /// The toolchain and build settings, in strict mode only (`#[experiment(strict_env)]`,
    /// `--strict-env`); otherwise they are recorded in `metadata.json` but not keyed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<crate::key::toolchain::Toolchain>,
    /// Hash over all the components above except upstream content.
    pub key: CodeHash,
}

impl ConditionRecord {
    /// Builds the record and computes its key.
    #[cfg(test)]
    pub(crate) fn new(
        stages: Vec<StageRecord>,
        params: Value,
        seed: u64,
        seed_scheme: u32,
    ) -> Self {
        ConditionRecord::with_upstream(stages, params, seed, seed_scheme, Vec::new())
    }

    /// Builds the record of a condition that reads upstream artifacts and computes its key.
    #[cfg(test)]
    pub(crate) fn with_upstream(
        stages: Vec<StageRecord>,
        params: Value,
        seed: u64,
        seed_scheme: u32,
        upstream: Vec<UpstreamRead>,
    ) -> Self {
        let mut record = ConditionRecord::planned(stages, params, seed, seed_scheme, None);
        record.set_upstream(upstream);
        record
    }

    /// The record of a planned condition: no upstream read yet, the toolchain in its key in
    /// strict mode (`Some`); its key computed once.
    pub(crate) fn planned(
        stages: Vec<StageRecord>,
        params: Value,
        seed: u64,
        seed_scheme: u32,
        environment: Option<crate::key::toolchain::Toolchain>,
    ) -> Self {
        let mut record =
            ConditionRecord::awaiting_upstream(stages, params, seed, seed_scheme, environment);
        record.key = record.compute_key();
        record
    }

    /// The record of a planned condition of an experiment that reads upstream artifacts: its
    /// key is computed when [`ConditionRecord::set_upstream`] gives it what it reads (the plan
    /// binds every consumer before anything is decided). Until then it holds
    /// [`CodeHash::UNSET`], which no stored key equals: compared, it could only make work run
    /// again, never load results it does not match.
    pub(crate) fn awaiting_upstream(
        stages: Vec<StageRecord>,
        params: Value,
        seed: u64,
        seed_scheme: u32,
        environment: Option<crate::key::toolchain::Toolchain>,
    ) -> Self {
        ConditionRecord {
            stages,
            params,
            seed,
            seed_scheme,
            key_scheme: KEY_SCHEME,
            upstream: Vec::new(),
            environment,
            key: CodeHash::UNSET,
        }
    }

    /// Puts what the condition reads upstream in the record, and its key.
    pub(crate) fn set_upstream(&mut self, upstream: Vec<UpstreamRead>) {
        self.upstream = upstream;
        self.key = self.compute_key();
    }

    /// The record with the toolchain in its key (strict mode), or without (`None`).
    #[cfg(test)]
    pub(crate) fn with_environment(
        mut self,
        environment: Option<crate::key::toolchain::Toolchain>,
    ) -> Self {
        self.environment = environment;
        self.key = self.compute_key();
        self
    }

    /// Recomputes the key from the components (a stored key that disagrees means a foreign or
    /// corrupt record): everything but the content of upstream artifacts, which is in the unit
    /// keys.
    pub(crate) fn compute_key(&self) -> CodeHash {
        let mut hasher = blake3::Hasher::new_derive_key("crystallize condition key");
        let components = KeyComponents {
            environment: self.environment.as_ref(),
            key_scheme: self.key_scheme,
            params: &self.params,
            seed: self.seed,
            seed_scheme: self.seed_scheme,
            stages: &self.stages,
            upstream: self
                .upstream
                .iter()
                .map(|read| UpstreamKey {
                    input: &read.input,
                    producer: &read.producer,
                    file: &read.file,
                    condition: &read.condition,
                    replicates: read.replicates,
                })
                .collect(),
        };
        // The canonical text is written in many small pieces: hashed at once, not piece by piece.
        let mut text = Vec::with_capacity(1024);
        match canonical::write(&components, &mut text) {
            Ok(()) => {
                hasher.update(&text);
            }
            Err(error) => {
                // Never for these records (every key is text); still a key no record shares.
                hasher.update(&text);
                hasher.update(b"\0not serialisable: ");
                hasher.update(error.to_string().as_bytes());
            }
        }
        CodeHash(*hasher.finalize().as_bytes())
    }

    /// The key of one unit (this condition at `replicate`), hashed under the condition key: the
    /// replicate index, then, for each upstream read in order, the content hash of the artifact
    /// this unit reads (or a marker that there is none). A condition that reads nothing upstream
    /// hashes the replicate index alone.
    pub(crate) fn unit_key(&self, replicate: u32) -> CodeHash {
        let mut hasher = blake3::Hasher::new_keyed(&self.key.0);
        hasher.update(&replicate.to_le_bytes());
        for read in &self.upstream {
            match read.hash_for(replicate) {
                Some(hash) => {
                    hasher.update(&[1]);
                    hasher.update(&hash.0);
                }
                None => {
                    hasher.update(&[0]);
                }
            }
        }
        CodeHash(*hasher.finalize().as_bytes())
    }
}

/// What a condition key hashes, as canonical JSON: every component of the record but its key
/// and the content of upstream artifacts (which is in the unit keys).
#[derive(Serialize)]
struct KeyComponents<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    environment: Option<&'a crate::key::toolchain::Toolchain>,
    key_scheme: u32,
    params: &'a Value,
    seed: u64,
    seed_scheme: u32,
    stages: &'a [StageRecord],
    upstream: Vec<UpstreamKey<'a>>,
}

/// An upstream read as a condition key hashes it: which artifact, not its content.
#[derive(Serialize)]
struct UpstreamKey<'a> {
    input: &'a str,
    producer: &'a str,
    file: &'a str,
    condition: &'a str,
    replicates: u32,
}

/// Canonical JSON text (see [`canonical`]): object keys sorted recursively, no whitespace,
/// numbers in serde_json's shortest round-trip form. Independent of whether `serde_json`
/// preserves insertion order.
pub(crate) fn canonical_json(value: &Value) -> String {
    // A JSON value's keys are text: writing it cannot fail.
    canonical::to_string(value).unwrap_or_default()
}

/// Returns `value` with object keys sorted recursively (for storing canonical params).
pub(crate) fn canonicalize(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(canonicalize).collect()),
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, item)| (key.clone(), canonicalize(item)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_recursively() {
        let a = json!({"b": 1, "a": {"y": [1.5, {"q": 1, "p": 2}], "x": null}});
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"x":null,"y":[1.5,{"p":2,"q":1}]},"b":1}"#
        );
    }

    /// A record with every component, and its key as this key scheme defines it: any change to
    /// how keys are computed that changes this value changes every stored key.
    fn full_record() -> ConditionRecord {
        let stage = |name: &str| StageRecord {
            name: name.into(),
            kind: "step".into(),
            code: CodeHash::of(name.as_bytes()),
            uses: vec![HelperRecord {
                name: format!("{name}_helper"),
                code: CodeHash::of(b"helper"),
            }],
            reaches: vec![ReachRecord {
                path: "model::fit".into(),
                code: CodeHash::of(b"fit"),
                via: "fit(x) \"quoted\" \u{e9}".into(),
            }],
            dependencies: vec![DependencyRecord {
                name: "rand".into(),
                version: "0.9.1".into(),
                checksum: String::new(),
            }],
            ignored: vec!["log::info".into()],
        };
        let mut record = ConditionRecord::planned(
            vec![stage("load"), stage("train")],
            json!({"z": [1, 2.5, -3e-7, null, true], "a": {"y": "t\u{e9}xt\n\t\"", "b": {}}, "m": []}),
            u64::MAX,
            1,
            Some(crate::key::toolchain::Toolchain {
                rustc: "rustc 1.95.0".into(),
                target: "x86_64-unknown-linux-gnu".into(),
                opt_level: "3".into(),
                debug_assertions: false,
                target_features: "sse2,fxsr".into(),
            }),
        );
        record.set_upstream(vec![UpstreamRead {
            input: "data".into(),
            producer: "prepare".into(),
            file: "rows.json".into(),
            condition: "baseline".into(),
            replicates: 3,
            hashes: vec![Some(CodeHash::of(b"0")), None, Some(CodeHash::of(b"2"))],
        }]);
        record
    }

    /// The key as the key scheme defines it: blake3 (derived for condition keys) of the JSON
    /// tree of the components, keys sorted at every level, written without whitespace.
    fn key_through_the_tree(record: &ConditionRecord) -> CodeHash {
        let upstream: Vec<Value> = record
            .upstream
            .iter()
            .map(|read| {
                json!({
                    "input": read.input, "producer": read.producer, "file": read.file,
                    "condition": read.condition, "replicates": read.replicates,
                })
            })
            .collect();
        let mut components = json!({
            "stages": record.stages, "params": record.params, "seed": record.seed,
            "seed_scheme": record.seed_scheme, "key_scheme": record.key_scheme,
            "upstream": upstream,
        });
        if let Some(environment) = &record.environment {
            components["environment"] = serde_json::to_value(environment).unwrap();
        }
        let text = serde_json::to_string(&canonicalize(&components)).unwrap();
        let mut hasher = blake3::Hasher::new_derive_key("crystallize condition key");
        hasher.update(text.as_bytes());
        CodeHash(*hasher.finalize().as_bytes())
    }

    #[test]
    fn the_key_of_a_record_is_stable() {
        let record = full_record();
        assert_eq!(record.key, record.compute_key());
        assert_eq!(record.key, key_through_the_tree(&record));
        let mut plain = full_record();
        plain.environment = None;
        plain.set_upstream(Vec::new());
        assert_eq!(plain.key, key_through_the_tree(&plain));
        assert_eq!(
            record.key.hex(),
            "0e216a500f8e2c744e986cba82ed750662cfcb8b25bdd93a0e36ba292038d377"
        );
        assert_eq!(
            record.unit_key(4).hex(),
            "694a41f6ec4144c62bba9bcaf2c160f7e0bb9063d7faf3e13c80b9055ddb973c"
        );
    }

    #[test]
    fn hex_round_trips() {
        let hash = CodeHash::of(b"abc");
        assert_eq!(CodeHash::from_hex(&hash.hex()), Some(hash));
        assert_eq!(CodeHash::from_hex("zz"), None);
        assert_eq!(
            CodeHash::from_hex(&hash.hex().to_uppercase()),
            Some(hash),
            "either case"
        );
        for bad in ['g', 'G', ' ', '\0', '/', ':', '@', '`'] {
            let mut text = hash.hex();
            text.replace_range(63..64, &bad.to_string());
            assert_eq!(CodeHash::from_hex(&text), None, "{bad:?}");
        }
        assert_eq!(hash.short().len(), 8);
    }

    #[test]
    fn condition_key_depends_on_every_component() {
        let stage = StageRecord {
            name: "scale".into(),
            kind: "step".into(),
            code: CodeHash::of(b"scale"),
            uses: vec![],
            reaches: vec![],
            dependencies: vec![],
            ignored: vec![],
        };
        let base = ConditionRecord::new(vec![stage.clone()], json!({"factor": 1.0}), 0, 1);
        let params = ConditionRecord::new(vec![stage.clone()], json!({"factor": 2.0}), 0, 1);
        let seed = ConditionRecord::new(vec![stage.clone()], json!({"factor": 1.0}), 1, 1);
        let mut edited = stage.clone();
        edited.code = CodeHash::of(b"scale2");
        let code = ConditionRecord::new(vec![edited], json!({"factor": 1.0}), 0, 1);
        assert_ne!(base.key, params.key);
        assert_ne!(base.key, seed.key);
        assert_ne!(base.key, code.key);
        assert_eq!(base.key, base.compute_key());
        assert_ne!(base.unit_key(0), base.unit_key(1));
        let toolchain = crate::key::toolchain::Toolchain::current();
        let strict = base.clone().with_environment(Some(toolchain.clone()));
        assert_ne!(strict.key, base.key, "strict mode keys the toolchain");
        let mut other = toolchain.clone();
        other.opt_level = "0-other".into();
        let other = base.clone().with_environment(Some(other));
        assert_ne!(strict.key, other.key);
        assert_eq!(base.clone().with_environment(None).key, base.key);
    }

    fn read(replicates: u32, hashes: Vec<Option<CodeHash>>) -> UpstreamRead {
        UpstreamRead {
            input: "producer.model.json".into(),
            producer: "producer".into(),
            file: "model.json".into(),
            condition: "baseline".into(),
            replicates,
            hashes,
        }
    }

    fn consumer(upstream: Vec<UpstreamRead>) -> ConditionRecord {
        let stage = StageRecord {
            name: "score".into(),
            kind: "step".into(),
            code: CodeHash::of(b"score"),
            uses: vec![],
            reaches: vec![],
            dependencies: vec![],
            ignored: vec![],
        };
        ConditionRecord::with_upstream(vec![stage], json!({}), 0, 1, upstream)
    }

    #[test]
    fn upstream_content_is_in_the_keys_of_exactly_the_units_that_read_it() {
        let (a, b, c) = (CodeHash::of(b"a"), CodeHash::of(b"b"), CodeHash::of(b"c"));
        let before = consumer(vec![read(2, vec![Some(a), Some(b)])]);
        // Producer replicate 1 changed: read by consumer replicates 1, 3, ...
        let after = consumer(vec![read(2, vec![Some(a), Some(c)])]);
        assert_eq!(before.key, after.key, "content is not in the condition key");
        for replicate in 0..5 {
            assert_eq!(
                before.unit_key(replicate) == after.unit_key(replicate),
                replicate % 2 == 0,
                "replicate {replicate}"
            );
        }
        // A failed (missing) artifact differs from any content.
        let missing = consumer(vec![read(2, vec![Some(a), None])]);
        assert_ne!(missing.unit_key(1), before.unit_key(1));
        assert_eq!(missing.unit_key(0), before.unit_key(0));
        // What is read, and from how many producer replicates, is in the condition key.
        assert_ne!(
            consumer(vec![read(3, vec![Some(a), Some(b)])]).key,
            before.key
        );
        let mut other = read(2, vec![Some(a), Some(b)]);
        other.condition = "robust".into();
        assert_ne!(consumer(vec![other]).key, before.key);
        // Without upstream, a unit key is the replicate index under the condition key.
        let plain = consumer(Vec::new());
        assert_eq!(
            plain.unit_key(3),
            CodeHash(*blake3::keyed_hash(&plain.key.0, &3u32.to_le_bytes()).as_bytes())
        );
    }

    #[test]
    fn consumer_replicates_cycle_over_the_producer_replicates() {
        let (a, b) = (CodeHash::of(b"a"), CodeHash::of(b"b"));
        let two = read(2, vec![Some(a), Some(b)]);
        assert_eq!(two.source_replicate(4), Some(0));
        assert_eq!(two.hash_for(3), Some(b));
        assert_eq!(read(0, Vec::new()).source_replicate(1), None);
        assert_eq!(read(0, Vec::new()).hash_for(1), None);
        assert_eq!(read(5, vec![Some(a)]).hash_for(0), Some(a));
    }
}
