//! Refreshing the token, driven from JS through wasm-bindgen's own glue: single flight, adopting a
//! token another tab stored while this one waited for the lock, what `null`, a rejection and a
//! malformed answer do, backoff and the wake-ups that cut it short, the lock's time limit, React
//! StrictMode, and the server clock. Fake `fetchToken` functions stand for the app's own; the lock
//! is the browser's real Web Lock, which the scenarios hold themselves to play the other tab.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::run;

/// The scenarios, one exported function per test, named after it.
const SCENARIOS: &str = include_str!("scenarios/refresh.mjs");

#[wasm_bindgen_test]
async fn concurrent_refreshes_share_one_promise_and_one_fetch() {
    run(
        SCENARIOS,
        "concurrent_refreshes_share_one_promise_and_one_fetch",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_token_stored_by_another_tab_while_waiting_for_the_lock_is_adopted() {
    run(
        SCENARIOS,
        "a_token_stored_by_another_tab_while_waiting_for_the_lock_is_adopted",
    )
    .await;
}

#[wasm_bindgen_test]
async fn null_ends_the_session_with_refresh_failed() {
    run(SCENARIOS, "null_ends_the_session_with_refresh_failed").await;
}

#[wasm_bindgen_test]
async fn a_rejection_or_a_malformed_answer_keeps_the_token_and_reports_it() {
    run(
        SCENARIOS,
        "a_rejection_or_a_malformed_answer_keeps_the_token_and_reports_it",
    )
    .await;
}

#[wasm_bindgen_test]
async fn auto_refresh_retries_with_backoff_then_recovers() {
    run(SCENARIOS, "auto_refresh_retries_with_backoff_then_recovers").await;
}

#[wasm_bindgen_test]
async fn going_online_retries_at_once() {
    run(SCENARIOS, "going_online_retries_at_once").await;
}

#[wasm_bindgen_test]
async fn the_lock_is_held_only_within_its_time_limit() {
    run(SCENARIOS, "the_lock_is_held_only_within_its_time_limit").await;
}

#[wasm_bindgen_test]
async fn a_clear_while_fetching_drops_the_answer() {
    run(SCENARIOS, "a_clear_while_fetching_drops_the_answer").await;
}

#[wasm_bindgen_test]
async fn strict_mode_mount_unmount_mount_fetches_once() {
    run(SCENARIOS, "strict_mode_mount_unmount_mount_fetches_once").await;
}

#[wasm_bindgen_test]
async fn auto_refresh_runs_ahead_of_expiry_and_not_on_start_when_logged_in() {
    run(
        SCENARIOS,
        "auto_refresh_runs_ahead_of_expiry_and_not_on_start_when_logged_in",
    )
    .await;
}

#[wasm_bindgen_test]
async fn the_server_clock_keeps_a_fast_laptop_logged_in() {
    run(SCENARIOS, "the_server_clock_keeps_a_fast_laptop_logged_in").await;
}

#[wasm_bindgen_test]
async fn wrong_arguments_are_token_errors() {
    run(SCENARIOS, "wrong_arguments_are_token_errors").await;
}
