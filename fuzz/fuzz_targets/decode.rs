//! Any text as a whole token: structure, base64url, UTF-8, JSON and time checks.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod check;

fuzz_target!(|data: &[u8]| {
    let Some((now, leeway, rest)) = check::clock(data) else { return };
    if let Ok(token) = std::str::from_utf8(rest) {
        check::check(token, now, leeway);
    }
});
