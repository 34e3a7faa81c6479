//! Signatures: what a result depends on, component by component.
//!
//! A [`ConditionRecord`] holds, in readable form, every input of one condition's results: the code
//! of the source and each step (with their tracked helpers), the condition's params as canonical
//! JSON, the master seed and seed scheme. Its key is a blake3 hash over exactly those components,
//! so "why did this re-run?" is a diff of two records.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Version of the key scheme; stored with every record, and hashed into every key. Resume never
/// compares keys across schemes: a stored record of another scheme reruns its units once
/// (`key-scheme-changed`).
///
/// - 1: upstream content hashes in the condition key;
/// - 2: upstream content hashes in the unit key, of exactly the producer replicate each unit
///   reads.
pub const KEY_SCHEME: u32 = 2;

/// A 32-byte blake3 hash: of code (computed by the macros at compile time), of a signature, or of
/// an artifact's content. Serialised as lower-case hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodeHash(pub [u8; 32]);

impl CodeHash {
    /// Hash of arbitrary bytes.
    pub fn of(bytes: &[u8]) -> CodeHash {
        CodeHash(*blake3::hash(bytes).as_bytes())
    }

    /// Full lower-case hex.
    pub fn hex(&self) -> String {
        let mut text = String::with_capacity(64);
        for byte in self.0 {
            text.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
            text.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
        }
        text
    }

    /// The first 8 hex digits, for messages.
    pub fn short(&self) -> String {
        self.hex()[..8].to_string()
    }

    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Option<CodeHash> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (index, pair) in bytes.chunks(2).enumerate() {
            let high = (pair[0] as char).to_digit(16)?;
            let low = (pair[1] as char).to_digit(16)?;
            out[index] = (high * 16 + low) as u8;
        }
        Some(CodeHash(out))
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
        serializer.serialize_str(&self.hex())
    }
}

impl<'de> Deserialize<'de> for CodeHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CodeHash::from_hex(&text).ok_or_else(|| serde::de::Error::custom("expected 64 hex digits"))
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
}

impl TrackedCode {
    /// `module::name`, as shown in records and explanations.
    pub fn path(&self) -> String {
        format!("{}::{}", self.module, self.name)
    }
}

/// Readable code signature of one helper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelperRecord {
    /// `module::name` of the helper.
    pub name: String,
    /// Its code hash.
    pub code: CodeHash,
}

/// Readable code signature of the source or one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    /// The stage name (directory name of its artifacts).
    pub name: String,
    /// `"source"` or `"step"`.
    pub kind: String,
    /// Hash of the function's own tokens.
    pub code: CodeHash,
    /// Tracked helpers, transitively, sorted by name (order-independent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<HelperRecord>,
}

impl StageRecord {
    /// The record of a registered stage.
    pub(crate) fn of(stage: &crate::experiment::Stage) -> StageRecord {
        match (&stage.info, &stage.input) {
            (Some(info), _) => StageRecord::new(&stage.name, info),
            (None, Some(input)) => StageRecord {
                name: stage.name.to_string(),
                kind: "input".to_string(),
                // What is read and how it is decoded; the content read is in the upstream record.
                code: CodeHash::of(
                    format!("{}\0{}\0{}", input.producer, input.file, input.format).as_bytes(),
                ),
                uses: Vec::new(),
            },
            (None, None) => StageRecord {
                name: stage.name.to_string(),
                kind: stage.kind.as_str().to_string(),
                code: CodeHash([0; 32]),
                uses: Vec::new(),
            },
        }
    }

    /// Builds the record of a stage named `name` from the macro-emitted info.
    pub(crate) fn new(name: &str, info: &crate::stage::StageInfo) -> StageRecord {
        let mut helpers = BTreeMap::new();
        fn collect(into: &mut BTreeMap<String, CodeHash>, uses: &[TrackedCode]) {
            for helper in uses {
                if into.insert(helper.path(), helper.code).is_none() {
                    collect(into, helper.uses);
                }
            }
        }
        collect(&mut helpers, info.uses);
        StageRecord {
            name: name.to_string(),
            kind: info.kind.as_str().to_string(),
            code: info.code,
            uses: helpers
                .into_iter()
                .map(|(name, code)| HelperRecord { name, code })
                .collect(),
        }
    }
}

/// What one condition reads from an upstream experiment: which artifact, of which producer
/// condition, and the content (blake3) of each producer replicate it reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamRead {
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
    /// where the producer has no such artifact (its unit failed, or has not run yet).
    pub hashes: Vec<Option<CodeHash>>,
}

/// Everything one condition's results depend on, readable, plus its key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConditionRecord {
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
    /// The upstream artifacts read, by content (early cutoff: identical bytes, identical key).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub upstream: Vec<UpstreamRead>,
    /// Hash over all the components above.
    pub key: CodeHash,
}

impl ConditionRecord {
    /// Builds the record and computes its key.
    pub fn new(stages: Vec<StageRecord>, params: Value, seed: u64, seed_scheme: u32) -> Self {
        ConditionRecord::with_upstream(stages, params, seed, seed_scheme, Vec::new())
    }

    /// Builds the record of a condition that reads upstream artifacts and computes its key.
    pub fn with_upstream(
        stages: Vec<StageRecord>,
        params: Value,
        seed: u64,
        seed_scheme: u32,
        upstream: Vec<UpstreamRead>,
    ) -> Self {
        let mut record = ConditionRecord {
            stages,
            params,
            seed,
            seed_scheme,
            key_scheme: KEY_SCHEME,
            upstream,
            key: CodeHash([0; 32]),
        };
        record.key = record.compute_key();
        record
    }

    /// Recomputes the key from the components (a stored key that disagrees means a foreign or
    /// corrupt record).
    pub fn compute_key(&self) -> CodeHash {
        let mut hasher = blake3::Hasher::new_derive_key("crystallize condition key");
        let components = serde_json::json!({
            "stages": self.stages,
            "params": self.params,
            "seed": self.seed,
            "seed_scheme": self.seed_scheme,
            "key_scheme": self.key_scheme,
            "upstream": self.upstream,
        });
        hasher.update(canonical_json(&components).as_bytes());
        CodeHash(*hasher.finalize().as_bytes())
    }

    /// The key of one unit (this condition at `replicate`): the replicate index hashed under
    /// the condition key.
    pub fn unit_key(&self, replicate: u32) -> CodeHash {
        CodeHash(*blake3::keyed_hash(&self.key.0, &replicate.to_le_bytes()).as_bytes())
    }
}

/// Canonical JSON text: object keys sorted recursively, no whitespace, numbers in serde_json's
/// shortest round-trip form. Independent of whether `serde_json` preserves insertion order.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            out.push_str(&value.to_string());
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
    }
}

/// Returns `value` with object keys sorted recursively (for storing canonical params).
pub fn canonicalize(value: &Value) -> Value {
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

    #[test]
    fn hex_round_trips() {
        let hash = CodeHash::of(b"abc");
        assert_eq!(CodeHash::from_hex(&hash.hex()), Some(hash));
        assert_eq!(CodeHash::from_hex("zz"), None);
        assert_eq!(hash.short().len(), 8);
    }

    #[test]
    fn condition_key_depends_on_every_component() {
        let stage = StageRecord {
            name: "scale".into(),
            kind: "step".into(),
            code: CodeHash::of(b"scale"),
            uses: vec![],
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
    }
}
