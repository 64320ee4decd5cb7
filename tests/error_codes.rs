//! The error codes TypeScript users see (`TokenErrorCode` in the declarations, src/wasm/types.rs) are
//! exactly the codes the core throws (`Error::code` in src/error.rs): read from both sources, so a code
//! added, renamed or removed on one side alone fails here.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

/// The quoted codes between `start` and the first `end` after it in `source`.
fn quoted_codes(source: &str, start: &str, end: &str) -> BTreeSet<String> {
    let from = source
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let text = &source[from + start.len()..];
    let text = &text[..text
        .find(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"))];
    text.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_typescript_union_lists_every_error_code_and_no_other() {
    let declarations = include_str!("../src/wasm/types.rs");
    let errors = include_str!("../src/error.rs");
    let union = quoted_codes(declarations, "export type TokenErrorCode =", ";");
    let thrown = quoted_codes(errors, "pub fn code(&self) -> &'static str {", "\n    }\n");
    assert!(thrown.len() >= 10, "Error::code read as {thrown:?}");
    assert!(
        thrown.iter().all(|code| code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')),
        "{thrown:?}"
    );
    assert_eq!(
        union, thrown,
        "TokenErrorCode (left) and Error::code (right) differ"
    );
}
