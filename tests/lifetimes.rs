//! The store as a JavaScript object, driven from JS through wasm-bindgen's own glue (so `free()`,
//! unbound functions and the garbage collector are the real ones): lifetimes, its own broadcasts,
//! run-to-completion notifications, stores sharing a key, storage shims, errors, and `expiringIn: 0`.
//! Each scenario is a JS async function in tests/scenarios/lifetimes.mjs; it throws (failing the test) when a check fails.
//! In Chromium the runner exposes `gc()` (webdriver.json); Firefox has none, and the GC scenarios
//! then check only what they can.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::run;

/// The scenarios, one exported function per test, named after it.
const SCENARIOS: &str = include_str!("scenarios/lifetimes.mjs");

// 1. Account switch.

#[wasm_bindgen_test]
async fn an_account_switch_keeps_the_new_token() {
    run(SCENARIOS, "an_account_switch_keeps_the_new_token").await;
}

#[wasm_bindgen_test]
async fn a_logout_in_another_tab_never_removes_a_token_written_after_it() {
    run(
        SCENARIOS,
        "a_logout_in_another_tab_never_removes_a_token_written_after_it",
    )
    .await;
}

// 2. Lifetimes.

#[wasm_bindgen_test]
async fn a_store_with_listeners_outlives_every_reference_to_it() {
    run(
        SCENARIOS,
        "a_store_with_listeners_outlives_every_reference_to_it",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_discarded_auto_login_handle_never_stops_its_hook() {
    run(
        SCENARIOS,
        "a_discarded_auto_login_handle_never_stops_its_hook",
    )
    .await;
}

#[wasm_bindgen_test]
async fn free_and_dispose_end_what_they_started() {
    run(SCENARIOS, "free_and_dispose_end_what_they_started").await;
}

// 3. Run-to-completion notifications.

#[wasm_bindgen_test]
async fn subscribers_hear_nested_updates_in_order_and_end_on_the_latest() {
    run(
        SCENARIOS,
        "subscribers_hear_nested_updates_in_order_and_end_on_the_latest",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_clear_inside_a_change_handler_leaves_everyone_anonymous() {
    run(
        SCENARIOS,
        "a_clear_inside_a_change_handler_leaves_everyone_anonymous",
    )
    .await;
}

#[wasm_bindgen_test]
async fn two_hooks_hear_logins_in_the_order_they_happened() {
    run(
        SCENARIOS,
        "two_hooks_hear_logins_in_the_order_they_happened",
    )
    .await;
}

#[wasm_bindgen_test]
async fn use_backend_inside_a_subscriber_and_removal_during_a_dispatch() {
    run(
        SCENARIOS,
        "use_backend_inside_a_subscriber_and_removal_during_a_dispatch",
    )
    .await;
}

// 4. Two stores on one key and backend.

#[wasm_bindgen_test]
async fn stores_on_one_key_and_backend_see_each_other() {
    run(SCENARIOS, "stores_on_one_key_and_backend_see_each_other").await;
}

// 5. Storage shims.

#[wasm_bindgen_test]
async fn storage_shims_that_dispatch_synchronous_events_do_not_trap() {
    run(
        SCENARIOS,
        "storage_shims_that_dispatch_synchronous_events_do_not_trap",
    )
    .await;
}

// 6. Every throw is a TokenError.

#[wasm_bindgen_test]
async fn every_throw_is_a_token_error() {
    run(SCENARIOS, "every_throw_is_a_token_error").await;
}

// 7. expiringIn: 0.

#[wasm_bindgen_test]
async fn expiring_in_zero_fires_at_exp_just_before_expired() {
    run(
        SCENARIOS,
        "expiring_in_zero_fires_at_exp_just_before_expired",
    )
    .await;
}
