//! Builds tokens for every Rust test (the unit tests, and tests/*.rs through `#[path]`): base64url parts
//! around a JSON payload, with a fixed fake signature.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Base64url without padding.
pub fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token with an HS256 header, `payload` as its claims JSON, and a signature that is never checked.
pub fn token(payload: &str) -> String {
    token_with_header(r#"{"alg":"HS256","typ":"JWT"}"#, payload)
}

/// A token with the given header and payload JSON.
pub fn token_with_header(header: &str, payload: &str) -> String {
    format!("{}.{}.{}", b64(header), b64(payload), b64("signature"))
}
