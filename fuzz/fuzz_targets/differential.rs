//! Any bytes, as text, through the three oracles of `tests/oracles.rs`: `json::scan` against serde_json,
//! `base64url` against the strict `base64` engine, and `number::parse` against `str::parse` for every
//! JSON number literal in the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracles/agree.rs"]
mod agree;

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 becomes U+FFFD rather than a wasted input: the decoders only ever see `str`.
    let text = String::from_utf8_lossy(data);
    agree::json(&text);
    agree::base64url(&text);
    for literal in agree::number_literals(&text) {
        agree::number(literal);
    }
});
