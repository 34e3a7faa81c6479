//! Lower-case hex, as every hash and checksum in the records is written: encoding, and decoding
//! (of either case) through a table.

/// The digits, by value.
const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Per byte, its value as a hex digit, or 16 for any other byte.
const VALUE: [u8; 256] = {
    let mut table = [16u8; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = match byte as u8 {
            digit @ b'0'..=b'9' => digit - b'0',
            digit @ b'a'..=b'f' => digit - b'a' + 10,
            digit @ b'A'..=b'F' => digit - b'A' + 10,
            _ => 16,
        };
        byte += 1;
    }
    table
};

/// Writes `bytes` in hex to `out`, which holds exactly two digits per byte.
pub(crate) fn encode_into(bytes: &[u8], out: &mut [u8]) {
    debug_assert_eq!(out.len(), bytes.len() * 2);
    for (pair, byte) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[usize::from(byte >> 4)];
        pair[1] = DIGITS[usize::from(byte & 15)];
    }
}

/// Appends `bytes` in hex to `out`.
pub(crate) fn push(bytes: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + bytes.len() * 2, 0);
    encode_into(bytes, &mut out[start..]);
}

/// Decodes `text` into `out`, which holds exactly one byte per two digits; whether every byte
/// of `text` was a hex digit (`out` is then what they say).
pub(crate) fn decode_into(text: &[u8], out: &mut [u8]) -> bool {
    if text.len() != out.len() * 2 {
        return false;
    }
    let mut bad = 0u8;
    for (slot, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let (high, low) = (VALUE[usize::from(pair[0])], VALUE[usize::from(pair[1])]);
        bad |= high | low;
        *slot = high << 4 | (low & 15);
    }
    // Any byte that is not a digit has the bit 16 set.
    bad & 16 == 0
}

/// The bytes `text` encodes; `None` when it is not an even number of hex digits.
pub(crate) fn decode(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let mut out = vec![0; text.len() / 2];
    decode_into(text, &mut out).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_hex() {
        let bytes: Vec<u8> = (0..=255).collect();
        let mut text = Vec::new();
        push(&bytes, &mut text);
        assert_eq!(&text[..6], b"000102");
        assert_eq!(decode(&text), Some(bytes.clone()));
        assert_eq!(
            decode(&text.to_ascii_uppercase()),
            Some(bytes),
            "either case"
        );
        assert_eq!(decode(b"abc"), None, "odd");
        // The bytes next to each range of digits, and a few others.
        for bad in [b'/', b':', b'@', b'G', b'`', b'g', b' ', 0, 0xff] {
            assert_eq!(decode(&[b'0', bad]), None, "{bad}");
            assert_eq!(decode(&[bad, b'0']), None, "{bad}");
        }
        let mut out = [0u8; 2];
        assert!(!decode_into(b"00", &mut out), "a length that does not fit");
    }
}
