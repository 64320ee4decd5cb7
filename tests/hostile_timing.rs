//! Auth state under hostile timing: a logout wins over every refresh that began or queued before it,
//! in this page and in other tabs; a tab that holds the refresh lock and stops running (frozen) loses
//! it once its lease is past; without Web Locks a lease in localStorage keeps one refresh at a time;
//! what one tab learns of the server's clock serves the others; and logouts are ordered without the
//! wall clock. Other tabs are played by the scenarios: a same-origin frame writing what a tab of this
//! version writes, a Web Lock held by the scenario, a message on the channel.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::run;

/// The scenarios, one exported function per test, named after it.
const SCENARIOS: &str = include_str!("scenarios/hostile_timing.mjs");

#[wasm_bindgen_test]
async fn a_logout_wins_over_a_refresh_queued_for_the_lock() {
    run(
        SCENARIOS,
        "a_logout_wins_over_a_refresh_queued_for_the_lock",
    )
    .await;
}

#[wasm_bindgen_test]
async fn an_answer_after_a_logout_elsewhere_is_dropped() {
    run(SCENARIOS, "an_answer_after_a_logout_elsewhere_is_dropped").await;
}

#[wasm_bindgen_test]
async fn a_holder_past_its_lease_loses_the_lock() {
    run(SCENARIOS, "a_holder_past_its_lease_loses_the_lock").await;
}

#[wasm_bindgen_test]
async fn without_web_locks_a_lease_keeps_one_refresh_at_a_time() {
    run(
        SCENARIOS,
        "without_web_locks_a_lease_keeps_one_refresh_at_a_time",
    )
    .await;
}

#[wasm_bindgen_test]
async fn what_one_tab_learns_of_the_server_clock_serves_the_others() {
    run(
        SCENARIOS,
        "what_one_tab_learns_of_the_server_clock_serves_the_others",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_login_after_a_logout_stays_when_the_clock_steps_back() {
    run(
        SCENARIOS,
        "a_login_after_a_logout_stays_when_the_clock_steps_back",
    )
    .await;
}
