//! The cookie backend in a real browser (issue 15): the attributes the browser stores, as
//! `document.cookie` and, where it has one, `cookieStore.get` show them; Max-Age from `exp`; the
//! 4096-byte limit; a cookie the browser refuses; moves to and from the other backends; other cookies
//! left alone, however odd their names and values; and other tabs' changes. (A cookie of the same
//! name on another path needs a page below "/", which the test server has not: tests/e2e does it.)
//! Each scenario is a JS async function in tests/scenarios/cookie.mjs driving the real `TokenStore` class.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::run;

/// The scenarios, one exported function per test, named after it.
const SCENARIOS: &str = include_str!("scenarios/cookie.mjs");

#[wasm_bindgen_test]
async fn set_read_clear_with_the_default_attributes() {
    run(SCENARIOS, "set_read_clear_with_the_default_attributes").await;
}

#[wasm_bindgen_test]
async fn max_age_follows_exp_and_the_leeway_and_no_exp_is_a_session_cookie() {
    run(
        SCENARIOS,
        "max_age_follows_exp_and_the_leeway_and_no_exp_is_a_session_cookie",
    )
    .await;
}

#[wasm_bindgen_test]
async fn the_browser_drops_the_cookie_at_expiry_and_the_store_calls_it_expired() {
    run(
        SCENARIOS,
        "the_browser_drops_the_cookie_at_expiry_and_the_store_calls_it_expired",
    )
    .await;
}

#[wasm_bindgen_test]
async fn wrong_cookie_options_are_invalid_option() {
    run(SCENARIOS, "wrong_cookie_options_are_invalid_option").await;
}

#[wasm_bindgen_test]
async fn a_token_too_big_for_a_cookie_is_quota_exceeded_and_nothing_is_lost() {
    run(
        SCENARIOS,
        "a_token_too_big_for_a_cookie_is_quota_exceeded_and_nothing_is_lost",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_write_another_tab_undoes_at_once_is_no_refusal() {
    run(
        SCENARIOS,
        "a_write_another_tab_undoes_at_once_is_no_refusal",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_cookie_the_browser_refuses_is_storage_unavailable() {
    run(
        SCENARIOS,
        "a_cookie_the_browser_refuses_is_storage_unavailable",
    )
    .await;
}

#[wasm_bindgen_test]
async fn where_secure_cookies_are_refused_the_default_cookie_falls_back_to_memory() {
    run(
        SCENARIOS,
        "where_secure_cookies_are_refused_the_default_cookie_falls_back_to_memory",
    )
    .await;
}

#[wasm_bindgen_test]
async fn use_backend_moves_the_token_to_and_from_every_backend() {
    run(
        SCENARIOS,
        "use_backend_moves_the_token_to_and_from_every_backend",
    )
    .await;
}

#[wasm_bindgen_test]
async fn other_cookies_are_never_touched_whatever_they_hold() {
    run(
        SCENARIOS,
        "other_cookies_are_never_touched_whatever_they_hold",
    )
    .await;
}

#[wasm_bindgen_test]
async fn another_tab_logs_in_and_out_through_the_cookie() {
    run(SCENARIOS, "another_tab_logs_in_and_out_through_the_cookie").await;
}

#[wasm_bindgen_test]
async fn without_the_cookie_store_api_a_token_free_broadcast_and_visibility_carry_changes() {
    run(
        SCENARIOS,
        "without_the_cookie_store_api_a_token_free_broadcast_and_visibility_carry_changes",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_logout_in_another_tab_reaches_cookie_stores() {
    run(SCENARIOS, "a_logout_in_another_tab_reaches_cookie_stores").await;
}

#[wasm_bindgen_test]
async fn stores_snapshots_events_and_auto_login_behave_as_for_local() {
    run(
        SCENARIOS,
        "stores_snapshots_events_and_auto_login_behave_as_for_local",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_document_cookie_that_is_not_a_string_is_storage_unavailable() {
    run(
        SCENARIOS,
        "a_document_cookie_that_is_not_a_string_is_storage_unavailable",
    )
    .await;
}
