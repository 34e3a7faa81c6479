//! The completion marker of a condition, `<condition>/.crystallize_complete`, written last and
//! only when every replicate of the condition succeeded.
//!
//! Its first line is the condition key (all that markers of earlier releases hold). The second
//! line, when present, is the condition's *summary*: what a resume needs to load every unit of
//! the condition without reading the journal, checksummed. It is written in binary (format 3,
//! `store::summary_bytes`); the JSON line of format 2, checksummed like a journal line, is still
//! read. It holds:
//!
//! - the blake3 hash of `results.json` as written (the metrics, in columns);
//! - a digest of the upstream content the unit keys cover;
//! - the size and stamp (modification time in nanoseconds, inode) of the journal when the marker
//!   was written: a journal that moved since (appended to, rewritten, edited) is read instead;
//! - the version each unit was computed in, as runs;
//! - every artifact with its size, stamp and content hash, and the step-cache use of each unit
//!   that had any;
//! - for large results, the hash of their binary columns (`store::results_columns`) and the
//!   size and stamp `results.json` had when both were written.
//!
//! A summary is written only when it describes the records exactly (every unit has the unit key
//! of the condition's record, and recorded every metric of the condition); a marker without one,
//! or with one that does not check, is read the way earlier releases' markers are: through the
//! journal.

use std::borrow::Borrow;

use serde::{Deserialize, Serialize};

use super::files::FileStamp;
use super::journal::{ArtifactEntry, Checked, UnitRecord, check_line};
#[cfg(test)]
use super::records::ResultsFile;
use crate::key::signature::{CodeHash, UpstreamRead};

/// Format of the summary line written below (binary, [`super::summary_bytes`]).
pub(crate) const SUMMARY_FORMAT: u32 = super::summary_bytes::FORMAT;

/// Format of the JSON summary line that earlier releases wrote, still read.
const JSON_SUMMARY_FORMAT: u32 = 2;

/// A file's size and stamp.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SizeStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time and inode.
    pub stamp: FileStamp,
}

/// What a unit holds beyond its metrics, for the units that hold anything.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct UnitExtras {
    /// Replicate index.
    pub replicate: u32,
    /// Artifacts written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<ArtifactEntry>,
    /// Stages served from the step cache.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cache_hits: Vec<String>,
    /// Step-cache entries used or written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cache_entries: Vec<String>,
}

/// A condition's binary columns (`store::results_columns`): their hash, and the size and stamp
/// `results.json` had when both were written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ColumnsRecord {
    /// blake3 of `.results.columns`.
    pub hash: CodeHash,
    /// `results.json` as it was written with them.
    pub results: SizeStamp,
}

/// Small results (below [`super::results_columns::WORTH_FROM`]) in binary columns inside the
/// summary, with the size and stamp `results.json` had when both were written: a resume that
/// finds `results.json` so reads the values from here, without reading the file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct InlineResults {
    /// `results.json` as it was written with them.
    pub results: SizeStamp,
    /// The values, as `store::results_columns` encodes them.
    pub columns: Vec<u8>,
}

/// The second line of a marker: every unit of the condition, without the journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Summary {
    /// [`SUMMARY_FORMAT`], or 2 when read from a JSON line.
    pub format: u32,
    /// Replicates of the condition.
    pub replicates: u32,
    /// blake3 of `results.json`.
    pub results: CodeHash,
    /// [`upstream_digest`] of the condition's upstream reads.
    pub upstream: CodeHash,
    /// The journal of the version when the marker was written.
    pub journal: SizeStamp,
    /// The version each unit was computed in, as runs of `[units, version]` in replicate order.
    pub computed_in: Vec<[u32; 2]>,
    /// The units with artifacts or step-cache use, by ascending replicate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<UnitExtras>,
    /// When the results are large: their binary columns, which a resume reads instead of
    /// parsing `results.json` while both are as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<ColumnsRecord>,
    /// When the results are small: their values (binary summaries only).
    #[serde(skip)]
    pub inline: Option<InlineResults>,
}

/// A digest of upstream reads (which artifacts, and the content of each replicate read), as
/// summaries of `format` record it: equal digests give equal unit keys under one condition key.
/// Format 3 hashes the fields themselves, each text with its length and each hash with a byte
/// saying whether there is one; format 2 hashed their JSON.
pub(crate) fn upstream_digest(reads: &[UpstreamRead], format: u32) -> CodeHash {
    let mut hasher = blake3::Hasher::new();
    if format == JSON_SUMMARY_FORMAT {
        hasher.update(b"crystallize upstream reads v1\0");
        // Serialising a plain record cannot fail; a failure's byte (never in JSON text) would
        // still make the input differ from any real one, so two different reads never agree.
        if serde_json::to_writer(&mut hasher, reads).is_err() {
            hasher.update(b"\xff");
        }
        return CodeHash(*hasher.finalize().as_bytes());
    }
    hasher.update(b"crystallize upstream reads v2\0");
    hasher.update(&(reads.len() as u64).to_le_bytes());
    for read in reads {
        for text in [&read.input, &read.producer, &read.file, &read.condition] {
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        hasher.update(&read.replicates.to_le_bytes());
        hasher.update(&(read.hashes.len() as u64).to_le_bytes());
        for hash in &read.hashes {
            match hash {
                Some(hash) => hasher.update(&[1]).update(&hash.0),
                None => hasher.update(&[0]),
            };
        }
    }
    CodeHash(*hasher.finalize().as_bytes())
}

impl Summary {
    /// The summary of a condition whose units are `records` (one per replicate, in order, all
    /// successful), with `results` the bytes of its `results.json` and `journal` its version's
    /// journal: `None` when it would not describe the records exactly (a unit without the key
    /// `unit_key` gives it, or without some metric of the condition).
    pub(crate) fn of(
        records: impl Iterator<Item = impl Borrow<UnitRecord>>,
        unit_key: impl Fn(u32) -> CodeHash,
        results: &[u8],
        metric_names: usize,
        upstream: &[UpstreamRead],
        journal: SizeStamp,
    ) -> Option<Summary> {
        let mut replicates = 0u32;
        let mut computed_in: Vec<[u32; 2]> = Vec::new();
        let mut units = Vec::new();
        for (index, record) in records.enumerate() {
            let record: &UnitRecord = record.borrow();
            let replicate = u32::try_from(index).ok()?;
            replicates = replicate.checked_add(1)?;
            if record.replicate != replicate
                || record.error.is_some()
                || record.key != unit_key(replicate)
                || record.metrics.keys().count() != metric_names
            {
                return None;
            }
            match computed_in.last_mut() {
                Some([count, version]) if *version == record.computed_in => *count += 1,
                _ => computed_in.push([1, record.computed_in]),
            }
            if !record.artifacts.is_empty()
                || !record.cache_hits.is_empty()
                || !record.cache_entries.is_empty()
            {
                units.push(UnitExtras {
                    replicate,
                    artifacts: record.artifacts.clone(),
                    cache_hits: record.cache_hits.clone(),
                    cache_entries: record.cache_entries.clone(),
                });
            }
        }
        Some(Summary {
            format: SUMMARY_FORMAT,
            replicates,
            results: CodeHash::of(results),
            upstream: upstream_digest(upstream, SUMMARY_FORMAT),
            journal,
            computed_in,
            units,
            columns: None,
            inline: None,
        })
    }
}

/// A marker's content: the condition key line, and the summary line if there is one.
pub(crate) struct Marker {
    /// The first line, trimmed (the condition key in hex).
    pub key: String,
    /// The summary: `None` without one (an earlier release's marker), `Err` with why it cannot
    /// be used.
    pub summary: Option<Result<Summary, String>>,
}

impl Marker {
    /// Reads a marker's bytes.
    pub(crate) fn parse(bytes: &[u8]) -> Marker {
        let (first, rest) = match bytes.iter().position(|byte| *byte == b'\n') {
            Some(end) => (&bytes[..end], &bytes[end + 1..]),
            None => (bytes, &[][..]),
        };
        let key = String::from_utf8_lossy(first).trim().to_string();
        let line = rest.strip_suffix(b"\n").unwrap_or(rest);
        let summary = if line.iter().all(u8::is_ascii_whitespace) {
            None
        } else if line.starts_with(super::summary_bytes::TAG) {
            Some(super::summary_bytes::decode_line(line))
        } else {
            Some(match check_line(line) {
                Checked::Valid(json) => serde_json::from_slice::<Summary>(json)
                    .map_err(|error| format!("its summary is unreadable: {error}"))
                    .and_then(|summary| {
                        if summary.format == JSON_SUMMARY_FORMAT {
                            Ok(summary)
                        } else {
                            Err(format!("its summary has format {}", summary.format))
                        }
                    }),
                Checked::Unchecked(_) => Err("its summary has no checksum".to_string()),
                Checked::Mismatch(_) => Err("its summary fails its checksum".to_string()),
            })
        };
        Marker { key, summary }
    }
}

/// The bytes of a marker holding `key` and, if given, `summary`.
pub(crate) fn encode(key: CodeHash, summary: Option<&Summary>) -> Vec<u8> {
    let mut out = format!("{}\n", key.hex()).into_bytes();
    if let Some(summary) = summary {
        super::summary_bytes::encode_line(&mut out, summary);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn record(replicate: u32, computed_in: u32, artifacts: bool) -> UnitRecord {
        UnitRecord {
            condition: "baseline".into(),
            replicate,
            key: CodeHash::of(&replicate.to_le_bytes()),
            metrics: [("mean", Some(f64::from(replicate)))].into_iter().collect(),
            artifacts: if artifacts {
                vec![ArtifactEntry {
                    stage: "s".into(),
                    file: "a.json".into(),
                    hash: CodeHash::of(b"a"),
                    size: 1,
                    stamp: FileStamp {
                        mtime_ns: 5,
                        inode: 7,
                    },
                }]
            } else {
                vec![]
            },
            error: None,
            computed_in,
            cache_hits: vec![],
            cache_entries: vec![],
        }
    }

    pub(crate) fn results(records: &[UnitRecord]) -> ResultsFile {
        ResultsFile::from_records(records.iter().map(Some))
    }

    #[test]
    fn a_summary_rebuilds_the_records_it_was_made_of() {
        let records = vec![record(0, 0, true), record(1, 2, false), record(2, 2, true)];
        let results = results(&records);
        let bytes = serde_json::to_vec(&results).unwrap();
        let key = |replicate: u32| CodeHash::of(&replicate.to_le_bytes());
        let summary =
            Summary::of(records.iter(), key, &bytes, 1, &[], SizeStamp::default()).unwrap();
        assert_eq!(summary.computed_in, vec![[1, 0], [2, 2]]);
        assert_eq!(summary.units.len(), 2);
        let marker = encode(CodeHash::of(b"k"), Some(&summary));
        let read = Marker::parse(&marker);
        assert_eq!(read.key, CodeHash::of(b"k").hex());
        let read = read.summary.unwrap().unwrap();
        assert_eq!(read, summary);
    }

    #[test]
    fn upstream_digests_tell_apart_every_field_in_both_formats() {
        let read = |input: &str, producer: &str, hashes: Vec<Option<CodeHash>>| UpstreamRead {
            input: input.into(),
            producer: producer.into(),
            file: "a.json".into(),
            condition: "baseline".into(),
            replicates: 2,
            hashes,
        };
        let some = Some(CodeHash::of(b"a"));
        let variants = [
            vec![read("ab", "c", vec![some, None])],
            vec![read("a", "bc", vec![some, None])],
            vec![read("ab", "c", vec![some])],
            vec![read("ab", "c", vec![None, some])],
            vec![read("ab", "c", vec![some, Some(CodeHash::of(b"b"))])],
            vec![],
        ];
        for format in [JSON_SUMMARY_FORMAT, SUMMARY_FORMAT] {
            let digests: std::collections::BTreeSet<CodeHash> = variants
                .iter()
                .map(|reads| upstream_digest(reads, format))
                .collect();
            assert_eq!(digests.len(), variants.len(), "format {format}");
        }
        assert_ne!(
            upstream_digest(&variants[0], JSON_SUMMARY_FORMAT),
            upstream_digest(&variants[0], SUMMARY_FORMAT)
        );
    }

    #[test]
    fn no_summary_describes_units_it_cannot_rebuild() {
        let key = |replicate: u32| CodeHash::of(&replicate.to_le_bytes());
        let stamp = SizeStamp::default();
        let records = [record(0, 0, false), record(1, 0, false)];
        // Another key than the condition's record gives.
        assert!(Summary::of(records.iter(), |_| CodeHash::of(b"x"), b"", 1, &[], stamp).is_none());
        // A metric some unit did not record.
        assert!(Summary::of(records.iter(), key, b"", 2, &[], stamp).is_none());
        let mut failed = record(1, 0, false);
        failed.error = Some(crate::store::journal::UnitErrorReport {
            replicate: 1,
            stage: "s".into(),
            message: "boom".into(),
            panicked: false,
        });
        assert!(Summary::of([&records[0], &failed].into_iter(), key, b"", 1, &[], stamp).is_none());
    }

    #[test]
    fn markers_of_earlier_releases_and_damaged_summaries_are_told_apart() {
        let key = CodeHash::of(b"k");
        let old = Marker::parse(format!("{}\n", key.hex()).as_bytes());
        assert_eq!(old.key, key.hex());
        assert!(old.summary.is_none());
        let summary = Summary::of(
            [record(0, 0, false)].iter(),
            |replicate| CodeHash::of(&replicate.to_le_bytes()),
            b"{}",
            1,
            &[],
            SizeStamp::default(),
        )
        .unwrap();
        let good = String::from_utf8(encode(key, Some(&summary))).unwrap();
        // One digit of the binary line changed.
        let line = good.find("#summary3 ").unwrap() + "#summary3 ".len();
        let mut edited = good.clone().into_bytes();
        edited[line + 1] = if edited[line + 1] == b'0' { b'1' } else { b'0' };
        assert!(matches!(
            Marker::parse(&edited).summary,
            Some(Err(message)) if message.contains("checksum")
        ));
        let torn = &good[..good.len() - 10];
        assert!(matches!(
            Marker::parse(torn.as_bytes()).summary,
            Some(Err(_))
        ));
        // The JSON line of format 2 (earlier releases) is still read, and checked.
        let mut json = format!("{}\n", key.hex()).into_bytes();
        let earlier = Summary {
            format: JSON_SUMMARY_FORMAT,
            ..summary.clone()
        };
        super::super::journal::encode_line(&mut json, &earlier).unwrap();
        assert_eq!(Marker::parse(&json).summary, Some(Ok(earlier)));
        let json = String::from_utf8(json).unwrap();
        let edited = json.replace("\"replicates\":1", "\"replicates\":9");
        assert!(matches!(
            Marker::parse(edited.as_bytes()).summary,
            Some(Err(message)) if message.contains("checksum")
        ));
        let foreign = format!("{}\nnot json at all\n", key.hex());
        assert!(matches!(
            Marker::parse(foreign.as_bytes()).summary,
            Some(Err(_))
        ));
        assert!(Marker::parse(b"").summary.is_none());
    }
}
