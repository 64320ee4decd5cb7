//! Strict base64url without padding (RFC 4648 section 5, as RFC 7515 section 2 requires): every text
//! has exactly one spelling, so `=`, the `+` and `/` of standard base64, whitespace and non-zero
//! trailing bits are all refused.
//!
//! Hand-written rather than the `base64` crate: its generic engine cost more in the wasm module than
//! this whole module, and a JWT needs only this one alphabet. Encoding is for DPoP proofs (`crate::dpop`).

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

/// The 64 characters of base64url, by value.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Marks a byte that is not in the alphabet: any value with this bit set (valid ones are below 64).
const INVALID: u8 = 0x80;

/// The 6-bit value of each byte, or `INVALID`.
const SEXTETS: [u8; 256] = {
    let alphabet = ALPHABET;
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
    // A leftover of 0, 2 or 3 characters carries 0, 1 or 2 bytes; one character cannot carry a byte.
    let tail_length = match text.len() % 4 {
        1 => return None,
        rest => rest.saturating_sub(1),
    };
    // Sized up front, so the loop below writes without growing or checking capacity.
    let mut bytes = vec![0; text.len() / 4 * 3 + tail_length];
    let mut groups = text.as_bytes().chunks_exact(4);
    let mut decoded = bytes.chunks_exact_mut(3);
    for (group, decoded) in (&mut groups).zip(&mut decoded) {
        // Byte by byte: a 3-byte copy_from_slice becomes a call to memmove.
        let [_, a, b, c] = word(group)?.to_be_bytes();
        decoded[0] = a;
        decoded[1] = b;
        decoded[2] = c;
    }
    let [_, a, b, _] = tail(groups.remainder())?.to_be_bytes();
    for (decoded, byte) in decoded.into_remainder().iter_mut().zip([a, b]) {
        *decoded = byte;
    }
    Some(bytes)
}

/// `bytes` as unpadded base64url: the one canonical spelling [`decode`] accepts.
pub fn encode(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let word = group.iter().enumerate().fold(0u32, |word, (at, &byte)| {
            word | u32::from(byte) << (16 - 8 * at)
        });
        // A group of n bytes carries n + 1 characters; each index is below 64.
        for at in 0..=group.len() {
            let sextet = (word >> (18 - 6 * at)) & 63;
            text.push(char::from(ALPHABET[sextet as usize]));
        }
    }
    text
}

/// Whether `text` is canonical unpadded base64url, without keeping the bytes (a signature's are
/// never needed).
pub fn is_canonical(text: &str) -> bool {
    let mut groups = text.as_bytes().chunks_exact(4);
    groups.by_ref().all(|group| word(group).is_some()) && tail(groups.remainder()).is_some()
}

/// Four characters as one 24-bit word, or `None` if any is outside the alphabet. Always inlined: the
/// release profile optimises for size and would otherwise call it for every four characters.
#[inline(always)]
fn word(group: &[u8]) -> Option<u32> {
    let mut word = 0;
    let mut seen = 0;
    for &character in group {
        let value = SEXTETS[usize::from(character)];
        seen |= value;
        word = word << 6 | u32::from(value);
    }
    (seen & INVALID == 0).then_some(word)
}

/// The last, partial group (0, 2 or 3 characters) as a word, or `None` if it is not canonical: the
/// bits after its last whole byte must be zero.
fn tail(characters: &[u8]) -> Option<u32> {
    let (group, unused_bits) = match *characters {
        [] => return Some(0),
        [a, b] => ([a, b, b'A', b'A'], 0xffff),
        [a, b, c] => ([a, b, c, b'A'], 0xff),
        _ => return None,
    };
    word(&group).filter(|word| word & unused_bits == 0)
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
            assert_eq!(encode(&bytes[..length]), encoded);
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
