//! The marker summary's line in binary (summary format 3): what a resume reads for every
//! condition it loads, decoded several times faster than the JSON line of format 2, which a
//! chain resume spent about 8% of its time parsing.
//!
//! The line is `#summary3 <payload in hex> <check>`, with `check` the first 16 bytes (in hex) of
//! a keyed blake3 of the payload, so that a torn or edited line is told from a good one as a
//! journal line is. The payload, little-endian: replicates (`u32`), the results and upstream
//! hashes (32 bytes each), the journal's size, modification time and inode (`u64` each), the
//! `computed_in` runs (a `u32` count, then `u32` pairs), the units with extras (a `u32` count,
//! then per unit: replicate, its artifacts as stage, file, hash, size, mtime and inode, its
//! cache hits and cache entries, each list with a `u32` count and each text as a `u32` length
//! and UTF-8 bytes), the columns record (a byte 0 or 1, then hash, size, mtime, inode), and the
//! inline results (a byte 0 or 1, then the size, mtime and inode of `results.json` and the
//! columns' bytes with a `u32` length).

use std::sync::Arc;

use super::files::FileStamp;
use super::journal::ArtifactEntry;
use super::marker::{ColumnsRecord, InlineResults, SizeStamp, Summary, UnitExtras};
use crate::key::hex;
use crate::key::signature::CodeHash;

/// The summary format of this encoding.
pub(crate) const FORMAT: u32 = 3;

/// How the line starts.
pub(crate) const TAG: &[u8] = b"#summary3 ";

/// Hex digits of the check.
const CHECK_DIGITS: usize = 32;

fn check(payload: &[u8]) -> [u8; CHECK_DIGITS] {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    let key = KEY.get_or_init(|| blake3::derive_key("crystallize marker summary v3", b""));
    let hash = blake3::keyed_hash(key, payload);
    let mut digits = [0u8; CHECK_DIGITS];
    hex::encode_into(&hash.as_bytes()[..CHECK_DIGITS / 2], &mut digits);
    digits
}

/// Appends the summary's line (with its newline) to `out`.
pub(crate) fn encode_line(out: &mut Vec<u8>, summary: &Summary) {
    let payload = payload(summary);
    out.reserve(TAG.len() + payload.len() * 2 + CHECK_DIGITS + 2);
    out.extend_from_slice(TAG);
    hex::push(&payload, out);
    out.push(b' ');
    out.extend_from_slice(&check(&payload));
    out.push(b'\n');
}

fn payload(summary: &Summary) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + summary.units.len() * 96);
    let u32_ = |out: &mut Vec<u8>, value: u32| out.extend_from_slice(&value.to_le_bytes());
    let u64_ = |out: &mut Vec<u8>, value: u64| out.extend_from_slice(&value.to_le_bytes());
    let len = |out: &mut Vec<u8>, count: usize| {
        out.extend_from_slice(&u32::try_from(count).unwrap_or(u32::MAX).to_le_bytes());
    };
    let text = |out: &mut Vec<u8>, text: &str| {
        len(out, text.len());
        out.extend_from_slice(text.as_bytes());
    };
    let size_stamp = |out: &mut Vec<u8>, value: &SizeStamp| {
        u64_(out, value.size);
        u64_(out, value.stamp.mtime_ns);
        u64_(out, value.stamp.inode);
    };
    u32_(&mut out, summary.replicates);
    out.extend_from_slice(&summary.results.0);
    out.extend_from_slice(&summary.upstream.0);
    size_stamp(&mut out, &summary.journal);
    len(&mut out, summary.computed_in.len());
    for [count, version] in &summary.computed_in {
        u32_(&mut out, *count);
        u32_(&mut out, *version);
    }
    len(&mut out, summary.units.len());
    for unit in &summary.units {
        u32_(&mut out, unit.replicate);
        len(&mut out, unit.artifacts.len());
        for artifact in &unit.artifacts {
            text(&mut out, &artifact.stage);
            text(&mut out, &artifact.file);
            out.extend_from_slice(&artifact.hash.0);
            u64_(&mut out, artifact.size);
            u64_(&mut out, artifact.stamp.mtime_ns);
            u64_(&mut out, artifact.stamp.inode);
        }
        for list in [&unit.cache_hits, &unit.cache_entries] {
            len(&mut out, list.len());
            for item in list {
                text(&mut out, item);
            }
        }
    }
    match &summary.columns {
        None => out.push(0),
        Some(columns) => {
            out.push(1);
            out.extend_from_slice(&columns.hash.0);
            size_stamp(&mut out, &columns.results);
        }
    }
    match &summary.inline {
        None => out.push(0),
        Some(inline) => {
            out.push(1);
            size_stamp(&mut out, &inline.results);
            len(&mut out, inline.columns.len());
            out.extend_from_slice(&inline.columns);
        }
    }
    out
}

/// Decodes a line that starts with [`TAG`] (without its newline): the summary, or why it
/// cannot be used.
pub(crate) fn decode_line(line: &[u8]) -> Result<Summary, String> {
    let body = line.strip_prefix(TAG).unwrap_or(line);
    let Some((payload_hex, check_hex)) = body
        .len()
        .checked_sub(CHECK_DIGITS + 1)
        .filter(|&at| body[at] == b' ')
        .map(|at| (&body[..at], &body[at + 1..]))
    else {
        return Err("its summary has no checksum".to_string());
    };
    let payload = hex::decode(payload_hex).ok_or("its summary is unreadable: not hex")?;
    if check(&payload) != check_hex {
        return Err("its summary fails its checksum".to_string());
    }
    decode(&payload).ok_or_else(|| "its summary is unreadable: truncated".to_string())
}

/// The distinct texts a summary's reader keeps to share (the stages and file names of a
/// condition's artifacts are usually a few, repeated in every unit).
const SHARED_TEXTS: usize = 8;

/// Reads the payload front to back; every read checks the bounds.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        let (taken, rest) = self.rest.split_at_checked(count)?;
        self.rest = rest;
        Some(taken)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn hash(&mut self) -> Option<CodeHash> {
        Some(CodeHash(self.take(32)?.try_into().ok()?))
    }
    /// A count of items of at least `least` bytes each: never more than the bytes left hold.
    fn count(&mut self, least: usize) -> Option<usize> {
        let count = self.u32()? as usize;
        (count.checked_mul(least)? <= self.rest.len()).then_some(count)
    }
    fn text(&mut self) -> Option<String> {
        let len = self.u32()? as usize;
        Some(std::str::from_utf8(self.take(len)?).ok()?.to_string())
    }
    /// A text that many entries repeat (a stage, an artifact's file name): shared with the
    /// same text among the last [`SHARED_TEXTS`] distinct ones read, kept in `seen`.
    fn shared_text(&mut self, seen: &mut Vec<Arc<str>>) -> Option<Arc<str>> {
        let len = self.u32()? as usize;
        let text = std::str::from_utf8(self.take(len)?).ok()?;
        if let Some(known) = seen.iter().find(|known| ***known == *text) {
            return Some(known.clone());
        }
        let new: Arc<str> = Arc::from(text);
        if seen.len() == SHARED_TEXTS {
            seen.remove(0);
        }
        seen.push(new.clone());
        Some(new)
    }
    fn size_stamp(&mut self) -> Option<SizeStamp> {
        Some(SizeStamp {
            size: self.u64()?,
            stamp: FileStamp {
                mtime_ns: self.u64()?,
                inode: self.u64()?,
            },
        })
    }
}

fn decode(payload: &[u8]) -> Option<Summary> {
    let mut reader = Reader { rest: payload };
    let replicates = reader.u32()?;
    let results = reader.hash()?;
    let upstream = reader.hash()?;
    let journal = reader.size_stamp()?;
    let runs = reader.count(8)?;
    let mut computed_in = Vec::with_capacity(runs);
    for _ in 0..runs {
        computed_in.push([reader.u32()?, reader.u32()?]);
    }
    let count = reader.count(16)?;
    let mut units = Vec::with_capacity(count);
    let mut names = Vec::new();
    for _ in 0..count {
        let replicate = reader.u32()?;
        let artifacts_count = reader.count(64)?;
        let mut artifacts = Vec::with_capacity(artifacts_count);
        for _ in 0..artifacts_count {
            artifacts.push(ArtifactEntry {
                stage: reader.shared_text(&mut names)?,
                file: reader.shared_text(&mut names)?,
                hash: reader.hash()?,
                size: reader.u64()?,
                stamp: FileStamp {
                    mtime_ns: reader.u64()?,
                    inode: reader.u64()?,
                },
            });
        }
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            let items = reader.count(4)?;
            list.reserve_exact(items);
            for _ in 0..items {
                list.push(reader.text()?);
            }
        }
        let [cache_hits, cache_entries] = lists;
        units.push(UnitExtras {
            replicate,
            artifacts,
            cache_hits,
            cache_entries,
        });
    }
    let columns = match reader.u8()? {
        0 => None,
        1 => Some(ColumnsRecord {
            hash: reader.hash()?,
            results: reader.size_stamp()?,
        }),
        _ => return None,
    };
    let inline = match reader.u8()? {
        0 => None,
        1 => Some(InlineResults {
            results: reader.size_stamp()?,
            columns: {
                let len = reader.u32()? as usize;
                reader.take(len)?.to_vec()
            },
        }),
        _ => return None,
    };
    reader.rest.is_empty().then_some(Summary {
        format: FORMAT,
        replicates,
        results,
        upstream,
        journal,
        computed_in,
        units,
        columns,
        inline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(columns: bool) -> Summary {
        let stamp = |n: u64| SizeStamp {
            size: n,
            stamp: FileStamp {
                mtime_ns: n * 1_000_000_007,
                inode: n + 3,
            },
        };
        Summary {
            format: FORMAT,
            replicates: 3,
            results: CodeHash::of(b"results"),
            upstream: CodeHash::of(b"upstream"),
            journal: stamp(812),
            computed_in: vec![[2, 0], [1, 4]],
            units: vec![
                UnitExtras {
                    replicate: 0,
                    artifacts: vec![ArtifactEntry {
                        stage: "train".into(),
                        file: "model.bin".into(),
                        hash: CodeHash::of(b"model"),
                        size: 1 << 33,
                        stamp: stamp(9).stamp,
                    }],
                    cache_hits: vec!["load".into()],
                    cache_entries: vec!["ab12".into(), "cd34".into()],
                },
                UnitExtras {
                    replicate: 2,
                    artifacts: vec![],
                    cache_hits: vec!["é".into()],
                    cache_entries: vec![],
                },
            ],
            columns: columns.then(|| ColumnsRecord {
                hash: CodeHash::of(b"columns"),
                results: stamp(14_000),
            }),
            inline: (!columns).then(|| InlineResults {
                results: stamp(305),
                columns: b"crystallize results columns 1\n\0\0\0\0".to_vec(),
            }),
        }
    }

    #[test]
    fn a_summary_line_decodes_to_the_summary_it_encodes() {
        for columns in [false, true] {
            let summary = summary(columns);
            let mut line = Vec::new();
            encode_line(&mut line, &summary);
            assert!(line.starts_with(TAG) && line.ends_with(b"\n"));
            assert_eq!(decode_line(&line[..line.len() - 1]), Ok(summary));
        }
    }

    #[test]
    fn torn_edited_or_foreign_lines_are_refused_with_why() {
        let mut line = Vec::new();
        encode_line(&mut line, &summary(true));
        line.pop();
        let error = |line: &[u8]| decode_line(line).unwrap_err();
        // One payload digit changed.
        let mut edited = line.clone();
        let at = TAG.len() + 7;
        edited[at] = if edited[at] == b'0' { b'1' } else { b'0' };
        assert!(error(&edited).contains("checksum"), "{}", error(&edited));
        // Torn anywhere.
        for cut in [1, 20, line.len() / 2, line.len() - 1] {
            assert!(decode_line(&line[..cut]).is_err(), "cut at {cut}");
        }
        // Not hex, or a checked payload that is not a summary.
        let mut not_hex = line.clone();
        not_hex[TAG.len()] = b'z';
        assert!(error(&not_hex).contains("not hex"));
        let mut short = TAG.to_vec();
        short.extend_from_slice(b"00 ");
        short.extend_from_slice(&check(&[0]));
        assert!(error(&short).contains("truncated"));
        // A count larger than the bytes that follow is refused before anything is reserved.
        let mut huge = vec![0u8; 4 + 64 + 24];
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&huge).is_none());
    }
}
