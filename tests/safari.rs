//! What Safari does that other browsers do not, played in every engine: the `storage` event fired in
//! the tab that wrote the value. (WebKit's other differences are checked where they show: Secure cookies
//! on http in tests/cookie.rs, the back/forward cache and the missing page lifecycle events in
//! tests/e2e/webkit.test.mjs.)
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::run;

/// The scenarios, one exported function per test, named after it.
const SCENARIOS: &str = include_str!("scenarios/safari.mjs");

#[wasm_bindgen_test]
async fn a_storage_event_in_the_tab_that_wrote_the_value_changes_nothing() {
    run(
        SCENARIOS,
        "a_storage_event_in_the_tab_that_wrote_the_value_changes_nothing",
    )
    .await;
}
