//! Strict base64url without padding (RFC 4648 section 5, as RFC 7515 section 2 requires): every text
//! has exactly one spelling, so `=`, the `+` and `/` of standard base64, whitespace and non-zero
//! trailing bits are all refused.
//!
//! Hand-written rather than the `base64` crate: its generic engine cost more in the wasm module than
//! this whole module, and a JWT needs only this one alphabet and one direction.

use alloc::vec::Vec;

/// Marks a byte that is not in the alphabet.
const INVALID: u8 = 0xff;

/// The 6-bit value of each byte, or `INVALID`.
const SEXTETS: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut table = [INVALID; 256];
    let mut value = 0;
    while value < alphabet.len() {
        // `value` is below 64, so it fits in a byte.
        table[alphabet[value] as usize] = value as u8;
        value += 1;
    }
    table
};

/// The bytes `text` encodes, or `None` when it is not canonical unpadded base64url.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3 + 2);
    decode_with(text, |decoded| bytes.extend_from_slice(decoded)).then_some(bytes)
}

/// Whether `text` is canonical unpadded base64url, without keeping the bytes (a signature's are
/// never needed).
pub fn is_canonical(text: &str) -> bool {
    decode_with(text, |_| {})
}

/// Hands the decoded bytes of `text` to `output`, a group at a time; false when `text` is not
/// canonical unpadded base64url.
fn decode_with(text: &str, mut output: impl FnMut(&[u8])) -> bool {
    let mut groups = text.as_bytes().chunks_exact(4);
    for group in &mut groups {
        let Some(word) = sextets(group) else {
            return false;
        };
        output(&[(word >> 16) as u8, (word >> 8) as u8, word as u8]);
    }
    match *groups.remainder() {
        [] => true,
        [a, b] => match sextets(&[a, b, b'A', b'A']) {
            // The 4 bits after the one decoded byte must be zero.
            Some(word) if word & 0xffff == 0 => {
                output(&[(word >> 16) as u8]);
                true
            }
            _ => false,
        },
        [a, b, c] => match sextets(&[a, b, c, b'A']) {
            // The 2 bits after the two decoded bytes must be zero.
            Some(word) if word & 0xff == 0 => {
                output(&[(word >> 16) as u8, (word >> 8) as u8]);
                true
            }
            _ => false,
        },
        // One leftover character carries 6 bits, too few for a byte: no encoder writes it.
        [..] => false,
    }
}

/// Four characters as one 24-bit word, or `None` if any is outside the alphabet.
fn sextets(group: &[u8]) -> Option<u32> {
    let mut word = 0;
    for &character in group {
        let value = SEXTETS[usize::from(character)];
        if value == INVALID {
            return None;
        }
        word = word << 6 | u32::from(value);
    }
    Some(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    #[test]
    fn decodes_what_the_base64_crate_encodes() {
        let bytes: Vec<u8> = (0..=255).collect();
        for length in 0..bytes.len() {
            let encoded = URL_SAFE_NO_PAD.encode(&bytes[..length]);
            assert_eq!(decode(&encoded).as_deref(), Some(&bytes[..length]));
            assert!(is_canonical(&encoded));
        }
    }

    #[test]
    fn refuses_every_other_spelling() {
        for text in [
            "a", "abcde", "QQ==", "QQ=", "QUI=", "a+b/", "ab c", "AB", "ABC", "Zg\n", "é",
        ] {
            assert_eq!(decode(text), None, "{text:?}");
            assert!(!is_canonical(text), "{text:?}");
        }
        // The canonical spellings of the texts above that have one.
        assert_eq!(decode("QQ").as_deref(), Some(&b"A"[..]));
        assert_eq!(decode("QUI").as_deref(), Some(&b"AB"[..]));
        assert_eq!(decode("AA").as_deref(), Some(&[0][..]));
        assert_eq!(decode("AAA").as_deref(), Some(&[0, 0][..]));
    }
}
