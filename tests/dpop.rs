//! DPoP in the browser, driven from JS through wasm-bindgen's own glue: proofs whose signature
//! WebCrypto verifies against the JWK in their header, the key as a non-extractable CryptoKey in
//! IndexedDB shared by stores and reloads, discarded at logout, made anew (with an event) when lost,
//! kept in the page when IndexedDB is missing; `fetch` with its headers, nonces and one retry; and
//! the errors. The servers `fetch` talks to are functions put in place of `globalThis.fetch` that
//! answer real `Response` objects; the demo server's real checks run in `tests/e2e/dpop.test.mjs`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::run;

/// The scenarios, one exported function per test, named after it.
const SCENARIOS: &str = include_str!("scenarios/dpop.mjs");

#[wasm_bindgen_test]
async fn a_proof_verifies_against_its_embedded_key_and_claims_what_rfc_9449_asks() {
    run(
        SCENARIOS,
        "a_proof_verifies_against_its_embedded_key_and_claims_what_rfc_9449_asks",
    )
    .await;
}

#[wasm_bindgen_test]
async fn the_key_is_a_non_extractable_crypto_key_in_indexeddb_shared_by_stores_and_reloads() {
    run(
        SCENARIOS,
        "the_key_is_a_non_extractable_crypto_key_in_indexeddb_shared_by_stores_and_reloads",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_logout_or_a_failed_refresh_discards_the_key() {
    run(SCENARIOS, "a_logout_or_a_failed_refresh_discards_the_key").await;
}

#[wasm_bindgen_test]
async fn a_lost_key_is_replaced_and_reported() {
    run(SCENARIOS, "a_lost_key_is_replaced_and_reported").await;
}

#[wasm_bindgen_test]
async fn without_indexeddb_the_key_lives_in_the_page() {
    run(SCENARIOS, "without_indexeddb_the_key_lives_in_the_page").await;
}

#[wasm_bindgen_test]
async fn fetch_sends_dpop_learns_nonces_and_retries_once_with_the_same_body() {
    run(
        SCENARIOS,
        "fetch_sends_dpop_learns_nonces_and_retries_once_with_the_same_body",
    )
    .await;
}

#[wasm_bindgen_test]
async fn without_dpop_fetch_sends_bearer_and_proofs_are_refused() {
    run(
        SCENARIOS,
        "without_dpop_fetch_sends_bearer_and_proofs_are_refused",
    )
    .await;
}

#[wasm_bindgen_test]
async fn without_webcrypto_dpop_is_a_token_error() {
    run(SCENARIOS, "without_webcrypto_dpop_is_a_token_error").await;
}
