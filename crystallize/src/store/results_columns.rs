//! `<condition>/.results.columns`: the metrics of a condition's `results.json` in binary
//! columns, written beside it when the results are large ([`WORTH_FROM`] bytes of text on).
//! Parsing the text costs about 25 ns a value (a 300,000-unit resume spent half its time
//! there); these columns are read and decoded in a fraction of that.
//!
//! The file is a cache, never the record: the condition's marker summary holds its hash and
//! the size and stamp `results.json` had when both were written, and a resume uses it only when
//! both still hold; anything else (missing, torn, edited, from another format) sends the resume
//! to `results.json`, as if the file were not there.
//!
//! Format, little-endian: the magic line `crystallize results columns 1\n`, the number of
//! metrics (`u32`), then per metric in name order: the name's length (`u32`) and UTF-8 bytes,
//! the number of values (`u64`) and each value's `f64` bits, a NaN standing for `null` (what
//! `results.json` holds for a missing, failed or non-finite value).

use std::collections::BTreeMap;

use super::records::ResultsFile;

/// Results whose `results.json` text is at least this long (8 KiB, about 300 values) get
/// columns too; below it, one more file costs a resume more than the parsing it saves (at
/// 1,000 values a condition, the columns made a resume 5% faster).
pub(crate) const WORTH_FROM: usize = 8 * 1024;

/// The first bytes of the file (its format).
const MAGIC: &[u8] = b"crystallize results columns 1\n";

/// The columns of `results`.
pub(crate) fn encode(results: &ResultsFile) -> Vec<u8> {
    let values: usize = results.metrics.values().map(Vec::len).sum();
    let names: usize = results.metrics.keys().map(String::len).sum();
    let mut bytes =
        Vec::with_capacity(MAGIC.len() + 4 + results.metrics.len() * 12 + names + values * 8);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&(results.metrics.len() as u32).to_le_bytes());
    for (name, column) in &results.metrics {
        bytes.extend_from_slice(&(name.len() as u32).to_le_bytes());
        bytes.extend_from_slice(name.as_bytes());
        bytes.extend_from_slice(&(column.len() as u64).to_le_bytes());
        for value in column {
            let bits = match value {
                Some(value) if value.is_finite() => value.to_bits(),
                _ => f64::NAN.to_bits(),
            };
            bytes.extend_from_slice(&bits.to_le_bytes());
        }
    }
    bytes
}

/// The results `bytes` encode, or `None` when they are not columns of this format (torn,
/// truncated, with bytes left over, or a name that is not UTF-8).
pub(crate) fn decode(bytes: &[u8]) -> Option<ResultsFile> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut take = |count: usize| -> Option<&[u8]> {
        let (taken, left) = rest.split_at_checked(count)?;
        rest = left;
        Some(taken)
    };
    let metrics = u32::from_le_bytes(take(4)?.try_into().ok()?);
    let mut decoded = BTreeMap::new();
    for _ in 0..metrics {
        let length = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let name = std::str::from_utf8(take(length)?).ok()?.to_string();
        let count = usize::try_from(u64::from_le_bytes(take(8)?.try_into().ok()?)).ok()?;
        let raw = take(count.checked_mul(8)?)?;
        let column: Vec<Option<f64>> = raw
            .chunks_exact(8)
            .map(|chunk| {
                let value = f64::from_bits(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
                (!value.is_nan()).then_some(value)
            })
            .collect();
        if decoded.insert(name, column).is_some() {
            return None;
        }
    }
    rest.is_empty().then_some(ResultsFile { metrics: decoded })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(columns: &[(&str, Vec<Option<f64>>)]) -> ResultsFile {
        ResultsFile {
            metrics: columns
                .iter()
                .map(|(name, values)| (name.to_string(), values.clone()))
                .collect(),
        }
    }

    /// Decoding the columns gives what parsing `results.json` gives, bit for bit: every finite
    /// value (signed zeros, subnormals, the extremes) as it is, and `null` for what is missing
    /// or not finite.
    #[test]
    fn columns_decode_to_what_results_json_parses_to() {
        let written = results(&[
            (
                "loss",
                vec![
                    Some(0.1),
                    Some(-0.0),
                    Some(0.0),
                    Some(f64::MIN_POSITIVE / 4.0),
                    Some(f64::MAX),
                    Some(f64::MIN),
                    None,
                    Some(f64::NAN),
                    Some(f64::INFINITY),
                    Some(-1e-300),
                ],
            ),
            ("accuracy ü", vec![Some(0.5); 3]),
            ("empty", Vec::new()),
        ]);
        let text = serde_json::to_vec_pretty(&written).unwrap();
        let parsed: ResultsFile = serde_json::from_slice(&text).unwrap();
        let decoded = decode(&encode(&written)).expect("decodes");
        assert_eq!(
            decoded.metrics.keys().collect::<Vec<_>>(),
            parsed.metrics.keys().collect::<Vec<_>>()
        );
        for (name, column) in &parsed.metrics {
            let bits = |values: &[Option<f64>]| -> Vec<Option<u64>> {
                values.iter().map(|value| value.map(f64::to_bits)).collect()
            };
            assert_eq!(bits(&decoded.metrics[name]), bits(column), "{name}");
        }
    }

    /// Anything but whole columns of this format decodes to nothing: the resume then reads
    /// `results.json`.
    #[test]
    fn torn_or_foreign_columns_decode_to_nothing() {
        let bytes = encode(&results(&[
            ("a", vec![Some(1.0), None]),
            ("b", vec![Some(2.0)]),
        ]));
        assert!(decode(&bytes).is_some());
        for length in 0..bytes.len() {
            assert!(decode(&bytes[..length]).is_none(), "cut at {length}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_none());
        let mut other_format = bytes.clone();
        other_format[MAGIC.len() - 2] = b'2';
        assert!(decode(&other_format).is_none());
        assert!(decode(b"{\"metrics\": {}}").is_none());
        // A count far beyond the bytes there is refused without allocating for it.
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&1u32.to_le_bytes());
        huge.extend_from_slice(&1u32.to_le_bytes());
        huge.push(b'a');
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode(&huge).is_none());
    }
}
