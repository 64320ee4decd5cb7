//! Any bytes as the payload of an otherwise well-formed token, so the fuzzer spends its time in the
//! UTF-8, JSON and claims paths instead of failing at base64.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;

mod check;

fuzz_target!(|data: &[u8]| {
    let Some((now, leeway, payload)) = check::clock(data) else { return };
    let token = format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(payload),
        URL_SAFE_NO_PAD.encode(b"signature")
    );
    check::check(&token, now, leeway);
});
