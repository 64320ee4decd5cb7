//! The oracle checks themselves, for any input: each hand-written decoder must agree with a well-kept
//! crate. Shared by `tests/oracles.rs` (proptest) and `fuzz/fuzz_targets/differential.rs` (cargo-fuzz),
//! so both hold the code to the same rules. Plain `assert!`s: proptest shrinks a panic like a failure.

use std::fmt;

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use tokenstore::json::{self, Kind};
use tokenstore::{base64url, number};

/// The `base64` crate held to RFC 7515's rules: no padding at all and no non-zero trailing bits.
pub const STRICT_BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_allow_trailing_bits(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Whether serde_json accepts `text` as one JSON value.
///
/// Deserialized as `IgnoredAny`, which serde_json checks with `ignore_value`: the full RFC 8259 grammar,
/// iteratively, with no recursion limit (the 128 limit applies only to values it builds), without
/// computing numbers (so `1e400` is not "out of range") and without pairing `\u` surrogates, since the
/// RFC's grammar allows a lone one. That is the question `json::scan` answers, so no carve-outs are
/// needed; `tests/oracles.rs` pins these three facts, in case a serde_json release changes them.
pub fn serde_json_accepts(text: &str) -> bool {
    serde_json::from_str::<IgnoredAny>(text).is_ok()
}

/// `json::scan` accepts exactly what serde_json accepts; on acceptance its kind and top-level members
/// (kind and raw text of each value, in order, repeats included) are the ones serde_json finds.
pub fn json(text: &str) {
    let mut ours = Vec::new();
    let scanned = json::scan(text, |name, kind, raw| ours.push((name, kind, raw)));
    let accepted = serde_json_accepts(text);
    assert_eq!(
        scanned.is_ok(),
        accepted,
        "json::scan says {scanned:?}, serde_json says {accepted} for {text:?}"
    );
    let Ok(kind) = scanned else { return };
    assert_eq!(
        Some(kind),
        kind_of(text.trim_start_matches(JSON_WHITESPACE))
    );
    if kind != Kind::Object {
        assert!(ours.is_empty(), "members of a non-object in {text:?}");
        return;
    }
    let theirs = serde_json::Deserializer::from_str(text)
        .deserialize_map(RawMembers)
        .expect("serde_json accepted this text, so it reads its members");
    assert_eq!(ours.len(), theirs.len(), "member count of {text:?}");
    for ((name, kind, raw), (their_name, their_raw)) in ours.into_iter().zip(theirs) {
        assert_eq!(raw, their_raw, "raw member value in {text:?}");
        assert_eq!(Some(kind), kind_of(raw), "member kind in {text:?}");
        // Names are found by comparing them unescaped with ASCII claim names (`Name::is`): check that
        // against serde_json's unescaping, for every name it can unescape to ASCII.
        if let Ok(unescaped) = serde_json::from_str::<String>(their_name) {
            if unescaped.is_ascii() {
                assert!(name.is(&unescaped), "{their_name} is {unescaped:?}");
                assert!(!name.is(&format!("{unescaped}x")), "{their_name}");
                if let Some(shorter) = unescaped.len().checked_sub(1) {
                    assert!(!name.is(&unescaped[..shorter]), "{their_name}");
                }
            }
        }
    }
}

/// `base64url::decode` returns exactly what the strict `base64` engine returns, `None` where it fails;
/// `is_canonical` says whether `decode` succeeds.
pub fn base64url(text: &str) {
    let ours = base64url::decode(text);
    let theirs = STRICT_BASE64URL.decode(text).ok();
    assert_eq!(ours, theirs, "base64url::decode of {text:?}");
    assert_eq!(
        base64url::is_canonical(text),
        ours.is_some(),
        "is_canonical of {text:?}"
    );
}

/// For a JSON number literal, `number::parse` is `str::parse::<f64>` bit for bit (so `-0` is not `0`).
///
/// Natively `number::parse` falls back to `str::parse` itself for whatever its exact fast path
/// declines, so this checks the fast path (and that it declines when it must). The wasm build's
/// fallback, JavaScript's `Number`, is checked by the browser tests, not here.
pub fn number(literal: &str) {
    assert_eq!(
        json::scan(literal, |_, _, _| {}),
        Ok(Kind::Number),
        "{literal:?} is not a JSON number literal"
    );
    let ours = number::parse(literal);
    let theirs: f64 = literal.parse().expect("Rust parses every JSON number");
    assert_eq!(
        ours.to_bits(),
        theirs.to_bits(),
        "number::parse({literal:?}) is {ours:e}, str::parse gives {theirs:e}"
    );
}

/// The JSON number literals inside `text`: its maximal runs of number characters that are one.
pub fn number_literals(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !matches!(c, '0'..='9' | '-' | '+' | '.' | 'e' | 'E'))
        .filter(|run| json::scan(run, |_, _, _| {}) == Ok(Kind::Number))
}

const JSON_WHITESPACE: [char; 4] = [' ', '\t', '\n', '\r'];

/// The kind of the JSON value that `text` starts with.
fn kind_of(text: &str) -> Option<Kind> {
    Some(match text.bytes().next()? {
        b'{' => Kind::Object,
        b'[' => Kind::Array,
        b'"' => Kind::String,
        b'-' | b'0'..=b'9' => Kind::Number,
        b't' | b'f' => Kind::Boolean,
        b'n' => Kind::Null,
        _ => return None,
    })
}

/// serde_json's view of an object's members: each name and value as raw text, in order.
struct RawMembers;

impl<'de> Visitor<'de> for RawMembers {
    type Value = Vec<(&'de str, &'de str)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some((name, value)) = map.next_entry::<&RawValue, &RawValue>()? {
            members.push((name.get(), value.get()));
        }
        Ok(members)
    }
}
